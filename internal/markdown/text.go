package markdown

import (
	"unicode"
	"unicode/utf8"
)

// spacedText collects plain text with every run of white space collapsed
// to one space and none at either end, and counts the words, in one pass:
// the same text and count as strings.Fields and strings.Join over the
// concatenated pieces, without building the text twice. Every page's
// sections and headings go through it, so it is on the hot path.
type spacedText struct {
	b      []byte
	inWord bool
	words  int
}

// asciiSpace marks the bytes unicode.IsSpace accepts below utf8.RuneSelf.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// write appends p, whose white space separates words.
func (t *spacedText) write(p []byte) {
	for i := 0; i < len(p); {
		c := p[i]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				t.inWord = false
				i++
				continue
			}
			// Copy at once a run of printable ASCII with single spaces
			// between words, as most text is: it is already written as
			// it must be collected.
			t.wordByte()
			j := i + 1
			for j < len(p) {
				if c := p[j]; ' ' < c && c < utf8.RuneSelf {
					j++
				} else if c == ' ' && j+1 < len(p) && ' ' < p[j+1] && p[j+1] < utf8.RuneSelf {
					t.words++
					j += 2
				} else {
					break
				}
			}
			t.b = append(t.b, p[i:j]...)
			i = j
			continue
		}
		r, n := utf8.DecodeRune(p[i:])
		if unicode.IsSpace(r) {
			t.inWord = false
		} else {
			t.wordByte()
			t.b = append(t.b, p[i:i+n]...)
		}
		i += n
	}
}

func (t *spacedText) writeString(s string) {
	// The conversion does not allocate: write does not keep p.
	t.write([]byte(s))
}

// space ends the current word.
func (t *spacedText) space() { t.inWord = false }

// wordByte is called before a byte of a word is appended.
func (t *spacedText) wordByte() {
	if t.inWord {
		return
	}
	if len(t.b) > 0 {
		t.b = append(t.b, ' ')
	}
	t.words++
	t.inWord = true
}

// String returns the text collected so far.
func (t *spacedText) String() string { return string(t.b) }

// reset empties t, keeping its buffer.
func (t *spacedText) reset() { *t = spacedText{b: t.b[:0]} }
