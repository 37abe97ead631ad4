package netlify

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"hjp/internal/diag"
)

// ConfigName is Netlify's configuration file at the repository root.
const ConfigName = "netlify.toml"

// config is the part of netlify.toml that hjp reads. The other tables
// Netlify knows are accepted and ignored; an unknown one is a warning.
type config struct {
	Build         any            `toml:"build"`
	Context       any            `toml:"context"`
	Dev           any            `toml:"dev"`
	Functions     any            `toml:"functions"`
	EdgeFunctions any            `toml:"edge_functions"`
	Plugins       any            `toml:"plugins"`
	Images        any            `toml:"images"`
	Template      any            `toml:"template"`
	Redirects     []tomlRedirect `toml:"redirects"`
	Headers       []tomlHeaders  `toml:"headers"`
}

type tomlRedirect struct {
	From       string              `toml:"from"`
	To         string              `toml:"to"`
	Status     *int                `toml:"status"`
	Force      bool                `toml:"force"`
	Query      map[string]string   `toml:"query"`
	Conditions map[string][]string `toml:"conditions"`
	Headers    map[string]string   `toml:"headers"`
	Signed     string              `toml:"signed"`
}

type tomlHeaders struct {
	For    string            `toml:"for"`
	Values map[string]string `toml:"values"`
}

// ParseConfig reads the [[redirects]] and [[headers]] tables of a
// netlify.toml. name is the file's path for diagnostics.
func ParseConfig(name string, src []byte) ([]Redirect, []HeaderRule, diag.List) {
	f := diag.NewFile(name, src)
	var l diag.List
	var c config
	err := toml.NewDecoder(bytes.NewReader(src)).DisallowUnknownFields().Decode(&c)
	var strict *toml.StrictMissingError
	var de *toml.DecodeError
	switch {
	case errors.As(err, &strict):
		for _, e := range strict.Errors {
			line, col := e.Position()
			key := e.Key()
			if len(key) == 1 {
				l.Add(f.At(diag.Warning, line, col, "netlify.toml has no table %q that hjp knows: check the spelling (redirects, headers, build, context…)", key[0]))
				continue
			}
			l.Add(f.At(diag.Error, line, col, "unknown key %q in [[%s]]%s", key[len(key)-1], key[0], knownKeys(key[0])))
		}
	case errors.As(err, &de):
		line, col := de.Position()
		l.Add(f.At(diag.Error, line, col, "%s", tomlMessage(de)))
		return nil, nil, l
	case err != nil:
		l.Errorf(name, 1, 1, "cannot read: %v", err)
		return nil, nil, l
	}
	loc := locator{f: f}
	var redirects []Redirect
	for i, tr := range c.Redirects {
		line := loc.table("redirects", i)
		r, key, err := tr.rule()
		if err != nil {
			kl, kc := loc.key(line, key)
			l.Add(f.At(diag.Error, kl, kc, "%v", err))
			continue
		}
		r.File, r.Line = name, line
		redirects = append(redirects, r)
	}
	var headers []HeaderRule
	for i, th := range c.Headers {
		line := loc.table("headers", i)
		h, key, err := th.rule()
		if err != nil {
			kl, kc := loc.key(line, key)
			l.Add(f.At(diag.Error, kl, kc, "%v", err))
			continue
		}
		h.File, h.Line = name, line
		headers = append(headers, h)
	}
	return redirects, headers, l
}

func knownKeys(table string) string {
	switch table {
	case "redirects":
		return ": a redirect takes from, to, status, force, query, conditions, headers and signed"
	case "headers":
		return ": a header rule takes for and values"
	}
	return ""
}

// tomlMessage drops the library's "toml: " prefix.
func tomlMessage(e *toml.DecodeError) string {
	return strings.TrimPrefix(e.Error(), "toml: ")
}

// rule converts one [[redirects]] table; on error it also names the key
// at fault.
func (t tomlRedirect) rule() (Redirect, string, error) {
	r := Redirect{Status: 301, To: t.To, Force: t.Force, Query: t.Query}
	if t.From == "" {
		return r, "", errors.New("[[redirects]] needs from = \"/old-path\"")
	}
	if err := r.setFrom(t.From); err != nil {
		return r, "from", err
	}
	if t.To == "" {
		return r, "", fmt.Errorf("[[redirects]] from %s needs to = \"/new-path\"", t.From)
	}
	if !isTarget(t.To) {
		return r, "to", fmt.Errorf("to %q must start with / or be an absolute http(s) URL", t.To)
	}
	if t.Status != nil {
		if !validStatus(*t.Status) {
			return r, "status", fmt.Errorf("status %d is not one Netlify accepts: use 301, 302, 303, 307, 308, 200 (rewrite), 404, 410 or 451", *t.Status)
		}
		r.Status = *t.Status
	}
	for k, v := range t.Conditions {
		key := canonicalCondition(k)
		if key == "" {
			return r, "conditions", fmt.Errorf("condition %q is not one Netlify knows: use Country, Language, Role or Cookie", k)
		}
		if r.Conditions == nil {
			r.Conditions = map[string][]string{}
		}
		r.Conditions[key] = append(r.Conditions[key], v...)
	}
	return r, "", nil
}

// rule converts one [[headers]] table. A multi-line value is joined into
// one line, as Netlify does with a value written over several lines.
func (t tomlHeaders) rule() (HeaderRule, string, error) {
	var h HeaderRule
	if t.For == "" {
		return h, "", errors.New("[[headers]] needs for = \"/path/*\"")
	}
	p, err := ParsePattern(t.For)
	if err != nil {
		return h, "for", fmt.Errorf("for: %w", err)
	}
	h.For = p
	names := make([]string, 0, len(t.Values))
	for k := range t.Values {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		v, err := checkHeader(k, joinLines(t.Values[k]))
		if err != nil {
			return h, k, err
		}
		h.Values = append(h.Values, v)
	}
	return h, "", nil
}

func joinLines(s string) string {
	var parts []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " ")
}

// locator finds where a table or key is written, for messages about
// values that decoded fine but mean nothing to Netlify.
type locator struct{ f *diag.File }

// table returns the line of the i-th [[name]] header (1 if not found).
func (l locator) table(name string, i int) int {
	n := 0
	for line := 1; line <= l.f.Lines(); line++ {
		t := strings.ReplaceAll(strings.TrimSpace(l.f.Line(line)), " ", "")
		if t == "[["+name+"]]" {
			if n == i {
				return line
			}
			n++
		}
	}
	return 1
}

// key returns the position of key in the table starting at line, or the
// table's own line when the key is not found (or is "").
func (l locator) key(start int, key string) (int, int) {
	if key == "" {
		return start, 1
	}
	for line := start + 1; line <= l.f.Lines(); line++ {
		text := l.f.Line(line)
		t := strings.TrimSpace(text)
		if strings.HasPrefix(t, "[[") {
			break
		}
		k, _, ok := strings.Cut(t, "=")
		if ok && strings.Trim(strings.TrimSpace(k), `"'`) == key {
			return line, len(text) - len(strings.TrimLeft(text, " \t")) + 1
		}
	}
	return start, 1
}
