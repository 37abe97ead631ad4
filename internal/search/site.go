package search

import (
	"slices"
	"unicode"
	"unicode/utf8"

	"hjp/internal/content"
	"hjp/internal/site"
)

// Facet is a property pages are filtered by, in search and on the
// findings index.
type Facet struct {
	// Name is the key and URL parameter: /search/?setting=hospital,
	// /findings/setting/hospital/.
	Name string
	// Label heads the facet's list of values.
	Label string
	// Vocab is the site.yaml vocabulary of the values; "" for the kind.
	Vocab string
}

// Facets lists the facets in display order.
func Facets() []Facet {
	return []Facet{
		{Name: "kind", Label: "Type"},
		{Name: "theme", Label: "Theme", Vocab: "themes"},
		{Name: "setting", Label: "Setting", Vocab: "settings"},
		{Name: "factor", Label: "Factor", Vocab: "factors"},
		{Name: "audience", Label: "Audience", Vocab: "audiences"},
		{Name: "strength", Label: "Strength of evidence", Vocab: "strengths"},
	}
}

// PageFacets returns the facet values of a page by facet name. A
// finding's audiences are those of the recommendations it supports.
func PageFacets(p *site.Page) map[string][]string {
	m := &p.Meta
	out := map[string][]string{"kind": {string(p.Kind)}}
	add := func(name string, vals ...string) {
		for _, v := range vals {
			if v != "" && !slices.Contains(out[name], v) {
				out[name] = append(out[name], v)
			}
		}
	}
	for _, t := range m.Themes {
		add("theme", t.Value)
	}
	add("setting", m.Setting)
	add("setting", m.Settings...)
	add("factor", m.Factor)
	add("strength", m.Strength)
	add("audience", m.Audience...)
	if p.Kind == content.KindFinding {
		for _, r := range p.Related[content.KindRecommendation] {
			add("audience", r.Meta.Audience...)
		}
	}
	return out
}

// Indexed reports whether a page belongs in the search index: every
// published page except drafts, which stay out even when a preview build
// renders them.
func Indexed(p *site.Page) bool { return !p.Meta.Draft }

// FromGraph turns the site's pages into index documents, in graph order,
// with the facet definitions of the site's vocabularies.
func FromGraph(g *site.Graph) ([]Doc, []FacetDef) {
	defs, labels := facetDefs(g)
	var docs []Doc
	for _, p := range g.Pages {
		if Indexed(p) {
			docs = append(docs, pageDoc(p, labels))
		}
	}
	return docs, defs
}

// PageDoc returns the index document FromGraph makes of page p of g
// (hjp serve makes again only the documents of the pages whose text
// changed).
func PageDoc(g *site.Graph, p *site.Page) Doc {
	_, labels := facetDefs(g)
	return pageDoc(p, labels)
}

// facetDefs returns the facet definitions of g's vocabularies and, by
// facet, each value's label.
func facetDefs(g *site.Graph) ([]FacetDef, map[string]map[string]string) {
	var defs []FacetDef
	labels := map[string]map[string]string{}
	for _, f := range Facets() {
		def := FacetDef{Name: f.Name, Label: f.Label}
		if f.Vocab == "" {
			for _, k := range site.KindOrder {
				if k == content.KindHome || k == content.KindSection {
					continue // section pages list others; they are not a type to filter by
				}
				def.Values = append(def.Values, FacetValue{Key: string(k), Label: site.KindPlural(k)})
			}
		} else {
			for _, t := range g.Site.Vocab.Get(f.Vocab).Terms {
				def.Values = append(def.Values, FacetValue{Key: t.Key, Label: t.Label})
			}
		}
		labels[f.Name] = map[string]string{}
		for _, v := range def.Values {
			labels[f.Name][v.Key] = v.Label
		}
		defs = append(defs, def)
	}
	return defs, labels
}

func pageDoc(p *site.Page, labels map[string]map[string]string) Doc {
	d := Doc{
		URL: p.URL, Title: p.Meta.Title, ID: p.Meta.ID,
		Kind: string(p.Kind), KindLabel: upperFirst(content.KindLabel(p.Kind)),
		Summary: p.Meta.Summary,
		Facets:  PageFacets(p),
	}
	for _, h := range p.Doc.Headings {
		d.Headings = append(d.Headings, h.Text)
	}
	for _, s := range p.Doc.Sections {
		d.Sections = append(d.Sections, Section{Anchor: s.ID, Heading: s.Title, Text: s.Text})
	}
	for _, f := range Facets() {
		if f.Vocab == "" {
			continue
		}
		for _, v := range d.Facets[f.Name] {
			d.Tags = append(d.Tags, labels[f.Name][v])
		}
	}
	return d
}

// BuildSite indexes every published page of the graph.
func BuildSite(g *site.Graph, opts Options) *Index {
	docs, defs := FromGraph(g)
	return Build(docs, defs, opts)
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
