package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hjp/internal/build"
	"hjp/internal/testsite"
)

// harness runs a real server over a real site folder in a temp dir.
type harness struct {
	t    testing.TB
	dir  string
	srv  *Server
	base string
	out  *syncBuffer
	stop func()
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startIn starts a server over dir and waits for its first build.
func startIn(t testing.TB, dir string, mod func(*Options)) *harness {
	t.Helper()
	return startTuned(t, dir, mod, nil)
}

// startTuned is startIn with a chance to set the server's unexported
// fields (limits, hooks) before it runs.
func startTuned(t testing.TB, dir string, mod func(*Options), tune func(*Server)) *harness {
	t.Helper()
	out := &syncBuffer{}
	opts := Options{Build: build.Options{Source: dir}, Port: 0, PortSet: true, Out: out, Err: out}
	if mod != nil {
		mod(&opts)
	}
	srv := New(opts)
	if tune != nil {
		tune(srv)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	h := &harness{t: t, dir: dir, srv: srv, base: strings.TrimSuffix(srv.URL(), "/"), out: out}
	h.stop = func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("server did not shut down within 5s")
		}
	}
	t.Cleanup(h.stop)
	deadline := time.Now().Add(10 * time.Second)
	for h.status().Builds == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no first build within 10s:\n%s", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	return h
}

// start copies the fixture site into a temp dir and serves it.
func start(t testing.TB) *harness {
	t.Helper()
	return startIn(t, testsite.New(t, testsite.Fixture()), nil)
}

func (h *harness) status() Status {
	h.t.Helper()
	resp, err := http.Get(h.base + "/__hjp/status")
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var st Status
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		h.t.Fatal(err)
	}
	return st
}

// get fetches a path and returns the status, body and headers.
func (h *harness) get(p string) (int, string, http.Header) {
	h.t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(h.base + p)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func (h *harness) write(rel, data string) {
	h.t.Helper()
	testsite.Write(h.t, h.dir, rel, data)
}

func (h *harness) read(rel string) string {
	h.t.Helper()
	b, err := os.ReadFile(filepath.Join(h.dir, filepath.FromSlash(rel)))
	if err != nil {
		h.t.Fatal(err)
	}
	return string(b)
}

func (h *harness) replace(rel, old, new string) {
	h.t.Helper()
	src := h.read(rel)
	if !strings.Contains(src, old) {
		h.t.Fatalf("%s does not contain %q", rel, old)
	}
	h.write(rel, strings.Replace(src, old, new, 1))
}

// stream is an open /__hjp/events connection.
type stream struct {
	t      testing.TB
	hello  Event
	events chan Event
	close  func()
}

// events opens an event stream as the page showing file would.
func (h *harness) events(file string, build int) *stream {
	h.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", h.base+"/__hjp/events?file="+file+"&build="+itoa(build), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		h.t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		h.t.Fatalf("events Content-Type = %q", ct)
	}
	s := &stream{t: h.t, events: make(chan Event, 1000)}
	hello := make(chan Event, 1)
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<22)
		var name string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				var ev Event
				if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev); err != nil {
					continue
				}
				if name == "hello" {
					hello <- ev
				} else {
					s.events <- ev
				}
			}
		}
	}()
	s.close = cancel
	h.t.Cleanup(cancel)
	select {
	case s.hello = <-hello:
	case <-time.After(5 * time.Second):
		h.t.Fatal("no hello event within 5s")
	}
	return s
}

// next waits for the next build event, passing over those that only put
// in a new search index (see nextAny).
func (s *stream) next(within time.Duration) Event {
	s.t.Helper()
	deadline := time.After(within)
	for {
		select {
		case ev := <-s.events:
			if ev.Search {
				continue
			}
			return ev
		case <-deadline:
			s.t.Fatalf("no build event within %s", within)
			return Event{}
		}
	}
}

// nextAny waits for the next build event of any kind.
func (s *stream) nextAny(within time.Duration) Event {
	s.t.Helper()
	select {
	case ev := <-s.events:
		return ev
	case <-time.After(within):
		s.t.Fatalf("no build event within %s", within)
		return Event{}
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// waitPages waits until n pages have their event stream open.
func (h *harness) waitPages(t testing.TB, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for h.status().Pages < n {
		if time.Now().After(deadline) {
			t.Fatalf("fewer than %d pages connected after 10s", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
