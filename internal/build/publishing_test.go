package build

import (
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"hjp/internal/testsite"
)

const base = "https://example.org/"

// env returns a Getenv over the pairs kv.
func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// datedFixture is the fixture with pages updated on different days, so
// the feed's order and the sitemap's dates mean something.
func datedFixture(t *testing.T) string {
	src := testsite.New(t, testsite.Fixture())
	testsite.Write(t, src, "content/findings/f04-newest.md", "---\ntitle: The newest finding\nsummary: Added last.\nid: F4\nfactor: collaboration\nupdated: 2027-01-15\n---\n\nText.\n")
	testsite.Write(t, src, "content/case-studies/older-study.md", "---\ntitle: An older study\nsummary: Added first.\nsetting: hospital\nmodel: co-located\nupdated: 2025-03-02\n---\n\nText.\n")
	return src
}

type sitemapDoc struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"url"`
}

// TestSitemap parses sitemap.xml against the sitemaps.org shape: every
// page is listed once by absolute URL and exists; redirect pages, the
// search page and the not-found page are not listed; lastmod is the
// page's updated date, and a section's is its newest page's.
func TestSitemap(t *testing.T) {
	_, dest := buildFixture(t, Options{Source: datedFixture(t), BaseURL: base, Minify: true})
	var sm sitemapDoc
	if err := xml.Unmarshal(mustRead(t, filepath.Join(dest, "sitemap.xml")), &sm); err != nil {
		t.Fatal(err)
	}
	locs := map[string]string{}
	for _, u := range sm.URLs {
		if _, dup := locs[u.Loc]; dup {
			t.Errorf("%s is listed twice", u.Loc)
		}
		locs[u.Loc] = u.LastMod
		if !strings.HasPrefix(u.Loc, base) {
			t.Errorf("loc %q is not under the base URL", u.Loc)
			continue
		}
		if _, err := os.Stat(filepath.Join(dest, strings.TrimPrefix(u.Loc, base), "index.html")); err != nil {
			t.Errorf("%s is listed but not built", u.Loc)
		}
		if u.LastMod != "" {
			if _, err := time.Parse(time.DateOnly, u.LastMod); err != nil {
				t.Errorf("%s: lastmod %q is not a W3C date", u.Loc, u.LastMod)
			}
		}
	}
	want := map[string]string{
		base:                                    "2027-01-15",
		base + "findings/":                      "2027-01-15",
		base + "findings/f04-newest/":           "2027-01-15",
		base + "findings/f01-access-to-advice/": "",
		base + "guide/what-is-an-hjp/":          "2026-11-01",
		base + "case-studies/older-study/":      "2025-03-02",
		base + "case-studies/":                  "2025-03-02",
		base + "references/":                    "",
		base + "api/":                           "",
		base + "themes/referral/":               "",
	}
	for loc, lastmod := range want {
		got, ok := locs[loc]
		if !ok {
			t.Errorf("%s is missing from the sitemap", loc)
		} else if got != lastmod {
			t.Errorf("%s: lastmod %q, want %q", loc, got, lastmod)
		}
	}
	for _, not := range []string{base + "f/1/", base + "r/1/", base + "search/", base + "404.html"} {
		if _, ok := locs[not]; ok {
			t.Errorf("%s should not be in the sitemap", not)
		}
	}
	robots := string(mustRead(t, filepath.Join(dest, "robots.txt")))
	if robots != "User-agent: *\nAllow: /\n\nSitemap: "+base+"sitemap.xml\n" {
		t.Errorf("production robots.txt:\n%s", robots)
	}
	if _, err := os.Stat(filepath.Join(dest, "_headers")); err == nil {
		t.Error("a production build wrote _headers (its noindex rule is for previews)")
	}
}

type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links   []atomLinkDoc `xml:"link"`
	Entries []struct {
		Title    string      `xml:"title"`
		ID       string      `xml:"id"`
		Updated  string      `xml:"updated"`
		Summary  string      `xml:"summary"`
		Link     atomLinkDoc `xml:"link"`
		Category struct {
			Term string `xml:"term,attr"`
		} `xml:"category"`
		Content struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

type atomLinkDoc struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
}

// TestFeed parses feed.xml as Atom (RFC 4287) and checks its required
// elements, the newest-first order, and the change notes of a
// recommendation.
func TestFeed(t *testing.T) {
	_, dest := buildFixture(t, Options{Source: datedFixture(t), BaseURL: base, Minify: true})
	var f atomDoc
	if err := xml.Unmarshal(mustRead(t, filepath.Join(dest, "feed.xml")), &f); err != nil {
		t.Fatal(err)
	}
	if f.ID != base || f.Updated != "2027-01-15T00:00:00Z" || f.Author.Name == "" || f.Title == "" || f.Lang != "en-GB" {
		t.Errorf("feed head: id %q updated %q author %q title %q lang %q", f.ID, f.Updated, f.Author.Name, f.Title, f.Lang)
	}
	if !slices.Contains(f.Links, atomLinkDoc{Rel: "self", Href: base + "feed.xml"}) {
		t.Errorf("no self link: %v", f.Links)
	}
	var order []string
	for _, e := range f.Entries {
		order = append(order, e.Updated+" "+e.Link.Href)
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
			t.Errorf("%s: updated %q is not RFC 3339", e.ID, e.Updated)
		}
		if e.ID != e.Link.Href || !strings.HasPrefix(e.ID, base) || e.Title == "" || e.Summary == "" || e.Content.Type != "html" {
			t.Errorf("entry %+v", e)
		}
		if _, err := os.Stat(filepath.Join(dest, strings.TrimPrefix(e.Link.Href, base), "index.html")); err != nil {
			t.Errorf("entry links to %s, which is not built", e.Link.Href)
		}
		if e.Category.Term == "recommendation" && !strings.Contains(e.Content.Body, "<li>1 November 2026: First published.</li>") {
			t.Errorf("recommendation entry lacks its change notes: %q", e.Content.Body)
		}
	}
	want := []string{
		"2027-01-15T00:00:00Z " + base + "findings/f04-newest/",
		"2026-11-01T00:00:00Z " + base + "guide/what-is-an-hjp/",
		"2026-11-01T00:00:00Z " + base + "recommendations/r01-place-advice-where-patients-are/",
		"2025-03-02T00:00:00Z " + base + "case-studies/older-study/",
	}
	if !slices.Equal(order, want) {
		t.Errorf("entries:\n%s\nwant:\n%s", strings.Join(order, "\n"), strings.Join(want, "\n"))
	}
}

// TestDeployPreviewIsNotIndexed builds as Netlify does for a deploy
// preview and checks that nothing invites indexing and that every
// absolute URL is the preview's.
func TestDeployPreviewIsNotIndexed(t *testing.T) {
	const preview = "https://deploy-preview-7--hjp.netlify.app/"
	const production = "https://hjp.example.org/"
	for _, ctx := range []string{"deploy-preview", "branch-deploy"} {
		t.Run(ctx, func(t *testing.T) {
			_, dest := buildFixture(t, Options{Getenv: env("CONTEXT", ctx, "URL", production, "DEPLOY_PRIME_URL", preview), Minify: true})
			robots := string(mustRead(t, filepath.Join(dest, "robots.txt")))
			if !strings.Contains(robots, "User-agent: *\nDisallow: /\n") || strings.Contains(robots, "Allow: /\n\n") {
				t.Errorf("robots.txt does not disallow everything:\n%s", robots)
			}
			headers := string(mustRead(t, filepath.Join(dest, "_headers")))
			if !strings.Contains(headers, "/*\n  X-Robots-Tag: noindex, nofollow\n") {
				t.Errorf("_headers lacks the noindex rule:\n%s", headers)
			}
			for name, data := range testsite.ReadTree(t, dest) {
				if strings.Contains(data, production) {
					t.Errorf("%s mentions the production URL", name)
				}
			}
			for _, name := range htmlFiles(t, dest) {
				doc := parseHTMLFile(t, filepath.Join(dest, name))
				if r := metaContent(doc, "robots"); !strings.Contains(r, "noindex") {
					t.Errorf("%s: robots meta %q", name, r)
				}
				for _, l := range findAll(doc, tag("link", "rel", "canonical")) {
					if !strings.HasPrefix(attr(l, "href"), preview) {
						t.Errorf("%s: canonical %q is not the preview's", name, attr(l, "href"))
					}
				}
				if u := metaContent(doc, "og:url"); u != "" && !strings.HasPrefix(u, preview) {
					t.Errorf("%s: og:url %q", name, u)
				}
			}
			var sm sitemapDoc
			if err := xml.Unmarshal(mustRead(t, filepath.Join(dest, "sitemap.xml")), &sm); err != nil {
				t.Fatal(err)
			}
			if len(sm.URLs) == 0 || !strings.HasPrefix(sm.URLs[0].Loc, preview) {
				t.Errorf("sitemap locs are not the preview's: %v", sm.URLs[:min(1, len(sm.URLs))])
			}
		})
	}
}

// TestSharingMetaAndJSONLD checks the head of every page: Open Graph
// fields agree with the canonical URL and point at a real image of the
// declared size; every JSON-LD block parses, guide chapters are Articles
// that list the works they cite, and breadcrumbs are numbered from 1 and
// end at the page.
func TestSharingMetaAndJSONLD(t *testing.T) {
	_, dest := buildFixture(t, Options{BaseURL: base, Minify: true})
	articles := 0
	for _, name := range htmlFiles(t, dest) {
		doc := parseHTMLFile(t, filepath.Join(dest, name))
		if metaContent(doc, "http-equiv") != "" || len(findAll(doc, tag("meta", "http-equiv", "refresh"))) > 0 {
			continue // the redirect page of an old URL
		}
		canonical := ""
		if l := findAll(doc, tag("link", "rel", "canonical")); len(l) == 1 {
			canonical = attr(l[0], "href")
		}
		if og := metaContent(doc, "og:url"); og != canonical || canonical == "" {
			t.Errorf("%s: og:url %q, canonical %q", name, og, canonical)
		}
		for _, p := range []string{"og:title", "og:description", "og:site_name", "og:type", "twitter:card", "og:image:alt"} {
			if metaContent(doc, p) == "" {
				t.Errorf("%s: no %s", name, p)
			}
		}
		img := metaContent(doc, "og:image")
		f, err := os.Open(filepath.Join(dest, strings.TrimPrefix(img, base)))
		if err != nil || !strings.HasPrefix(img, base) {
			t.Errorf("%s: og:image %q is not a built file: %v", name, img, err)
		} else {
			cfg, err := png.DecodeConfig(f)
			f.Close()
			if err != nil || strconv.Itoa(cfg.Width) != metaContent(doc, "og:image:width") || strconv.Itoa(cfg.Height) != metaContent(doc, "og:image:height") || cfg.Width != 1200 || cfg.Height != 630 {
				t.Errorf("%s: og:image %dx%d (%v), meta says %sx%s", name, cfg.Width, cfg.Height, err, metaContent(doc, "og:image:width"), metaContent(doc, "og:image:height"))
			}
		}
		blocks := findAll(doc, tag("script", "type", "application/ld+json"))
		if name == "404.html" {
			if len(blocks) != 0 {
				t.Errorf("404.html has structured data")
			}
			continue
		}
		if len(blocks) != 1 {
			t.Errorf("%s: %d JSON-LD blocks, want 1", name, len(blocks))
			continue
		}
		var ld struct {
			Context string           `json:"@context"`
			Graph   []map[string]any `json:"@graph"`
		}
		if err := json.Unmarshal([]byte(textOf(blocks[0])), &ld); err != nil {
			t.Errorf("%s: JSON-LD does not parse: %v", name, err)
			continue
		}
		if ld.Context != "https://schema.org" || len(ld.Graph) == 0 {
			t.Errorf("%s: JSON-LD %v", name, ld)
			continue
		}
		// The home page describes the site; every other page is part of it.
		if name == "index.html" {
			if ld.Graph[0]["@type"] != "WebSite" || ld.Graph[0]["@id"] != base+"#website" || ld.Graph[0]["url"] != base {
				t.Errorf("home page JSON-LD %v", ld.Graph[0])
			}
		} else if part, _ := ld.Graph[0]["isPartOf"].(map[string]any); part["@id"] != base+"#website" || ld.Graph[0]["url"] != canonical {
			t.Errorf("%s: page node %v", name, ld.Graph[0])
		}
		byType := map[string]map[string]any{}
		for _, n := range ld.Graph {
			byType[n["@type"].(string)] = n
		}
		if name != "index.html" {
			checkBreadcrumbs(t, name, byType["BreadcrumbList"], canonical)
		}
		// Guide chapters are articles; the print page (the whole guide on one
		// page, made by the theme) is not one chapter.
		if strings.HasPrefix(name, "guide/") && name != "guide/index.html" && name != "guide/print/index.html" {
			articles++
			a := byType["Article"]
			if a == nil || a["headline"] != metaContent(doc, "og:title") || a["url"] != canonical || a["image"] != metaContent(doc, "og:image") {
				t.Errorf("%s: Article %v", name, a)
				continue
			}
			refs := findAll(doc, tag("ul", "class", "reference-list"))
			cites, _ := a["citation"].([]any)
			if len(refs) == 1 && len(cites) != len(findAll(refs[0], tag("li"))) {
				t.Errorf("%s: %d citations in JSON-LD, %d in the reference list", name, len(cites), len(findAll(refs[0], tag("li"))))
			}
			for _, c := range cites {
				c := c.(map[string]any)
				if c["@type"] == nil || c["name"] == nil {
					t.Errorf("%s: citation %v", name, c)
				}
			}
		}
	}
	if articles < 2 {
		t.Errorf("checked %d guide chapters, want 2", articles)
	}
}

func checkBreadcrumbs(t *testing.T, name string, bl map[string]any, canonical string) {
	t.Helper()
	items, _ := bl["itemListElement"].([]any)
	if len(items) < 2 {
		t.Errorf("%s: BreadcrumbList %v", name, bl)
		return
	}
	for i, it := range items {
		it := it.(map[string]any)
		if it["position"] != float64(i+1) || !strings.HasPrefix(it["item"].(string), base) || it["name"] == "" {
			t.Errorf("%s: breadcrumb %d = %v", name, i, it)
		}
	}
	if items[0].(map[string]any)["item"] != base || items[len(items)-1].(map[string]any)["item"] != canonical {
		t.Errorf("%s: breadcrumbs do not run from home to the page: %v", name, items)
	}
}

// TestSubresourceIntegrity checks that every integrity attribute verifies
// the bytes of the file it names, in a minified build.
func TestSubresourceIntegrity(t *testing.T) {
	_, dest := buildFixture(t, Options{BaseURL: base, Minify: true})
	checked := 0
	for _, name := range htmlFiles(t, dest) {
		doc := parseHTMLFile(t, filepath.Join(dest, name))
		for _, n := range findAll(doc, func(n *html.Node) bool { return attr(n, "integrity") != "" }) {
			ref := attr(n, "src") + attr(n, "href")
			data, err := os.ReadFile(filepath.Join(dest, strings.TrimPrefix(ref, "/")))
			if err != nil {
				t.Errorf("%s: %s: %v", name, ref, err)
				continue
			}
			sum := sha512.Sum384(data)
			if got := "sha384-" + base64.StdEncoding.EncodeToString(sum[:]); got != attr(n, "integrity") {
				t.Errorf("%s: integrity of %s is %s, the file hashes to %s", name, ref, attr(n, "integrity"), got)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no integrity attributes found")
	}
}

// TestFingerprintsFollowContent rebuilds after changing the stylesheet:
// its name changes and every page points at the new one; the script,
// unchanged, keeps its name.
func TestFingerprintsFollowContent(t *testing.T) {
	src := testsite.New(t, testsite.Fixture())
	assetNames := func(dest string) (css, js string) {
		for name := range fileNames(t, filepath.Join(dest, "assets")) {
			switch {
			case strings.HasPrefix(name, "style."):
				css = name
			case strings.HasPrefix(name, "app."):
				js = name
			}
		}
		return css, js
	}
	_, dest := buildFixture(t, Options{Source: src, Minify: true})
	css1, js1 := assetNames(dest)
	_, dest = buildFixture(t, Options{Source: src, Minify: true})
	if css, js := assetNames(dest); css != css1 || js != js1 {
		t.Errorf("unchanged assets were renamed: %s %s → %s %s", css1, js1, css, js)
	}
	testsite.Write(t, src, "themes/default/assets/css/zz-extra.css", ".extra { color: #123456; }\n")
	_, dest = buildFixture(t, Options{Source: src, Minify: true})
	css2, js2 := assetNames(dest)
	if css2 == css1 || js2 != js1 {
		t.Errorf("after a CSS change: style %s → %s, app %s → %s", css1, css2, js1, js2)
	}
	if !strings.Contains(string(mustRead(t, filepath.Join(dest, "assets", css2))), ".extra{color:#123456}") {
		t.Error("the new stylesheet lacks the added rule")
	}
	for _, name := range htmlFiles(t, dest) {
		page := string(mustRead(t, filepath.Join(dest, name)))
		if strings.Contains(page, "/assets/"+css1) || (strings.Contains(page, "stylesheet") && !strings.Contains(page, "/assets/"+css2)) {
			t.Errorf("%s does not point at the new stylesheet", name)
		}
	}
}

// TestReproducible builds the same content twice under everything that
// must not matter: another folder, other file times, another number of
// workers, other unrelated environment variables. The outputs must be
// byte for byte the same.
func TestReproducible(t *testing.T) {
	srcA := testsite.New(t, testsite.Fixture())
	srcB := testsite.New(t, testsite.Fixture())
	later := time.Date(2031, 7, 4, 12, 0, 0, 0, time.UTC)
	err := filepath.WalkDir(srcB, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(p, later, later)
	})
	if err != nil {
		t.Fatal(err)
	}
	netlify := []string{"CONTEXT", "production", "URL", "https://hjp.example.org"}
	a := filepath.Join(t.TempDir(), "public")
	b := filepath.Join(t.TempDir(), "out", "site")
	buildFixture(t, Options{Source: srcA, Dest: a, Workers: 1, Minify: true,
		Getenv: env(append(netlify, "HOME", "/home/a", "TZ", "Europe/London", "BUILD_ID", "1", "COMMIT_REF", "abc")...)})
	buildFixture(t, Options{Source: srcB, Dest: b, Workers: 7, Minify: true,
		Getenv: env(append(netlify, "HOME", "/root", "TZ", "Pacific/Auckland", "BUILD_ID", "2", "COMMIT_REF", "def", "LANG", "C")...)})
	ta, tb := testsite.ReadTree(t, a), testsite.ReadTree(t, b)
	if len(ta) < 50 || len(ta) != len(tb) {
		t.Fatalf("%d and %d files", len(ta), len(tb))
	}
	for name, data := range ta {
		if tb[name] != data {
			t.Errorf("%s differs between the two builds", name)
		}
	}
}

// TestThemeStatic checks that the theme's static files reach the site
// root, that the site's own file of the same name wins, and that neither
// may replace a generated file.
func TestThemeStatic(t *testing.T) {
	src := testsite.New(t, testsite.Fixture())
	_, dest := buildFixture(t, Options{Source: src})
	theme := mustRead(t, filepath.Join(src, "themes", "default", "static", "favicon.ico"))
	if got := mustRead(t, filepath.Join(dest, "favicon.ico")); string(got) != string(theme) {
		t.Error("/favicon.ico is not the theme's")
	}
	testsite.Write(t, src, "content/favicon.ico", "the site's own")
	_, dest = buildFixture(t, Options{Source: src})
	if got := string(mustRead(t, filepath.Join(dest, "favicon.ico"))); got != "the site's own" {
		t.Errorf("/favicon.ico = %q, want the site's own file", got)
	}
	testsite.Write(t, src, "themes/default/static/sitemap.xml", "<urlset/>")
	res := Build(Options{Source: src})
	if !res.Failed() || !strings.Contains(res.Diags.Err().Error(), "themes/default/static/sitemap.xml:1:1: error: this file would overwrite the generated file /sitemap.xml") {
		t.Errorf("a theme file replacing the sitemap: %v", res.Diags.Err())
	}
}
