package site

import (
	"slices"

	"hjp/internal/config"
	"hjp/internal/content"
)

// Taxonomy is one vocabulary shown as browsable pages: /themes/, and a page
// per term listing everything tagged with it.
type Taxonomy struct {
	Name     string // vocabulary name: "themes"
	Title    string // "Themes"
	Singular string // "theme"
	URL      string // "/themes/"
	Terms    []*Term
}

// Term is one value of a taxonomy and the pages tagged with it.
type Term struct {
	config.Term
	Taxonomy *Taxonomy
	URL      string
	Pages    []*Page
}

// Groups returns the term's pages grouped by kind, in a fixed kind order.
func (t *Term) Groups() []KindGroup { return GroupByKind(t.Pages) }

// KindGroup is the pages of one kind.
type KindGroup struct {
	Kind  content.Kind
	Label string
	Pages []*Page
}

// KindOrder is the order kinds are listed in on term and related pages.
var KindOrder = []content.Kind{
	content.KindRecommendation, content.KindFinding, content.KindChapter,
	content.KindFundingModel, content.KindFundingChapter, content.KindCaseStudy,
	content.KindPage, content.KindSection, content.KindHome,
}

// KindPlural names a kind's pages in a heading.
func KindPlural(k content.Kind) string {
	switch k {
	case content.KindRecommendation:
		return "Recommendations"
	case content.KindFinding:
		return "Findings"
	case content.KindChapter:
		return "Guide chapters"
	case content.KindFundingModel:
		return "Funding models"
	case content.KindFundingChapter:
		return "Funding report chapters"
	case content.KindCaseStudy:
		return "Case studies"
	case content.KindSection:
		return "Sections"
	}
	return "Pages"
}

// GroupByKind groups pages by kind in KindOrder; pages keep their order.
func GroupByKind(pages []*Page) []KindGroup {
	var out []KindGroup
	for _, k := range KindOrder {
		var ps []*Page
		for _, p := range pages {
			if p.Kind == k {
				ps = append(ps, p)
			}
		}
		if len(ps) > 0 {
			out = append(out, KindGroup{Kind: k, Label: KindPlural(k), Pages: ps})
		}
	}
	return out
}

// taxonomySpec says which front-matter values tag a page with terms of a
// vocabulary.
var taxonomySpec = []struct {
	vocab, title string
	values       func(m *content.Meta) []string
}{
	{"themes", "Themes", func(m *content.Meta) []string {
		out := make([]string, len(m.Themes))
		for i, r := range m.Themes {
			out[i] = r.Value
		}
		return out
	}},
	{"settings", "Settings", func(m *content.Meta) []string {
		if m.Setting != "" {
			return append([]string{m.Setting}, m.Settings...)
		}
		return m.Settings
	}},
	{"audiences", "Audiences", func(m *content.Meta) []string { return m.Audience }},
	{"factors", "Factors", func(m *content.Meta) []string {
		if m.Factor == "" {
			return nil
		}
		return []string{m.Factor}
	}},
}

func (g *Graph) taxonomies() {
	for _, spec := range taxonomySpec {
		v := g.Site.Vocab.Get(spec.vocab)
		tx := &Taxonomy{Name: spec.vocab, Title: spec.title, Singular: v.Singular, URL: "/" + spec.vocab + "/"}
		g.reserved[tx.URL] = "the " + spec.vocab + " index"
		byKey := map[string]*Term{}
		for _, t := range v.Terms {
			term := &Term{Term: t, Taxonomy: tx, URL: tx.URL + t.Key + "/"}
			g.reserved[term.URL] = "the " + v.Singular + " page for " + t.Label
			byKey[t.Key] = term
			tx.Terms = append(tx.Terms, term)
		}
		for _, p := range g.Pages {
			for _, key := range spec.values(&p.Meta) {
				// p is the last page added to a term that already has it.
				if t := byKey[key]; t != nil && (len(t.Pages) == 0 || t.Pages[len(t.Pages)-1] != p) {
					t.Pages = append(t.Pages, p)
				}
			}
		}
		for _, t := range tx.Terms {
			slices.SortFunc(t.Pages, byOrder)
			for _, p := range t.Pages {
				if p.terms == nil {
					p.terms = map[string][]*Term{}
				}
				p.terms[tx.Name] = append(p.terms[tx.Name], t)
			}
		}
		g.Taxonomies = append(g.Taxonomies, tx)
	}
}

// TermsOf returns the terms of a taxonomy that tag page p, in the
// vocabulary's order. The list is the graph's own: callers must not
// change it.
func (g *Graph) TermsOf(vocab string, p *Page) []*Term { return slices.Clip(p.terms[vocab]) }
