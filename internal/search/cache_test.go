package search

import (
	"reflect"
	"slices"
	"testing"
)

// TestCacheGivesTheSameIndex builds an index, changes one page's text,
// removes one and adds one, and checks that an index built with the
// cache of the first build has exactly the files of one built afresh.
func TestCacheGivesTheSameIndex(t *testing.T) {
	docs, defs := FromGraph(fixtureGraph(t, false))
	if len(docs) < 3 {
		t.Fatalf("fixture has %d pages", len(docs))
	}
	cache := NewCache()
	first := Build(docs, defs, Options{Cache: cache})
	if want := Build(docs, defs, Options{}); !reflect.DeepEqual(first.Files(), want.Files()) {
		t.Fatalf("an index built with an empty cache differs from one built without")
	}
	next := slices.Clone(docs)
	edited := next[1]
	edited.Sections = slices.Clone(edited.Sections)
	edited.Sections[0].Text += " Zymurgy is new here."
	next[1] = edited
	added := next[2]
	added.URL = "/added/"
	added.Title = "An added page about zymurgy"
	next = append(next[:2], next[3:]...)
	next = append(next, added)
	got := Build(next, defs, Options{Cache: cache})
	want := Build(next, defs, Options{})
	if !reflect.DeepEqual(got.Files(), want.Files()) {
		t.Errorf("an index built with the cache differs from one built afresh")
	}
	if d := want.Docs[1]; !slices.ContainsFunc(d.Sections, func(s Section) bool { return s.Text == edited.Sections[0].Text }) {
		t.Errorf("the edited page is not in the index as edited")
	}
	if reflect.DeepEqual(got.Files(), first.Files()) {
		t.Errorf("the edit changed nothing: the test checks nothing")
	}
}
