package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"hjp/internal/testsite"
)

func fixture(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testsite.Fixture(), "content", "site.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBaseURLAndContext(t *testing.T) {
	src := fixture(t)
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	tests := []struct {
		name       string
		opts       Options
		base       string
		production bool
	}{
		{"site.yaml", Options{}, "https://health-justice-partnerships.netlify.app/", true},
		{"flag wins", Options{BaseURL: "https://example.org", Getenv: env("URL", "https://x.netlify.app")}, "https://example.org/", true},
		{"netlify production", Options{Getenv: env("CONTEXT", "production", "URL", "https://hjp.org.uk", "DEPLOY_PRIME_URL", "https://main--x.netlify.app")}, "https://hjp.org.uk/", true},
		{"deploy preview", Options{Getenv: env("CONTEXT", "deploy-preview", "URL", "https://hjp.org.uk", "DEPLOY_PRIME_URL", "https://deploy-preview-7--x.netlify.app")}, "https://deploy-preview-7--x.netlify.app/", false},
		{"branch deploy", Options{Getenv: env("CONTEXT", "branch-deploy", "DEPLOY_PRIME_URL", "https://draft--x.netlify.app")}, "https://draft--x.netlify.app/", false},
	}
	for _, tt := range tests {
		s, d := Parse(src, tt.opts)
		if s == nil {
			t.Fatalf("%s: %v", tt.name, d)
		}
		if s.BaseURL != tt.base || s.Production != tt.production {
			t.Errorf("%s: base %q production %v, want %q %v", tt.name, s.BaseURL, s.Production, tt.base, tt.production)
		}
	}
	s, _ := Parse(src, Options{BaseURL: "https://example.org/sub"})
	if got := s.AbsURL("/f/3/"); got != "https://example.org/sub/f/3/" {
		t.Errorf("AbsURL = %q", got)
	}
}

func TestVocabularies(t *testing.T) {
	s, _ := Parse(fixture(t), Options{})
	v := s.Vocab.Get("settings")
	if v.Label("hospital") != "Hospitals" || v.Rank("primary-care") != 0 || !v.Has("community") || v.Has("prison") {
		t.Errorf("settings vocabulary wrong: %+v", v.Terms)
	}
	if s.Vocab.Singular("funding_types") != "funding type" {
		t.Errorf("singular = %q", s.Vocab.Singular("funding_types"))
	}
}

func TestSiteErrors(t *testing.T) {
	good := string(fixture(t))
	tests := []struct{ src, want string }{
		{strings.Replace(good, "title: Health Justice Partnerships\n", "titel: Health Justice Partnerships\n", 1),
			`content/site.yaml:5:1: error: unknown field "titel" (did you mean "title"?)`},
		{strings.Replace(good, "base_url: https://", "base_url: ftp://", 1),
			`content/site.yaml:10:11: error: must be an absolute http(s) URL, like https://example.org/`},
		{strings.Replace(good, "    - key: hospital\n", "    - key: Hospital Wards\n", 1),
			`error: a vocabulary key must be lower-case words joined by hyphens, like "primary-care"`},
		{strings.Replace(good, "    - key: hospital\n", "    - key: primary-care\n", 1),
			`error: setting "primary-care" is listed twice`},
		{strings.Replace(good, "  risks:\n", "  risk_levels:\n", 1),
			`error: missing required field "risks"`},
	}
	for _, tt := range tests {
		s, d := Parse([]byte(tt.src), Options{})
		if s != nil || d.Errors() == 0 || !strings.Contains(d.Sort().Err().Error(), tt.want) {
			t.Errorf("want %q, got %v", tt.want, d)
		}
	}
	_, d := Load(fstest.MapFS{}, Options{})
	if d.Err() == nil || d[0].String() != "content/site.yaml:1:1: error: site settings file is missing: every site needs content/site.yaml with a title and vocabularies" {
		t.Errorf("missing site.yaml: %v", d)
	}
}
