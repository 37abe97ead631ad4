package search

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"hjp/internal/jsonstr"
)

// Dir is the output folder of the index files, under the site root.
const Dir = "search/index"

// FormatVersion changes whenever the file format does; the client checks
// it so that a page cached from an older build fails clearly.
const FormatVersion = 1

// digits is the alphabet of the compact number encoding: 64 characters
// that need no escaping in JSON or URLs.
const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"

// appendVarint appends n in base 32, least significant digit first; a
// digit of 32 or more means more digits follow.
func appendVarint(b []byte, n int) []byte {
	for n >= 32 {
		b = append(b, digits[32|n&31])
		n >>= 5
	}
	return append(b, digits[n])
}

// appendDocs appends ascending page numbers as gaps: the first page
// number, then each difference minus one.
func appendDocs(b []byte, docs []int32, q []uint8) []byte {
	prev := int32(-1)
	for i, d := range docs {
		b = appendVarint(b, int(d-prev-1))
		prev = d
		if q != nil {
			b = append(b, digits[q[i]])
		}
	}
	return b
}

// appendDocSet appends a set of ascending page numbers in the shorter of
// two forms: as gaps (appendDocs), or, after a "~", as runs of
// consecutive pages, each a gap to its first page and its length minus
// one. Facet values that whole sections share are runs.
func appendDocSet(b []byte, docs []int32) []byte {
	var runs []byte
	runs = append(runs, '~')
	prev := int32(-1)
	for i := 0; i < len(docs); {
		j := i
		for j+1 < len(docs) && docs[j+1] == docs[j]+1 {
			j++
		}
		runs = appendVarint(runs, int(docs[i]-prev-1))
		runs = appendVarint(runs, j-i)
		prev = docs[j]
		i = j + 1
	}
	list := appendDocs(nil, docs, nil)
	if len(runs) < len(list) {
		return append(b, runs...)
	}
	return append(b, list...)
}

// metaFile is the client's entry point.
type metaFile struct {
	Version int `json:"version"`
	// Docs is the number of pages.
	Docs int `json:"docs"`
	// ShardFrom[i] is the first term of shard i; ShardFiles[i] its file.
	ShardFrom  []string `json:"shardFrom"`
	ShardFiles []string `json:"shardFiles"`
	Facets     string   `json:"facets"`
	// Pages names the display fragments: page d is
	// "page/<d>.<PageHashes[d/PageBlock]>.json".
	PageBlock  int      `json:"pageBlock"`
	PageHashes []string `json:"pageHashes"`
}

// shardFile holds the posting lists of a range of terms.
type shardFile struct {
	Terms []string `json:"terms"`
	IDF   []int    `json:"idf"`
	// Postings[i] lists the pages of Terms[i], each as a gap (see
	// appendDocs) followed by one digit of quantised saturation.
	Postings []string `json:"postings"`
}

type facetsFile struct {
	Facets []facetJSON `json:"facets"`
}

type facetJSON struct {
	Name   string           `json:"name"`
	Label  string           `json:"label"`
	Values []facetValueJSON `json:"values"`
}

type facetValueJSON struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	// Docs lists the pages with this value (see appendDocSet).
	Docs string `json:"docs"`
}

// maxFragmentText bounds the body text kept for excerpts, per page.
const maxFragmentText = 20000

func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // only plain structs of strings and numbers reach here
	}
	// A copy of exactly the encoded size: the buffer grew by doubling,
	// and the page and shard files are held until the site is written.
	return bytes.Clone(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

func hash(data ...[]byte) string {
	h := sha256.New()
	for _, d := range data {
		h.Write(d)
	}
	return hex.EncodeToString(h.Sum(nil)[:5])
}

func (ix *Index) encode(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	meta := metaFile{Version: FormatVersion, Docs: len(ix.Docs), PageBlock: ix.opts.BlockSize}
	var files []File
	for _, sh := range ix.cutShards() {
		files = append(files, File{Path: Dir + "/" + sh.path, Data: sh.data})
		meta.ShardFrom = append(meta.ShardFrom, ix.terms[sh.lo].term)
		meta.ShardFiles = append(meta.ShardFiles, sh.path)
		ix.shards = append(ix.shards, shardRange{lo: sh.lo, hi: sh.hi, path: sh.path})
	}
	fdata := ix.encodeFacets()
	meta.Facets = "facets." + hash(fdata) + ".json"
	files = append(files, File{Path: Dir + "/" + meta.Facets, Data: fdata})

	frags := make([][]byte, len(ix.Docs))
	parallel(len(ix.Docs), ix.opts.Workers, func(lo, hi int) {
		var buf []byte
		for d := lo; d < hi; d++ {
			if (d-lo)%checkEvery == 0 && ctx.Err() != nil {
				return
			}
			buf = appendFragment(buf[:0], &ix.Docs[d])
			frags[d] = bytes.Clone(buf)
		}
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	for lo := 0; lo < len(frags); lo += meta.PageBlock {
		block := frags[lo:min(lo+meta.PageBlock, len(frags))]
		h := hash(append([][]byte{[]byte(strconv.Itoa(lo))}, block...)...)
		meta.PageHashes = append(meta.PageHashes, h)
		for i, f := range block {
			files = append(files, File{Path: Dir + "/page/" + strconv.Itoa(lo+i) + "." + h + ".json", Data: f})
		}
	}
	mdata := marshal(meta)
	ix.metaPath = Dir + "/meta." + hash(mdata) + ".json"
	ix.files = append(files, File{Path: ix.metaPath, Data: mdata})
	return nil
}

type encodedShard struct {
	lo, hi int
	path   string
	data   []byte
}

// cutShards packs the sorted terms into files of about ShardBytes each;
// a term is never split, so a very common term may fill a shard alone.
// (Cutting by compressed size instead measured slightly worse:
// BenchmarkIndex10k's meta+shards-gzB.)
func (ix *Index) cutShards() []encodedShard {
	var out []encodedShard
	var cur shardFile
	size, lo := 0, 0
	flush := func(hi int) {
		if hi == lo {
			return
		}
		data := marshal(cur)
		out = append(out, encodedShard{lo: lo, hi: hi, path: "shard/" + hash(data) + ".json", data: data})
		cur, size, lo = shardFile{}, 0, hi
	}
	var buf []byte
	for i := range ix.terms {
		e := &ix.terms[i]
		buf = appendDocs(buf[:0], e.docs, e.q)
		n := len(buf) + len(e.term) + 12
		if size > 0 && size+n > ix.opts.ShardBytes {
			flush(i)
		}
		cur.Terms = append(cur.Terms, e.term)
		cur.IDF = append(cur.IDF, e.idf)
		cur.Postings = append(cur.Postings, string(buf))
		size += n
	}
	flush(len(ix.terms))
	return out
}

func (ix *Index) encodeFacets() []byte {
	var ff facetsFile
	for f, def := range ix.Facets {
		fj := facetJSON{Name: def.Name, Label: def.Label, Values: []facetValueJSON{}}
		for v, val := range def.Values {
			var docs []int32
			for d, vals := range ix.docFacets[f] {
				for _, x := range vals {
					if x == v {
						docs = append(docs, int32(d))
					}
				}
			}
			fj.Values = append(fj.Values, facetValueJSON{Key: val.Key, Label: val.Label, Docs: string(appendDocSet(nil, docs))})
		}
		ff.Facets = append(ff.Facets, fj)
	}
	return marshal(ff)
}

// appendFragment appends page d's display fragment, what a result shows
// of the page: the JSON object
//
//	{"url": …, "title": …, "id": …, "kind": …, "summary": …,
//	 "sections": [[anchor, heading, text], …]}
//
// (kind is the kind's label; id, summary and sections are left out when
// empty), with no space, keys in this order and strings escaped as
// encoding/json escapes them without HTML escaping (the Encoder of
// marshal). It is written by hand because encoding/json's reflection was
// most of the cost of encoding the index; TestAppendFragment holds the two
// to the same bytes.
func appendFragment(b []byte, d *Doc) []byte {
	b = append(b, `{"url":`...)
	b = jsonstr.Append(b, d.URL, false)
	b = append(b, `,"title":`...)
	b = jsonstr.Append(b, d.Title, false)
	if d.ID != "" {
		b = append(b, `,"id":`...)
		b = jsonstr.Append(b, d.ID, false)
	}
	b = append(b, `,"kind":`...)
	b = jsonstr.Append(b, d.KindLabel, false)
	if d.Summary != "" {
		b = append(b, `,"summary":`...)
		b = jsonstr.Append(b, d.Summary, false)
	}
	n := 0
	excerpts(d, func(s *Section, text string) {
		if n == 0 {
			b = append(b, `,"sections":[`...)
		} else {
			b = append(b, ',')
		}
		n++
		b = append(b, '[')
		b = jsonstr.Append(b, s.Anchor, false)
		b = append(b, ',')
		b = jsonstr.Append(b, s.Heading, false)
		b = append(b, ',')
		b = jsonstr.Append(b, text, false)
		b = append(b, ']')
	})
	if n > 0 {
		b = append(b, ']')
	}
	return append(b, '}')
}

// excerpts calls fn with each section of d that its fragment shows and
// the section's text there: the text up to maxFragmentText bytes in all,
// cut at a word; sections with neither text nor heading are left out.
func excerpts(d *Doc, fn func(s *Section, text string)) {
	budget := maxFragmentText
	for i := range d.Sections {
		s := &d.Sections[i]
		if budget <= 0 {
			return
		}
		text := truncateWords(s.Text, budget)
		budget -= len(text)
		if text == "" && s.Heading == "" {
			continue
		}
		fn(s, text)
	}
}

// truncateWords cuts s to at most n bytes, at a space when there is one.
func truncateWords(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if i := strings.LastIndexByte(s[:cut], ' '); i > n/2 {
		cut = i
	}
	return s[:cut] + " …"
}

func decodeRune(s string) (rune, int) { return utf8.DecodeRuneInString(s) }

// MetaFiles returns the paths, relative to the site root, of every index
// file the metadata file meta names: what a client that loaded it may
// fetch.
func MetaFiles(meta []byte) ([]string, error) {
	var m metaFile
	if err := json.Unmarshal(meta, &m); err != nil {
		return nil, err
	}
	out := []string{Dir + "/" + m.Facets}
	for _, f := range m.ShardFiles {
		out = append(out, Dir+"/"+f)
	}
	for d := range m.Docs {
		if m.PageBlock <= 0 || d/m.PageBlock >= len(m.PageHashes) {
			return nil, fmt.Errorf("metadata names no fragment for page %d", d)
		}
		out = append(out, Dir+"/page/"+strconv.Itoa(d)+"."+m.PageHashes[d/m.PageBlock]+".json")
	}
	return out, nil
}
