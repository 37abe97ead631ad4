// Package markdown owns the one configured goldmark instance and hjp's
// extensions to it: link rewriting, citations, heading IDs with self-links,
// the contents list and plain text for search. It knows nothing of files or
// URLs: it asks a Resolver.
package markdown

import (
	"bufio"
	"bytes"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"hjp/internal/diag"
)

// Resolver answers the questions a page's Markdown raises about the rest of
// the site. Implementations must be safe for concurrent use.
type Resolver interface {
	// ResolveLink resolves a link or image destination that is not an
	// external URL ("../findings/f03-x.md#why", "/guide/", "#local").
	// The error's text is shown to the editor at the link.
	ResolveLink(dest string, image bool) (Target, error)
	// Cite returns how to cite the reference key, and false when there is
	// no such reference.
	Cite(key string) (Cite, bool)
	// CiteKeys lists every reference key, for "did you mean".
	CiteKeys() []string
}

// Target is where a resolved link points.
type Target struct {
	// URL is written into the href.
	URL string
	// Page identifies the target page for anchor checks and backlinks
	// (the resolver's own key, e.g. a content path); empty when the link
	// is to something other than a page.
	Page string
	// Anchor is the fragment without "#", checked against the target's
	// heading IDs once every page is rendered.
	Anchor string
	// CheckURL is set when the destination is a site URL that only the
	// finished build can check ("/findings/theme/housing/").
	CheckURL string
}

// Cite is what an in-text citation shows and where it links.
type Cite struct {
	Names string // "Beardon et al."
	Year  string // "2021a"
	Href  string // "#ref-beardon2021"
}

// Input is one page's Markdown and what rendering it needs.
type Input struct {
	// File is the whole source file; Body starts at Offset within it.
	File     *diag.File
	Body     []byte
	Offset   int
	RawHTML  bool
	Resolver Resolver
	// Glossary links the first use of each glossary term; nil for none
	// (the glossary page itself).
	Glossary *Glossary
	// HeadingShift demotes every heading by this many levels and IDPrefix
	// goes before every heading ID, so pages can be joined into one
	// document (the print pages) with valid heading levels and unique IDs.
	HeadingShift int
	IDPrefix     string
	// PlainHeadings leaves out the self-link after each heading.
	PlainHeadings bool
}

// Doc is the result of rendering one page.
type Doc struct {
	HTML      []byte
	Headings  []Heading
	Links     []Link
	Citations []string
	Sections  []Section
	Words     int
}

// Heading is one heading of the page.
type Heading struct {
	Level int
	ID    string
	Text  string
	// Line and Col are where the heading is written.
	Line, Col int
}

// Link is one internal link of the page, kept for anchor checks and
// backlinks.
type Link struct {
	Target
	Line, Col int
}

// Section is the plain text under one heading (ID "" for the text before
// the first heading), for search.
type Section struct {
	ID    string
	Title string
	Text  string
}

// Renderer converts Markdown to HTML. It is safe for concurrent use.
type Renderer struct {
	safe, unsafe goldmark.Markdown
	// noLinkify is safe without linkify, for pages in which it can find
	// nothing (see mayLinkify): at every space it looked for a URL or an
	// email address, a tenth of goldmark's work on a page without one.
	noLinkify goldmark.Markdown
	bufs      sync.Pool
	// Minify, when set, writes src (a page's HTML) minified to dst: a
	// minifying build sets it, so that pages' HTML goes into templates
	// that are minified already (see render.LoadTheme). Pages without
	// raw HTML, whose markup hjp writes itself, are compacted instead
	// (see compact): the same bytes a minifier would leave, near enough,
	// for a twentieth of the work.
	Minify func(dst *bytes.Buffer, src []byte) error
}

// outBuf is where a page's HTML is rendered: a buffer, and the buffered
// writer goldmark writes through (given one, it does not make its own,
// 4 KB a page).
type outBuf struct {
	b *bytes.Buffer
	w *bufio.Writer
}

// New returns a Renderer with hjp's goldmark configuration.
func New() *Renderer {
	return &Renderer{
		safe:      newGoldmark(false, true, passes()...),
		unsafe:    newGoldmark(true, true, passes()...),
		noLinkify: newGoldmark(false, false, passes()...),
		bufs: sync.Pool{New: func() any {
			b := new(bytes.Buffer)
			return &outBuf{b: b, w: bufio.NewWriter(b)}
		}},
	}
}

// passes are hjp's AST transformers; goldmark runs them in order of
// priority, lowest first, after parsing. BenchmarkPasses times them
// apart from goldmark's own work.
func passes() []util.PrioritizedValue {
	return []util.PrioritizedValue{
		util.Prioritized(&headingIDs{}, 100),
		util.Prioritized(&linkResolver{}, 200),
		util.Prioritized(&editorial{}, 310),
		util.Prioritized(&glossaryLinker{}, 400),
		util.Prioritized(&rawHTML{}, 300),
		util.Prioritized(&collector{}, 900),
		util.Prioritized(&headingShift{}, 950),
	}
}

// newGoldmark returns hjp's goldmark configuration with the given AST
// transformers.
func newGoldmark(unsafe, linkify bool, transformers ...util.PrioritizedValue) goldmark.Markdown {
	rendererOpts := []renderer.Option{
		renderer.WithNodeRenderers(
			util.Prioritized(&headingRenderer{}, 100),
			util.Prioritized(&citationRenderer{}, 100),
			util.Prioritized(&glossaryRenderer{}, 100),
			util.Prioritized(&taskBoxRenderer{}, 100),
			util.Prioritized(&safeHTMLRenderer{}, 100),
		),
	}
	if unsafe {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	extensions := []goldmark.Extender{
		extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignNone)),
		extension.Strikethrough,
		extension.TaskList,
	}
	if linkify {
		extensions = append(extensions, extension.Linkify)
	}
	return goldmark.New(
		goldmark.WithExtensions(extensions...),
		goldmark.WithParserOptions(
			parser.WithHeadingAttribute(),
			parser.WithInlineParsers(
				util.Prioritized(&bracketCiteParser{}, 199),
				util.Prioritized(&narrativeCiteParser{}, 199),
			),
			parser.WithASTTransformers(transformers...),
		),
		goldmark.WithRendererOptions(rendererOpts...),
	)
}

var stateKey = parser.NewContextKey()

// state is the per-call data the extensions share through the parser
// context.
type state struct {
	in    *Input
	doc   *Doc
	diags diag.List
	cited map[string]bool
	// headings indexes doc.Headings by node, and headingWords counts the
	// words of each, so later passes need not work out the text again.
	headings     map[*ast.Heading]int
	headingWords []int
	// sent is checkSentences' scratch space, reused for every paragraph;
	// text is plainText's, reused for every heading, link and image.
	sent sentenceScratch
	text spacedText
}

// sentenceScratch holds a paragraph's joined text and its map back to
// the source (see checkSentences).
type sentenceScratch struct {
	txt      []byte
	at, from []int
	spans    []sentence
}

func (s *state) errorAt(pos int, format string, args ...any) {
	s.diags.Add(s.in.File.AtOffset(diag.Error, s.in.Offset+max(pos, 0), format, args...))
}

func (s *state) position(pos int) (line, col int) {
	return s.in.File.Position(s.in.Offset + max(pos, 0))
}

// Render converts one page. Problems (broken links, unknown citations,
// duplicate heading IDs) come back as diagnostics; the HTML is still
// produced so that every problem in a build can be reported at once.
func (r *Renderer) Render(in Input) (Doc, diag.List) {
	md := r.safe
	switch {
	case in.RawHTML:
		md = r.unsafe
	case !mayLinkify(in.Body):
		md = r.noLinkify
	}
	return r.render(in, md)
}

// render is Render with md.
func (r *Renderer) render(in Input, md goldmark.Markdown) (Doc, diag.List) {
	st := &state{in: &in, doc: &Doc{}, cited: map[string]bool{}}
	pc := parser.NewContext()
	pc.Set(stateKey, st)
	if !st.checkLimits(in.Body) {
		return *st.doc, st.diags
	}
	root := md.Parser().Parse(text.NewReader(in.Body), parser.WithContext(pc))
	out := r.bufs.Get().(*outBuf)
	out.b.Reset()
	out.w.Reset(out.b)
	err := md.Renderer().Render(out.w, in.Body, root)
	if err == nil {
		err = out.w.Flush()
	}
	if err != nil {
		st.errorAt(0, "cannot render Markdown: %v", err)
	}
	html := out.b.Bytes()
	var min *outBuf
	if r.Minify != nil && err == nil {
		min = r.bufs.Get().(*outBuf)
		min.b.Reset()
		if !in.RawHTML {
			compact(min.b, html)
			html = min.b.Bytes()
		} else if err := r.Minify(min.b, html); err != nil {
			st.errorAt(0, "cannot minify the page's HTML: %v", err)
		} else {
			html = min.b.Bytes()
		}
	}
	st.doc.HTML = bytes.Clone(html)
	r.bufs.Put(out)
	if min != nil {
		r.bufs.Put(min)
	}
	return *st.doc, st.diags
}

func getState(pc parser.Context) *state {
	st, _ := pc.Get(stateKey).(*state)
	return st
}
