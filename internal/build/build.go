// Package build runs the pipeline: config, content, markdown, site graph,
// render and publish, with the parallel stages spread over every core. It
// builds to disk (atomically) or into any publish.Sink (check), and again
// and again into memory for serve (Incremental), redoing only what a
// change reaches.
package build

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"hjp/internal/config"
	"hjp/internal/content"
	"hjp/internal/diag"
	"hjp/internal/markdown"
	"hjp/internal/publish"
	"hjp/internal/render"
	"hjp/internal/search"
	"hjp/internal/site"
)

// Options configure one build.
type Options struct {
	// Source is the site root holding content/ and themes/.
	Source string
	// Dest is the output folder; empty means public/ under Source.
	Dest    string
	BaseURL string
	Drafts  bool
	// Strict turns warnings into errors.
	Strict bool
	// Getenv reads the deployment environment; nil means none.
	Getenv func(string) string
	// Workers is the number of parallel workers; 0 means one per core.
	Workers int
	// Minify shrinks HTML, CSS, JS, JSON, SVG and XML output (hjp build
	// turns it on; serve leaves it off for readable, faster rebuilds).
	Minify bool
	// FS, when set, is read instead of the Source folder (tests use it to
	// simulate unreadable files); the output still goes to DestDir.
	FS fs.FS
	// HTMLTemplate runs the layouts with html/template alone, not with
	// their compiled programs (render.Theme.HTMLTemplateOnly): tests
	// compare the two.
	HTMLTemplate bool
	// ContentRead, when set, is called with content.Set.Bytes as soon as
	// the content is read, before the stages whose memory grows with it
	// (hjp sizes the collector's memory limit by it).
	ContentRead func(bytes int64)
}

func (o Options) sourceFS() fs.FS {
	if o.FS != nil {
		return o.FS
	}
	return os.DirFS(o.Source)
}

// Result describes a finished build.
type Result struct {
	Pages int
	Files int
	// Rendered counts the output files rendered by this build: all of
	// them for a full build, those that can have changed for an
	// incremental one.
	Rendered int
	Diags    diag.List
	Elapsed  time.Duration
	// Written is true when the destination was replaced.
	Written bool
	// URLManifest is the new content of content/.urls when it must be
	// updated (new URLs were published), or nil.
	URLManifest []byte
	// Templates says how the theme's templates were run.
	Templates render.TemplateStats
}

// Failed reports whether the build had errors.
func (r Result) Failed() bool { return r.Diags.Errors() > 0 }

// Summary is the one line hjp prints after a build.
func (r Result) Summary(verb string) string {
	return fmt.Sprintf("%s %d pages (%d files), %d errors, %d warnings in %s",
		verb, r.Pages, r.Files, r.Diags.Errors(), r.Diags.Warnings(), r.Elapsed.Round(time.Millisecond))
}

// DestDir returns the output folder of opts.
func (o Options) DestDir() string {
	if o.Dest != "" {
		return o.Dest
	}
	return filepath.Join(o.Source, "public")
}

// Build builds the site to disk. The destination is replaced only when the
// build has no errors; otherwise it is left exactly as it was.
func Build(opts Options) Result {
	start := time.Now()
	stage, err := publish.NewStage(opts.DestDir())
	if err != nil {
		return failed(start, "cannot prepare the output folder: %v", err)
	}
	res := Run(opts.sourceFS(), opts, stage)
	if res.Failed() {
		stage.Abort()
		res.Elapsed = time.Since(start)
		return res
	}
	if err := stage.Commit(); err != nil {
		stage.Abort()
		return failed(start, "cannot replace the output folder: %v", err)
	}
	res.Written = true
	if res.URLManifest != nil {
		if err := writeFileAtomic(filepath.Join(opts.Source, filepath.FromSlash(content.URLsPath)), res.URLManifest); err != nil {
			res.Diags.Add(diag.Diagnostic{Path: content.URLsPath, Line: 1, Col: 1, Severity: diag.Warning,
				Message: fmt.Sprintf("cannot update the list of published URLs: %v", err)})
		}
	}
	res.Elapsed = time.Since(start)
	return res
}

// writeFileAtomic replaces a file through a temporary file and a rename.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".urls-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Check runs everything Build does except writing.
func Check(opts Options) Result {
	start := time.Now()
	res := Run(opts.sourceFS(), opts, publish.Discard{})
	res.Elapsed = time.Since(start)
	return res
}

func failed(start time.Time, format string, args ...any) Result {
	var l diag.List
	l.Errorf("public", 1, 1, format, args...)
	return Result{Diags: l, Elapsed: time.Since(start)}
}

// Run builds the site from the source root fsys into sink. On errors the
// sink may have received some files; callers discard them.
func Run(fsys fs.FS, opts Options, sink publish.Sink) Result {
	m := newMinifier(opts)
	return run(fsys, opts, sink, &fullPlan{workers: opts.Workers, md: newMarkdown(m), min: m})
}

// plan decides how much of a build's work to redo. Run's full plan does
// everything; Incremental's plan reuses the previous build's parse results,
// rendered Markdown and unchanged outputs. Every build, full or not, goes
// through run, so there is one pipeline.
type plan interface {
	// contentCache returns the parse cache for this build, or nil.
	contentCache(cfg *config.Site) *content.Cache
	// graph makes the finished site graph of set: site.New, every page's
	// Markdown, then Finish (see makeGraph).
	graph(cfg *config.Site, set *content.Set, l *diag.List) *site.Graph
	// loadTheme parses (or reuses) the theme's layouts.
	loadTheme(fsys fs.FS, cfg *config.Site, assets map[string]render.Asset) (*render.Theme, diag.List)
	// outputs lists every output of r (r.Outputs, or the same list kept
	// from the last build when nothing it depends on changed).
	outputs(r *render.Renderer) []render.Output
	// chooseOutputs returns the outputs to render this time; the others
	// are unchanged since the previous build.
	chooseOutputs(s *Stages, outs []render.Output) []render.Output
	// markdown is the renderer graph used, which the theme uses again to
	// join pages (the print pages).
	markdown() *markdown.Renderer
	// minifier is the build's minifier; nil when it does not minify.
	minifier() *publish.Minifier
	// search builds (or reuses) the search index of the finished graph g.
	search(g *site.Graph) *search.Index
	// searchAlongside says to build the search index while the outputs
	// that do not show it render, and to render every output (a full
	// build); otherwise the index is built first, and chooseOutputs
	// chooses from all the outputs.
	searchAlongside() bool
	// glossary is the glossary graph linked pages' first uses with.
	glossary(g *site.Graph) *markdown.Glossary
	// manifest says whether to work out the new list of published URLs
	// (Result.URLManifest): hjp build writes it, serve never does.
	manifest() bool
	// rendering is called with the outputs about to be rendered.
	rendering(g *site.Graph, outs []render.Output)
	// written is called on a worker after each output is written.
	written(o render.Output)
}

// Stages is what a build has made by the time it renders: the settings,
// the finished graph, the theme and its fingerprinted assets.
type Stages struct {
	Config *config.Site
	Graph  *site.Graph
	Theme  *render.Theme
	Assets map[string]render.Asset
	// Outputs is every output file of the site, sorted by path.
	Outputs []render.Output
}

// fullPlan renders everything.
type fullPlan struct {
	workers int
	md      *markdown.Renderer
	min     *publish.Minifier
	// gloss is the glossary compiled for the graph's Markdown, which
	// the renderer uses again (the print pages).
	gloss *markdown.Glossary
}

func (*fullPlan) contentCache(*config.Site) *content.Cache { return nil }

func (p *fullPlan) graph(cfg *config.Site, set *content.Set, l *diag.List) *site.Graph {
	return makeGraph(cfg, set, l, func(g *site.Graph, l *diag.List) []markdown.Doc {
		var glossaryPage *site.Page
		p.gloss, glossaryPage = Glossary(g)
		return renderMarkdown(g, p.md, p.gloss, glossaryPage, p.workers, l)
	})
}

// makeGraph places the pages of set, renders their Markdown with
// renderMarkdown (docs[i] belongs to g.Pages[i]) and finishes the graph.
func makeGraph(cfg *config.Site, set *content.Set, l *diag.List, renderMarkdown func(*site.Graph, *diag.List) []markdown.Doc) *site.Graph {
	g, d := site.New(cfg, set)
	l.Add(d...)
	docs := renderMarkdown(g, l)
	l.Add(g.Finish(docs)...)
	return g
}

func (p *fullPlan) loadTheme(fsys fs.FS, cfg *config.Site, assets map[string]render.Asset) (*render.Theme, diag.List) {
	return loadTheme(fsys, cfg, assets, p.min)
}

// outputs and chooseOutputs are not called (searchAlongside): a full
// build lists its outputs as it indexes the site, and renders them all.
func (*fullPlan) outputs(r *render.Renderer) []render.Output { return r.Outputs() }

func (*fullPlan) chooseOutputs(_ *Stages, outs []render.Output) []render.Output { return outs }

func (*fullPlan) manifest() bool { return true }

func (*fullPlan) searchAlongside() bool { return true }

func (p *fullPlan) markdown() *markdown.Renderer { return p.md }

func (p *fullPlan) minifier() *publish.Minifier { return p.min }

// rendering drops the Markdown source of every page no output joins (a
// print page renders its section's pages again): by now every page is
// rendered and checked, and later diagnostics name only a page's first
// line, so each page keeps just its front matter. At 10,000 pages that
// is 80 of the ~330 MB live while rendering, which the collector would
// otherwise work around to the end.
func (*fullPlan) rendering(g *site.Graph, outs []render.Output) {
	joined := map[string]bool{}
	for _, o := range outs {
		if o.Joins != "" {
			joined[o.Joins] = true
		}
	}
	for _, p := range g.Pages {
		if joined[p.Section] || p.File == nil {
			continue
		}
		p.File = diag.NewFile(p.File.Path, bytes.Clone(p.File.Src[:p.BodyOffset]))
		p.Body = nil
	}
}

// written drops a page's rendered Markdown once its own file is out, and
// what other outputs let go of (the search index's files): nothing else
// reads them in a full build, and at 10,000 pages they are two thirds of
// the live heap when rendering starts (155 of 245 MB), which the
// collector would otherwise keep working around to the end.
func (*fullPlan) written(o render.Output) {
	if o.Content && o.Page != nil {
		o.Page.Doc.HTML = nil
	}
	if o.Release != nil {
		o.Release()
	}
}

func (p *fullPlan) glossary(*site.Graph) *markdown.Glossary { return p.gloss }

// search indexes the site, then frees the pages' plain text and the
// index's query structures: only the encoder reads them, and at 10,000
// pages they are ~55 MB held through rendering. (The incremental plan
// keeps them, to reuse the index and its analysis on the next build.)
func (p *fullPlan) search(g *site.Graph) *search.Index {
	ix := search.BuildSite(g, search.Options{Workers: p.workers})
	ix.Shed()
	for _, pg := range g.Pages {
		pg.Doc.Sections = nil
	}
	return ix
}

// run is the pipeline: config, content, graph, Markdown, theme and assets,
// then the outputs p chooses, theme assets and static files into sink.
func run(fsys fs.FS, opts Options, sink publish.Sink, p plan) (res Result) {
	start := time.Now()
	// res is named so that this runs on the value returned: --strict and
	// the sort apply to every return below.
	defer func() {
		if opts.Strict {
			res.Diags = res.Diags.Strict()
		}
		res.Diags = res.Diags.Sort()
		res.Elapsed = time.Since(start)
	}()
	cfg, d := config.Load(fsys, config.Options{BaseURL: opts.BaseURL, Drafts: opts.Drafts, Getenv: opts.Getenv})
	res.Diags.Add(d...)
	if cfg == nil {
		return res
	}
	// The theme and its assets depend on the settings alone: they load
	// while the content is read and converted, whose serial moments
	// leave a core free.
	out, transform := minifying(p.minifier(), sink)
	type themed struct {
		assets map[string]render.Asset
		files  []publish.File
		theme  *render.Theme
		diags  diag.List
	}
	themeDone := make(chan themed, 1)
	go func() {
		var t themed
		var d diag.List
		t.assets, t.files, t.diags = publish.Assets(fsys, "themes/"+cfg.Theme+"/assets", transform)
		t.theme, d = p.loadTheme(fsys, cfg, t.assets)
		t.diags.Add(d...)
		themeDone <- t
	}()
	set, d := content.Load(fsys, cfg, content.LoadOptions{Drafts: opts.Drafts, Cache: p.contentCache(cfg)})
	res.Diags.Add(d...)
	if opts.ContentRead != nil {
		opts.ContentRead(set.Bytes)
	}
	g := p.graph(cfg, set, &res.Diags)
	res.Pages = len(g.Pages)

	t := <-themeDone
	res.Diags.Add(t.diags...)
	theme, assets, assetFiles := t.theme, t.assets, t.files
	if theme == nil || res.Diags.Errors() > 0 {
		return res
	}
	if opts.HTMLTemplate {
		theme.HTMLTemplateOnly()
	}
	r := &render.Renderer{G: g, Theme: theme, Assets: assets, FS: fsys, Markdown: p.markdown(), Glossary: p.glossary(g)}
	var st *Stages
	var chosen []render.Output
	var rendered map[string]bool
	if p.searchAlongside() {
		// The site is indexed while the other outputs render: the
		// index's serial steps (numbering the terms, encoding the
		// shards) and listing the outputs would each leave a core idle
		// for tens of milliseconds. The search outputs join the
		// workers when the index is done.
		searched := make(chan []render.Output, 1)
		go func() {
			r.Search = p.search(g)
			searched <- r.SearchOutputs()
		}()
		outs := r.OutputsButSearch()
		p.rendering(g, outs)
		var late []render.Output
		late, rendered = writeOutputs(outs, searched, out, opts.Workers, &res.Diags, p.written)
		// Every output was chosen and rendered, the search outputs too.
		chosen = slices.Concat(outs, late)
		st = &Stages{Config: cfg, Graph: g, Theme: theme, Assets: assets, Outputs: slices.SortedFunc(slices.Values(chosen), render.ByPath)}
		res.Rendered = len(chosen)
	} else {
		r.Search = p.search(g)
		st = &Stages{Config: cfg, Graph: g, Theme: theme, Assets: assets, Outputs: p.outputs(r)}
		chosen = p.chooseOutputs(st, st.Outputs)
		res.Rendered = len(chosen)
		p.rendering(g, st.Outputs)
		_, rendered = writeOutputs(chosen, nil, out, opts.Workers, &res.Diags, p.written)
	}
	res.Templates = theme.TemplateStats()
	written := make(map[string]bool, len(st.Outputs))
	for _, o := range st.Outputs {
		written[o.Path] = true
	}
	for _, o := range chosen {
		if !rendered[o.Path] {
			delete(written, o.Path)
		}
	}
	for _, f := range assetFiles {
		res.addWrite(sink.WriteFile(f.Path, f.Data), f.Path)
		written[f.Path] = true
	}
	res.Diags.Add(writeThemeStatic(fsys, cfg.Theme, set.Static, out, written)...)
	for _, p := range set.Static {
		rel := strings.TrimPrefix(p, "content/")
		if written[rel] {
			res.Diags.Errorf(p, 1, 1, "this file would overwrite the generated file /%s: rename it", rel)
			continue
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			res.Diags.Errorf(p, 1, 1, "cannot read: %v", err)
			continue
		}
		res.addStatic(out.WriteFile(rel, b), p, rel)
		written[rel] = true
	}
	res.Diags.Add(g.CheckURLs(func(u string) bool { return written[render.FilePath(u)] })...)
	res.Diags.Add(g.CheckManifest(set.URLs)...)
	if p.manifest() && !opts.Drafts {
		if urls, changed := g.MergeManifest(set.URLs); changed {
			res.URLManifest = content.FormatURLManifest(urls)
		}
	}
	res.Files = len(written)
	return res
}

func (r *Result) addWrite(err error, path string) {
	if err != nil {
		r.Diags.Errorf("public/"+path, 1, 1, "cannot write: %v", err)
	}
}

// RenderMarkdown converts every page's Markdown on all workers; docs[i]
// belongs to g.Pages[i].
func RenderMarkdown(g *site.Graph, md *markdown.Renderer, workers int, l *diag.List) []markdown.Doc {
	glossary, glossaryPage := Glossary(g)
	return renderMarkdown(g, md, glossary, glossaryPage, workers, l)
}

// renderMarkdown is RenderMarkdown with the site's glossary compiled:
// every page but glossaryPage links its terms' first uses.
func renderMarkdown(g *site.Graph, md *markdown.Renderer, glossary *markdown.Glossary, glossaryPage *site.Page, workers int, l *diag.List) []markdown.Doc {
	docs := make([]markdown.Doc, len(g.Pages))
	diags := make([]diag.List, len(g.Pages))
	parallel(len(g.Pages), workers, func(i int) {
		p := g.Pages[i]
		in := markdown.Input{
			File: p.File, Body: p.Body, Offset: p.BodyOffset,
			RawHTML: p.Meta.RawHTML, Resolver: g.Resolver(p),
		}
		if p != glossaryPage {
			in.Glossary = glossary
		}
		docs[i], diags[i] = md.Render(in)
	})
	for _, d := range diags {
		l.Add(d...)
	}
	return docs
}

// WriteOutputs renders outputs on all workers and writes each to sink as
// soon as it is ready. It returns the set of paths written.
func WriteOutputs(outs []render.Output, sink publish.Sink, workers int, l *diag.List) map[string]bool {
	_, written := writeOutputs(outs, nil, sink, workers, l, nil)
	return written
}

// writeOutputs is WriteOutputs calling done (when not nil) after each
// output, written or not. When later is not nil, the workers also render
// the outputs it sends (once), ahead of those left of outs, and do not
// stop before it has sent; the outputs it sent are returned.
func writeOutputs(outs []render.Output, later <-chan []render.Output, sink publish.Sink, workers int, l *diag.List, done func(render.Output)) ([]render.Output, map[string]bool) {
	raw := publish.Unminified(sink)
	order := renderOrder(outs)
	errs := make([]error, len(outs))
	var (
		mu       sync.Mutex
		arrived  = sync.NewCond(&mu)
		next     int // of order
		late     []render.Output
		lateErrs []error
		lateNext int
		waiting  = later != nil
	)
	if later != nil {
		go func() {
			extra := <-later
			mu.Lock()
			late, lateErrs, waiting = extra, make([]error, len(extra)), false
			mu.Unlock()
			arrived.Broadcast()
		}()
	}
	// take returns the next output and where its error goes; nil when
	// there is none left.
	take := func() (*render.Output, *error) {
		mu.Lock()
		defer mu.Unlock()
		for {
			switch {
			case lateNext < len(late):
				lateNext++
				return &late[lateNext-1], &lateErrs[lateNext-1]
			case next < len(order):
				next++
				return &outs[order[next-1]], &errs[order[next-1]]
			case !waiting:
				return nil, nil
			}
			arrived.Wait()
		}
	}
	// One buffer per worker, kept for the whole build: a sync.Pool is
	// emptied by every collection (dozens in a big build), and the
	// buffers grew again from nothing each time.
	pending := len(outs)
	if later != nil {
		pending++ // a worker for what later sends, however few outs are
	}
	n := workerCount(workers, pending)
	bufs := make([]bytes.Buffer, n)
	var wg sync.WaitGroup
	for w := range n {
		wg.Go(func() {
			buf := &bufs[w]
			for {
				o, errp := take()
				if o == nil {
					return
				}
				buf.Reset()
				to := sink
				if o.Compact {
					to = raw
				}
				if err := o.Render(buf); err != nil {
					*errp = err
				} else if err := to.WriteFile(o.Path, buf.Bytes()); err != nil {
					*errp = fmt.Errorf("cannot write %s: %w", o.Path, err)
				}
				if done != nil {
					done(*o)
				}
			}
		})
	}
	wg.Wait()
	written := make(map[string]bool, len(outs)+len(late))
	report := func(outs []render.Output, errs []error) {
		for i, err := range errs {
			switch e := err.(type) {
			case nil:
				written[outs[i].Path] = true
			case diag.Diagnostic:
				l.Add(e)
			default:
				l.Errorf("public/"+outs[i].Path, 1, 1, "%v", err)
			}
		}
	}
	report(outs, errs)
	report(late, lateErrs)
	return late, written
}

// renderOrder orders outputs for rendering. First the outputs that let
// go of their data once written (the search index's files in an
// incremental build: quick to write, and 70 MB at 10,000 pages). Then
// the pages' own files, which let go of the pages' rendered Markdown
// (93 MB at 10,000 pages), with the generated lists (terms, the
// reference list, sections, the home page) spread over the first three
// quarters of them: each list can take as long as hundreds of pages, and
// one started last would keep a single core busy while the others sit
// idle. Last the small files (citations, redirects, feeds), which even
// out the workers' finishing times. Rendering all the lists first kept
// every page's Markdown on the heap until the lists were done, half the
// build: the collector then ran twice as often, working around it.
func renderOrder(outs []render.Output) []int {
	var releasing, lists, pages, small []int
	for i, o := range outs {
		switch {
		case o.Release != nil:
			releasing = append(releasing, i)
		case isList(o):
			lists = append(lists, i)
		case o.Content:
			pages = append(pages, i)
		default:
			small = append(small, i)
		}
	}
	order := make([]int, 0, len(outs))
	order = append(order, releasing...)
	// lists[k] goes before pages[k*span/len(lists)].
	span, k := len(pages)*3/4, 0
	for j, p := range pages {
		for k < len(lists) && k*span <= j*len(lists) {
			order = append(order, lists[k])
			k++
		}
		order = append(order, p)
	}
	order = append(order, lists[k:]...)
	return append(order, small...)
}

// isList reports whether o is a generated list, or a section or home
// page, which lists many pages: the outputs that take longest.
func isList(o render.Output) bool {
	if o.Page != nil {
		return o.Page.Kind == content.KindSection || o.Page.Kind == content.KindHome
	}
	return strings.HasSuffix(o.Path, ".html") && o.Layout != "alias"
}

// parallel calls fn(i) for i in [0, n) on workers goroutines.
func parallel(n, workers int, fn func(i int)) {
	parallelWorkers(n, workers, func(_, i int) { fn(i) })
}

// workerCount is the number of goroutines parallel starts for n items:
// workers, or one per core when workers <= 0, but no more than n.
func workerCount(workers, n int) int {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return max(1, min(workers, n))
}

// parallelWorkers is parallel telling fn which worker (0 to
// workerCount-1) runs it, so workers can keep their own scratch space.
func parallelWorkers(n, workers int, fn func(w, i int)) {
	workers = workerCount(workers, n)
	if workers <= 1 {
		for i := range n {
			fn(0, i)
		}
		return
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	for w := range workers {
		wg.Go(func() {
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				fn(w, i)
			}
		})
	}
	wg.Wait()
}
