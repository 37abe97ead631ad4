package server

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"hjp/internal/search"
	"hjp/internal/testsite"
)

const searchPage = "search/index.html"

// heldIndexing starts a server whose background indexing waits for
// release (or for being cancelled); started receives each indexing's
// context as it begins.
func heldIndexing(t *testing.T) (h *harness, release func(), started chan context.Context) {
	t.Helper()
	gate := make(chan struct{})
	started = make(chan context.Context, 10)
	h = startTuned(t, testsite.New(t, testsite.Fixture()), nil, func(s *Server) {
		s.beforeIndex = func(ctx context.Context) {
			started <- ctx
			select {
			case <-gate:
			case <-ctx.Done():
			}
		}
	})
	var once sync.Once
	return h, func() { once.Do(func() { close(gate) }) }, started
}

// indexFiles returns the metadata file the served search page names and
// every index file that metadata names, each checked to be served.
func (h *harness) indexFiles(t *testing.T) (meta string, files []string) {
	t.Helper()
	code, body, _ := h.get("/search/")
	m := regexp.MustCompile(`data-search-index="(/[^"]+)"`).FindStringSubmatch(body)
	if code != 200 || m == nil {
		t.Fatalf("GET /search/ = %d, names no index", code)
	}
	meta = m[1]
	code, data, _ := h.get(meta)
	if code != 200 {
		t.Fatalf("the search page names %s, which is %d", meta, code)
	}
	files, err := search.MetaFiles([]byte(data))
	if err != nil {
		t.Fatalf("%s: %v", meta, err)
	}
	for _, f := range files {
		if code, _, _ := h.get("/" + f); code != 200 {
			t.Errorf("%s names /%s, which is %d", meta, f, code)
		}
	}
	return meta, files
}

// served reports whether any of the index files holds text.
func (h *harness) served(files []string, text string) bool {
	for _, f := range files {
		if _, body, _ := h.get("/" + f); strings.Contains(body, text) {
			return true
		}
	}
	return false
}

// TestPageReloadsBeforeSearchIndex holds the search indexing back and
// checks that an edit still reloads its page at once, while the search
// page keeps serving the last index whole; once the indexing runs, the
// search page (and only it) reloads, the new index is served whole, and
// the replaced index files are still served to search pages loaded
// before it.
func TestPageReloadsBeforeSearchIndex(t *testing.T) {
	h, release, started := heldIndexing(t)
	defer release()
	pageEvents := h.events(page, h.status().Builds)
	searchEvents := h.events(searchPage, h.status().Builds)
	oldMeta, oldFiles := h.indexFiles(t)
	const word = "Zymurgical"
	term, _ := search.Term(strings.ToLower(word))
	if h.served(oldFiles, `"`+term+`"`) {
		t.Fatalf("the index has %q before the edit", term)
	}

	h.replace("content/guide/02-referral-pathways.md", "rather than handing over a leaflet", "rather than handing over a "+word+" leaflet")
	ev := pageEvents.nextAny(5 * time.Second)
	if ev.Search || !ev.OK || !contains(ev.Changed, page) {
		t.Fatalf("first event = %+v, want the page changed", ev)
	}
	for _, c := range ev.Changed {
		if c == searchPage || strings.HasPrefix(c, search.Dir+"/") {
			t.Errorf("the page's event names the search output %s before the index is made", c)
		}
	}
	if ev.Rendered > 5 {
		t.Errorf("rendered %d files for a one-page edit", ev.Rendered)
	}
	if _, body, _ := h.get("/guide/referral-pathways/"); !strings.Contains(body, word) {
		t.Errorf("the page does not show the edit")
	}
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("the search index is not being made")
	}
	// Held back: the search page and its index are the last ones, whole.
	if meta, _ := h.indexFiles(t); meta != oldMeta {
		t.Errorf("the search page names %s before the new index is made, want %s", meta, oldMeta)
	}
	if ev := searchEvents.nextAny(5 * time.Second); ev.Build != pageEvents.hello.Build+1 || contains(ev.Changed, searchPage) {
		t.Errorf("the search page's first event = %+v", ev)
	}

	release()
	ev = searchEvents.nextAny(10 * time.Second)
	if !ev.Search || !ev.OK || !slices.Equal(ev.Changed, []string{searchPage}) || ev.All {
		t.Fatalf("search event = %+v, want only the search page changed", ev)
	}
	newMeta, newFiles := h.indexFiles(t)
	if newMeta == oldMeta {
		t.Fatalf("the search page still names %s", oldMeta)
	}
	if !h.served(newFiles, `"`+term+`"`) {
		t.Errorf("the new index does not have %q", term)
	}
	// A search page loaded before still finds every file it names.
	for _, f := range append(oldFiles, strings.TrimPrefix(oldMeta, "/")) {
		if code, _, _ := h.get("/" + f); code != 200 {
			t.Errorf("the last index's /%s is %d after the new index came", f, code)
		}
	}
	// The edited page's stream sees the search event but its page is not
	// in it, so it does not reload.
	if ev := pageEvents.nextAny(5 * time.Second); !ev.Search || contains(ev.Changed, page) {
		t.Errorf("the page's second event = %+v", ev)
	}
	if !strings.Contains(h.out.String(), "search index rebuilt") {
		t.Errorf("the terminal does not report the new index:\n%s", h.out.String())
	}
}

// TestNewerEditCancelsIndexing makes a second edit while the first
// edit's index is held back: the first indexing is cancelled, and the
// index published is the second edit's.
func TestNewerEditCancelsIndexing(t *testing.T) {
	h, release, started := heldIndexing(t)
	defer release()
	s := h.events(page, h.status().Builds)
	edit := func(word string) context.Context {
		t.Helper()
		h.replace("content/guide/02-referral-pathways.md", "rather than handing over a", "rather than handing over a "+word)
		for {
			if ev := s.next(5 * time.Second); contains(ev.Changed, page) {
				break
			}
		}
		select {
		case ctx := <-started:
			return ctx
		case <-time.After(5 * time.Second):
			t.Fatal("the search index is not being made")
			return nil
		}
	}
	first := edit("zymurgy")
	second := edit("quokka")
	select {
	case <-first.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the first edit's indexing is not cancelled by the second edit")
	}
	if second.Err() != nil {
		t.Fatal("the second edit's indexing is cancelled")
	}
	release()
	for {
		if ev := s.nextAny(10 * time.Second); ev.Search {
			break
		}
	}
	_, files := h.indexFiles(t)
	for _, word := range []string{"zymurgy", "quokka"} {
		term, _ := search.Term(word)
		if !h.served(files, `"`+term+`"`) {
			t.Errorf("the index lacks %q", term)
		}
	}
	if st := h.status(); st.SearchBuilds != 1 {
		t.Errorf("%d search indexes published, want 1 (the first was cancelled)", st.SearchBuilds)
	}
}

// TestStreamOfWritesStillBuilds writes a page more often than the
// debounce allows for longer than the longest wait: open pages must
// still refresh while the writes go on.
//
// The writes come from another process, as an editor's or a sync's do.
// A writer goroutine in this process waited for a core between
// truncating the file and writing it while the build's workers held
// both, and builds read the file empty.
func TestStreamOfWritesStillBuilds(t *testing.T) {
	if path := os.Getenv("HJP_TEST_STREAM_WRITES"); path != "" {
		// The writer: run by the test below until it is killed.
		orig, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; ; i++ {
			time.Sleep(50 * time.Millisecond)
			if err := os.WriteFile(path, []byte(string(orig)+"\nWrite number "+strconv.Itoa(i)+".\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	h := startIn(t, testsite.New(t, testsite.Fixture()), func(o *Options) { o.Debounce = 300 * time.Millisecond })
	s := h.events(page, h.status().Builds)
	writer := exec.Command(os.Args[0], "-test.run=^TestStreamOfWritesStillBuilds$", "-test.count=1")
	writer.Env = append(os.Environ(), "HJP_TEST_STREAM_WRITES="+filepath.Join(h.dir, "content", "guide", "02-referral-pathways.md"))
	writer.Stdout, writer.Stderr = os.Stderr, os.Stderr
	begin := time.Now()
	if err := writer.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		writer.Wait()
		close(exited)
	}()
	defer func() {
		writer.Process.Kill()
		<-exited
	}()
	ev := s.next(5 * time.Second)
	if waited := time.Since(begin); waited > DefaultMaxWait+time.Second {
		t.Errorf("the first build of a stream of writes came after %s, want about %s", waited, DefaultMaxWait)
	}
	// os.WriteFile truncates, then writes: a build may read the file in
	// between, on a loaded machine, and report it empty. Either way it is
	// a build of the page, made while the writes go on.
	caughtEmpty := false
	for _, e := range ev.Errors {
		caughtEmpty = caughtEmpty || !ev.OK && e.Path == "content/guide/02-referral-pathways.md" && strings.Contains(e.Message, "file is empty")
	}
	if !contains(ev.Changed, page) && !caughtEmpty {
		t.Errorf("event = %+v, want the page changed", ev)
	}
	select {
	case <-exited:
		t.Fatal("the writer stopped before the build: the test checks nothing")
	default:
	}
}
