package search

import (
	"reflect"
	"testing"
)

// TestWorkersGiveTheSameIndex checks that the index files do not depend
// on how many workers analyse the pages: each worker numbers the terms it
// meets in its own way, and merging those numberings must give the index
// one worker gives, whatever share of the pages each worker had.
func TestWorkersGiveTheSameIndex(t *testing.T) {
	docs, defs := FromGraph(fixtureGraph(t, false))
	want := Build(docs, defs, Options{Workers: 1}).Files()
	for _, workers := range []int{2, 3, 7, len(docs) + 1} {
		if got := Build(docs, defs, Options{Workers: workers}).Files(); !reflect.DeepEqual(got, want) {
			t.Errorf("the index built by %d workers differs from the one built by one", workers)
		}
	}
}
