package server

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"hjp/internal/corpus"
	"hjp/internal/testsite"
)

// The latency benchmarks measure what an editor waits for: from the
// moment a saved file is written to the moment the open page is told to
// reload (the SSE event), or, for the comparison with `hugo server`, to
// the moment the server returns the new page (polled the same way for
// both). Each iteration is one one-page body edit. Run them with enough
// iterations for a p95, and on a RAM disk:
//
//	TMPDIR=/dev/shm go test -run '^$' -bench 'Reload|NewPage' -benchtime 40x ./internal/server
//
// They report the median and 95th percentile in milliseconds and the
// median number of output files re-rendered per edit. The 10,000-page
// ones and the Hugo one are skipped with -short; the Hugo one also when
// hugo is not installed (apt-get install --no-install-recommends hugo).

// benchDir makes a site folder: the repository's own content ("starter")
// or an n-page corpus, with the repository's themes.
func benchDir(b *testing.B, n int) string {
	b.Helper()
	if n == 0 {
		return testsite.Starter(b)
	}
	if testing.Short() {
		b.Skip("large corpus: run without -short")
	}
	dir := testsite.Starter(b)
	if err := os.RemoveAll(filepath.Join(dir, "content")); err != nil {
		b.Fatal(err)
	}
	if err := corpus.Write(dir, n, 1); err != nil {
		b.Fatal(err)
	}
	return dir
}

// benchPage picks the finding in the middle of the site to edit, and
// returns its source path and its output file.
func benchPage(b *testing.B, dir string) (src, out, url string) {
	b.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "content", "findings"))
	if err != nil {
		b.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") && e.Name() != "_index.md" {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	name := names[len(names)/2]
	slug := strings.TrimSuffix(name, ".md")
	return filepath.Join(dir, "content", "findings", name), "findings/" + slug + "/index.html", "/findings/" + slug + "/"
}

// latencies summarises samples for b.ReportMetric.
func report(b *testing.B, samples []time.Duration, rendered []int) {
	b.Helper()
	if len(samples) == 0 {
		return
	}
	slices.Sort(samples)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(samples[len(samples)/2]), "ms-median")
	b.ReportMetric(ms(samples[min(len(samples)-1, len(samples)*95/100)]), "ms-p95")
	if len(rendered) > 0 {
		slices.Sort(rendered)
		b.ReportMetric(float64(rendered[len(rendered)/2]), "rendered/edit")
	}
	b.ReportMetric(0, "ns/op")
}

// BenchmarkReloadEvent edits one page again as soon as its reload event
// arrives, which also cancels the search index the last edit left to
// make; the "settled" variants wait for that index (its event) before the
// next edit, as an editor who pauses does, and report the time from the
// write to the search event too (search-ms-median).
func BenchmarkReloadEvent(b *testing.B) {
	for _, tc := range []struct {
		name    string
		pages   int
		settled bool
	}{{"starter", 0, false}, {"starter-settled", 0, true}, {"corpus-1000", 1000, false}, {"corpus-10000", 10000, false}, {"corpus-10000-settled", 10000, true}} {
		b.Run(tc.name, func(b *testing.B) {
			dir := benchDir(b, tc.pages)
			h := startIn(b, dir, nil)
			src, out, _ := benchPage(b, dir)
			s := h.events(out, h.status().Builds)
			base, _ := os.ReadFile(src)
			var samples, searched []time.Duration
			var rendered []int
			i := 0
			for b.Loop() {
				i++
				marker := fmt.Sprintf("Edit number %d for the benchmark.", i)
				start := time.Now()
				if err := os.WriteFile(src, fmt.Appendf(slices.Clone(base), "\n%s\n", marker), 0o644); err != nil {
					b.Fatal(err)
				}
				for {
					ev := s.next(30 * time.Second)
					if contains(ev.Changed, out) {
						samples = append(samples, time.Since(start))
						rendered = append(rendered, ev.Rendered)
						break
					}
				}
				for tc.settled {
					if ev := s.nextAny(30 * time.Second); ev.Search {
						searched = append(searched, time.Since(start))
						break
					}
				}
			}
			b.StopTimer()
			if _, body, _ := h.get("/" + strings.TrimSuffix(out, "index.html")); !strings.Contains(body, fmt.Sprintf("Edit number %d", i)) {
				b.Errorf("the page does not show the last edit")
			}
			report(b, samples, rendered)
			if len(searched) > 0 {
				slices.Sort(searched)
				b.ReportMetric(float64(searched[len(searched)/2].Microseconds())/1000, "search-ms-median")
			}
		})
	}
}

// BenchmarkNewPage compares hjp serve and hugo server on the same
// 10,000-page corpus the same way: write the file, then poll the page
// every millisecond until it shows the edit.
func BenchmarkNewPage(b *testing.B) {
	if testing.Short() {
		b.Skip("large corpus: run without -short")
	}
	dir := benchDir(b, 10000)
	src, _, url := benchPage(b, dir)
	b.Run("hjp-10000", func(b *testing.B) {
		h := startIn(b, dir, nil)
		pollEdits(b, src, h.base+url)
	})
	b.Run("hugo-10000", func(b *testing.B) {
		base, out := startHugo(b, dir)
		pollEdits(b, src, base+url)
		b.Logf("hugo server's last lines:\n%s", tail(out.String(), 12))
	})
}

// pollEdits edits src once per iteration and polls pageURL until the new
// text is served.
func pollEdits(b *testing.B, src, pageURL string) {
	b.Helper()
	orig, _ := os.ReadFile(src)
	defer os.WriteFile(src, orig, 0o644)
	client := &http.Client{Timeout: 10 * time.Second}
	fetch := func() string {
		resp, err := client.Get(pageURL)
		if err != nil {
			return ""
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	if !strings.Contains(fetch(), "<html") {
		b.Fatalf("%s is not served", pageURL)
	}
	var samples []time.Duration
	i := 0
	for b.Loop() {
		i++
		marker := fmt.Sprintf("Polled edit %d of the comparison.", i)
		start := time.Now()
		os.WriteFile(src, fmt.Appendf(slices.Clone(orig), "\n%s\n", marker), 0o644)
		for !strings.Contains(fetch(), marker) {
			if time.Since(start) > 2*time.Minute {
				b.Fatalf("edit %d not served after 2 minutes", i)
			}
			time.Sleep(time.Millisecond)
		}
		samples = append(samples, time.Since(start))
		// Let the server settle before the next save.
		time.Sleep(50 * time.Millisecond)
	}
	b.StopTimer()
	report(b, samples, nil)
}

// startHugo runs `hugo server` on the corpus with the minimal layout of
// internal/corpus/hugo and returns its base URL once the home page is
// served. Hugo 0.111 (Debian's) serves from memory by default, as hjp
// does, and re-renders only visited pages ("fast render mode").
func startHugo(b *testing.B, dir string) (string, *syncBuffer) {
	b.Helper()
	hugo, err := exec.LookPath("hugo")
	if err != nil {
		b.Skip("hugo is not installed: apt-get install --no-install-recommends hugo")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, hugo, "server", "--bind", "127.0.0.1", "--port", strconv.Itoa(port),
		"--baseURL", "http://127.0.0.1:"+strconv.Itoa(port)+"/", "--appendPort=false",
		"-s", filepath.Join(testsite.Root(), "internal", "corpus", "hugo"), "--contentDir", filepath.Join(dir, "content"),
		"--cacheDir", b.TempDir())
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		cancel()
		b.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	b.Cleanup(func() {
		cancel()
		<-exited
	})
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(5 * time.Minute)
	for {
		resp, err := http.Get(base + "/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return base, &out
			}
		}
		select {
		case <-exited:
			b.Fatalf("hugo server stopped:\n%s", out.String())
		default:
		}
		if time.Now().After(deadline) {
			b.Fatalf("hugo server did not serve the home page within 5 minutes:\n%s", out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
