package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzTokens checks the tokeniser on any input: no panic; tokens in
// order, inside the text and not overlapping; each word non-empty, valid
// UTF-8 and already folded, so that tokenising the words again gives the
// same words (the round trip the index and the query rely on); and the
// terms and query words derived from them without panic.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{
		"", "Housing advice in GP surgeries", "R12 and F3, 2021–22", "don't can’t",
		"Café naïve coöperate", "e\u0301", "co-located", "ÀÉÎÕÜ ß ﬁ İ", "日本語のテキスト",
		"\xff\xfe invalid", "a\x00b", strings.Repeat("x", 100), "١٢٣ ٤",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		toks := Tokens(text)
		prev := 0
		words := make([]string, len(toks))
		for i, tk := range toks {
			if tk.Start < prev || tk.End <= tk.Start || tk.End > len(text) {
				t.Fatalf("token %d %q at [%d,%d) is out of order or outside the text of %d bytes", i, tk.Word, tk.Start, tk.End, len(text))
			}
			prev = tk.End
			if tk.Word == "" || !utf8.ValidString(tk.Word) {
				t.Fatalf("token %d is empty or not UTF-8: %q", i, tk.Word)
			}
			if term, ok := Term(tk.Word); ok && term == "" {
				t.Fatalf("word %q has an empty term", tk.Word)
			}
			words[i] = tk.Word
		}
		again := Tokens(strings.Join(words, " "))
		if len(again) != len(words) {
			t.Fatalf("words %q tokenise again as %d tokens", words, len(again))
		}
		for i, tk := range again {
			if tk.Word != words[i] {
				t.Fatalf("word %q tokenises again as %q", words[i], tk.Word)
			}
		}
		q, _ := ParseQuery(text)
		if len(q) != len(words) {
			t.Fatalf("query has %d words, the text %d", len(q), len(words))
		}
	})
}
