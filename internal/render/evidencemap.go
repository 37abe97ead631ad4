package render

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"

	"hjp/internal/content"
	"hjp/internal/diag"
	"hjp/internal/search"
	"hjp/internal/site"
)

// The evidence map, after the evidence and gap maps of the What Works
// centres and systematic-review groups: the findings as a grid of factors
// (rows) by settings (columns), so a reader sees at a glance where the
// evidence is strong, thin or missing. Each cell links to the findings
// index's static page for that factor and setting; empty cells are gaps.
// A second grid shows the recommendations by audience with the evidence
// behind each.

// EvidenceMapURL is the evidence map's page.
const EvidenceMapURL = "/evidence-map/"

// hasEvidenceMap reports whether the site has findings to map. Every
// findings page asks, so it stops at the first published finding.
func hasEvidenceMap(g *site.Graph) bool {
	if g.Sections["findings"] == nil {
		return false
	}
	for _, p := range g.OfKind(content.KindFinding) {
		if search.Indexed(p) {
			return true
		}
	}
	return false
}

// EvidenceMapURL returns the evidence map's URL, or "" when the site has
// no findings to map.
func (v *View) EvidenceMapURL() string {
	if !hasEvidenceMap(v.G) {
		return ""
	}
	return EvidenceMapURL
}

// EvidenceMap returns the findings by factor and setting, made once per
// build (the home page shows it small, the evidence map page in full).
func (v *View) EvidenceMap() *Matrix {
	if v.r == nil || v.r.cache == nil {
		return NewEvidenceMap(v.G)
	}
	fm := v.findingsModel()
	return model(v.r.cache, &v.r.cache.evidenceMap, func() *Matrix { return newEvidenceMap(v.G, fm) })
}

// RecommendationMap returns the recommendations by audience.
func (v *View) RecommendationMap() *Matrix {
	return newRecommendationMap(v.G, v.findingsModel())
}

// NewEvidenceMap lays the site's findings out by factor and setting, in
// the order of the factors and settings vocabularies. A finding is in the
// cell of its factor and each of its settings. Drafts are left out, as
// they are from the findings index the cells link to.
func NewEvidenceMap(g *site.Graph) *Matrix { return newEvidenceMap(g, newFindingsModel(g)) }

func newEvidenceMap(g *site.Graph, fm *findingsModel) *Matrix {
	factors, settings := g.Site.Vocab.Get("factors"), g.Site.Vocab.Get("settings")
	m := &Matrix{
		ID: "evidence-map", CaptionID: "evidence-map-caption",
		Corner: "Factor", Across: "Setting", LabelWidth: 216,
		GapText:  "no findings yet, a gap in the evidence",
		Levels:   levels(g.Site.Vocab.Get("strengths")),
		Findings: len(fm.findings),
	}
	m.Caption = fmt.Sprintf("Evidence map: %s by factor and setting. Each mark is one finding; its shape shows the strength of its evidence. Empty boxes are gaps.", plural(len(fm.findings), "finding", "findings"))
	// One pass files each finding under its factor and settings.
	type key struct{ factor, setting string }
	cells := map[key][]*site.Page{}
	rows := map[string]int{}
	cols := map[string]int{}
	for _, p := range fm.findings {
		fs := fm.facets[p]
		for _, f := range fs["factor"] {
			rows[f]++
			for _, st := range fs["setting"] {
				cells[key{f, st}] = append(cells[key{f, st}], p)
			}
		}
		for _, st := range fs["setting"] {
			cols[st]++
		}
	}
	for _, s := range settings.Terms {
		a := Axis{Key: s.Key, Label: s.Label}
		if cols[s.Key] > 0 {
			a.URL = FindingsURL(FindingFilter{Facet: "setting", Key: s.Key})
		}
		m.Cols = append(m.Cols, a)
	}
	for _, f := range factors.Terms {
		a := Axis{Key: f.Key, Label: f.Label, Note: plural(rows[f.Key], "finding", "findings")}
		if rows[f.Key] > 0 {
			a.URL = FindingsURL(FindingFilter{Facet: "factor", Key: f.Key})
		}
		m.Rows = append(m.Rows, a)
		row := make([]Cell, 0, len(settings.Terms))
		for _, s := range settings.Terms {
			pages := cells[key{f.Key, s.Key}]
			c := m.newCell(pages)
			if len(pages) > 0 {
				c.URL = FindingsURL(FindingFilter{Facet: "factor", Key: f.Key}, FindingFilter{Facet: "setting", Key: s.Key})
			}
			c.Name = f.Label + " in " + lowerFirst(s.Label) + ": " + c.summary()
			row = append(row, c)
		}
		m.Cells = append(m.Cells, row)
	}
	m.used()
	return m
}

// maxRecommendationRows is the most recommendations the recommendations
// map draws: past it a grid is too tall to read as a picture (and too
// heavy for a phone), so the page points to the audience pages instead.
const maxRecommendationRows = 100

// NewRecommendationMap lays the recommendations out by audience: a
// recommendation's row has a cell for each audience it is for, holding
// the findings that support it. With more than maxRecommendationRows
// recommendations it has no rows and TooMany counts them.
func NewRecommendationMap(g *site.Graph) *Matrix {
	return newRecommendationMap(g, newFindingsModel(g))
}

func newRecommendationMap(g *site.Graph, fm *findingsModel) *Matrix {
	audiences := g.Site.Vocab.Get("audiences")
	m := &Matrix{
		ID: "recommendation-map", CaptionID: "recommendation-map-caption",
		Corner: "Recommendation", Across: "Audience", LabelWidth: 336,
		GapText:   "the recommendation is for this audience, but no finding supports it yet",
		BlankText: "the recommendation is not for this audience",
		Levels:    levels(g.Site.Vocab.Get("strengths")),
	}
	for _, a := range audiences.Terms {
		ax := Axis{Key: a.Key, Label: a.Label}
		for _, tx := range g.Taxonomies {
			if tx.Name != "audiences" {
				continue
			}
			for _, t := range tx.Terms {
				if t.Key == a.Key && len(t.Pages) > 0 {
					ax.URL = t.URL
				}
			}
		}
		m.Cols = append(m.Cols, ax)
	}
	var recs []*site.Page
	for _, r := range g.OfKind(content.KindRecommendation) {
		if !r.Meta.Draft {
			recs = append(recs, r)
		}
	}
	if len(recs) > maxRecommendationRows {
		m.TooMany = len(recs)
		return m
	}
	published := make(map[*site.Page]bool, len(fm.findings))
	for _, f := range fm.findings {
		published[f] = true
	}
	seen := map[*site.Page]bool{}
	for _, r := range recs {
		var support []*site.Page
		for _, f := range r.Related[content.KindFinding] {
			if published[f] {
				support = append(support, f)
				seen[f] = true
			}
		}
		label := r.Meta.Title
		if r.Meta.ID != "" {
			label = r.Meta.ID + " " + label
		}
		m.Rows = append(m.Rows, Axis{Key: r.Meta.ID, Label: label, URL: r.URL})
		var row []Cell
		for _, a := range audiences.Terms {
			if !slices.Contains(r.Meta.Audience, a.Key) {
				row = append(row, Cell{Name: r.Meta.ID + " is not for " + lowerFirst(a.Label), Text: "–", Detail: "Not for this audience"})
				continue
			}
			c := m.newCell(support)
			c.Name = cmp.Or(r.Meta.ID, r.Meta.Title) + " for " + lowerFirst(a.Label) + ": " + c.summary()
			if len(support) == 0 {
				c.Text = "No findings yet"
			}
			row = append(row, c)
		}
		m.Cells = append(m.Cells, row)
	}
	m.Findings = len(seen)
	m.Caption = fmt.Sprintf("Recommendations by audience: %s, each marked where it is for an audience, with one mark for each finding that supports it.", plural(len(m.Rows), "recommendation", "recommendations"))
	m.used()
	return m
}

// newCell makes the cell of pages: one mark per finding, strongest
// evidence first, then in finding order.
func (m *Matrix) newCell(pages []*site.Page) Cell {
	c := Cell{Applies: true}
	rank := func(p *site.Page) int {
		for i, l := range m.Levels {
			if l.Key != "" && l.Key == p.Meta.Strength {
				return i
			}
		}
		return len(m.Levels) - 1
	}
	for _, p := range pages {
		c.Marks = append(c.Marks, Mark{ID: p.Meta.ID, Title: p.Meta.Title, URL: p.URL, Level: rank(p)})
	}
	slices.SortStableFunc(c.Marks, func(a, b Mark) int {
		return cmp.Or(cmp.Compare(a.Level, b.Level), strings.Compare(a.ID, b.ID))
	})
	if len(c.Marks) > 0 {
		c.Strongest = &m.Levels[c.Marks[0].Level]
		c.Label = c.Strongest.Label
		c.Text = plural(len(c.Marks), "finding", "findings")
		c.Detail = "Strongest: " + lowerFirst(c.Strongest.Label)
		if c.Strongest.Label == notRated {
			c.Detail = "Strength not rated"
		}
	} else {
		c.Text = "None"
	}
	return c
}

// summary says what a cell holds, for its accessible name.
func (c Cell) summary() string {
	switch {
	case len(c.Marks) == 0:
		return "no findings"
	case c.Strongest.Label == notRated:
		return plural(len(c.Marks), "finding", "findings") + ", strength not rated"
	}
	return plural(len(c.Marks), "finding", "findings") + ", strongest: " + lowerFirst(c.Strongest.Label)
}

// evidenceMapOutputs renders the evidence map page when the site has
// findings and the theme lays the map and the findings index out.
func (r *Renderer) evidenceMapOutputs() []Output {
	if !r.Theme.Has("evidence-map") || !r.Theme.Has("findings") || !hasEvidenceMap(r.G) {
		return nil
	}
	out := r.htmlOutput(FilePath(EvidenceMapURL), nil, "evidence-map", func() *View {
		v := r.genView("evidence-map", "Evidence map", EvidenceMapURL, func(v *View) {
			v.Description = "Where the evidence on health justice partnerships is strong, thin or missing: the findings by factor and setting, and the recommendations by audience."
		})
		r.sectionCrumb(v, "findings")
		return v
	})
	if p := r.G.ByURL(EvidenceMapURL); p != nil {
		d := p.File.At(diag.Error, 1, 1, "%s is the URL of the evidence map: rename or move this page", EvidenceMapURL)
		out.gen = func(*bytes.Buffer) error { return d }
	}
	return []Output{out}
}
