package build

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"hjp/internal/testsite"
)

var ownScript = regexp.MustCompile(`^/assets/[a-z0-9-]+\.[0-9a-f]{10}\.js$`)

// checkOutputSafety parses every HTML file under dest and reports anything
// a strict Content-Security-Policy would block or that could run code: a
// script other than the site's own fingerprinted files, inline event
// handlers, javascript: URLs, style attributes and style elements.
func checkOutputSafety(t *testing.T, dest string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		n++
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		rel, _ := filepath.Rel(dest, p)
		doc, err := html.Parse(f)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			return nil
		}
		var visit func(*html.Node)
		visit = func(n *html.Node) {
			if n.Type == html.ElementNode {
				attrs := map[string]string{}
				for _, a := range n.Attr {
					attrs[strings.ToLower(a.Key)] = a.Val
					k := strings.ToLower(a.Key)
					switch {
					case strings.HasPrefix(k, "on"):
						t.Errorf("%s: <%s %s=…> inline event handler", rel, n.Data, a.Key)
					case k == "style":
						t.Errorf("%s: <%s style=…> style attribute", rel, n.Data)
					case k == "href" || k == "src" || k == "action" || k == "formaction" || k == "xlink:href":
						v := strings.ToLower(strings.Map(func(r rune) rune {
							if r <= ' ' {
								return -1
							}
							return r
						}, a.Val))
						if strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") {
							t.Errorf("%s: <%s %s=%q> script URL", rel, n.Data, a.Key, a.Val)
						}
					}
				}
				switch n.Data {
				case "script":
					if attrs["type"] == "application/ld+json" {
						break
					}
					if !ownScript.MatchString(attrs["src"]) {
						t.Errorf("%s: <script src=%q> is not one of the site's own fingerprinted scripts", rel, attrs["src"])
					}
					if n.FirstChild != nil {
						t.Errorf("%s: inline script", rel)
					}
				case "style":
					t.Errorf("%s: <style> element", rel)
				case "iframe", "object", "embed", "frame":
					t.Errorf("%s: <%s> element", rel, n.Data)
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				visit(c)
			}
		}
		visit(doc)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestOutputSafety checks every page of the real content, and of a site
// whose Markdown tries to smuggle in scripts, styles and script URLs.
func TestOutputSafety(t *testing.T) {
	src := testsite.New(t, testsite.Root())
	_, dest := buildFixture(t, Options{Source: src})
	if n := checkOutputSafety(t, dest); n < 10 {
		t.Errorf("checked only %d pages", n)
	}

	hostile := testsite.New(t, testsite.Fixture())
	testsite.Write(t, hostile, "content/guide/03-hostile.md", "---\ntitle: Hostile\nsummary: S\n---\n"+
		"<script>alert(1)</script>\n\n<style>body{display:none}</style>\n\n"+
		"Text <b onclick=\"alert(1)\" style=\"color:red\">bold</b> <iframe src=\"https://evil.example\"></iframe>\n\n"+
		"<a href=\"javascript:alert(1)\">raw link</a> <img src=x onerror=alert(1) alt=\"x\">\n\n"+
		"## Heading {#h onclick=\"alert(1)\" style=\"x\"}\n\n"+
		"| a |\n|:--|\n| b |\n")
	// Opting in to raw HTML keeps markup but never scripts or styles.
	testsite.Write(t, hostile, "content/guide/04-opted-in.md", "---\ntitle: Opted in\nsummary: S\nraw_html: true\n---\n"+
		"<script src=\"https://evil.example/x.js\"></script>\n\n<style>body{display:none}</style>\n\n"+
		"<details><summary onclick=\"alert(1)\">More</summary><p style=\"color:red\">Text</p></details>\n\n"+
		"<iframe src=\"https://evil.example\"></iframe> <svg><script>alert(1)</script></svg> <img src=x onerror=alert(1) alt=\"x\">\n")
	_, dest = buildFixture(t, Options{Source: hostile})
	checkOutputSafety(t, dest)
	page, _ := os.ReadFile(filepath.Join(dest, "guide", "opted-in", "index.html"))
	if !strings.Contains(string(page), "<details><summary>More</summary><p>Text</p></details>") {
		t.Errorf("opted-in markup was not kept:\n%s", page)
	}
}
