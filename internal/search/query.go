package search

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Query rules shared with the JavaScript client; a change here must be
// made there too (the ranking fixtures and golden results catch a drift).
const (
	// exactWeight and prefixWeight scale a term found as typed and a
	// term found by completing the last word.
	exactWeight  = 10
	prefixWeight = 7
	// minPrefix is the shortest last word that is completed.
	minPrefix = 3
	// maxExpansions bounds how many completions the last word gets (the
	// most frequent, by idf, win); maxPrefixShards bounds the shards fetched for them.
	maxExpansions   = 30
	maxPrefixShards = 4
)

// Query is a search: text typed by the reader and facet filters (facet
// name → selected value keys; a page needs one of the values of every
// filtered facet).
type Query struct {
	Text    string
	Filters map[string][]string
}

// Result is the answer to a Query.
type Result struct {
	// Docs are the matching pages, best first.
	Docs []int
	// Scores are the pages' scores, in the order of Docs.
	Scores []int
	// Counts gives, per facet and value, how many pages would match if
	// the value were chosen in place of the facet's current selection.
	Counts map[string]map[string]int
	// Missing lists words of the query that no page contains.
	Missing []string
	// Partial is true when no page has every word, so pages with some of
	// them are shown.
	Partial bool
}

// queryWord is one word of a query and the terms it matches.
type queryWord struct {
	word  string
	group []weightedTerm
	// last is true for the word being typed (completed by prefix).
	last bool
}

type weightedTerm struct {
	term   *termEntry
	weight int
}

// ParseQuery splits query text into words. The last word is completed as
// a prefix unless the text ends with a space or punctuation.
func ParseQuery(text string) (words []string, prefix bool) {
	for _, t := range Tokens(text) {
		words = append(words, t.Word)
	}
	if r, _ := utf8.DecodeLastRuneInString(text); len(words) > 0 && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)) {
		prefix = true
	}
	return words, prefix
}

// Search runs q against the index as the browser client does.
func (ix *Index) Search(q Query) Result {
	words, prefix := ParseQuery(q.Text)
	var res Result
	var active [][]weightedTerm
	for i, w := range words {
		qw := ix.lookup(w, prefix && i == len(words)-1)
		switch {
		case len(qw.group) > 0:
			active = append(active, qw.group)
		case isMissing(qw):
			res.Missing = append(res.Missing, w)
		}
	}
	var docs []int
	var scores map[int]int
	switch {
	case len(active) > 0:
		docs, scores = combine(active, true)
		if len(docs) == 0 && len(active) > 1 {
			docs, scores = combine(active, false)
			res.Partial = true
		}
	case len(res.Missing) == 0 && hasFilters(q.Filters):
		// Only filters (the words, if any, are stop words or too short to
		// complete): list every page that passes them.
		docs = make([]int, len(ix.Docs))
		for i := range docs {
			docs[i] = i
		}
	}
	res.Counts, docs = ix.facetCounts(docs, q.Filters)
	slices.SortFunc(docs, func(a, b int) int { return cmp.Or(cmp.Compare(scores[b], scores[a]), cmp.Compare(a, b)) })
	res.Docs = docs
	for _, d := range docs {
		res.Scores = append(res.Scores, scores[d])
	}
	return res
}

// isMissing reports whether an unmatched word should be named to the
// reader: not a stop word, and not a word still too short to complete.
func isMissing(qw queryWord) bool {
	if _, ok := Term(qw.word); !ok {
		return false
	}
	return !qw.last || utf8.RuneCountInString(qw.word) >= minPrefix
}

// lookup finds the terms a query word matches: its own term, and for the
// word being typed the most frequent terms that complete it.
func (ix *Index) lookup(word string, last bool) queryWord {
	qw := queryWord{word: word, last: last}
	term, ok := Term(word)
	if ok {
		if e := ix.find(term); e != nil {
			qw.group = append(qw.group, weightedTerm{e, exactWeight})
		}
	}
	if !last || utf8.RuneCountInString(word) < minPrefix {
		return qw
	}
	var cands []*termEntry
	seen := map[string]bool{term: true}
	add := func(e *termEntry) {
		if !seen[e.term] {
			seen[e.term] = true
			cands = append(cands, e)
		}
	}
	first := ix.shardOf(word)
	for s := first; s < len(ix.shards) && s < first+maxPrefixShards; s++ {
		if s > first && !strings.HasPrefix(ix.terms[ix.shards[s].lo].term, word) {
			break
		}
		for i := ix.shards[s].lo; i < ix.shards[s].hi; i++ {
			if strings.HasPrefix(ix.terms[i].term, word) {
				add(&ix.terms[i])
			}
		}
	}
	// The word typed so far may already hold its stem: "housin" → "hous".
	runes := []rune(word)
	for n := len(runes) - 1; n >= max(minPrefix, len(runes)-2); n-- {
		if e := ix.find(string(runes[:n])); e != nil {
			add(e)
		}
	}
	// Most frequent first: a lower idf means more pages.
	slices.SortFunc(cands, func(a, b *termEntry) int {
		return cmp.Or(cmp.Compare(a.idf, b.idf), CompareUTF16(a.term, b.term))
	})
	for _, e := range cands[:min(len(cands), maxExpansions)] {
		qw.group = append(qw.group, weightedTerm{e, prefixWeight})
	}
	return qw
}

// shardOf returns the shard that holds term if it exists: the last shard
// whose first term is not after it.
func (ix *Index) shardOf(term string) int {
	i, _ := slices.BinarySearchFunc(ix.shards, term, func(s shardRange, t string) int {
		return CompareUTF16(ix.terms[s.lo].term, t)
	})
	if i < len(ix.shards) && ix.terms[ix.shards[i].lo].term == term {
		return i
	}
	return max(i-1, 0)
}

// find returns the posting list of a term, or nil.
func (ix *Index) find(term string) *termEntry {
	i, ok := slices.BinarySearchFunc(ix.terms, term, func(e termEntry, t string) int { return CompareUTF16(e.term, t) })
	if !ok {
		return nil
	}
	return &ix.terms[i]
}

// combine scores pages against the words' groups: a page's score for a
// group is its best weighted term score there, and its total the sum over
// groups. With all, a page must match every group. A page matches a group
// when it holds one of the group's terms, even one so common that its
// score is 0.
func combine(groups [][]weightedTerm, all bool) ([]int, map[int]int) {
	scores := map[int]int{}
	hits := map[int]int{}
	for _, g := range groups {
		best := map[int]int{}
		for _, wt := range g {
			unit := wt.weight * wt.term.idf * QuantStep(wt.term.idf)
			for i, d := range wt.term.docs {
				s := unit * int(wt.term.q[i])
				if b, ok := best[int(d)]; !ok || s > b {
					best[int(d)] = s
				}
			}
		}
		for d, s := range best {
			scores[d] += s
			hits[d]++
		}
	}
	var docs []int
	for d := range scores {
		if !all || hits[d] == len(groups) {
			docs = append(docs, d)
		}
	}
	return docs, scores
}

// facetCounts filters docs by the query's facet filters and counts the
// values of every facet. A facet's counts ignore its own selection, so a
// reader sees how many pages each alternative value would give.
func (ix *Index) facetCounts(docs []int, filters map[string][]string) (map[string]map[string]int, []int) {
	sel := make([][]bool, len(ix.Facets))
	for f, def := range ix.Facets {
		keys := filters[def.Name]
		if len(keys) == 0 {
			continue
		}
		sel[f] = make([]bool, len(def.Values))
		for v, val := range def.Values {
			sel[f][v] = slices.Contains(keys, val.Key)
		}
	}
	counts := map[string]map[string]int{}
	counted := make([][]int, len(ix.Facets))
	for f, def := range ix.Facets {
		counted[f] = make([]int, len(def.Values))
	}
	var kept []int
	for _, d := range docs {
		failed, fails := -1, 0
		for f := range ix.Facets {
			if sel[f] != nil && !hasAny(ix.docFacets[f][d], sel[f]) {
				failed = f
				fails++
			}
		}
		if fails == 0 {
			kept = append(kept, d)
		}
		for f := range ix.Facets {
			if fails == 0 || fails == 1 && failed == f {
				for _, v := range ix.docFacets[f][d] {
					counted[f][v]++
				}
			}
		}
	}
	for f, def := range ix.Facets {
		m := map[string]int{}
		for v, val := range def.Values {
			m[val.Key] = counted[f][v]
		}
		counts[def.Name] = m
	}
	return counts, kept
}

func hasFilters(filters map[string][]string) bool {
	for _, v := range filters {
		if len(v) > 0 {
			return true
		}
	}
	return false
}

func hasAny(vals []int, sel []bool) bool {
	for _, v := range vals {
		if sel[v] {
			return true
		}
	}
	return false
}
