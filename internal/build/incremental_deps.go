package build

import (
	"fmt"
	"hash/maphash"
	"maps"
	"slices"
	"strconv"

	"hjp/internal/content"
	"hjp/internal/render"
	"hjp/internal/search"
	"hjp/internal/site"
)

// snapshot is what a good build leaves for the next one to compare with.
type snapshot struct {
	siteSum, layoutSum [32]byte
	assets             map[string]render.Asset
	files              map[string][]byte
	// outputs are the output paths in order; extras the files written
	// besides them (theme assets, static files).
	outputs []string
	extras  map[string]bool
	// pages are the published pages by content-relative path.
	pages map[string]*pageInfo
	// terms and taxonomies map their output paths to the pages they list;
	// aliases map alias outputs to the page they lead to.
	terms, taxonomies map[string][]string
	aliases           map[string]string
	// urls maps each page's URL to its content-relative path.
	urls map[string]string
	// refs fingerprints each bibliography entry; citedBy lists the pages
	// citing it.
	refs    map[string]string
	citedBy map[string][]string
	uses    map[string]render.Uses
	// search is the index whose files (searchOuts, with the search page)
	// are among files: the last good build's, or a newer one BuildSearch
	// put in.
	search     *search.Index
	searchOuts []string
}

// pageInfo is one page as the next build needs to know it.
type pageInfo struct {
	// sig covers what other pages show of this one: its front matter,
	// URL, kind and headings.
	sig uint64
	// around covers what this page shows of the graph around it: parent,
	// children, its place among its siblings, prev/next, related and
	// linking pages, references and aliases.
	around  uint64
	kind    content.Kind
	section string
	layout  string
	html    []byte
	page    *site.Page
}

// snapshot records the state of a build that is about to render.
func (b *Incremental) snapshot(st *Stages, siteSum, layoutSum [32]byte) *snapshot {
	g := st.Graph
	s := &snapshot{
		siteSum: siteSum, layoutSum: layoutSum, assets: st.Assets,
		pages:   make(map[string]*pageInfo, len(g.Pages)),
		aliases: map[string]string{},
		urls:    make(map[string]string, len(g.Pages)),
		refs:    map[string]string{},
		citedBy: map[string][]string{},
		uses:    map[string]render.Uses{},
	}
	layouts := map[string]string{}
	for _, o := range st.Outputs {
		if o.Page != nil {
			layouts[o.Page.Rel] = o.Layout
		}
		if o.Layout != "" {
			if _, ok := s.uses[o.Layout]; !ok {
				s.uses[o.Layout] = st.Theme.Uses(o.Layout)
			}
		}
	}
	place := make(map[*site.Page]int, len(g.Pages))
	for _, p := range g.Pages {
		for i, c := range p.Children {
			place[c] = i
		}
	}
	sigs := make(map[string]sigEntry, len(g.Pages))
	for _, p := range g.Pages {
		s.pages[p.Rel] = b.pageInfo(p, layouts[p.Rel], place[p], sigs)
		s.urls[p.URL] = p.Rel
	}
	b.sigs = sigs
	s.terms, s.taxonomies = termOutputs(g)
	for _, a := range g.Aliases() {
		s.aliases[render.FilePath(a.From)] = a.To.Rel
	}
	for _, r := range g.References.List {
		c := *r
		c.Line, c.Col = 0, 0
		s.refs[r.Key] = fmt.Sprintf("%#v", c)
		s.citedBy[r.Key] = rels(g.CitedBy[r.Key])
	}
	return s
}

// sigEntry remembers a page's sig for the bytes and URL it was made from.
type sigEntry struct {
	hash [32]byte
	url  string
	sig  uint64
}

// pageInfo records one page; place is its index among its parent's
// children.
func (b *Incremental) pageInfo(p *site.Page, layout string, place int, sigs map[string]sigEntry) *pageInfo {
	info := &pageInfo{kind: p.Kind, section: p.Section, layout: layout, html: p.Doc.HTML, page: p}
	var h maphash.Hash
	h.SetSeed(b.seed)
	if e, ok := b.sigs[p.Path]; ok && e.hash == p.Hash && e.url == p.URL {
		info.sig = e.sig
	} else {
		// Same bytes give the same front matter and headings.
		writeStrings(&h, p.Rel, p.URL, string(p.Kind), p.ShortURL)
		h.Write(p.File.Src[:p.BodyOffset])
		for _, hd := range p.Doc.Headings {
			writeStrings(&h, strconv.Itoa(hd.Level), hd.ID, hd.Text)
		}
		info.sig = h.Sum64()
		h.Reset()
	}
	sigs[p.Path] = sigEntry{p.Hash, p.URL, info.sig}

	writePages := func(label string, ps []*site.Page) {
		h.WriteString(label)
		h.WriteByte(0)
		for _, q := range ps {
			h.WriteString(q.Rel)
			h.WriteByte(0)
		}
	}
	writeStrings(&h, relOf(p.Parent), relOf(p.Prev), relOf(p.Next))
	writePages("children", p.Children)
	if p.Parent != nil {
		writeStrings(&h, "place", strconv.Itoa(place), strconv.Itoa(len(p.Parent.Children)))
	}
	for _, k := range slices.Sorted(maps.Keys(p.Related)) {
		writePages("related "+string(k), p.Related[k])
	}
	writePages("linked", p.LinkedFrom)
	writeStrings(&h, "refs")
	for _, r := range p.References {
		writeStrings(&h, r.Key)
	}
	writeStrings(&h, "aliases")
	writeStrings(&h, p.Aliases...)
	info.around = h.Sum64()
	return info
}

func writeStrings(h *maphash.Hash, ss ...string) {
	for _, s := range ss {
		h.WriteString(s)
		h.WriteByte(0)
	}
}

func relOf(p *site.Page) string {
	if p == nil {
		return ""
	}
	return p.Rel
}

// termOutputs returns, for every term and taxonomy output path, the pages
// it lists.
func termOutputs(g *site.Graph) (terms, taxonomies map[string][]string) {
	terms, taxonomies = map[string][]string{}, map[string][]string{}
	for _, tx := range g.Taxonomies {
		var all []string
		for _, t := range tx.Terms {
			rs := rels(t.Pages)
			terms[render.FilePath(t.URL)] = rs
			all = append(all, "\x00"+t.URL)
			all = append(all, rs...)
		}
		taxonomies[render.FilePath(tx.URL)] = all
	}
	return terms, taxonomies
}

func rels(ps []*site.Page) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Rel
	}
	return out
}

// affected returns the output paths a change from prev to next can have
// changed.
func affected(prev, next *snapshot, st *Stages) map[string]bool {
	c := newChange(prev, next)
	out := map[string]bool{}
	for _, o := range st.Outputs {
		switch {
		case prev.files[o.Path] == nil:
			out[o.Path] = true
		case o.Page != nil && o.Layout == "":
			// A page's own data file (its BibTeX and RIS citation) shows
			// only its front matter and URL.
			if c.sig[o.Page.Rel] {
				out[o.Path] = true
			}
		case o.Page != nil:
			if c.pages[o.Page.Rel] {
				out[o.Path] = true
			}
		case next.terms[o.Path] != nil:
			if c.listChanged(prev.terms[o.Path], next.terms[o.Path]) {
				out[o.Path] = true
			}
		case next.taxonomies[o.Path] != nil:
			if c.listChanged(prev.taxonomies[o.Path], next.taxonomies[o.Path]) {
				out[o.Path] = true
			}
		case next.aliases[o.Path] != "":
			to := next.aliases[o.Path]
			if prev.aliases[o.Path] != to || c.sig[to] {
				out[o.Path] = true
			}
		case o.Layout == "":
			// Site-wide files made without a layout: listings (sitemap,
			// feed, datasets) on structural changes, others (which may
			// hold body text) on any change.
			if c.structural || (c.any && !o.Listing) {
				out[o.Path] = true
			}
		}
	}
	for _, o := range st.Outputs {
		if o.Layout == "" || out[o.Path] {
			continue
		}
		if c.reaches(next.uses[o.Layout], o.Joins, prev, next) {
			out[o.Path] = true
		}
	}
	return out
}

// bodiesAffected returns the outputs a change of only the given pages'
// body text can have changed (see Incremental.patch): those pages, the
// files made without a layout that may hold text (the search index) and
// the layouts that show other pages' text (print pages, the search page).
func bodiesAffected(s *snapshot, rels map[string]bool, outs []render.Output) map[string]bool {
	chosen := map[string]bool{}
	if len(rels) == 0 {
		return chosen
	}
	sections := map[string]bool{}
	for rel := range rels {
		sections[s.pages[rel].section] = true
	}
	// Looked up for each of tens of thousands of outputs on every edit in
	// hjp serve: the few layouts that show other pages' text, and the
	// edited pages, found once here.
	text := map[string]bool{}
	for layout, u := range s.uses {
		if u.Text {
			text[layout] = true
		}
	}
	edited := func(p *site.Page) bool { return rels[p.Rel] }
	if len(rels) == 1 {
		var only string
		for rel := range rels {
			only = rel
		}
		edited = func(p *site.Page) bool { return p.Rel == only }
	}
	for _, o := range outs {
		switch {
		case o.Page != nil && edited(o.Page),
			o.Layout == "" && o.Page == nil && !o.Listing,
			o.Layout != "" && text[o.Layout] && (o.Joins == "" || sections[o.Joins]):
			chosen[o.Path] = true
		}
	}
	return chosen
}

// change is the difference between two builds' graphs.
type change struct {
	// sig holds the pages (old or new rels) whose own shown data changed,
	// including added and removed pages.
	sig map[string]bool
	// pages holds the pages whose output must be rendered.
	pages    map[string]bool
	kinds    map[content.Kind]bool
	sections map[string]bool
	// text holds the sections of the pages whose body HTML changed.
	text map[string]bool
	// any is set by any change; structural by one other than a page's
	// body text: front matter, headings, pages added or removed,
	// relations, links, citations or references.
	any, structural bool
}

func newChange(prev, next *snapshot) *change {
	c := &change{sig: map[string]bool{}, pages: map[string]bool{}, kinds: map[content.Kind]bool{}, sections: map[string]bool{}, text: map[string]bool{}}
	for rel, n := range next.pages {
		o := prev.pages[rel]
		switch {
		case o == nil || o.sig != n.sig:
			c.sig[rel] = true
		case o.around != n.around:
			c.pages[rel] = true
			c.structural = true
		case !sameBytes(o.html, n.html):
			c.pages[rel] = true
			c.text[n.section] = true
		}
	}
	for rel := range prev.pages {
		if next.pages[rel] == nil {
			c.sig[rel] = true
		}
	}
	for key, fp := range next.refs {
		if prev.refs[key] != fp {
			c.addAll(prev.citedBy[key])
			c.addAll(next.citedBy[key])
		}
	}
	for key := range prev.refs {
		if _, ok := next.refs[key]; !ok {
			c.addAll(prev.citedBy[key])
		}
	}
	for rel := range c.sig {
		c.pages[rel] = true
		for _, s := range []*snapshot{prev, next} {
			if info := s.pages[rel]; info != nil {
				c.kinds[info.kind] = true
				c.sections[info.section] = true
				s.near(rel, c.pages)
			}
		}
	}
	refs := !maps.Equal(prev.refs, next.refs)
	c.structural = c.structural || len(c.sig) > 0 || refs
	c.any = c.structural || len(c.pages) > 0
	return c
}

func (c *change) addAll(rels []string) {
	for _, r := range rels {
		c.pages[r] = true
	}
}

// near adds the pages that show page rel: its descendants (breadcrumbs),
// parent, children, siblings, prev and next, related pages and the pages
// it links to (they list it as linking to them).
func (s *snapshot) near(rel string, out map[string]bool) {
	p := s.pages[rel].page
	add := func(ps ...*site.Page) {
		for _, q := range ps {
			if q != nil {
				out[q.Rel] = true
			}
		}
	}
	add(p.Parent, p.Prev, p.Next)
	for _, rs := range p.Related {
		add(rs...)
	}
	for _, ln := range p.Doc.Links {
		if ln.Page != "" {
			out[ln.Page] = true
		}
	}
	if p.Parent != nil {
		add(p.Parent.Children...)
	}
	var down func(*site.Page)
	down = func(q *site.Page) {
		for _, c := range q.Children {
			out[c.Rel] = true
			down(c)
		}
	}
	down(p)
}

// listChanged reports whether a term or taxonomy page lists other pages,
// or a page whose shown data changed.
func (c *change) listChanged(old, cur []string) bool {
	if !slices.Equal(old, cur) {
		return true
	}
	for _, r := range cur {
		if c.sig[r] {
			return true
		}
	}
	return false
}

// reaches reports whether a layout that uses u shows something that
// changed from prev to next. A layout that reaches the whole graph is
// taken to show other pages' titles, summaries, relations and citations,
// and their body text only when it says so: then an output that joins a
// section's pages (joins) shows that section's text, another any page's.
func (c *change) reaches(u render.Uses, joins string, prev, next *snapshot) bool {
	if u.All && c.structural || u.Text && (joins == "" && c.any || joins != "" && c.text[joins]) {
		return true
	}
	for _, url := range u.URLs {
		for _, s := range []*snapshot{prev, next} {
			if rel, ok := s.urls[url]; ok && c.sig[rel] {
				return true
			}
		}
	}
	for _, k := range u.Kinds {
		if c.kinds[k] {
			return true
		}
	}
	for _, s := range u.Sections {
		if c.sections[s] {
			return true
		}
	}
	return false
}
