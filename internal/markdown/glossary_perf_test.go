package markdown

import "testing"

// FuzzGlossaryCandidates checks the word index never hides a match: every
// entry whose pattern matches a text is among the candidates tried on it.
func FuzzGlossaryCandidates(f *testing.F) {
	for _, s := range []string{
		"An HJP and an ICB.", "Many HJPs exist.", "A health justice\npartnership works.",
		"Use a warm handover.", "The HJPX and preHJP and ICBs.", "warm referrals", "Warm\u212aeferral",
		"hjp_icb health-justice partnerships", "ICBes and HJPes",
	} {
		f.Add(s)
	}
	g := NewGlossary("/g/", []GlossaryTerm{
		{Term: "Health justice partnership", Abbr: "HJP"},
		{Term: "Warm referral", Aliases: []string{"warm handover", "-dash start", "co-location"}},
		{Term: "Integrated care board", Abbr: "ICB"},
		{Term: "Class", Aliases: []string{"process"}},
	}, nil)
	f.Fuzz(func(t *testing.T, s string) {
		used := make([]bool, len(g.entries))
		cand := make([]bool, len(g.entries))
		g.candidates([]byte(s), used, cand)
		for i, e := range g.entries {
			if e.match.MatchString(s) && !cand[i] {
				t.Errorf("%q matches %s but it is not a candidate", s, e.match)
			}
		}
	})
}
