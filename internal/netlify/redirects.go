package netlify

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"hjp/internal/diag"
)

// Redirect is one redirect or rewrite rule.
type Redirect struct {
	From Pattern
	// Query lists query parameters the request must carry: a value
	// starting with ":" captures the parameter for To, any other value
	// must match exactly.
	Query map[string]string
	// To is the target path or absolute URL, with :placeholders and
	// :splat filled in from From and Query.
	To string
	// Status is 301 by default; 200 rewrites (serves To at the requested
	// URL), 404 and other non-3xx codes serve To with that status.
	Status int
	// Force applies the rule even when a file exists at the requested path
	// (Netlify's "shadowing" is off for the rule).
	Force bool
	// Conditions (Country, Language, Role, Cookie) depend on the visitor.
	// A preview has no visitor, so rules with conditions never match.
	Conditions map[string][]string
	// Host is set for domain-level rules ("https://old.example/*"), which
	// a preview on localhost never matches.
	Host string
	// File and Line say where the rule is written.
	File string
	Line int
}

// IsRedirect reports whether the rule sends the browser elsewhere (3xx)
// rather than serving To's content at the requested URL.
func (r *Redirect) IsRedirect() bool { return r.Status >= 300 && r.Status < 400 }

// conditionKeys are the conditions Netlify accepts, by their canonical
// spelling.
var conditionKeys = []string{"Country", "Language", "Role", "Cookie"}

// validStatus reports the status codes a rule may use.
func validStatus(n int) bool {
	switch n {
	case 200, 301, 302, 303, 307, 308, 404, 410, 451:
		return true
	}
	return false
}

// ParseRedirects reads a _redirects file: one rule a line,
//
//	from [param=value …] to [status[!]] [Condition=value,…]
//
// with lines starting with # (comments) and blank lines ignored. name is the file's path for
// diagnostics. Bad lines are reported and left out.
func ParseRedirects(name string, src []byte) ([]Redirect, diag.List) {
	f := diag.NewFile(name, src)
	var l diag.List
	var rules []Redirect
	for i := 1; i <= f.Lines(); i++ {
		text := f.Line(i)
		if t := strings.TrimSpace(text); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		r, col, err := parseRedirectLine(text)
		if err != nil {
			l.Add(f.At(diag.Error, i, col, "%v", err))
			continue
		}
		r.File, r.Line = name, i
		rules = append(rules, r)
	}
	return rules, l
}

// field is one whitespace-separated word of a line and its column.
type field struct {
	text string
	col  int
}

func fields(line string) []field {
	var out []field
	col := 1
	start := -1
	for i, c := range line {
		if c == ' ' || c == '\t' {
			if start >= 0 {
				out = append(out, field{line[start:i], col})
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
			col = runeCol(line, i)
		}
	}
	if start >= 0 {
		out = append(out, field{line[start:], runeCol(line, start)})
	}
	return out
}

func runeCol(line string, byteOff int) int { return len([]rune(line[:byteOff])) + 1 }

func parseRedirectLine(line string) (Redirect, int, error) {
	fs := fields(line)
	r := Redirect{Status: 301}
	from := fs[0]
	if err := r.setFrom(from.text); err != nil {
		return r, from.col, err
	}
	i := 1
	for ; i < len(fs) && !isTarget(fs[i].text); i++ {
		k, v, ok := strings.Cut(fs[i].text, "=")
		if !ok || k == "" {
			return r, fs[i].col, fmt.Errorf("%q is neither a query parameter (key=value or key=:name) nor a target starting with / or https://", fs[i].text)
		}
		if r.Query == nil {
			r.Query = map[string]string{}
		}
		r.Query[k] = v
	}
	if i == len(fs) {
		return r, from.col, fmt.Errorf("rule for %s has no target: write the path or URL to send it to after it", from.text)
	}
	r.To = fs[i].text
	i++
	if i < len(fs) && !strings.Contains(fs[i].text, "=") {
		st := fs[i]
		code, force := strings.CutSuffix(st.text, "!")
		n, err := strconv.Atoi(code)
		if err != nil || !validStatus(n) {
			return r, st.col, fmt.Errorf("status %q is not one Netlify accepts: use 301, 302, 303, 307, 308, 200 (rewrite), 404, 410 or 451, with ! to force", st.text)
		}
		r.Status, r.Force = n, force
		i++
	}
	for ; i < len(fs); i++ {
		k, v, ok := strings.Cut(fs[i].text, "=")
		key := canonicalCondition(k)
		if !ok || key == "" {
			return r, fs[i].col, fmt.Errorf("%q is not a condition: write Country=…, Language=…, Role=… or Cookie=…", fs[i].text)
		}
		if r.Conditions == nil {
			r.Conditions = map[string][]string{}
		}
		r.Conditions[key] = append(r.Conditions[key], strings.Split(v, ",")...)
	}
	return r, 1, nil
}

// setFrom parses the from of a rule, which is a path pattern or, for a
// domain-level rule, an absolute URL.
func (r *Redirect) setFrom(s string) error {
	if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			return fmt.Errorf("from %q is not a valid URL", s)
		}
		r.Host = u.Host
		s = u.EscapedPath()
		if s == "" {
			s = "/"
		}
	}
	p, err := ParsePattern(s)
	if err != nil {
		return fmt.Errorf("from: %w", err)
	}
	r.From = p
	return nil
}

func isTarget(s string) bool {
	return strings.HasPrefix(s, "/") || strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

func canonicalCondition(k string) string {
	i := slices.IndexFunc(conditionKeys, func(c string) bool { return strings.EqualFold(c, k) })
	if i < 0 {
		return ""
	}
	return conditionKeys[i]
}

// match reports whether the rule applies to a request for the encoded
// path with query q, and returns the target with placeholders filled in.
func (r *Redirect) match(path string, q url.Values) (string, bool) {
	if r.Host != "" || len(r.Conditions) > 0 {
		return "", false
	}
	params, ok := r.From.Match(path)
	if !ok {
		return "", false
	}
	for k, want := range r.Query {
		got, present := q[k]
		if !present || len(got) == 0 {
			return "", false
		}
		if name, capture := strings.CutPrefix(want, ":"); capture {
			if params == nil {
				params = map[string]string{}
			}
			params[name] = url.QueryEscape(got[0])
		} else if got[0] != want {
			return "", false
		}
	}
	return expand(r.To, params), true
}
