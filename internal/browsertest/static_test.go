package browsertest_test

import (
	"bytes"
	"compress/gzip"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"hjp/internal/browsertest"
	"hjp/internal/testsite"
)

// maxPageWeight is the most an HTML page and the CSS and JS it loads may
// weigh, gzipped: a page should arrive in one or two round trips on a poor
// mobile connection.
const maxPageWeight = 60 * 1024

// maxPrintWeight is the budget of a print page (/guide/print/), which
// joins a whole publication on one page and is opened only to print it or
// save it as PDF: it weighs what its chapters weigh together.
const maxPrintWeight = 250 * 1024

// isPrintPage reports whether an output file is a publication's print page.
func isPrintPage(rel string) bool { return strings.HasSuffix(rel, "/print/index.html") }

// TestHTMLValidate runs html-validate (installed under .ci/) over every
// HTML file of the fixture and the real content, with the rules in
// .ci/htmlvalidate.json. Any error fails the test.
func TestHTMLValidate(t *testing.T) {
	node := browsertest.Node(t)
	dir := browsertest.NodeModule(t, "html-validate")
	config := filepath.Join(testsite.Root(), ".ci", "htmlvalidate.json")
	for _, s := range sites(t) {
		cmd := exec.Command(node, filepath.Join(dir, "bin", "html-validate.mjs"), "--config", config, "--formatter", "text", s.dir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%s: html-validate found errors in %d files checked:\n%s", s.name, len(s.html), out)
			continue
		}
		t.Logf("%s: html-validate passed on %d HTML files", s.name, len(s.html))
	}
}

var (
	// fetched finds the URLs a page makes the browser fetch: src
	// attributes, and the href of link elements that load something.
	srcAttr  = regexp.MustCompile(`\ssrc="([^"]*)"`)
	linkTag  = regexp.MustCompile(`<link\s[^>]*>`)
	relLoads = regexp.MustCompile(`\srel="(stylesheet|icon|preload|modulepreload|manifest|prefetch|apple-touch-icon)"`)
	hrefAttr = regexp.MustCompile(`\shref="([^"]*)"`)
	cssURL   = regexp.MustCompile(`url\(\s*['"]?([^'")]+)`)
)

// TestPageWeight checks every HTML page of the fixture and the real
// content: the page plus the CSS and JS it loads is under maxPageWeight
// gzipped (search index shards, fetched on demand, are not counted), and
// nothing it loads comes from another origin.
func TestPageWeight(t *testing.T) {
	for _, s := range sites(t) {
		heaviest, heaviestPage := 0, ""
		heaviestPrint, heaviestPrintPage := 0, ""
		for _, rel := range s.html {
			html, err := os.ReadFile(filepath.Join(s.dir, rel))
			if err != nil {
				t.Fatal(err)
			}
			total := gzipSize(t, html)
			for _, u := range fetchedURLs(string(html)) {
				if external(u) {
					t.Errorf("%s /%s loads %s from another origin", s.name, rel, u)
					continue
				}
				if strings.HasPrefix(u, "data:") {
					continue
				}
				p := u
				if !strings.HasPrefix(p, "/") {
					p = path.Join(path.Dir("/"+rel), p)
				}
				b, err := os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(strings.TrimPrefix(p, "/"))))
				if err != nil {
					t.Errorf("%s /%s loads %s, which is not in the output", s.name, rel, u)
					continue
				}
				if path.Ext(p) == ".css" {
					for _, m := range cssURL.FindAllStringSubmatch(string(b), -1) {
						if external(m[1]) {
							t.Errorf("%s: %s loads %s from another origin", s.name, p, m[1])
						}
					}
				}
				total += gzipSize(t, b)
			}
			limit := maxPageWeight
			if isPrintPage(rel) {
				limit = maxPrintWeight
				if total > heaviestPrint {
					heaviestPrint, heaviestPrintPage = total, rel
				}
			} else if total > heaviest {
				heaviest, heaviestPage = total, rel
			}
			if total > limit {
				t.Errorf("%s /%s weighs %.1f KB gzipped with its CSS and JS, more than %d KB", s.name, rel, float64(total)/1024, limit/1024)
			}
		}
		t.Logf("%s: %d HTML files; heaviest /%s at %.1f KB gzipped with its CSS and JS (limit %d KB); heaviest print page /%s at %.1f KB (limit %d KB)",
			s.name, len(s.html), heaviestPage, float64(heaviest)/1024, maxPageWeight/1024, heaviestPrintPage, float64(heaviestPrint)/1024, maxPrintWeight/1024)
	}
}

func fetchedURLs(html string) []string {
	var out []string
	for _, m := range srcAttr.FindAllStringSubmatch(html, -1) {
		out = append(out, m[1])
	}
	for _, tag := range linkTag.FindAllString(html, -1) {
		if relLoads.MatchString(tag) {
			if m := hrefAttr.FindStringSubmatch(tag); m != nil {
				out = append(out, m[1])
			}
		}
	}
	return out
}

func external(u string) bool {
	return strings.HasPrefix(u, "//") || strings.Contains(u, "://")
}

func gzipSize(t *testing.T, b []byte) int {
	t.Helper()
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(b)
	w.Close()
	return buf.Len()
}

// TestPageWeightCounts checks the weight test sees the CSS and JS a page
// loads, so a page could not pass by loading its weight from elsewhere.
func TestPageWeightCounts(t *testing.T) {
	html := `<link rel="canonical" href="https://x.org/"><link rel="stylesheet" href="/assets/style.1.css" integrity="x">` +
		`<script type="module" src="/assets/app.2.js"></script><img src="a.png" alt=""><link rel="icon" href="//cdn.example/i.png">`
	got := strings.Join(fetchedURLs(html), " ")
	if want := "/assets/app.2.js a.png /assets/style.1.css //cdn.example/i.png"; got != want {
		t.Errorf("fetched = %q, want %q", got, want)
	}
	if !external("//cdn.example/i.png") || !external("https://x.org/a.js") || external("/assets/a.js") {
		t.Error("external() misjudges origins")
	}
}

// TestDarkModeChangesOnlyColours checks that every prefers-color-scheme:
// dark block of the theme's stylesheets sets only custom properties (the
// colour variables), so dark mode can differ from light mode in colour
// alone, and the browser suite's dark-mode axe run needs only the colour
// rules. It also checks there is a dark block at all.
func TestDarkModeChangesOnlyColours(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(testsite.Root(), "themes", "default", "assets", "css", "*.css"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no stylesheets: %v", err)
	}
	blocks := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		css := string(b)
		for {
			i := strings.Index(css, "prefers-color-scheme: dark")
			if i < 0 {
				break
			}
			css = css[i:]
			body, rest := cssBlock(css)
			css = rest
			blocks++
			for _, decl := range cssDeclarations(body) {
				if !strings.HasPrefix(decl, "--") && !strings.HasPrefix(decl, "color-scheme") {
					t.Errorf("%s: a dark-mode rule sets %q: dark mode may set only colour variables", filepath.Base(f), decl)
				}
			}
		}
	}
	if blocks == 0 {
		t.Error("the theme has no prefers-color-scheme: dark block")
	}
}

// cssBlock returns the body of the brace block that starts after css's
// first "{", and the text after it.
func cssBlock(css string) (body, rest string) {
	start := strings.IndexByte(css, '{')
	if start < 0 {
		return "", ""
	}
	depth := 0
	for i := start; i < len(css); i++ {
		switch css[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return css[start+1 : i], css[i+1:]
			}
		}
	}
	return css[start+1:], ""
}

// cssDeclarations lists the declarations (property: value) inside the
// rules of a block, without comments.
func cssDeclarations(block string) []string {
	block = regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(block, "")
	var out []string
	for _, rule := range regexp.MustCompile(`\{([^{}]*)\}`).FindAllStringSubmatch(block, -1) {
		for _, d := range strings.Split(rule[1], ";") {
			if d = strings.TrimSpace(d); d != "" {
				out = append(out, d)
			}
		}
	}
	return out
}
