package diag

import "strings"

// Suggest returns the candidate closest to word by edit distance, or "" when
// none is close enough to be a likely typo. Comparison ignores case.
func Suggest(word string, candidates []string) string {
	w := strings.ToLower(word)
	best, bestDist := "", -1
	for _, c := range candidates {
		d := distance(w, strings.ToLower(c))
		if bestDist < 0 || d < bestDist || d == bestDist && c < best {
			best, bestDist = c, d
		}
	}
	limit := max(1, min(len([]rune(word)), len([]rune(best)))/3)
	if bestDist < 0 || bestDist > limit {
		// A prefix or suffix match is still a good guess ("hosp" → "hospital").
		for _, c := range candidates {
			lc := strings.ToLower(c)
			if len(w) >= 3 && len(lc) >= 3 && (strings.HasPrefix(lc, w) || strings.HasPrefix(w, lc)) {
				return c
			}
		}
		return ""
	}
	return best
}

// DidYouMean formats a suggestion as " (did you mean "x"?)", or "" for none.
func DidYouMean(word string, candidates []string) string {
	if s := Suggest(word, candidates); s != "" && s != word {
		return ` (did you mean "` + s + `"?)`
	}
	return ""
}

// distance is the Damerau–Levenshtein (optimal string alignment) distance,
// so a swapped pair of letters ("strenght") counts as one edit.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
