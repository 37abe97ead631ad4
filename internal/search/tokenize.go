package search

import (
	"slices"
	"unicode"
	"unicode/utf8"

	"hjp/internal/slug"
)

// Token is one word of a text: its lower-case, accent-folded form and
// where it lies in the text (byte offsets).
type Token struct {
	Word       string
	Start, End int
}

// maxWordRunes is the longest word indexed, counted once folded ("œ" is
// two: "oe"), so a folded word always tokenises to itself; longer runs of
// letters are noise (encoded data, run-together URLs).
const maxWordRunes = 40

// Tokens splits text into words. A word is a run of letters, digits and
// combining marks; apostrophes inside a word are dropped ("don't" →
// "dont"), marks are dropped and letters are folded by slug.Fold ("Café"
// → "cafe"). Everything else separates words, so "co-located" is two words
// and "R12" or "2021" stays one. The JavaScript client splits text the
// same way.
func Tokens(text string) []Token {
	var out []Token
	eachWord(text, nil, func(word []byte, start, end int) {
		out = append(out, Token{Word: string(word), Start: start, End: end})
	})
	return out
}

// eachWord calls fn with each word of text (folded into a buffer that fn
// must not keep) and its byte offsets. buf is scratch space.
func eachWord(text string, buf []byte, fn func(word []byte, start, end int)) []byte {
	buf = buf[:0]
	start, runes := -1, 0
	flush := func(end int) {
		if start >= 0 && len(buf) > 0 && runes <= maxWordRunes {
			fn(buf, start, end)
		}
		buf, start, runes = buf[:0], -1, 0
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			// ASCII fast path: most text is.
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				if start < 0 {
					start = i
				}
				buf = append(buf, c)
				runes++
			case 'A' <= c && c <= 'Z':
				if start < 0 {
					start = i
				}
				buf = append(buf, c+'a'-'A')
				runes++
			case c == '\'':
			default:
				flush(i)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
			n := len(buf)
			buf = slug.Fold(buf, r)
			runes += utf8.RuneCount(buf[n:])
		case unicode.IsMark(r) || isApostrophe(r):
			// Part of the word, but not kept: "e\u0301" is "e".
			if start < 0 && unicode.IsMark(r) {
				start = i
			}
		default:
			flush(i)
		}
		i += n
	}
	flush(len(text))
	return buf
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == '‘' }

// Term returns the index term of a folded word: its Porter2 stem, or the
// word itself when it holds a digit ("r12", "2021"). ok is false for
// words the index leaves out: stop words and single letters.
func Term(word string) (term string, ok bool) {
	if utf8.RuneCountInString(word) == 1 && !isDigitWord(word) {
		return "", false
	}
	if IsStopWord(word) {
		return "", false
	}
	if hasDigit(word) {
		return word, true
	}
	return Stem(word), true
}

// TermOf returns the term of a word without the stop-word check, for
// matching words of a text against the terms a query found.
func TermOf(word string) string {
	if hasDigit(word) {
		return word
	}
	return Stem(word)
}

func hasDigit(s string) bool {
	for _, r := range s {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

func isDigitWord(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsDigit(r)
}

// Terms returns the index terms of text in order, repeats included.
func Terms(text string) []string {
	var out []string
	for _, t := range Tokens(text) {
		if term, ok := Term(t.Word); ok {
			out = append(out, term)
		}
	}
	return out
}

// IsStopWord reports whether a folded word is too common to index.
func IsStopWord(word string) bool {
	_, ok := stopWords[word]
	return ok
}

// StopWords lists the stop words in sorted order (the JavaScript client
// holds the same list; a test compares them).
func StopWords() []string {
	out := make([]string, 0, len(stopWords))
	for w := range stopWords {
		out = append(out, w)
	}
	slices.Sort(out)
	return out
}

// stopWords are English function words. Words that carry meaning in this
// site's subject ("not", "help", "advice") are deliberately absent.
var stopWords = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, w := range []string{
		"a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at",
		"be", "been", "being", "both", "but", "by", "can", "could", "did", "do", "does",
		"each", "for", "from", "had", "has", "have", "he", "her", "here", "hers", "him",
		"his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "me", "my",
		"of", "on", "or", "our", "ours", "she", "should", "so", "such", "than", "that",
		"the", "their", "theirs", "them", "then", "there", "these", "they", "this",
		"those", "to", "too", "us", "very", "was", "we", "were", "what", "when", "where",
		"which", "while", "who", "whom", "why", "will", "with", "would", "you", "your",
		"yours",
	} {
		m[w] = struct{}{}
	}
	return m
}()
