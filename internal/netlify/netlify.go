// Package netlify serves a built site the way Netlify's CDN serves a
// deploy, so a preview or an end-to-end test sees the same redirects,
// rewrites, response headers and not-found page as the published site. It
// reads the publish folder's _redirects and _headers files and the
// [[redirects]] and [[headers]] tables of netlify.toml, and applies them in
// Netlify's order: rules from the publish folder first, then netlify.toml;
// the first matching redirect wins; every matching header rule applies.
package netlify

import (
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
	var l diag.List
	rules := &Rules{}
	if src, err := readOptional(publish, RedirectsFile, &l); err == nil {
		r, d := ParseRedirects(RedirectsFile, src)
		rules.Redirects = append(rules.Redirects, r...)
		l.Add(d...)
	}
	if src, err := readOptional(publish, HeadersFile, &l); err == nil {
		h, d := ParseHeaders(HeadersFile, src)
		rules.Headers = append(rules.Headers, h...)
		l.Add(d...)
	}
	if root != nil {
		if src, err := readOptional(root, ConfigName, &l); err == nil {
			r, h, d := ParseConfig(ConfigName, src)
			rules.Redirects = append(rules.Redirects, r...)
			rules.Headers = append(rules.Headers, h...)
			l.Add(d...)
		}
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
