package build

import (
	"hjp/internal/markdown"
	"hjp/internal/site"
)

// Glossary compiles the terms of the site's glossary page (the page whose
// front matter has terms:) for linking their first use on every other
// page. It returns nil when the site has no glossary.
func Glossary(g *site.Graph) (*markdown.Glossary, *site.Page) {
	p := glossaryPage(g)
	if p == nil {
		return nil, nil
	}
	return markdown.NewGlossary(p.URL, glossaryTerms(p), markdown.DefaultGlossaryStopList()), p
}

// glossaryPage returns the site's glossary page, or nil.
func glossaryPage(g *site.Graph) *site.Page {
	for _, p := range g.Pages {
		if len(p.Meta.Terms) > 0 {
			return p
		}
	}
	return nil
}

// glossaryTerms returns the terms of the glossary page p.
func glossaryTerms(p *site.Page) []markdown.GlossaryTerm {
	terms := make([]markdown.GlossaryTerm, len(p.Meta.Terms))
	for i, t := range p.Meta.Terms {
		terms[i] = markdown.GlossaryTerm{Term: t.Term, Abbr: t.Abbr, Definition: t.Definition, Aliases: t.Aliases}
	}
	return terms
}
