package server

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"hjp/internal/build"
	"hjp/internal/netlify/netlifytest"
	"hjp/internal/publish"
	"hjp/internal/testsite"
)

const page = "guide/referral-pathways/index.html"

func TestEditReloadsWithNewHTML(t *testing.T) {
	h := start(t)
	code, body, hdr := h.get("/guide/referral-pathways/")
	if code != 200 || !strings.Contains(body, "Warm referral") {
		t.Fatalf("GET page = %d", code)
	}
	if got := strings.Count(body, `<script src="/__hjp/reload.js"`); got != 1 {
		t.Errorf("page has %d reload scripts, want exactly 1", got)
	}
	if hdr.Get("Cache-Control") != "no-store" || hdr.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("headers: Cache-Control %q, Content-Type %q", hdr.Get("Cache-Control"), hdr.Get("Content-Type"))
	}
	s := h.events(page, h.status().Builds)
	if !s.hello.OK || s.hello.Stale {
		t.Errorf("hello = %+v", s.hello)
	}
	// Words that are not a glossary term, which the page would link.
	h.replace("content/guide/02-referral-pathways.md", "rather than handing over a leaflet", "rather than handing over a LEAFLET")
	ev := s.next(5 * time.Second)
	if !ev.OK || !contains(ev.Changed, page) {
		t.Fatalf("event = %+v, want %s changed", ev, page)
	}
	// The page and the guide's print page; the search index follows in
	// an event of its own (TestPageReloadsBeforeSearchIndex).
	if ev.Rendered == 0 || ev.Rendered > 5 {
		t.Errorf("rendered %d files for a one-page edit", ev.Rendered)
	}
	if _, body, _ := h.get("/guide/referral-pathways/"); !strings.Contains(body, "rather than handing over a LEAFLET") {
		t.Errorf("page after the reload event is not the new one")
	}
	if !strings.Contains(h.out.String(), "content/guide/02-referral-pathways.md changed: re-rendered") {
		t.Errorf("terminal does not report the rebuild:\n%s", h.out.String())
	}
	// A page opened before the edit and connecting only now is told it
	// is stale.
	if late := h.events(page, ev.Build-1); !late.hello.Stale {
		t.Errorf("a page served before the edit is not stale: %+v", late.hello)
	}
}

func TestNoOutputChangeNoReload(t *testing.T) {
	h := start(t)
	s := h.events(page, h.status().Builds)
	src := h.read("content/guide/02-referral-pathways.md")
	h.write("content/guide/02-referral-pathways.md", src)
	ev := s.next(5 * time.Second)
	if !ev.OK || len(ev.Changed) != 0 || len(ev.Removed) != 0 || ev.All {
		t.Errorf("saving the same bytes: event %+v, want no changes", ev)
	}
}

func TestNewDirectoryIsWatched(t *testing.T) {
	h := start(t)
	s := h.events("pages/policies/privacy/index.html", 0)
	h.write("content/pages/policies/privacy.md", "---\ntitle: Privacy\nsummary: What we keep.\n---\n\nWe keep nothing.\n")
	ev := s.next(5 * time.Second)
	if !contains(ev.Changed, "pages/policies/privacy/index.html") {
		t.Fatalf("new page not built: %+v", ev)
	}
	// Only a watched folder reports this edit.
	h.replace("content/pages/policies/privacy.md", "We keep nothing.", "We keep nothing at all.")
	ev = s.next(5 * time.Second)
	if !contains(ev.Changed, "pages/policies/privacy/index.html") {
		t.Fatalf("edit in the new folder not seen: %+v", ev)
	}
	// A folder renamed away and back in under a new name is watched too.
	if err := os.Rename(filepath.Join(h.dir, "content/pages/policies"), filepath.Join(h.dir, "content/pages/rules")); err != nil {
		t.Fatal(err)
	}
	ev = s.next(5 * time.Second)
	if !contains(ev.Removed, "pages/policies/privacy/index.html") || !contains(ev.Changed, "pages/rules/privacy/index.html") {
		t.Fatalf("folder rename: %+v", ev)
	}
	h.replace("content/pages/rules/privacy.md", "at all", "whatsoever")
	ev = s.next(5 * time.Second)
	if !contains(ev.Changed, "pages/rules/privacy/index.html") {
		t.Fatalf("edit in the renamed folder not seen: %+v", ev)
	}
	if _, body, _ := h.get("/pages/rules/privacy/"); !strings.Contains(body, "whatsoever") {
		t.Errorf("renamed folder's page is stale")
	}
}

func TestDeletedPage(t *testing.T) {
	h := start(t)
	s := h.events("pages/about/index.html", h.status().Builds)
	if err := os.Remove(filepath.Join(h.dir, "content/pages/about.md")); err != nil {
		t.Fatal(err)
	}
	ev := s.next(5 * time.Second)
	if !ev.OK || !contains(ev.Removed, "pages/about/index.html") {
		t.Fatalf("event = %+v", ev)
	}
	code, body, _ := h.get("/pages/about/")
	if code != 404 || !strings.Contains(body, `href="/"`) || !strings.Contains(body, "/__hjp/reload.js") {
		t.Errorf("deleted page: %d, want 404 with a link home and the reload script", code)
	}
	if !contains(ev.Changed, "pages/index.html") {
		t.Errorf("the section listing the deleted page did not change: %v", ev.Changed)
	}
}

// TestAtomicSaves replays the file operations of editors that never write
// a file in place, and checks each save is one build that never shows
// the page missing.
func TestAtomicSaves(t *testing.T) {
	h := start(t)
	file := filepath.Join(h.dir, "content/guide/02-referral-pathways.md")
	saves := []struct {
		name string
		save func(data string)
	}{
		{"write temp then rename over (VS Code, Sublime, Go editors)", func(data string) {
			tmp := filepath.Join(h.dir, "content/guide/.02-referral-pathways.md.tmp")
			os.WriteFile(tmp, []byte(data), 0o644)
			os.Rename(tmp, file)
		}},
		{"vim: probe 4913, move the original to a backup, write, delete the backup", func(data string) {
			probe := filepath.Join(h.dir, "content/guide/4913")
			os.WriteFile(probe, nil, 0o644)
			os.Remove(probe)
			os.Rename(file, file+"~")
			time.Sleep(2 * time.Millisecond)
			os.WriteFile(file, []byte(data), 0o644)
			os.Chmod(file, 0o644)
			os.Remove(file + "~")
		}},
		{"JetBrains safe write", func(data string) {
			tmp := file + "___jb_tmp___"
			old := file + "___jb_old___"
			os.WriteFile(tmp, []byte(data), 0o644)
			os.Rename(file, old)
			os.Rename(tmp, file)
			os.Remove(old)
		}},
	}
	for i, sv := range saves {
		s := h.events(page, h.status().Builds)
		text := "Saved by editor " + strconv.Itoa(i) + "."
		sv.save(h.read("content/guide/02-referral-pathways.md") + "\n" + text + "\n")
		// Wait for the build with the save (a slow machine may first
		// deliver a build of the previous save that changed nothing).
		for {
			ev := s.next(10 * time.Second)
			if !ev.OK || contains(ev.Removed, page) {
				t.Fatalf("%s: event %+v", sv.name, ev)
			}
			if contains(ev.Changed, page) {
				break
			}
		}
		// A slow machine may split a save over two builds; the second then
		// changes nothing, so nothing reloads.
		for end := time.After(300 * time.Millisecond); ; {
			select {
			case ev := <-s.events:
				if !ev.Search && (len(ev.Changed)+len(ev.Removed) > 0 || ev.All) {
					t.Errorf("%s: a second build changed the site: %+v", sv.name, ev)
				}
				continue
			case <-end:
			}
			break
		}
		if _, body, _ := h.get("/guide/referral-pathways/"); !strings.Contains(body, text) {
			t.Errorf("%s: the page does not show the save", sv.name)
		}
		s.close()
	}
}

func TestBrokenFrontMatterKeepsLastGoodSite(t *testing.T) {
	h := start(t)
	s := h.events(page, h.status().Builds)
	good := h.read("content/guide/02-referral-pathways.md")
	h.replace("content/guide/02-referral-pathways.md", "weight: 2", "weight: two")
	ev := s.next(5 * time.Second)
	if ev.OK || len(ev.Errors) == 0 {
		t.Fatalf("broken front matter: event %+v", ev)
	}
	e := ev.Errors[0]
	if e.Path != "content/guide/02-referral-pathways.md" || e.Line != 4 || e.Col == 0 || !strings.Contains(e.Source, "weight: two") || e.Message == "" {
		t.Errorf("overlay data = %+v", e)
	}
	code, body, _ := h.get("/guide/referral-pathways/")
	if code != 200 || !strings.Contains(body, "Warm referral") {
		t.Errorf("the last good page is not served: %d", code)
	}
	if st := h.status(); st.OK || len(st.Errors) == 0 || st.Files == 0 {
		t.Errorf("status = %+v", st)
	}
	if late := h.events(page, ev.Build); late.hello.OK || len(late.hello.Errors) == 0 {
		t.Errorf("a page opened now does not get the errors: %+v", late.hello)
	}
	if out := h.out.String(); !strings.Contains(out, "content/guide/02-referral-pathways.md:4:") || !strings.Contains(out, "still serving the last good site") {
		t.Errorf("terminal:\n%s", out)
	}
	h.write("content/guide/02-referral-pathways.md", good)
	ev = s.next(5 * time.Second)
	if !ev.OK || len(ev.Errors) != 0 {
		t.Errorf("fixed: event %+v", ev)
	}
	if st := h.status(); !st.OK || len(st.Errors) != 0 {
		t.Errorf("fixed: status %+v", st)
	}
}

func TestBurstOfWritesIsAtMostTwoBuilds(t *testing.T) {
	h := start(t)
	s := h.events("index.html", h.status().Builds)
	st := h.status()
	before := st.Builds - st.SearchBuilds
	for i := range 200 {
		h.write("content/pages/burst-"+strconv.Itoa(i)+".md", "---\ntitle: Burst "+strconv.Itoa(i)+"\nsummary: One of many.\n---\n\nText.\n")
	}
	// Wait until the last write is served, however slow the machine.
	for {
		ev := s.next(10 * time.Second)
		if contains(ev.Changed, "pages/burst-199/index.html") {
			break
		}
	}
	time.Sleep(300 * time.Millisecond)
	st = h.status()
	builds := st.Builds - st.SearchBuilds - before
	if builds < 1 || builds > 2 {
		t.Errorf("200 writes caused %d builds, want 1 or 2", builds)
	}
	if code, _, _ := h.get("/pages/burst-199/"); code != 200 {
		t.Errorf("last page of the burst not served: %d", code)
	}
	t.Logf("200 writes: %d builds", builds)
}

func TestStylesheetEditSwapsWithoutReload(t *testing.T) {
	h := start(t)
	s := h.events(page, h.status().Builds)
	css := filepath.Join(h.dir, "themes/default/assets/css/main.css")
	b, _ := os.ReadFile(css)
	os.WriteFile(css, append(b, "\nbody { outline: 1px solid red; }\n"...), 0o644)
	ev := s.next(5 * time.Second)
	if !ev.OK || len(ev.CSS) != 1 || ev.All {
		t.Fatalf("event = %+v", ev)
	}
	for _, c := range ev.Changed {
		if strings.HasSuffix(c, ".html") {
			t.Errorf("%s is listed as changed; only the stylesheet changed", c)
		}
	}
	code, body, hdr := h.get(ev.CSS[0].To)
	if code != 200 || !strings.Contains(body, "outline: 1px solid red") || hdr.Get("Content-Type") != "text/css; charset=utf-8" {
		t.Errorf("new stylesheet: %d %q", code, hdr.Get("Content-Type"))
	}
	if _, page, _ := h.get("/guide/referral-pathways/"); !strings.Contains(page, ev.CSS[0].To) || !strings.Contains(page, attrEscape(ev.CSS[0].Integrity)) {
		t.Errorf("page does not link the new stylesheet")
	}
}

func TestPreviewIsThePublishedSite(t *testing.T) {
	dir := testsite.New(t, testsite.Fixture())
	testsite.Write(t, dir, "netlify.toml", `[build]
command = "go run ./cmd/hjp build"
publish = "public"

[[headers]]
for = "/*"
[headers.values]
Content-Security-Policy = "default-src 'self'"
X-Content-Type-Options = "nosniff"

[[redirects]]
from = "/old-guide/*"
to = "/guide/:splat"
`)
	h := startIn(t, dir, nil)
	_, _, hdr := h.get("/guide/")
	if hdr.Get("Content-Security-Policy") != "default-src 'self'" || hdr.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("netlify.toml headers missing: %v", hdr)
	}
	if _, _, hdr := h.get("/nowhere/"); hdr.Get("Content-Security-Policy") == "" {
		t.Errorf("the 404 page lacks the CSP")
	}
	if code, _, hdr := h.get("/old-guide/referral-pathways/"); code != 301 || hdr.Get("Location") != "/guide/referral-pathways/" {
		t.Errorf("netlify.toml redirect: %d %q", code, hdr.Get("Location"))
	}
	// The short link is a forced rule in the built _redirects, so it
	// redirects even though its HTML fallback page exists.
	if code, _, hdr := h.get("/f/1/"); code != 301 || hdr.Get("Location") != "/findings/f01-access-to-advice/" {
		t.Errorf("short link: %d %q", code, hdr.Get("Location"))
	}
	if code, _, _ := h.get("/_redirects"); code != 404 {
		t.Errorf("_redirects is served: %d", code)
	}
	// An edit to netlify.toml reloads every page.
	s := h.events(page, h.status().Builds)
	h.replace("netlify.toml", `"nosniff"`, `"nosniff"`+"\nX-Frame-Options = \"DENY\"")
	if ev := s.next(5 * time.Second); !ev.All {
		t.Errorf("netlify.toml change: %+v, want every page reloaded", ev)
	}
	if _, _, hdr := h.get("/guide/"); hdr.Get("X-Frame-Options") != "DENY" {
		t.Errorf("new netlify.toml header not applied")
	}
	// A broken netlify.toml is an error in the overlay; the last good
	// rules stay in force.
	h.replace("netlify.toml", `from = "/old-guide/*"`, `from = "old-guide/*"`)
	ev := s.next(5 * time.Second)
	if ev.OK || len(ev.Errors) != 1 || ev.Errors[0].Path != "netlify.toml" || ev.Errors[0].Line != 13 {
		t.Errorf("broken netlify.toml: %+v", ev)
	}
	if code, _, _ := h.get("/old-guide/x/"); code != 301 {
		t.Errorf("the last good rules are not in force: %d", code)
	}
}

func TestTraversalIsNotFound(t *testing.T) {
	h := start(t)
	os.WriteFile(filepath.Join(filepath.Dir(h.dir), "secret.txt"), []byte("SECRET"), 0o644)
	os.WriteFile(filepath.Join(h.dir, "secret.txt"), []byte("SECRET"), 0o644)
	addr := strings.TrimPrefix(h.base, "http://")
	for _, target := range netlifytest.TraversalPaths {
		code, body := netlifytest.RawGet(t, addr, target)
		if code != 404 || strings.Contains(body, "SECRET") || strings.Contains(body, "base_url") {
			t.Errorf("GET %s = %d, want 404 and nothing from outside the site", target, code)
		}
	}
	for _, p := range []string{"/content/site.yaml", "/secret.txt", "/themes/default/layouts/baseof.html", "/assets/"} {
		if code, _, _ := h.get(p); code != 404 {
			t.Errorf("GET %s = %d, want 404", p, code)
		}
	}
}

func TestForeignHostIsRefused(t *testing.T) {
	h := start(t)
	req, _ := http.NewRequest("GET", h.base+"/", nil)
	req.Host = "attacker.example"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("Host attacker.example: %d, want 403", resp.StatusCode)
	}
	for _, host := range []string{"localhost", "127.0.0.1:1313", "[::1]:80"} {
		if !localHost(host) {
			t.Errorf("localHost(%q) = false", host)
		}
	}
}

func TestFirstBuildBroken(t *testing.T) {
	dir := testsite.New(t, testsite.Fixture())
	testsite.Write(t, dir, "content/pages/broken.md", "---\ntitle: [unclosed\n---\n")
	h := startIn(t, dir, nil)
	code, body, _ := h.get("/guide/")
	if code != 503 || !strings.Contains(body, "content/pages/broken.md:2:") || !strings.Contains(body, "/__hjp/reload.js") {
		t.Fatalf("before a good build: %d\n%s", code, body)
	}
	s := h.events("guide/index.html", 1)
	os.Remove(filepath.Join(dir, "content/pages/broken.md"))
	ev := s.next(5 * time.Second)
	if !ev.OK || !contains(ev.Changed, "guide/index.html") {
		t.Errorf("fixed: %+v", ev)
	}
	if code, _, _ := h.get("/guide/"); code != 200 {
		t.Errorf("after the fix: %d", code)
	}
}

func TestPolling(t *testing.T) {
	dir := testsite.New(t, testsite.Fixture())
	h := startIn(t, dir, func(o *Options) { o.Poll = 50 * time.Millisecond })
	s := h.events(page, h.status().Builds)
	h.replace("content/guide/02-referral-pathways.md", "In a warm referral", "In a polled referral")
	if ev := s.next(5 * time.Second); !contains(ev.Changed, page) {
		t.Errorf("polling: %+v", ev)
	}
}

func TestPortTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	dir := testsite.New(t, testsite.Fixture())
	explicit := New(Options{Build: build.Options{Source: dir}, Port: port, PortSet: true})
	err = explicit.Listen()
	if err == nil || !strings.Contains(err.Error(), "already in use") || !strings.Contains(err.Error(), "--port") {
		t.Errorf("explicit port taken: %v", err)
	}
	var out syncBuffer
	auto := New(Options{Build: build.Options{Source: dir}, Port: port, Out: &out})
	if err := auto.Listen(); err != nil {
		t.Fatalf("default port taken: %v", err)
	}
	defer auto.ln.Close()
	if auto.URL() == "http://127.0.0.1:"+strconv.Itoa(port)+"/" || !strings.Contains(out.String(), "is in use; using") {
		t.Errorf("did not move to a free port: %s (%s)", auto.URL(), out.String())
	}
}

func TestBuildOutputHasNoReloadScript(t *testing.T) {
	dir := testsite.New(t, testsite.Fixture())
	mem := publish.NewMemory()
	if res := build.Run(os.DirFS(dir), build.Options{Source: dir}, mem); res.Failed() {
		t.Fatal(res.Diags.Err())
	}
	for p, b := range mem.Files {
		if strings.Contains(string(b), "__hjp") {
			t.Errorf("build output %s mentions __hjp", p)
		}
	}
}

func TestOwnFiles(t *testing.T) {
	h := start(t)
	for p, ct := range map[string]string{"/__hjp/reload.js": "text/javascript; charset=utf-8", "/__hjp/overlay.css": "text/css; charset=utf-8"} {
		code, body, hdr := h.get(p)
		if code != 200 || hdr.Get("Content-Type") != ct || len(body) == 0 {
			t.Errorf("%s: %d %q", p, code, hdr.Get("Content-Type"))
		}
		if strings.Contains(body, "style=") || strings.Contains(body, ".style.") || strings.Contains(body, "innerHTML") {
			t.Errorf("%s sets inline styles or HTML; the overlay must use DOM APIs and the stylesheet", p)
		}
	}
	if code, _, _ := h.get("/__hjp/nothing"); code != 404 {
		t.Errorf("/__hjp/nothing: %d", code)
	}
}
