package config

import "testing"

// TestNetlifyContexts covers the deploy contexts beyond the common ones:
// netlify dev, a production build whose URL is missing, and a flag that
// sets the base URL of a preview (which stays out of search engines).
func TestNetlifyContexts(t *testing.T) {
	src := fixture(t)
	tests := []struct {
		name       string
		opts       Options
		base       string
		production bool
		context    string
	}{
		{"local build", Options{Getenv: func(string) string { return "" }}, "https://health-justice-partnerships.netlify.app/", true, ""},
		{"netlify dev", Options{Getenv: netlifyEnv("CONTEXT", "dev", "URL", "https://hjp.org.uk")}, "https://health-justice-partnerships.netlify.app/", false, "dev"},
		{"production without URL", Options{Getenv: netlifyEnv("CONTEXT", "production")}, "https://health-justice-partnerships.netlify.app/", true, "production"},
		{"preview with --base-url", Options{BaseURL: "https://preview.example.org/", Getenv: netlifyEnv("CONTEXT", "deploy-preview", "DEPLOY_PRIME_URL", "https://x.netlify.app")}, "https://preview.example.org/", false, "deploy-preview"},
		{"production ignores DEPLOY_PRIME_URL", Options{Getenv: netlifyEnv("CONTEXT", "production", "URL", "https://hjp.org.uk/", "DEPLOY_PRIME_URL", "https://main--x.netlify.app")}, "https://hjp.org.uk/", true, "production"},
	}
	for _, tt := range tests {
		s, d := Parse(src, tt.opts)
		if s == nil {
			t.Fatalf("%s: %v", tt.name, d)
		}
		if s.BaseURL != tt.base || s.Production != tt.production || s.Context != tt.context {
			t.Errorf("%s: base %q production %v context %q; want %q %v %q", tt.name, s.BaseURL, s.Production, s.Context, tt.base, tt.production, tt.context)
		}
	}
}

func netlifyEnv(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}
