// Package site builds the graph of the site from the loaded content: every
// page's URL, sections and their ordered children, IDs, front-matter
// relations in both directions, body-link backlinks, taxonomies, citations
// and aliases. It touches no files.
package site

import (
	"cmp"
	"path"
	"slices"
	"strings"
	"sync"

	"hjp/internal/config"
	"hjp/internal/content"
	"hjp/internal/diag"
	"hjp/internal/markdown"
	"hjp/internal/slug"
)

// Page is a content page placed in the site.
type Page struct {
	*content.Page
	// URL is the site path, starting and ending with "/".
	URL string
	Doc markdown.Doc

	Parent   *Page
	Children []*Page
	// Prev and Next walk the parent's children in order.
	Prev, Next *Page

	// Relations, from front matter in either direction, by kind.
	Related map[content.Kind][]*Page
	// LinkedFrom lists the pages whose text links here.
	LinkedFrom []*Page
	// References are the works the page cites or lists as sources, in
	// reference-list order.
	References []*content.Reference
	// Aliases are the old URLs that redirect here, including the short
	// link of a finding or recommendation.
	Aliases []string
	// ShortURL is "/f/3/" or "/r/3/" for findings and recommendations.
	ShortURL string

	// sortTitle is the lower-case title, the key compareOrder sorts by,
	// worked out once: sorting thousands of pages by title would
	// otherwise lower-case each title at every comparison.
	sortTitle string
	// rank is the page's place in the whole site by compareOrder, which
	// lists sort by (byOrder).
	rank int
	// terms lists the taxonomy terms that tag the page, by vocabulary.
	terms map[string][]*Term
}

// Title returns the page title.
func (p *Page) Title() string { return p.Meta.Title }

// RelatedOf returns the related pages of one kind.
func (p *Page) RelatedOf(k content.Kind) []*Page { return p.Related[k] }

// Graph is the whole site.
type Graph struct {
	Site *config.Site
	// Pages are all published pages, sorted by URL.
	Pages []*Page
	Home  *Page
	// Sections maps a section name ("guide") to its _index page.
	Sections map[string]*Page

	References *content.References
	// CitedBy lists, per reference key, the pages citing it.
	CitedBy map[string][]*Page

	Taxonomies []*Taxonomy

	ofKind   map[content.Kind][]*Page // in section order
	byRel    map[string]*Page         // content-relative path
	byURL    map[string]*Page
	byID     map[string]*Page
	bySlug   map[content.Kind]map[string]*Page
	drafts   map[string]*content.Page
	static   map[string]bool // content-relative paths of static files
	aliases  map[string]*Page
	reserved map[string]string // generated URLs and what makes them

	relPathsOnce sync.Once
	sortedRels   []string // see relPaths
}

// Reserved lists the URLs that the site generates itself, so no page or
// alias may take them.
var Reserved = map[string]string{
	"/search/":     "the search page",
	"/references/": "the reference list",
	"/404.html":    "the not-found page",
	"/api/":        "the open data page",
	"/sitemap.xml": "the sitemap",
	"/robots.txt":  "robots.txt",
	"/feed.xml":    "the Atom feed",
	// The theme's generated pages (render.themeOutputs).
	"/funding/compare/": "the funding models comparison",
	"/guide/print/":     "the print version of the guide",
	"/funding/print/":   "the print version of the funding report",
	// The evidence map (render.evidenceMapOutputs).
	"/evidence-map/": "the evidence map",
}

// New places every page of set in the site and resolves front-matter
// relations. Markdown is rendered after New (it needs URLs), and then
// Finish completes the graph.
func New(site *config.Site, set *content.Set) (*Graph, diag.List) {
	g := &Graph{
		Site:       site,
		Sections:   map[string]*Page{},
		References: set.References,
		CitedBy:    map[string][]*Page{},
		byRel:      map[string]*Page{},
		byURL:      map[string]*Page{},
		byID:       map[string]*Page{},
		bySlug:     map[content.Kind]map[string]*Page{},
		drafts:     map[string]*content.Page{},
		static:     map[string]bool{},
		aliases:    map[string]*Page{},
		reserved:   map[string]string{},
	}
	var l diag.List
	for u, what := range Reserved {
		g.reserved[u] = what
	}
	for _, d := range set.Drafts {
		g.drafts[d.Rel] = d
	}
	for _, s := range set.Static {
		g.static[strings.TrimPrefix(s, "content/")] = true
	}
	for _, cp := range set.Pages {
		p := &Page{Page: cp, URL: URLFor(cp), Related: map[content.Kind][]*Page{}, sortTitle: strings.ToLower(cp.Meta.Title)}
		if prev, dup := g.byURL[p.URL]; dup {
			l.Add(cp.File.At(diag.Error, 1, 1, "page URL %s is already taken by %s: rename one of the files", p.URL, prev.Path))
			continue
		}
		g.byURL[p.URL] = p
		g.byRel[cp.Rel] = p
		g.Pages = append(g.Pages, p)
		if _, dup := g.byID[cp.Meta.ID]; cp.Meta.ID != "" && !dup {
			g.byID[cp.Meta.ID] = p
			p.ShortURL = ShortURL(cp.Meta.ID)
		}
		if cp.Slug != "" {
			if g.bySlug[cp.Kind] == nil {
				g.bySlug[cp.Kind] = map[string]*Page{}
			}
			g.bySlug[cp.Kind][cp.Slug] = p
		}
		switch cp.Kind {
		case content.KindHome:
			g.Home = p
		case content.KindSection:
			g.Sections[cp.Section] = p
		}
	}
	slices.SortFunc(g.Pages, func(a, b *Page) int { return strings.Compare(a.URL, b.URL) })
	if g.Home == nil && len(set.Pages) > 0 || len(set.Pages) == 0 && len(set.Drafts) == 0 {
		l.Errorf("content/_index.md", 1, 1, "the site has no home page: create content/_index.md with a title and a summary")
	}
	// Rank every page once by compareOrder: the lists below and in
	// Finish sort by rank, one integer compare, not by weights, kinds,
	// numbers and titles at every comparison (a 10,000-page graph sorts
	// its lists a dozen ways: a fifth of making it).
	ranked := slices.Clone(g.Pages)
	slices.SortFunc(ranked, compareOrder)
	g.ofKind = map[content.Kind][]*Page{}
	for i, p := range ranked {
		p.rank = i
		g.ofKind[p.Kind] = append(g.ofKind[p.Kind], p)
	}
	g.tree()
	g.taxonomies()
	l.Add(g.aliasesAndShortLinks()...)
	l.Add(g.relations()...)
	return g, l
}

// URLFor gives the site path of a content page: its folders and slug.
func URLFor(p *content.Page) string {
	dir := path.Dir(p.Rel)
	var segs []string
	if dir != "." {
		for s := range strings.SplitSeq(dir, "/") {
			segs = append(segs, slug.Make(s))
		}
	}
	if p.Slug != "" {
		segs = append(segs, p.Slug)
	}
	if len(segs) == 0 {
		return "/"
	}
	return "/" + strings.Join(segs, "/") + "/"
}

// ShortURL gives the permanent short link of a finding or recommendation
// ID: "F3" → "/f/3/".
func ShortURL(id string) string {
	letter, n, ok := content.ParseID(id)
	if !ok {
		return ""
	}
	return "/" + strings.ToLower(string(letter)) + "/" + itoa(n) + "/"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// tree links each page to the nearest section above it and orders every
// section's children: by weight (pages without one last), then finding or
// recommendation number, then title.
func (g *Graph) tree() {
	for _, p := range g.Pages {
		if p.Kind == content.KindHome {
			continue
		}
		parent := g.Home
		if s, ok := g.Sections[p.Section]; ok && s != p {
			parent = s
		}
		if parent == nil || parent == p {
			continue
		}
		p.Parent = parent
		parent.Children = append(parent.Children, p)
	}
	for _, p := range g.Pages {
		slices.SortFunc(p.Children, byOrder)
		for i, c := range p.Children {
			if c.Kind == content.KindSection {
				continue
			}
			if i > 0 && p.Children[i-1].Kind == c.Kind {
				c.Prev = p.Children[i-1]
			}
			if i+1 < len(p.Children) && p.Children[i+1].Kind == c.Kind {
				c.Next = p.Children[i+1]
			}
		}
	}
}

// byOrder sorts pages as compareOrder does, by the rank New gave them.
func byOrder(a, b *Page) int { return cmp.Compare(a.rank, b.rank) }

// compareOrder is the order pages are listed in: by weight (pages without
// one last), kind, finding or recommendation number, title, then URL.
func compareOrder(a, b *Page) int {
	wa, wb := a.Meta.Weight, b.Meta.Weight
	if (wa == 0) != (wb == 0) {
		if wa == 0 {
			return 1
		}
		return -1
	}
	return cmp.Or(
		cmp.Compare(wa, wb),
		cmp.Compare(kindRank(a.Kind), kindRank(b.Kind)),
		cmp.Compare(a.Meta.Number, b.Meta.Number),
		strings.Compare(a.sortTitle, b.sortTitle),
		strings.Compare(a.URL, b.URL),
	)
}

// kindRank puts a funding report's chapters and models in a stable order
// when they share a weight: sections first, then chapters, then the rest.
func kindRank(k content.Kind) int {
	switch k {
	case content.KindSection:
		return 0
	case content.KindFundingChapter, content.KindChapter:
		return 1
	}
	return 2
}

// ByURL returns the page at a site path.
func (g *Graph) ByURL(u string) *Page { return g.byURL[u] }

// ByID returns the finding or recommendation with an ID ("F3").
func (g *Graph) ByID(id string) *Page { return g.byID[id] }

// ByRel returns the page of a content-relative path ("guide/01-x.md").
func (g *Graph) ByRel(rel string) *Page { return g.byRel[rel] }

// BySlug returns the page of a kind with a slug.
func (g *Graph) BySlug(k content.Kind, s string) *Page { return g.bySlug[k][s] }

// AliasTarget returns the page an old URL or short link redirects to.
func (g *Graph) AliasTarget(u string) *Page { return g.aliases[u] }

// OfKind returns the pages of one kind in section order. The list is the
// graph's own, worked out once: callers must not change it.
func (g *Graph) OfKind(k content.Kind) []*Page { return slices.Clip(g.ofKind[k]) }
