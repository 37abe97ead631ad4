// Package netlify serves a built site the way Netlify's CDN serves a
// deploy, so a preview or an end-to-end test sees the same redirects,
// rewrites, response headers and not-found page as the published site. It
// reads the publish folder's _redirects and _headers files and the
// [[redirects]] and [[headers]] tables of netlify.toml, and applies them in
// Netlify's order: rules from the publish folder first, then netlify.toml;
// the first matching redirect wins; every matching header rule applies.
package netlify

import (
	"bytes"
	"errors"
	"io/fs"

	"hjp/internal/diag"
)

// The files Netlify reads from the publish folder.
const (
	RedirectsFile = "_redirects"
	HeadersFile   = "_headers"
)

// Rules are a deploy's redirect and header rules, in the order Netlify
// applies them.
type Rules struct {
	Redirects []Redirect
	Headers   []HeaderRule
}

// Load reads the rules of a deploy: _redirects and _headers from the
// publish folder, then netlify.toml from the repository root. Either file
// system may lack the files; root may be nil.
func Load(publish, root fs.FS) (*Rules, diag.List) {
	srcs, l := readSources(publish, root)
	rules, d := srcs.parse()
	l.Add(d...)
	return rules, l
}

// A Cache loads rules as Load does, and parses them again only when one
// of the files has changed since its last call: hjp serve loads them
// after every build, and at 10,000 pages _redirects is 500 KB. It is not
// safe for concurrent use.
type Cache struct {
	srcs  sources
	rules *Rules
	diags diag.List
}

// Load is Load, reusing the last call's rules when the files are the
// same. The rules returned must not be changed.
func (c *Cache) Load(publish, root fs.FS) (*Rules, diag.List) {
	srcs, l := readSources(publish, root)
	if len(l) > 0 {
		// A file that cannot be read: report it, and parse the rest.
		c.rules = nil
		rules, d := srcs.parse()
		l.Add(d...)
		return rules, l
	}
	if c.rules == nil || !c.srcs.equal(srcs) {
		c.srcs = srcs
		c.rules, c.diags = srcs.parse()
	}
	return c.rules, c.diags
}

// sources are the bytes of the files rules come from, in Netlify's
// order; nil for a file that is missing.
type sources struct {
	redirects, headers, config []byte
}

func readSources(publish, root fs.FS) (sources, diag.List) {
	var l diag.List
	var s sources
	s.redirects, _ = readOptional(publish, RedirectsFile, &l)
	s.headers, _ = readOptional(publish, HeadersFile, &l)
	if root != nil {
		s.config, _ = readOptional(root, ConfigName, &l)
	}
	return s, l
}

func (s sources) equal(t sources) bool {
	same := func(a, b []byte) bool { return (a == nil) == (b == nil) && bytes.Equal(a, b) }
	return same(s.redirects, t.redirects) && same(s.headers, t.headers) && same(s.config, t.config)
}

func (s sources) parse() (*Rules, diag.List) {
	var l diag.List
	rules := &Rules{}
	if s.redirects != nil {
		r, d := ParseRedirects(RedirectsFile, s.redirects)
		rules.Redirects = append(rules.Redirects, r...)
		l.Add(d...)
	}
	if s.headers != nil {
		h, d := ParseHeaders(HeadersFile, s.headers)
		rules.Headers = append(rules.Headers, h...)
		l.Add(d...)
	}
	if s.config != nil {
		r, h, d := ParseConfig(ConfigName, s.config)
		rules.Redirects = append(rules.Redirects, r...)
		rules.Headers = append(rules.Headers, h...)
		l.Add(d...)
	}
	return rules, l
}

// readOptional reads a file that may be missing; it reports other errors.
func readOptional(fsys fs.FS, name string, l *diag.List) ([]byte, error) {
	src, err := fs.ReadFile(fsys, name)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		l.Errorf(name, 1, 1, "cannot read: %v", err)
	}
	return src, err
}
