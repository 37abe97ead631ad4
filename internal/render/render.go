package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"hjp/internal/content"
	"hjp/internal/diag"
	"hjp/internal/markdown"
	"hjp/internal/search"
	"hjp/internal/site"
)

// Asset is a theme asset as pages refer to it.
type Asset struct {
	// URL is the fingerprinted site path ("/assets/style.3f2a….css").
	URL string
	// Integrity is the Subresource Integrity value ("sha384-…").
	Integrity string
	// Width and Height are a PNG, JPEG or GIF image's size in pixels, so
	// pages can give them (sharing meta, layout without shifts); 0 for
	// other files.
	Width, Height int
}

// Renderer turns the graph into output files.
type Renderer struct {
	G      *site.Graph
	Theme  *Theme
	Assets map[string]Asset
	// FS is the source root, for template error positions.
	FS fs.FS
	// Markdown and Glossary render pages again where the theme joins them
	// (the print pages); nil Markdown means a new renderer.
	Markdown *markdown.Renderer
	Glossary *markdown.Glossary
	// Search is the site's search index, written with the search page;
	// nil for a build without one.
	Search *search.Index

	// cache holds the partials drawn by View.Cached in this build; it is
	// made by Outputs and emptied by ResetCache. A pointer, so copies of
	// the renderer share it.
	cache *drawings
}

// drawings are the partials View.Cached has drawn, by cacheKey. (A map
// under a read-write lock, not a sync.Map: boxing the key for a sync.Map
// cost more than the lock, as every page looks up a dozen drawings.)
type drawings struct {
	mu sync.RWMutex
	m  map[cacheKey]template.HTML
	// models holds the view models shared by the build's pages, each
	// made once (findingsModel, evidenceMap) and only read afterwards.
	models      sync.Mutex
	findings    *findingsModel
	evidenceMap *Matrix
}

// model returns *p, made by make the first time (make must not call
// model: the lock is held).
func model[T any](d *drawings, p **T, make func() *T) *T {
	d.models.Lock()
	defer d.models.Unlock()
	if *p == nil {
		*p = make()
	}
	return *p
}

func (d *drawings) load(k cacheKey) (template.HTML, bool) {
	d.mu.RLock()
	h, ok := d.m[k]
	d.mu.RUnlock()
	return h, ok
}

// store keeps h unless another worker drew k first, and returns the
// drawing kept.
func (d *drawings) store(k cacheKey, h template.HTML) template.HTML {
	d.mu.Lock()
	defer d.mu.Unlock()
	if prev, ok := d.m[k]; ok {
		return prev
	}
	if d.m == nil {
		d.m = map[cacheKey]template.HTML{}
	}
	d.m[k] = h
	return h
}

// ResetCache forgets the partials drawn so far: an incremental build
// that renders outputs listed by an earlier build (and so bound to its
// renderer) calls it first, as their data may have changed since.
func (r *Renderer) ResetCache() {
	if r.cache != nil {
		r.cache.mu.Lock()
		clear(r.cache.m)
		r.cache.mu.Unlock()
		r.cache.models.Lock()
		r.cache.findings, r.cache.evidenceMap = nil, nil
		r.cache.models.Unlock()
	}
}

// Output is one file of the built site.
type Output struct {
	// Path is the file's path in the output folder ("guide/x/index.html").
	Path string
	// Page is the content page the file shows, if any.
	Page *site.Page
	// Layout is the theme layout that renders the file ("" for files
	// made without one, like _redirects).
	Layout string
	// Listing is set on a file made without a layout that shows pages'
	// front matter, URLs and relations but never their body text
	// (sitemap, feed, datasets, redirects): an incremental build need not
	// render it again when only body text changed. Leave it unset on a
	// file that holds text (a search index).
	Listing bool
	// Joins is the section whose pages the file shows in full, body text
	// and all (a print page): an incremental build renders it again when
	// one of them changes. Empty for other files.
	Joins string
	// Search is set on the files that show the search index: its files
	// and the search page, which names the index's metadata file. hjp
	// serve brings them up to date after the other files (see
	// build.Incremental.BuildPages).
	Search bool
	// Compact is set on output that is minified already, which a
	// minifying build writes as it is: the search index's JSON (from
	// encoding/json), and pages when the theme's layouts and the pages'
	// Markdown are minified (Theme.Minified, markdown.Renderer.Minify).
	Compact bool
	// Content is set on a page's own HTML file, the only file that shows
	// the page's rendered Markdown (Page.Doc.HTML): a full build drops
	// that HTML once the file is written, so the heap shrinks as pages
	// go out (see build.fullPlan.written).
	Content bool
	// Release, when set, lets go of what the output holds for Render;
	// a full build calls it once the file is written (see
	// build.fullPlan.written). Render must not be called after it.
	Release func()
	gen     func(buf *bytes.Buffer) error
}

// Render writes the file's bytes into buf.
func (o Output) Render(buf *bytes.Buffer) error { return o.gen(buf) }

// Funcs returns the template functions layouts may call. assets may be nil
// while a theme is only being checked.
func Funcs(assets map[string]Asset) template.FuncMap {
	return template.FuncMap{
		"asset": func(name string) (Asset, error) {
			a, ok := assets[name]
			if !ok {
				return Asset{}, fmt.Errorf("no asset %q in the theme's assets folder", name)
			}
			return a, nil
		},
		"reference": memoReferenceHTML(),
		"longDate":  LongDate,
		"kindLabel": func(k content.Kind) string { return content.KindLabel(k) },
		"kindPlural": func(k content.Kind) string {
			return site.KindPlural(k)
		},
		"refAnchor":  site.RefAnchor,
		"groupKinds": site.GroupByKind,
		"toc":        TOC,
		"add":        func(a, b int) int { return a + b },
	}
}

// TOC returns the headings of a contents list: the H2s and H3s.
func TOC(hs []markdown.Heading) []markdown.Heading {
	n := 0
	for _, h := range hs {
		if h.Level == 2 || h.Level == 3 {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	// Made at its size: grown by append, it was copied four times a page.
	out := make([]markdown.Heading, 0, n)
	for _, h := range hs {
		if h.Level == 2 || h.Level == 3 {
			out = append(out, h)
		}
	}
	return out
}

// layoutFor picks the layout of a page kind, falling back to "page".
func (r *Renderer) layoutFor(k content.Kind) string {
	if r.Theme.Has(string(k)) {
		return string(k)
	}
	if k == content.KindFundingChapter && r.Theme.Has("chapter") {
		return "chapter"
	}
	return "page"
}

// layoutForPage picks a page's layout: a section page uses the layout
// named after its section when the theme has one (the findings section
// uses "findings", the findings index), otherwise its kind's.
func (r *Renderer) layoutForPage(p *site.Page) string {
	if p.Kind == content.KindSection && p.Section != "" && r.Theme.Has(p.Section) {
		return p.Section
	}
	return r.layoutFor(p.Kind)
}

// Outputs lists every file the theme produces, sorted by path. Listing
// is cheap: each file's view is made when the file is rendered, on the
// worker that renders it, and dropped with it.
func (r *Renderer) Outputs() []Output {
	outs := append(r.OutputsButSearch(), r.SearchOutputs()...)
	slices.SortFunc(outs, ByPath)
	return outs
}

// ByPath orders outputs by path, as Outputs lists them.
func ByPath(a, b Output) int { return strings.Compare(a.Path, b.Path) }

// OutputsButSearch lists the files of Outputs but those of SearchOutputs,
// in no particular order: nothing in it needs the search index, so a
// build can render them while it makes the index.
func (r *Renderer) OutputsButSearch() []Output {
	if r.cache == nil {
		r.cache = new(drawings)
	}
	outs := make([]Output, 0, 2*len(r.G.Pages))
	for _, p := range r.G.Pages {
		o := r.htmlOutput(FilePath(p.URL), p, r.layoutForPage(p), func() *View { return r.pageView(p) })
		o.Content = true
		outs = append(outs, o)
		if c := CitationOf(r.G.Site, p); c != nil {
			outs = append(outs,
				Output{Path: strings.TrimPrefix(p.URL, "/") + "cite.bib", Page: p, gen: bytesOf(c.BibTeX)},
				Output{Path: strings.TrimPrefix(p.URL, "/") + "cite.ris", Page: p, gen: bytesOf(c.RIS)},
			)
		}
	}
	gen := func(layout, title, url string, set func(*View)) Output {
		return r.htmlOutput(FilePath(url), nil, layout, func() *View { return r.genView(layout, title, url, set) })
	}
	for _, tx := range r.G.Taxonomies {
		outs = append(outs, gen("taxonomy", tx.Title, tx.URL, func(v *View) { v.Taxonomy = tx }))
		for _, t := range tx.Terms {
			outs = append(outs, gen("term", t.Label, t.URL, func(v *View) { v.Taxonomy, v.Term = tx, t }))
		}
	}
	outs = append(outs, gen("references", "References", "/references/", nil))
	outs = append(outs, r.findingsOutputs()...)
	outs = append(outs, gen("404", "Page not found", "/404.html", nil))
	outs = append(outs, r.themeOutputs()...)
	outs = append(outs, r.evidenceMapOutputs()...)
	for _, a := range r.G.Aliases() {
		outs = append(outs, gen("alias", a.To.Meta.Title, a.From, func(v *View) {
			v.Target = a.To
			v.Canonical = r.G.Site.AbsURL(a.To.URL)
			v.Robots = "noindex"
		}))
	}
	outs = append(outs, Output{Path: "_redirects", Listing: true, gen: r.redirects})
	// The sitemap lists the pages of outs; the search outputs have none
	// to list (the search page is not content).
	return append(outs, r.publishing(outs)...)
}

// FilePath gives the output file of a site path: "/x/" → "x/index.html".
func FilePath(u string) string {
	p := strings.TrimPrefix(u, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		return p + "index.html"
	}
	return p
}

func bytesOf(f func() []byte) func(*bytes.Buffer) error {
	return func(buf *bytes.Buffer) error {
		buf.Write(f())
		return nil
	}
}

func (r *Renderer) htmlOutput(path string, p *site.Page, layout string, view func() *View) Output {
	return Output{Path: path, Page: p, Layout: layout, Compact: r.minified(),
		gen: func(buf *bytes.Buffer) error { return r.execute(buf, view()) }}
}

// minified reports whether pages come out minified from the layouts: the
// theme's layouts are minified, and so is the Markdown put in them.
func (r *Renderer) minified() bool {
	return r.Theme.Minified() && r.Markdown != nil && r.Markdown.Minify != nil
}

func (r *Renderer) execute(buf *bytes.Buffer, v *View) error {
	set := r.Theme.set(v.Layout, false)
	if set == nil {
		return diag.Diagnostic{Path: r.Theme.AssetsDir, Line: 1, Col: 1, Message: fmt.Sprintf("the theme has no %q layout", v.Layout)}
	}
	start := buf.Len()
	err := r.Theme.progs.exec(set, buf, v.Layout+".html", v)
	if err != nil && r.Theme.Minified() {
		// The minified layouts' positions are not the files': run the
		// layouts as written, for the error where the editor can find
		// it (or, should only the minified layouts fail, for the page).
		buf.Truncate(start)
		v.plain = true
		err = r.Theme.set(v.Layout, true).ExecuteTemplate(buf, v.Layout+".html", v)
	}
	if err != nil {
		buf.Truncate(start)
		return r.Theme.diagnostic(err, r.FS)
	}
	return nil
}

func (r *Renderer) baseView(layout, title, url string) *View {
	s := r.G.Site
	v := &View{
		r:    r,
		Site: s, G: r.G, Layout: layout, Title: title, URL: url,
		Description: s.Description,
		Canonical:   s.AbsURL(url),
	}
	if !s.Production {
		v.Robots = "noindex, nofollow"
	}
	return v
}

func (r *Renderer) genView(layout, title, url string, set func(*View)) *View {
	v := r.baseView(layout, title, url)
	v.Breadcrumbs = []Crumb{{Title: "Home", URL: "/"}}
	if set != nil {
		set(v)
	}
	if v.Term != nil {
		v.Breadcrumbs = append(v.Breadcrumbs, Crumb{Title: v.Taxonomy.Title, URL: v.Taxonomy.URL})
	}
	return v
}

func (r *Renderer) pageView(p *site.Page) *View {
	v := r.baseView(r.layoutForPage(p), p.Meta.Title, p.URL)
	v.Page = p
	if p.Meta.Summary != "" {
		v.Description = p.Meta.Summary
	}
	v.Content = template.HTML(bytesString(p.Doc.HTML))
	v.Contents = TOC(p.Doc.Headings)
	for a := p.Parent; a != nil; a = a.Parent {
		v.Breadcrumbs = append([]Crumb{{Title: crumbTitle(a), URL: a.URL}}, v.Breadcrumbs...)
	}
	return v
}

func crumbTitle(p *site.Page) string {
	if p.Kind == content.KindHome {
		return "Home"
	}
	return p.Meta.Title
}

// redirects writes Netlify's _redirects: every alias and short link as a
// permanent redirect to its page.
func (r *Renderer) redirects(buf *bytes.Buffer) error {
	buf.WriteString("# Old URLs and permanent short links. Generated by hjp: do not edit.\n")
	for _, a := range r.G.Aliases() {
		// Forced: the HTML fallback page at the old path must not shadow it.
		fmt.Fprintf(buf, "%s %s 301!\n", a.From, a.To.URL)
	}
	return nil
}

// bytesString returns b as a string without copying it, for bytes that
// never change again: a page's rendered Markdown (markdown.Doc.HTML is
// made once by Render and only ever replaced or dropped, never written
// to) and JSON encoded for one page. Copying every page's HTML into a
// string was 8 % of the bytes a build allocated.
func bytesString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
