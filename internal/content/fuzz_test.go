package content

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParsePage feeds arbitrary files to the front-matter splitter, the
// YAML decoder and the schema checks. Properties: no panic; every
// diagnostic points inside the file; a page without errors has a title and
// a body that is a suffix of the file.
func FuzzParsePage(f *testing.F) {
	seeds := []string{
		"---\ntitle: T\nsummary: S\n---\nBody\n",
		"---\r\ntitle: T\r\nsummary: S\r\n---\r\n",
		"\ufeff---\ntitle: T\nsummary: S\n...\n",
		"---\ntitle: &a [*a, *a]\n---\n",
		"---\ntitle: T\nsummary: S\nid: F1\nfactor: collaboration\nsettings: [hospital, x]\n---\n",
		"---\n\t- x\n---\n",
		"---\ntitle: T\n",
		"",
		"# no front matter\n",
		"---\ntitle: {a: 1}\nsummary: [x]\nweight: 1.5\nupdated: 2026-02-30\n---\n",
	}
	for _, s := range seeds {
		f.Add("content/findings/f01-x.md", s)
		f.Add("content/guide/01-x.md", s)
	}
	site := testSite(f)
	f.Fuzz(func(t *testing.T, path, src string) {
		if !strings.HasPrefix(path, "content/") || !strings.HasSuffix(path, ".md") {
			path = "content/pages/x.md"
		}
		p, diags := ParsePage(path, []byte(src), site)
		lines := strings.Count(src, "\n") + 1
		for _, d := range diags {
			if d.Line < 1 || d.Line > lines || d.Col < 1 {
				t.Fatalf("diagnostic outside the file (%d lines): %s", lines, d)
			}
			if !utf8.ValidString(d.Message) && utf8.ValidString(src) {
				t.Fatalf("message is not UTF-8: %q", d.Message)
			}
		}
		if p != nil && diags.Errors() == 0 {
			if p.Meta.Title == "" {
				t.Fatal("page without errors has no title")
			}
			if !strings.HasSuffix(src, string(p.Body)) || p.BodyOffset+len(p.Body) != len(src) {
				t.Fatal("body is not the end of the file")
			}
		}
	})
}
