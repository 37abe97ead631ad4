package netlify

import (
	"fmt"
	"net/http"
	"strings"

	"hjp/internal/diag"
)

// HeaderRule adds response headers to every path its pattern matches.
type HeaderRule struct {
	For    Pattern
	Values []Header
	// File and Line say where the rule is written.
	File string
	Line int
}

// Header is one response header of a rule, in the order written.
type Header struct {
	Name  string
	Value string
}

// ParseHeaders reads a _headers file: a path pattern at the start of a
// line, then its headers on the indented lines below, "Name: value".
// Lines starting with # are comments. name is the file's path for
// diagnostics. Bad lines are reported and left out.
func ParseHeaders(name string, src []byte) ([]HeaderRule, diag.List) {
	f := diag.NewFile(name, src)
	var l diag.List
	var rules []HeaderRule
	var cur *HeaderRule
	for i := 1; i <= f.Lines(); i++ {
		line := f.Line(i)
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		indented := line[0] == ' ' || line[0] == '\t'
		if !indented {
			p, err := ParsePattern(t)
			if err != nil {
				l.Add(f.At(diag.Error, i, 1, "%v", err))
				cur = nil
				continue
			}
			rules = append(rules, HeaderRule{For: p, File: name, Line: i})
			cur = &rules[len(rules)-1]
			continue
		}
		col := len(line) - len(strings.TrimLeft(line, " \t")) + 1
		if cur == nil {
			l.Add(f.At(diag.Error, i, col, "header %q has no path above it: start the rule with a path like /* on its own line", t))
			continue
		}
		h, err := parseHeaderLine(t)
		if err != nil {
			l.Add(f.At(diag.Error, i, col, "%v", err))
			continue
		}
		cur.Values = append(cur.Values, h)
	}
	return rules, l
}

func parseHeaderLine(t string) (Header, error) {
	k, v, ok := strings.Cut(t, ":")
	k, v = strings.TrimSpace(k), strings.TrimSpace(v)
	if !ok {
		return Header{}, fmt.Errorf("%q is not a header: write Name: value", t)
	}
	return checkHeader(k, v)
}

// checkHeader validates a header name and value.
func checkHeader(name, value string) (Header, error) {
	if !validHeaderName(name) {
		return Header{}, fmt.Errorf("%q is not a valid header name", name)
	}
	if strings.ContainsAny(value, "\r\n\x00") {
		return Header{}, fmt.Errorf("header %s has a line break in its value", name)
	}
	return Header{Name: http.CanonicalHeaderKey(name), Value: value}, nil
}

func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// apply adds the headers of every rule matching the encoded path to h.
// A header given by several rules, or several times in one, gets their
// values joined with ", ", as Netlify joins them.
func applyHeaders(rules []HeaderRule, path string, h http.Header) {
	seen := map[string]bool{}
	for i := range rules {
		r := &rules[i]
		if _, ok := r.For.Match(path); !ok {
			continue
		}
		for _, v := range r.Values {
			if seen[v.Name] {
				h.Set(v.Name, h.Get(v.Name)+", "+v.Value)
				continue
			}
			seen[v.Name] = true
			h.Set(v.Name, v.Value)
		}
	}
}
