package markdown

import "testing"

// FuzzGlossaryFirstMatch checks the word index never hides or moves a
// match: firstMatch finds what trying every unused entry's pattern on the
// whole text finds, the earliest match, longest first, then the entry
// listed first.
func FuzzGlossaryFirstMatch(f *testing.F) {
	for _, s := range []string{
		"An HJP and an ICB.", "Many HJPs exist.", "A health justice\npartnership works.",
		"Use a warm handover.", "The HJPX and preHJP and ICBs.", "warm referrals", "Warm\u212aeferral",
		"hjp_icb health-justice partnerships", "ICBes and HJPes", "a class process", "classes processes",
		"x-dash start and co-location", "Co-locations, HEALTH JUSTICE PARTNERSHIPS", "warm warm referral",
		"The ſupport: warm referralſ", "health justice partnerships, then an HJP",
		"A warm referral process", "A warm referral",
	} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(5))
	}
	g := NewGlossary("/g/", []GlossaryTerm{
		{Term: "Health justice partnership", Abbr: "HJP"},
		{Term: "Warm referral", Aliases: []string{"warm handover", "-dash start", "co-location"}},
		{Term: "Integrated care board", Abbr: "ICB"},
		{Term: "Class", Aliases: []string{"process"}},
		{Term: "Health justice", Aliases: []string{"classes"}},
		{Term: "Warm"},
		// Found by the search for "-dash start" and by its first word.
		{Term: "Warm referral process"},
	}, nil)
	f.Fuzz(func(t *testing.T, s string, usedBits uint8) {
		used := make([]bool, len(g.entries))
		for i := range used {
			used[i] = usedBits&(1<<i) != 0
		}
		wantBest, wantAt, wantEnd := -1, len(s), 0
		for i, e := range g.entries {
			if used[i] {
				continue
			}
			if loc := e.match.FindStringIndex(s); loc != nil && (loc[0] < wantAt || loc[0] == wantAt && loc[1] > wantEnd) {
				wantBest, wantAt, wantEnd = i, loc[0], loc[1]
			}
		}
		best, at, end := g.firstMatch([]byte(s), used, hasFoldingLetter([]byte(s)))
		if best != wantBest || best >= 0 && (at != wantAt || end != wantEnd) {
			t.Errorf("firstMatch(%q) = entry %d at [%d, %d), want entry %d at [%d, %d)", s, best, at, end, wantBest, wantAt, wantEnd)
		}
	})
}
