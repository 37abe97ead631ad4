package search

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"hjp/internal/corpus"
	"hjp/internal/testsite"
)

// The index benchmarks build the search index of a synthetic corpus
// (internal/corpus, seed 1) and report its size and what the browser
// downloads for a two-word query. The 10,000-page one is skipped with
// -short (how CI runs benchmarks once):
//
//	go test -run '^$' -bench Index -benchtime 3x ./internal/search
//
// HJP_SHARD_BYTES overrides Options.ShardBytes, to tune it.
//
// The browser side (query time in Chromium, and the comparison with
// Pagefind) is BenchmarkSearchBrowser10k in browser_bench_test.go.

// benchQuery is the typical two-word query the download is measured for;
// benchQueries more of them.
const benchQuery = "housing debt"

var benchQueries = []string{"housing debt", "rent arrears", "consent records", "benefit claims", "referral pathway",
	"waiting times", "fuel debts", "staff training", "case notes", "interpreting needs"}

func benchIndex(b *testing.B, n int) {
	if n > 1000 && testing.Short() {
		b.Skip("large corpus: run without -short")
	}
	fsys, err := corpus.FS(n, 1)
	if err != nil {
		b.Fatal(err)
	}
	g := loadGraph(b, fsys, false)
	var ix *Index
	b.ReportAllocs()
	opts := Options{}
	if v := os.Getenv("HJP_SHARD_BYTES"); v != "" {
		opts.ShardBytes, _ = strconv.Atoi(v)
	}
	cpu0 := cpuTime()
	for b.Loop() {
		ix = BuildSite(g, opts)
	}
	// CPU time, not only wall time: the index is built on every core,
	// and on a shared machine wall time varies with the other load.
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
	files, total := ix.Size()
	d := ix.Download(benchQuery, 10)
	js, _ := os.ReadFile(filepath.Join(testsite.Root(), "themes", "default", "assets", "js", "search.js"))
	b.ReportMetric(float64(files), "files")
	b.ReportMetric(float64(total)/1e6, "index-MB")
	gz := 0
	for _, f := range ix.Files() {
		gz += gzipLen(f.Data)
	}
	b.ReportMetric(float64(gz)/1e6, "index-gz-MB")
	b.ReportMetric(float64(len(ix.shards)), "shards")
	b.ReportMetric(float64(d.Meta), "meta-gzB")
	b.ReportMetric(float64(d.Facets), "facets-gzB")
	b.ReportMetric(float64(d.Shards), "shards-gzB")
	b.ReportMetric(float64(d.Pages), "pages-gzB")
	b.ReportMetric(float64(d.Meta+d.Shards+d.Pages+gzipLen(js)), "query-gzB")
	// The mean, over typical two-word queries, of what finding the
	// results costs: the metadata and the shards.
	sum := 0
	for _, q := range benchQueries {
		d := ix.Download(q, 10)
		sum += d.Meta + d.Shards
	}
	b.ReportMetric(float64(sum)/float64(len(benchQueries)), "meta+shards-gzB")
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkIndex1k indexes 1,000 pages.
func BenchmarkIndex1k(b *testing.B) { benchIndex(b, 1000) }

// BenchmarkIndex10k indexes 10,000 pages.
func BenchmarkIndex10k(b *testing.B) { benchIndex(b, 10000) }

// download is what a browser fetches, gzipped, to show the first page of
// results of a query (the search module itself aside).
type download struct {
	Meta, Facets, Shards, Pages int
	ShardFiles                  int
}

// Download works out the files the client fetches for query, as
// search.js plans them, and their gzipped sizes.
func (ix *Index) Download(query string, pageSize int) download {
	files := map[string][]byte{}
	for _, f := range ix.Files() {
		files[f.Path] = f.Data
	}
	var d download
	d.Meta = gzipLen(files[strings.TrimPrefix(ix.MetaURL(), "/")])
	for p, data := range files {
		if strings.HasPrefix(p, Dir+"/facets.") {
			d.Facets = gzipLen(data)
		}
	}
	need := map[int]bool{}
	words, prefix := ParseQuery(query)
	for i, w := range words {
		last := prefix && i == len(words)-1
		if t, ok := Term(w); ok {
			need[ix.shardOf(t)] = true
		}
		if !last || len([]rune(w)) < minPrefix {
			continue
		}
		first := ix.shardOf(w)
		for s := first; s < len(ix.shards) && s < first+maxPrefixShards; s++ {
			if s > first && !strings.HasPrefix(ix.terms[ix.shards[s].lo].term, w) {
				break
			}
			need[s] = true
		}
		r := []rune(w)
		for n := len(r) - 1; n >= max(minPrefix, len(r)-2); n-- {
			need[ix.shardOf(string(r[:n]))] = true
		}
	}
	for s := range need {
		d.Shards += gzipLen(files[Dir+"/"+ix.shards[s].path])
		d.ShardFiles++
	}
	res := ix.Search(Query{Text: query})
	for _, doc := range res.Docs[:min(pageSize, len(res.Docs))] {
		for p, data := range files {
			if strings.HasPrefix(p, Dir+"/page/"+itoaDoc(doc)+".") {
				d.Pages += gzipLen(data)
			}
		}
	}
	return d
}

func itoaDoc(d int) string {
	s := ""
	for {
		s = string(rune('0'+d%10)) + s
		d /= 10
		if d == 0 {
			return s
		}
	}
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func gzipLen(data []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(data)
	w.Close()
	return buf.Len()
}

// BenchmarkAnalyse1k tokenises, stems and counts the terms of 1,000
// pages on one goroutine with one analyser, as a worker of Build does:
// the largest part of building the index, measured without the noise of
// the other workers.
func BenchmarkAnalyse1k(b *testing.B) {
	fsys, err := corpus.FS(1000, 1)
	if err != nil {
		b.Fatal(err)
	}
	docs, _ := FromGraph(loadGraph(b, fsys, false))
	b.ReportAllocs()
	for b.Loop() {
		a := newAnalyser()
		for i := range docs {
			a.analyse(&docs[i])
		}
	}
}
