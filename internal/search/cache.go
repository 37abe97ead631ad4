package search

import (
	"slices"
	"sync"
)

// Cache keeps each page's analysed terms between builds of a changing
// site (hjp serve), so that a build stems only the pages whose text
// changed. The index it helps build is the same as without it. One Cache
// serves one site. Builds may use it at the same time (hjp serve starts
// indexing a newer edit while a cancelled build winds down): each finds
// only entries with the same text, and the last to finish keeps its own.
type Cache struct {
	mu   sync.Mutex
	docs map[string]cachedDoc
}

type cachedDoc struct {
	doc   Doc
	terms docTerms
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{docs: map[string]cachedDoc{}} }

// get returns the terms of d when d's searchable text is the same as
// when they were analysed.
func (c *Cache) get(d *Doc) (docTerms, bool) {
	c.mu.Lock()
	e, ok := c.docs[d.URL]
	c.mu.Unlock()
	if !ok || !sameText(&e.doc, d) {
		return docTerms{}, false
	}
	return e.terms, true
}

// keep replaces the cache's content with the analysed docs.
func (c *Cache) keep(docs []Doc, analysed []docTerms) {
	next := make(map[string]cachedDoc, len(docs))
	for i, d := range docs {
		next[d.URL] = cachedDoc{doc: d, terms: analysed[i]}
	}
	c.mu.Lock()
	c.docs = next
	c.mu.Unlock()
}

// sameText reports whether two docs have the same text in every field
// analyse reads.
func sameText(a, b *Doc) bool {
	return a.Title == b.Title && a.ID == b.ID && a.Summary == b.Summary &&
		slices.Equal(a.Headings, b.Headings) && slices.Equal(a.Tags, b.Tags) &&
		slices.EqualFunc(a.Sections, b.Sections, func(x, y Section) bool { return x.Text == y.Text })
}
