package markdown

import (
	"slices"
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

// appendSentences must split text where the rule in its doc comment
// says and count each sentence's words as strings.Fields does, and
// startsSentence must look at the first character as []rune does: the
// editorial checks' warnings depend on all three. refSentences is the rule
// written plainly.
func FuzzSentences(f *testing.F) {
	for _, s := range []string{
		"", " ", "One two. Three four", "tab\tand\nnew line.\r\n Next", "no\u00a0break. A b",
		"em\u2003space! Two?", "next\u0085line. \"Quoted.\" (Then) 7 more", "\xff invalid. \xfe Bytes",
		"Élan vital. Éa", "\u201cquoted. \u201cAgain", "\xe2\x80", "e.g. not split.  Two spaces", ". . .",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		want := refSentences(b)
		got := sentences(b)
		if !slices.Equal(got, want) {
			t.Errorf("sentences(%q) = %v, want %v", s, got, want)
		}
		r := []rune(s[:min(len(s), 4)])
		wantStart := len(r) == 0 || unicode.IsUpper(r[0]) || unicode.IsDigit(r[0]) || strings.ContainsRune("\"'‘“(", r[0])
		if got := startsSentence(b); got != wantStart {
			t.Errorf("startsSentence(%q) = %v, want %v", s, got, wantStart)
		}
	})
}

func refSentences(b []byte) []sentence {
	var out []sentence
	add := func(start, end int) {
		out = append(out, sentence{start, end, len(strings.Fields(string(b[start:end])))})
	}
	start := -1
	for i := 0; i < len(b); i++ {
		if start < 0 {
			if b[i] != ' ' && b[i] != '\t' {
				start = i
			}
			continue
		}
		if b[i] != '.' && b[i] != '!' && b[i] != '?' {
			continue
		}
		j := i + 1
		for j < len(b) && (b[j] == '"' || b[j] == ')' || b[j] == '\'') {
			j++
		}
		if j < len(b) && b[j] != ' ' {
			continue
		}
		k := j
		for k < len(b) && b[k] == ' ' {
			k++
		}
		if k < len(b) && !startsSentence(b[k:]) {
			continue
		}
		add(start, j)
		start = -1
		i = j - 1
	}
	if start >= 0 {
		add(start, len(b))
	}
	return out
}
