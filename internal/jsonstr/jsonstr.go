// Package jsonstr appends strings as JSON, byte for byte as encoding/json
// writes them. The search index and the JSON API write their files by
// hand, without encoding/json's reflection (most of the cost of encoding
// them), and must still give the bytes encoding/json would: the files are
// named by fingerprints of their bytes, so any difference changes every
// URL. It is a leaf package that any stage may use.
package jsonstr

import "unicode/utf8"

// Append appends s to dst as a JSON string, escaped as encoding/json
// escapes it: quote, backslash and control characters (\b \f \n \r \t
// by name, the others as \u00XX); <, > and & when escapeHTML is set (as
// json.Marshal does, unlike an Encoder with SetEscapeHTML(false));
// U+2028 and U+2029 always (they end lines in JavaScript); each byte of
// invalid UTF-8 as \ufffd.
func Append(dst []byte, s string, escapeHTML bool) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		// Most text needs no escape: pass it eight bytes at a time.
		if i+8 <= len(s) && plain8(s[i:i+8], escapeHTML) {
			i += 8
			continue
		}
		for end := min(i+8, len(s)); i < end; {
			b := s[i]
			if b < utf8.RuneSelf {
				if b >= 0x20 && b != '"' && b != '\\' && (!escapeHTML || b != '<' && b != '>' && b != '&') {
					i++
					continue
				}
				dst = append(dst, s[start:i]...)
				switch b {
				case '\\', '"':
					dst = append(dst, '\\', b)
				case '\b':
					dst = append(dst, '\\', 'b')
				case '\f':
					dst = append(dst, '\\', 'f')
				case '\n':
					dst = append(dst, '\\', 'n')
				case '\r':
					dst = append(dst, '\\', 'r')
				case '\t':
					dst = append(dst, '\\', 't')
				default:
					dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
				}
				i++
				start = i
				continue
			}
			c, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case c == utf8.RuneError && size == 1:
				dst = append(dst, s[start:i]...)
				dst = append(dst, `\ufffd`...)
			case c == '\u2028' || c == '\u2029':
				dst = append(dst, s[start:i]...)
				dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			default:
				i += size
				continue
			}
			i += size
			start = i
		}
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// plain8 reports whether the 8 bytes of s are ASCII that needs no escape,
// testing them at once as one 64-bit word: a byte is zero in x^c*ones
// where it equals c, and v-ones&^v&highs is non-zero exactly when some
// byte of v is zero (or, with n*ones, below n).
func plain8(s string, escapeHTML bool) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	_ = s[7]
	x := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	zero := func(v uint64) uint64 { return (v - ones) &^ v }
	bad := x | (x-0x20*ones)&^x | zero(x^'"'*ones) | zero(x^'\\'*ones)
	if escapeHTML {
		bad |= zero(x^'<'*ones) | zero(x^'>'*ones) | zero(x^'&'*ones)
	}
	return bad&highs == 0
}
