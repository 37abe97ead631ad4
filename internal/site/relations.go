package site

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"

	"hjp/internal/content"
	"hjp/internal/diag"
)

// relations resolves the front-matter relation fields and records each
// relation on both pages, so a finding knows the recommendations that
// list it and a recommendation knows its findings.
func (g *Graph) relations() diag.List {
	var l diag.List
	// The known values are only needed for a message, and sorting every
	// page of a kind is not free on a big site: make them on first use.
	findingIDs := sync.OnceValue(func() []string { return g.idsOf(content.KindFinding) })
	recIDs := sync.OnceValue(func() []string { return g.idsOf(content.KindRecommendation) })
	caseSlugs := sync.OnceValue(func() []string { return g.slugsOf(content.KindCaseStudy) })
	fundingSlugs := sync.OnceValue(func() []string { return g.slugsOf(content.KindFundingModel) })
	for _, p := range g.Pages {
		m := &p.Meta
		link := func(refs []content.Ref, kind content.Kind, lookup func(string) *Page, known func() []string) {
			for _, r := range refs {
				t := lookup(r.Value)
				if t == nil || t.Kind != kind {
					l.Add(p.File.At(diag.Error, r.Line, r.Col, "%s", g.unknownRelation(kind, r.Value, known())))
					continue
				}
				if t == p {
					l.Add(p.File.At(diag.Error, r.Line, r.Col, "a page cannot list itself as related"))
					continue
				}
				p.Related[t.Kind] = append(p.Related[t.Kind], t)
				t.Related[p.Kind] = append(t.Related[p.Kind], p)
			}
		}
		link(m.Findings, content.KindFinding, g.ByID, findingIDs)
		link(m.Recommendations, content.KindRecommendation, g.ByID, recIDs)
		link(m.CaseStudies, content.KindCaseStudy, func(s string) *Page { return g.BySlug(content.KindCaseStudy, s) }, caseSlugs)
		link(m.Funding, content.KindFundingModel, func(s string) *Page { return g.BySlug(content.KindFundingModel, s) }, fundingSlugs)
		for _, r := range m.Sources {
			if g.References.Get(r.Value) == nil {
				l.Add(p.File.At(diag.Error, r.Line, r.Col, "unknown source %q%s: add it to content/references.yaml", r.Value, diag.DidYouMean(r.Value, g.References.Keys())))
			}
		}
	}
	for _, p := range g.Pages {
		for k, list := range p.Related {
			slices.SortFunc(list, byOrder)
			p.Related[k] = slices.Compact(list)
		}
	}
	return l
}

func (g *Graph) unknownRelation(kind content.Kind, value string, known []string) string {
	for _, d := range g.drafts {
		if d.Kind == kind && (d.Meta.ID == value || d.Slug == value) {
			return fmt.Sprintf("%s %q is a draft (%s): publish it or remove it from this list", content.KindLabel(kind), value, d.Path)
		}
	}
	what := content.KindLabel(kind)
	if s := diag.DidYouMean(value, known); s != "" {
		return fmt.Sprintf("unknown %s %q%s", what, value, s)
	}
	if len(known) == 0 {
		return fmt.Sprintf("unknown %s %q: the site has no %ss yet", what, value, what)
	}
	return fmt.Sprintf("unknown %s %q: known ones are %s", what, value, strings.Join(trimList(known, 8), ", "))
}

func trimList(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(slices.Clone(s[:n]), "…")
}

func (g *Graph) idsOf(k content.Kind) []string {
	var out []string
	for _, p := range g.OfKind(k) {
		out = append(out, p.Meta.ID)
	}
	return out
}

func (g *Graph) slugsOf(k content.Kind) []string {
	var out []string
	for _, p := range g.OfKind(k) {
		out = append(out, p.Slug)
	}
	return out
}

// aliasesAndShortLinks registers every page's old URLs and short link,
// refusing any that would shadow a page, a generated page or each other.
func (g *Graph) aliasesAndShortLinks() diag.List {
	var l diag.List
	add := func(p *Page, u string, r content.Ref) {
		if t, ok := g.byURL[u]; ok {
			l.Add(p.File.At(diag.Error, r.Line, r.Col, "alias %s shadows the page %s: remove the alias or move that page", u, t.Path))
			return
		}
		if what, ok := g.reserved[u]; ok {
			l.Add(p.File.At(diag.Error, r.Line, r.Col, "alias %s is the URL of %s", u, what))
			return
		}
		if t, ok := g.aliases[u]; ok {
			l.Add(p.File.At(diag.Error, r.Line, r.Col, "alias %s already redirects to %s (%s)", u, t.URL, t.Path))
			return
		}
		g.aliases[u] = p
		p.Aliases = append(p.Aliases, u)
	}
	for _, p := range g.Pages {
		// A duplicate ID is reported by content; only its first page
		// gets the short link.
		if p.ShortURL != "" && g.byID[p.Meta.ID] == p {
			add(p, p.ShortURL, p.Meta.IDRef)
		}
	}
	for _, p := range g.Pages {
		for _, a := range p.Meta.Aliases {
			add(p, NormalizeURL(a.Value), a)
		}
	}
	for _, p := range g.Pages {
		slices.Sort(p.Aliases)
	}
	return l
}

// NormalizeURL cleans a site path and gives it a trailing slash unless its
// last segment has a file extension ("/old.html").
func NormalizeURL(u string) string {
	clean := path.Clean("/" + u)
	if clean == "/" {
		return clean
	}
	if path.Ext(clean) == "" {
		clean += "/"
	}
	return clean
}

// Aliases returns every redirect as old URL → page, sorted by old URL.
func (g *Graph) Aliases() []Redirect {
	out := make([]Redirect, 0, len(g.aliases))
	for u, p := range g.aliases {
		out = append(out, Redirect{From: u, To: p})
	}
	slices.SortFunc(out, func(a, b Redirect) int { return cmp.Compare(a.From, b.From) })
	return out
}

// Redirect is one old URL and the page it now leads to.
type Redirect struct {
	From string
	To   *Page
}
