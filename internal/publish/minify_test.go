package publish

import (
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

func TestMediaType(t *testing.T) {
	tests := map[string]string{
		"index.html":            "text/html",
		"a/B.HTM":               "text/html",
		"assets/style.css":      "text/css",
		"js/app.js":             "application/javascript",
		"js/mod.mjs":            "application/javascript",
		"api/findings.json":     "application/json",
		"img/favicon.svg":       "image/svg+xml",
		"sitemap.xml":           "application/xml",
		"feed.xml":              "application/xml",
		"api/findings.csv":      "",
		"img/social.png":        "",
		"_redirects":            "",
		"robots.txt":            "",
		"references/refs.bib":   "",
		"downloads/report.pdf":  "",
		"folder.html/plain.txt": "",
	}
	for name, want := range tests {
		if got := MediaType(name); got != want {
			t.Errorf("MediaType(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestMinifyByType(t *testing.T) {
	m := NewMinifier()
	tests := []struct {
		name, in, want string
	}{
		{"x.html", "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<title> A  title </title>\n</head>\n<body>\n<ul>\n  <li><a href=\"/x/\">One</a> <a href=\"/y/\">two</a></li>\n</ul>\n</body>\n</html>\n",
			`<!doctype html><html lang=en><head><title>A title</title></head><body><ul><li><a href=/x/>One</a> <a href=/y/>two</a></li></ul></body></html>`},
		{"x.html", "<p>keep <em>inline</em> spaces</p>\n<pre>  keep\n   this </pre>", "<p>keep <em>inline</em> spaces</p><pre>  keep\n   this </pre>"},
		{"x.html", "<script type=\"application/ld+json\">{\n  \"@type\": \"Article\",\n  \"name\": \"a \\u003c b\"\n}</script>",
			`<script type=application/ld+json>{"@type":"Article","name":"a \u003c b"}</script>`},
		{"x.css", "a {\n  color: #ffffff;\n  margin: 0px;\n}\n", "a{color:#fff;margin:0}"},
		{"x.js", "// comment\nconst ready = document.documentElement;\nready.classList.add(\"js\");\n", `const ready=document.documentElement;ready.classList.add("js")`},
		{"x.json", "{\n  \"a\": [1, 2],\n  \"b\": \"c\"\n}\n", `{"a":[1,2],"b":"c"}`},
		{"x.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\">\n  <rect width=\"32\" height=\"32\" fill=\"#ffffff\"/>\n</svg>\n", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" fill="#fff"/></svg>`},
		{"x.xml", "<?xml version=\"1.0\"?>\n<urlset>\n  <url>\n    <loc>https://example.org/</loc>\n  </url>\n</urlset>\n", `<?xml version="1.0"?><urlset><url><loc>https://example.org/</loc></url></urlset>`},
		{"x.csv", "a, b\n", "a, b\n"},
		{"_redirects", "/f/1/  /findings/x/  301\n", "/f/1/  /findings/x/  301\n"},
	}
	for _, tt := range tests {
		got, err := m.Minify(tt.name, []byte(tt.in))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if string(got) != tt.want {
			t.Errorf("%s:\n in: %q\ngot: %q\nwant %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestMinifyErrorsArePositioned(t *testing.T) {
	m := NewMinifier()
	tests := []struct {
		name, in  string
		line, col int
	}{
		{"app.js", "const a = 1;\nconst b = (;\n", 2, 12},
		{"data.json", "{\"a\": 1,\n \"b\": }", 2, 7},
	}
	for _, tt := range tests {
		_, err := m.Minify(tt.name, []byte(tt.in))
		var me *MinifyError
		if !errors.As(err, &me) {
			t.Errorf("%s: error %v is not a *MinifyError", tt.name, err)
			continue
		}
		if me.Line != tt.line || me.Col != tt.col || me.Message == "" {
			t.Errorf("%s: at %d:%d %q, want %d:%d", tt.name, me.Line, me.Col, me.Message, tt.line, tt.col)
		}
	}
	// Through Assets, the error names the asset's file, line and column.
	fsys := fstest.MapFS{"assets/js/app.js": {Data: []byte("const a = 1;\nconst b = (;\n")}}
	_, _, d := Assets(fsys, "assets", m.Minify)
	if len(d) != 1 || !strings.HasPrefix(d[0].String(), "assets/js/app.js:2:12: error: cannot minify: ") || d[0].Source != "const b = (;" {
		t.Errorf("Assets diagnostics = %v (source %q)", d, d[0].Source)
	}
}

// TestMinifySink checks that the sink minifies by type, passes other files
// through, and is safe on every build worker at once.
func TestMinifySink(t *testing.T) {
	m := NewMinifier()
	mem := NewMemory()
	s := m.Sink(mem)
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Go(func() {
			html := fmt.Sprintf("<p>\n  page   %d\n</p>\n", i)
			if err := s.WriteFile(fmt.Sprintf("p%d/index.html", i), []byte(html)); err != nil {
				t.Error(err)
			}
			if err := s.WriteFile(fmt.Sprintf("p%d/data.csv", i), []byte("a,  b\n")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for i := range 64 {
		if got, want := string(mem.Files[fmt.Sprintf("p%d/index.html", i)]), fmt.Sprintf("<p>page %d</p>", i); got != want {
			t.Errorf("page %d = %q, want %q", i, got, want)
		}
		if got := string(mem.Files[fmt.Sprintf("p%d/data.csv", i)]); got != "a,  b\n" {
			t.Errorf("csv %d changed: %q", i, got)
		}
	}
	if err := s.WriteFile("bad.json", []byte("{")); err == nil {
		t.Error("a broken JSON file was written")
	}
	if err := s.WriteFile("../escape.html", []byte("<p>x</p>")); err == nil {
		t.Error("the sink let a path climb out of the output folder")
	}
	// Unminified writes past the minifier, to the same sink.
	if err := Unminified(s).WriteFile("raw.html", []byte("<p>\n  raw\n</p>")); err != nil {
		t.Fatal(err)
	}
	if got := string(mem.Files["raw.html"]); got != "<p>\n  raw\n</p>" {
		t.Errorf("Unminified wrote %q", got)
	}
	if Unminified(mem) != Sink(mem) {
		t.Error("Unminified of a plain sink is not that sink")
	}
}

// TestAssetsMinifiedThenFingerprinted checks that assets are minified
// before they are hashed: the integrity value verifies the bytes written,
// and the name follows the minified content, so a change that minifies
// away (a comment) keeps the name.
func TestAssetsMinifiedThenFingerprinted(t *testing.T) {
	m := NewMinifier()
	fsys := fstest.MapFS{
		"a/css/main.css": {Data: []byte("a {\n  color: #ffffff;\n}\n")},
		"a/js/app.js":    {Data: []byte("// hello\nconst x = 1;\nconsole.log(x);\n")},
	}
	assets, files, d := Assets(fsys, "a", m.Minify)
	if len(d) != 0 {
		t.Fatal(d)
	}
	for _, f := range files {
		var a string
		for _, as := range assets {
			if as.URL == "/"+f.Path {
				a = as.Integrity
			}
		}
		sum := sha512.Sum384(f.Data)
		if want := "sha384-" + base64.StdEncoding.EncodeToString(sum[:]); a != want {
			t.Errorf("%s: integrity %q does not verify the written bytes (%q)", f.Path, a, want)
		}
		if strings.Contains(string(f.Data), "\n  ") || strings.Contains(string(f.Data), "// hello") {
			t.Errorf("%s is not minified: %q", f.Path, f.Data)
		}
	}
	fsys["a/js/app.js"] = &fstest.MapFile{Data: []byte("// a new comment\nconst x = 1;\nconsole.log(x);\n")}
	same, _, _ := Assets(fsys, "a", m.Minify)
	if same["js/app.js"] != assets["js/app.js"] {
		t.Errorf("a comment-only change renamed the minified asset: %v → %v", assets["js/app.js"], same["js/app.js"])
	}
	fsys["a/js/app.js"] = &fstest.MapFile{Data: []byte("const x = 2;\nconsole.log(x);\n")}
	changed, _, _ := Assets(fsys, "a", m.Minify)
	if changed["js/app.js"].URL == assets["js/app.js"].URL || changed["style.css"] != assets["style.css"] {
		t.Errorf("names do not follow the content: %v", changed)
	}
}
