package schema

import (
	"bytes"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// parseSimple parses the plain kind of YAML nearly every front matter
// is — a mapping of keys to one-line scalars, flow lists and indented
// block lists of scalars or of such mappings — into the nodes yaml.v3
// makes of it, node for node (TestParseSimpleMatchesYAML and
// FuzzParseSimple hold it to that). yaml.v3 is general and slow (its
// scanner and parser were 5 % of a large build); anything outside this
// subset, from a comment or a blank line to a tag yaml.v3 would resolve
// to other than a string, a whole number, a date or a bool, gives ok
// false and is left to yaml.v3, as is every error.
func parseSimple(text []byte) (n *yaml.Node, ok bool) {
	// Indicators such as & * ! | > only matter where a node starts,
	// which scalar checks; these matter anywhere.
	if len(text) == 0 || bytes.ContainsAny(text, "\t\r#{}\\") || !plainChars(text) {
		return nil, false
	}
	p := &simpleParser{src: text}
	for len(p.src) > 0 {
		i := bytes.IndexByte(p.src, '\n')
		if i < 0 {
			i = len(p.src)
		}
		p.lines = append(p.lines, p.src[:i])
		if i == len(p.src) {
			break
		}
		p.src = p.src[i+1:]
	}
	m, next, ok := p.mapping(0, 0, false)
	if !ok || next != len(p.lines) {
		return nil, false
	}
	return m, true
}

type simpleParser struct {
	src   []byte
	lines [][]byte
}

// indent counts a line's leading spaces.
func indent(l []byte) int {
	n := 0
	for n < len(l) && l[n] == ' ' {
		n++
	}
	return n
}

// mapping parses the block mapping whose keys start at column ind+1 from
// line i on, and returns the line after it. dashed says the first key
// follows a list's "- " on its line (the caller has checked the dash).
func (p *simpleParser) mapping(i, ind int, dashed bool) (*yaml.Node, int, bool) {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: i + 1, Column: ind + 1}
	seen := map[string]bool{}
	for first := true; i < len(p.lines); first = false {
		l := p.lines[i]
		if len(l) == 0 {
			return nil, 0, false // a blank line
		}
		if first && dashed {
			// Indented by the dash, not by spaces.
		} else if in := indent(l); in < ind {
			break
		} else if in > ind {
			return nil, 0, false
		}
		key, rest, ok := keyOf(l[ind:])
		if !ok || seen[key] {
			return nil, 0, false
		}
		seen[key] = true
		k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key, Line: i + 1, Column: ind + 1}
		col := ind + len(key) + 1 // the byte after "key:"
		var v *yaml.Node
		switch {
		case len(rest) > 0:
			spaces := indent(rest)
			if spaces == 0 {
				return nil, 0, false
			}
			v, ok = p.inline(rest[spaces:], i, col+spaces)
			if !ok {
				return nil, 0, false
			}
			i++
		case i+1 < len(p.lines) && indent(p.lines[i+1]) > ind:
			// An indented block: a list ("- ") or a mapping.
			next := p.lines[i+1]
			in := indent(next)
			if bytes.HasPrefix(next[in:], []byte("- ")) {
				v, i, ok = p.sequence(i+1, in)
			} else {
				v, i, ok = p.mapping(i+1, in, false)
			}
			if !ok {
				return nil, 0, false
			}
		default:
			// "key:" and nothing: a null.
			return nil, 0, false
		}
		m.Content = append(m.Content, k, v)
	}
	return m, i, len(m.Content) > 0
}

// sequence parses a block list whose dashes are at column ind+1.
func (p *simpleParser) sequence(i, ind int) (*yaml.Node, int, bool) {
	s := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: i + 1, Column: ind + 1}
	for i < len(p.lines) {
		l := p.lines[i]
		if len(l) == 0 {
			return nil, 0, false
		}
		if in := indent(l); in < ind {
			break
		} else if in > ind || !bytes.HasPrefix(l[in:], []byte("- ")) {
			return nil, 0, false
		}
		item := l[ind+2:]
		if len(item) == 0 || item[0] == ' ' {
			return nil, 0, false
		}
		var v *yaml.Node
		if _, _, isKey := keyOf(item); isKey {
			// "- key: value" starts a mapping whose keys line up
			// after the dash.
			var ok bool
			if v, i, ok = p.mapping(i, ind+2, true); !ok {
				return nil, 0, false
			}
		} else {
			var ok bool
			if v, ok = p.inline(item, i, ind+2); !ok {
				return nil, 0, false
			}
			i++
		}
		s.Content = append(s.Content, v)
	}
	return s, i, true
}

// keyOf splits "key: rest" or "key:" at the colon; a key is a plain
// word of letters, digits, '_' and '-' starting with a letter.
func keyOf(l []byte) (key string, rest []byte, ok bool) {
	i := 0
	for i < len(l) && (isLetter(l[i]) || i > 0 && (l[i] >= '0' && l[i] <= '9' || l[i] == '_' || l[i] == '-')) {
		i++
	}
	// (YAML allows a key of at most 1,024 characters.)
	if i == 0 || i > 128 || i == len(l) || l[i] != ':' || i+1 < len(l) && l[i+1] != ' ' {
		return "", nil, false
	}
	return string(l[:i]), l[i+1:], true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// inline parses the rest of a line from column col (0-based, in bytes
// from the line's start): a quoted or plain scalar or a flow list, with
// nothing after it but spaces.
func (p *simpleParser) inline(b []byte, i, col int) (*yaml.Node, bool) {
	b = bytes.TrimRight(b, " ")
	line := p.lines[i]
	column := utf8.RuneCount(line[:col]) + 1
	if len(b) > 0 && b[0] == '[' {
		if b[len(b)-1] != ']' {
			return nil, false
		}
		s := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Line: i + 1, Column: column}
		inner := b[1 : len(b)-1]
		at := col + 1
		for len(bytes.TrimLeft(inner, " ")) > 0 {
			sp := indent(inner)
			inner, at = inner[sp:], at+sp
			end := bytes.IndexByte(inner, ',')
			if end < 0 {
				end = len(inner)
			}
			item := bytes.TrimRight(inner[:end], " ")
			if len(item) == 0 || bytes.ContainsAny(item, "[]") {
				return nil, false
			}
			v, ok := scalar(item, i+1, utf8.RuneCount(line[:at])+1, true)
			if !ok {
				return nil, false
			}
			s.Content = append(s.Content, v)
			if end == len(inner) {
				break
			}
			inner, at = inner[end+1:], at+end+1
			if len(bytes.TrimLeft(inner, " ")) == 0 {
				return nil, false // a trailing comma
			}
		}
		return s, true
	}
	return scalar(b, i+1, column, false)
}

// scalar makes the node of a one-line scalar: quoted (without escapes),
// or plain with the tag yaml.v3 resolves it to.
func scalar(b []byte, line, column int, inFlow bool) (*yaml.Node, bool) {
	if len(b) == 0 {
		return nil, false
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Line: line, Column: column}
	switch q := b[0]; q {
	case '"', '\'':
		if len(b) < 2 || b[len(b)-1] != q || bytes.IndexByte(b[1:len(b)-1], q) >= 0 {
			return nil, false
		}
		n.Value = string(b[1 : len(b)-1])
		n.Style = yaml.DoubleQuotedStyle
		if q == '\'' {
			n.Style = yaml.SingleQuotedStyle
		}
		return n, true
	}
	// A plain scalar: no indicator first, no ": " or " #" inside (and
	// no ',' inside a flow list), no space or ':' last.
	if !isLetter(b[0]) && !(b[0] >= '0' && b[0] <= '9') && b[0] < utf8.RuneSelf || bytes.Contains(b, []byte(": ")) ||
		b[len(b)-1] == ':' || inFlow && bytes.IndexByte(b, ',') >= 0 {
		return nil, false
	}
	n.Value = string(b)
	tag, ok := plainTag(n.Value)
	if !ok {
		return nil, false
	}
	n.Tag = tag
	return n, true
}

// plainTag is the tag yaml.v3 gives a plain scalar, for the kinds the
// front matter uses: words, whole numbers, dates and true or false.
func plainTag(s string) (string, bool) {
	switch s {
	case "true", "false":
		return "!!bool", true
	}
	if isLetter(s[0]) || s[0] >= utf8.RuneSelf {
		if len(s) <= 5 && isSpecialWord(s) {
			return "", false
		}
		return "!!str", true
	}
	digits := 0
	for digits < len(s) && s[digits] >= '0' && s[digits] <= '9' {
		digits++
	}
	switch {
	case digits == len(s) && digits <= 18 && (s[0] != '0' || len(s) == 1):
		return "!!int", true
	case len(s) == 10 && digits == 4 && s[4] == '-' && isDigits(s[5:7]) && s[7] == '-' && isDigits(s[8:10]):
		// A date yaml.v3 can parse (2024-02-30 it takes as a string).
		if _, err := time.Parse("2006-1-2", s); err == nil {
			return "!!timestamp", true
		}
	}
	return "", false
}

// isSpecialWord reports words YAML may read as other than a string:
// booleans, nulls and the YAML 1.1 yes/no/on/off (left to yaml.v3).
func isSpecialWord(s string) bool {
	switch s {
	case "True", "TRUE", "False", "FALSE", "null", "Null", "NULL",
		"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
		"on", "On", "ON", "off", "Off", "OFF":
		return true
	}
	return false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// plainChars reports whether text is valid UTF-8 of characters YAML
// allows and reads as nothing special: not a control character (other
// than the newline), not one of the line breaks YAML 1.1 adds (U+0085,
// U+2028, U+2029), not a byte order mark, not a noncharacter.
func plainChars(text []byte) bool {
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(text[i:])
		switch {
		case r == utf8.RuneError && size == 1, r < 0xa0, r == 0x2028, r == 0x2029,
			r >= 0xd800 && r < 0xe000, r == 0xfeff, r == 0xfffe, r == 0xffff:
			return false
		}
		i += size
	}
	return true
}
