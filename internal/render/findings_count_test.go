package render

import (
	"testing"

	"hjp/internal/config"
	"hjp/internal/corpus"
)

// TestFindingsCountsAreCounted checks the findings model's counts, made
// once per build, against counting the findings that match each filter
// page and each link of its panel, on a synthetic corpus.
func TestFindingsCountsAreCounted(t *testing.T) {
	fsys, err := corpus.FS(400, 1)
	if err != nil {
		t.Fatal(err)
	}
	g := graphOf(t, fsys, config.Options{})
	m := newFindingsModel(g)
	counted := func(filters []FindingFilter) int {
		n := 0
		for _, p := range m.findings {
			if m.matches(p, filters) {
				n++
			}
		}
		return n
	}
	pages := m.findingsPages()
	pairs := 0
	for _, filters := range append(pages, nil) {
		if got, want := m.count(filters), counted(filters); got != want {
			t.Errorf("count(%v) = %d, want %d", filters, got, want)
		}
		if len(filters) == 2 {
			pairs++
			swapped := []FindingFilter{filters[1], filters[0]}
			if got, want := m.count(swapped), counted(swapped); got != want {
				t.Errorf("count(%v) = %d, want %d", swapped, got, want)
			}
		}
		for _, grp := range m.panel(filters) {
			for _, v := range grp.Values {
				if v.Count == 0 {
					continue
				}
				found := false
				for _, other := range pages {
					if FindingsURL(other...) == v.URL {
						found = v.Count == counted(other)
					}
				}
				if !found {
					t.Errorf("%s links %s with count %d, which is not that page's", FindingsURL(filters...), v.URL, v.Count)
				}
			}
		}
	}
	if len(m.findings) < 50 || pairs == 0 {
		t.Fatalf("%d findings, %d factor and setting pages: the corpus checks too little", len(m.findings), pairs)
	}
}
