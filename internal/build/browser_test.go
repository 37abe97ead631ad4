package build

import (
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"hjp/internal/browsertest"
	"hjp/internal/netlify"
	"hjp/internal/testsite"
)

// browserLog gathers, per page, what a user would see go wrong: console
// errors and warnings (CSP violations among them), exceptions, failed
// requests and responses with an error status.
type browserLog struct {
	mu       sync.Mutex
	page     string
	urls     map[network.RequestID]string
	problems map[string][]string
	allow404 string // the URL whose 404 is expected
}

func (b *browserLog) add(format string, args ...any) {
	b.problems[b.page] = append(b.problems[b.page], fmt.Sprintf(format, args...))
}

func (b *browserLog) listen(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		b.urls[e.RequestID] = e.Request.URL
	case *network.EventLoadingFailed:
		if !e.Canceled {
			b.add("request failed: %s: %s %s", b.urls[e.RequestID], e.ErrorText, e.BlockedReason)
		}
	case *network.EventResponseReceived:
		if e.Response.Status >= 400 && e.Response.URL != b.allow404 {
			b.add("HTTP %d for %s", e.Response.Status, e.Response.URL)
		}
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
			if e.Entry.URL == b.allow404 && strings.Contains(e.Entry.Text, "404") {
				return
			}
			b.add("console %s (%s): %s", e.Entry.Level, e.Entry.Source, e.Entry.Text)
		}
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning || e.Type == runtime.ConsoleAPICalledTypeAssert {
			b.add("console.%s called", e.Type)
		}
	case *runtime.EventExceptionThrown:
		b.add("exception: %s", exceptionText(e.ExceptionDetails))
	}
}

// watchCSP records securitypolicyviolation events in every document. The
// browser runs it through DevTools, so the page's CSP does not apply to it.
const watchCSP = `window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline")));`

// checkPage fetches what the head refers to (icon, stylesheet, feed,
// canonical, sharing image) with the page's CSP in force, and reports
// violations and whether the stylesheet and script were allowed to run.
// A URL shared by many pages (the icon, the feed) is fetched once a tab.
const checkPage = `(async () => {
  if (document.readyState !== "complete") await new Promise(r => addEventListener("load", r, {once: true}));
  const urls = [...document.querySelectorAll("link[href]")].map(l => l.href);
  const og = document.querySelector('meta[property="og:image"]');
  if (og) urls.push(og.content);
  const bad = [];
  for (const u of urls) {
    if (sessionStorage.getItem(u)) continue;
    try { const r = await fetch(u); if (!r.ok) bad.push(r.status + " " + u); else sessionStorage.setItem(u, "ok"); }
    catch (e) { bad.push(String(e) + " " + u); }
  }
  const styled = getComputedStyle(document.querySelector(".site-header") || document.body).borderBottomStyle;
  return {csp: window.__csp || ["watcher missing"], bad, styled, js: document.documentElement.classList.contains("js"), path: location.pathname};
})()`

type pageCheck struct {
	CSP    []string `json:"csp"`
	Bad    []string `json:"bad"`
	Styled string   `json:"styled"`
	JS     bool     `json:"js"`
	Path   string   `json:"path"`
}

// TestBrowserEveryPageUnderCSP is the end-to-end test of a deploy: the
// starter site, built minified as Netlify builds it, served with the
// headers of netlify.toml and the built _headers and _redirects, and every
// page loaded in headless Chromium with the CSP enforced. No page may log
// a CSP violation or any other console error, throw, or fail a request;
// each must get its stylesheet and script through CSP and SRI. A probe
// page with inline code proves the watch catches violations.
func TestBrowserEveryPageUnderCSP(t *testing.T) {
	ctx := browsertest.New(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	origin := "http://" + ln.Addr().String()
	_, dest := buildFixture(t, Options{Source: testsite.New(t, testsite.Root()), BaseURL: origin + "/", Minify: true})
	pages := htmlFiles(t, dest)
	probe := filepath.Join(dest, "csp-probe.html")
	if err := os.WriteFile(probe, []byte(`<!doctype html><html lang="en"><head><title>probe</title></head><body><p style="color:red">inline style</p><script>document.title = "ran"</script></body></html>`), 0o644); err != nil {
		t.Fatal(err)
	}
	rules, d := netlify.Load(os.DirFS(dest), os.DirFS(testsite.Root()))
	if len(d) > 0 {
		t.Fatal(d)
	}
	srv := httptest.NewUnstartedServer(&netlify.Handler{FS: os.DirFS(dest), Rules: rules})
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	defer srv.Close()

	bl := &browserLog{urls: map[network.RequestID]string{}, problems: map[string][]string{}, allow404: origin + "/no-such-page/"}
	if err := chromedp.Listen(ctx, bl.listen); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watchCSP}); err != nil {
		t.Fatal(err)
	}
	visit := func(u, wantPath string) pageCheck {
		bl.mu.Lock()
		bl.page = u
		bl.mu.Unlock()
		tctx, cancel := browsertest.Timeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(tctx, chromedp.Navigate(origin+u)); err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		var res pageCheck
		// A redirect page moves on by itself; wait until it has.
		for range 100 {
			res, err = chromedp.Run(tctx, chromedp.Evaluate[pageCheck](checkPage, chromedp.EvalAwaitPromise))
			if err == nil && res.Path == wantPath {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if err != nil || res.Path != wantPath {
			t.Errorf("%s: ended at %q (%v), want %s", u, res.Path, err, wantPath)
		}
		return res
	}

	// The probe: inline code must be refused, and reported.
	if res := visit("/csp-probe.html", "/csp-probe.html"); len(res.CSP) < 2 || len(bl.problems["/csp-probe.html"]) == 0 {
		t.Fatalf("the CSP watch missed the probe's inline style and script: %v, console %v", res.CSP, bl.problems["/csp-probe.html"])
	}
	delete(bl.problems, "/csp-probe.html")

	visited := 0
	for _, name := range pages {
		u := "/" + strings.TrimSuffix(name, "index.html")
		want := u
		if name == "404.html" {
			u, want = "/no-such-page/", "/no-such-page/"
		}
		if refresh := refreshTarget(t, filepath.Join(dest, name)); refresh != "" {
			want = refresh
		}
		res := visit(u, want)
		visited++
		if len(res.CSP) > 0 || len(res.Bad) > 0 || res.Styled != "solid" || !res.JS {
			t.Errorf("%s: CSP violations %v, failed fetches %v, header border %q (stylesheet applied?), script ran %v", u, res.CSP, res.Bad, res.Styled, res.JS)
		}
	}
	bl.mu.Lock()
	defer bl.mu.Unlock()
	for u, ps := range bl.problems {
		t.Errorf("%s:\n  %s", u, strings.Join(ps, "\n  "))
	}
	t.Logf("loaded %d pages under the CSP", visited)
}

// refreshTarget returns where a redirect page sends the reader, or "".
func refreshTarget(t *testing.T, file string) string {
	for _, m := range findAll(parseHTMLFile(t, file), tag("meta", "http-equiv", "refresh")) {
		_, u, _ := strings.Cut(attr(m, "content"), "url=")
		return u
	}
	return ""
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d.Exception != nil && d.Exception.Description != "" {
		return d.Exception.Description
	}
	return d.Text
}
