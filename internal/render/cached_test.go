package render

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"hjp/internal/diag"
)

// drawCounter counts how often a partial is drawn.
type drawCounter struct {
	n    *int
	Text string
}

func (c drawCounter) Draw() int { *c.n++; return *c.n }

func TestCachedDrawsOncePerKey(t *testing.T) {
	fsys := fstest.MapFS{
		"themes/t/layouts/baseof.html":         {Data: []byte(`{{block "main" .}}{{end}}`)},
		"themes/t/layouts/page.html":           {Data: []byte(`{{template "baseof.html" .}}`)},
		"themes/t/layouts/partials/item.html":  {Data: []byte(`<li>{{.Text}} #{{.Draw}}</li>`)},
		"themes/t/layouts/partials/error.html": {Data: []byte("<p>\n  {{.Missing}}</p>")},
		"themes/t/layouts/wrap.html":           {Data: []byte(`{{$.Cached "partials/error.html" . "k"}}`)},
	}
	theme, diags := LoadTheme(fsys, "t", Funcs(nil), nil)
	if theme == nil {
		t.Fatalf("LoadTheme: %v", diags)
	}
	r := &Renderer{Theme: theme, cache: new(drawings)}
	v := &View{r: r, Layout: "page"}
	n := 0
	draw := func(text, key string) string {
		t.Helper()
		h, err := v.Cached("partials/item.html", drawCounter{n: &n, Text: text}, key)
		if err != nil {
			t.Fatalf("Cached: %v", err)
		}
		return string(h)
	}
	if got := draw("a & b", "one"); got != "<li>a &amp; b #1</li>" {
		t.Errorf("first drawing = %q", got)
	}
	// The same key gives the first drawing back without drawing again,
	// even for other data: the key must name everything shown.
	if got := draw("other", "one"); got != "<li>a &amp; b #1</li>" || n != 1 {
		t.Errorf("same key = %q after %d drawings, want the first drawing and 1", got, n)
	}
	if got := draw("c", "two"); got != "<li>c #2</li>" {
		t.Errorf("second key = %q", got)
	}
	// Another renderer (the next build) draws again, and so does this
	// one once reset (an incremental build reusing its outputs).
	v2 := &View{r: &Renderer{Theme: theme, cache: new(drawings)}, Layout: "page"}
	if h, _ := v2.Cached("partials/item.html", drawCounter{n: &n, Text: "a"}, "one"); string(h) != "<li>a #3</li>" {
		t.Errorf("next build = %q, want a new drawing", h)
	}
	copied := *r
	copied.ResetCache()
	if got := draw("d", "one"); got != "<li>d #4</li>" {
		t.Errorf("after ResetCache on a copy = %q, want a new drawing", got)
	}
	// Without a cache (Outputs not listed) every call draws.
	v3 := &View{r: &Renderer{Theme: theme}, Layout: "page"}
	for want := 5; want <= 6; want++ {
		if h, _ := v3.Cached("partials/item.html", drawCounter{n: &n, Text: "e"}, "one"); string(h) != fmt.Sprintf("<li>e #%d</li>", want) {
			t.Errorf("uncached drawing = %q, want #%d", h, want)
		}
	}

	// An error inside the partial is reported at the partial.
	_, err := v.Cached("partials/error.html", drawCounter{n: &n}, "e")
	if err == nil {
		t.Fatal("Cached of a broken partial succeeded")
	}
	d := theme.diagnostic(err, fsys)
	if d.Path != "themes/t/layouts/partials/error.html" || d.Line != 2 || !strings.Contains(d.Message, "Missing") {
		t.Errorf("diagnostic = %s:%d:%d: %s", d.Path, d.Line, d.Col, d.Message)
	}
	// So it is when the layout calls Cached.
	err = r.execute(new(bytes.Buffer), &View{r: r, Layout: "wrap"})
	if d, ok := err.(diag.Diagnostic); !ok || d.Path != "themes/t/layouts/partials/error.html" || d.Line != 2 {
		t.Errorf("error through the layout = %v", err)
	}
	if _, err := (&View{Layout: "page"}).Cached("partials/item.html", nil, "x"); err == nil {
		t.Error("Cached without a renderer succeeded")
	}
	if _, err := (&View{r: r, Layout: "nope"}).Cached("partials/item.html", nil, "x"); err == nil {
		t.Error("Cached in an unknown layout succeeded")
	}
}

// TestCachedSharedAcrossLayouts draws a partial from two layouts: drawn
// from data that is not the View, by templates neither layout changes, it
// is drawn once for both; a layout that redefines a template the partial
// calls gets its own drawing, and so does a partial drawn from the View.
func TestCachedSharedAcrossLayouts(t *testing.T) {
	fsys := fstest.MapFS{
		"themes/t/layouts/baseof.html":         {Data: []byte(`{{block "main" .}}{{end}}`)},
		"themes/t/layouts/a.html":              {Data: []byte(`{{define "main"}}a{{end}}`)},
		"themes/t/layouts/b.html":              {Data: []byte(`{{define "main"}}b{{end}}`)},
		"themes/t/layouts/own.html":            {Data: []byte(`{{define "main"}}own{{end}}{{define "partials/mark.html"}}!{{end}}`)},
		"themes/t/layouts/partials/item.html":  {Data: []byte(`<li>{{.Text}}{{template "partials/mark.html"}} #{{.Draw}}</li>`)},
		"themes/t/layouts/partials/mark.html":  {Data: []byte(`.`)},
		"themes/t/layouts/partials/title.html": {Data: []byte(`{{.Layout}}`)},
	}
	theme, diags := LoadTheme(fsys, "t", Funcs(nil), nil)
	if theme == nil {
		t.Fatalf("LoadTheme: %v", diags)
	}
	r := &Renderer{Theme: theme, cache: new(drawings)}
	n := 0
	draw := func(layout string) string {
		t.Helper()
		h, err := (&View{r: r, Layout: layout}).Cached("partials/item.html", drawCounter{n: &n, Text: "x"}, "k")
		if err != nil {
			t.Fatalf("Cached: %v", err)
		}
		return string(h)
	}
	for _, c := range []struct{ layout, want string }{
		{"a", "<li>x. #1</li>"},
		{"b", "<li>x. #1</li>"},
		{"own", "<li>x! #2</li>"},
		{"a", "<li>x. #1</li>"},
	} {
		if got := draw(c.layout); got != c.want {
			t.Errorf("layout %s: %q, want %q", c.layout, got, c.want)
		}
	}
	for _, layout := range []string{"a", "b"} {
		v := &View{r: r, Layout: layout}
		if h, err := v.Cached("partials/title.html", v, ""); err != nil || string(h) != layout {
			t.Errorf("partial drawn from the View in layout %s = %q, %v", layout, h, err)
		}
	}
}
