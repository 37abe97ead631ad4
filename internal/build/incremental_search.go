package build

import (
	"reflect"

	"hjp/internal/search"
	"hjp/internal/site"
)

// searchState is the last build's search index and the documents and
// facets it was made from.
type searchState struct {
	docs []search.Doc
	defs []search.FacetDef
	ix   *search.Index
	// cache keeps pages' analysed text, so a new index stems only the
	// pages whose text changed.
	cache *search.Cache
}

// search reuses the last search index while the pages give the same
// documents (titles, summaries, facets, headings and section text): a
// change to anything else (a layout, a link, a reference) leaves the
// index as it was. Otherwise it indexes again, analysing only the pages
// whose text changed: indexing a big site is a large part of a rebuild.
func (p *incPlan) search(g *site.Graph) *search.Index {
	docs, defs := search.FromGraph(g)
	s := p.b.search
	if s != nil && reflect.DeepEqual(s.docs, docs) && reflect.DeepEqual(s.defs, defs) {
		return s.ix
	}
	cache := search.NewCache()
	if s != nil {
		cache = s.cache
	}
	ix := search.Build(docs, defs, search.Options{Workers: p.workers, Cache: cache})
	p.b.search = &searchState{docs: docs, defs: defs, ix: ix, cache: cache}
	return ix
}
