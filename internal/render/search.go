package render

import (
	"bytes"
	"strings"
)

// SearchPage is the view model of the search page: the index the client
// loads and the filters it offers.
type SearchPage struct {
	// IndexURL is the fingerprinted metadata file of the search index;
	// empty when the build made no index.
	IndexURL string
	Facets   []SearchFacet
	// Browse links the site's main sections, for readers without
	// JavaScript: a small site map.
	Browse []Link
}

// SearchFacet is one facet of the search filters.
type SearchFacet struct {
	Name   string
	Label  string
	Values []SearchValue
}

// SearchValue is one value to filter by, with the number of pages that
// have it.
type SearchValue struct {
	Key   string
	Label string
	Count int
}

// SearchOutputs lists the search page and, when the build made one, the
// search index files: the outputs of Outputs whose Search is set.
func (r *Renderer) SearchOutputs() []Output {
	sp := &SearchPage{Browse: r.browseLinks()}
	var outs []Output
	if ix := r.Search; ix != nil {
		sp.IndexURL = ix.MetaURL()
		totals := ix.Totals()
		for _, f := range ix.Facets {
			sf := SearchFacet{Name: f.Name, Label: f.Label}
			for _, v := range f.Values {
				if n := totals[f.Name][v.Key]; n > 0 {
					sf.Values = append(sf.Values, SearchValue{Key: v.Key, Label: v.Label, Count: n})
				}
			}
			if len(sf.Values) > 0 {
				sp.Facets = append(sp.Facets, sf)
			}
		}
		meta := strings.TrimPrefix(ix.MetaURL(), "/")
		files := ix.Files()
		for i := range files {
			f := &files[i]
			// The shards and fragments are compact JSON with nothing a
			// minifier shortens; the metadata file has round numbers it
			// writes shorter (1000 as 1e3).
			outs = append(outs, Output{Path: f.Path, Search: true, Compact: f.Path != meta,
				gen: func(buf *bytes.Buffer) error {
					buf.Write(f.Data)
					return nil
				},
				// The index's files are 70 MB at 10,000 pages: a full
				// build lets go of each once it is written (the index
				// itself is kept to the end).
				Release: func() { f.Data = nil },
			})
		}
	}
	page := r.htmlOutput(FilePath("/search/"), nil, "search", func() *View {
		return r.genView("search", "Search", "/search/", func(v *View) { v.Search = sp })
	})
	page.Search = true
	return append(outs, page)
}

// browseLinks lists where to go without search: the main menu, the
// taxonomies and the reference list.
func (r *Renderer) browseLinks() []Link {
	var out []Link
	for _, l := range r.G.Site.Menus["main"] {
		if l.URL != "/search/" {
			out = append(out, Link{Label: l.Name, URL: l.URL})
		}
	}
	for _, tx := range r.G.Taxonomies {
		out = append(out, Link{Label: tx.Title, URL: tx.URL})
	}
	return append(out, Link{Label: "References", URL: "/references/"})
}
