package search

import (
	"slices"
	"strings"
	"testing"
)

// TestTokenVectors runs the shared tokeniser vectors.
func TestTokenVectors(t *testing.T) {
	for _, v := range readVectors(t, "testdata/tokenize.tsv") {
		var got []string
		for _, tok := range Tokens(v[0]) {
			got = append(got, tok.Word)
		}
		want := strings.Fields(v[1])
		if v[1] == "-" {
			want = nil
		}
		if !slices.Equal(got, want) {
			t.Errorf("Tokens(%q) = %q, want %q", v[0], got, want)
		}
	}
}

// TestTokenOffsets checks that each token's offsets cover its text, so
// excerpts can highlight the original words.
func TestTokenOffsets(t *testing.T) {
	text := "Café, R12 and don’t — naïve"
	want := []string{"Café", "R12", "and", "don’t", "naïve"}
	toks := Tokens(text)
	if len(toks) != len(want) {
		t.Fatalf("got %d tokens, want %d", len(toks), len(want))
	}
	for i, tok := range toks {
		if got := text[tok.Start:tok.End]; got != want[i] {
			t.Errorf("token %d covers %q, want %q", i, got, want[i])
		}
	}
}

func TestTerm(t *testing.T) {
	tests := []struct {
		word, term string
		ok         bool
	}{
		{"partnerships", "partnership", true},
		{"housing", "hous", true},
		{"r12", "r12", true},   // IDs are kept whole, not stemmed
		{"2021", "2021", true}, // numbers too
		{"3", "3", true},       // single digits are kept
		{"x", "", false},       // single letters are not
		{"the", "", false},     // stop words are not
		{"not", "not", true},   // "not" carries meaning
		{"f3s", "f3s", true},
	}
	for _, tt := range tests {
		term, ok := Term(tt.word)
		if term != tt.term || ok != tt.ok {
			t.Errorf("Term(%q) = %q, %v; want %q, %v", tt.word, term, ok, tt.term, tt.ok)
		}
	}
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		text   string
		words  []string
		prefix bool
	}{
		{"housing debt", []string{"housing", "debt"}, true},
		{"housing debt ", []string{"housing", "debt"}, false},
		{"housing debt.", []string{"housing", "debt"}, false},
		{"", nil, false},
		{"  ", nil, false},
		{"Café", []string{"cafe"}, true},
	}
	for _, tt := range tests {
		words, prefix := ParseQuery(tt.text)
		if !slices.Equal(words, tt.words) || prefix != tt.prefix {
			t.Errorf("ParseQuery(%q) = %q, %v; want %q, %v", tt.text, words, prefix, tt.words, tt.prefix)
		}
	}
}
