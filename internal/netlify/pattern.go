package netlify

import (
	"fmt"
	"strings"
)

// Pattern is a Netlify path pattern, as written in the from of a redirect
// or the for of a header rule: literal segments, :placeholder segments
// that match one segment, and a final * splat that matches the rest of
// the path (and also the path without it, so /news/* matches /news).
// Literal segments match case-sensitively, on the URL-encoded path; a
// trailing slash is ignored on both sides, as Netlify normalises it away.
type Pattern struct {
	raw   string
	segs  []string
	splat bool
}

// ParsePattern checks and compiles a path pattern. It must start with /;
// a * may only be the last segment.
func ParsePattern(s string) (Pattern, error) {
	if !strings.HasPrefix(s, "/") {
		return Pattern{}, fmt.Errorf("path %q must start with /", s)
	}
	if strings.ContainsAny(s, " \t\r\n") {
		return Pattern{}, fmt.Errorf("path %q contains a space: encode it as %%20", s)
	}
	p := Pattern{raw: s}
	segs := splitPath(s)
	for i, seg := range segs {
		switch {
		case seg == "*":
			if i != len(segs)-1 {
				return Pattern{}, fmt.Errorf("path %q has a * before its last segment: a splat can only end the path", s)
			}
			p.splat = true
			segs = segs[:i]
		case strings.Contains(seg, "*"):
			return Pattern{}, fmt.Errorf("path %q has a * inside a segment: a splat must be a whole last segment, like /news/*", s)
		case seg == ":":
			return Pattern{}, fmt.Errorf("path %q has a placeholder without a name: write :name", s)
		}
	}
	p.segs = segs
	return p, nil
}

// String returns the pattern as written.
func (p Pattern) String() string { return p.raw }

// splitPath splits a path into segments, ignoring the leading and any
// trailing slash: "/a/b/" → [a b], "/" → [].
func splitPath(s string) []string {
	s = strings.Trim(s, "/")
	if s == "" {
		return nil
	}
	return strings.Split(s, "/")
}

// Match reports whether the URL-encoded path matches, and returns the
// placeholder values by name, with the splat under "splat" (keeping the
// request's trailing slash).
func (p Pattern) Match(path string) (map[string]string, bool) {
	segs := splitPath(path)
	if len(segs) < len(p.segs) || (!p.splat && len(segs) != len(p.segs)) {
		return nil, false
	}
	var params map[string]string
	for i, want := range p.segs {
		got := segs[i]
		if name, ok := strings.CutPrefix(want, ":"); ok {
			if params == nil {
				params = map[string]string{}
			}
			params[name] = got
			continue
		}
		if got != want {
			return nil, false
		}
	}
	if p.splat {
		if params == nil {
			params = map[string]string{}
		}
		splat := strings.Join(segs[len(p.segs):], "/")
		if splat != "" && strings.HasSuffix(path, "/") {
			splat += "/"
		}
		params["splat"] = splat
	}
	return params, true
}

// expand replaces :name placeholders in a redirect target with their
// values; unknown placeholders stay as written.
func expand(to string, params map[string]string) string {
	if len(params) == 0 || !strings.Contains(to, ":") {
		return to
	}
	var b strings.Builder
	for i := 0; i < len(to); {
		if to[i] != ':' {
			b.WriteByte(to[i])
			i++
			continue
		}
		j := i + 1
		for j < len(to) && isNameByte(to[j]) {
			j++
		}
		if v, ok := params[to[i+1:j]]; ok && j > i+1 {
			b.WriteString(v)
		} else {
			b.WriteString(to[i:j])
		}
		i = j
	}
	return b.String()
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
