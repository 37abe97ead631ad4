package build

import (
	"crypto/sha256"
	"fmt"
	"slices"

	"hjp/internal/content"
	"hjp/internal/diag"
	"hjp/internal/markdown"
	"hjp/internal/publish"
	"hjp/internal/site"
)

// docEntry is one page's rendered Markdown, kept between builds. It is
// reused while the page's bytes are the same and the graph gives the same
// answers to every question the render asked (link targets, citations).
type docEntry struct {
	hash [32]byte
	// glossary is the key of the glossary the page was rendered with
	// (see glossaryState); zero for none.
	glossary [32]byte
	doc      markdown.Doc
	diags    diag.List
	asked    asked
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
// reuses the rest. When nothing the Resolver answers from has changed
// (see answersKey), a page with the same bytes is reused without asking
// its questions again.
func (p *incPlan) renderMarkdown(g *site.Graph, set *content.Set, l *diag.List) []markdown.Doc {
	b := p.b
	key := answersKey(g, set)
	sameAnswers := key == b.answers
	b.answers = key
	p.gloss = b.glossary(g)
	entries := make([]*docEntry, len(g.Pages))
	fresh := make([]bool, len(g.Pages))
	parallel(len(g.Pages), p.workers, func(i int) {
		pg := g.Pages[i]
		res := g.Resolver(pg)
		gl, glKey := p.gloss.forPage(pg)
		if e := b.docs[pg.Path]; e != nil && e.hash == pg.Hash && e.glossary == glKey && (sameAnswers || e.asked.same(res)) {
			entries[i] = e
			return
		}
		rec := &recorder{r: res}
		doc, d := b.md.Render(markdown.Input{
			File: pg.File, Body: pg.Body, Offset: pg.BodyOffset,
			RawHTML: pg.Meta.RawHTML, Resolver: rec, Glossary: gl,
		})
		entries[i], fresh[i] = &docEntry{hash: pg.Hash, glossary: glKey, doc: doc, diags: d, asked: rec.a}, true
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

// answersKey hashes everything a page's Resolver answers from: every
// page's path and URL, the drafts, the static files, the aliases and how
// each reference is cited. Equal keys mean equal answers.
func answersKey(g *site.Graph, set *content.Set) [32]byte {
	h := sha256.New()
	w := func(ss ...string) {
		for _, s := range ss {
			h.Write([]byte(s))
			h.Write([]byte{0})
		}
	}
	for _, p := range g.Pages {
		w(p.Rel, p.URL)
	}
	w("drafts")
	for _, d := range set.Drafts {
		w(d.Rel)
	}
	w("static")
	w(set.Static...)
	w("aliases")
	for _, a := range g.Aliases() {
		w(a.From, a.To.Rel)
	}
	w("references")
	if set.References != nil {
		for _, r := range set.References.List {
			w(r.Key, r.Names, r.YearLabel)
		}
	}
	var k [32]byte
	h.Sum(k[:0])
	return k
}

func (p *incPlan) markdown() *markdown.Renderer { return p.b.md }

func (p *incPlan) minifier() *publish.Minifier { return p.b.min }

func (p *incPlan) glossary(*site.Graph) *markdown.Glossary {
	if p.gloss == nil {
		return nil
	}
	return p.gloss.g
}

// glossaryState is a site's compiled glossary and what it was compiled
// from.
type glossaryState struct {
	// key hashes the glossary page's URL and terms: equal keys link the
	// same words to the same entries. Zero when the site has none.
	key [32]byte
	// page is the glossary page's content path; its own text is not
	// linked.
	page string
	g    *markdown.Glossary
}

// forPage returns the glossary RenderMarkdown gives page p (none for the
// glossary page itself) and its key.
func (s *glossaryState) forPage(p *site.Page) (*markdown.Glossary, [32]byte) {
	if s == nil || s.g == nil || p.Path == s.page {
		return nil, [32]byte{}
	}
	return s.g, s.key
}

// glossary returns the site's glossary, compiled again only when its
// terms changed.
func (b *Incremental) glossary(g *site.Graph) *glossaryState {
	p := glossaryPage(g)
	if p == nil {
		return &glossaryState{}
	}
	terms := glossaryTerms(p)
	h := sha256.New()
	fmt.Fprintf(h, "%q\x00%#v", p.URL, terms)
	var key [32]byte
	h.Sum(key[:0])
	if c := b.gloss; c != nil && c.key == key && c.page == p.Path {
		return c
	}
	b.gloss = &glossaryState{key: key, page: p.Path, g: markdown.NewGlossary(p.URL, terms, markdown.DefaultGlossaryStopList())}
	return b.gloss
}
