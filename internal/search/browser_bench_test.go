package search_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hjp/internal/browsertest"
	"hjp/internal/build"
	"hjp/internal/corpus"
	"hjp/internal/search"
	"hjp/internal/testsite"
)

// BenchmarkSearchBrowser10k measures hjp's search against Pagefind on the
// same 10,000-page corpus (internal/corpus, seed 1), in headless Chromium:
//
//   - index build time (wall and CPU) and total index bytes of each;
//   - the gzipped bytes a browser downloads, from opening the search page
//     to the first page of results (10) of a two-word query: the search
//     module, its metadata, index shards or chunks and result fragments
//     (the HTML page and the site's CSS are left out for both);
//   - query time: from issuing the query to the 10 results being ready
//     (hjp: rendered with excerpts; Pagefind: its 10 data() calls), cold
//     (the first query of a fresh browser) and warm (the next query).
//
// Pagefind comes from .ci/pagefind (npm ci --prefix .ci/pagefind) and
// indexes exactly the pages hjp indexes. Run:
//
//	go test -run '^$' -bench SearchBrowser10k -benchtime 1x -timeout 30m ./internal/search
//
// The figures are printed with -v and reported as metrics.
func BenchmarkSearchBrowser10k(b *testing.B) { benchBrowser(b, 10000) }

// BenchmarkSearchBrowser1k is the same on 1,000 pages.
func BenchmarkSearchBrowser1k(b *testing.B) { benchBrowser(b, 1000) }

// browserQueries are typical two-word queries over the corpus's prose.
var browserQueries = []string{"housing debt", "rent arrears", "consent records", "benefit claims", "referral pathway"}

type engineRun struct {
	Bytes  int     // gzipped bytes from page load to the first results
	ColdMS float64 // first query
	// WarmMS and WarmMinMS are the median and fastest of warmRuns more
	// queries in the same page, alternating a second query and the first.
	WarmMS, WarmMinMS float64
	// EngineMS and WarmEngineMS are hjp's share of ColdMS and WarmMS
	// spent ranking, after the shards arrived and before fetching the 10
	// fragments and rendering them.
	EngineMS, WarmEngineMS float64
	Results                int
	First                  string // URL of the first result
	// TypedMS is the first search of a fresh page when the query is
	// typed a key at a time (typingGap apart), as readers do: the page's
	// own measure of the search for the whole query, from its start to
	// the results rendered. Results appear as the reader types, so this
	// is the wait after the last key (plus the typing pause).
	TypedMS float64
}

// typingGap is the time between keys in the typed measure: a fast typist.
const typingGap = 120 * time.Millisecond

func benchBrowser(b *testing.B, n int) {
	if n > 1000 && testing.Short() {
		b.Skip("large corpus: run without -short")
	}
	pagefind := filepath.Join(testsite.Root(), ".ci", "pagefind", "node_modules", ".bin", "pagefind")
	if _, err := os.Stat(pagefind); err != nil {
		b.Skip("Pagefind is not installed: npm ci --prefix .ci/pagefind")
	}
	browsertest.Require(b)
	dir := b.TempDir()
	if err := corpus.Write(dir, n, 1); err != nil {
		b.Fatal(err)
	}
	if err := testsite.CopyDir(filepath.Join(testsite.Root(), "themes"), filepath.Join(dir, "themes")); err != nil {
		b.Fatal(err)
	}

	// hjp's index on its own, timed.
	g := search.LoadGraph(b, os.DirFS(dir), false)
	cpu0, t0 := cpuTime(), time.Now()
	ix := search.BuildSite(g, search.Options{})
	hjpWall, hjpCPU := time.Since(t0), cpuTime()-cpu0
	hjpFiles, hjpBytes := ix.Size()

	dest := filepath.Join(dir, "public")
	if res := build.Build(build.Options{Source: dir, Dest: dest, Minify: true}); res.Failed() {
		b.Fatalf("build: %v", res.Diags.Err())
	}

	// Pagefind over exactly the pages hjp indexes.
	pfSite := filepath.Join(dir, "pf-site")
	for _, d := range ix.Docs {
		rel := filepath.FromSlash(strings.TrimPrefix(d.URL, "/") + "index.html")
		data, err := os.ReadFile(filepath.Join(dest, rel))
		if err != nil {
			b.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(filepath.Join(pfSite, rel)), 0o755)
		os.WriteFile(filepath.Join(pfSite, rel), data, 0o644)
	}
	cmd := exec.Command(pagefind, "--site", pfSite, "--output-path", filepath.Join(dest, "pagefind"))
	t0 = time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("pagefind: %v\n%s", err, out)
	}
	pfWall := time.Since(t0)
	pfCPU := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	pfFiles, pfBytes := dirSize(b, filepath.Join(dest, "pagefind"))
	os.WriteFile(filepath.Join(dest, "pagefind-bench.html"), []byte(pagefindPage), 0o644)
	os.WriteFile(filepath.Join(dest, "pagefind-bench.js"), []byte(pagefindScript), 0o644)

	srv, log := gzipServer(dest)
	defer srv.Close()

	var hjp, pf []engineRun
	for b.Loop() {
		hjp, pf = nil, nil
		for i, q := range browserQueries {
			warm := browserQueries[(i+1)%len(browserQueries)]
			h := runHJP(b, srv.URL, log, q, warm)
			h.TypedMS = runHJPTyped(b, srv.URL, q)
			hjp = append(hjp, h)
			pf = append(pf, runPagefind(b, srv.URL, log, q, warm))
		}
	}

	b.ReportMetric(hjpWall.Seconds(), "hjp-index-s")
	b.ReportMetric(hjpCPU.Seconds(), "hjp-index-cpu-s")
	b.ReportMetric(pfWall.Seconds(), "pagefind-index-s")
	b.ReportMetric(pfCPU.Seconds(), "pagefind-index-cpu-s")
	b.ReportMetric(float64(hjpBytes)/1e6, "hjp-index-MB")
	b.ReportMetric(float64(pfBytes)/1e6, "pagefind-index-MB")
	b.ReportMetric(float64(hjp[0].Bytes), "hjp-query-gzB")
	b.ReportMetric(float64(pf[0].Bytes), "pagefind-query-gzB")
	b.ReportMetric(median(hjp, func(r engineRun) float64 { return r.ColdMS }), "hjp-cold-ms")
	b.ReportMetric(median(hjp, func(r engineRun) float64 { return r.WarmMS }), "hjp-warm-ms")
	b.ReportMetric(median(hjp, func(r engineRun) float64 { return r.TypedMS }), "hjp-typed-ms")
	b.ReportMetric(median(hjp, func(r engineRun) float64 { return r.WarmMinMS }), "hjp-warm-min-ms")
	b.ReportMetric(median(pf, func(r engineRun) float64 { return r.WarmMinMS }), "pagefind-warm-min-ms")
	b.ReportMetric(median(hjp, func(r engineRun) float64 { return r.WarmEngineMS }), "hjp-warm-engine-ms")
	b.ReportMetric(median(pf, func(r engineRun) float64 { return r.ColdMS }), "pagefind-cold-ms")
	b.ReportMetric(median(pf, func(r engineRun) float64 { return r.WarmMS }), "pagefind-warm-ms")

	var s strings.Builder
	fmt.Fprintf(&s, "%d pages (hjp indexes %d; Pagefind the same %d pages)\n", n, len(ix.Docs), len(ix.Docs))
	fmt.Fprintf(&s, "index build   hjp %6.2fs wall %6.2fs CPU   Pagefind %6.2fs wall %6.2fs CPU\n", hjpWall.Seconds(), hjpCPU.Seconds(), pfWall.Seconds(), pfCPU.Seconds())
	fmt.Fprintf(&s, "index size    hjp %6.1f MB in %d files   Pagefind %6.1f MB in %d files\n", float64(hjpBytes)/1e6, hjpFiles, float64(pfBytes)/1e6, pfFiles)
	fmt.Fprintf(&s, "query: gzipped bytes to the first 10 results; ms for the first query (hjp: of which ranking, shards in hand), then median/fastest of %d more\n", warmRuns)
	fmt.Fprintf(&s, "hjp typed: the first search of a fresh page with the query typed a key every %v\n", typingGap)
	fmt.Fprintf(&s, "%-17s %8s %14s %19s %9s | %9s %8s %15s  %s\n", "", "hjp gzB", "cold ms (rank)", "warm med/min (rank)", "typed ms", "Pf gzB", "cold ms", "warm med/min", "results hjp/Pf")
	for i, q := range browserQueries {
		h, p := hjp[i], pf[i]
		fmt.Fprintf(&s, "%-17s %8d %7.1f (%4.1f) %7.1f/%5.1f (%4.1f) %9.1f | %9d %8.1f %7.1f/%7.1f  %d/%d\n", q, h.Bytes, h.ColdMS, h.EngineMS, h.WarmMS, h.WarmMinMS, h.WarmEngineMS, h.TypedMS, p.Bytes, p.ColdMS, p.WarmMS, p.WarmMinMS, h.Results, p.Results)
	}
	b.Log("\n" + s.String())
	for i := range hjp {
		if hjp[i].Bytes > pf[i].Bytes {
			b.Errorf("%q: hjp downloads %d gzipped bytes, more than Pagefind's %d", browserQueries[i], hjp[i].Bytes, pf[i].Bytes)
		}
	}
}

// runHJP opens the search page in a fresh browser, runs query and then
// warm, and returns what query cost.
func runHJP(b *testing.B, base string, log *requestLog, query, warm string) engineRun {
	ctx := browsertest.New(b)
	ctx, cancel := browsertest.Timeout(ctx, 2*time.Minute)
	defer cancel()
	log.reset()
	must(b, chromedp.Do(ctx, chromedp.Navigate(base+"/search/"), chromedp.WaitVisible(".search-filters")))
	// The page fetches the index metadata as it opens.
	poll(b, ctx, `performance.getEntriesByType("resource").some((e) => e.name.includes("/search/index/meta.") && e.responseEnd > 0)`)
	var r engineRun
	r.ColdMS, r.EngineMS, r.Results, r.First = hjpQuery(b, ctx, query)
	r.Bytes = log.bytes("/search/index/", "/assets/search.")
	var warmMS, warmEngine []float64
	for i := range warmRuns {
		q := []string{warm, query}[i%2]
		ms, eng, _, _ := hjpQuery(b, ctx, q)
		warmMS, warmEngine = append(warmMS, ms), append(warmEngine, eng)
	}
	r.WarmMS, r.WarmMinMS, r.WarmEngineMS = medianOf(warmMS), slices.Min(warmMS), medianOf(warmEngine)
	return r
}

// runHJPTyped opens the search page in a fresh browser, types query a
// key at a time and returns the page's measure of the search for the
// whole query.
func runHJPTyped(b *testing.B, base, query string) float64 {
	ctx := browsertest.New(b)
	ctx, cancel := browsertest.Timeout(ctx, 2*time.Minute)
	defer cancel()
	must(b, chromedp.Do(ctx, chromedp.Navigate(base+"/search/"), chromedp.WaitVisible(".search-filters")))
	poll(b, ctx, `performance.getEntriesByType("resource").some((e) => e.name.includes("/search/index/meta.") && e.responseEnd > 0)`)
	js := `(async (q, gap) => {
		const input = document.getElementById("search-q");
		for (let i = 1; i <= q.length; i++) {
			input.value = q.slice(0, i);
			input.dispatchEvent(new Event("input", { bubbles: true }));
			await new Promise((r) => setTimeout(r, gap));
		}
		const list = document.getElementById("search-results");
		while (list.dataset.query !== q || list.getAttribute("aria-busy") !== "false") await new Promise((r) => setTimeout(r, 5));
		return performance.getEntriesByName("hjp-search").filter((e) => e.detail === q).pop().duration;
	})(` + jsString(query) + `, ` + fmt.Sprint(typingGap.Milliseconds()) + `)`
	ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](js, chromedp.EvalAwaitPromise))
	must(b, err)
	return ms
}

// hjpQuery types query into the box at once (one input event) and waits
// for the results; it returns the page's own measure of the search (from
// the search starting, after the typing pause, to the results rendered).
func hjpQuery(b *testing.B, ctx contextT, query string) (total, engine float64, n int, first string) {
	js := `(async (q) => {
		const input = document.getElementById("search-q");
		input.value = q;
		input.dispatchEvent(new Event("input", { bubbles: true }));
		const list = document.getElementById("search-results");
		while (list.dataset.query !== q || list.getAttribute("aria-busy") !== "false") await new Promise((r) => setTimeout(r, 5));
		const m = performance.getEntriesByName("hjp-search").filter((e) => e.detail === q).pop();
		const e = performance.getEntriesByName("hjp-search-engine").filter((e) => e.detail === q).pop();
		const f = performance.getEntriesByName("hjp-search-shards").filter((e) => e.detail === q).pop();

		const first = list.querySelector(".search-result-title a");
		const status = document.getElementById("search-status").textContent;
		return { ms: m.duration, engine: e.duration, shards: f.duration, n: parseInt(status) || 0, first: first ? first.getAttribute("href") : "" };
	})(` + jsString(query) + `)`
	var res struct {
		MS     float64 `json:"ms"`
		Engine float64 `json:"engine"`
		Shards float64 `json:"shards"`
		N      int     `json:"n"`
		First  string  `json:"first"`
	}
	v, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](js, chromedp.EvalAwaitPromise))
	must(b, err)
	must(b, json.Unmarshal(v, &res))
	// Ranking proper: the engine's time less the wait for shards.
	return res.MS, res.Engine - res.Shards, res.N, res.First
}

func runPagefind(b *testing.B, base string, log *requestLog, query, warm string) engineRun {
	ctx := browsertest.New(b)
	ctx, cancel := browsertest.Timeout(ctx, 2*time.Minute)
	defer cancel()
	log.reset()
	must(b, chromedp.Do(ctx, chromedp.Navigate(base+"/pagefind-bench.html")))
	poll(b, ctx, `typeof window.runPagefind === "function"`)
	var r engineRun
	r.ColdMS, r.Results, r.First = pagefindQuery(b, ctx, query)
	r.Bytes = log.bytes("/pagefind/")
	var warmMS []float64
	for i := range warmRuns {
		ms, _, _ := pagefindQuery(b, ctx, []string{warm, query}[i%2])
		warmMS = append(warmMS, ms)
	}
	r.WarmMS, r.WarmMinMS = medianOf(warmMS), slices.Min(warmMS)
	return r
}

func pagefindQuery(b *testing.B, ctx contextT, query string) (float64, int, string) {
	var res struct {
		MS    float64 `json:"ms"`
		N     int     `json:"n"`
		First string  `json:"first"`
	}
	v, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](`runPagefind(`+jsString(query)+`)`, chromedp.EvalAwaitPromise))
	must(b, err)
	must(b, json.Unmarshal(v, &res))
	return res.MS, res.N, res.First
}

// The Pagefind page loads its library as the hjp page loads search.js,
// then times one query: search, then the data of the first 10 results.
const pagefindPage = `<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>Pagefind</title><script type="module" src="/pagefind-bench.js"></script></html>`

const pagefindScript = `const pagefind = await import("/pagefind/pagefind.js");
await pagefind.init();
window.runPagefind = async (q) => {
  const t0 = performance.now();
  const search = await pagefind.search(q);
  const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  return { ms: performance.now() - t0, n: search.results.length, first: data.length ? data[0].url : "" };
};
`

type contextT = interface {
	Deadline() (time.Time, bool)
	Done() <-chan struct{}
	Err() error
	Value(any) any
}

func poll(b *testing.B, ctx contextT, js string) {
	b.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(time.Minute)))
	must(b, err)
}

func must(b *testing.B, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}

func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// warmRuns is how many queries follow the first in each page.
const warmRuns = 6

func median(runs []engineRun, f func(engineRun) float64) float64 {
	v := make([]float64, len(runs))
	for i, r := range runs {
		v[i] = f(r)
	}
	return medianOf(v)
}

func medianOf(v []float64) float64 {
	v = slices.Clone(v)
	slices.Sort(v)
	return v[len(v)/2]
}

// requestLog counts the bytes the server sends, by path.
type requestLog struct {
	mu   sync.Mutex
	sent map[string]int
}

func (l *requestLog) reset() {
	l.mu.Lock()
	l.sent = map[string]int{}
	l.mu.Unlock()
}

func (l *requestLog) add(p string, n int) {
	l.mu.Lock()
	l.sent[p] += n
	l.mu.Unlock()
}

// bytes sums what was sent for paths with any of the prefixes.
func (l *requestLog) bytes(prefixes ...string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for p, s := range l.sent {
		for _, pre := range prefixes {
			if strings.HasPrefix(p, pre) {
				n += s
				break
			}
		}
	}
	return n
}

// gzipServer serves dir as a CDN would: text compressed with gzip (level
// 6), files that are already gzipped (Pagefind's) as they are, and
// fingerprinted files cacheable for good. It counts the body bytes sent
// per path.
func gzipServer(dir string) (*httptest.Server, *requestLog) {
	log := &requestLog{sent: map[string]int{}}
	var cache sync.Map
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := path.Clean(r.URL.Path)
		file := filepath.Join(dir, filepath.FromSlash(p))
		if st, err := os.Stat(file); err == nil && st.IsDir() {
			file = filepath.Join(file, "index.html")
		}
		data, err := os.ReadFile(file)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		switch path.Ext(file) {
		case ".html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		case ".js":
			w.Header().Set("Content-Type", "text/javascript")
		case ".json":
			w.Header().Set("Content-Type", "application/json")
		case ".css":
			w.Header().Set("Content-Type", "text/css")
		default:
			w.Header().Set("Content-Type", "application/octet-stream")
		}
		if strings.HasPrefix(p, "/search/index/") || strings.HasPrefix(p, "/assets/") || strings.HasPrefix(p, "/pagefind/") && p != "/pagefind/pagefind-entry.json" {
			// Fingerprinted names, cached for good, as on Netlify.
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		if !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
			if z, ok := cache.Load(file); ok {
				data = z.([]byte)
			} else {
				var buf bytes.Buffer
				zw, _ := gzip.NewWriterLevel(&buf, 6)
				zw.Write(data)
				zw.Close()
				data = buf.Bytes()
				cache.Store(file, data)
			}
			w.Header().Set("Content-Encoding", "gzip")
		}
		w.Write(data)
		log.add(p, len(data))
	}))
	return srv, log
}

func dirSize(b *testing.B, dir string) (files, total int) {
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files++
		total += int(info.Size())
		return nil
	})
	must(b, err)
	return files, total
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
