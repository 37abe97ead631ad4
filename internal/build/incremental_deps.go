package build

import (
	"fmt"
	"hash/maphash"
	"maps"
	"slices"

	"hjp/internal/content"
	"hjp/internal/render"
	"hjp/internal/site"
)

// snapshot is what a good build leaves for the next one to compare with.
type snapshot struct {
	siteSum, layoutSum [32]byte
	assets             map[string]render.Asset
	files              map[string][]byte
	// pages are the published pages by content-relative path.
	pages map[string]*pageInfo
	// terms and taxonomies map their output paths to the pages they list;
	// aliases map alias outputs to the page they lead to.
	terms, taxonomies map[string][]string
	aliases           map[string]string
	// refs fingerprints each bibliography entry; citedBy lists the pages
	// citing it.
	refs    map[string]string
	citedBy map[string][]string
	uses    map[string]render.Uses
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
	parent  string
	// children are in order; related and links (the pages this one links
	// to) need no order.
	children, related, links []string
	prev, next               string
}

// snapshot records the state of a build that is about to render.
func (b *Incremental) snapshot(st *Stages, siteSum, layoutSum [32]byte) *snapshot {
	g := st.Graph
	s := &snapshot{
		siteSum: siteSum, layoutSum: layoutSum, assets: st.Assets,
		pages:   make(map[string]*pageInfo, len(g.Pages)),
		aliases: map[string]string{},
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
	for _, p := range g.Pages {
		s.pages[p.Rel] = b.pageInfo(p, layouts[p.Rel])
	}
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

func (b *Incremental) pageInfo(p *site.Page, layout string) *pageInfo {
	info := &pageInfo{
		kind: p.Kind, section: p.Section, layout: layout,
		html: p.Doc.HTML, children: rels(p.Children), prev: relOf(p.Prev), next: relOf(p.Next),
		parent: relOf(p.Parent),
	}
	var h maphash.Hash
	h.SetSeed(b.seed)
	writeStrings(&h, p.Rel, p.URL, string(p.Kind), p.ShortURL)
	h.Write(p.File.Src[:p.BodyOffset])
	for _, hd := range p.Doc.Headings {
		writeStrings(&h, fmt.Sprint(hd.Level), hd.ID, hd.Text)
	}
	info.sig = h.Sum64()

	h.Reset()
	writeStrings(&h, info.parent, info.prev, info.next, "children")
	writeStrings(&h, info.children...)
	if p.Parent != nil {
		writeStrings(&h, "place", fmt.Sprint(slices.Index(p.Parent.Children, p), len(p.Parent.Children)))
	}
	for _, k := range slices.Sorted(maps.Keys(p.Related)) {
		writeStrings(&h, "related", string(k))
		rs := rels(p.Related[k])
		writeStrings(&h, rs...)
		info.related = append(info.related, rs...)
	}
	writeStrings(&h, "linked")
	writeStrings(&h, rels(p.LinkedFrom)...)
	writeStrings(&h, "refs")
	for _, r := range p.References {
		writeStrings(&h, r.Key)
	}
	writeStrings(&h, "aliases")
	writeStrings(&h, p.Aliases...)
	info.around = h.Sum64()
	for _, ln := range p.Doc.Links {
		if ln.Page != "" && ln.Page != p.Rel {
			info.links = append(info.links, ln.Page)
		}
	}
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
		default:
			// Site-wide files (reference list, search, 404, _redirects,
			// and whatever else has no page): any content change.
			if c.any {
				out[o.Path] = true
			}
		}
	}
	for _, o := range st.Outputs {
		if o.Layout == "" || out[o.Path] {
			continue
		}
		if c.reaches(next.uses[o.Layout]) {
			out[o.Path] = true
		}
	}
	return out
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
	any      bool
}

func newChange(prev, next *snapshot) *change {
	c := &change{sig: map[string]bool{}, pages: map[string]bool{}, kinds: map[content.Kind]bool{}, sections: map[string]bool{}}
	for rel, n := range next.pages {
		o := prev.pages[rel]
		switch {
		case o == nil || o.sig != n.sig:
			c.sig[rel] = true
		case o.around != n.around || !sameBytes(o.html, n.html):
			c.pages[rel] = true
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
	c.any = len(c.pages) > 0 || !maps.Equal(prev.refs, next.refs)
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
	info := s.pages[rel]
	out[info.parent] = true
	out[info.prev] = true
	out[info.next] = true
	for _, r := range info.related {
		out[r] = true
	}
	for _, r := range info.links {
		out[r] = true
	}
	if p := s.pages[info.parent]; p != nil {
		for _, r := range p.children {
			out[r] = true
		}
	}
	var down func(string)
	down = func(r string) {
		for _, c := range s.pages[r].children {
			out[c] = true
			down(c)
		}
	}
	down(rel)
	delete(out, "")
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
// changed.
func (c *change) reaches(u render.Uses) bool {
	if u.All {
		return c.any
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
