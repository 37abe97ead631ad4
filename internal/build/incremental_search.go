package build

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"hjp/internal/publish"
	"hjp/internal/render"
	"hjp/internal/search"
	"hjp/internal/site"
)

// searchState is the last search index and the documents and facets it
// was made from.
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
//
// In BuildPages, unless everything is rendered, it returns the index the
// last good build published and leaves the new one to a SearchJob.
func (p *incPlan) search(g *site.Graph) *search.Index {
	docs, defs := p.searchDocs(g)
	s := p.b.search
	if prev := p.b.prev; p.deferSearch && prev != nil && prev.search != nil && p.fullReason() == "" {
		p.index = prev.search
		p.job = &SearchJob{docs: docs, defs: defs, last: s, workers: p.workers, plan: p}
		return p.index
	}
	p.index = p.b.index(s, docs, defs, p.workers)
	return p.index
}

// searchDocs returns the search documents of g. When only pages' body
// text changed (a patched graph), only those pages' documents are made
// again: making all of a big site's takes tens of milliseconds.
func (p *incPlan) searchDocs(g *site.Graph) ([]search.Doc, []search.FacetDef) {
	st := p.b.graph
	if st == nil || st.g != g {
		return search.FromGraph(g) // a graph with errors: not kept
	}
	if p.patched != nil && st.docs != nil {
		if len(p.patched) > 0 {
			st.docs = slices.Clone(st.docs)
			for rel := range p.patched {
				if pg := g.ByRel(rel); pg != nil && search.Indexed(pg) {
					st.docs[st.docAt[pg.URL]] = search.PageDoc(g, pg)
				}
			}
		}
		return st.docs, st.defs
	}
	st.docs, st.defs = search.FromGraph(g)
	st.docAt = make(map[string]int, len(st.docs))
	for i, d := range st.docs {
		st.docAt[d.URL] = i
	}
	return st.docs, st.defs
}

// index returns s's index when docs and defs are what it was made from,
// otherwise a new one (remembered for the next build).
func (b *Incremental) index(s *searchState, docs []search.Doc, defs []search.FacetDef, workers int) *search.Index {
	next, _ := newIndex(context.Background(), s, docs, defs, workers)
	b.search = next
	return next.ix
}

// newIndex returns s when docs and defs are what it was made from,
// otherwise a new index made with s's cache.
func newIndex(ctx context.Context, s *searchState, docs []search.Doc, defs []search.FacetDef, workers int) (*searchState, error) {
	if s != nil && reflect.DeepEqual(s.docs, docs) && reflect.DeepEqual(s.defs, defs) {
		return s, nil
	}
	cache := search.NewCache()
	if s != nil {
		cache = s.cache
	}
	ix, err := search.BuildContext(ctx, docs, defs, search.Options{Workers: workers, Cache: cache})
	if err != nil {
		return nil, err
	}
	return &searchState{docs: docs, defs: defs, ix: ix, cache: cache}, nil
}

// BuildPages is the first of the two phases of a build for hjp serve: it
// builds like Build, except that the search index files and the search
// page stay those of the last good build (unless everything is rendered:
// the first build, or a change to site.yaml, the layouts or the theme's
// assets). Indexing a big site takes longer than rendering what an edit
// reaches, and an editor waits for the page they edit, not for search.
// BuildSearch then brings the search outputs up to date; until it does,
// Files holds the last good build's, all of whose files are still there.
func (b *Incremental) BuildPages() Rebuild { return b.build(true) }

// SearchJob is the search work a BuildPages left: indexing the build's
// pages (Index, which may run while other builds do) and publishing the
// index files and the search page (Incremental.PublishSearch).
type SearchJob struct {
	docs    []search.Doc
	defs    []search.FacetDef
	last    *searchState
	workers int
	plan    *incPlan
}

// SearchIndex is a SearchJob's index, ready to publish.
type SearchIndex struct {
	job   *SearchJob
	state *searchState
}

// PendingSearch returns the search work the last good BuildPages left,
// or nil when the published search outputs are current.
func (b *Incremental) PendingSearch() *SearchJob { return b.pending }

// Index makes the job's search index, analysing only the pages whose
// text changed since the last index. It reads only what the job holds,
// so it may run while the Incremental builds again (a newer edit), and
// more than once at a time; ctx stops it (for a job a newer build has
// made out of date) with ctx's error.
func (j *SearchJob) Index(ctx context.Context) (*SearchIndex, error) {
	next, err := newIndex(ctx, j.last, j.docs, j.defs, j.workers)
	if err != nil {
		return nil, err
	}
	return &SearchIndex{job: j, state: next}, nil
}

// PublishSearch puts the search outputs of ix in place of the last good
// build's: the second phase of a serve build. It returns false, with
// nothing changed, when ix's job is no longer the pending one (a later
// build replaced it). Changed and Removed name only search outputs;
// index files the new index does not have are removed. Like Build, it
// must not run at the same time as the Incremental's other builds.
func (b *Incremental) PublishSearch(ix *SearchIndex) (Rebuild, bool) {
	if ix == nil || ix.job != b.pending {
		return Rebuild{}, false
	}
	start := time.Now()
	j := ix.job
	b.pending = nil
	b.search = ix.state
	p, prev := j.plan, b.prev
	st := p.stages
	r := &render.Renderer{G: st.Graph, Theme: st.Theme, Assets: st.Assets, FS: b.fsys, Markdown: b.md,
		Search: ix.state.ix, Glossary: p.glossary(st.Graph)}
	outs := r.SearchOutputs()
	if ix.state.ix == prev.search {
		// Same index: only the search page can have changed (it lists
		// the site's sections).
		outs = slices.DeleteFunc(outs, func(o render.Output) bool { return o.Layout == "" })
	}
	mem := publish.NewMemory()
	sink, _ := minifying(b.min, mem)
	out := Rebuild{Result: Result{Pages: len(st.Graph.Pages), Rendered: len(outs)}}
	WriteOutputs(outs, sink, p.workers, &out.Diags)
	for _, o := range outs {
		out.RenderedPaths = append(out.RenderedPaths, o.Path)
	}
	slices.Sort(out.RenderedPaths)
	out.Diags = out.Diags.Sort()
	if out.Failed() {
		out.Elapsed = time.Since(start)
		return out, true
	}
	next := *prev
	next.files = maps.Clone(prev.files)
	next.search = ix.state.ix
	if prev.search != next.search {
		next.searchOuts = make([]string, len(outs))
		isNew := make(map[string]bool, len(outs))
		for i, o := range outs {
			next.searchOuts[i] = o.Path
			isNew[o.Path] = true
		}
		for _, path := range prev.searchOuts {
			if !isNew[path] {
				delete(next.files, path)
				out.Removed = append(out.Removed, path)
			}
		}
		wasSearch := make(map[string]bool, len(prev.searchOuts))
		for _, path := range prev.searchOuts {
			wasSearch[path] = true
		}
		next.outputs = slices.DeleteFunc(slices.Clone(prev.outputs), func(path string) bool { return wasSearch[path] })
		next.outputs = append(next.outputs, next.searchOuts...)
		slices.Sort(next.outputs)
	}
	for path, data := range mem.Files {
		if old, ok := next.files[path]; !ok || !sameBytes(old, data) {
			out.Changed = append(out.Changed, path)
		}
		next.files[path] = data
	}
	slices.Sort(out.Changed)
	slices.Sort(out.Removed)
	if c := b.outs; c != nil && c.r.Search == prev.search && c.r.Search != r.Search {
		// The next body-only edit renders with this index: its list of
		// outputs is the last one with these search outputs.
		b.outs = &cachedOutputs{r: *r, list: withSearchOutputs(c.list, outs)}
	}
	b.prev = &next
	out.Files, out.Assets, out.PrevAssets = next.files, next.assets, next.assets
	out.Result.Files = len(next.files)
	out.Elapsed = time.Since(start)
	return out, true
}

// withSearchOutputs returns list, sorted by path, with its search outputs
// replaced by search.
func withSearchOutputs(list, search []render.Output) []render.Output {
	search = slices.Clone(search)
	slices.SortFunc(search, func(a, b render.Output) int { return strings.Compare(a.Path, b.Path) })
	out := make([]render.Output, 0, len(list)+len(search))
	for _, o := range list {
		if o.Search {
			continue
		}
		for len(search) > 0 && search[0].Path < o.Path {
			out = append(out, search[0])
			search = search[1:]
		}
		out = append(out, o)
	}
	return append(out, search...)
}

// BuildSearch indexes and publishes the pending search work, if any (it
// reports false when there is none or ctx stopped it): BuildPages
// followed by BuildSearch leaves the same files as Build.
func (b *Incremental) BuildSearch(ctx context.Context) (Rebuild, bool) {
	if b.pending == nil {
		return Rebuild{}, false
	}
	ix, err := b.pending.Index(ctx)
	if err != nil {
		return Rebuild{}, false
	}
	return b.PublishSearch(ix)
}
