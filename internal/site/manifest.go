package site

import (
	"slices"

	"hjp/internal/content"
	"hjp/internal/diag"
)

// PublishedURLs lists every URL a reader may have bookmarked: each page's
// URL and each alias and short link, sorted.
func (g *Graph) PublishedURLs() []string {
	out := make([]string, 0, len(g.Pages)+len(g.aliases))
	for _, p := range g.Pages {
		out = append(out, p.URL)
	}
	for u := range g.aliases {
		out = append(out, u)
	}
	slices.Sort(out)
	return out
}

// Serves reports whether the site answers at u with a page or a redirect.
func (g *Graph) Serves(u string) bool {
	_, page := g.byURL[u]
	_, alias := g.aliases[u]
	_, gen := g.reserved[u]
	return page || alias || gen
}

// CheckManifest reports each previously published URL that nothing serves
// now: a page renamed or moved without an alias.
func (g *Graph) CheckManifest(m *content.URLManifest) diag.List {
	var l diag.List
	if m == nil {
		return l
	}
	urls := make([]string, 0, len(g.Pages))
	for _, p := range g.Pages {
		urls = append(urls, p.URL)
	}
	for _, e := range m.Entries {
		if g.Serves(NormalizeURL(e.URL)) {
			continue
		}
		msg := "URL " + e.URL + " was published before and no page serves it now: "
		if s := diag.Suggest(e.URL, urls); s != "" {
			msg += "if " + g.byURL[s].Path + " replaced it, add \"aliases: [" + e.URL + "]\" to its front matter"
		} else {
			msg += "add \"aliases: [" + e.URL + "]\" to the page that replaced it"
		}
		l.Add(m.File.At(diag.Error, e.Line, 1, "%s, or delete this line if the page is gone for good", msg))
	}
	return l
}

// MergeManifest returns the manifest to write after a successful build:
// the URLs already listed plus every URL published now, sorted, and
// whether it differs from the existing manifest.
func (g *Graph) MergeManifest(m *content.URLManifest) (urls []string, changed bool) {
	seen := map[string]bool{}
	if m != nil {
		for _, e := range m.Entries {
			seen[e.URL] = true
		}
	}
	before := len(seen)
	for _, u := range g.PublishedURLs() {
		seen[u] = true
	}
	for u := range seen {
		urls = append(urls, u)
	}
	slices.Sort(urls)
	return urls, m == nil || len(seen) != before
}
