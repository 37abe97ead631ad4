package markdown

import (
	"strings"
	"testing"
	"unicode"
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

// countWords must count what strings.Fields finds, and startsSentence
// must look at the first character as []rune does: the editorial checks'
// warnings depend on both.
func FuzzCountWords(f *testing.F) {
	for _, s := range []string{
		"", " ", "one two", "tab\tand\nnew line\r\n", "no\u00a0break", "em\u2003space",
		"next\u0085line", "\xff invalid \xfe bytes", "Élan", "\u201cquoted", "\xe2\x80", "7 up",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := countWords([]byte(s)), len(strings.Fields(s)); got != want {
			t.Errorf("countWords(%q) = %d, want %d", s, got, want)
		}
		r := []rune(s[:min(len(s), 4)])
		want := len(r) == 0 || unicode.IsUpper(r[0]) || unicode.IsDigit(r[0]) || strings.ContainsRune("\"'‘“(", r[0])
		if got := startsSentence([]byte(s)); got != want {
			t.Errorf("startsSentence(%q) = %v, want %v", s, got, want)
		}
	})
}
