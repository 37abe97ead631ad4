package browsertest_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"hjp/internal/browsertest"
	"hjp/internal/testsite"
)

// TestComparisonTableKeepsHeaders checks, in Chromium's accessibility
// tree, that the funding comparison is still a table of cells with column
// and row headers when narrow screens show it as stacked cards, so a
// screen reader still says which model and which column each cell is.
func TestComparisonTableKeepsHeaders(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	s := buildSite(t, "fixture", testsite.Fixture())
	ctx := browsertest.New(t)
	for _, width := range []int64{320, 1280} {
		tctx, cancel := context.WithTimeout(ctx, time.Minute)
		if err := chromedp.Do(tctx, chromedp.EmulateViewport(width, 800), chromedp.Navigate(s.url+"/funding/compare/")); err != nil {
			cancel()
			t.Fatal(err)
		}
		dom, err := chromedp.Run(tctx, chromedp.Evaluate[struct {
			Rows    int  `json:"rows"`
			Columns int  `json:"columns"`
			Stacked bool `json:"stacked"`
		}](`({rows: document.querySelectorAll(".compare-table tbody tr").length,
  columns: document.querySelectorAll(".compare-table thead th").length,
  stacked: getComputedStyle(document.querySelector(".compare-table td")).display === "block"})`))
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		if dom.Stacked != (width < 768) {
			t.Errorf("%d px: stacked = %v", width, dom.Stacked)
		}
		table, err := chromedp.Run(tctx, chromedp.Evaluate[*runtime.RemoteObject](`document.querySelector(".compare-table")`))
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		count := func(role string) int {
			res, err := chromedp.Call(tctx, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{ObjectID: table.ObjectID, Role: role})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, node := range res.Nodes {
				if !node.Ignored {
					n++
				}
			}
			return n
		}
		want := map[string]int{"table": 1, "columnheader": dom.Columns, "rowheader": dom.Rows, "cell": dom.Rows * (dom.Columns - 1)}
		for role, n := range want {
			if got := count(role); got != n || n == 0 {
				t.Errorf("%d px: %d %s nodes in the accessibility tree, want %d", width, got, role, n)
			}
		}
		cancel()
	}
}
