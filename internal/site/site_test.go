package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"hjp/internal/config"
	"hjp/internal/content"
	"hjp/internal/diag"
	"hjp/internal/markdown"
	"hjp/internal/testsite"
)

// graphOf loads files (paths under content/) with the fixture's site.yaml
// and references, renders the Markdown and finishes the graph.
func graphOf(t testing.TB, files map[string]string) (*Graph, diag.List) {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, name := range []string{"site.yaml", "references.yaml"} {
		b, err := os.ReadFile(filepath.Join(testsite.Fixture(), "content", name))
		if err != nil {
			t.Fatal(err)
		}
		fsys["content/"+name] = &fstest.MapFile{Data: b}
	}
	fsys["content/_index.md"] = &fstest.MapFile{Data: []byte(fm("title: Home\nsummary: S"))}
	for p, s := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(s)}
	}
	cfg, d := config.Load(fsys, config.Options{})
	if cfg == nil {
		t.Fatal(d)
	}
	set, l := content.Load(fsys, cfg, content.LoadOptions{})
	g, d := New(cfg, set)
	l.Add(d...)
	md := markdown.New()
	docs := make([]markdown.Doc, len(g.Pages))
	for i, p := range g.Pages {
		var d diag.List
		docs[i], d = md.Render(markdown.Input{File: p.File, Body: p.Body, Offset: p.BodyOffset, Resolver: g.Resolver(p)})
		l.Add(d...)
	}
	l.Add(g.Finish(docs)...)
	return g, l.Sort()
}

func fm(fields string) string { return "---\n" + fields + "\n---\n" }

func errorsOnly(l diag.List) []string {
	var out []string
	for _, d := range l {
		if d.Severity == diag.Error {
			out = append(out, d.String())
		}
	}
	return out
}

func TestRelationsBothWays(t *testing.T) {
	g, l := graphOf(t, map[string]string{
		"content/findings/f01-a.md":        fm("title: A\nsummary: S\nid: F1\nfactor: collaboration\ncase_studies: [leeds]"),
		"content/findings/f02-b.md":        fm("title: B\nsummary: S\nid: F2\nfactor: collaboration"),
		"content/recommendations/r01-x.md": fm("title: X\nsummary: S\nid: R1\naudience: [commissioners]\nfindings: [F2, F1]"),
		"content/case-studies/leeds.md":    fm("title: Leeds\nsummary: S\nsetting: hospital\nmodel: referral\nfunding: [trust-money]\nfindings: [F2]"),
		"content/funding/trust-money.md":   fm("title: Trust\nsummary: S\nmodel: nhs-trust\npayer: A trust\nduration: 1 year\nrisk: high"),
		"content/guide/01-intro.md":        fm("title: Intro\nsummary: S") + "See [A](../findings/f01-a.md) and [the case](/case-studies/leeds.md).\n",
	})
	if e := errorsOnly(l); len(e) > 0 {
		t.Fatalf("errors: %v", e)
	}
	titles := func(ps []*Page) string {
		var s []string
		for _, p := range ps {
			s = append(s, p.Meta.Title)
		}
		return strings.Join(s, ",")
	}
	f1, f2 := g.ByID("F1"), g.ByID("F2")
	r1 := g.ByID("R1")
	leeds := g.BySlug(content.KindCaseStudy, "leeds")
	trust := g.BySlug(content.KindFundingModel, "trust-money")
	checks := []struct{ what, got, want string }{
		{"R1 findings", titles(r1.Related[content.KindFinding]), "A,B"},
		{"F1 supports", titles(f1.Related[content.KindRecommendation]), "X"},
		{"F2 supports", titles(f2.Related[content.KindRecommendation]), "X"},
		{"F1 seen in", titles(f1.Related[content.KindCaseStudy]), "Leeds"},
		{"F2 seen in", titles(f2.Related[content.KindCaseStudy]), "Leeds"},
		{"Leeds findings", titles(leeds.Related[content.KindFinding]), "A,B"},
		{"Leeds funding", titles(leeds.Related[content.KindFundingModel]), "Trust"},
		{"Trust case studies", titles(trust.Related[content.KindCaseStudy]), "Leeds"},
		{"F1 linked from", titles(f1.LinkedFrom), "Intro"},
		{"Leeds linked from", titles(leeds.LinkedFrom), "Intro"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
	if f1.ShortURL != "/f/1/" || g.AliasTarget("/r/1/") != r1 {
		t.Errorf("short links: %q, %v", f1.ShortURL, g.AliasTarget("/r/1/"))
	}
}

func TestGraphErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"unknown relation targets", map[string]string{
			"content/findings/f01-a.md":        fm("title: A\nsummary: S\nid: F1\nfactor: collaboration"),
			"content/recommendations/r01-x.md": fm("title: X\nsummary: S\nid: R1\naudience: [commissioners]\nfindings: [F1, F9]\ncase_studies: [leds]\nsources: [gen2019]"),
			"content/case-studies/leeds.md":    fm("title: Leeds\nsummary: S\nsetting: hospital\nmodel: referral\nfunding: [nope]"),
		}, []string{
			`content/case-studies/leeds.md:6:11: error: unknown funding model "nope": the site has no funding models yet`,
			`content/recommendations/r01-x.md:6:16: error: unknown finding "F9" (did you mean "F1"?)`,
			`content/recommendations/r01-x.md:7:16: error: unknown case study "leds" (did you mean "leeds"?)`,
			`content/recommendations/r01-x.md:8:11: error: unknown source "gen2019": add it to content/references.yaml`,
		}},
		{"relation to a draft", map[string]string{
			"content/findings/f01-a.md":        fm("title: A\nsummary: S\nid: F1\nfactor: collaboration\ndraft: true"),
			"content/recommendations/r01-x.md": fm("title: X\nsummary: S\nid: R1\naudience: [commissioners]\nfindings: [F1]"),
		}, []string{
			`content/recommendations/r01-x.md:6:12: error: finding "F1" is a draft (content/findings/f01-a.md): publish it or remove it from this list`,
		}},
		{"links: missing file, draft, missing anchor, outside content", map[string]string{
			"content/guide/01-a.md": fm("title: A\nsummary: S") + "## Why it matters\n\n[b](02-b.md) [c](03-c.md) [d](02-b.md#nowhere) [e](#why-it-mater) [f](../../etc/passwd.md) [g](/findings/)\n",
			"content/guide/02-b.md": fm("title: B\nsummary: S") + "## Somewhere\n",
			"content/guide/03-c.md": fm("title: C\nsummary: S\ndraft: true"),
		}, []string{
			`content/guide/01-a.md:7:14: error: link to draft page content/guide/03-c.md: publish it (remove draft: true) or remove the link`,
			`content/guide/01-a.md:7:27: error: no heading #nowhere in content/guide/02-b.md`,
			`content/guide/01-a.md:7:48: error: no heading #why-it-mater on this page (did you mean "#why-it-matters"?)`,
			`content/guide/01-a.md:7:67: error: link "../../etc/passwd.md" points outside content/`,
		}},
		{"aliases that shadow pages or each other", map[string]string{
			"content/guide/01-a.md":            fm("title: A\nsummary: S\naliases: [/guide/b/, /old/, /search/]"),
			"content/guide/02-b.md":            fm("title: B\nsummary: S\naliases: [/old]"),
			"content/findings/f01-a.md":        fm("title: F\nsummary: S\nid: F1\nfactor: collaboration\naliases: [/r/1/]"),
			"content/recommendations/r01-x.md": fm("title: X\nsummary: S\nid: R1\naudience: [commissioners]"),
		}, []string{
			`content/findings/f01-a.md:6:11: error: alias /r/1/ already redirects to /recommendations/r01-x/ (content/recommendations/r01-x.md)`,
			`content/guide/01-a.md:4:11: error: alias /guide/b/ shadows the page content/guide/02-b.md: remove the alias or move that page`,
			`content/guide/01-a.md:4:29: error: alias /search/ is the URL of the search page`,
			`content/guide/02-b.md:4:11: error: alias /old/ already redirects to /guide/a/ (content/guide/01-a.md)`,
		}},
		{"two pages with one URL", map[string]string{
			"content/guide/01-intro.md":     fm("title: A\nsummary: S"),
			"content/guide/intro/_index.md": fm("title: B\nsummary: S"),
		}, []string{
			`content/guide/intro/_index.md:1:1: error: page URL /guide/intro/ is already taken by content/guide/01-intro.md: rename one of the files`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, l := graphOf(t, tt.files)
			got := errorsOnly(l)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestTaxonomies(t *testing.T) {
	g, l := graphOf(t, map[string]string{
		"content/findings/f01-a.md":        fm("title: A\nsummary: S\nid: F1\nfactor: collaboration\nsettings: [hospital]\nthemes: [housing]"),
		"content/recommendations/r01-x.md": fm("title: X\nsummary: S\nid: R1\naudience: [commissioners, researchers]\nthemes: [housing, debt]"),
		"content/case-studies/leeds.md":    fm("title: Leeds\nsummary: S\nsetting: hospital\nmodel: referral\nthemes: [housing]"),
	})
	if e := errorsOnly(l); len(e) > 0 {
		t.Fatalf("errors: %v", e)
	}
	term := func(tx, key string) *Term {
		for _, x := range g.Taxonomies {
			for _, tm := range x.Terms {
				if x.Name == tx && tm.Key == key {
					return tm
				}
			}
		}
		return nil
	}
	housing := term("themes", "housing")
	if housing == nil || housing.URL != "/themes/housing/" {
		t.Fatalf("housing term = %+v", housing)
	}
	var groups []string
	for _, gr := range housing.Groups() {
		groups = append(groups, gr.Label+":"+gr.Pages[0].Meta.Title)
	}
	if strings.Join(groups, " ") != "Recommendations:X Findings:A Case studies:Leeds" {
		t.Errorf("housing groups = %v", groups)
	}
	if n := len(term("settings", "hospital").Pages); n != 2 {
		t.Errorf("hospital has %d pages, want 2", n)
	}
	if n := len(term("audiences", "researchers").Pages); n != 1 {
		t.Errorf("researchers has %d pages", n)
	}
	if n := len(term("factors", "collaboration").Pages); n != 1 {
		t.Errorf("collaboration has %d pages", n)
	}
	if p := term("themes", "employment"); p == nil || len(p.Pages) != 0 {
		t.Errorf("unused term must exist with no pages: %+v", p)
	}
}

func TestNeverCitedReferenceIsAWarning(t *testing.T) {
	_, l := graphOf(t, map[string]string{
		"content/guide/01-a.md": fm("title: A\nsummary: S") + "Text [@beardon2021scoping].\n",
	})
	var warns []string
	for _, d := range l {
		if d.Severity == diag.Warning {
			warns = append(warns, d.String())
		}
	}
	if len(warns) == 0 || !strings.HasPrefix(warns[0], "content/references.yaml:") || !strings.Contains(warns[0], "is never cited") {
		t.Errorf("warnings = %v", warns)
	}
	for _, w := range warns {
		if strings.Contains(w, "beardon2021scoping") {
			t.Errorf("a cited reference was reported: %s", w)
		}
	}
}
