package markdown

import (
	"strings"
	"testing"

	"hjp/internal/diag"
)

func testGlossary() *Glossary {
	return NewGlossary("/pages/glossary/", []GlossaryTerm{
		{Term: "Health justice partnership", Abbr: "HJP", Definition: "A partnership."},
		{Term: "Warm referral", Definition: "An introduction in person.", Aliases: []string{"warm handover"}},
		{Term: "Integrated care board", Abbr: "ICB", Definition: "The NHS body."},
		{Term: "Referral", Definition: "Sending someone on."}, // on the stop list
	}, DefaultGlossaryStopList())
}

func TestGlossaryLinks(t *testing.T) {
	const hjp = `<a class="glossary-link" href="/pages/glossary/#term-health-justice-partnership">`
	const warm = `<a class="glossary-link" href="/pages/glossary/#term-warm-referral">`
	tests := []struct {
		name, body string
		want       string // a fragment of the HTML
		count      int    // glossary links expected
	}{
		{"first use only", "An HJP helps. Another HJP helps.\n",
			`<p>An ` + hjp + `<abbr title="Health justice partnership">HJP</abbr></a> helps. Another HJP helps.</p>`, 1},
		{"plural abbreviation", "Many HJPs exist.\n",
			hjp + `<abbr title="Health justice partnership">HJPs</abbr></a> exist`, 1},
		{"abbreviation is case-sensitive", "The hjp command.\n", `<p>The hjp command.</p>`, 0},
		{"term in any case", "A health justice partnership works.\n",
			`A ` + hjp + `health justice partnership</a> works.`, 1},
		{"phrase across a line break", "A health justice\npartnership works.\n",
			`A ` + hjp + "health justice\npartnership</a> works.", 1},
		{"alias", "Use a warm handover.\n", `Use a ` + warm + `warm handover</a>.`, 1},
		{"whole words only", "The HJPX and preHJP and ICBs.\n", `The HJPX and preHJP and `, 1},
		{"never in headings", "## What an HJP does\n\nText.\n", `<h2 id="what-an-hjp-does">What an HJP does</h2>`, 0},
		{"heading does not use up the term", "## HJP\n\nAn HJP.\n", `An ` + hjp, 1},
		{"never in links", "[An HJP](../a.md) and HJP.\n", `<a href="/a/">An HJP</a> and ` + hjp, 1},
		{"never in code", "Run `HJP` or\n\n    HJP\n", `<code>HJP</code>`, 0},
		{"stop list", "A referral is made.\n", `<p>A referral is made.</p>`, 0},
		{"longest phrase wins", "A warm referral.\n", `A ` + warm + `warm referral</a>.`, 1},
		{"inside emphasis", "An *HJP* helps.\n", `<em>` + hjp, 1},
		{"never in table headers", "| HJP | x |\n|---|---|\n| HJP | y |\n", `<th>HJP</th>`, 1},
		{"two terms in one text", "An HJP and an ICB.\n", `<abbr title="Integrated care board">ICB</abbr>`, 2},
		// A term matches without case, so the long s matches "s" (and the
		// Kelvin sign "k"), even where it starts a word.
		{"long s in a term", "A health juſtice partnerſhip works.\n",
			`A ` + hjp + `health juſtice partnerſhip</a> works.`, 1},
		{"long s starting a word", "Do not\n\nlet a warm handover ſlip. A ſtrange health juſtice partnerſhip.\n",
			hjp + `health juſtice partnerſhip</a>.`, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, diags := renderPage(t, tc.body, Input{Glossary: testGlossary()})
			for _, d := range diags {
				t.Errorf("unexpected diagnostic: %v", d)
			}
			html := string(doc.HTML)
			if !strings.Contains(html, tc.want) {
				t.Errorf("HTML:\n%s\nwant fragment:\n%s", html, tc.want)
			}
			if n := strings.Count(html, `class="glossary-link"`); n != tc.count {
				t.Errorf("%d glossary links, want %d:\n%s", n, tc.count, html)
			}
		})
	}
}

// TestGlossaryFoldingLetters checks a term is linked where its first word
// holds the long s or the Kelvin sign, which match "s" and "k" without
// case but which the word index does not count as letters.
func TestGlossaryFoldingLetters(t *testing.T) {
	g := NewGlossary("/g/", []GlossaryTerm{{Term: "Case worker"}, {Term: "Walk-in clinic"}}, nil)
	for body, want := range map[string]string{
		"A caſe worker helps.\n":           `A <a class="glossary-link" href="/g/#term-case-worker">caſe worker</a> helps.`,
		"Try the wal\u212a-in clinic.\n":   `Try the <a class="glossary-link" href="/g/#term-walk-in-clinic">wal` + "\u212a" + `-in clinic</a>.`,
		"A case worker and ſocial care.\n": `A <a class="glossary-link" href="/g/#term-case-worker">case worker</a> and ſocial care.`,
	} {
		doc, _ := renderPage(t, body, Input{Glossary: g})
		if !strings.Contains(string(doc.HTML), want) {
			t.Errorf("HTML of %q:\n%s\nwant fragment:\n%s", body, doc.HTML, want)
		}
	}
}

// TestGlossaryKeepsSearchText checks the linked words stay in the plain
// text for search and the word count.
func TestGlossaryKeepsSearchText(t *testing.T) {
	doc, _ := renderPage(t, "An HJP helps people.\n", Input{Glossary: testGlossary()})
	if len(doc.Sections) != 1 || doc.Sections[0].Text != "An HJP helps people." {
		t.Errorf("sections = %+v", doc.Sections)
	}
	if doc.Words != 4 {
		t.Errorf("words = %d, want 4", doc.Words)
	}
}

func TestHeadingShiftAndPrefix(t *testing.T) {
	doc, _ := renderPage(t, "## One\n\nSee [one](#one).\n\n### Two\n\n###### Six\n", Input{HeadingShift: 1, IDPrefix: "ch1--"})
	html := string(doc.HTML)
	for _, want := range []string{`<h3 id="ch1--one">One</h3><a class="heading-link" href="#ch1--one"`, `<h4 id="ch1--two">`, `<h6 id="ch1--six">`} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %s in\n%s", want, html)
		}
	}
	doc, _ = renderPage(t, "## One\n", Input{HeadingShift: 1, IDPrefix: "ch1--", PlainHeadings: true})
	html = string(doc.HTML)
	for _, want := range []string{"<h3 id=\"ch1--one\">One</h3>\n"} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %s in\n%s", want, html)
		}
	}
	if strings.Contains(html, "heading-link") || strings.Contains(html, plainHeadingAttr) {
		t.Errorf("plain headings have a self-link or the marker attribute:\n%s", html)
	}
	if doc.Headings[0].ID != "one" || doc.Headings[0].Level != 2 {
		t.Errorf("Doc.Headings keep the page's own IDs and levels: %+v", doc.Headings[0])
	}
}

func BenchmarkGlossary(b *testing.B) {
	body := []byte(strings.Repeat("A health justice partnership and an HJP with a warm referral to the ICB.\n\n", 200))
	g := testGlossary()
	r := New()
	for b.Loop() {
		r.Render(Input{File: diag.NewFile("x.md", body), Body: body, Resolver: linkAllResolver{}, Glossary: g})
	}
}

func TestTaskListBoxes(t *testing.T) {
	doc, _ := renderPage(t, "- [ ] Agree aims\n- [x] Find a venue\n", Input{})
	html := string(doc.HTML)
	for _, want := range []string{
		`<li><span class="task-box" aria-hidden="true"></span>Agree aims</li>`,
		`<li><span class="task-box task-box-done" aria-hidden="true"></span><span class="visually-hidden">Done: </span>Find a venue</li>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %s in\n%s", want, html)
		}
	}
	if strings.Contains(html, "<input") {
		t.Errorf("a task list still writes an unlabelled checkbox:\n%s", html)
	}
}
