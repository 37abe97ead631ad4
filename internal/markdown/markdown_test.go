package markdown

import (
	"errors"
	"strings"
	"testing"
	"time"

	"hjp/internal/diag"
)

// fakeResolver knows a few pages and references.
type fakeResolver struct{}

func (fakeResolver) ResolveLink(dest string, image bool) (Target, error) {
	path, anchor, _ := strings.Cut(dest, "#")
	switch path {
	case "":
		return Target{URL: "#" + anchor, Page: "self", Anchor: anchor}, nil
	case "../findings/f03-shared-goals.md", "/findings/f03-shared-goals.md":
		u := "/findings/f03-shared-goals/"
		if anchor != "" {
			u += "#" + anchor
		}
		return Target{URL: u, Page: "findings/f03-shared-goals.md", Anchor: anchor}, nil
	case "chart.png":
		return Target{URL: "/guide/chart.png"}, nil
	}
	return Target{}, errors.New("link to missing file \"" + dest + "\"")
}

func (fakeResolver) Cite(key string) (Cite, bool) {
	switch key {
	case "genn2019":
		return Cite{Names: "Genn", Year: "2019", Href: "#ref-genn2019"}, true
	case "beardon2021":
		return Cite{Names: "Beardon et al.", Year: "2021a", Href: "#ref-beardon2021"}, true
	case "pleasence2004":
		return Cite{Names: "Pleasence and Balmer", Year: "2004", Href: "#ref-pleasence2004"}, true
	}
	return Cite{}, false
}

func (fakeResolver) CiteKeys() []string { return []string{"genn2019", "beardon2021", "pleasence2004"} }

func render(t *testing.T, body string) (Doc, diag.List) {
	t.Helper()
	src := "---\ntitle: T\n---\n" + body
	f := diag.NewFile("content/guide/01-x.md", []byte(src))
	off := len("---\ntitle: T\n---\n")
	return New().Render(Input{File: f, Body: []byte(src[off:]), Offset: off, Resolver: fakeResolver{}})
}

func TestLinkRewriting(t *testing.T) {
	doc, d := render(t, "See [goals](../findings/f03-shared-goals.md#why), [rooted](/findings/f03-shared-goals.md), [here too](#local), [ext](https://example.org/x.md) and ![Chart](chart.png).\n\n## Local\n")
	if len(d) != 0 {
		t.Fatalf("diagnostics: %v", d)
	}
	html := string(doc.HTML)
	for _, want := range []string{
		`<a href="/findings/f03-shared-goals/#why">goals</a>`,
		`<a href="/findings/f03-shared-goals/">rooted</a>`,
		`<a href="#local">here too</a>`,
		`<a href="https://example.org/x.md">ext</a>`,
		`<img src="/guide/chart.png" alt="Chart">`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %s in\n%s", want, html)
		}
	}
	if len(doc.Links) != 3 || doc.Links[0].Anchor != "why" || doc.Links[0].Line != 4 || doc.Links[0].Col != 5 {
		t.Errorf("links = %+v", doc.Links)
	}
}

func TestLinkErrors(t *testing.T) {
	tests := []struct{ body, want string }{
		{"Text [x](missing.md) more.\n", `content/guide/01-x.md:4:6: error: link to missing file "missing.md"`},
		{"Line one.\n\n- item [a](b.md)\n", `content/guide/01-x.md:6:8: error: link to missing file "b.md"`},
		{"[x](javascript:alert(1))\n", `content/guide/01-x.md:4:1: error: link to a javascript: URL is not allowed: it would run code in the reader's browser`},
		{"![x](data:image/png;base64,AAAA)\n", `content/guide/01-x.md:4:1: error: image to a data: URL is not allowed: put the file in content/ and link to it`},
		{"[x](<>)\n", `content/guide/01-x.md:4:1: error: link has no destination: write [text](path/to/page.md)`},
	}
	for _, tt := range tests {
		_, d := render(t, tt.body)
		if len(d) != 1 || d[0].String() != tt.want {
			t.Errorf("%q:\ngot  %v\nwant %s", tt.body, d, tt.want)
		}
	}
}

func TestHeadingIDs(t *testing.T) {
	doc, d := render(t, "## Shared goals\n\n## Shared goals\n\n### What's *new*? {#news}\n\n## News\n\n## Café `code`\n\n## !!!\n")
	if len(d) != 0 {
		t.Fatalf("diagnostics: %v", d)
	}
	var ids []string
	for _, h := range doc.Headings {
		ids = append(ids, h.ID)
	}
	want := "shared-goals shared-goals-1 news news-1 cafe-code section"
	if strings.Join(ids, " ") != want {
		t.Errorf("ids = %v, want %s", ids, want)
	}
	if doc.Headings[2].Text != "What's new?" || doc.Headings[2].Level != 3 || doc.Headings[2].Line != 8 {
		t.Errorf("heading 3 = %+v", doc.Headings[2])
	}
	html := string(doc.HTML)
	if !strings.Contains(html, `<div class="heading"><h2 id="shared-goals">Shared goals</h2><a class="heading-link" href="#shared-goals" aria-label="Link to this section: Shared goals">#</a></div>`) {
		t.Errorf("heading markup:\n%s", html)
	}
}

func TestHeadingIDErrors(t *testing.T) {
	_, d := render(t, "## A {#same}\n\n## B {#same}\n")
	if len(d) != 1 || d[0].String() != `content/guide/01-x.md:6:1: error: heading ID {#same} is used twice on this page` {
		t.Errorf("got %v", d)
	}
}

func TestHeadingAttributesOtherThanIDAreDropped(t *testing.T) {
	doc, _ := render(t, "## Title {#t .red style=\"color:red\" onclick=\"x()\"}\n")
	if s := string(doc.HTML); strings.Contains(s, "style") || strings.Contains(s, "onclick") || strings.Contains(s, "red") {
		t.Errorf("attributes leaked: %s", s)
	}
}

func TestCitations(t *testing.T) {
	tests := []struct{ body, want string }{
		{"A [@genn2019].", `A <span class="citation">(<a href="#ref-genn2019">Genn, 2019</a>)</span>.`},
		{"A [@genn2019, p. 12].", `A <span class="citation">(<a href="#ref-genn2019">Genn, 2019</a>, p. 12)</span>.`},
		{"A [@genn2019; @beardon2021].", `A <span class="citation">(<a href="#ref-genn2019">Genn, 2019</a>; <a href="#ref-beardon2021">Beardon et al., 2021a</a>)</span>.`},
		{"A [see @pleasence2004, ch. 2; @genn2019].", `A <span class="citation">(see <a href="#ref-pleasence2004">Pleasence and Balmer, 2004</a>, ch. 2; <a href="#ref-genn2019">Genn, 2019</a>)</span>.`},
		{"As @genn2019 argues.", `As <span class="citation"><a href="#ref-genn2019">Genn (2019)</a></span> argues.`},
		{"(@beardon2021) found.", `(<span class="citation"><a href="#ref-beardon2021">Beardon et al. (2021a)</a></span>) found.`},
		{"Mail me@genn2019.org or [me@genn2019](mailto:x@y.z).", `Mail <a href="mailto:me@genn2019.org">me@genn2019.org</a> or <a href="mailto:x@y.z">me@genn2019</a>.`},
		{"A [shared goals](../findings/f03-shared-goals.md) [@genn2019].", `A <a href="/findings/f03-shared-goals/">shared goals</a> <span class="citation">(<a href="#ref-genn2019">Genn, 2019</a>)</span>.`},
	}
	for _, tt := range tests {
		doc, d := render(t, tt.body+"\n")
		if len(d) != 0 {
			t.Errorf("%q: diagnostics %v", tt.body, d)
		}
		got := strings.TrimSuffix(strings.TrimPrefix(string(doc.HTML), "<p>"), "</p>\n")
		if got != tt.want {
			t.Errorf("%q:\ngot  %s\nwant %s", tt.body, got, tt.want)
		}
	}
	doc, _ := render(t, "[@genn2019] and @beardon2021 and [@genn2019].\n")
	if strings.Join(doc.Citations, ",") != "genn2019,beardon2021" {
		t.Errorf("citations in first-use order = %v", doc.Citations)
	}
}

func TestUnknownCitation(t *testing.T) {
	_, d := render(t, "Text [@gen2019] and @nobody.\n")
	want := []string{
		`content/guide/01-x.md:4:6: error: unknown citation key "gen2019" (did you mean "genn2019"?): add it to content/references.yaml`,
		`content/guide/01-x.md:4:21: error: unknown citation key "nobody": add it to content/references.yaml`,
	}
	if len(d) != 2 || d[0].String() != want[0] || d[1].String() != want[1] {
		t.Errorf("got %v", d)
	}
}

func TestRawHTML(t *testing.T) {
	body := "<script>alert(1)</script>\n\n<!-- editor's note -->\n\nHi <b onclick=\"x()\" style=\"color:red\">there</b> <a href=\" javascript:alert(1)\">x</a>\n\n<details><summary>More</summary>\n\nHidden <img src=\"data:image/png;base64,AA\" alt=\"a\"> text.\n\n</details>\n"
	doc, d := render(t, body)
	if s := string(doc.HTML); strings.Contains(s, "<script") || strings.Contains(s, "onclick") || strings.Contains(s, "<b") || strings.Contains(s, "omitted") {
		t.Errorf("raw HTML passed through without opt-in: %s", s)
	}
	var got []string
	for _, x := range d {
		got = append(got, x.String())
	}
	warn := "warning: raw HTML is not shown: add raw_html: true to the front matter to allow it (scripts and styles are removed even then)"
	want := []string{
		"content/guide/01-x.md:4:1: " + warn,
		"content/guide/01-x.md:8:4: " + warn,
		"content/guide/01-x.md:8:44: " + warn,
		"content/guide/01-x.md:8:49: " + warn,
		"content/guide/01-x.md:8:81: " + warn,
		"content/guide/01-x.md:10:1: " + warn,
		"content/guide/01-x.md:12:8: " + warn,
		"content/guide/01-x.md:14:1: " + warn,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("without opt-in:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	src := "---\nraw_html: true\n---\n" + body
	f := diag.NewFile("content/guide/01-x.md", []byte(src))
	doc, d = New().Render(Input{File: f, Body: []byte(body), Offset: len(src) - len(body), RawHTML: true, Resolver: fakeResolver{}})
	html := string(doc.HTML)
	for _, bad := range []string{"<script", "alert(1)</", "onclick", "style=", "javascript", "data:", "editor"} {
		if strings.Contains(html, bad) {
			t.Errorf("opted-in raw HTML still has %q:\n%s", bad, html)
		}
	}
	for _, good := range []string{"<b>there</b>", "<details><summary>More</summary>", `<img alt="a">`, "</details>"} {
		if !strings.Contains(html, good) {
			t.Errorf("opted-in raw HTML lost %q:\n%s", good, html)
		}
	}
	got = got[:0]
	for _, x := range d {
		got = append(got, x.String())
	}
	want = []string{
		"content/guide/01-x.md:4:1: warning: raw HTML <script> was removed: pages cannot embed scripts, styles or frames",
		"content/guide/01-x.md:8:4: warning: raw HTML attribute onclick on <b> was removed: pages cannot run scripts",
		"content/guide/01-x.md:8:4: warning: raw HTML style attribute on <b> was removed: style pages through the theme's stylesheet",
		"content/guide/01-x.md:8:49: error: javascript: URL in raw HTML is refused: it would run code in the reader's browser",
		"content/guide/01-x.md:12:8: warning: raw HTML data: URL on <img> was removed: put the file in content/ and link to it",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("with opt-in:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSectionsAndWords(t *testing.T) {
	doc, _ := render(t, "Intro text here [@genn2019].\n\n## First part\n\nOne two three.\n\n```\ncode not indexed\n```\n\n| a | b |\n|---|---|\n| c | d |\n")
	if len(doc.Sections) != 2 {
		t.Fatalf("sections = %+v", doc.Sections)
	}
	if doc.Sections[0].ID != "" || doc.Sections[0].Text != "Intro text here (Genn, 2019)." {
		t.Errorf("section 0 = %+v", doc.Sections[0])
	}
	if doc.Sections[1].ID != "first-part" || doc.Sections[1].Title != "First part" || doc.Sections[1].Text != "One two three. a b c d" {
		t.Errorf("section 1 = %+v", doc.Sections[1])
	}
	if doc.Words != 5+2+7 {
		t.Errorf("words = %d", doc.Words)
	}
}

func TestLimits(t *testing.T) {
	var deep strings.Builder
	for i := range 1000 {
		deep.WriteString(strings.Repeat("  ", i) + "- x\n")
	}
	tests := []struct{ body, want string }{
		{"Fine.\n\n" + deep.String(), `content/guide/01-x.md:54:1: error: line starts with 98 columns of indentation and list or quote markers, more than hjp allows (96): lists nest this deep only by mistake`},
		{strings.Repeat("- ", 10000) + "x\n", `content/guide/01-x.md:4:1: error: line starts with 20000 columns of indentation and list or quote markers, more than hjp allows (96): lists nest this deep only by mistake`},
		{strings.Repeat(">", 10000) + " x\n", `content/guide/01-x.md:4:1: error: line opens 10000 quote levels, more than hjp allows (32)`},
	}
	for _, tt := range tests {
		start := time.Now()
		doc, d := render(t, tt.body)
		if len(d) != 1 || d[0].String() != tt.want {
			t.Errorf("got %v\nwant %s", d, tt.want)
		}
		if len(doc.HTML) != 0 || time.Since(start) > time.Second {
			t.Errorf("pathological page was rendered (%d bytes, %v)", len(doc.HTML), time.Since(start))
		}
	}
	// Deep but legitimate nesting still renders.
	if _, d := render(t, "- a\n  - b\n    - c\n      > quote\n\n1. one\n2) two\n- - - nested on one line\n"); len(d) != 0 {
		t.Errorf("normal nesting refused: %v", d)
	}
}
