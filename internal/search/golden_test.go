package search

import (
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// goldenOptions cut the fixture index into several shards, so that the
// Node tests, which read the golden copy, exercise shard lookups.
var goldenOptions = Options{ShardBytes: 1024, BlockSize: 8}

// rankingResult is one fixture query's full result, as the Node tests
// expect it.
type rankingResult struct {
	Query   string                    `json:"query"`
	Filters map[string][]string       `json:"filters"`
	Docs    []int                     `json:"docs"`
	Scores  []int                     `json:"scores"`
	Missing []string                  `json:"missing"`
	Partial bool                      `json:"partial"`
	Counts  map[string]map[string]int `json:"counts"`
}

func rankingResults(t *testing.T, ix *Index) []rankingResult {
	var out []rankingResult
	for _, v := range readVectors(t, "testdata/ranking.tsv") {
		text := strings.TrimPrefix(v[0], "-")
		filters := parseFilters(t, v[1])
		res := ix.Search(Query{Text: text, Filters: filters})
		out = append(out, rankingResult{
			Query: text, Filters: filters, Docs: orEmpty(res.Docs), Scores: orEmpty(res.Scores),
			Missing: orEmpty(res.Missing), Partial: res.Partial, Counts: res.Counts,
		})
	}
	return out
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// TestGoldenIndex compares the fixture site's index files and the full
// results of the ranking fixtures with the copies in testdata/index and
// testdata/ranking-results.json, which the Node tests read. Run with
// -update after a deliberate change and review the diff.
func TestGoldenIndex(t *testing.T) {
	ix := BuildSite(fixtureGraph(t, false), goldenOptions)
	if len(ix.shards) < 3 {
		t.Fatalf("the golden index should span several shards, has %d", len(ix.shards))
	}
	results, err := json.MarshalIndent(rankingResults(t, ix), "", " ")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{}
	for _, f := range ix.Files() {
		want[strings.TrimPrefix(f.Path, Dir+"/")] = f.Data
	}
	dir := filepath.Join("testdata", "index")
	if *update {
		os.RemoveAll(dir)
		for name, data := range want {
			p := filepath.Join(dir, filepath.FromSlash(name))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join("testdata", "ranking-results.json"), append(results, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got := map[string][]byte{}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		got[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatalf("%v (run go test ./internal/search -update)", err)
	}
	for name, data := range want {
		if string(got[name]) != string(data) {
			t.Errorf("testdata/index/%s is missing or stale (run go test ./internal/search -update)", name)
		}
	}
	for name := range got {
		if want[name] == nil {
			t.Errorf("testdata/index/%s is no longer written (run go test ./internal/search -update)", name)
		}
	}
	old, _ := os.ReadFile(filepath.Join("testdata", "ranking-results.json"))
	if strings.TrimSpace(string(old)) != string(results) {
		t.Error("testdata/ranking-results.json is stale (run go test ./internal/search -update)")
	}
}

// TestShardSizeDoesNotChangeResults runs the fixtures against indexes cut
// into one shard and into many: files change, answers must not.
func TestShardSizeDoesNotChangeResults(t *testing.T) {
	g := fixtureGraph(t, false)
	one := rankingResults(t, BuildSite(g, Options{}))
	many := rankingResults(t, BuildSite(g, Options{ShardBytes: 200, BlockSize: 3}))
	if !reflect.DeepEqual(one, many) {
		for i := range one {
			if !reflect.DeepEqual(one[i], many[i]) {
				t.Errorf("%q: one shard %v, many %v", one[i].Query, one[i].Docs, many[i].Docs)
			}
		}
	}
}

// TestShardContents decodes every shard and checks that the terms are in
// order, each in the shard the metadata file sends a client to, and that
// every posting list names real pages in ascending order.
func TestShardContents(t *testing.T) {
	ix := BuildSite(fixtureGraph(t, false), Options{ShardBytes: 300})
	files := map[string][]byte{}
	for _, f := range ix.Files() {
		files[f.Path] = f.Data
	}
	var meta metaFile
	if err := json.Unmarshal(files[strings.TrimPrefix(ix.MetaURL(), "/")], &meta); err != nil {
		t.Fatal(err)
	}
	if meta.Docs != len(ix.Docs) || len(meta.ShardFiles) != len(ix.shards) || len(meta.ShardFiles) < 5 {
		t.Fatalf("meta: %d docs, %d shards (index has %d docs, %d shards)", meta.Docs, len(meta.ShardFiles), len(ix.Docs), len(ix.shards))
	}
	var all []string
	for i, name := range meta.ShardFiles {
		var sh shardFile
		if err := json.Unmarshal(files[Dir+"/"+name], &sh); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if sh.Terms[0] != meta.ShardFrom[i] {
			t.Errorf("shard %d starts with %q, meta says %q", i, sh.Terms[0], meta.ShardFrom[i])
		}
		if !strings.HasPrefix(name, "shard/") || name != "shard/"+hash(files[Dir+"/"+name])+".json" {
			t.Errorf("shard %s is not named by its content", name)
		}
		for j, term := range sh.Terms {
			if got := ix.shardOf(term); got != i {
				t.Errorf("term %q is in shard %d, lookup goes to %d", term, i, got)
			}
			docs, q := decodeDocs(t, sh.Postings[j])
			if len(docs) == 0 || !slices.IsSorted(docs) || docs[len(docs)-1] >= len(ix.Docs) {
				t.Errorf("%q: bad posting list %v", term, docs)
			}
			for _, x := range q {
				if x < 1 || x > maxQ {
					t.Errorf("%q: score %d out of range", term, x)
				}
			}
		}
		all = append(all, sh.Terms...)
	}
	if !slices.IsSortedFunc(all, CompareUTF16) || len(all) != len(ix.terms) {
		t.Errorf("terms across shards: %d, sorted %v; index has %d", len(all), slices.IsSortedFunc(all, CompareUTF16), len(ix.terms))
	}
	// Spot-check one posting list against the pages' text.
	e := ix.find("consent")
	if e == nil {
		t.Fatal("no term consent")
	}
	var got []string
	for _, d := range e.docs {
		got = append(got, ix.Docs[d].URL)
	}
	if want := []string{"/guide/information-sharing/"}; !slices.Equal(got, want) {
		t.Errorf("consent occurs on %v, want %v", got, want)
	}
}

// decodeDocs is the Go twin of the client's decoder, for tests.
func decodeDocs(t *testing.T, s string) (docs []int, q []int) {
	prev := -1
	for i := 0; i < len(s); {
		n, shift := 0, 0
		for {
			v := strings.IndexByte(digits, s[i])
			i++
			n |= (v & 31) << shift
			shift += 5
			if v < 32 {
				break
			}
		}
		prev += n + 1
		docs = append(docs, prev)
		if i >= len(s) {
			t.Fatalf("posting list %q ends without a score", s)
		}
		q = append(q, strings.IndexByte(digits, s[i]))
		i++
	}
	return docs, q
}

func TestDraftsNeverIndexed(t *testing.T) {
	// Even a preview build that renders drafts keeps them out of the index.
	g := fixtureGraph(t, true)
	if p := g.ByID("F9"); p == nil || !p.Meta.Draft {
		t.Fatal("the fixture's draft finding F9 should be in a drafts build's graph")
	}
	ix := BuildSite(g, Options{})
	for _, d := range ix.Docs {
		if strings.Contains(d.URL, "draft") {
			t.Errorf("draft %s is indexed", d.URL)
		}
	}
	for _, f := range ix.Files() {
		if strings.Contains(string(f.Data), "ebrafish") || strings.Contains(string(f.Data), "Zebra crossings") {
			t.Errorf("%s holds text of the draft", f.Path)
		}
	}
	if ix.find("zebrafish") != nil {
		t.Error("the draft's words are terms")
	}
}

func TestDocSetEncoding(t *testing.T) {
	tests := []struct {
		docs []int32
		want string
	}{
		{[]int32{0, 1, 2, 3, 4}, "~04"},              // one run
		{[]int32{0, 1, 2, 3, 4, 9, 10, 11}, "~0442"}, // runs 0-4 (gap 0, 4 more) and 9-11 (gap 4, 2 more)
		{[]int32{2, 5, 6}, "220"},                    // gaps are shorter than "~2021"
		{[]int32{100}, "a3"},                         // 100 = 4 + 3×32: "a" (32+4) then "3"
		{nil, ""},
	}
	for _, tt := range tests {
		if got := string(appendDocSet(nil, tt.docs)); got != tt.want {
			t.Errorf("appendDocSet(%v) = %q, want %q", tt.docs, got, tt.want)
		}
	}
}
