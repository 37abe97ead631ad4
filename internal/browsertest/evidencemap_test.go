package browsertest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"hjp/internal/browsertest"
	"hjp/internal/testsite"
)

// graphicPages are the pages that carry the evidence map's graphics: the
// map itself, the funding overview's chart, the home page's small map and
// the findings index that links to the map.
var graphicPages = []string{"/evidence-map/", "/funding/", "/", "/findings/"}

// TestEvidenceMapInChromium checks the pages with graphics in headless
// Chromium. On the evidence map fixture (a factor and a setting beyond the
// real vocabularies, which TestEveryPageInChromium does not build) it runs
// the theme's page checks: axe-core WCAG 2.2 A/AA in light and dark mode,
// headings, the keyboard walk, typography, no horizontal scrolling at
// 320 px or at 200 % zoom. On it and on the real content (whose pages the
// theme's suite checks already) it adds what graphics need: axe in print
// media in both colour schemes; marks, bars and gap outlines at 3:1 or
// more and labels at 4.5:1 or more against what they are drawn on, on
// screen (light, dark) and in print; the graphic fitting the printed page,
// on white, with its table printed too; focus on a link in the graphic,
// reached with Tab, drawn as the theme's yellow block. Screenshots of the
// map and the funding overview at 1280 and 375 px go to screenshots/.
func TestEvidenceMapInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("browser suite skipped in -short mode")
	}
	axeSrc, err := os.ReadFile(filepath.Join(browsertest.NodeModule(t, "axe-core"), "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.New(t)
	shots := filepath.Join(testsite.Root(), "screenshots")
	for _, s := range []*builtSite{
		buildSite(t, "evmap-fixture", filepath.Join(testsite.Root(), "internal", "render", "testdata", "evmap")),
		buildSite(t, "content", testsite.Root()),
	} {
		tab, cancel := chromedp.NewContext(ctx)
		// Open the tab now, outside any per-page timeout, which would
		// otherwise close it.
		if err := chromedp.Do(tab); err != nil {
			t.Fatalf("opening a tab: %v", err)
		}
		for _, path := range graphicPages {
			p := &pageCheck{site: s, path: path, axe: string(axeSrc)}
			if s.name == "evmap-fixture" {
				p.run(tab)
			}
			var notes []string
			switch path {
			case "/evidence-map/":
				notes = p.graphics(tab)
				p.screenshots(tab, filepath.Join(shots, s.name), "evidence-map")
			case "/funding/":
				notes = p.graphics(tab)
				p.screenshots(tab, filepath.Join(shots, s.name), "funding-overview")
			}
			for _, msg := range p.problems {
				t.Error(msg)
			}
			t.Logf("%s %s: %d axe runs, %d problems", s.name, path, p.axeRuns, len(p.problems))
			for _, n := range notes {
				t.Logf("  %s", n)
			}
		}
		cancel()
	}
	t.Logf("screenshots in %s", shots)
}

// setMedia emulates a media type ("print", or "" for screen) and colour
// scheme.
func setMedia(ctx context.Context, media, scheme string) error {
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Media: media,
		Features: []*emulation.MediaFeature{
			{Name: "prefers-color-scheme", Value: scheme},
			{Name: "prefers-reduced-motion", Value: "reduce"},
		},
	})
	return err
}

// graphicCheck is what contrastJS measures in one graphic.
type graphicCheck struct {
	Cells    int     `json:"cells"`
	Marks    int     `json:"marks"`
	MinMark  float64 `json:"minMark"`
	MinText  float64 `json:"minText"`
	MinGap   float64 `json:"minGap"`
	MinHead  float64 `json:"minHead"`
	Worst    string  `json:"worst"`
	Right    float64 `json:"right"`
	Width    float64 `json:"width"`
	Overflow bool    `json:"overflow"`
	Tables   int     `json:"tables"`
	Shown    int     `json:"shown"`
	PageBg   string  `json:"pageBg"`
}

// contrastJS measures the contrast of every mark, cell label and gap
// outline against what it is drawn on, from computed styles, so it sees
// the stylesheet's light, dark and print colours.
const contrastJS = `(() => {
  const rgb = s => { const m = /rgba?\(([^)]+)\)/.exec(s || ""); return m ? m[1].split(/[\s,\/]+/).filter(Boolean).map(Number) : null; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const pageBg = rgb(getComputedStyle(document.body).backgroundColor);
  const out = {cells: 0, marks: 0, minMark: 99, minText: 99, minGap: 99, minHead: 99, worst: "", right: 0, width: document.documentElement.clientWidth,
    overflow: document.documentElement.scrollWidth > document.documentElement.clientWidth, tables: 0, shown: 0, pageBg: getComputedStyle(document.body).backgroundColor};
  const low = (key, r, what) => { if (r < out[key]) { out[key] = r; if (r < 4.5) out.worst += what + " " + r.toFixed(2) + "; "; } };
  // What a shape or text is drawn on: its cell's box, or the page.
  const backdrop = e => { const c = e.closest(".svg-cell"); return c ? rgb(getComputedStyle(c.querySelector(".svg-cell-bg")).fill) : pageBg; };
  const name = e => (e.closest("[aria-label]") || e).getAttribute("aria-label") || e.textContent;
  for (const svg of document.querySelectorAll("svg.svg-matrix:not(.svg-mini)")) {
    out.right = Math.max(out.right, svg.getBoundingClientRect().right);
    out.cells += svg.querySelectorAll(".svg-cell").length;
    for (const m of svg.querySelectorAll(".svg-mark, .svg-bar, .svg-bar-end, .svg-step")) {
      out.marks++;
      const cs = getComputedStyle(m);
      const paint = m.tagName === "line" || cs.fill === "none" ? cs.stroke : cs.fill; // lines are drawn by their stroke
      low("minMark", ratio(rgb(paint), backdrop(m)), "shape in " + name(m));
    }
    for (const t of svg.querySelectorAll("text")) low(t.closest(".svg-cell") ? "minText" : "minHead", ratio(rgb(getComputedStyle(t).fill), backdrop(t)), "text " + JSON.stringify(t.textContent));
    for (const g of svg.querySelectorAll(".svg-gap-bg")) low("minGap", ratio(rgb(getComputedStyle(g).stroke), pageBg), "gap outline");
  }
  for (const table of document.querySelectorAll(".evmap-details table")) {
    out.tables++;
    if (table.getClientRects().length > 0 && getComputedStyle(table).visibility === "visible") out.shown++;
  }
  return out;
})()`

// graphics checks a page's graphics in screen and print media, light and
// dark, and that focus on a cell shows. It returns the contrasts measured.
func (p *pageCheck) graphics(tab context.Context) (notes []string) {
	ctx, cancel := context.WithTimeout(tab, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(p.site.url+p.path)); err != nil {
		p.failf("%v", err)
		return notes
	}
	tags, _ := json.Marshal(axeTags)
	axeRun := fmt.Sprintf(`axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]}).then(r =>
  r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\s+/g, " "))})))`, tags)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](p.axe)); err != nil {
		p.failf("injecting axe-core: %v", err)
		return notes
	}
	for _, mode := range []struct {
		media, scheme string
		width         int64
	}{{"", "light", 1280}, {"", "dark", 1280}, {"print", "light", 700}, {"print", "dark", 700}} {
		name := cmpOr(mode.media, "screen") + " " + mode.scheme
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(mode.width, 900)); err != nil {
			p.failf("%v", err)
			return notes
		}
		if err := setMedia(ctx, mode.media, mode.scheme); err != nil {
			p.failf("%v", err)
			return notes
		}
		g, err := chromedp.Run(ctx, chromedp.Evaluate[graphicCheck](contrastJS))
		if err != nil {
			p.failf("%s: %v", name, err)
			return notes
		}
		notes = append(notes, fmt.Sprintf("%s: %d cells, %d shapes; least contrast: shapes %.1f:1, gap outlines %.1f:1, labels in cells %.1f:1, other labels %.1f:1",
			name, g.Cells, g.Marks, g.MinMark, min(g.MinGap, 99), g.MinText, g.MinHead))
		if g.Marks == 0 || (p.path == "/evidence-map/" && g.Cells == 0) {
			p.failf("%s: no cells or marks found (%d cells, %d marks)", name, g.Cells, g.Marks)
		}
		// Marks are graphics needed to understand the map (WCAG 1.4.11,
		// 3:1); labels are small text (1.4.3, 4.5:1).
		if g.MinMark < 3 || g.MinGap < 3 {
			p.failf("%s: marks or gap outlines under 3:1 contrast (marks %.2f, gaps %.2f): %s", name, g.MinMark, g.MinGap, g.Worst)
		}
		if g.MinText < 4.5 || g.MinHead < 4.5 {
			p.failf("%s: labels under 4.5:1 contrast (in cells %.2f, heads %.2f): %s", name, g.MinText, g.MinHead, g.Worst)
		}
		if mode.media == "print" {
			if g.PageBg != "rgb(255, 255, 255)" {
				p.failf("%s: the page prints on %s, not white", name, g.PageBg)
			}
			if g.Overflow || g.Right > float64(g.Width)+1 {
				p.failf("%s: the graphic runs off the printed page (right edge %.0f of %.0f px)", name, g.Right, g.Width)
			}
			if g.Shown != g.Tables {
				p.failf("%s: %d of %d tables print", name, g.Shown, g.Tables)
			}
		}
		vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]violation](axeRun, chromedp.EvalAwaitPromise))
		if err != nil {
			p.failf("axe (%s): %v", name, err)
			return notes
		}
		p.axeRuns++
		for _, v := range vs {
			p.failf("axe %s: %s (%s): %s\n\t%s", name, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
		}
	}
	if err := setMedia(ctx, "", "light"); err != nil {
		p.failf("%v", err)
		return notes
	}
	// Focus on a link in the graphic, reached with Tab, fills its box with
	// the focus colour.
	var focus string
	var err error
	for range 120 {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			p.failf("focus: %v", err)
			return notes
		}
		focus, err = chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
  const a = document.activeElement.closest("svg.svg-matrix .svg-link");
  return a ? getComputedStyle(a.querySelector(".svg-cell-bg, .svg-link-bg")).fill : "";
})()`))
		if err != nil {
			p.failf("focus: %v", err)
			return notes
		}
		if focus != "" {
			if focus != "rgb(255, 221, 0)" {
				p.failf("a link in the graphic, focused with Tab, is drawn %s, not the theme's focus yellow", focus)
			}
			return notes
		}
	}
	p.failf("Tab never reached a link in the graphic (last focus %q)", focus)
	return notes
}

func cmpOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
