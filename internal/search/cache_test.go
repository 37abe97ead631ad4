package search

import (
	"context"
	"errors"
	"maps"
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

// TestBuildContextCancelled checks that a cancelled build gives up with
// the context's error and leaves the cache as it was, so the next build
// with it still gives the same index as one built afresh.
func TestBuildContextCancelled(t *testing.T) {
	docs, defs := FromGraph(fixtureGraph(t, false))
	cache := NewCache()
	Build(docs, defs, Options{Cache: cache})
	before := maps.Clone(cache.docs)
	next := slices.Clone(docs)
	next[0].Title += " zymurgy"
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ix, err := BuildContext(ctx, next, defs, Options{Cache: cache})
	if ix != nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("BuildContext with a cancelled context = %v, %v; want nil, context.Canceled", ix, err)
	}
	if !reflect.DeepEqual(cache.docs, before) {
		t.Errorf("a cancelled build changed the cache")
	}
	ix, err = BuildContext(context.Background(), next, defs, Options{Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	if want := Build(next, defs, Options{}); !reflect.DeepEqual(ix.Files(), want.Files()) {
		t.Errorf("the index after a cancelled build differs from one built afresh")
	}
}
