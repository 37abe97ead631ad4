package search

import (
	"net/url"
	"slices"
	"strconv"
	"testing"
)

// parseFilters reads the filter column of ranking.tsv.
func parseFilters(t testing.TB, s string) map[string][]string {
	if s == "-" {
		return nil
	}
	v, err := url.ParseQuery(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestRankingFixtures checks that the best page ranks first for every
// fixture query.
func TestRankingFixtures(t *testing.T) {
	ix := fixtureIndex(t)
	vs := readVectors(t, "testdata/ranking.tsv")
	if len(vs) < 20 {
		t.Fatalf("only %d ranking fixtures", len(vs))
	}
	for _, v := range vs {
		text := v[0]
		if text == "-" {
			text = ""
		}
		res := ix.Search(Query{Text: text, Filters: parseFilters(t, v[1])})
		if len(res.Docs) == 0 {
			t.Errorf("%q %s: no results, want %s first", text, v[1], v[2])
			continue
		}
		if got := ix.Docs[res.Docs[0]].URL; got != v[2] {
			t.Errorf("%q %s: %s ranks first, want %s\n%s", text, v[1], got, v[2], describe(ix, res))
		}
	}
}

func describe(ix *Index, res Result) string {
	s := ""
	for i, d := range res.Docs[:min(len(res.Docs), 5)] {
		s += "  " + ix.Docs[d].URL + " " + strconv.Itoa(res.Scores[i]) + "\n"
	}
	return s
}

func urls(ix *Index, docs []int) []string {
	var out []string
	for _, d := range docs {
		out = append(out, ix.Docs[d].URL)
	}
	return out
}

func TestSearchBehaviour(t *testing.T) {
	ix := fixtureIndex(t)
	t.Run("all words required", func(t *testing.T) {
		res := ix.Search(Query{Text: "cafe consent "})
		want := []string{"/case-studies/advice-cafes/", "/guide/information-sharing/"}
		got := urls(ix, res.Docs)
		slices.Sort(got)
		if !res.Partial || !slices.Equal(got, want) {
			t.Errorf("no page has both words: got %v (partial %v), want pages with either, %v", got, res.Partial, want)
		}
		res = ix.Search(Query{Text: "housing stress "})
		if got := urls(ix, res.Docs); res.Partial || !slices.Equal(got, []string{"/guide/measuring-outcomes/"}) {
			t.Errorf("only one page has both words: got %v (partial %v)", got, res.Partial)
		}
	})
	t.Run("fall back to some words", func(t *testing.T) {
		res := ix.Search(Query{Text: "zeppelin debt "})
		if !slices.Equal(res.Missing, []string{"zeppelin"}) {
			t.Errorf("Missing = %q", res.Missing)
		}
		if len(res.Docs) == 0 || res.Partial {
			t.Errorf("a missing word is dropped, not an OR: docs %v partial %v", urls(ix, res.Docs), res.Partial)
		}
	})
	t.Run("drafts are not indexed", func(t *testing.T) {
		for _, q := range []string{"zebrafish", "zeppelins", "F9"} {
			if res := ix.Search(Query{Text: q + " "}); len(res.Docs) != 0 {
				t.Errorf("%q found %v", q, urls(ix, res.Docs))
			}
		}
	})
	t.Run("stop words alone find nothing", func(t *testing.T) {
		if res := ix.Search(Query{Text: "the and of "}); len(res.Docs) != 0 || len(res.Missing) != 0 {
			t.Errorf("got %v, missing %q", urls(ix, res.Docs), res.Missing)
		}
	})
	t.Run("prefix only for the last word", func(t *testing.T) {
		if res := ix.Search(Query{Text: "housin "}); len(res.Docs) != 0 {
			t.Errorf("a finished word was completed: %v", urls(ix, res.Docs))
		}
		if res := ix.Search(Query{Text: "housin"}); len(res.Docs) == 0 {
			t.Error("the word being typed was not completed")
		}
	})
	t.Run("filters without words browse", func(t *testing.T) {
		res := ix.Search(Query{Filters: map[string][]string{"kind": {"finding"}, "strength": {"strong"}}})
		want := []string{"/findings/f01-access-to-advice/", "/findings/f03-income-gains/", "/findings/f08-short-funding/"}
		if got := urls(ix, res.Docs); !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
}

// TestFacetCounts checks the counts beside each facet value: other facets'
// selections narrow them, the facet's own selection does not.
func TestFacetCounts(t *testing.T) {
	ix := fixtureIndex(t)
	res := ix.Search(Query{Filters: map[string][]string{"kind": {"finding"}, "setting": {"hospital"}}})
	got := urls(ix, res.Docs)
	want := []string{"/findings/f01-access-to-advice/", "/findings/f04-housing-discharge/", "/findings/f06-co-location/", "/findings/f07-training-referrals/"}
	if !slices.Equal(got, want) {
		t.Fatalf("results %v, want %v", got, want)
	}
	checks := []struct {
		facet, value string
		want         int
	}{
		// setting counts ignore the setting selection: all findings per setting.
		{"setting", "hospital", 4},
		{"setting", "primary-care", 5},
		{"setting", "community", 2},
		{"setting", "maternity-early-years", 1},
		// kind counts apply the setting filter: hospital pages by kind.
		{"kind", "finding", 4},
		{"kind", "case-study", 1},
		{"kind", "recommendation", 0},
		// other facets apply both filters.
		{"strength", "strong", 1},
		{"strength", "moderate", 1},
		{"strength", "emerging", 2},
		{"theme", "housing", 1},
		{"theme", "referral", 2},
		// a finding's audience comes from the recommendations it supports:
		// F1, F6 (R1) and F4, F7 (R4) are for health services.
		{"audience", "health-services", 4},
		{"audience", "commissioners", 2},
		{"audience", "researchers", 0},
	}
	for _, c := range checks {
		if got := res.Counts[c.facet][c.value]; got != c.want {
			t.Errorf("count %s=%s is %d, want %d", c.facet, c.value, got, c.want)
		}
	}
}
