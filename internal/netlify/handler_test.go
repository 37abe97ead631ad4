package netlify

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"hjp/internal/netlify/netlifytest"
)

// site is a small publish folder with the files Netlify reads.
func site() fstest.MapFS {
	return fstest.MapFS{
		"index.html":                  {Data: []byte("<h1>home</h1>")},
		"404.html":                    {Data: []byte("<h1>not found</h1>")},
		"guide/index.html":            {Data: []byte("<h1>guide</h1>")},
		"guide/setting-up/index.html": {Data: []byte("<h1>setting up</h1>")},
		"findings/shared/index.html":  {Data: []byte("<h1>shared records</h1>")},
		"f/1/index.html":              {Data: []byte("<h1>alias page</h1>")},
		"assets/style.abc.css":        {Data: []byte("body{}")},
		"about.html":                  {Data: []byte("<h1>about</h1>")},
		"fr/404.html":                 {Data: []byte("<h1>introuvable</h1>")},
		"app/index.html":              {Data: []byte("<h1>app</h1>")},
		"data/findings.json":          {Data: []byte(`{"findings":[]}`)},
		"refs.bib":                    {Data: []byte("@article{x}")},
		RedirectsFile: {Data: []byte(`# generated
/f/1/      /findings/shared/  301
/f/2/      /findings/shared/  301!
/old/*     /guide/:splat      301
/search    /guide/            302
/store id=:id  /blog/:id      301
/app/*     /app/index.html    200
/fr/*      /fr/404.html       404
/gone      /guide/            410
/ext/*     https://example.org/:splat  200
/shadow    /guide/            301
/uk-only   /guide/            302  Country=gb
/first     /guide/            302
`)},
		HeadersFile: {Data: []byte(`/*
  X-Frame-Options: DENY
  X-Order: headers-file
/assets/*
  Cache-Control: public, max-age=31536000, immutable
`)},
		"shadow/index.html": {Data: []byte("<h1>shadowing file</h1>")},
	}
}

const siteConfig = `[[redirects]]
from = "/toml-only"
to = "/guide/"

[[redirects]]
from = "/first"
to = "/never/"

[[redirects]]
from = "/f/1/"
to = "/findings/shared/"
force = true

[[headers]]
for = "/*"
[headers.values]
Content-Security-Policy = "default-src 'self'"
X-Order = "netlify-toml"
`

func handler(t *testing.T) *Handler {
	t.Helper()
	rules, diags := Load(site(), fstest.MapFS{ConfigName: {Data: []byte(siteConfig)}})
	if len(diags) != 0 {
		t.Fatalf("Load: %v", diags)
	}
	return &Handler{FS: site(), Rules: rules}
}

func TestLoadOrder(t *testing.T) {
	rules, _ := Load(site(), fstest.MapFS{ConfigName: {Data: []byte(siteConfig)}})
	first, last := rules.Redirects[0], rules.Redirects[len(rules.Redirects)-1]
	if first.File != RedirectsFile || last.File != ConfigName || last.To != "/findings/shared/" {
		t.Errorf("redirects are not _redirects then netlify.toml: first %s:%d, last %s:%d", first.File, first.Line, last.File, last.Line)
	}
	if rules.Headers[0].File != HeadersFile || rules.Headers[len(rules.Headers)-1].File != ConfigName {
		t.Errorf("headers are not _headers then netlify.toml")
	}
	if _, diags := Load(fstest.MapFS{}, nil); len(diags) != 0 {
		t.Errorf("a site without rules: %v", diags)
	}
}

// TestCache checks that a Cache parses again exactly when one of the
// three files changes, appears or goes, and keeps a file's diagnostics.
func TestCache(t *testing.T) {
	var c Cache
	pub := site()
	root := fstest.MapFS{ConfigName: {Data: []byte(siteConfig)}}
	first, _ := c.Load(pub, root)
	want, _ := Load(pub, root)
	if !reflect.DeepEqual(first, want) {
		t.Fatal("Cache.Load differs from Load")
	}
	if again, _ := c.Load(site(), fstest.MapFS{ConfigName: {Data: []byte(siteConfig)}}); again != first {
		t.Error("the same files (read again) were parsed again")
	}
	steps := []struct {
		name       string
		pub, root  fstest.MapFS
		diagnostic string
	}{
		{"_redirects changed", with(pub, RedirectsFile, "/a/ /b/ 301\n"), root, ""},
		{"netlify.toml gone", with(pub, RedirectsFile, "/a/ /b/ 301\n"), fstest.MapFS{}, ""},
		{"_headers gone", without(with(pub, RedirectsFile, "/a/ /b/ 301\n"), HeadersFile), fstest.MapFS{}, ""},
		{"_headers back, empty", with(with(pub, RedirectsFile, "/a/ /b/ 301\n"), HeadersFile, ""), fstest.MapFS{}, ""},
		{"a bad line", with(pub, RedirectsFile, "/a/\n"), fstest.MapFS{}, "_redirects:1:"},
		{"the bad line again", with(pub, RedirectsFile, "/a/\n"), fstest.MapFS{}, "_redirects:1:"},
	}
	prev := first
	for _, st := range steps {
		got, diags := c.Load(st.pub, st.root)
		want, wantDiags := Load(st.pub, st.root)
		if !reflect.DeepEqual(got, want) || len(diags) != len(wantDiags) {
			t.Errorf("%s: Cache.Load differs from Load", st.name)
		}
		if st.name != "the bad line again" && got == prev {
			t.Errorf("%s: the last rules were reused", st.name)
		}
		if st.diagnostic != "" && (len(diags) == 0 || !strings.HasPrefix(diags[0].String(), st.diagnostic)) {
			t.Errorf("%s: diagnostics %v, want one at %s", st.name, diags, st.diagnostic)
		}
		prev = got
	}
}

// with returns a copy of fsys with name holding data.
func with(fsys fstest.MapFS, name, data string) fstest.MapFS {
	out := maps.Clone(fsys)
	out[name] = &fstest.MapFile{Data: []byte(data)}
	return out
}

// without returns a copy of fsys without name.
func without(fsys fstest.MapFS, name string) fstest.MapFS {
	out := maps.Clone(fsys)
	delete(out, name)
	return out
}

func TestHandler(t *testing.T) {
	h := handler(t)
	tests := []struct {
		name, target string
		status       int
		location     string
		body         string
	}{
		{"home", "/", 200, "", "<h1>home</h1>"},
		{"folder index", "/guide/", 200, "", "<h1>guide</h1>"},
		{"folder without slash", "/guide", 301, "/guide/", ""},
		{"folder without slash keeps query", "/guide?x=1", 301, "/guide/?x=1", ""},
		{"html file without extension", "/about", 200, "", "<h1>about</h1>"},
		{"missing page", "/nowhere/", 404, "", "<h1>not found</h1>"},
		{"no listing of a folder without index", "/assets/", 404, "", "<h1>not found</h1>"},
		{"rules file is not served", "/_redirects", 404, "", "<h1>not found</h1>"},
		{"headers file is not served", "/_headers", 404, "", "<h1>not found</h1>"},
		{"unforced rule is shadowed, a later forced one is not", "/f/1/", 301, "/findings/shared/", ""},
		{"forced rule wins over a file", "/f/2/", 301, "/findings/shared/", ""},
		{"splat", "/old/setting-up/", 301, "/guide/setting-up/", ""},
		{"trailing slash is normalised", "/search/", 302, "/guide/", ""},
		{"query passes through", "/search?q=debt", 302, "/guide/?q=debt", ""},
		{"query placeholder", "/store?id=42", 301, "/blog/42", ""},
		{"query required", "/store", 404, "", "<h1>not found</h1>"},
		{"rewrite", "/app/some/route", 200, "", "<h1>app</h1>"},
		{"custom 404 rewrite", "/fr/nulle-part", 404, "", "<h1>introuvable</h1>"},
		{"410 with content", "/gone", 410, "", "<h1>guide</h1>"},
		{"proxy is refused", "/ext/x", 502, "", ""},
		{"unforced rule shadowed by file", "/shadow", 301, "/shadow/", ""},
		{"conditions never match in preview", "/uk-only", 404, "", "<h1>not found</h1>"},
		{"netlify.toml rule after _redirects", "/toml-only", 301, "/guide/", ""},
		{"first matching rule wins", "/first", 302, "/guide/", ""},
		{"file shadows unforced rules", "/guide/setting-up/", 200, "", "<h1>setting up</h1>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", tt.target, nil))
			if rec.Code != tt.status {
				t.Fatalf("status = %d, want %d (body %q)", rec.Code, tt.status, rec.Body.String())
			}
			if got := rec.Header().Get("Location"); got != tt.location {
				t.Errorf("Location = %q, want %q", got, tt.location)
			}
			if tt.body != "" && rec.Body.String() != tt.body {
				t.Errorf("body = %q, want %q", rec.Body.String(), tt.body)
			}
		})
	}
}

func TestHandlerHeaders(t *testing.T) {
	h := handler(t)
	get := func(target string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		return rec
	}
	page := get("/guide/")
	if got := page.Header().Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("X-Frame-Options = %q", got)
	}
	if got := page.Header().Get("Content-Security-Policy"); got != "default-src 'self'" {
		t.Errorf("CSP from netlify.toml = %q", got)
	}
	if got := page.Header().Get("X-Order"); got != "headers-file, netlify-toml" {
		t.Errorf("_headers must come before netlify.toml: X-Order = %q", got)
	}
	if got := page.Header().Get("Cache-Control"); got != netlifyCacheControl {
		t.Errorf("default Cache-Control = %q", got)
	}
	if got := get("/assets/style.abc.css").Header().Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Errorf("rule Cache-Control = %q", got)
	}
	if got := get("/nowhere/").Header().Get("Content-Security-Policy"); got != "default-src 'self'" {
		t.Errorf("the 404 page must carry the CSP too: %q", got)
	}
	h.CacheControl = "no-store"
	for _, target := range []string{"/guide/", "/assets/style.abc.css", "/nowhere/", "/guide", "/f/2/"} {
		if got := get(target).Header().Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s: Cache-Control = %q with the override", target, got)
		}
	}
}

func TestHandlerContentTypes(t *testing.T) {
	h := handler(t)
	tests := map[string]string{
		"/":                     "text/html; charset=utf-8",
		"/assets/style.abc.css": "text/css; charset=utf-8",
		"/data/findings.json":   "application/json",
		"/refs.bib":             "application/x-bibtex; charset=utf-8",
		"/nowhere/":             "text/html; charset=utf-8",
	}
	for target, want := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		if got := rec.Header().Get("Content-Type"); got != want {
			t.Errorf("%s: Content-Type = %q, want %q", target, got, want)
		}
	}
}

func TestHandlerMethods(t *testing.T) {
	h := handler(t)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/", nil))
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d %q", rec.Code, rec.Header().Get("Allow"))
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("HEAD", "/guide/", nil))
	if rec.Code != 200 || rec.Body.Len() != 0 {
		t.Errorf("HEAD: %d with %d body bytes", rec.Code, rec.Body.Len())
	}
}

// TestHandlerTraversal sends raw request lines, so no client cleans the
// path first, to a real server over a folder with a secret beside it.
func TestHandlerTraversal(t *testing.T) {
	dir := t.TempDir()
	pub := filepath.Join(dir, "public")
	os.MkdirAll(filepath.Join(pub, "guide"), 0o755)
	os.WriteFile(filepath.Join(pub, "index.html"), []byte("home"), 0o644)
	os.WriteFile(filepath.Join(pub, "guide", "index.html"), []byte("guide"), 0o644)
	os.WriteFile(filepath.Join(pub, "404.html"), []byte("not found page"), 0o644)
	os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("SECRET"), 0o644)
	srv := httptest.NewServer(&Handler{FS: os.DirFS(pub)})
	defer srv.Close()
	for _, target := range netlifytest.TraversalPaths {
		status, body := netlifytest.RawGet(t, srv.Listener.Addr().String(), target)
		if status != 404 || strings.Contains(body, "SECRET") {
			t.Errorf("GET %s = %d %q, want 404 and no secret", target, status, body)
		}
	}
}
