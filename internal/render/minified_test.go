package render

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"
)

// fakeMinifier "minifies" layouts with a function of the source.
type fakeMinifier func(string) string

func (f fakeMinifier) Template(src []byte) ([]byte, error) { return []byte(f(string(src))), nil }
func (f fakeMinifier) HTML(dst *bytes.Buffer, src []byte) error {
	dst.Write(src)
	return nil
}

// TestMinifiedLayouts checks that LoadTheme renders pages from minified
// layouts only when their actions are the layouts' own: a minifier that
// changes an action (as tdewolff's does to a raw string holding "}}")
// leaves the theme as written.
func TestMinifiedLayouts(t *testing.T) {
	fsys := fstest.MapFS{
		"themes/t/layouts/baseof.html":         {Data: []byte("<main>\n  {{block \"main\" .}}{{end}}\n</main>")},
		"themes/t/layouts/page.html":           {Data: []byte("{{template \"baseof.html\" .}}{{define \"main\"}}\n  <p>{{printf `a  }}  b`}}</p>\n  {{if .}}\n  <p>x</p>\n  {{else}}{{template \"partials/p.html\"}}{{end}}\n{{end}}")},
		"themes/t/layouts/partials/p.html":     {Data: []byte("<p>\n  {{\"c  d\"}}\n</p>")},
		"themes/t/layouts/partials/other.html": {Data: []byte("{{range .}}\n  <li>{{.}}</li>\n{{end}}")},
	}
	tests := []struct {
		name     string
		minify   func(string) string
		minified bool
	}{
		{"whitespace between tags", func(s string) string {
			return strings.NewReplacer("\n  <", "<", ">\n", ">", "\n  {{", "{{").Replace(s)
		}, true},
		{"an action's string changed", func(s string) string { return strings.ReplaceAll(s, "  ", " ") }, false},
		{"an action dropped", func(s string) string { return strings.Replace(s, "{{else}}", "", 1) }, false},
		{"a branch's pipeline changed", func(s string) string { return strings.Replace(s, "{{if .}}", "{{if not .}}", 1) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			theme, diags := LoadTheme(fsys, "t", Funcs(nil), fakeMinifier(tt.minify))
			if theme == nil {
				t.Fatalf("LoadTheme: %v", diags)
			}
			if theme.Minified() != tt.minified {
				t.Errorf("Minified() = %v, want %v", theme.Minified(), tt.minified)
			}
			var b bytes.Buffer
			if err := theme.set("page", false).ExecuteTemplate(&b, "page.html", true); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), "a  }}  b") {
				t.Errorf("the page lost the action's text: %q", b.String())
			}
		})
	}
}
