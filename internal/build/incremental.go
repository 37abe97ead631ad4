package build

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"maps"
	"slices"
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

// Incremental builds one site again and again into memory (hjp serve). It
// keeps each file's parse result by content hash, each page's rendered
// Markdown together with the questions it asked the graph (reused while
// the graph gives the same answers), and the previous good build's files,
// so a rebuild renders only the outputs a change can reach: the changed
// page, the pages that show it (parent, children, siblings, related and
// linking pages, terms, layouts listing its kind) and the site-wide index
// files. A change to site.yaml, the layouts or the theme's assets renders
// everything. It is not safe for concurrent use.
type Incremental struct {
	fsys  fs.FS
	opts  Options
	md    *markdown.Renderer
	min   *publish.Minifier // nil unless opts.Minify
	cache *content.Cache
	// cacheFor is the hash of the site.yaml the parse cache was made with.
	cacheFor [32]byte
	docs     map[string]*docEntry
	// sigs caches each page's sig by its bytes and URL.
	sigs map[string]sigEntry
	// answers is the answersKey of the last build's graph.
	answers [32]byte
	prev    *snapshot
	seed    maphash.Seed
	// graph is the last finished graph and what it was made from, for
	// builds where only body text changed.
	graph *graphState
	// theme is the last parsed theme, reused while its layouts, name and
	// assets are the same (parsing and escaping templates is most of a
	// small rebuild's work).
	theme *cachedTheme
	// search is the last search index, reused while the pages give the
	// same documents.
	search *searchState
	// gloss is the last compiled glossary.
	gloss *glossaryState
	// outs is the last build's list of outputs and the renderer that
	// made it.
	outs *cachedOutputs
	// pending is the search work the last good BuildPages left for
	// BuildSearch, or nil when the published search files are current.
	pending *SearchJob
}

type cachedTheme struct {
	name      string
	layoutSum [32]byte
	assets    map[string]render.Asset
	theme     *render.Theme
}

// Rebuild is the result of one Incremental build. Its URLManifest is
// always nil: serve does not record published URLs.
type Rebuild struct {
	Result
	// Files is the whole built site, by output path (nil when the build
	// failed). It is never changed afterwards.
	Files map[string][]byte
	// Changed lists the output paths that are new or whose bytes changed
	// since the last good build; Removed those that are gone. Both sorted.
	Changed, Removed []string
	// Assets are the theme's fingerprinted assets of this build;
	// PrevAssets those of the last good build (nil for the first).
	Assets, PrevAssets map[string]render.Asset
	// RenderedPaths lists the output paths rendered by this build, sorted
	// (Result.Rendered counts them).
	RenderedPaths []string
	// Markdown counts the pages whose Markdown was rendered, not reused.
	Markdown int
	// Full says why every output was rendered; "" when only what a change
	// can reach was.
	Full string
	// GraphReused is set when only pages' body text changed, so the last
	// build's site graph was kept with the new text in it.
	GraphReused bool
}

// NewIncremental returns a builder for the site at the source root fsys.
func NewIncremental(fsys fs.FS, opts Options) *Incremental {
	m := newMinifier(opts)
	return &Incremental{fsys: fsys, opts: opts, md: newMarkdown(m), min: m, docs: map[string]*docEntry{}, seed: maphash.MakeSeed()}
}

// Build builds the site. On failure the last good build stays the one
// later builds are compared with.
func (b *Incremental) Build() Rebuild { return b.build(false) }

func (b *Incremental) build(deferSearch bool) Rebuild {
	sum := b.fileSum(config.SitePath)
	if b.cache == nil || sum != b.cacheFor {
		b.cache, b.cacheFor = content.NewCache(), sum
	}
	p := &incPlan{b: b, workers: b.opts.Workers, siteSum: sum, deferSearch: deferSearch}
	sink := publish.NewMemory()
	res := run(b.fsys, b.opts, sink, p)
	out := Rebuild{Result: res, Markdown: p.rendered, Full: p.full, GraphReused: p.patched != nil}
	out.RenderedPaths = slices.Sorted(maps.Keys(p.chosen))
	if b.prev != nil {
		out.PrevAssets = b.prev.assets
	}
	if res.Failed() || p.next == nil {
		if p.patched != nil {
			// The patched graph may not match any good build now.
			b.graph = nil
		}
		return out
	}
	start := time.Now()
	next := p.next
	next.outputs = make([]string, len(p.stages.Outputs))
	for i, o := range p.stages.Outputs {
		next.outputs[i] = o.Path
	}
	next.search = p.index
	next.searchOuts = nil
	for _, o := range p.stages.Outputs {
		if o.Search {
			next.searchOuts = append(next.searchOuts, o.Path)
		}
	}
	b.pending = p.job
	next.extras = map[string]bool{}
	for path := range sink.Files {
		if !p.chosen[path] {
			next.extras[path] = true // theme assets, static files
		}
	}
	if b.prev != nil && slices.Equal(b.prev.outputs, next.outputs) {
		next.files, out.Changed, out.Removed = b.prev.update(sink.Files)
	} else {
		next.files = make(map[string][]byte, len(p.stages.Outputs)+len(sink.Files))
		for _, o := range p.stages.Outputs {
			if !p.chosen[o.Path] && b.prev != nil {
				if data, ok := b.prev.files[o.Path]; ok {
					next.files[o.Path] = data
				}
			}
		}
		maps.Copy(next.files, sink.Files)
		out.Changed, out.Removed = diffFiles(b.prevFiles(), next.files)
	}
	out.Files = next.files
	out.Assets = next.assets
	b.prev = next
	out.Elapsed += time.Since(start)
	return out
}

// update returns the previous build's files with written put in, when
// the outputs are the same list: only what this build wrote can have
// changed, and only files written outside the outputs (assets, static
// files) can be gone.
func (s *snapshot) update(written map[string][]byte) (files map[string][]byte, changed, removed []string) {
	files = maps.Clone(s.files)
	for path := range s.extras {
		if _, ok := written[path]; !ok {
			delete(files, path)
			removed = append(removed, path)
		}
	}
	for path, data := range written {
		if old, ok := files[path]; !ok || !sameBytes(old, data) {
			changed = append(changed, path)
		}
		files[path] = data
	}
	slices.Sort(changed)
	slices.Sort(removed)
	return files, changed, removed
}

func (b *Incremental) prevFiles() map[string][]byte {
	if b.prev == nil {
		return nil
	}
	return b.prev.files
}

func diffFiles(old, cur map[string][]byte) (changed, removed []string) {
	for p, data := range cur {
		prev, ok := old[p]
		if !ok || !sameBytes(prev, data) {
			changed = append(changed, p)
		}
	}
	for p := range old {
		if _, ok := cur[p]; !ok {
			removed = append(removed, p)
		}
	}
	slices.Sort(changed)
	slices.Sort(removed)
	return changed, removed
}

// sameBytes compares two byte slices, quickly when they share storage.
func sameBytes(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true
	}
	return bytes.Equal(a, b)
}

// fileSum hashes a file of the source root; a missing file hashes as empty.
func (b *Incremental) fileSum(name string) [32]byte {
	data, err := fs.ReadFile(b.fsys, name)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		// Unreadable now: make sure the next readable state differs.
		return sha256.Sum256([]byte("unreadable: " + err.Error()))
	}
	return sha256.Sum256(data)
}

// layoutSum hashes every file of the layout folders, so an edit to any
// layout or partial is seen.
func (b *Incremental) layoutSum(theme string) [32]byte {
	h := sha256.New()
	dirs, _ := render.ThemeDirs(theme)
	for _, dir := range dirs {
		fs.WalkDir(b.fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			data, _ := fs.ReadFile(b.fsys, p)
			fmt.Fprintf(h, "%s\x00%d\x00", p, len(data))
			h.Write(data)
			return nil
		})
	}
	var s [32]byte
	h.Sum(s[:0])
	return s
}

// incPlan is the plan of one incremental build.
type incPlan struct {
	b       *Incremental
	workers int
	siteSum [32]byte
	// layoutSum hashes this build's layout files.
	layoutSum [32]byte
	// rendered counts the pages whose Markdown was rendered.
	rendered int
	stages   *Stages
	chosen   map[string]bool
	full     string
	next     *snapshot
	// patched is set when the last graph was reused with new body text
	// for these pages (see Incremental.patch); empty when nothing changed.
	patched map[string]bool
	// gloss is the glossary of this build's graph.
	gloss *glossaryState
	// assets are this build's theme assets.
	assets map[string]render.Asset
	// deferSearch asks to keep the last good build's search outputs
	// (BuildPages); job is then the work left for BuildSearch, nil when
	// the index was made now (the first build, a full one).
	deferSearch bool
	job         *SearchJob
	// index is the search index this build's outputs show.
	index *search.Index
}

func (p *incPlan) contentCache(*config.Site) *content.Cache { return p.b.cache }

func (p *incPlan) loadTheme(fsys fs.FS, cfg *config.Site, assets map[string]render.Asset) (*render.Theme, diag.List) {
	p.layoutSum = p.b.layoutSum(cfg.Theme)
	p.assets = assets
	if c := p.b.theme; c != nil && c.name == cfg.Theme && c.layoutSum == p.layoutSum && maps.Equal(c.assets, assets) {
		return c.theme, nil
	}
	theme, d := loadTheme(fsys, cfg, assets, p.b.min)
	p.b.theme = nil
	if theme != nil && d.Errors() == 0 {
		p.b.theme = &cachedTheme{name: cfg.Theme, layoutSum: p.layoutSum, assets: assets, theme: theme}
	}
	return theme, d
}

func (p *incPlan) chooseOutputs(st *Stages, outs []render.Output) []render.Output {
	p.stages = st
	prev := p.b.prev
	p.full = p.fullReason()
	var chosen map[string]bool
	if p.patched != nil && p.full == "" {
		// Only body text changed: the graph is the last one, patched.
		p.next = prev.withBodies(p.patched)
		chosen = bodiesAffected(p.next, p.patched, outs)
	} else {
		p.next = p.b.snapshot(st, p.siteSum, p.layoutSum)
		if p.full == "" {
			chosen = affected(prev, p.next, st)
		}
	}
	p.chosen = make(map[string]bool, len(outs))
	if p.full != "" {
		for _, o := range outs {
			p.chosen[o.Path] = true
		}
		return outs
	}
	var out []render.Output
	for _, o := range outs {
		if o.Search && p.job != nil {
			continue // the last good build's, until BuildSearch
		}
		if chosen[o.Path] {
			p.chosen[o.Path] = true
			out = append(out, o)
		}
	}
	return out
}

// cachedOutputs is a build's list of outputs and the renderer they
// render with.
type cachedOutputs struct {
	r    render.Renderer
	list []render.Output
}

// outputs reuses the last build's list of outputs when only pages' body
// text changed (a patched graph) and the renderer has the same graph,
// theme, assets, glossary and search index: the list and everything it
// holds come from those (outputs make their views from the graph when
// rendered), and making it for a big site takes tens of milliseconds.
func (p *incPlan) outputs(r *render.Renderer) []render.Output {
	if c := p.b.outs; c != nil && p.patched != nil && c.r.G == r.G && c.r.Theme == r.Theme && maps.Equal(c.r.Assets, r.Assets) &&
		c.r.Markdown == r.Markdown && c.r.Glossary == r.Glossary && c.r.Search == r.Search {
		// The list's outputs draw with the renderer that listed them:
		// forget what it drew for the last build.
		c.r.ResetCache()
		return c.list
	}
	list := r.Outputs()
	p.b.outs = &cachedOutputs{r: *r, list: list}
	return list
}

// manifest is false: hjp serve never writes content/.urls (hjp build
// does), and merging a big site's URLs takes milliseconds per build.
func (p *incPlan) manifest() bool { return false }

// searchAlongside is false: the outputs to render are chosen from the
// whole list, the search outputs with the rest.
func (p *incPlan) searchAlongside() bool { return false }

// rendering and written keep everything: the next build compares and
// reuses it.
func (*incPlan) rendering(*site.Graph, []render.Output) {}

func (*incPlan) written(render.Output) {}

// fullReason says why this build must render everything, or "" when
// only what the change reaches need be: a first build, or a change to
// site.yaml, the layouts or the theme's assets, which every page shows.
func (p *incPlan) fullReason() string {
	prev := p.b.prev
	switch {
	case prev == nil:
		return "first build"
	case prev.siteSum != p.siteSum:
		return "site.yaml changed"
	case prev.layoutSum != p.layoutSum:
		return "layouts changed"
	case !maps.Equal(prev.assets, p.assets):
		return "theme assets changed"
	}
	return ""
}

var _ plan = (*incPlan)(nil)
