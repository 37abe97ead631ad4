package build

import (
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"hjp/internal/testsite"
)

// crawledPage is what the crawler keeps of one HTML file.
type crawledPage struct {
	ids       map[string]bool
	canonical string
	refresh   string
	title     string
}

// crawl follows every internal href and src from "/" through the built
// site in dest and reports broken links and fragments. base is the site's
// absolute base URL; links to it count as internal.
func crawl(t *testing.T, dest, base string) map[string]*crawledPage {
	t.Helper()
	pages := map[string]*crawledPage{}
	type fragRef struct{ from, target, frag string }
	var frags []fragRef
	queue := []string{"/"}
	seen := map[string]bool{"/": true}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		file := filepath.Join(dest, filepath.FromSlash(strings.TrimPrefix(u, "/")))
		if strings.HasSuffix(u, "/") {
			file = filepath.Join(file, "index.html")
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Errorf("broken link target %s", u)
			continue
		}
		if !strings.HasSuffix(file, ".html") {
			continue
		}
		doc, err := html.Parse(strings.NewReader(string(data)))
		if err != nil {
			t.Errorf("%s: %v", u, err)
			continue
		}
		cp := &crawledPage{ids: map[string]bool{}}
		pages[u] = cp
		var visit func(n *html.Node)
		visit = func(n *html.Node) {
			if n.Type == html.ElementNode {
				attrs := map[string]string{}
				for _, a := range n.Attr {
					attrs[a.Key] = a.Val
				}
				if id, ok := attrs["id"]; ok {
					cp.ids[id] = true
				}
				if n.Data == "title" && n.FirstChild != nil {
					cp.title = n.FirstChild.Data
				}
				if n.Data == "link" && attrs["rel"] == "canonical" {
					cp.canonical = attrs["href"]
				}
				var refs []string
				for _, k := range []string{"href", "src"} {
					if v, ok := attrs[k]; ok && !(n.Data == "link" && attrs["rel"] == "canonical") {
						refs = append(refs, v)
					}
				}
				if n.Data == "meta" && strings.EqualFold(attrs["http-equiv"], "refresh") {
					_, target, _ := strings.Cut(attrs["content"], "url=")
					cp.refresh = target
					refs = append(refs, target)
				}
				for _, ref := range refs {
					target, frag, ok := internal(u, ref, base)
					if !ok {
						continue
					}
					if frag != "" {
						frags = append(frags, fragRef{u, target, frag})
					}
					if !seen[target] {
						seen[target] = true
						queue = append(queue, target)
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				visit(c)
			}
		}
		visit(doc)
	}
	for _, f := range frags {
		p := pages[f.target]
		if p == nil {
			continue // reported above as a broken link
		}
		if !p.ids[f.frag] {
			t.Errorf("%s links to %s#%s: no element with that id", f.from, f.target, f.frag)
		}
	}
	return pages
}

// internal resolves ref found on page u; ok is false for external links.
func internal(u, ref, base string) (target, frag string, ok bool) {
	r, err := url.Parse(ref)
	if err != nil {
		return "", "", false
	}
	if r.Scheme != "" || r.Host != "" {
		if !strings.HasPrefix(ref, base) {
			return "", "", false
		}
		r, _ = url.Parse("/" + strings.TrimPrefix(ref, base))
	}
	if r.Path == "" {
		return u, r.Fragment, true
	}
	p := r.Path
	if !strings.HasPrefix(p, "/") {
		p = path.Join(path.Dir(u+"x"), p)
		if strings.HasSuffix(r.Path, "/") {
			p += "/"
		}
	}
	return p, r.Fragment, true
}

// TestCrawlStarterSite builds the repository's own content and follows
// every internal link, image, stylesheet and script from the home page.
func TestCrawlStarterSite(t *testing.T) {
	base := "https://example.org/"
	src := testsite.New(t, testsite.Root())
	_, dest := buildFixture(t, Options{Source: src, BaseURL: base})
	pages := crawl(t, dest, base)
	if len(pages) < 10 {
		t.Fatalf("crawl reached only %d pages", len(pages))
	}
	// Every content page is reachable from the home page.
	err := filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "index.html" {
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		u := "/" + strings.TrimSuffix(filepath.ToSlash(rel), "index.html")
		if pages[u] == nil && !strings.HasPrefix(u, "/f/") && !strings.HasPrefix(u, "/r/") {
			data, _ := os.ReadFile(p)
			if !strings.Contains(string(data), `http-equiv="refresh"`) {
				t.Errorf("%s is not reachable from the home page", u)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestShortLinksAndAliasesLand follows each short link and alias, both
// through the HTML fallback page and through Netlify's _redirects, and
// checks it lands on the right page.
func TestShortLinksAndAliasesLand(t *testing.T) {
	base := "https://example.org/"
	src := testsite.New(t, testsite.Fixture())
	testsite.Write(t, src, "content/guide/02-referral-pathways.md", strings.Replace(
		string(mustRead(t, filepath.Join(src, "content/guide/02-referral-pathways.md"))),
		"weight: 2\n", "weight: 2\naliases: [/guide/referrals/, /old/referral.html]\n", 1))
	_, dest := buildFixture(t, Options{Source: src, BaseURL: base})
	crawl(t, dest, base)
	want := map[string]string{
		"/f/1/":              "/findings/f01-access-to-advice/",
		"/f/2/":              "/findings/f02-gp-consultations/",
		"/r/1/":              "/recommendations/r01-place-advice-where-patients-are/",
		"/r/2/":              "/recommendations/r02-measure-what-matters/",
		"/guide/referrals/":  "/guide/referral-pathways/",
		"/old/referral.html": "/guide/referral-pathways/",
	}
	redirects := map[string]string{}
	for _, line := range strings.Split(string(mustRead(t, filepath.Join(dest, "_redirects"))), "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && !strings.HasPrefix(line, "#") {
			if f[2] != "301!" {
				t.Errorf("redirect %s is %s, want 301! (forced past the fallback page)", f[0], f[2])
			}
			redirects[f[0]] = f[1]
		}
	}
	for from, to := range want {
		if redirects[from] != to {
			t.Errorf("_redirects: %s → %q, want %s", from, redirects[from], to)
		}
		file := filepath.Join(dest, filepath.FromSlash(strings.TrimPrefix(from, "/")))
		if strings.HasSuffix(from, "/") {
			file = filepath.Join(file, "index.html")
		}
		doc := string(mustRead(t, file))
		if !strings.Contains(doc, `content="0; url=`+to+`"`) || !strings.Contains(doc, `<link rel="canonical" href="`+base+strings.TrimPrefix(to, "/")+`">`) || !strings.Contains(doc, `<a href="`+to+`">`) {
			t.Errorf("%s: fallback page does not lead to %s:\n%s", from, to, doc)
		}
		target := string(mustRead(t, filepath.Join(dest, filepath.FromSlash(strings.TrimPrefix(to, "/")), "index.html")))
		if !strings.Contains(target, `<link rel="canonical" href="`+base+strings.TrimPrefix(to, "/")+`">`) {
			t.Errorf("%s lands on a page whose canonical URL is not %s", from, to)
		}
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
