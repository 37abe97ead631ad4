// Package slug turns titles, headings and file names into URL path segments,
// and folds accented Latin letters to their ASCII base. Heading IDs, page
// URLs and the search tokeniser share these rules so they always agree.
package slug

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Make returns a lower-case slug of s: letters and digits are kept (accents
// folded), apostrophes are dropped, and every other run of characters becomes
// one hyphen. The result has no leading or trailing hyphen and may be empty.
func Make(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	pendingHyphen := false
	for _, r := range s {
		switch {
		case r == '\'' || r == '’' || r == '‘':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if pendingHyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			pendingHyphen = false
			if f, ok := fold[r]; ok {
				b.WriteString(f)
				continue
			}
			if r < utf8.RuneSelf {
				b.WriteByte(byte(unicode.ToLower(r)))
				continue
			}
			// Fold the lower case too: "ẞ" lowers to "ß", which is
			// written "ss".
			if f, ok := fold[unicode.ToLower(r)]; ok {
				b.WriteString(f)
				continue
			}
			b.WriteRune(unicode.ToLower(r))
		default:
			pendingHyphen = true
		}
	}
	return b.String()
}

// Fold appends to dst the lower-case, accent-folded form of r: "É" becomes
// "e", "ß" becomes "ss". Runes without a folding are lower-cased.
func Fold(dst []byte, r rune) []byte {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(dst, byte(r))
	}
	if f, ok := fold[r]; ok {
		return append(dst, f...)
	}
	// As in Make, the lowered letter is looked up again: "ẞ" lowers to
	// "ß" and the Ångström sign to "å", which fold on. search.js folds
	// the same way: the index and the query must agree.
	l := unicode.ToLower(r)
	if f, ok := fold[l]; ok {
		return append(dst, f...)
	}
	return utf8.AppendRune(dst, l)
}

// Valid reports whether s is a slug as Make produces it: non-empty, no
// upper-case letters, no characters other than letters, digits and single
// inner hyphens.
func Valid(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for _, r := range s {
		if r == '-' {
			continue
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) || unicode.ToLower(r) != r {
			return false
		}
	}
	return Make(s) == s
}

// fold maps accented Latin letters (Latin-1 Supplement and Latin
// Extended-A) and a few ligatures to lower-case ASCII.
var fold = func() map[rune]string {
	m := map[rune]string{}
	groups := []struct {
		to   string
		from string
	}{
		{"a", "ÀÁÂÃÄÅàáâãäåĀāĂăĄą"},
		{"c", "ÇçĆćĈĉĊċČč"},
		{"d", "ĎďĐđÐð"},
		{"e", "ÈÉÊËèéêëĒēĔĕĖėĘęĚě"},
		{"g", "ĜĝĞğĠġĢģ"},
		{"h", "ĤĥĦħ"},
		{"i", "ÌÍÎÏìíîïĨĩĪīĬĭĮįİı"},
		{"j", "Ĵĵ"},
		{"k", "Ķķĸ"},
		{"l", "ĹĺĻļĽľĿŀŁł"},
		{"n", "ÑñŃńŅņŇňŉ"},
		{"o", "ÒÓÔÕÖØòóôõöøŌōŎŏŐő"},
		{"r", "ŔŕŖŗŘř"},
		{"s", "ŚśŜŝŞşŠšſ"},
		{"t", "ŢţŤťŦŧ"},
		{"u", "ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų"},
		{"w", "Ŵŵ"},
		{"y", "ÝýÿŶŷŸ"},
		{"z", "ŹźŻżŽž"},
		{"ae", "ÆæǼǽ"},
		{"oe", "Œœ"},
		{"ss", "ß"},
		{"th", "Þþ"},
		{"ij", "Ĳĳ"},
	}
	for _, g := range groups {
		for _, r := range g.from {
			m[r] = g.to
		}
	}
	return m
}()
