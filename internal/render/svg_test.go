package render

import (
	"regexp"
	"slices"
	"testing"
)

var classAttr = regexp.MustCompile(` class="[^"]*"`)

func TestWrap(t *testing.T) {
	tests := []struct {
		s     string
		width int
		want  []string
	}{
		// 14 px text, 0.6 em a character: 108 units hold 12 characters.
		{"Primary care", 108, []string{"Primary care"}},
		{"Cancer and palliative care", 108, []string{"Cancer and", "palliative", "care"}},
		{"Evaluation and evidence quality", 180, []string{"Evaluation and", "evidence quality"}},
		{"Supercalifragilistic words", 50, []string{"Supercalifragilistic", "words"}},
		{"  spaced   out  ", 200, []string{"spaced out"}},
		{"", 100, nil},
	}
	for _, tc := range tests {
		if got := wrap(tc.s, tc.width, fontLabel); !slices.Equal(got, tc.want) {
			t.Errorf("wrap(%q, %d) = %q, want %q", tc.s, tc.width, got, tc.want)
		}
	}
}

func TestMonthsRange(t *testing.T) {
	tests := []struct {
		lo, hi int
		want   string
	}{
		{12, 60, "1 to 5 years"},
		{24, 96, "2 to 8 years"},
		{6, 18, "6 to 18 months"},
		{12, 12, "1 year"},
		{36, 36, "3 years"},
		{9, 9, "9 months"},
	}
	for _, tc := range tests {
		if got := monthsRange(tc.lo, tc.hi); got != tc.want {
			t.Errorf("monthsRange(%d, %d) = %q, want %q", tc.lo, tc.hi, got, tc.want)
		}
	}
}

func TestLowerFirst(t *testing.T) {
	for in, want := range map[string]string{
		"Hospitals":    "hospitals",
		"Primary care": "primary care",
		"NHS trusts":   "NHS trusts",
		"GP surgeries": "GP surgeries",
		"A":            "a",
		"":             "",
		"Évaluation":   "évaluation",
	} {
		if got := lowerFirst(in); got != want {
			t.Errorf("lowerFirst(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMarksDistinct checks every strength draws a different mark, so the
// map never tells strengths apart by colour alone.
func TestMarksDistinct(t *testing.T) {
	seen := map[string]int{}
	const levels = 7 // six strengths and "not rated"
	for rank := range levels {
		var w svgWriter
		mark(&w, rank, levels-1, 10, 10, mxMarkR, "")
		// The class names the rank; compare the shapes alone.
		shape := classAttr.ReplaceAllString(w.String(), "")
		if prev, ok := seen[shape]; ok {
			t.Errorf("strength %d draws the same mark as strength %d: %s", rank, prev, w.String())
		}
		seen[shape] = rank
	}
}
