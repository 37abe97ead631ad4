package search_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"hjp/internal/browsertest"
	"hjp/internal/build"
	"hjp/internal/testsite"
)

// serveFixture builds testdata/site with the repository's theme and
// serves the output folder over HTTP with the site's strict content
// security policy.
func serveFixture(t *testing.T) *httptest.Server {
	t.Helper()
	fixture, _ := filepath.Abs(filepath.Join("testdata", "site"))
	src := testsite.New(t, fixture)
	dest := filepath.Join(t.TempDir(), "public")
	if res := build.Build(build.Options{Source: src, Dest: dest, Minify: true}); res.Failed() {
		t.Fatalf("build failed:\n%v", res.Diags.Err())
	}
	files := http.FileServer(http.Dir(dest))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'")
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// recordCSP makes every page of the tab note content-security-policy
// violations in window.cspViolations.
func recordCSP(t *testing.T, ctx context.Context) {
	t.Helper()
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.cspViolations = []; document.addEventListener("securitypolicyviolation", (e) => window.cspViolations.push(e.violatedDirective + " " + e.blockedURI));`,
	})
	if err != nil {
		t.Fatal(err)
	}
}

// resultsFor waits until the results list shows the query and filters
// and returns the result links' hrefs.
func resultsFor(t *testing.T, ctx context.Context, query, filters string) []string {
	t.Helper()
	js := `(() => {
		const l = document.getElementById("search-results");
		if (l.getAttribute("aria-busy") !== "false" || l.dataset.query !== ` + quote(query) + `) return false;
		const f = JSON.parse(l.dataset.filters || "{}");
		const got = Object.entries(f).flatMap(([k, v]) => v.map((x) => k + "=" + x)).sort().join("&");
		if (got !== ` + quote(filters) + `) return false;
		return [...l.querySelectorAll(".search-result-title a")].map((a) => a.getAttribute("href"));
	})()`
	hrefs, err := chromedp.Run(ctx, chromedp.Poll[[]string](js, chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Fatalf("waiting for results of %q %s: %v", query, filters, err)
	}
	return hrefs
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

func do(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// TestSearchPageInBrowser drives the search page in headless Chromium:
// typing shows the best match first, a facet narrows the results and
// updates the counts, the URL carries the state through reload and the
// back button, and the keyboard moves through the results.
func TestSearchPageInBrowser(t *testing.T) {
	srv := serveFixture(t)
	ctx := browsertest.New(t)
	ctx, cancel := browsertest.Timeout(ctx, 90*time.Second)
	defer cancel()
	recordCSP(t, ctx)

	do(t, ctx, chromedp.Navigate(srv.URL+"/search/"), chromedp.WaitVisible(".search-filters"))
	if eval[bool](t, ctx, `!document.querySelector(".search-nojs").hidden`) {
		t.Error("the no-JavaScript message is still shown")
	}

	// Typing shows results as you type, best match first.
	do(t, ctx, chromedp.SendKeys("#search-q", "housing"))
	all := resultsFor(t, ctx, "housing", "")
	if len(all) < 3 || !strings.HasPrefix(all[0], "/case-studies/hospital-discharge-housing/") {
		t.Fatalf("results for housing: %v", all)
	}
	if got := eval[string](t, ctx, `document.querySelector(".search-result mark")?.textContent ?? ""`); !strings.EqualFold(got, "housing") {
		t.Errorf("first highlighted word is %q, want housing", got)
	}
	status := eval[string](t, ctx, `document.getElementById("search-status").textContent`)
	if !strings.Contains(status, "results for “housing”") {
		t.Errorf("status = %q", status)
	}
	if got := eval[string](t, ctx, `location.search`); got != "?q=housing" {
		t.Errorf("URL query after typing = %q", got)
	}
	if got := eval[string](t, ctx, `document.title`); !strings.HasPrefix(got, "housing – Search") {
		t.Errorf("title = %q, want it to name the query", got)
	}
	countOf := func(id string) string {
		return eval[string](t, ctx, `document.querySelector("label[for=`+id+`] .search-count").textContent`)
	}
	// Counts need the facet file, which a plain query does not fetch:
	// opening a filter group fetches it and counts the query's results.
	if got := eval[string](t, ctx, `document.getElementById("search-results").dataset.counts`); got != "totals" {
		t.Errorf("counts before a filter group is opened: %q", got)
	}
	do(t, ctx, chromedp.Click(`details:has(fieldset[data-facet="kind"]) summary`))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("search-results").dataset.counts === "query"`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("opening a filter group did not count the results: %v", err)
	}
	hospitalBefore := countOf("filter-setting-hospital")
	findingsCount := countOf("filter-kind-finding")

	// A facet narrows the results and updates the other facets' counts.
	do(t, ctx, chromedp.Click("#filter-kind-finding"))
	findings := resultsFor(t, ctx, "housing", "kind=finding")
	if len(findings) == 0 || len(findings) >= len(all) || findings[0] != "/findings/f04-housing-discharge/" {
		t.Fatalf("housing in findings: %v (all results %v)", findings, all)
	}
	for _, h := range findings {
		if !strings.HasPrefix(h, "/findings/") {
			t.Errorf("%s is not a finding", h)
		}
	}
	if want := "(" + itoa(len(findings)) + ")"; findingsCount != want {
		t.Errorf("the Findings box promised %s results, the filter gave %s", findingsCount, want)
	}
	if after := countOf("filter-setting-hospital"); after == hospitalBefore {
		t.Errorf("the Hospitals count stayed %s after filtering to findings", after)
	}
	if got := eval[string](t, ctx, `location.search`); got != "?q=housing&kind=finding" {
		t.Errorf("URL query after the filter = %q", got)
	}

	// Reloading restores the query, the filter and the results.
	do(t, ctx, chromedp.Reload())
	if got := resultsFor(t, ctx, "housing", "kind=finding"); strings.Join(got, " ") != strings.Join(findings, " ") {
		t.Errorf("after reload: %v, want %v", got, findings)
	}
	if !eval[bool](t, ctx, `document.getElementById("search-q").value === "housing" && document.getElementById("filter-kind-finding").checked`) {
		t.Error("reload did not restore the box and the checkbox")
	}

	// Back returns to the results before the filter.
	do(t, ctx, chromedp.NavigateBack())
	if got := resultsFor(t, ctx, "housing", ""); strings.Join(got, " ") != strings.Join(all, " ") {
		t.Errorf("after back: %v, want %v", got, all)
	}
	if eval[bool](t, ctx, `document.getElementById("filter-kind-finding").checked`) {
		t.Error("back left the Findings box checked")
	}

	// Keyboard: down from the box into the results, up and Escape back.
	active := func() string {
		return eval[string](t, ctx, `document.activeElement.id || document.activeElement.getAttribute("href") || document.activeElement.tagName`)
	}
	do(t, ctx, chromedp.Focus("#search-q"), chromedp.KeyEvent(kb.ArrowDown))
	if got := active(); got != all[0] {
		t.Errorf("ArrowDown from the box focused %q, want %q", got, all[0])
	}
	do(t, ctx, chromedp.KeyEvent(kb.ArrowDown))
	if got := active(); got != all[1] {
		t.Errorf("second ArrowDown focused %q, want %q", got, all[1])
	}
	do(t, ctx, chromedp.KeyEvent(kb.Escape))
	if got := active(); got != "search-q" {
		t.Errorf("Escape focused %q, want the search box", got)
	}

	if v := eval[[]string](t, ctx, `window.cspViolations`); len(v) > 0 {
		t.Errorf("content security policy violations: %v", v)
	}
}

// TestSearchWithoutJavaScript checks the page with scripts disabled: the
// form still submits, the page says why there are no results and links to
// the findings index, which lists and filters findings by itself.
func TestSearchWithoutJavaScript(t *testing.T) {
	srv := serveFixture(t)
	ctx := browsertest.New(t)
	ctx, cancel := browsertest.Timeout(ctx, 60*time.Second)
	defer cancel()
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate(srv.URL+"/search/"), chromedp.WaitVisible(".search-nojs"))
	do(t, ctx, chromedp.SendKeys("#search-q", "housing\n"))
	waitLocation(t, ctx, "/search/?q=housing")
	do(t, ctx, chromedp.WaitVisible(".search-nojs"))
	if eval[bool](t, ctx, `getComputedStyle(document.querySelector(".search-filters")).display !== "none"`) {
		t.Error("the filters, which need JavaScript, are shown")
	}
	text := eval[string](t, ctx, `document.querySelector(".search-nojs").innerText`)
	if !strings.Contains(text, "need JavaScript") || !strings.Contains(text, "Site map") {
		t.Errorf("no-JavaScript message: %q", text)
	}

	do(t, ctx, chromedp.Click(`.search-nojs a[href="/findings/"]`), chromedp.WaitVisible(".findings-list"))
	if n := eval[int](t, ctx, `document.querySelectorAll(".finding-card").length`); n != 8 {
		t.Errorf("the findings index lists %d findings, want 8", n)
	}
	do(t, ctx,
		chromedp.Click(`details.findings-facet:nth-of-type(2) summary`),
		chromedp.Click(`.findings-filters a[href="/findings/setting/hospital/"]`),
		chromedp.WaitVisible(".findings-current"),
	)
	got := eval[[]string](t, ctx, `[...document.querySelectorAll(".finding-card h3 a")].map((a) => a.getAttribute("href"))`)
	want := []string{"/findings/f01-access-to-advice/", "/findings/f06-co-location/", "/findings/f07-training-referrals/", "/findings/f04-housing-discharge/"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("hospital findings (grouped by factor): %v, want %v", got, want)
	}
}

// waitLocation waits until the tab's URL ends with suffix: a form
// submission navigates after the key press returns.
func waitLocation(t *testing.T, ctx context.Context, suffix string) {
	t.Helper()
	var loc string
	for range 100 {
		l, err := chromedp.Run(ctx, chromedp.Location())
		if err == nil && strings.HasSuffix(l, suffix) {
			return
		}
		loc = l
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the tab is at %q, want a URL ending %q", loc, suffix)
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
