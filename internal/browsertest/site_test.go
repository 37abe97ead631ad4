package browsertest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"hjp/internal/browsertest"
	"hjp/internal/build"
	"hjp/internal/testsite"
)

// tabs is how many pages are checked at once, each in a tab of one browser.
const tabs = 3

// axeTags are the axe-core rule tags of WCAG 2.2 level A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// axeColourRules are the WCAG A and AA rules of axe-core whose result
// depends on colours: text contrast, and links told apart from the text
// around them.
var axeColourRules = []string{"color-contrast", "link-in-text-block"}

// builtSite is a site built into a temporary folder and served over HTTP.
type builtSite struct {
	name string
	dir  string // the output folder
	url  string // the server's origin, no trailing slash
	// pages are the site paths of the HTML pages ("/guide/x/"), without
	// the alias pages that only redirect.
	pages []string
	// html are all HTML files, relative to dir, alias pages included.
	html []string
}

// buildSite builds the content of fixture (a folder holding content/) with
// the repository's theme and serves the output with httptest.
func buildSite(t *testing.T, name, fixture string) *builtSite {
	t.Helper()
	src := testsite.New(t, fixture)
	dest := filepath.Join(t.TempDir(), "public")
	srv := httptest.NewServer(http.FileServer(http.Dir(dest)))
	t.Cleanup(srv.Close)
	res := build.Build(build.Options{Source: src, Dest: dest, BaseURL: srv.URL + "/"})
	if res.Failed() {
		t.Fatalf("%s: build failed:\n%v", name, res.Diags.Err())
	}
	s := &builtSite{name: name, dir: dest, url: srv.URL}
	err := filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".html" {
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		rel = filepath.ToSlash(rel)
		s.html = append(s.html, rel)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), `http-equiv="refresh"`) {
			return nil
		}
		s.pages = append(s.pages, sitePath(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(s.pages)
	return s
}

// sitePath turns an output file into the path it is served at.
func sitePath(rel string) string {
	if rel == "index.html" {
		return "/"
	}
	if strings.HasSuffix(rel, "/index.html") {
		return "/" + strings.TrimSuffix(rel, "index.html")
	}
	return "/" + rel
}

// sites builds the fixture and the repository's real content.
// HJP_TEST_SITE=fixture (or content) builds only one, to iterate faster.
func sites(t *testing.T) []*builtSite {
	var out []*builtSite
	for _, s := range []struct{ name, dir string }{{"fixture", testsite.Fixture()}, {"content", testsite.Root()}} {
		if only := os.Getenv("HJP_TEST_SITE"); only == "" || only == s.name {
			out = append(out, buildSite(t, s.name, s.dir))
		}
	}
	return out
}

// TestEveryPageInChromium visits every page of the fixture and the real
// content in headless Chromium and checks, on each: zero axe-core WCAG 2.2
// A/AA violations in light mode and no colour-rule violations in dark mode;
// 19px body text on a desktop and
// lines of at most 75ch; exactly one h1; no skipped
// heading levels; alt text on every image; no request to another origin;
// Tab reaches every interactive element in document order with the focused
// element in view and not covered; the skip link moves focus to main; no
// horizontal scrolling at 320 px, nor at 1280 px zoomed to 200 %; and in
// print, no navigation chrome, URLs after external links, chapters on new
// pages and no heading left at the foot of a page.
// Screenshots of key pages at 375 and 1280 px go to screenshots/.
func TestEveryPageInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("browser suite skipped in -short mode")
	}
	axeDir := browsertest.NodeModule(t, "axe-core")
	axeSrc, err := os.ReadFile(filepath.Join(axeDir, "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.New(t)
	start := time.Now()
	shots := filepath.Join(testsite.Root(), "screenshots")
	total := 0
	for _, s := range sites(t) {
		jobs := make(chan string)
		shotNames := screenshotNames(s.pages)
		var mu sync.Mutex
		var problems []string
		var axeRuns int
		var elapsed [len(stepNames)]time.Duration
		var wg sync.WaitGroup
		for range tabs { // tabs in one browser
			tab, cancel := chromedp.NewContext(ctx)
			defer cancel()
			// Open the tab now, outside any per-page timeout.
			if err := chromedp.Do(tab); err != nil {
				t.Fatalf("opening a tab: %v", err)
			}
			wg.Go(func() {
				for path := range jobs {
					p := &pageCheck{site: s, path: path, axe: string(axeSrc)}
					p.run(tab)
					if shot := shotNames[path]; shot != "" {
						p.screenshots(tab, filepath.Join(shots, s.name), shot)
					}
					mu.Lock()
					problems = append(problems, p.problems...)
					axeRuns += p.axeRuns
					for i, d := range p.elapsed {
						elapsed[i] += d
					}
					mu.Unlock()
				}
			})
		}
		for _, path := range s.pages {
			jobs <- path
		}
		close(jobs)
		wg.Wait()
		slices.Sort(problems)
		for _, p := range problems {
			t.Error(p)
		}
		total += len(s.pages)
		var steps []string
		for i, d := range elapsed {
			steps = append(steps, fmt.Sprintf("%s %s", stepNames[i], (d/time.Duration(max(len(s.pages), 1))).Round(time.Millisecond)))
		}
		t.Logf("%s: %d pages, %d axe runs (all WCAG A/AA rules light, colour rules dark), %d problems; mean per page: %s", s.name, len(s.pages), axeRuns, len(problems), strings.Join(steps, ", "))
	}
	t.Logf("browser suite: %d pages in %s; screenshots in %s", total, time.Since(start).Round(time.Millisecond), shots)
}

// screenshotNames picks the pages to screenshot for review: the home page,
// the first guide chapter, recommendation and case study, the funding
// comparison, the findings index and the search page (with a query).
func screenshotNames(pages []string) map[string]string {
	out := map[string]string{}
	fixed := map[string]string{"/": "home", "/funding/compare/": "funding-compare", "/findings/": "findings-index", "/search/": "search-results"}
	firsts := []struct{ prefix, name string }{
		{"/guide/", "guide-chapter"}, {"/recommendations/", "recommendation"}, {"/case-studies/", "case-study"},
	}
	taken := map[string]bool{}
	for _, p := range pages {
		if name, ok := fixed[p]; ok {
			out[p] = name
			continue
		}
		for _, f := range firsts {
			if strings.HasPrefix(p, f.prefix) && p != f.prefix && !strings.HasSuffix(p, "/print/") && !taken[f.name] {
				taken[f.name] = true
				out[p] = f.name
			}
		}
	}
	return out
}

// pageCheck is the browser checks of one page.
type pageCheck struct {
	site     *builtSite
	path     string
	axe      string
	problems []string
	axeRuns  int
	// elapsed is the time spent in each step of run.
	elapsed [len(stepNames)]time.Duration
}

var stepNames = [...]string{"load", "structure", "keyboard", "axe", "reflow", "print"}

func (p *pageCheck) failf(format string, args ...any) {
	p.problems = append(p.problems, fmt.Sprintf("%s %s: ", p.site.name, p.path)+fmt.Sprintf(format, args...))
}

func (p *pageCheck) run(tab context.Context) {
	// A bound, not a target: a whole publication on one page takes axe-core
	// many seconds on a busy machine.
	ctx, cancel := context.WithTimeout(tab, 3*time.Minute)
	defer cancel()
	// The keyboard walk comes straight after loading, while focus is still
	// at the start of the document.
	steps := []func(context.Context) error{p.load, p.structure, p.keyboard, p.axeLightDark, p.reflow, p.print}
	for i, step := range steps {
		t0 := time.Now()
		if err := step(ctx); err != nil {
			p.failf("%v", err)
			return
		}
		p.elapsed[i] += time.Since(t0)
	}
}

// setColorScheme emulates a light or dark colour scheme preference. It also
// asks for reduced motion, so focus moves without smooth scrolling and the
// checks see where it lands.
func setColorScheme(ctx context.Context, scheme string) error {
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{
			{Name: "prefers-color-scheme", Value: scheme},
			{Name: "prefers-reduced-motion", Value: "reduce"},
		},
	})
	return err
}

func (p *pageCheck) load(ctx context.Context) error {
	if err := setColorScheme(ctx, "light"); err != nil {
		return err
	}
	return chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(p.site.url+p.path))
}

type structure struct {
	H1         int      `json:"h1"`
	Skips      []string `json:"skips"`
	NoAlt      []string `json:"noAlt"`
	OffOrigin  []string `json:"offOrigin"`
	TabIndexes []string `json:"tabIndexes"`
	Main       int      `json:"main"`
	FontSize   string   `json:"fontSize"`
	LongLines  []string `json:"longLines"`
}

// maxMeasure is the longest line of running text, in characters (ch).
const maxMeasure = 75

const structureJS = `(() => {
  const out = {h1: document.querySelectorAll("h1").length, skips: [], noAlt: [], offOrigin: [], tabIndexes: [],
    main: document.querySelectorAll("main").length};
  let prev = 0;
  for (const h of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
    const level = Number(h.tagName[1]);
    if (prev === 0 && level !== 1) out.skips.push("the first heading is h" + level + ", not h1");
    if (prev && level > prev + 1) out.skips.push("h" + prev + " then h" + level + " " + JSON.stringify(h.textContent.trim().slice(0, 60)));
    prev = level;
  }
  for (const img of document.querySelectorAll("img, input[type=image], area")) {
    if (!img.hasAttribute("alt")) out.noAlt.push(img.getAttribute("src") || img.outerHTML.slice(0, 80));
  }
  for (const e of performance.getEntriesByType("resource")) {
    if (new URL(e.name).origin !== location.origin) out.offOrigin.push(e.name);
  }
  for (const e of document.querySelectorAll("[tabindex]")) {
    if (e.tabIndex > 0) out.tabIndexes.push(e.outerHTML.slice(0, 80));
  }
  out.fontSize = getComputedStyle(document.body).fontSize;
  const pen = document.createElement("canvas").getContext("2d");
  out.longLines = [];
  for (const p of document.querySelectorAll("main p, main li")) {
    const style = getComputedStyle(p);
    pen.font = style.font;
    const ch = pen.measureText("0").width;
    const width = p.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (ch > 0 && width / ch > MEASURE + 0.5) { out.longLines.push(Math.round(width / ch) + "ch: " + JSON.stringify(p.textContent.trim().slice(0, 50))); break; }
  }
  return out;
})()`

func (p *pageCheck) structure(ctx context.Context) error {
	s, err := chromedp.Run(ctx, chromedp.Evaluate[structure](strings.Replace(structureJS, "MEASURE", fmt.Sprint(maxMeasure), 1)))
	if err != nil {
		return err
	}
	if s.H1 != 1 {
		p.failf("%d h1 elements, want exactly 1", s.H1)
	}
	if s.Main != 1 {
		p.failf("%d main elements, want exactly 1", s.Main)
	}
	for _, x := range s.Skips {
		p.failf("heading level skipped: %s", x)
	}
	for _, x := range s.NoAlt {
		p.failf("image without alt attribute: %s", x)
	}
	for _, x := range s.OffOrigin {
		p.failf("request to another origin: %s", x)
	}
	if s.FontSize != "19px" {
		p.failf("body text is %s at 1280 px, want 19px", s.FontSize)
	}
	for _, x := range s.LongLines {
		p.failf("a line of text is longer than %dch: %s", maxMeasure, x)
	}
	for _, x := range s.TabIndexes {
		p.failf("positive tabindex breaks the Tab order: %s", x)
	}
	return nil
}

type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

func (p *pageCheck) axeLightDark(ctx context.Context) error {
	// Injected through the DevTools protocol, so the site itself never
	// carries an inline script.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](p.axe)); err != nil {
		return fmt.Errorf("injecting axe-core: %w", err)
	}
	tags, _ := json.Marshal(axeTags)
	colour, _ := json.Marshal(axeColourRules)
	runOnly := map[string]string{
		// Light mode: every WCAG 2.2 A and AA rule.
		"light": fmt.Sprintf(`{type: "tag", values: %s}`, tags),
		// Dark mode changes only colours (TestDarkModeChangesOnlyColours),
		// so the rules whose results can differ are the colour rules.
		"dark": fmt.Sprintf(`{type: "rule", values: %s}`, colour),
	}
	for _, scheme := range []string{"light", "dark"} {
		if err := setColorScheme(ctx, scheme); err != nil {
			return err
		}
		run := fmt.Sprintf(`axe.run(document, {runOnly: %s, resultTypes: ["violations"]}).then(r =>
  r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\s+/g, " "))})))`, runOnly[scheme])
		vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]violation](run, chromedp.EvalAwaitPromise))
		if err != nil {
			return fmt.Errorf("axe (%s): %w", scheme, err)
		}
		p.axeRuns++
		for _, v := range vs {
			p.failf("axe %s mode: %s (%s): %s\n\t%s", scheme, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
		}
	}
	return setColorScheme(ctx, "light")
}

// markFocusableJS numbers every element Tab should reach, in document
// order, starts a log of the elements that receive focus, and returns how
// many elements there are.
const markFocusableJS = `(() => {
  const sel = "a[href], area[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable]";
  const els = [...document.querySelectorAll(sel)].filter(e => {
    if (e.matches(":disabled") || e.tabIndex < 0 || e.type === "hidden" || e.closest("[inert]")) return false;
    if (getComputedStyle(e).visibility !== "visible" || e.getClientRects().length === 0) return false;
    const closed = e.closest("details:not([open])");
    return !closed || (e.tagName === "SUMMARY" && e.parentElement === closed);
  });
  els.forEach((e, i) => e.setAttribute("data-tab-i", String(i)));
  window.hjpFocusLog = [];
  document.addEventListener("focusin", ev => {
    const e = ev.target;
    const scroller = e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight;
    if (e.dataset.tabI === undefined && scroller) return; // Chromium lets keyboards focus scrollable regions
    window.hjpFocusLog.push({i: e.dataset.tabI ?? "", what: describe(e)});
  });
  function describe(e) {
    return e.tagName.toLowerCase() + " " + JSON.stringify((e.textContent || e.id || "").trim().replace(/\s+/g, " ").slice(0, 50));
  }
  window.hjpDescribe = describe;
  return els.length;
})()`

// focusCheckJS returns the focus log and, for every numbered element,
// whether it can be seen once scrolled into view as focusing does: in the
// viewport and not covered by anything else (WCAG 2.4.11).
const focusCheckJS = `(() => {
  const hidden = [];
  for (const e of document.querySelectorAll("[data-tab-i]")) {
    e.scrollIntoView({block: "nearest", inline: "nearest"});
    const r = e.getClientRects()[0];
    const x = Math.min(Math.max(r.left + Math.min(r.width / 2, 4), 0), innerWidth - 1);
    const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
    const top = document.elementFromPoint(x, y);
    const inView = r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
    const covered = top !== null && !e.contains(top) && !top.contains(e);
    if (e.dataset.tabI === "0") continue; // the skip link shows only while focused: checked on its own
    if (!inView || covered) hidden.push(hjpDescribe(e) + (covered ? " is covered by " + hjpDescribe(top) : " is out of view"));
  }
  return {log: hjpFocusLog, hidden};
})()`

type focusCheck struct {
	Log []struct {
		I    string `json:"i"`
		What string `json:"what"`
	} `json:"log"`
	Hidden []string `json:"hidden"`
}

func (p *pageCheck) keyboard(ctx context.Context) error {
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](markFocusableJS))
	if err != nil {
		return err
	}
	// A key down is enough for Chromium to move focus; the key up would
	// double the round trips of the walk.
	tab := *kb.Encode('\t')[0]
	for range n {
		if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, tab); err != nil {
			return err
		}
	}
	fc, err := chromedp.Run(ctx, chromedp.Evaluate[focusCheck](focusCheckJS))
	if err != nil {
		return err
	}
	for i, f := range fc.Log {
		if f.I != fmt.Sprint(i) {
			p.failf("Tab %d focused %s (number %q), want element %d in document order", i+1, f.What, f.I, i)
			break
		}
		if i == 0 && !strings.Contains(f.What, "Skip to main content") {
			p.failf("the first Tab stop is %s, not the skip link", f.What)
		}
	}
	if len(fc.Log) < n {
		p.failf("Tab reached %d of %d interactive elements", len(fc.Log), n)
	}
	for _, h := range fc.Hidden {
		p.failf("focus would be obscured: %s", h)
	}
	// The skip link, used from the keyboard, moves focus to main.
	if err := chromedp.Do(ctx, chromedp.Focus(".skip-link"), chromedp.KeyEvent(kb.Enter)); err != nil {
		return err
	}
	id, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`))
	if err != nil {
		return err
	}
	if id != "main-content" {
		p.failf("the skip link moved focus to %q, not main", id)
	}
	// And it can be seen while it has focus.
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
  const s = document.querySelector(".skip-link"); s.focus();
  const r = s.getBoundingClientRect();
  return r.width > 0 && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
})()`))
	if err != nil {
		return err
	}
	if !shown {
		p.failf("the skip link is not in view when it has focus")
	}
	return nil
}

type overflow struct {
	Width       int      `json:"w"`
	ScrollWidth int      `json:"sw"`
	Wide        []string `json:"wide"`
}

const overflowJS = `(() => {
  const w = document.documentElement.clientWidth, sw = document.documentElement.scrollWidth, wide = [];
  if (sw > w) {
    for (const e of document.querySelectorAll("body *")) {
      const r = e.getBoundingClientRect();
      if (r.right > w + 1) wide.push(e.tagName.toLowerCase() + (e.className ? "." + String(e.className).replace(/ /g, ".") : "") + " (right edge " + Math.round(r.right) + ")");
      if (wide.length >= 5) break;
    }
  }
  return {w, sw, wide};
})()`

// reflow checks WCAG 1.4.10: no horizontal scrolling at 320 CSS pixels,
// and at 1280 px zoomed to 200 % (640 CSS pixels at scale 2).
func (p *pageCheck) reflow(ctx context.Context) error {
	for _, vp := range []struct {
		name          string
		width, height int64
		scale         float64
	}{{"320 px", 320, 640, 1}, {"1280 px at 200 % zoom", 640, 450, 2}} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.width, vp.height, chromedp.EmulateScale(vp.scale))); err != nil {
			return err
		}
		o, err := chromedp.Run(ctx, chromedp.Evaluate[overflow](overflowJS))
		if err != nil {
			return err
		}
		if o.ScrollWidth > o.Width {
			p.failf("scrolls horizontally at %s: content is %d px wide in a %d px viewport; widest: %s", vp.name, o.ScrollWidth, o.Width, strings.Join(o.Wide, ", "))
		}
	}
	return chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900))
}

// printJS lists what the print stylesheet gets wrong on the page: chrome
// that still shows, external links without their URL after them, chapters
// that do not start a new page and headings that may end a page.
const printJS = `(() => {
  const bad = [];
  for (const sel of [".skip-link", ".site-nav", ".breadcrumbs", ".site-footer", ".pagination", ".step-nav", ".back-to-top", ".copy-button", ".heading-link"]) {
    for (const e of document.querySelectorAll(sel)) {
      if (getComputedStyle(e).display !== "none") { bad.push(sel + " is printed"); break; }
    }
  }
  for (const a of document.querySelectorAll("main a[href^='http']")) {
    if (a.closest(".permalink, .print-source, .reference-list, .cite-this")) continue; // these show the URL as their text
    const after = getComputedStyle(a, "::after").content;
    if (!after.includes(a.getAttribute("href"))) { bad.push("external link " + JSON.stringify(a.textContent.trim().slice(0, 40)) + " prints without its URL"); break; }
  }
  for (const c of document.querySelectorAll(".print-chapter")) {
    if (getComputedStyle(c).breakBefore !== "page") { bad.push("chapter " + c.id + " does not start a new page"); break; }
  }
  for (const h of document.querySelectorAll("main h2, main h3, main h4")) {
    if (getComputedStyle(h).breakAfter !== "avoid") { bad.push("heading " + JSON.stringify(h.textContent.trim().slice(0, 40)) + " may be left at the foot of a page"); break; }
  }
  return bad;
})()`

// print checks the print stylesheet with print media emulated.
func (p *pageCheck) print(ctx context.Context) error {
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		return err
	}
	bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](printJS))
	if err != nil {
		return err
	}
	for _, b := range bad {
		p.failf("print: %s", b)
	}
	_, err = chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
	return err
}

// screenshots saves full-page screenshots at 375 and 1280 px for review.
func (p *pageCheck) screenshots(tab context.Context, dir, name string) {
	ctx, cancel := context.WithTimeout(tab, 60*time.Second)
	defer cancel()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		p.failf("%v", err)
		return
	}
	url := p.site.url + p.path
	if p.path == "/search/" {
		url += "?q=advice"
	}
	for _, w := range []int64{375, 1280} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 900), chromedp.Navigate(url)); err != nil {
			p.failf("screenshot at %d px: %v", w, err)
			return
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, w)), png, 0o644)
		}
		if err != nil {
			p.failf("screenshot at %d px: %v", w, err)
			return
		}
	}
}
