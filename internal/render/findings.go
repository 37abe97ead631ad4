package render

import (
	"bytes"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"hjp/internal/content"
	"hjp/internal/diag"
	"hjp/internal/search"
	"hjp/internal/site"
)

// The findings index lives at /findings/ (the findings section page) and
// has a static page per facet value and per factor × setting pair, so it
// works without JavaScript and every filtered list has a permanent URL:
//
//	/findings/<facet>/<value>/                      theme, setting, factor, audience, strength
//	/findings/factor/<factor>/setting/<setting>/   one cell of the evidence map
//
// A page exists when at least one finding has the value (or the pair):
// an empty list is not worth a URL, a sitemap entry or a link, so the
// filter panel shows empty values as plain text and the evidence map
// links only the cells that hold findings.

// findingFacets are the facets the findings index filters by, in panel
// order.
func findingFacets() []search.Facet {
	var out []search.Facet
	for _, f := range search.Facets() {
		if f.Vocab != "" {
			out = append(out, f)
		}
	}
	return out
}

// FindingsIndex is the view model of the findings layout: the findings
// (filtered or not) grouped by factor, and the filter panel.
type FindingsIndex struct {
	// Filters are what the list is narrowed to: none on /findings/, one
	// on a facet page, a factor and a setting on a combined page.
	Filters []FindingFilter
	// Caption says what the list is filtered by ("Filtered by theme").
	Caption string
	Total   int
	Groups  []FindingGroup
	Panel   []FilterGroup
	// SearchURL opens the same filters in the search page, where they
	// combine freely with words.
	SearchURL string
}

// FindingFilter is one facet value a list is filtered by.
type FindingFilter struct {
	Facet      string // "setting"
	FacetLabel string // "Setting"
	Key        string // "hospital"
	Label      string // "Hospitals"
	// Without is the page the list would be without this filter.
	Without string
}

// FindingGroup is the findings of one factor.
type FindingGroup struct {
	Key   string
	Label string
	// Anchor is the group heading's ID ("factor-collaboration").
	Anchor string
	URL    string
	Items  []FindingItem
}

// FindingItem is one finding as the index lists it.
type FindingItem struct {
	ID, Title, URL, Summary string
	Factor                  Link
	// Strength is empty when the finding has none.
	Strength  Link
	Themes    []Link
	Settings  []Link
	Audiences []Link
}

// Link is a labelled URL.
type Link struct {
	Label string
	URL   string
}

// FilterGroup is one facet of the filter panel.
type FilterGroup struct {
	Name   string
	Label  string
	Values []FilterLink
	// Open is true when the page is filtered by one of the values.
	Open bool
}

// FilterLink is one value of the filter panel: the page listing the
// findings with it, and how many that page lists.
type FilterLink struct {
	Label string
	URL   string
	Count int
	// Current marks the value the page is filtered by.
	Current bool
}

// FindingsURL returns the static page of findings with the given facet
// values: none, one facet, or a factor and a setting.
func FindingsURL(filters ...FindingFilter) string {
	switch len(filters) {
	case 0:
		return "/findings/"
	case 1:
		return "/findings/" + filters[0].Facet + "/" + filters[0].Key + "/"
	}
	f, s := filters[0], filters[1]
	if f.Facet == "setting" {
		f, s = s, f
	}
	return "/findings/factor/" + f.Key + "/setting/" + s.Key + "/"
}

// findingsModel prepares the findings list for the given filters. It is
// built once and only read afterwards, so the filter pages can be
// rendered in parallel from it.
type findingsModel struct {
	g        *site.Graph
	findings []*site.Page
	facets   map[*site.Page]map[string][]string
	// items are the findings as the lists show them, prepared once: a
	// finding is listed on the index and on every page of its values.
	items map[*site.Page]FindingItem
	// counts is how many findings each filter page lists, by URL: the
	// filter panel of every page shows them all.
	counts map[string]int
}

// findingsModel returns the build's findings model, made once.
func (r *Renderer) findingsModel() *findingsModel {
	if r.cache == nil {
		return newFindingsModel(r.G)
	}
	return model(r.cache, &r.cache.findings, func() *findingsModel { return newFindingsModel(r.G) })
}

// findingsModel is the renderer's, or a new one for a view without.
func (v *View) findingsModel() *findingsModel {
	if v.r == nil {
		return newFindingsModel(v.G)
	}
	return v.r.findingsModel()
}

func newFindingsModel(g *site.Graph) *findingsModel {
	m := &findingsModel{g: g, facets: map[*site.Page]map[string][]string{}, items: map[*site.Page]FindingItem{}, counts: map[string]int{}}
	for _, p := range g.OfKind(content.KindFinding) {
		if !search.Indexed(p) {
			continue
		}
		m.findings = append(m.findings, p)
		fs := search.PageFacets(p)
		m.facets[p] = fs
		m.items[p] = m.item(p)
		for _, facet := range findingFacets() {
			for _, k := range fs[facet.Name] {
				m.counts[FindingsURL(FindingFilter{Facet: facet.Name, Key: k})]++
			}
		}
		for _, f := range fs["factor"] {
			for _, s := range fs["setting"] {
				m.counts[FindingsURL(FindingFilter{Facet: "factor", Key: f}, FindingFilter{Facet: "setting", Key: s})]++
			}
		}
	}
	return m
}

func (m *findingsModel) matches(p *site.Page, filters []FindingFilter) bool {
	for _, f := range filters {
		if !slices.Contains(m.facets[p][f.Facet], f.Key) {
			return false
		}
	}
	return true
}

func (m *findingsModel) count(filters []FindingFilter) int {
	switch {
	case len(filters) == 0:
		return len(m.findings)
	case len(filters) == 1, len(filters) == 2 && filters[0].Facet != filters[1].Facet && isFactorOrSetting(filters[0]) && isFactorOrSetting(filters[1]):
		return m.counts[FindingsURL(filters...)]
	}
	n := 0
	for _, p := range m.findings {
		if m.matches(p, filters) {
			n++
		}
	}
	return n
}

func isFactorOrSetting(f FindingFilter) bool {
	return f.Facet == "factor" || f.Facet == "setting"
}

func (m *findingsModel) filter(facet search.Facet, key string) FindingFilter {
	return FindingFilter{Facet: facet.Name, FacetLabel: facet.Label, Key: key, Label: m.g.Site.Vocab.Get(facet.Vocab).Label(key)}
}

func (m *findingsModel) links(vocab string, keys []string, facet string) []Link {
	v := m.g.Site.Vocab.Get(vocab)
	keys = slices.Clone(keys)
	slices.SortStableFunc(keys, func(a, b string) int { return v.Rank(a) - v.Rank(b) })
	out := make([]Link, 0, len(keys))
	for _, k := range keys {
		out = append(out, Link{Label: v.Label(k), URL: "/findings/" + facet + "/" + k + "/"})
	}
	return out
}

// index builds the view model of one findings page.
func (m *findingsModel) index(filters []FindingFilter) *FindingsIndex {
	fi := &FindingsIndex{Filters: slices.Clone(filters)}
	for i := range fi.Filters {
		rest := slices.Delete(slices.Clone(fi.Filters), i, i+1)
		fi.Filters[i].Without = FindingsURL(rest...)
	}
	factors := m.g.Site.Vocab.Get("factors")
	byFactor := map[string][]FindingItem{}
	for _, p := range m.findings {
		if m.matches(p, filters) {
			byFactor[p.Meta.Factor] = append(byFactor[p.Meta.Factor], m.items[p])
		}
	}
	for _, t := range factors.Terms {
		grp := FindingGroup{Key: t.Key, Label: t.Label, Anchor: "factor-" + t.Key, URL: "/findings/factor/" + t.Key + "/", Items: byFactor[t.Key]}
		if len(grp.Items) > 0 {
			fi.Groups = append(fi.Groups, grp)
			fi.Total += len(grp.Items)
		}
	}
	fi.Panel = m.panel(filters)
	if len(filters) > 0 {
		names := make([]string, len(filters))
		for i, f := range filters {
			names[i] = strings.ToLower(f.FacetLabel)
		}
		fi.Caption = "Filtered by " + strings.Join(names, " and ")
	}
	q := url.Values{"kind": {"finding"}}
	for _, f := range filters {
		q.Add(f.Facet, f.Key)
	}
	fi.SearchURL = "/search/?" + q.Encode()
	return fi
}

func (m *findingsModel) item(p *site.Page) FindingItem {
	fs := m.facets[p]
	it := FindingItem{
		ID: p.Meta.ID, Title: p.Meta.Title, URL: p.URL, Summary: p.Meta.Summary,
		Themes:    m.links("themes", fs["theme"], "theme"),
		Settings:  m.links("settings", fs["setting"], "setting"),
		Audiences: m.links("audiences", fs["audience"], "audience"),
	}
	if f := m.links("factors", fs["factor"], "factor"); len(f) > 0 {
		it.Factor = f[0]
	}
	if s := m.links("strengths", fs["strength"], "strength"); len(s) > 0 {
		it.Strength = s[0]
	}
	return it
}

// panel links every value of every facet. On a factor or setting page the
// other of the two narrows to the combined page; everything else links to
// the value's own page.
func (m *findingsModel) panel(filters []FindingFilter) []FilterGroup {
	var factor, setting *FindingFilter
	for i := range filters {
		switch filters[i].Facet {
		case "factor":
			factor = &filters[i]
		case "setting":
			setting = &filters[i]
		}
	}
	var out []FilterGroup
	for _, facet := range findingFacets() {
		grp := FilterGroup{Name: facet.Name, Label: facet.Label}
		for _, t := range m.g.Site.Vocab.Get(facet.Vocab).Terms {
			target := []FindingFilter{m.filter(facet, t.Key)}
			switch {
			case facet.Name == "factor" && setting != nil:
				target = append(target, *setting)
			case facet.Name == "setting" && factor != nil:
				target = append([]FindingFilter{*factor}, target...)
			}
			current := false
			for _, f := range filters {
				current = current || f.Facet == facet.Name && f.Key == t.Key
			}
			grp.Values = append(grp.Values, FilterLink{Label: t.Label, URL: FindingsURL(target...), Count: m.count(target), Current: current})
			grp.Open = grp.Open || current
		}
		out = append(out, grp)
	}
	return out
}

// findingsPages lists every static filter page: one per facet value and
// per factor × setting pair that at least one finding has.
func (m *findingsModel) findingsPages() [][]FindingFilter {
	var out [][]FindingFilter
	add := func(filters ...FindingFilter) {
		if m.count(filters) > 0 {
			out = append(out, filters)
		}
	}
	for _, facet := range findingFacets() {
		for _, t := range m.g.Site.Vocab.Get(facet.Vocab).Terms {
			add(m.filter(facet, t.Key))
		}
	}
	var factor, setting search.Facet
	for _, f := range findingFacets() {
		switch f.Name {
		case "factor":
			factor = f
		case "setting":
			setting = f
		}
	}
	for _, f := range m.g.Site.Vocab.Get("factors").Terms {
		for _, s := range m.g.Site.Vocab.Get("settings").Terms {
			add(m.filter(factor, f.Key), m.filter(setting, s.Key))
		}
	}
	return out
}

// findingsTitle names a filtered list: "Findings: Housing".
func findingsTitle(filters []FindingFilter) string {
	labels := make([]string, len(filters))
	for i, f := range filters {
		labels[i] = f.Label
	}
	return "Findings: " + strings.Join(labels, " in ")
}

// FindingsIndex returns the view model of the findings layout: the
// page's own filtered list, or on the findings section page every finding.
func (v *View) FindingsIndex() *FindingsIndex {
	if v.Findings == nil {
		v.Findings = v.findingsModel().index(nil)
	}
	return v.Findings
}

// findingsOutputs renders the static filter pages of the findings index.
// Their URLs sit beside the findings' own pages, so a finding file named
// like a facet ("findings/theme.md") would collide: that is reported at
// the file.
func (r *Renderer) findingsOutputs() []Output {
	section := r.G.Sections["findings"]
	if section == nil || !r.Theme.Has("findings") {
		return nil
	}
	m := r.findingsModel()
	var outs []Output
	for _, filters := range m.findingsPages() {
		u := FindingsURL(filters...)
		out := r.htmlOutput(FilePath(u), nil, "findings", func() *View {
			fi := m.index(filters)
			v := r.genView("findings", findingsTitle(filters), u, func(v *View) {
				v.Findings = fi
				v.Description = fmt.Sprintf("%d findings of the %s, filtered by %s.", fi.Total, r.G.Site.Title, strings.ToLower(filters[0].FacetLabel))
			})
			v.Breadcrumbs = append(v.Breadcrumbs, Crumb{Title: section.Meta.Title, URL: section.URL})
			return v
		})
		if clash := r.urlTaken(u); clash != nil {
			out.gen = func(*bytes.Buffer) error { return *clash }
		}
		outs = append(outs, out)
	}
	return outs
}

// urlTaken reports a page or alias that already has a generated URL.
func (r *Renderer) urlTaken(u string) *diag.Diagnostic {
	p := r.G.ByURL(u)
	if p == nil {
		p = r.G.AliasTarget(u)
	}
	if p == nil {
		return nil
	}
	d := p.File.At(diag.Error, 1, 1, "%s is the URL of a findings index page: rename the file or its alias", u)
	return &d
}
