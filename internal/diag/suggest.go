package diag

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Suggest returns the candidate closest to word by edit distance, or "" when
// none is close enough to be a likely typo. Comparison ignores case.
//
// It is called with every page path of a site for a broken link, so it
// stops working out a candidate's distance as soon as it cannot beat the
// best so far.
func Suggest(word string, candidates []string) string {
	var m matcher
	m.setWord(word)
	best, bestDist := "", -1
	// Start from the candidate sharing the longest prefix with word, the
	// likeliest to be close: its distance is a tight cut-off for the
	// rest. The result is the same whatever the order candidates are
	// tried in.
	if seed := longestCommonPrefix(word, candidates); seed >= 0 {
		best, bestDist = candidates[seed], -1
		if d, ok := m.distance(best, -1); ok {
			bestDist = d
		}
	}
	for _, c := range candidates {
		d, ok := m.distance(c, bestDist)
		if ok && (bestDist < 0 || d < bestDist || d == bestDist && c < best) {
			best, bestDist = c, d
		}
	}
	if bestDist >= 0 && bestDist <= suggestLimit(word, best) {
		return best
	}
	// A prefix or suffix match is still a good guess ("hosp" → "hospital").
	w := strings.ToLower(word)
	for _, c := range candidates {
		if prefixMatch(w, strings.ToLower(c)) {
			return c
		}
	}
	return ""
}

// longestCommonPrefix returns the index of the first candidate sharing the
// longest prefix with word, ignoring ASCII case, or -1 for no candidates.
func longestCommonPrefix(word string, candidates []string) int {
	best, bestLen := -1, -1
	for i, c := range candidates {
		n := 0
		for n < len(word) && n < len(c) && lowerASCII(word[n]) == lowerASCII(c[n]) {
			n++
		}
		if n > bestLen {
			best, bestLen = i, n
		}
	}
	return best
}

func lowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// Near reports whether Suggest(word, []string{candidate}) would suggest
// candidate, more cheaply.
func Near(word, candidate string) bool {
	var m matcher
	m.setWord(word)
	if _, ok := m.distance(candidate, suggestLimit(word, candidate)); ok {
		return true
	}
	return prefixMatch(strings.ToLower(word), strings.ToLower(candidate))
}

// suggestLimit is the largest distance at which c is a likely typo of word.
func suggestLimit(word, c string) int {
	return max(1, min(utf8.RuneCountInString(word), utf8.RuneCountInString(c))/3)
}

func prefixMatch(w, c string) bool {
	return len(w) >= 3 && len(c) >= 3 && (strings.HasPrefix(c, w) || strings.HasPrefix(w, c))
}

// DidYouMean formats a suggestion as " (did you mean "x"?)", or "" for none.
func DidYouMean(word string, candidates []string) string {
	if s := Suggest(word, candidates); s != "" && s != word {
		return ` (did you mean "` + s + `"?)`
	}
	return ""
}

// matcher works out edit distances from one word, reusing its buffers.
type matcher struct {
	w, c             []rune
	prev2, prev, cur []int
}

func (m *matcher) setWord(word string) { m.w = lowerRunes(m.w[:0], word) }

func lowerRunes(dst []rune, s string) []rune {
	for _, r := range s {
		dst = append(dst, unicode.ToLower(r))
	}
	return dst
}

// distance is the Damerau–Levenshtein (optimal string alignment) distance
// between the word and the lower-cased c, so a swapped pair of letters
// ("strenght") counts as one edit. With cutoff ≥ 0 it gives up, returning
// false, once the distance is sure to be more than cutoff.
func (m *matcher) distance(c string, cutoff int) (int, bool) {
	m.c = lowerRunes(m.c[:0], c)
	ra, rb := m.w, m.c
	if cutoff >= 0 && abs(len(ra)-len(rb)) > cutoff {
		return 0, false
	}
	n := len(rb) + 1
	m.prev2, m.prev, m.cur = grow(m.prev2, n), grow(m.prev, n), grow(m.cur, n)
	prev2, prev, cur := m.prev2, m.prev, m.cur
	for j := range prev {
		prev[j] = j
	}
	prevMin := 0
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		// Every cell of a row comes from the two rows above it (plus
		// one at most) or from its left neighbour plus one, so once two
		// rows in a row are past the cutoff, all later ones are.
		if cutoff >= 0 && rowMin > cutoff && prevMin > cutoff {
			return 0, false
		}
		prevMin = rowMin
		prev2, prev, cur = prev, cur, prev2
	}
	d := prev[len(rb)]
	return d, cutoff < 0 || d <= cutoff
}

func grow(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
