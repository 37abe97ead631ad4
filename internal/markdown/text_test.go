package markdown

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// spacedText must give exactly what strings.Fields and strings.Join give
// for the concatenated pieces: search and word counts depend on it.
func FuzzSpacedText(f *testing.F) {
	for _, s := range []string{
		"", " ", "one", "  two  words ", "tab\tand\nnew line\r\n",
		"no\u00a0break space", "em\u2003space", "next\u0085line", "ideographic\u3000space",
		"accents café naïve", "\xff invalid \xfe bytes", "a\u200bzero width",
	} {
		f.Add(s, " then more")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if runeAcross(a, b) {
			t.Skip("goldmark's text segments never split a character")
		}
		var st spacedText
		st.writeString(a)
		st.write([]byte(b))
		want := strings.Fields(a + b)
		if got := st.String(); got != strings.Join(want, " ") {
			t.Errorf("text of %q + %q = %q, want %q", a, b, got, strings.Join(want, " "))
		}
		if st.words != len(want) {
			t.Errorf("words of %q + %q = %d, want %d", a, b, st.words, len(want))
		}
	})
}

// runeAcross reports whether a character of a+b starts in a and ends in b.
func runeAcross(a, b string) bool {
	s := a + b
	for i := 0; i < len(s); {
		_, n := utf8.DecodeRuneInString(s[i:])
		if i < len(a) && i+n > len(a) {
			return true
		}
		i += n
	}
	return false
}

func TestSpacedTextBreaks(t *testing.T) {
	var st spacedText
	st.writeString("heading")
	st.space()
	st.writeString("text")
	st.writeString("joined")
	if got := st.String(); got != "heading textjoined" || st.words != 2 {
		t.Errorf("got %q (%d words), want %q (2 words)", got, st.words, "heading textjoined")
	}
	st.reset()
	st.space()
	st.writeString(" x ")
	if got := st.String(); got != "x" || st.words != 1 {
		t.Errorf("after reset got %q (%d words)", got, st.words)
	}
}
