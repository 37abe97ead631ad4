package render

import (
	"io/fs"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"hjp/internal/config"
	"hjp/internal/content"
	"hjp/internal/markdown"
	"hjp/internal/site"
	"hjp/internal/testsite"
)

// fixtureGraph loads the fixture site into a finished graph, rendering its
// Markdown as the build does.
func fixtureGraph(t *testing.T) *site.Graph {
	t.Helper()
	return graphOf(t, os.DirFS(testsite.Fixture()), config.Options{BaseURL: "https://example.org/"})
}

// graphOf loads the site in fsys into a finished graph, rendering its
// Markdown as the build does (without the glossary).
func graphOf(t testing.TB, fsys fs.FS, opts config.Options) *site.Graph {
	t.Helper()
	cfg, l := config.Load(fsys, opts)
	if cfg == nil {
		t.Fatal(l.Err())
	}
	set, d := content.Load(fsys, cfg, content.LoadOptions{})
	l.Add(d...)
	g, d := site.New(cfg, set)
	l.Add(d...)
	md := markdown.New()
	docs := make([]markdown.Doc, len(g.Pages))
	for i, p := range g.Pages {
		docs[i], d = md.Render(markdown.Input{File: p.File, Body: p.Body, Offset: p.BodyOffset, Resolver: g.Resolver(p)})
		l.Add(d...)
	}
	l.Add(g.Finish(docs)...)
	if l.Errors() > 0 {
		t.Fatal(l.Err())
	}
	return g
}

func viewOf(g *site.Graph, url string) *View {
	r := &Renderer{G: g, Theme: &Theme{}}
	return r.pageView(g.ByURL(url))
}

func TestStepNav(t *testing.T) {
	g := fixtureGraph(t)
	tests := []struct {
		url             string
		label           string
		n, of           int
		prev, next      string
		currentTitle    string
		wantPrintLink   string
		wantNoStepNavig bool
	}{
		{url: "/guide/what-is-an-hjp/", label: "Chapter", n: 1, of: 2, next: "/guide/referral-pathways/", currentTitle: "What a health justice partnership is", wantPrintLink: "/guide/print/"},
		{url: "/guide/referral-pathways/", label: "Chapter", n: 2, of: 2, prev: "/guide/what-is-an-hjp/", currentTitle: "Referral pathways", wantPrintLink: "/guide/print/"},
		// The funding report mixes models and chapters: one sequence.
		{url: "/funding/nhs-commissioning/", label: "Part", n: 1, of: 2, next: "/funding/funding-cliffs/", currentTitle: "NHS commissioning contracts", wantPrintLink: "/funding/print/"},
		{url: "/funding/funding-cliffs/", label: "Part", n: 2, of: 2, prev: "/funding/nhs-commissioning/", currentTitle: "Funding cliffs and closures", wantPrintLink: "/funding/print/"},
		{url: "/findings/f01-access-to-advice/", wantNoStepNavig: true},
		{url: "/guide/", wantNoStepNavig: true, wantPrintLink: "/guide/print/"},
	}
	for _, tc := range tests {
		v := viewOf(g, tc.url)
		if got := v.PrintLink(); got != tc.wantPrintLink {
			t.Errorf("%s: PrintLink = %q, want %q", tc.url, got, tc.wantPrintLink)
		}
		s := v.StepNav()
		if tc.wantNoStepNavig {
			if s != nil {
				t.Errorf("%s: unexpected step navigation %+v", tc.url, s)
			}
			continue
		}
		if s == nil {
			t.Errorf("%s: no step navigation", tc.url)
			continue
		}
		if s.Label != tc.label || s.N != tc.n || s.Of != tc.of {
			t.Errorf("%s: %s %d of %d, want %s %d of %d", tc.url, s.Label, s.N, s.Of, tc.label, tc.n, tc.of)
		}
		url := func(st *Step) string {
			if st == nil {
				return ""
			}
			return st.URL
		}
		if url(s.Prev) != tc.prev || url(s.Next) != tc.next {
			t.Errorf("%s: prev %q next %q, want %q and %q", tc.url, url(s.Prev), url(s.Next), tc.prev, tc.next)
		}
		var current []string
		for _, st := range s.Steps {
			if st.Current {
				current = append(current, st.Title)
			}
		}
		if len(current) != 1 || current[0] != tc.currentTitle {
			t.Errorf("%s: current steps %q, want [%q]", tc.url, current, tc.currentTitle)
		}
	}
}

func TestPageDates(t *testing.T) {
	v := &View{Page: &site.Page{Page: &content.Page{Meta: content.Meta{
		Updated: "2026-03-01",
		Changes: []content.Change{
			{Date: "2025-01-10", Note: "First published."},
			{Date: "2026-05-02", Note: "Evidence updated."},
			{Date: "2025-09-30", Note: "Audience widened."},
		},
	}}}}
	d := v.PageDates()
	if d.Published != "2025-01-10" || d.Updated != "2026-05-02" {
		t.Errorf("published %s, updated %s; want the first change and the newest date", d.Published, d.Updated)
	}
	var order []string
	for _, c := range d.History {
		order = append(order, c.Date)
	}
	if want := []string{"2026-05-02", "2025-09-30", "2025-01-10"}; !slices.Equal(order, want) {
		t.Errorf("history %v, want newest first %v", order, want)
	}
	if (&View{Page: &site.Page{Page: &content.Page{}}}).PageDates() != nil {
		t.Error("a page with no dates has a dates block")
	}
	only := (&View{Page: &site.Page{Page: &content.Page{Meta: content.Meta{Updated: "2026-01-02"}}}}).PageDates()
	if only.Updated != "2026-01-02" || only.Published != "" || only.History != nil {
		t.Errorf("updated only: %+v", only)
	}
}

func TestStrengthScale(t *testing.T) {
	g := fixtureGraph(t)
	v := &View{Site: g.Site, G: g}
	for _, tc := range []struct {
		key   string
		level int
		steps []bool
	}{
		{"strong", 3, []bool{true, true, true}},
		{"moderate", 2, []bool{true, true, false}},
		{"emerging", 1, []bool{true, false, false}},
	} {
		s := v.StrengthOf(&site.Page{Page: &content.Page{Meta: content.Meta{Strength: tc.key}}})
		if s.Level != tc.level || s.Of != 3 || !slices.Equal(s.Steps(), tc.steps) || s.Label == "" || s.Description == "" {
			t.Errorf("%s: %+v steps %v", tc.key, s, s.Steps())
		}
	}
	if v.StrengthOf(&site.Page{Page: &content.Page{}}) != nil {
		t.Error("no strength gives a scale")
	}
}

func TestFundingComparison(t *testing.T) {
	g := fixtureGraph(t)
	v := &View{Site: g.Site, G: g}
	tab := v.FundingComparison()
	if len(tab.Rows) != len(g.OfKind(content.KindFundingModel)) || len(tab.Rows) == 0 {
		t.Fatalf("%d rows for %d models", len(tab.Rows), len(g.OfKind(content.KindFundingModel)))
	}
	for _, row := range tab.Rows {
		var labels []string
		for _, c := range row.Cells {
			labels = append(labels, c.Label)
			if len(c.Items) == 0 {
				t.Errorf("%s: %s is empty", row.Page.URL, c.Label)
			}
		}
		if !slices.Equal(labels, tab.Columns) {
			t.Errorf("%s: columns %v, want %v", row.Page.URL, labels, tab.Columns)
		}
	}
	// A model that leaves fields out still fills every column.
	bare := &site.Page{Page: &content.Page{Kind: content.KindFundingModel, Meta: content.Meta{Title: "Bare"}}}
	facts := v.Facts(bare)
	got := map[string]string{}
	for _, f := range facts {
		got[f.Label] = f.Items[0].Text
	}
	if len(facts) != len(FundingColumns()) || got["Who pays"] != "Not known" || got["Strengths"] != "None recorded" {
		t.Errorf("bare model facts: %v", got)
	}
}

func TestMainNavAndFooter(t *testing.T) {
	g := fixtureGraph(t)
	v := viewOf(g, "/guide/what-is-an-hjp/")
	current := map[string]string{}
	for _, it := range v.MainNav() {
		current[it.URL] = it.Current
	}
	if current["/guide/"] != "true" || current["/funding/"] != "" {
		t.Errorf("nav marks %v", current)
	}
	if viewOf(g, "/guide/").MainNav()[0].Current != "page" {
		t.Error("the section's own page is not aria-current=page")
	}
	var footer []string
	for _, l := range v.FooterNav() {
		footer = append(footer, l.URL)
	}
	if !slices.Contains(footer, "/pages/accessibility/") {
		t.Errorf("footer %v has no accessibility statement", footer)
	}
}

func TestRelatedContentLeavesOutShownKinds(t *testing.T) {
	g := fixtureGraph(t)
	v := viewOf(g, "/findings/f01-access-to-advice/")
	all := v.RelatedContent()
	some := v.RelatedContent("recommendation")
	kinds := func(gs []site.KindGroup) (out []string) {
		for _, k := range gs {
			out = append(out, string(k.Kind))
		}
		return out
	}
	if !slices.Contains(kinds(all), "recommendation") || slices.Contains(kinds(some), "recommendation") {
		t.Errorf("all %v, without recommendations %v", kinds(all), kinds(some))
	}
	if !slices.Contains(kinds(all), "chapter") {
		t.Errorf("the chapter linking to the finding is not related: %v", kinds(all))
	}
}

func TestGlossaryEntries(t *testing.T) {
	g := fixtureGraph(t)
	es := viewOf(g, "/pages/glossary/").GlossaryEntries()
	if len(es) < 2 {
		t.Fatalf("entries %+v", es)
	}
	for i, e := range es {
		if e.ID != markdown.GlossaryID(e.Term) {
			t.Errorf("%s has ID %s", e.Term, e.ID)
		}
		if i > 0 && strings.ToLower(es[i-1].Term) > strings.ToLower(e.Term) {
			t.Errorf("not alphabetical: %s before %s", es[i-1].Term, e.Term)
		}
	}
}

func TestPrintDoc(t *testing.T) {
	g := fixtureGraph(t)
	r := &Renderer{G: g}
	doc := r.printDoc(g.Sections["guide"], "Chapter")
	if len(doc.Chapters) != 2 || doc.Chapters[0].ID != "what-is-an-hjp" || doc.Chapters[1].N != 2 {
		t.Fatalf("chapters %+v", doc.Chapters)
	}
	html := string(doc.Chapters[0].Content)
	for _, want := range []string{
		`<h3 id="what-is-an-hjp--what-they-do">`,                 // demoted and prefixed
		`href="#referral-pathways--warm-referral"`,               // a link to another chapter stays on the page
		`<a href="/findings/f01-access-to-advice/">`,             // a link outside the guide is left alone
		`<a href="#ref-beardon2021scoping">Beardon et al., 2021`, // citations point at the joined reference list
	} {
		if !strings.Contains(html, want) {
			t.Errorf("chapter 1 lacks %s:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<h2") {
		t.Error("a chapter heading was not demoted below the chapter's own H2")
	}
	if c := doc.Chapters[0].Contents; len(c) != 3 || c[0].ID != "what-is-an-hjp--what-they-do" {
		t.Errorf("contents %+v", c)
	}
	keys := map[string]bool{}
	for _, ref := range doc.References {
		if keys[ref.Key] {
			t.Errorf("reference %s listed twice", ref.Key)
		}
		keys[ref.Key] = true
	}
	for _, ch := range doc.Chapters {
		for _, ref := range ch.Page.References {
			if !keys[ref.Key] {
				t.Errorf("%s cites %s, missing from the joined list", ch.Page.URL, ref.Key)
			}
		}
	}
	fund := r.printDoc(g.Sections["funding"], "Part")
	if len(fund.Chapters) != 2 || fund.Chapters[0].Facts == nil || fund.Chapters[1].Facts != nil {
		t.Errorf("funding print: models carry their comparison block, chapters none: %+v", fund.Chapters)
	}
}

// TestModelsMadeOncePerBuild checks that the findings model and the
// evidence map, which several pages show, are made once per build and
// made again after ResetCache, and that they are what a fresh build of
// them gives.
func TestModelsMadeOncePerBuild(t *testing.T) {
	g := fixtureGraph(t)
	r := &Renderer{G: g, Theme: &Theme{}, cache: new(drawings)}
	a, b := r.pageView(g.ByURL("/")), r.pageView(g.ByURL("/findings/"))
	if a.EvidenceMap() != b.EvidenceMap() {
		t.Error("two pages made their own evidence map")
	}
	if first, second := r.findingsModel(), r.findingsModel(); first != second {
		t.Error("the findings model was made twice")
	}
	if got, want := a.EvidenceMap(), NewEvidenceMap(g); !reflect.DeepEqual(got, want) {
		t.Error("the shared evidence map differs from a new one")
	}
	if got, want := a.RecommendationMap(), NewRecommendationMap(g); !reflect.DeepEqual(got, want) {
		t.Error("the recommendation map from the shared model differs from a new one")
	}
	if got, want := b.FindingsIndex(), newFindingsModel(g).index(nil); !reflect.DeepEqual(got, want) {
		t.Error("the findings index from the shared model differs from a new one")
	}
	fm, em := r.findingsModel(), a.EvidenceMap()
	if len(fm.findings) == 0 || len(em.Rows) == 0 {
		t.Fatal("the fixture has no findings to map")
	}
	r.ResetCache()
	if r.findingsModel() == fm || a.EvidenceMap() == em {
		t.Error("ResetCache kept the models")
	}
}
