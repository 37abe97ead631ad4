package markdown

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"hjp/internal/diag"
)

// FuzzRender runs arbitrary Markdown through every extension (citations,
// links, heading IDs, raw HTML, limits). Properties: no panic; rendering is
// quick; heading IDs are unique; the HTML parses; every citation key is
// one the resolver knows or was reported; no script, style, frame, event
// handler or style attribute reaches the output, with or without opt-in.
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"[@genn2019] and @beardon2021 and [see @pleasence2004, p. 3; @genn2019].",
		"## A {#a}\n## A\n### A {#a-1}\n",
		"[x](../findings/f03-shared-goals.md#why) [y](missing.md) ![z](chart.png)",
		"<script>alert(1)</script><b onclick=x>y</b>",
		"[@", "@", "[@a; @]", "[@genn2019](x.md)", "me@genn2019.org",
		"- a\n  - b\n    > c\n",
		"| a |\n|---|\n| [@genn2019] |\n",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	r := New()
	f.Fuzz(func(t *testing.T, body string, raw bool) {
		src := "---\n---\n" + body
		in := Input{File: diag.NewFile("x.md", []byte(src)), Body: []byte(body), Offset: 8, RawHTML: raw, Resolver: fakeResolver{}}
		start := time.Now()
		doc, diags := r.Render(in)
		if d := time.Since(start); d > 2*time.Second && len(body) < 10000 {
			t.Fatalf("rendering %d bytes took %v", len(body), d)
		}
		seen := map[string]bool{}
		for _, h := range doc.Headings {
			if seen[h.ID] {
				t.Fatalf("duplicate heading ID %q", h.ID)
			}
			seen[h.ID] = true
		}
		root, err := html.Parse(strings.NewReader(string(doc.HTML)))
		if err != nil {
			t.Fatalf("HTML does not parse: %v", err)
		}
		var visit func(n *html.Node)
		visit = func(n *html.Node) {
			if n.Type == html.ElementNode {
				if n.Data == "script" || n.Data == "style" || n.Data == "iframe" {
					t.Fatalf("<%s> in output: %s", n.Data, doc.HTML)
				}
				for _, a := range n.Attr {
					if strings.HasPrefix(strings.ToLower(a.Key), "on") || strings.EqualFold(a.Key, "style") {
						t.Fatalf("%s attribute in output: %s", a.Key, doc.HTML)
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				visit(c)
			}
		}
		visit(root)
		known := map[string]bool{"genn2019": true, "beardon2021": true, "pleasence2004": true}
		for _, k := range doc.Citations {
			if !known[k] {
				t.Fatalf("unknown key %q recorded as cited", k)
			}
		}
		for _, d := range diags {
			if d.Line < 1 || d.Col < 1 {
				t.Fatalf("bad position: %s", d)
			}
		}
	})
}
