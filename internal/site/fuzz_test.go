package site

import (
	"path"
	"strings"
	"testing"
)

// FuzzResolveLink resolves arbitrary link destinations from a page.
// Properties: no panic; a resolved page target exists in the graph; a
// link never resolves to a path outside content/; URLs of resolved pages
// are the pages' own.
func FuzzResolveLink(f *testing.F) {
	g, _ := graphOf(f, map[string]string{
		"content/guide/01-a.md":     fm("title: A\nsummary: S") + "## Why\n",
		"content/guide/02-b.md":     fm("title: B\nsummary: S"),
		"content/findings/f01-a.md": fm("title: F\nsummary: S\nid: F1\nfactor: collaboration"),
	})
	from := g.ByRel("guide/01-a.md")
	for _, s := range []string{
		"02-b.md", "../findings/f01-a.md#x", "/guide/02-b.md", "#why", "../../x.md", "/findings/",
		"%2e%2e/%2e%2e/etc.md", "02-b.md?x=1#y", "./../guide/./02-b.md", "/r/1/", "..", "/", "a%zz.md",
	} {
		f.Add(s, false)
	}
	r := g.Resolver(from)
	f.Fuzz(func(t *testing.T, dest string, image bool) {
		tg, err := r.ResolveLink(dest, image)
		if err != nil {
			return
		}
		if tg.Page != "" {
			p := g.ByRel(tg.Page)
			if p == nil {
				t.Fatalf("%q resolved to unknown page %q", dest, tg.Page)
			}
			if !strings.HasPrefix(tg.URL, p.URL) && !strings.HasPrefix(tg.URL, "#") {
				t.Fatalf("%q: URL %q is not the page's %q", dest, tg.URL, p.URL)
			}
		}
		if strings.Contains(path.Clean("/"+tg.Page), "..") {
			t.Fatalf("%q escaped content/: %q", dest, tg.Page)
		}
	})
}
