package build

import (
	"fmt"
	"slices"
	"testing"

	"hjp/internal/content"
	"hjp/internal/render"
	"hjp/internal/site"
)

// TestRenderOrder checks the order outputs are rendered in: what lets go
// of its data first, then the pages with the lists spread over the first
// three quarters of them, then the small files; every output once.
func TestRenderOrder(t *testing.T) {
	page := func(i int) render.Output {
		return render.Output{Path: fmt.Sprintf("p/%d/index.html", i), Page: &site.Page{Page: &content.Page{Kind: content.KindFinding}}, Content: true}
	}
	list := func(i int) render.Output {
		return render.Output{Path: fmt.Sprintf("terms/%d/index.html", i), Layout: "term"}
	}
	section := render.Output{Path: "findings/index.html", Page: &site.Page{Page: &content.Page{Kind: content.KindSection}}, Content: true}
	home := render.Output{Path: "index.html", Page: &site.Page{Page: &content.Page{Kind: content.KindHome}}, Content: true}
	small := []render.Output{
		{Path: "p/1/cite.bib", Page: &site.Page{Page: &content.Page{Kind: content.KindFinding}}},
		{Path: "r/1/index.html", Layout: "alias"},
		{Path: "sitemap.xml", Listing: true},
		{Path: "_redirects", Listing: true},
	}
	release := render.Output{Path: "search/index/meta.json", Release: func() {}}

	for _, tc := range []struct{ pages, lists int }{{0, 0}, {0, 3}, {1, 0}, {8, 0}, {8, 1}, {8, 4}, {100, 6}, {3, 10}} {
		t.Run(fmt.Sprintf("%d pages, %d lists", tc.pages, tc.lists), func(t *testing.T) {
			var outs []render.Output
			outs = append(outs, small[:2]...)
			for i := range tc.pages {
				outs = append(outs, page(i))
			}
			for i := range tc.lists {
				outs = append(outs, list(i))
			}
			outs = append(outs, small[2:]...)
			outs = append(outs, release)
			if tc.lists > 0 {
				outs = append(outs, section, home)
			}
			order := renderOrder(outs)
			if got := slices.Sorted(slices.Values(order)); !slices.Equal(got, rangeOf(len(outs))) {
				t.Fatalf("order %v is not each of the %d outputs once", order, len(outs))
			}
			kinds := make([]string, len(order))
			for j, i := range order {
				o := outs[i]
				switch {
				case o.Release != nil:
					kinds[j] = "release"
				case isList(o):
					kinds[j] = "list"
				case o.Content:
					kinds[j] = "page"
				default:
					kinds[j] = "small"
				}
			}
			if kinds[0] != "release" {
				t.Errorf("first %s, want the output that lets go of its data", kinds[0])
			}
			lists := 0
			if tc.lists > 0 {
				lists = tc.lists + 2 // the section and home pages too
			}
			nSmall := len(small)
			for j, k := range kinds[len(kinds)-nSmall:] {
				if k != "small" {
					t.Errorf("output %d from the end is a %s, want the small files last", nSmall-j, k)
				}
			}
			// Every list comes before the last quarter of the pages.
			pagesSeen, lastList := 0, -1
			for _, k := range kinds {
				switch k {
				case "page":
					pagesSeen++
				case "list":
					lastList = pagesSeen
				}
			}
			if pagesSeen != tc.pages {
				t.Errorf("%d pages, want %d", pagesSeen, tc.pages)
			}
			if lists > 0 && tc.pages > 0 && lastList > tc.pages*3/4 {
				t.Errorf("the last list comes after %d of %d pages, want within the first three quarters", lastList, tc.pages)
			}
			// Pages keep their order, so do lists.
			var pagePaths []string
			for _, i := range order {
				if outs[i].Content && !isList(outs[i]) {
					pagePaths = append(pagePaths, outs[i].Path)
				}
			}
			for j := 1; j < len(pagePaths); j++ {
				var a, b int
				fmt.Sscanf(pagePaths[j-1], "p/%d/", &a)
				fmt.Sscanf(pagePaths[j], "p/%d/", &b)
				if a > b {
					t.Errorf("page %s before %s", pagePaths[j-1], pagePaths[j])
				}
			}
			// The lists are spread: with many pages, no two lists run
			// back to back.
			if tc.pages >= 4*lists && lists > 1 {
				for j := 1; j < len(kinds); j++ {
					if kinds[j] == "list" && kinds[j-1] == "list" {
						t.Errorf("lists back to back at %d: %v", j, kinds)
						break
					}
				}
			}
		})
	}
}

func rangeOf(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
