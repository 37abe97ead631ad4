package build

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"hjp/internal/netlify"
	"hjp/internal/testsite"
)

// serveBuilt serves a built site as Netlify would, with the rules of the
// publish folder and of the repository's netlify.toml.
func serveBuilt(t *testing.T, dest string) *httptest.Server {
	t.Helper()
	rules, d := netlify.Load(os.DirFS(dest), os.DirFS(testsite.Root()))
	if len(d) > 0 {
		t.Fatalf("Netlify rules: %v", d)
	}
	srv := httptest.NewServer(&netlify.Handler{FS: os.DirFS(dest), Rules: rules})
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// cspDirectives splits a Content-Security-Policy into its directives.
func cspDirectives(csp string) map[string][]string {
	out := map[string][]string{}
	for d := range strings.SplitSeq(csp, ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			out[f[0]] = f[1:]
		}
	}
	return out
}

// TestNetlifyConfig parses netlify.toml: the build runs hjp with the Go
// this repository is tested with and publishes public/; every file is
// served under a strict CSP and the other security headers; only
// fingerprinted assets are cached for long.
func TestNetlifyConfig(t *testing.T) {
	src := mustRead(t, filepath.Join(testsite.Root(), netlify.ConfigName))
	if _, _, d := netlify.ParseConfig(netlify.ConfigName, src); len(d) > 0 {
		t.Fatalf("netlify.toml: %v", d)
	}
	var cfg struct {
		Build struct {
			Command     string            `toml:"command"`
			Publish     string            `toml:"publish"`
			Environment map[string]string `toml:"environment"`
		} `toml:"build"`
	}
	if err := toml.Unmarshal(src, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Build.Command != "go run ./cmd/hjp build" || cfg.Build.Publish != "public" {
		t.Errorf("[build] command %q publish %q", cfg.Build.Command, cfg.Build.Publish)
	}
	goVersion := cfg.Build.Environment["GO_VERSION"]
	mod := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindStringSubmatch(string(mustRead(t, filepath.Join(testsite.Root(), "go.mod"))))
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(goVersion) || !strings.HasPrefix(goVersion, mod[1]+".") || !strings.HasPrefix(runtime.Version(), "go"+mod[1]) {
		t.Errorf("GO_VERSION %q should pin a release of Go %s (go.mod), as the tests run with (%s)", goVersion, mod[1], runtime.Version())
	}

	_, dest := buildFixture(t, Options{BaseURL: base, Minify: true})
	srv := serveBuilt(t, dest)
	var css string
	for name := range fileNames(t, filepath.Join(dest, "assets")) {
		if strings.HasPrefix(name, "style.") {
			css = "/assets/" + name
		}
	}
	var meta string
	for name := range fileNames(t, filepath.Join(dest, "search", "index")) {
		if strings.HasPrefix(name, "meta.") {
			meta = "/search/index/" + name
		}
	}
	if meta == "" {
		t.Fatal("the build has no search index metadata")
	}
	for _, p := range []string{"/", "/guide/what-is-an-hjp/", css, meta, "/search/", "/api/findings.json", "/feed.xml", "/no-such-page/"} {
		resp, _ := get(t, srv.URL+p)
		h := resp.Header
		csp := cspDirectives(h.Get("Content-Security-Policy"))
		want := map[string]string{
			"default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self'",
			"connect-src": "'self'", "object-src": "'none'", "base-uri": "'self'", "form-action": "'self'", "frame-ancestors": "'none'",
		}
		for k, v := range want {
			if strings.Join(csp[k], " ") != v {
				t.Errorf("%s: CSP %s = %v, want %s", p, k, csp[k], v)
			}
		}
		if c := h.Get("Content-Security-Policy"); strings.Contains(c, "unsafe") || strings.Contains(c, "*") || strings.Contains(c, "data:") {
			t.Errorf("%s: CSP allows too much: %s", p, c)
		}
		if m := regexp.MustCompile(`^max-age=(\d+)`).FindStringSubmatch(h.Get("Strict-Transport-Security")); m == nil || atoi(m[1]) < 31536000 {
			t.Errorf("%s: Strict-Transport-Security %q", p, h.Get("Strict-Transport-Security"))
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" ||
			h.Get("Referrer-Policy") != "strict-origin-when-cross-origin" || !strings.Contains(h.Get("Permissions-Policy"), "camera=()") {
			t.Errorf("%s: security headers %v", p, h)
		}
		cache := h.Get("Cache-Control")
		switch {
		case p == css || p == meta:
			if cache != "public, max-age=31536000, immutable" {
				t.Errorf("%s: Cache-Control %q, want a year, immutable", p, cache)
			}
		case cache != "public, max-age=0, must-revalidate":
			t.Errorf("%s: Cache-Control %q, want Netlify's revalidate-every-time default", p, cache)
		}
		if strings.HasPrefix(p, "/api/") != (h.Get("Access-Control-Allow-Origin") == "*") {
			t.Errorf("%s: Access-Control-Allow-Origin %q", p, h.Get("Access-Control-Allow-Origin"))
		}
		if h.Get("X-Robots-Tag") != "" {
			t.Errorf("%s: a production build sends X-Robots-Tag %q", p, h.Get("X-Robots-Tag"))
		}
	}
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// TestServedLikeNetlify checks the built site's _redirects and 404.html
// under the Netlify handler, and the preview-only X-Robots-Tag.
func TestServedLikeNetlify(t *testing.T) {
	src := testsite.New(t, testsite.Fixture())
	_, dest := buildFixture(t, Options{Source: src, BaseURL: base, Minify: true})
	srv := serveBuilt(t, dest)
	// A short link lands on its page: by the _redirects rule, or, where
	// the HTML fallback page shadows that rule (Netlify applies an
	// unforced rule only where no file exists), by that page's refresh.
	resp, body := get(t, srv.URL+"/f/1/")
	switch resp.StatusCode {
	case http.StatusMovedPermanently:
		if resp.Header.Get("Location") != "/findings/f01-access-to-advice/" {
			t.Errorf("/f/1/ redirects to %q", resp.Header.Get("Location"))
		}
	case http.StatusOK:
		if !strings.Contains(body, "url=/findings/f01-access-to-advice/") {
			t.Errorf("/f/1/ serves a page that does not lead to the finding: %.200q", body)
		}
	default:
		t.Errorf("/f/1/: status %d", resp.StatusCode)
	}
	if resp, _ := get(t, srv.URL+"/favicon.ico"); resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/x-icon" {
		t.Errorf("/favicon.ico: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	resp, body = get(t, srv.URL+"/no-such-page/")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "<h1>Page not found</h1>") {
		t.Errorf("/no-such-page/: %d %.80q", resp.StatusCode, body)
	}

	_, dest = buildFixture(t, Options{Source: src, Getenv: env("CONTEXT", "deploy-preview", "DEPLOY_PRIME_URL", "https://deploy-preview-3--hjp.netlify.app"), Minify: true})
	srv = serveBuilt(t, dest)
	for _, p := range []string{"/", "/api/findings.json", "/sitemap.xml", "/no-such-page/"} {
		if resp, _ := get(t, srv.URL+p); resp.Header.Get("X-Robots-Tag") != "noindex, nofollow" {
			t.Errorf("preview %s: X-Robots-Tag %q", p, resp.Header.Get("X-Robots-Tag"))
		}
	}
}
