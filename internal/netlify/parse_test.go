package netlify

import (
	"reflect"
	"strings"
	"testing"
)

func TestPatternMatch(t *testing.T) {
	tests := []struct {
		pattern, path string
		ok            bool
		params        map[string]string
	}{
		{"/old", "/old", true, nil},
		{"/old", "/old/", true, nil},
		{"/old/", "/old", true, nil},
		{"/old", "/Old", false, nil},
		{"/old", "/old/more", false, nil},
		{"/", "/", true, nil},
		{"/news/*", "/news/2024/05/x", true, map[string]string{"splat": "2024/05/x"}},
		{"/news/*", "/news", true, map[string]string{"splat": ""}},
		{"/news/*", "/newsletter", false, nil},
		{"/*", "/", true, map[string]string{"splat": ""}},
		{"/*", "/a/b/", true, map[string]string{"splat": "a/b/"}},
		{"/f/:n/", "/f/3/", true, map[string]string{"n": "3"}},
		{"/f/:n", "/f/", false, nil},
		{"/:year/:month/*", "/2024/05/post", true, map[string]string{"year": "2024", "month": "05", "splat": "post"}},
		{"/caf%C3%A9", "/caf%C3%A9", true, nil},
	}
	for _, tt := range tests {
		p, err := ParsePattern(tt.pattern)
		if err != nil {
			t.Fatalf("ParsePattern(%q): %v", tt.pattern, err)
		}
		params, ok := p.Match(tt.path)
		if ok != tt.ok || (ok && !reflect.DeepEqual(params, tt.params)) {
			t.Errorf("%s matching %s = %v, %v; want %v, %v", tt.pattern, tt.path, params, ok, tt.params, tt.ok)
		}
	}
}

func TestExpand(t *testing.T) {
	got := expand("/blog/:year-:month/:splat?x=:nope", map[string]string{"year": "2024", "month": "05", "splat": "a/b"})
	if want := "/blog/2024-05/a/b?x=:nope"; got != want {
		t.Errorf("expand = %q, want %q", got, want)
	}
	if got := expand("https://example.org:8443/x", map[string]string{"splat": "y"}); got != "https://example.org:8443/x" {
		t.Errorf("expand touched a port: %q", got)
	}
}

func TestParseRedirects(t *testing.T) {
	src := `# Old URLs
/home              /                 
/f/3/  /findings/shared-records/  301
/news/*            /blog/:splat      302!
/store id=:id      /blog/:id         301
/app/*  /app/index.html  200
/fr/*   /fr/404.html  404
/pricing  /uk/pricing  302  Country=gb,ie  Language=en
https://old.example/*  https://new.example/:splat  301!
  /indented  /ok
/anchor /page/#section
`
	rules, diags := ParseRedirects("_redirects", []byte(src))
	if len(diags) != 0 {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	type row struct {
		From, To string
		Status   int
		Force    bool
		Line     int
	}
	var got []row
	for _, r := range rules {
		got = append(got, row{r.From.String(), r.To, r.Status, r.Force, r.Line})
	}
	want := []row{
		{"/home", "/", 301, false, 2},
		{"/f/3/", "/findings/shared-records/", 301, false, 3},
		{"/news/*", "/blog/:splat", 302, true, 4},
		{"/store", "/blog/:id", 301, false, 5},
		{"/app/*", "/app/index.html", 200, false, 6},
		{"/fr/*", "/fr/404.html", 404, false, 7},
		{"/pricing", "/uk/pricing", 302, false, 8},
		{"/*", "https://new.example/:splat", 301, true, 9},
		{"/indented", "/ok", 301, false, 10},
		{"/anchor", "/page/#section", 301, false, 11},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rules:\n got %v\nwant %v", got, want)
	}
	if q := rules[3].Query; !reflect.DeepEqual(q, map[string]string{"id": ":id"}) {
		t.Errorf("query = %v", q)
	}
	if c := rules[6].Conditions; !reflect.DeepEqual(c, map[string][]string{"Country": {"gb", "ie"}, "Language": {"en"}}) {
		t.Errorf("conditions = %v", c)
	}
	if rules[7].Host != "old.example" {
		t.Errorf("host = %q", rules[7].Host)
	}
}

func TestParseRedirectsErrors(t *testing.T) {
	tests := []struct {
		line string
		want string
	}{
		{"old /new", `_redirects:1:1: error: from: path "old" must start with /`},
		{"/old", `_redirects:1:1: error: rule for /old has no target: write the path or URL to send it to after it`},
		{"/old /new 299", `_redirects:1:11: error: status "299" is not one Netlify accepts: use 301, 302, 303, 307, 308, 200 (rewrite), 404, 410 or 451, with ! to force`},
		{"/old /new 301 Colour=red", `_redirects:1:15: error: "Colour=red" is not a condition: write Country=…, Language=…, Role=… or Cookie=…`},
		{"/old nonsense /new", `_redirects:1:6: error: "nonsense" is neither a query parameter (key=value or key=:name) nor a target starting with / or https://`},
		{"/a/*/b /new", `_redirects:1:1: error: from: path "/a/*/b" has a * before its last segment: a splat can only end the path`},
		{"/a/b* /new", `_redirects:1:1: error: from: path "/a/b*" has a * inside a segment: a splat must be a whole last segment, like /news/*`},
		{"/a/: /new", `_redirects:1:1: error: from: path "/a/:" has a placeholder without a name: write :name`},
		{"https:// /new", `_redirects:1:1: error: from "https://" is not a valid URL`},
	}
	for _, tt := range tests {
		rules, diags := ParseRedirects("_redirects", []byte(tt.line+"\n"))
		if len(rules) != 0 || len(diags) != 1 || diags[0].String() != tt.want {
			t.Errorf("%q:\n got %v (%d rules)\nwant %s", tt.line, diags, len(rules), tt.want)
			continue
		}
		if diags[0].Source != tt.line {
			t.Errorf("%q: source line = %q", tt.line, diags[0].Source)
		}
	}
}

func TestParseHeaders(t *testing.T) {
	src := `# Security headers
/*
  X-Frame-Options: DENY
  content-security-policy: default-src 'self'
  # a comment inside a rule
  Cache-Control: max-age=0
  Cache-Control: no-cache

/assets/*
	Cache-Control: public, max-age=31536000, immutable
`
	rules, diags := ParseHeaders("_headers", []byte(src))
	if len(diags) != 0 {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	if len(rules) != 2 || rules[0].For.String() != "/*" || rules[1].For.String() != "/assets/*" || rules[1].Line != 9 {
		t.Fatalf("rules = %+v", rules)
	}
	want := []Header{
		{"X-Frame-Options", "DENY"},
		{"Content-Security-Policy", "default-src 'self'"},
		{"Cache-Control", "max-age=0"},
		{"Cache-Control", "no-cache"},
	}
	if !reflect.DeepEqual(rules[0].Values, want) {
		t.Errorf("values = %v, want %v", rules[0].Values, want)
	}
}

func TestParseHeadersErrors(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{"  X-A: b\n", `_headers:1:3: error: header "X-A: b" has no path above it: start the rule with a path like /* on its own line`},
		{"/*\n  no colon here\n", `_headers:2:3: error: "no colon here" is not a header: write Name: value`},
		{"/*\n  Bad Name: x\n", `_headers:2:3: error: "Bad Name" is not a valid header name`},
		{"assets/*\n  X: y\n", `_headers:1:1: error: path "assets/*" must start with /`},
	}
	for _, tt := range tests {
		_, diags := ParseHeaders("_headers", []byte(tt.src))
		if len(diags) == 0 || diags[0].String() != tt.want {
			t.Errorf("%q:\n got %v\nwant %s", tt.src, diags, tt.want)
		}
	}
}

func TestParseConfig(t *testing.T) {
	src := `[build]
  command = "go run ./cmd/hjp build"
  publish = "public"

[context.deploy-preview]
  command = "go run ./cmd/hjp build --base-url $DEPLOY_PRIME_URL"

[[redirects]]
  from = "/old/*"
  to = "/new/:splat"
  status = 302
  force = true

[[redirects]]
  from = "/search"
  to = "/search/"
  query = {q = ":q"}

[[headers]]
  for = "/*"
  [headers.values]
    X-Content-Type-Options = "nosniff"
    Content-Security-Policy = '''
      default-src 'self';
      img-src 'self' data:'''
`
	redirects, headers, diags := ParseConfig("netlify.toml", []byte(src))
	if len(diags) != 0 {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	if len(redirects) != 2 {
		t.Fatalf("redirects = %+v", redirects)
	}
	r := redirects[0]
	if r.From.String() != "/old/*" || r.To != "/new/:splat" || r.Status != 302 || !r.Force || r.Line != 8 {
		t.Errorf("first redirect = %+v", r)
	}
	if r := redirects[1]; r.Status != 301 || r.Query["q"] != ":q" || r.Line != 14 {
		t.Errorf("second redirect = %+v", r)
	}
	want := []Header{
		{"Content-Security-Policy", "default-src 'self'; img-src 'self' data:"},
		{"X-Content-Type-Options", "nosniff"},
	}
	if len(headers) != 1 || headers[0].For.String() != "/*" || !reflect.DeepEqual(headers[0].Values, want) || headers[0].Line != 19 {
		t.Errorf("headers = %+v", headers)
	}
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"syntax", "[[redirects]]\nfrom = \"/a\nto = \"/b\"\n", `netlify.toml:2:11: error: basic strings cannot have new lines`},
		{"type", "[[redirects]]\nfrom = \"/a\"\nto = \"/b\"\nstatus = \"301\"\n", `netlify.toml:4:10: error: cannot decode TOML string into struct field netlify.tomlRedirect.Status of type int`},
		{"unknown key", "[[redirects]]\nfrom = \"/a\"\nto = \"/b\"\n  stauts = 301\n", `netlify.toml:4:3: error: unknown key "stauts" in [[redirects]]: a redirect takes from, to, status, force, query, conditions, headers and signed`},
		{"unknown table", "[[redirect]]\nfrom = \"/a\"\n", `netlify.toml:1:3: warning: netlify.toml has no table "redirect" that hjp knows: check the spelling (redirects, headers, build, context…)`},
		{"bad from", "[[redirects]]\n  to = \"/b\"\n  from = \"a\"\n", `netlify.toml:3:3: error: from: path "a" must start with /`},
		{"no to", "[[redirects]]\n  from = \"/a\"\n", `netlify.toml:1:1: error: [[redirects]] from /a needs to = "/new-path"`},
		{"bad status", "[[redirects]]\nfrom = \"/a\"\nto = \"/b\"\nstatus = 299\n", `netlify.toml:4:1: error: status 299 is not one Netlify accepts: use 301, 302, 303, 307, 308, 200 (rewrite), 404, 410 or 451`},
		{"bad condition", "[[redirects]]\nfrom = \"/a\"\nto = \"/b\"\nconditions = {Colour = [\"red\"]}\n", `netlify.toml:4:1: error: condition "Colour" is not one Netlify knows: use Country, Language, Role or Cookie`},
		{"no for", "[[headers]]\n  [headers.values]\n  X-A = \"b\"\n", `netlify.toml:1:1: error: [[headers]] needs for = "/path/*"`},
		{"bad header", "[[headers]]\nfor = \"/*\"\n[headers.values]\n\"Bad Name\" = \"x\"\n", `netlify.toml:4:1: error: "Bad Name" is not a valid header name`},
		{"unknown header key", "[[headers]]\nfor = \"/*\"\nvalue = {A = \"b\"}\n", `netlify.toml:3:1: error: unknown key "value" in [[headers]]: a header rule takes for and values`},
	}
	for _, tt := range tests {
		_, _, diags := ParseConfig("netlify.toml", []byte(tt.src))
		if len(diags) == 0 || diags[0].String() != tt.want {
			t.Errorf("%s:\n got %v\nwant %s", tt.name, diags, tt.want)
			continue
		}
		if !strings.Contains(tt.src, diags[0].Source) {
			t.Errorf("%s: source line %q is not from the file", tt.name, diags[0].Source)
		}
	}
}
