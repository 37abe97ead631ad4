package render

import (
	"bytes"
	"fmt"
	"html/template"

	"hjp/internal/config"
	"hjp/internal/content"
	"hjp/internal/markdown"
	"hjp/internal/site"
)

// View is what a layout is executed with: the page and everything around
// it, prepared in Go so layouts only lay it out.
type View struct {
	Site *config.Site
	G    *site.Graph
	// Page is the content page, or nil for generated pages (taxonomies,
	// the reference list, the not-found page).
	Page   *site.Page
	Layout string

	Title       string
	Description string
	// URL is the site path; Canonical the absolute URL.
	URL       string
	Canonical string
	// Robots is "noindex, nofollow" for builds that must not be indexed.
	Robots string

	Content     template.HTML
	Contents    []markdown.Heading
	Breadcrumbs []Crumb

	Taxonomy *site.Taxonomy
	Term     *site.Term
	// Target is the page an alias redirects to.
	Target *site.Page
	// Print is the joined publication of a print page.
	Print *PrintDoc

	// Findings is the list of a findings index page (see FindingsIndex).
	Findings *FindingsIndex
	// Search is the search page's view model.
	Search *SearchPage

	// r is the renderer drawing the view, for Cached.
	r *Renderer
	// plain is set when the view is drawn with a minified theme's
	// layouts as written (see Renderer.execute).
	plain bool
}

// Cached draws the partial name with data, once per build for each key,
// and returns the same HTML wherever the layout asks again with that key.
// It is Hugo's partialCached: a partial that shows only what its key names
// (a finding's entry in the findings lists, a page's card) then costs one
// execution however many pages list it; at 10,000 pages the findings
// lists alone show 5,400 findings eight times over. The key must name
// everything the partial shows.
//
// A drawing is kept per layout, as each layout's file may redefine the
// templates a partial calls; one from data other than the View (a Card)
// by templates no layout file changes serves every layout.
func (v *View) Cached(name string, data any, key string) (template.HTML, error) {
	if v.r == nil {
		return "", fmt.Errorf("Cached %q: the view has no renderer", name)
	}
	set := v.r.Theme.set(v.Layout, v.plain)
	if set == nil {
		return "", fmt.Errorf("Cached %q: the theme has no %q layout", name, v.Layout)
	}
	c := v.r.cache
	k := cacheKey{layout: v.Layout, name: name, key: key, plain: v.plain}
	if _, isView := data.(*View); !isView && !v.r.Theme.bound[v.Layout][name] {
		// Drawn from data that carries nothing of the layout, by
		// templates that are the same in every layout's set: one
		// drawing serves every layout (a card is listed by a dozen).
		k.layout = ""
	}
	if c != nil {
		if h, ok := c.load(k); ok {
			return h, nil
		}
	}
	var b bytes.Buffer
	if err := v.r.Theme.progs.exec(set, &b, name, data); err != nil {
		return "", err
	}
	h := b.Bytes()
	if m := v.r.Theme.minifier; m != nil && !v.plain {
		// Drawn once for many pages: worth minifying what the layout
		// put in too (quotes around values, entities).
		var out bytes.Buffer
		out.Grow(len(h))
		if m.HTML(&out, h) == nil {
			h = out.Bytes()
		}
	}
	if c == nil {
		// A renderer whose Outputs were not listed: draw every time.
		return template.HTML(h), nil
	}
	return c.store(k, template.HTML(h)), nil
}

// cacheKey names one drawing of View.Cached. The layout is part of it as
// each layout has its own template set, and plain as the drawings of a
// minified theme's layouts as written (View.plain) are not minified.
type cacheKey struct {
	layout, name, key string
	plain             bool
}

// Crumb is one step of the breadcrumb trail.
type Crumb struct {
	Title string
	URL   string
}

// Kind returns the page kind ("finding"), or "" for generated pages.
func (v *View) Kind() content.Kind {
	if v.Page == nil {
		return ""
	}
	return v.Page.Kind
}

// Vocab returns a vocabulary of the site by name.
func (v *View) Vocab(name string) *config.Vocabulary { return v.Site.Vocab.Get(name) }

// Label returns the label of a vocabulary value.
func (v *View) Label(vocab, key string) string { return v.Site.Vocab.Get(vocab).Label(key) }

// Terms returns the taxonomy terms of a vocabulary that tag the page.
func (v *View) Terms(vocab string) []*site.Term {
	if v.Page == nil {
		return nil
	}
	return v.G.TermsOf(vocab, v.Page)
}

// Related returns the pages of a kind related to this page through front
// matter ("finding", "recommendation", "case-study", "funding-model",
// "chapter").
func (v *View) Related(kind string) []*site.Page {
	if v.Page == nil {
		return nil
	}
	return v.Page.Related[content.Kind(kind)]
}

// Section returns the _index page of a section by name, or nil.
func (v *View) Section(name string) *site.Page { return v.G.Sections[name] }

// OfKind lists the site's pages of one kind in order.
func (v *View) OfKind(kind string) []*site.Page { return v.G.OfKind(content.Kind(kind)) }

// StepNumber returns the position of the page among its parent's
// children of the same kind (1-based) and how many there are, for "Chapter
// 3 of 10".
func (v *View) StepNumber() (n, of int) {
	if v.Page == nil || v.Page.Parent == nil {
		return 0, 0
	}
	for _, c := range v.Page.Parent.Children {
		if c.Kind != v.Page.Kind {
			continue
		}
		of++
		if c == v.Page {
			n = of
		}
	}
	return n, of
}

// Step returns "n of m" for the page's place in its section.
func (v *View) Step() map[string]int {
	n, of := v.StepNumber()
	return map[string]int{"N": n, "Of": of}
}

// Cite returns the suggested citation of a finding or recommendation, or
// nil for other pages.
func (v *View) Cite() *Citation { return CitationOf(v.Site, v.Page) }
