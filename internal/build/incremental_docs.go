package build

import (
	"slices"

	"hjp/internal/diag"
	"hjp/internal/markdown"
	"hjp/internal/site"
)

// docEntry is one page's rendered Markdown, kept between builds. It is
// reused while the page's bytes are the same and the graph gives the same
// answers to every question the render asked (link targets, citations).
type docEntry struct {
	hash  [32]byte
	doc   markdown.Doc
	diags diag.List
	asked asked
}

// asked records what a render asked its Resolver and the answers.
type asked struct {
	links []linkAnswer
	cites []citeAnswer
	// keys is set when the render asked for every citation key (to
	// suggest one for an unknown key).
	keys []string
	// askedKeys reports whether keys was asked.
	askedKeys bool
}

type linkAnswer struct {
	dest   string
	image  bool
	target markdown.Target
	err    string
}

type citeAnswer struct {
	key  string
	cite markdown.Cite
	ok   bool
}

// recorder answers a render's questions from the graph and remembers them.
type recorder struct {
	r markdown.Resolver
	a asked
}

func (r *recorder) ResolveLink(dest string, image bool) (markdown.Target, error) {
	t, err := r.r.ResolveLink(dest, image)
	r.a.links = append(r.a.links, linkAnswer{dest, image, t, errText(err)})
	return t, err
}

func (r *recorder) Cite(key string) (markdown.Cite, bool) {
	c, ok := r.r.Cite(key)
	r.a.cites = append(r.a.cites, citeAnswer{key, c, ok})
	return c, ok
}

func (r *recorder) CiteKeys() []string {
	keys := r.r.CiteKeys()
	r.a.keys, r.a.askedKeys = slices.Clone(keys), true
	return keys
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// same reports whether r answers every recorded question as before.
func (a *asked) same(r markdown.Resolver) bool {
	for _, q := range a.links {
		t, err := r.ResolveLink(q.dest, q.image)
		if t != q.target || errText(err) != q.err {
			return false
		}
	}
	for _, q := range a.cites {
		c, ok := r.Cite(q.key)
		if c != q.cite || ok != q.ok {
			return false
		}
	}
	return !a.askedKeys || slices.Equal(r.CiteKeys(), a.keys)
}

// renderMarkdown renders the pages whose source or answers changed and
// reuses the rest.
func (p *incPlan) renderMarkdown(g *site.Graph, l *diag.List) []markdown.Doc {
	b := p.b
	entries := make([]*docEntry, len(g.Pages))
	fresh := make([]bool, len(g.Pages))
	parallel(len(g.Pages), p.workers, func(i int) {
		pg := g.Pages[i]
		res := g.Resolver(pg)
		if e := b.docs[pg.Path]; e != nil && e.hash == pg.Hash && e.asked.same(res) {
			entries[i] = e
			return
		}
		rec := &recorder{r: res}
		doc, d := b.md.Render(markdown.Input{
			File: pg.File, Body: pg.Body, Offset: pg.BodyOffset,
			RawHTML: pg.Meta.RawHTML, Resolver: rec,
		})
		entries[i], fresh[i] = &docEntry{hash: pg.Hash, doc: doc, diags: d, asked: rec.a}, true
	})
	docs := make([]markdown.Doc, len(g.Pages))
	kept := make(map[string]*docEntry, len(g.Pages))
	for i, e := range entries {
		docs[i] = e.doc
		l.Add(e.diags...)
		kept[g.Pages[i].Path] = e
		if fresh[i] {
			p.rendered++
		}
	}
	b.docs = kept
	return docs
}
