package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hjp/internal/testsite"
)

// The load test runs a real server on 127.0.0.1 over a copy of a site and
// hits it over real HTTP, while a goroutine edits the sources the whole
// time, so builds are swapped in under the clients' feet:
//
//	go test -run Load ./internal/server                  # 10 s of load
//	go test -short -run Load ./internal/server           # 3 s
//	HJP_LOAD_DURATION=2m go test -run Load -v ./internal/server
//	HJP_LOAD_SITE=fixture go test -run Load ./internal/server
//
// HJP_LOAD_SITE is "fixture" (the small test site, the default: fast
// enough for CI under the race detector) or "starter" (the repository's
// own content).

// maxLoadHeap is the bound on the heap in use during the load test.
const maxLoadHeap = 512 << 20

// loadClients and loadStreams are how many clients fetch pages and how
// many hold a live-reload event stream, at once.
const (
	loadClients = 50
	loadStreams = 10
)

func loadDuration(t *testing.T) time.Duration {
	d := 10 * time.Second
	if testing.Short() {
		d = 3 * time.Second
	}
	if v := os.Getenv("HJP_LOAD_DURATION"); v != "" {
		var err error
		if d, err = time.ParseDuration(v); err != nil || d <= 0 {
			t.Fatalf("HJP_LOAD_DURATION=%q: want a duration like 30s", v)
		}
	}
	return d
}

func loadSite(t *testing.T) (string, string) {
	switch name := os.Getenv("HJP_LOAD_SITE"); name {
	case "", "fixture":
		return "fixture", testsite.New(t, testsite.Fixture())
	case "starter":
		return name, testsite.Starter(t)
	default:
		t.Fatalf("HJP_LOAD_SITE=%q: want starter or fixture", name)
		return "", ""
	}
}

// publishedBuilds records every build the server swapped in, so each
// response can be compared with the exact bytes of the build it says it
// came from. A build's files map is never changed after it is published,
// and unchanged files share storage between builds, so keeping them all
// costs little.
type publishedBuilds struct {
	mu     sync.Mutex
	builds map[int]map[string][]byte
	ids    []int
}

func (p *publishedBuilds) record(id int, files map[string][]byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.builds[id] = files
	p.ids = append(p.ids, id)
}

func (p *publishedBuilds) get(id int) map[string][]byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.builds[id]
}

func (p *publishedBuilds) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.ids)
}

// has reports whether any published build has exactly data at name.
func (p *publishedBuilds) has(name string, data []byte) bool {
	p.mu.Lock()
	all := make([]map[string][]byte, 0, len(p.ids))
	for _, id := range slices.Backward(p.ids) {
		all = append(all, p.builds[id])
	}
	p.mu.Unlock()
	for _, files := range all {
		if b, ok := files[name]; ok && bytes.Equal(b, data) {
			return true
		}
	}
	return false
}

// outputName is the file a clean URL path is served from.
func outputName(p string) string {
	name := strings.TrimPrefix(p, "/")
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	return name
}

// urlOf is the URL path serving an output file.
func urlOf(name string) string {
	if name == "index.html" {
		return "/"
	}
	return "/" + strings.TrimSuffix(name, "index.html")
}

// loadRun is one load test: the server, what it published, what the
// clients saw.
type loadRun struct {
	h       *harness
	pub     *publishedBuilds
	session string

	// The request pool: pages, assets, data files; edited is the page
	// whose body the editor rewrites; added the page the editor adds and
	// removes ("" when there is none).
	pages, assets, data []string
	edited              string
	added               atomic.Pointer[string]

	requests, pagesOK, notFound, redirects, files atomic.Int64
	tokenChecks, sseEvents, sseReconnects         atomic.Int64
	sseChurn                                      atomic.Int64
	tokensSeen                                    sync.Map

	ed *loadEditor

	mu        sync.Mutex
	latencies []time.Duration
	// editLatencies are, for each body edit a client saw, the time from
	// its save to the first response with it.
	editLatencies []time.Duration
	failures      []string
	failed        int
}

// fail records a failure; the first few are reported in full.
func (lr *loadRun) fail(format string, args ...any) {
	lr.mu.Lock()
	defer lr.mu.Unlock()
	lr.failed++
	if len(lr.failures) < 20 {
		lr.failures = append(lr.failures, fmt.Sprintf(format, args...))
	}
}

var (
	reloadAttrs = regexp.MustCompile(`<script src="/__hjp/reload\.js" data-session="([0-9a-f]+)" data-build="([0-9]+)" defer></script>`)
	loadToken   = regexp.MustCompile(`lt([0-9]{6})x`)
)

// fetch gets one path and checks the response against the builds.
func (lr *loadRun) fetch(client *http.Client, p string, lat *[]time.Duration) {
	start := time.Now()
	resp, err := client.Get(lr.h.base + p)
	if err != nil {
		lr.fail("GET %s: %v", p, err)
		return
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	*lat = append(*lat, time.Since(start))
	lr.requests.Add(1)
	switch {
	case err != nil:
		lr.fail("GET %s: torn response: body ends after %d bytes: %v", p, len(body), err)
		return
	case resp.ContentLength >= 0 && int64(len(body)) != resp.ContentLength:
		lr.fail("GET %s: torn response: Content-Length %d, body %d bytes", p, resp.ContentLength, len(body))
		return
	case resp.StatusCode >= 500:
		lr.fail("GET %s: %d %s", p, resp.StatusCode, firstLine(body))
		return
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		if resp.Header.Get("Location") == "" {
			lr.fail("GET %s: %d without Location", p, resp.StatusCode)
		}
		lr.redirects.Add(1)
		return
	case strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html"):
		lr.checkPage(p, resp.StatusCode, body)
		return
	case resp.StatusCode != http.StatusOK:
		lr.fail("GET %s: %d (%s)", p, resp.StatusCode, resp.Header.Get("Content-Type"))
		return
	}
	name := outputName(p)
	if !lr.pub.has(name, body) {
		lr.fail("GET %s: %d bytes that no published build has at %s", p, len(body), name)
		return
	}
	if path.Ext(name) == ".json" && !json.Valid(body) {
		lr.fail("GET %s: invalid JSON", p)
		return
	}
	lr.files.Add(1)
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	return s
}

// checkPage checks an HTML response is a whole document, byte for byte
// the page (or the not-found page) of the build it names, with the
// reload script put in exactly once.
func (lr *loadRun) checkPage(p string, status int, body []byte) {
	doc := bytes.TrimSpace(body)
	if len(doc) < 15 || !strings.EqualFold(string(doc[:15]), "<!doctype html>") || !bytes.HasSuffix(doc, []byte("</html>")) {
		lr.fail("GET %s: %d: not a complete document (%d bytes, starts %q, ends %q)", p, status, len(body), prefix(doc, 20), suffix(doc, 20))
		return
	}
	m := reloadAttrs.FindSubmatch(body)
	if m == nil {
		lr.fail("GET %s: %d: no reload script", p, status)
		return
	}
	id, _ := strconv.Atoi(string(m[2]))
	if string(m[1]) != lr.session {
		lr.fail("GET %s: session %s, want %s", p, m[1], lr.session)
		return
	}
	files := lr.pub.get(id)
	if files == nil {
		lr.fail("GET %s: served from build %d, which was never published", p, id)
		return
	}
	tag := append(reloadTag(lr.session, id), '\n')
	if n := bytes.Count(body, tag); n != 1 {
		lr.fail("GET %s: %d reload scripts", p, n)
		return
	}
	page := bytes.Replace(body, tag, nil, 1)
	name := outputName(p)
	want, exists := files[name]
	switch {
	case status == http.StatusOK && !exists:
		lr.fail("GET %s: 200, but build %d has no %s", p, id, name)
	case status == http.StatusOK && !bytes.Equal(page, want):
		lr.fail("GET %s: 200, but not build %d's %s (%d bytes, want %d)", p, id, name, len(page), len(want))
	case status == http.StatusNotFound && exists:
		lr.fail("GET %s: 404, but build %d has %s", p, id, name)
	case status == http.StatusNotFound && !bytes.Equal(page, files["404.html"]):
		lr.fail("GET %s: 404, but not build %d's 404.html", p, id)
	case status != http.StatusOK && status != http.StatusNotFound:
		lr.fail("GET %s: %d", p, status)
	case status == http.StatusNotFound:
		lr.notFound.Add(1)
	default:
		lr.pagesOK.Add(1)
	}
	if p == lr.edited && status == http.StatusOK {
		// The editor writes one whole token per save: a page never shows
		// half of one, or two.
		tokens := loadToken.FindAll(body, -1)
		if len(tokens) != 1 {
			lr.fail("GET %s: %d edit tokens %q, want exactly one", p, len(tokens), tokens)
			return
		}
		lr.tokenChecks.Add(1)
		if _, seen := lr.tokensSeen.LoadOrStore(string(tokens[0]), true); !seen {
			if at, ok := lr.ed.saved.Load(string(tokens[0])); ok {
				lr.mu.Lock()
				lr.editLatencies = append(lr.editLatencies, time.Since(at.(time.Time)))
				lr.mu.Unlock()
			}
		}
	}
}

func prefix(b []byte, n int) []byte { return b[:min(n, len(b))] }
func suffix(b []byte, n int) []byte { return b[max(0, len(b)-n):] }

// fillPool fills the request pool from the first build's files.
func (lr *loadRun) fillPool(files map[string][]byte) {
	for name := range files {
		switch ext := path.Ext(name); {
		case name == "404.html" || name == "_redirects" || name == "_headers":
		case path.Base(name) == "index.html":
			lr.pages = append(lr.pages, urlOf(name))
		case ext == ".json":
			lr.data = append(lr.data, "/"+name)
		case ext == ".css" || ext == ".js" || ext == ".svg" || ext == ".png" || ext == ".ico" || ext == ".xml":
			lr.assets = append(lr.assets, "/"+name)
		}
	}
	slices.Sort(lr.pages)
	slices.Sort(lr.data)
	slices.Sort(lr.assets)
}

// pick chooses what a client asks for next.
func (lr *loadRun) pick(r *rand.Rand) string {
	switch n := r.IntN(100); {
	case n < 55:
		return lr.pages[r.IntN(len(lr.pages))]
	case n < 70:
		return lr.edited
	case n < 80:
		return lr.assets[r.IntN(len(lr.assets))]
	case n < 88:
		return lr.data[r.IntN(len(lr.data))]
	case n < 95:
		// Not found: a page, a nested page, an asset.
		return []string{"/no-such-page-" + strconv.Itoa(r.IntN(1000)) + "/", "/guide/no-such-chapter/", "/assets/no-such.css"}[r.IntN(3)]
	default:
		if a := lr.added.Load(); a != nil && *a != "" {
			return *a
		}
		return "/pages/not-added-yet/"
	}
}

// client fetches random paths until ctx is done. Some clients close the
// connection after each request, so connections come and go too; some
// now and then open an event stream and drop it.
func (lr *loadRun) client(ctx context.Context, i int, tr *http.Transport) {
	r := rand.New(rand.NewPCG(uint64(i), 1))
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var lat []time.Duration
	for ctx.Err() == nil {
		if r.IntN(100) == 0 {
			lr.churnStream(ctx, client)
			continue
		}
		lr.fetch(client, lr.pick(r), &lat)
	}
	lr.mu.Lock()
	lr.latencies = append(lr.latencies, lat...)
	lr.mu.Unlock()
}

// churnStream opens an event stream, reads its hello and hangs up.
func (lr *loadRun) churnStream(ctx context.Context, client *http.Client) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", lr.h.base+"/__hjp/events?file=index.html&build=1", nil)
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			lr.fail("events: %v", err)
		}
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		lr.fail("events: %d", resp.StatusCode)
		return
	}
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil && ctx.Err() == nil || err == nil && line != "event: hello\n" {
		lr.fail("events: first line %q, %v", line, err)
	}
	lr.sseChurn.Add(1)
}

// stream holds an event stream open, as an open page does, counting build
// events, and reconnects when the server drops it.
func (lr *loadRun) stream(ctx context.Context, client *http.Client) {
	for ctx.Err() == nil {
		req, _ := http.NewRequestWithContext(ctx, "GET", lr.h.base+"/__hjp/events?file="+outputName(lr.edited)+"&build=1", nil)
		resp, err := client.Do(req)
		if err != nil {
			if ctx.Err() == nil {
				lr.fail("events: %v", err)
				time.Sleep(50 * time.Millisecond)
			}
			continue
		}
		if resp.StatusCode != http.StatusOK {
			lr.fail("events: %d", resp.StatusCode)
		}
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 64<<10), 4<<20)
		for sc.Scan() {
			if sc.Text() == "event: build" {
				lr.sseEvents.Add(1)
			}
		}
		resp.Body.Close()
		if ctx.Err() == nil {
			lr.sseReconnects.Add(1)
		}
	}
}

// loadEditor edits the site's sources the whole time, as an editor and
// their tools would: body text, front matter, a broken save fixed a
// moment later, a page added and removed. Every save is atomic (write a
// temporary file, rename it over), so the page on disk always holds one
// whole edit token.
type loadEditor struct {
	t   *testing.T
	dir string
	// body gets a new token per edit; meta gets front-matter edits and
	// broken saves. orig holds their first contents.
	body, meta string
	orig       map[string]string
	token      atomic.Int64
	// saved has when each body token was saved.
	saved        sync.Map
	titleN, sumN int
	added        string

	bodyEdits, metaEdits, brokenSaves, pagesAdded, pagesRemoved int
}

func (e *loadEditor) write(rel, data string) {
	file := filepath.Join(e.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		e.t.Error(err)
		return
	}
	if err := os.WriteFile(file+".tmp", []byte(data), 0o644); err != nil {
		e.t.Error(err)
		return
	}
	if err := os.Rename(file+".tmp", file); err != nil {
		e.t.Error(err)
	}
}

// editBody saves the body page with a new token, and returns it.
func (e *loadEditor) editBody() int {
	n := int(e.token.Add(1))
	tok := fmt.Sprintf("lt%06dx", n)
	e.saved.Store(tok, time.Now())
	e.write(e.body, fmt.Sprintf("%s\nLoad test edit %s.\n", e.orig[e.body], tok))
	e.bodyEdits++
	return n
}

// metaSource is the meta page with its title and summary edits.
func (e *loadEditor) metaSource() string {
	lines := strings.Split(e.orig[e.meta], "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "title: ") && e.titleN > 0 {
			lines[i] = l + " " + strconv.Itoa(e.titleN)
		}
		if strings.HasPrefix(l, "summary: ") && e.sumN > 0 {
			lines[i] = l + " Edit " + strconv.Itoa(e.sumN) + "."
		}
	}
	return strings.Join(lines, "\n")
}

func (e *loadEditor) step(r *rand.Rand) {
	switch n := r.IntN(100); {
	case n < 55:
		e.editBody()
	case n < 75:
		e.sumN++
		e.write(e.meta, e.metaSource())
		e.metaEdits++
	case n < 82:
		// A title is on every page that lists or links this one.
		e.titleN++
		e.write(e.meta, e.metaSource())
		e.metaEdits++
	case n < 90:
		// A broken save, fixed a moment later: the server keeps serving
		// the last good build meanwhile.
		good := e.metaSource()
		e.write(e.meta, strings.Replace(good, "\ntitle: ", "\ntitle: [unclosed ", 1))
		time.Sleep(time.Duration(60+r.IntN(120)) * time.Millisecond)
		e.write(e.meta, good)
		e.brokenSaves++
	default:
		e.toggleAdded()
	}
}

// toggleAdded adds a new page, or removes the one it added.
func (e *loadEditor) toggleAdded() {
	if e.added != "" {
		if err := os.Remove(filepath.Join(e.dir, filepath.FromSlash(e.added))); err != nil {
			e.t.Error(err)
		}
		e.added = ""
		e.pagesRemoved++
		return
	}
	e.pagesAdded++
	e.added = "content/pages/load-test-" + strconv.Itoa(e.pagesAdded) + ".md"
	e.write(e.added, "---\ntitle: Load test page "+strconv.Itoa(e.pagesAdded)+"\nsummary: A page the load test adds and removes.\n---\n\nIt comes and goes.\n")
}

// addedURL is the URL of the page toggleAdded made.
func addedURL(rel string) string {
	if rel == "" {
		return ""
	}
	return "/pages/" + strings.TrimSuffix(path.Base(rel), ".md") + "/"
}

// percentile returns the pth percentile of sorted samples.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))].Round(10 * time.Microsecond)
}

// samplePeaks samples the heap in use and the goroutine count until ctx
// is done; the function it returns waits for that and returns the peaks.
func samplePeaks(ctx context.Context) func() (heap, goroutines uint64) {
	done := make(chan struct{})
	var heap, goroutines uint64
	go func() {
		defer close(done)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			heap = max(heap, ms.HeapInuse)
			goroutines = max(goroutines, uint64(runtime.NumGoroutine()))
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() (uint64, uint64) {
		<-done
		return heap, goroutines
	}
}

// goroutinesSettle waits up to within for the goroutine count to fall to
// at most want, and returns the last count.
func goroutinesSettle(want int, within time.Duration) int {
	deadline := time.Now().Add(within)
	for {
		n := runtime.NumGoroutine()
		if n <= want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// rssPeak returns the process's peak resident set size (VmHWM), or 0
// where /proc does not say.
func rssPeak() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for l := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// settleBuilds waits until no build has run for quiet, and returns the
// build count.
func settleBuilds(h *harness, quiet time.Duration) int {
	last, since := h.status().Builds, time.Now()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if b := h.status().Builds; b != last {
			last, since = b, time.Now()
		} else if time.Since(since) >= quiet {
			break
		}
	}
	return last
}

// TestLoad serves the site to 50 clients at once, and holds event
// streams open, while the sources are edited continuously: no response is
// a server error, every page is a whole document of a published build,
// the heap stays bounded and every goroutine the clients caused ends
// when they go.
func TestLoad(t *testing.T) {
	began := time.Now()
	duration := loadDuration(t)
	siteName, dir := loadSite(t)
	pub := &publishedBuilds{builds: map[int]map[string][]byte{}}
	h := startTuned(t, dir, nil, func(s *Server) { s.published = pub.record })
	lr := &loadRun{h: h, pub: pub, session: h.srv.session}

	// The request pool, from the first build.
	first := pub.get(1)
	if first == nil {
		t.Fatalf("the first build failed:\n%s", h.out.String())
	}
	lr.fillPool(first)
	if len(lr.pages) < 10 || len(lr.assets) < 2 || len(lr.data) < 1 {
		t.Fatalf("the site is too small to load: %d pages, %d assets, %d data files", len(lr.pages), len(lr.assets), len(lr.data))
	}

	// The editor's pages: two guide chapters.
	entries, err := os.ReadDir(filepath.Join(dir, "content", "guide"))
	if err != nil {
		t.Fatal(err)
	}
	var chapters []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") && e.Name() != "_index.md" {
			chapters = append(chapters, e.Name())
		}
	}
	if len(chapters) < 2 {
		t.Fatalf("content/guide has %d chapters; the load test edits two", len(chapters))
	}
	ed := &loadEditor{t: t, dir: dir, body: "content/guide/" + chapters[0], meta: "content/guide/" + chapters[1], orig: map[string]string{}}
	lr.ed = ed
	for _, rel := range []string{ed.body, ed.meta} {
		ed.orig[rel] = h.read(rel)
	}
	// The body page's URL: its file name without the ordering number.
	slug := strings.TrimSuffix(chapters[0], ".md")
	if i := strings.IndexByte(slug, '-'); i > 0 && strings.Trim(slug[:i], "0123456789") == "" {
		slug = slug[i+1:]
	}
	lr.edited = "/guide/" + slug + "/"
	if _, ok := first[outputName(lr.edited)]; !ok {
		t.Fatalf("%s is not served at %s", ed.body, lr.edited)
	}

	// The page shows an edit token from the start.
	start := fmt.Sprintf("lt%06dx", ed.editBody())
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, body, _ := h.get(lr.edited); strings.Contains(body, start) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the first edit is not served within 10s:\n%s", h.out.String())
		}
	}

	// The baseline: the server idle, with no client connected.
	settleBuilds(h, 200*time.Millisecond)
	http.DefaultClient.CloseIdleConnections()
	time.Sleep(100 * time.Millisecond)
	base := runtime.NumGoroutine()
	buildsBefore := h.status().Builds
	publishedBefore := pub.count()
	http.DefaultClient.CloseIdleConnections()

	setup := time.Since(began)
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	peaks := samplePeaks(ctx)

	var wg sync.WaitGroup
	// The editor.
	wg.Go(func() {
		r := rand.New(rand.NewPCG(7, 7))
		for ctx.Err() == nil {
			ed.step(r)
			u := addedURL(ed.added)
			lr.added.Store(&u)
			select {
			case <-ctx.Done():
			case <-time.After(time.Duration(20+r.IntN(80)) * time.Millisecond):
			}
		}
	})
	// Clients: a quarter open a connection per request.
	keepAlive := &http.Transport{MaxIdleConnsPerHost: loadClients, DisableCompression: true}
	oneShot := &http.Transport{DisableKeepAlives: true, DisableCompression: true}
	streams := &http.Transport{MaxIdleConnsPerHost: loadStreams, DisableCompression: true}
	for i := range loadClients {
		tr := keepAlive
		if i%4 == 0 {
			tr = oneShot
		}
		wg.Go(func() { lr.client(ctx, i, tr) })
	}
	for range loadStreams {
		wg.Go(func() { lr.stream(ctx, &http.Client{Transport: streams}) })
	}
	// A page that opened a stream and never reads it.
	stalled, err := net.Dial("tcp", strings.TrimPrefix(h.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(stalled, "GET /__hjp/events?file=index.html&build=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")

	wg.Wait()
	peakHeap, peakGoroutines := peaks()
	windDown := time.Now()
	stalled.Close()
	keepAlive.CloseIdleConnections()
	streams.CloseIdleConnections()

	// The server ends on the editor's last save.
	if ed.added != "" {
		ed.toggleAdded()
	}
	final := ed.editBody()
	want := fmt.Sprintf("lt%06dx", final)
	converged := false
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if code, body, _ := h.get(lr.edited); code == 200 && strings.Contains(body, want) {
			converged = true
			break
		}
	}
	if !converged {
		t.Errorf("the last save (%s) is not served 10s after the load", want)
	}
	builds := settleBuilds(h, 200*time.Millisecond) - buildsBefore
	published := pub.count() - publishedBefore
	pagesOpen := h.status().Pages
	http.DefaultClient.CloseIdleConnections()
	windDownConverge := time.Since(windDown)
	settled := time.Now()
	after := goroutinesSettle(base, 5*time.Second)
	settleTime := time.Since(settled)

	lr.mu.Lock()
	defer lr.mu.Unlock()
	slices.Sort(lr.latencies)
	slices.Sort(lr.editLatencies)
	pct := func(p float64) time.Duration { return percentile(lr.latencies, p) }
	distinct := 0
	lr.tokensSeen.Range(func(any, any) bool { distinct++; return true })
	n := lr.requests.Load()
	t.Logf("load: %s site (%d files), %s, %d clients + %d event streams + 1 stalled stream; %d requests (%.0f/s): %d pages, %d not found, %d redirects, %d other files; latency p50 %s, p95 %s, p99 %s, max %s",
		siteName, len(first), duration, loadClients, loadStreams, n, float64(n)/duration.Seconds(), lr.pagesOK.Load(), lr.notFound.Load(), lr.redirects.Load(), lr.files.Load(),
		pct(0.50), pct(0.95), pct(0.99), pct(1))
	t.Logf("edits: %d body, %d front matter, %d broken saves fixed, %d pages added, %d removed; %d builds, %d published, %d failed; %d distinct edits of %s served (save to first served: p50 %s, max %s), %d token checks",
		ed.bodyEdits, ed.metaEdits, ed.brokenSaves, ed.pagesAdded, ed.pagesRemoved, builds, published, builds-published, distinct, lr.edited, percentile(lr.editLatencies, 0.5), percentile(lr.editLatencies, 1), lr.tokenChecks.Load())
	t.Logf("event streams: %d build events received, %d reconnects, %d opened and dropped; peak heap in use %.1f MiB (bound %d MiB), peak RSS %.1f MiB; goroutines %d before, %d peak, %d after (%s after the last client left)",
		lr.sseEvents.Load(), lr.sseReconnects.Load(), lr.sseChurn.Load(), float64(peakHeap)/(1<<20), maxLoadHeap>>20, float64(rssPeak())/(1<<20), base, peakGoroutines, after, settleTime.Round(time.Millisecond))

	t.Logf("phases: setup %s, load %s, converge %s, settle %s", setup.Round(time.Millisecond), duration, windDownConverge.Round(time.Millisecond), settleTime.Round(time.Millisecond))
	if os.Getenv("HJP_LOAD_LOG") != "" {
		t.Log(h.out.String())
	}
	if lr.failed > 0 {
		t.Errorf("%d failed responses; the first:\n%s", lr.failed, strings.Join(lr.failures, "\n"))
	}
	if peakHeap > maxLoadHeap {
		t.Errorf("peak heap in use %d MiB, over the bound of %d MiB", peakHeap>>20, maxLoadHeap>>20)
	}
	if after > base+2 {
		var b strings.Builder
		pprof.Lookup("goroutine").WriteTo(&b, 1)
		t.Errorf("goroutines: %d before the load, %d 5s after every client left\n%s", base, after, b.String())
	}
	if pagesOpen != 0 {
		t.Errorf("%d event streams still open after every client left", pagesOpen)
	}
	// The test must have done what it says.
	if n < 100 || lr.pagesOK.Load() == 0 || lr.notFound.Load() == 0 || lr.files.Load() == 0 {
		t.Errorf("too little load to judge: %d requests", n)
	}
	if published < 3 || distinct < 2 {
		t.Errorf("too few builds under load to judge: %d published, %d edits of the page served", published, distinct)
	}
	if lr.sseEvents.Load() == 0 {
		t.Errorf("no event stream received a build event")
	}
}

// TestLoadSlowloris checks clients that hold connections without sending
// a request are cut off: a header sent a line at a time, a connection
// that sends nothing, a keep-alive connection left idle. Many of them at
// once do not stop the server answering others.
func TestLoadSlowloris(t *testing.T) {
	def := defaultLimits()
	if def.readHeader <= 0 || def.readHeader > 10*time.Second || def.idle <= 0 || def.read <= 0 || def.write <= 0 || def.maxHeaderBytes <= 0 {
		t.Errorf("default limits %+v: every timeout must be set, the header timeout at most 10s", def)
	}
	if hs := New(Options{}).httpServer(); hs.ReadHeaderTimeout != def.readHeader || hs.IdleTimeout != def.idle || hs.ReadTimeout != def.read || hs.WriteTimeout != def.write || hs.MaxHeaderBytes != def.maxHeaderBytes {
		t.Errorf("the HTTP server does not use the limits %+v: ReadHeaderTimeout %s, ReadTimeout %s, WriteTimeout %s, IdleTimeout %s, MaxHeaderBytes %d",
			def, hs.ReadHeaderTimeout, hs.ReadTimeout, hs.WriteTimeout, hs.IdleTimeout, hs.MaxHeaderBytes)
	}

	const timeout = 500 * time.Millisecond
	const margin = 2 * time.Second
	h := startTuned(t, testsite.New(t, testsite.Fixture()), nil, func(s *Server) {
		s.limits.readHeader = timeout
		s.limits.idle = timeout
	})
	addr := strings.TrimPrefix(h.base, "http://")
	base := runtime.NumGoroutine()

	// closedAfter opens a connection, lets send use it, and returns how
	// long after start the server closed it (margin+timeout when it did
	// not), and whether it answered with a response.
	// first, when set, runs before anything reads the connection and
	// returns when the clock starts: the idle case reads its own response
	// there, so no other reader can take those bytes from it.
	closedAfter := func(first func(c net.Conn) time.Time, send func(c net.Conn, closed <-chan struct{}) time.Time) (time.Duration, string) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Error(err)
			return 0, ""
		}
		defer c.Close()
		start := time.Now()
		if first != nil {
			start = first(c)
		}
		closed := make(chan struct{})
		var got bytes.Buffer
		var at time.Time
		go func() {
			defer close(closed)
			c.SetReadDeadline(start.Add(timeout + margin))
			_, err := io.Copy(&got, c)
			if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
				at = time.Now()
			}
		}()
		if send != nil {
			if s := send(c, closed); !s.IsZero() {
				start = s
			}
		}
		<-closed
		if at.IsZero() {
			return timeout + margin, got.String()
		}
		return at.Sub(start), got.String()
	}
	trickle := func(c net.Conn, closed <-chan struct{}) time.Time {
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
		for i := 0; ; i++ {
			select {
			case <-closed:
				return time.Time{}
			case <-time.After(100 * time.Millisecond):
			}
			if _, err := fmt.Fprintf(c, "X-Slow-%d: still sending\r\n", i); err != nil {
				return time.Time{}
			}
		}
	}
	idle := func(c net.Conn) time.Time {
		io.WriteString(c, "GET /__hjp/status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
		// The idle timer starts when the response has been written.
		buf := make([]byte, 1)
		var b bytes.Buffer
		for !strings.Contains(b.String(), "\r\n\r\n") || !strings.HasSuffix(b.String(), "}\n") {
			if _, err := c.Read(buf); err != nil {
				break
			}
			b.Write(buf)
		}
		return time.Now()
	}
	for _, tc := range []struct {
		name  string
		first func(net.Conn) time.Time
		send  func(net.Conn, <-chan struct{}) time.Time
	}{
		{"sends nothing", nil, nil},
		{"sends a header line every 100ms", nil, trickle},
		{"stays idle after a response", idle, nil},
	} {
		took, got := closedAfter(tc.first, tc.send)
		t.Logf("%s: closed after %s (timeout %s)", tc.name, took.Round(time.Millisecond), timeout)
		if took < timeout*9/10 || took >= timeout+margin {
			t.Errorf("%s: closed after %s, want the %s timeout", tc.name, took.Round(time.Millisecond), timeout)
		}
		if tc.first == nil {
			if got != "" {
				t.Errorf("%s: the server answered %q", tc.name, firstLine([]byte(got)))
			}
		}
	}

	// Fifty at once, while a browser is served.
	var wg sync.WaitGroup
	var slow atomic.Int64
	for range 50 {
		wg.Go(func() {
			if took, _ := closedAfter(nil, trickle); took >= timeout+margin {
				slow.Add(1)
			}
		})
	}
	time.Sleep(timeout / 5)
	began := time.Now()
	if code, _, _ := h.get("/guide/"); code != 200 {
		t.Errorf("GET /guide/ during the attack: %d", code)
	}
	answered := time.Since(began)
	wg.Wait()
	t.Logf("50 slow clients at once: %d not cut off within %s; a page was answered meanwhile in %s", slow.Load(), timeout+margin, answered.Round(time.Millisecond))
	if slow.Load() > 0 {
		t.Errorf("%d of 50 slow clients were not cut off within %s", slow.Load(), timeout+margin)
	}
	if answered > time.Second {
		t.Errorf("a page took %s to be served during the attack", answered)
	}

	// A header over the limit is refused outright.
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	go fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: %s\r\n\r\n", strings.Repeat("a", 2*def.maxHeaderBytes))
	line, _ := bufio.NewReader(c).ReadString('\n')
	if !strings.HasPrefix(line, "HTTP/1.1 431 ") {
		t.Errorf("a %d KiB header: %q, want 431", 2*def.maxHeaderBytes>>10, line)
	}
	c.Close()

	http.DefaultClient.CloseIdleConnections()
	if after := goroutinesSettle(base, 5*time.Second); after > base+2 {
		t.Errorf("goroutines: %d before the slow clients, %d after", base, after)
	}
}

// TestLoadEventStreamOutlivesTimeouts checks an open page's event stream
// is not cut by the server's read and write timeouts: a page left open
// for an hour still reloads.
func TestLoadEventStreamOutlivesTimeouts(t *testing.T) {
	const timeout = 300 * time.Millisecond
	h := startTuned(t, testsite.New(t, testsite.Fixture()), nil, func(s *Server) {
		s.limits.read = timeout
		s.limits.write = timeout
		s.limits.idle = timeout
	})
	s := h.events(page, h.status().Builds)
	time.Sleep(4 * timeout)
	if st := h.status(); st.Pages != 1 {
		t.Fatalf("%d event streams open %s after connecting, want 1", st.Pages, 4*timeout)
	}
	h.replace("content/guide/02-referral-pathways.md", "In a warm referral", "In a long-open referral")
	if ev := s.next(5 * time.Second); !contains(ev.Changed, page) {
		t.Errorf("event after %s: %+v", 4*timeout, ev)
	}
}

// TestLoadStalledStreamIsCutOff checks a page that keeps its event stream
// open but stops reading it (a frozen tab, a suspended laptop) does not
// hold a server goroutine and connection for ever once the stream's
// buffers are full: each event must be written within the write timeout.
func TestLoadStalledStreamIsCutOff(t *testing.T) {
	const timeout = 500 * time.Millisecond
	h := startTuned(t, testsite.New(t, testsite.Fixture()), nil, func(s *Server) { s.limits.write = timeout })
	http.DefaultClient.CloseIdleConnections()
	base := goroutinesSettle(0, 200*time.Millisecond)

	c, err := net.Dial("tcp", strings.TrimPrefix(h.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.(*net.TCPConn).SetReadBuffer(4 << 10)
	io.WriteString(c, "GET /__hjp/events?file=index.html&build=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	h.waitPages(t, 1)
	// Failed builds whose event carries a 256 KiB source line, until the
	// server has cut the stream off, or far more than the socket buffers
	// hold (Linux: at most 4 MiB to send, and the 4 KiB asked for here to
	// receive) has been sent to it. The server is asked for its build
	// count directly: no other connection comes and goes meanwhile.
	line := "title: [unclosed " + strings.Repeat("a", 256<<10)
	builds := func() int {
		h.srv.mu.RLock()
		defer h.srv.mu.RUnlock()
		return h.srv.builds
	}
	http.DefaultClient.CloseIdleConnections()
	sent, after := 0, 0
	for i := 0; sent < 16<<20; i++ {
		before := builds()
		h.write("content/pages/about.md", "---\n"+line+strconv.Itoa(i)+"\n---\n")
		for deadline := time.Now().Add(10 * time.Second); builds() == before; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("save %d: no build within 10s", i)
			}
		}
		sent += len(line)
		if after = goroutinesSettle(base, 20*time.Millisecond); after <= base {
			break // cut off
		}
	}
	if after > base {
		after = goroutinesSettle(base, 3*time.Second)
	}
	t.Logf("a stream that stopped reading, sent %.1f MiB of events: goroutines %d before it connected, %d after", float64(sent)/(1<<20), base, after)
	if after > base {
		var b strings.Builder
		pprof.Lookup("goroutine").WriteTo(&b, 1)
		t.Errorf("a stream that stopped reading still holds a goroutine (%d before, %d after)\n%s", base, after, b.String())
	}
}
