package server

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hjp/internal/browsertest"
	"hjp/internal/testsite"
)

// strictCSP is the policy the browser test serves, as the published site
// would: no inline script or style anywhere.
const strictCSP = `[[headers]]
for = "/*"
[headers.values]
Content-Security-Policy = "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"
`

// waitFor polls a JavaScript condition until it is true.
func waitFor(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %s still not true after 10s (last error %v)", what, js, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// TestBrowserLiveReload drives a real headless Chromium on a page served
// with the site's strict CSP: an edit reloads the page (keeping the
// scroll position) and shows the new text; a stylesheet edit applies
// without a navigation; a broken save shows the overlay, a fix clears it;
// nothing violates the CSP.
func TestBrowserLiveReload(t *testing.T) {
	bctx := browsertest.New(t)
	dir := testsite.New(t, testsite.Fixture())
	testsite.Write(t, dir, "netlify.toml", strictCSP)
	var long strings.Builder
	for range 60 {
		long.WriteString("\nA long paragraph so the page scrolls, about referrals and advice.\n")
	}
	src := filepath.Join(dir, "content/guide/02-referral-pathways.md")
	b, _ := os.ReadFile(src)
	os.WriteFile(src, append(b, long.String()...), 0o644)
	h := startIn(t, dir, nil)

	ctx, cancel := browsertest.Timeout(bctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(h.base+"/guide/referral-pathways/")); err != nil {
		t.Fatal(err)
	}
	// Count CSP violations, and mark this document: a navigation loses
	// the mark.
	eval[any](t, ctx, `window.hjpViolations = 0; document.addEventListener("securitypolicyviolation", () => window.hjpViolations++); window.hjpMark = "same document"; true`)
	h.waitPages(t, 1)

	t.Run("edit reloads and keeps the scroll position", func(t *testing.T) {
		// Instantly: the theme scrolls smoothly, and a reload during the
		// animation would keep a position short of 400.
		eval[any](t, ctx, `window.scrollTo({top: 400, behavior: "instant"}); true`)
		h.replace("content/guide/02-referral-pathways.md", "In a warm referral", "In a browser-tested referral")
		waitFor(t, ctx, "new text", `document.body.innerText.includes("In a browser-tested referral")`)
		h.waitPages(t, 1)
		if mark := eval[bool](t, ctx, `window.hjpMark === undefined`); !mark {
			t.Errorf("the page did not reload")
		}
		waitFor(t, ctx, "scroll kept", `Math.abs(window.scrollY - 400) < 5`)
	})

	t.Run("stylesheet edit applies without navigation", func(t *testing.T) {
		eval[any](t, ctx, `window.hjpViolations = 0; document.addEventListener("securitypolicyviolation", () => window.hjpViolations++); window.hjpMark = "css"; window.hjpNavs = performance.getEntriesByType("navigation").length; true`)
		css := filepath.Join(dir, "themes/default/assets/css/main.css")
		b, _ := os.ReadFile(css)
		os.WriteFile(css, append(b, "\nbody { background-color: rgb(1, 2, 3); }\n"...), 0o644)
		waitFor(t, ctx, "new background", `getComputedStyle(document.body).backgroundColor === "rgb(1, 2, 3)"`)
		if mark := eval[string](t, ctx, `String(window.hjpMark)`); mark != "css" {
			t.Errorf("the page navigated (mark %q); a stylesheet change must be swapped in place", mark)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll('link[rel="stylesheet"]').length`); n != 1 {
			t.Errorf("%d stylesheets after the swap, want 1", n)
		}
	})

	t.Run("broken save shows the overlay, the fix clears it", func(t *testing.T) {
		good := h.read("content/guide/02-referral-pathways.md")
		h.replace("content/guide/02-referral-pathways.md", "weight: 2", "weight: two")
		waitFor(t, ctx, "overlay", `!!document.getElementById("hjp-overlay")`)
		text := eval[string](t, ctx, `document.getElementById("hjp-overlay").innerText`)
		for _, want := range []string{"content/guide/02-referral-pathways.md:4:", "weight: two", "^"} {
			if !strings.Contains(text, want) {
				t.Errorf("overlay lacks %q:\n%s", want, text)
			}
		}
		if pos := eval[string](t, ctx, `getComputedStyle(document.getElementById("hjp-overlay")).position`); pos != "fixed" {
			t.Errorf("overlay stylesheet not applied under the CSP: position %q", pos)
		}
		if mark := eval[string](t, ctx, `String(window.hjpMark)`); mark != "css" {
			t.Errorf("a failed build navigated the page")
		}
		h.write("content/guide/02-referral-pathways.md", good)
		waitFor(t, ctx, "overlay cleared", `!document.getElementById("hjp-overlay")`)
	})

	if n := eval[int](t, ctx, `window.hjpViolations || 0`); n != 0 {
		t.Errorf("%d Content-Security-Policy violations", n)
	}
}
