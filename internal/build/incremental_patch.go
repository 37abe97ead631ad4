package build

import (
	"bytes"
	"maps"
	"slices"

	"hjp/internal/config"
	"hjp/internal/content"
	"hjp/internal/diag"
	"hjp/internal/markdown"
	"hjp/internal/search"
	"hjp/internal/site"
)

// graphState is a finished graph, the content it was made from and the
// diagnostics making it gave.
type graphState struct {
	set     *content.Set
	g       *site.Graph
	diags   diag.List
	siteSum [32]byte
	// gloss is the graph's glossary (front matter, so a patch keeps it).
	gloss *glossaryState
	// docs are the graph's search documents and defs its facets, once a
	// build has made them; docAt maps a page's URL to its document.
	docs  []search.Doc
	defs  []search.FacetDef
	docAt map[string]int
}

// graph makes the site graph: the last one patched when only body text
// changed, otherwise a new one through makeGraph.
func (p *incPlan) graph(cfg *config.Site, set *content.Set, l *diag.List) *site.Graph {
	b := p.b
	if g, changed, ok := b.patch(set, p.siteSum); ok {
		l.Add(b.graph.diags...)
		p.gloss = b.graph.gloss
		p.patched = changed
		p.rendered += len(changed)
		return g
	}
	var d diag.List
	g := makeGraph(cfg, set, &d, func(g *site.Graph, l *diag.List) []markdown.Doc { return p.renderMarkdown(g, set, l) })
	l.Add(d...)
	if d.Errors() == 0 {
		// A graph with errors is never patched: the next build compares
		// with the last good one, so fixing a broken save (or an editor's
		// half-written file) is again a text-only change.
		b.graph = &graphState{set: set, g: g, diags: d, siteSum: p.siteSum, gloss: p.gloss}
	}
	return g
}

// patch reuses the last graph when the new content differs from the one
// it was made from only in pages' body text, and the new text has the
// same headings, links and citations and renders without problems: then
// nothing in the graph changes but those pages' HTML. Making a graph of
// a big site takes most of a rebuild; a typing editor changes only text.
func (b *Incremental) patch(set *content.Set, siteSum [32]byte) (*site.Graph, map[string]bool, bool) {
	st := b.graph
	if st == nil || st.siteSum != siteSum || st.diags.Errors() > 0 || !sameShape(st.set, set) {
		return nil, nil, false
	}
	type edit struct {
		page  *site.Page
		cp    *content.Page
		entry *docEntry
	}
	var edits []edit
	for i, cp := range set.Pages {
		old := st.set.Pages[i]
		if cp == old {
			continue
		}
		if !bytes.Equal(cp.File.Src[:cp.BodyOffset], old.File.Src[:old.BodyOffset]) || hasDiags(st.diags, cp.Path) {
			return nil, nil, false
		}
		sp := st.g.ByRel(cp.Rel)
		if sp == nil {
			return nil, nil, false
		}
		rec := &recorder{r: st.g.Resolver(sp)}
		gl, glKey := st.gloss.forPage(sp)
		doc, d := b.md.Render(markdown.Input{File: cp.File, Body: cp.Body, Offset: cp.BodyOffset, RawHTML: cp.Meta.RawHTML, Resolver: rec, Glossary: gl})
		if len(d) > 0 || !sameDocShape(sp.Doc, doc) {
			return nil, nil, false
		}
		edits = append(edits, edit{sp, cp, &docEntry{hash: cp.Hash, glossary: glKey, doc: doc, asked: rec.a}})
	}
	changed := map[string]bool{}
	for _, e := range edits {
		e.page.Page, e.page.Doc = e.cp, e.entry.doc
		b.docs[e.cp.Path] = e.entry
		changed[e.cp.Rel] = true
	}
	st.set = set
	return st.g, changed, true
}

// sameShape reports whether two loads have the same pages, drafts, static
// files and bibliography, in the same order.
func sameShape(a, b *content.Set) bool {
	if len(a.Pages) != len(b.Pages) || len(a.Drafts) != len(b.Drafts) || a.References != b.References || !slices.Equal(a.Static, b.Static) {
		return false
	}
	for i := range a.Pages {
		if a.Pages[i].Path != b.Pages[i].Path {
			return false
		}
	}
	for i := range a.Drafts {
		if a.Drafts[i].Path != b.Drafts[i].Path {
			return false
		}
	}
	return true
}

// sameDocShape reports whether two renders of a page give the graph the
// same headings, link targets and citations.
func sameDocShape(a, b markdown.Doc) bool {
	return slices.EqualFunc(a.Headings, b.Headings, func(x, y markdown.Heading) bool {
		return x.Level == y.Level && x.ID == y.ID && x.Text == y.Text
	}) && slices.EqualFunc(a.Links, b.Links, func(x, y markdown.Link) bool {
		return x.Target == y.Target
	}) && slices.Equal(a.Citations, b.Citations)
}

func hasDiags(l diag.List, path string) bool {
	return slices.ContainsFunc(l, func(d diag.Diagnostic) bool { return d.Path == path })
}

// withBodies returns a copy of s in which the given pages' HTML is their
// current one.
func (s *snapshot) withBodies(rels map[string]bool) *snapshot {
	n := *s
	n.pages = maps.Clone(s.pages)
	for rel := range rels {
		info := *s.pages[rel]
		info.html = info.page.Doc.HTML
		n.pages[rel] = &info
	}
	return &n
}
