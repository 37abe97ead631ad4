package site

import (
	"fmt"
	"slices"
	"testing"
)

// TestListsInCompareOrder checks that the lists New sorts by rank
// (byOrder) are in compareOrder, and that the ranks are that order, on a
// generated site whose pages share weights, kinds and titles.
func TestListsInCompareOrder(t *testing.T) {
	g := corpusGraph(t, 400)
	byRank := slices.Clone(g.Pages)
	slices.SortFunc(byRank, byOrder)
	for i, p := range byRank {
		if p.rank != i {
			t.Fatalf("ranks are not 0 to %d: %s has %d at %d", len(byRank)-1, p.URL, p.rank, i)
		}
		if i > 0 && compareOrder(byRank[i-1], p) >= 0 {
			t.Fatalf("rank %d (%s) does not come after rank %d (%s) by compareOrder", i, p.URL, i-1, byRank[i-1].URL)
		}
	}
	lists := map[string][]*Page{}
	for _, k := range KindOrder {
		lists["kind "+string(k)] = g.OfKind(k)
	}
	for _, p := range g.Pages {
		lists["children of "+p.URL] = p.Children
		for k, rel := range p.Related {
			lists[fmt.Sprintf("%s related to %s", k, p.URL)] = rel
		}
	}
	for _, tx := range g.Taxonomies {
		for _, term := range tx.Terms {
			lists["term "+term.URL] = term.Pages
		}
	}
	long := 0
	for name, list := range lists {
		if len(list) > 1 {
			long++
		}
		if !slices.IsSortedFunc(list, compareOrder) {
			t.Errorf("%s is not in compareOrder", name)
		}
	}
	if long < 100 {
		t.Errorf("only %d lists of two pages or more: the corpus is too small to test with", long)
	}
}
