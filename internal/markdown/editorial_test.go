package markdown

import (
	"fmt"
	"strings"
	"testing"

	"hjp/internal/diag"
)

// linkAllResolver resolves every .md link to /x/ and knows one citation key.
type linkAllResolver struct{}

func (linkAllResolver) ResolveLink(dest string, image bool) (Target, error) {
	page, anchor, _ := strings.Cut(dest, "#")
	u := "/" + strings.TrimSuffix(strings.TrimPrefix(page, "../"), ".md") + "/"
	if page == "" {
		u = ""
	}
	if anchor != "" {
		u += "#" + anchor
	}
	return Target{URL: u, Page: page, Anchor: anchor}, nil
}

func (linkAllResolver) Cite(key string) (Cite, bool) {
	if key == "genn2019" {
		return Cite{Names: "Genn", Year: "2019", Href: "#ref-genn2019"}, true
	}
	return Cite{}, false
}

func (linkAllResolver) CiteKeys() []string { return []string{"genn2019"} }

// render renders a page body that starts after a two-line front matter,
// so positions are checked against a real file offset.
func renderPage(t *testing.T, body string, in Input) (Doc, diag.List) {
	t.Helper()
	front := "---\ntitle: T\n---\n"
	src := []byte(front + body)
	in.File = diag.NewFile("content/x.md", src)
	in.Body = src[len(front):]
	in.Offset = len(front)
	if in.Resolver == nil {
		in.Resolver = linkAllResolver{}
	}
	return New().Render(in)
}

func words(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = "word"
	}
	return strings.Join(w, " ")
}

func TestEditorialChecks(t *testing.T) {
	long := "Long " + words(35) + "."
	tests := []struct {
		name string
		body string
		want []string // "line:col: message"
	}{
		{"clean page", "## One\n\nA [useful guide](../guide/a.md) to read.\n\n### Two\n\n## Three\n", nil},
		{"h1 in markdown", "# Title again\n", []string{
			"4:1: the page title is the page's only H1: make this heading ## (H2) or lower"}},
		{"skipped level from the title", "Intro.\n\n### Too deep\n", []string{
			`6:1: heading "Too deep" skips from H1 to H3: make it ## (H2) so screen reader users do not think a section is missing`}},
		{"skipped level later", "## A\n\n#### B\n", []string{
			`6:1: heading "B" skips from H2 to H4: make it ### (H3) so screen reader users do not think a section is missing`}},
		{"image without alt", "Text.\n\n![](chart.png)\n", []string{
			"6:1: image has no alt text: describe what it shows, like ![Bar chart of referrals by month](chart.png)"}},
		{"image with alt", "![Bar chart](chart.png)\n", nil},
		{"click here", "To apply, [click here](../a.md).\n", []string{
			`4:11: link text "click here" says nothing out of context: say where the link goes, like [the referral checklist](…)`}},
		{"here, any case", "Read it [Here](../a.md).\n", []string{
			`4:9: link text "Here" says nothing out of context: say where the link goes, like [the referral checklist](…)`}},
		{"read more and more", "[Read more](../a.md) or [more](../b.md).\n", []string{
			`4:1: link text "Read more" says nothing out of context: say where the link goes, like [the referral checklist](…)`,
			`4:25: link text "more" says nothing out of context: say where the link goes, like [the referral checklist](…)`}},
		{"bare URL as text", "See [https://example.org/x](https://example.org/x).\n", []string{
			"4:5: link text is a bare URL: write what it links to, like [NHS England's guidance](https://example.org/x)"}},
		{"bare URL autolinked", "See https://example.org/y for more.\n", []string{
			"4:5: link text is a bare URL: write what it links to, like [NHS England's guidance](https://example.org/y)"}},
		{"same text, different places", "[the guide](../a.md) and\n[The guide](../b.md).\n", []string{
			`5:1: link text "The guide" also goes to /a/ on line 4: give links to different places different text`}},
		{"same text, same place", "[the guide](../a.md) and [the guide](../a.md).\n", nil},
		{"sentence over 35 words", "Short one. " + long + " Another short one.\n", []string{
			"4:12: sentence has 36 words (more than 35): split it into shorter sentences"}},
		{"sentence of 35 words", words(34) + " end.\n", nil},
		{"long sentence over two lines", "First.\nLong " + words(20) + "\n" + words(20) + ".\n", []string{
			"5:1: sentence has 41 words (more than 35): split it into shorter sentences"}},
		{"citations do not count", words(33) + " [@genn2019] [@genn2019] end.\n", nil},
		{"abbreviations do not end a sentence early", "See e.g. the " + words(34) + ".\n", []string{
			"4:1: sentence has 37 words (more than 35): split it into shorter sentences"}},
		{"table without header", "Text.\n\n| | |\n|---|---|\n| a | b |\n", []string{
			"6:1: table has no header row: put a name for each column in the first row, so screen readers can say what each cell is"}},
		{"table with header", "| Model | Risk |\n|---|---|\n| a | b |\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := renderPage(t, tc.body, Input{})
			var got []string
			for _, d := range diags {
				if d.Severity != diag.Warning {
					t.Errorf("unexpected error: %v", d)
					continue
				}
				got = append(got, fmt.Sprintf("%d:%d: %s", d.Line, d.Col, d.Message))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestSentences(t *testing.T) {
	b := []byte(`One two. "Three" four? (Five) six! e.g. not split. 7 starts`)
	var got []string
	for _, s := range sentences(b) {
		got = append(got, string(b[s.start:s.end]))
	}
	want := []string{"One two.", `"Three" four?`, "(Five) six! e.g. not split.", "7 starts"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
