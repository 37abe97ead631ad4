package site

import (
	"slices"

	"hjp/internal/content"
	"hjp/internal/diag"
	"hjp/internal/markdown"
)

// PageAnchors are IDs that every page template provides, so links may
// target them without a matching heading.
var PageAnchors = []string{"main-content", "contents", "references", "cite-this", "top"}

// Finish takes each page's rendered Markdown (docs[i] belongs to
// g.Pages[i]) and completes the graph: body-link backlinks, anchor checks,
// per-page reference lists and the site-wide cited-by index.
func (g *Graph) Finish(docs []markdown.Doc) diag.List {
	var l diag.List
	for i, p := range g.Pages {
		p.Doc = docs[i]
	}
	for _, p := range g.Pages {
		for _, ln := range p.Doc.Links {
			t := g.byRel[ln.Page]
			if t == nil {
				continue
			}
			if ln.Anchor != "" && !t.HasAnchor(ln.Anchor) {
				l.Add(p.File.At(diag.Error, ln.Line, ln.Col, "%s", missingAnchor(ln.Anchor, t, t == p)))
			}
			// Pages are visited in order, so p is last in the list of a
			// page it has linked to already.
			if t != p && (len(t.LinkedFrom) == 0 || t.LinkedFrom[len(t.LinkedFrom)-1] != p) {
				t.LinkedFrom = append(t.LinkedFrom, p)
			}
		}
		keys := slices.Clone(p.Doc.Citations)
		for _, r := range p.Meta.Sources {
			keys = append(keys, r.Value)
		}
		for _, k := range keys {
			ref := g.References.Get(k)
			if ref == nil || slices.Contains(p.References, ref) {
				continue
			}
			p.References = append(p.References, ref)
			g.CitedBy[k] = append(g.CitedBy[k], p)
		}
	}
	order := map[*content.Reference]int{}
	for i, r := range g.References.List {
		order[r] = i
	}
	for _, p := range g.Pages {
		slices.SortFunc(p.LinkedFrom, byOrder)
		slices.SortFunc(p.References, func(a, b *content.Reference) int { return order[a] - order[b] })
	}
	for _, r := range g.References.List {
		if len(g.CitedBy[r.Key]) == 0 && g.References.File != nil {
			l.Add(g.References.File.At(diag.Warning, r.Line, r.Col, "reference %q is never cited: cite it with [@%s] or remove it", r.Key, r.Key))
		}
		slices.SortFunc(g.CitedBy[r.Key], byOrder)
	}
	return l
}

// HasAnchor reports whether id is a heading ID of the page or an ID that
// every page template provides.
func (p *Page) HasAnchor(id string) bool {
	if slices.Contains(PageAnchors, id) {
		return true
	}
	for _, h := range p.Doc.Headings {
		if h.ID == id {
			return true
		}
	}
	return false
}

func missingAnchor(id string, t *Page, self bool) string {
	ids := make([]string, 0, len(t.Doc.Headings))
	for _, h := range t.Doc.Headings {
		ids = append(ids, h.ID)
	}
	where := "in " + t.Path
	if self {
		where = "on this page"
	}
	msg := "no heading #" + id + " " + where
	if s := diag.Suggest(id, ids); s != "" {
		return msg + ` (did you mean "#` + s + `"?)`
	}
	return msg
}

// CheckURLs reports links written as site URLs ("/findings/theme/housing/")
// that lead to nothing the build produced. exists says whether a site
// path is served.
func (g *Graph) CheckURLs(exists func(u string) bool) diag.List {
	var l diag.List
	for _, p := range g.Pages {
		for _, ln := range p.Doc.Links {
			if ln.CheckURL != "" && !exists(ln.CheckURL) {
				l.Add(p.File.At(diag.Error, ln.Line, ln.Col, "link to %s leads to no page: link to the page's .md file instead", ln.CheckURL))
			}
		}
	}
	return l
}
