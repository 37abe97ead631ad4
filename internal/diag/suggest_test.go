package diag

import (
	"strings"
	"testing"
)

// referenceSuggest is Suggest as first written: every distance in full.
// The cut-off version must always agree with it.
func referenceSuggest(word string, candidates []string) string {
	w := strings.ToLower(word)
	best, bestDist := "", -1
	for _, c := range candidates {
		d := fullDistance(w, strings.ToLower(c))
		if bestDist < 0 || d < bestDist || d == bestDist && c < best {
			best, bestDist = c, d
		}
	}
	limit := max(1, min(len([]rune(word)), len([]rune(best)))/3)
	if bestDist < 0 || bestDist > limit {
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

func fullDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2, prev, cur := make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)
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

func FuzzSuggest(f *testing.F) {
	f.Add("hosp", "hospital primary-care Hospice hosp")
	f.Add("strenght", "strength strong length")
	f.Add("guide/03-setting-up.md", "guide/03-setting-up-x.md guide/04-setting.md findings/f03-setting-up.md")
	f.Add("ÉCOLE", "école ecole École")
	f.Add("", "a b")
	f.Fuzz(func(t *testing.T, word, cands string) {
		cs := strings.Fields(cands)
		if got, want := Suggest(word, cs), referenceSuggest(word, cs); got != want {
			t.Errorf("Suggest(%q, %q) = %q, want %q", word, cs, got, want)
		}
		for _, c := range cs {
			if got, want := Near(word, c), referenceSuggest(word, []string{c}) == c; got != want {
				t.Errorf("Near(%q, %q) = %v, want %v", word, c, got, want)
			}
		}
	})
}
