// Package search builds the site's full-text search index at build time.
// It tokenises and stems every published page with the same rules as the
// JavaScript client (themes/default/assets/js/search.js), scores each term
// of each page with BM25 over weighted fields, and writes the index as
// small fingerprinted files: a metadata file, term shards (a query fetches
// only the shards of its words), a facet file and one display fragment per
// page. It also derives the facets (type, theme, setting, factor, audience,
// strength) that the findings index pages list.
package search

import (
	"context"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"
)

// Doc is one page as the index sees it.
type Doc struct {
	URL   string
	Title string
	// ID is a finding or recommendation ID ("F3"); it is searchable.
	ID string
	// Kind is the page kind ("finding"); KindLabel names it ("Finding").
	Kind      string
	KindLabel string
	Summary   string
	Headings  []string
	// Tags are the labels of the page's facet values ("Hospitals").
	Tags []string
	// Sections are the page's text by heading: the body field, and the
	// source of result excerpts.
	Sections []Section
	// Facets maps a facet name ("setting") to the page's value keys.
	Facets map[string][]string
}

// Section is the plain text under one heading of a page.
type Section struct {
	Anchor  string
	Heading string
	Text    string
}

// Field is a part of a page with its own weight in ranking.
type Field int

// The ranked fields, most important first.
const (
	FieldTitle Field = iota
	FieldHeadings
	FieldSummary
	FieldTags
	FieldBody
	numFields
)

// FieldWeight is how much one occurrence of a term in a field counts,
// relative to the body: title > headings > summary > tags > body.
func FieldWeight(f Field) float64 { return [numFields]float64{10, 5, 3, 2, 1}[f] }

// fieldB is BM25's length normalisation per field: long bodies are
// discounted more than long titles.
func fieldB(f Field) float64 { return [numFields]float64{0.5, 0.75, 0.5, 0.5, 0.75}[f] }

// bm25K1 is BM25's term-frequency saturation.
const bm25K1 = 1.2

// Options tune the index files.
type Options struct {
	// ShardBytes is the size a term shard grows to before a new one
	// starts (before compression); 0 means DefaultShardBytes.
	ShardBytes int
	// BlockSize is how many pages' fragments share one fingerprint; 0
	// means DefaultBlockSize.
	BlockSize int
	// Workers is the number of parallel workers; 0 means one per core.
	Workers int
	// Cache, when set, keeps pages' analysed text for the next build of
	// the same site; nil analyses every page.
	Cache *Cache
}

// Defaults of Options, chosen with BenchmarkIndex10k so that a two-word
// query downloads little while the metadata file stays small.
const (
	DefaultShardBytes = 12 << 10
	DefaultBlockSize  = 64
)

// FacetDef is one facet and its values in display order.
type FacetDef struct {
	// Name is the facet's key and URL parameter ("setting").
	Name  string
	Label string
	// Values are the facet's values in the editor's order.
	Values []FacetValue
}

// FacetValue is one value of a facet.
type FacetValue struct {
	Key   string
	Label string
}

// Index is a built search index.
type Index struct {
	Docs   []Doc
	Facets []FacetDef
	opts   Options
	terms  []termEntry
	shards []shardRange
	// docFacets[f][d] lists the value indexes of facet f on doc d.
	docFacets [][][]int
	files     []File
	metaPath  string
}

// termEntry is one term's posting list: the pages it occurs in (by
// index in Docs, ascending) and each page's quantised BM25 saturation.
type termEntry struct {
	term string
	// idf is the term's inverse document frequency ×100, rounded, so
	// that Go and JavaScript rank with the same integers.
	idf  int
	docs []int32
	// q is each page's saturation in units of the term's step: the page's
	// score for the term is idf × q × step.
	q []uint8
}

// QuantStep is the resolution of a term's saturation scores. A common
// term (low idf) adds little to any score, so coarse steps cost ranking
// nothing measurable while its long posting list compresses far better;
// a rare term keeps all 63 levels. The client derives the same step from
// the idf (search.js).
func QuantStep(idf int) int { return min(maxQ, max(1, quantBudget/max(idf, 1))) }

// quantBudget bounds idf × step, the largest rounding error of one term's
// score (out of up to ~900 × 63 per field-weighted unit).
const quantBudget = 250

// shardRange is the terms terms[lo:hi] stored in one file.
type shardRange struct {
	lo, hi int
	path   string
}

// File is one output file of the index, relative to the site root.
type File struct {
	Path string
	Data []byte
}

// maxQ is the largest quantised saturation: 6 bits, one character.
const maxQ = 63

// Build indexes docs (in the order given; their positions are the page
// numbers in every file) and encodes the index files.
func Build(docs []Doc, facets []FacetDef, opts Options) *Index {
	ix, _ := BuildContext(context.Background(), docs, facets, opts)
	return ix
}

// BuildContext is Build that gives up when ctx is done, returning ctx's
// error (hjp serve indexes in the background and drops an index a newer
// edit has made out of date). A cancelled build leaves opts.Cache as it
// was.
func BuildContext(ctx context.Context, docs []Doc, facets []FacetDef, opts Options) (*Index, error) {
	if opts.ShardBytes <= 0 {
		opts.ShardBytes = DefaultShardBytes
	}
	if opts.BlockSize <= 0 {
		opts.BlockSize = DefaultBlockSize
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	ix := &Index{Docs: docs, Facets: facets, opts: opts}
	if err := ix.index(ctx); err != nil {
		return nil, err
	}
	ix.indexFacets()
	if err := ix.encode(ctx); err != nil {
		return nil, err
	}
	return ix, nil
}

// checkEvery is how many pages (or, times 16, terms) are indexed or
// encoded between looks at whether the build was cancelled.
const checkEvery = 64

// docTerms is one analysed page: its distinct terms, each one's count in
// every field, and the length of every field in terms. A page analysed
// in this build has its terms as numbers in its analyser (ids), so that
// index merges the pages' terms without looking each up by string; a
// page from the cache, whose analyser is gone, has them as strings
// (terms), and so has every page kept in the cache.
type docTerms struct {
	terms []string
	ids   []int32
	tf    [][numFields]uint16
	lens  [numFields]int
}

// analyser counts the terms of pages; one per worker, reused. It numbers
// the distinct terms it meets so that a word costs one map lookup (its
// folded form to a number) and the rest is slice indexing.
type analyser struct {
	// ids maps a folded word to its term's number, or -1 when the word
	// is not indexed (a stop word, a single letter). Words of up to 8
	// bytes, most of them, are in short instead, by packWord.
	ids   map[string]int32
	short wordTable
	// terms[n] is term n; every page with the term shares the string.
	terms []string
	// termIDs maps a term to its number; only new words consult it.
	termIDs map[string]int32
	// slot[n] is term n's index in the current page's lists, or -1.
	slot []int32
	buf  []byte
	// Scratch lists of the current page, copied out at its end at
	// their exact size.
	scratchTF  [][numFields]uint16
	scratchIDs []int32
}

func newAnalyser() *analyser {
	return &analyser{ids: map[string]int32{}, termIDs: map[string]int32{}}
}

// packWord packs a word of up to 8 bytes into an integer, one byte per
// byte from the lowest. No two words pack the same: a word never holds a
// zero byte (it is the UTF-8 of letters and digits), so the zero padding
// marks where it ends.
func packWord(w []byte) uint64 {
	var k uint64
	for i := len(w) - 1; i >= 0; i-- {
		k = k<<8 | uint64(w[i])
	}
	return k
}

// wordTable maps packed words (packWord) to term numbers. It is a hash
// table with open addressing, linear probing and Fibonacci hashing, at
// most half full, so that a lookup is mostly one multiply and one
// compare of integers in one array; a Go map was twice the cost, and
// looking words up is most of the cost of analysing pages.
type wordTable struct {
	slots []wordSlot
	n     int
	shift uint // 64 - log2(len(slots))
}

type wordSlot struct {
	key uint64 // 0 when empty: no word packs to 0
	id  int32
}

func (t *wordTable) get(k uint64) (int32, bool) {
	mask := len(t.slots) - 1
	if mask < 0 {
		return 0, false
	}
	for i := int((k * 0x9E3779B97F4A7C15) >> t.shift); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.key == k {
			return s.id, true
		}
		if s.key == 0 {
			return 0, false
		}
	}
}

// put adds k, which the table does not hold.
func (t *wordTable) put(k uint64, id int32) {
	if 2*(t.n+1) > len(t.slots) {
		old := t.slots
		size := max(2*len(old), 1024)
		t.slots, t.n, t.shift = make([]wordSlot, size), 0, uint(64-bits.TrailingZeros(uint(size)))
		for _, s := range old {
			if s.key != 0 {
				t.put(s.key, s.id)
			}
		}
	}
	mask := len(t.slots) - 1
	i := int((k * 0x9E3779B97F4A7C15) >> t.shift)
	for t.slots[i].key != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = wordSlot{key: k, id: id}
	t.n++
}

// lookup returns the number of the term of a folded word (-1 when the word
// is not indexed), numbering the term if it is new.
func (a *analyser) lookup(word []byte) int32 {
	if len(word) > 0 && len(word) <= 8 {
		k := packWord(word)
		n, ok := a.short.get(k)
		if !ok {
			n = a.id(string(word))
			a.short.put(k, n)
		}
		return n
	}
	n, ok := a.ids[string(word)]
	if !ok {
		n = a.id(string(word))
		a.ids[string(word)] = n
	}
	return n
}

// id returns the number of the term of a folded word not met before.
func (a *analyser) id(word string) int32 {
	term, ok := Term(word)
	if !ok {
		return -1
	}
	n, ok := a.termIDs[term]
	if !ok {
		n = int32(len(a.terms))
		a.terms = append(a.terms, term)
		a.slot = append(a.slot, -1)
		a.termIDs[term] = n
	}
	return n
}

func (ix *Index) index(ctx context.Context) error {
	analysed := make([]docTerms, len(ix.Docs))
	cache := ix.opts.Cache
	// by[d] is the analyser of page d, nil for a page from the cache.
	by := make([]*analyser, len(ix.Docs))
	parallel(len(ix.Docs), ix.opts.Workers, func(lo, hi int) {
		var a *analyser
		for i := lo; i < hi; i++ {
			if (i-lo)%checkEvery == 0 && ctx.Err() != nil {
				return
			}
			if cache != nil {
				if dt, ok := cache.get(&ix.Docs[i]); ok {
					analysed[i] = dt
					continue
				}
			}
			if a == nil {
				a = newAnalyser()
			}
			analysed[i] = a.analyse(&ix.Docs[i])
			by[i] = a
		}
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	if cache != nil {
		keep := make([]docTerms, len(analysed))
		for d, dt := range analysed {
			if a := by[d]; a != nil {
				dt.terms = make([]string, len(dt.ids))
				for i, n := range dt.ids {
					dt.terms[i] = a.terms[n]
				}
				dt.ids = nil // numbers of this build's analysers, meaningless in the next
			}
			keep[d] = dt
		}
		cache.keep(ix.Docs, keep)
	}
	var avg [numFields]float64
	for _, a := range analysed {
		for f := range numFields {
			avg[f] += float64(a.lens[f])
		}
	}
	for f := range numFields {
		avg[f] = max(avg[f]/float64(max(len(analysed), 1)), 1)
	}
	// Number the terms of the whole index, map every analyser's numbers
	// to these, and count each term's pages, so that every posting list
	// is allocated once at its size and its idf is known before its
	// pages are scored.
	global := map[string]int32{}
	entry := func(term string) int32 {
		n, ok := global[term]
		if !ok {
			n = int32(len(ix.terms))
			global[term] = n
			ix.terms = append(ix.terms, termEntry{term: term})
		}
		return n
	}
	remap := map[*analyser][]int32{}
	for _, a := range by {
		if a == nil || remap[a] != nil {
			continue
		}
		m := make([]int32, len(a.terms))
		for i, term := range a.terms {
			m[i] = entry(term)
		}
		remap[a] = m
	}
	var df []int32
	pairs := 0
	for d := range analysed {
		dt := &analysed[d]
		if m := remap[by[d]]; m != nil {
			for i, n := range dt.ids {
				dt.ids[i] = m[n]
			}
		} else {
			dt.ids = make([]int32, len(dt.terms))
			for i, term := range dt.terms {
				dt.ids[i] = entry(term)
			}
		}
		for len(df) < len(ix.terms) {
			df = append(df, 0)
		}
		for _, n := range dt.ids {
			df[n]++
		}
		pairs += len(dt.ids)
	}
	docs, q := make([]int32, pairs), make([]uint8, pairs)
	steps := make([]float64, len(ix.terms))
	nDocs := float64(len(ix.Docs))
	for n := range ix.terms {
		e := &ix.terms[n]
		k := int(df[n])
		e.docs, e.q = docs[:0:k], q[:0:k]
		docs, q = docs[k:], q[k:]
		f := float64(k)
		e.idf = int(math.Round(100 * math.Log(1+(nDocs-f+0.5)/(f+0.5))))
		steps[n] = float64(QuantStep(e.idf))
	}
	for d := range analysed {
		if d%checkEvery == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		dt := &analysed[d]
		for i, n := range dt.ids {
			tf := &dt.tf[i]
			var w float64
			for f := range numFields {
				if tf[f] == 0 {
					continue
				}
				norm := 1 - fieldB(f) + fieldB(f)*float64(dt.lens[f])/avg[f]
				w += FieldWeight(f) * float64(tf[f]) / norm
			}
			sat := float32(w / (bm25K1 + w))
			e := &ix.terms[n]
			e.docs = append(e.docs, int32(d))
			e.q = append(e.q, uint8(min(max(math.Round(float64(sat)*maxQ/steps[n]), 1), maxQ)))
		}
		analysed[d] = docTerms{}
	}
	slices.SortFunc(ix.terms, func(a, b termEntry) int { return CompareUTF16(a.term, b.term) })
	return ctx.Err()
}

// analyse counts the terms of each field of d.
func (a *analyser) analyse(d *Doc) docTerms {
	var lens [numFields]int
	tf, ids := a.scratchTF[:0], a.scratchIDs[:0]
	add := func(f Field, text string) {
		a.buf = eachWord(text, a.buf, func(word []byte, _, _ int) {
			n := a.lookup(word)
			if n < 0 {
				return
			}
			i := a.slot[n]
			if i < 0 {
				i = int32(len(ids))
				a.slot[n] = i
				tf = append(tf, [numFields]uint16{})
				ids = append(ids, n)
			}
			if tf[i][f] < math.MaxUint16 {
				tf[i][f]++
			}
			lens[f]++
		})
	}
	add(FieldTitle, d.Title)
	add(FieldTitle, d.ID)
	for _, h := range d.Headings {
		add(FieldHeadings, h)
	}
	add(FieldSummary, d.Summary)
	for _, t := range d.Tags {
		add(FieldTags, t)
	}
	for _, s := range d.Sections {
		add(FieldBody, s.Text)
	}
	for _, n := range ids {
		a.slot[n] = -1
	}
	a.scratchTF, a.scratchIDs = tf, ids
	return docTerms{tf: slices.Clone(tf), ids: slices.Clone(ids), lens: lens}
}

// indexFacets records, per facet and page, the indexes of the page's
// values, in value order.
func (ix *Index) indexFacets() {
	ix.docFacets = make([][][]int, len(ix.Facets))
	for f, def := range ix.Facets {
		pos := map[string]int{}
		for i, v := range def.Values {
			pos[v.Key] = i
		}
		per := make([][]int, len(ix.Docs))
		for d := range ix.Docs {
			for _, key := range ix.Docs[d].Facets[def.Name] {
				if i, ok := pos[key]; ok && !slices.Contains(per[d], i) {
					per[d] = append(per[d], i)
				}
			}
			slices.Sort(per[d])
		}
		ix.docFacets[f] = per
	}
}

// Totals counts, per facet and value, the pages that have the value.
func (ix *Index) Totals() map[string]map[string]int {
	all := make([]int, len(ix.Docs))
	for i := range all {
		all[i] = i
	}
	counts, _ := ix.facetCounts(all, nil)
	return counts
}

// Shed frees what only queries need, the pages' text and the posting
// lists, keeping the encoded files, the facets and their totals: all a
// build publishes. A site build calls it before rendering the pages, so
// the text is not held twice (here and in the encoded files) while they
// render. Search on a shed index finds nothing.
func (ix *Index) Shed() {
	for i := range ix.Docs {
		ix.Docs[i] = Doc{URL: ix.Docs[i].URL, Kind: ix.Docs[i].Kind, Facets: ix.Docs[i].Facets}
	}
}

// Files returns every file of the index, paths relative to the site root.
// The slice is the index's own: a build that has written a file may set
// its Data to nil to let go of it (render.Output.Release does).
func (ix *Index) Files() []File { return ix.files }

// MetaURL is the site path of the metadata file, the client's entry
// point; the search page names it.
func (ix *Index) MetaURL() string { return "/" + ix.metaPath }

// Size returns the number of files and their total bytes.
func (ix *Index) Size() (files, bytes int) {
	for _, f := range ix.files {
		bytes += len(f.Data)
	}
	return len(ix.files), bytes
}

// CompareUTF16 orders strings as JavaScript does (by UTF-16 code units),
// so that Go and the client agree on the order of terms in shards.
func CompareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := decodeRune(a)
		rb, nb := decodeRune(b)
		if ra != rb {
			ua, ub := utf16Key(ra), utf16Key(rb)
			if ua != ub {
				if ua < ub {
					return -1
				}
				return 1
			}
		}
		a, b = a[na:], b[nb:]
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

// utf16Key maps a rune to a value that orders like its first UTF-16 code
// unit, with surrogate pairs ordered among themselves by code point.
func utf16Key(r rune) int64 {
	if r < 0x10000 {
		return int64(r) << 21
	}
	hi := 0xD800 + (r-0x10000)>>10
	return int64(hi)<<21 | int64(r)
}

// parallel splits [0, n) into chunks and runs fn on workers goroutines.
func parallel(n, workers int, fn func(lo, hi int)) {
	workers = max(min(workers, n), 1)
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Go(func() { fn(lo, hi) })
	}
	wg.Wait()
}
