package markdown

import (
	"bytes"
	"regexp"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"hjp/internal/slug"
)

// GlossaryTerm is one entry of the site's glossary, as the glossary page
// declares it.
type GlossaryTerm struct {
	Term       string
	Abbr       string
	Definition string
	Aliases    []string
}

// GlossaryID is the ID of a term's entry on the glossary page. The
// glossary layout and the links to it both use it, so they always agree.
func GlossaryID(term string) string { return "term-" + slug.Make(term) }

// Glossary is the site's glossary compiled for linking: the first use of
// each term on a page links to its entry. It is built once per build and
// is safe for concurrent use; it is never changed after NewGlossary.
type Glossary struct {
	entries []glossaryEntry
	// byWord lists, by the lower-case first word of each of an entry's
	// phrases, the entries that can match where that word is written;
	// always lists entries whose phrases start with a non-word character.
	// Only those entries' patterns are tried, and only where their words
	// are written, so a page costs one pass over its words rather than a
	// search per term.
	byWord map[string][]int
	always []int
	// lengths has, for each lower-case first byte, bit n set when a word
	// of n bytes (63 or more: bit 63) may be indexed in byWord, as it is
	// or less a plural "s" or "es". Nearly every word of a page is ruled
	// out by this alone, without lower-casing it or looking it up.
	lengths [256]uint64
}

type glossaryEntry struct {
	href  string
	term  string
	abbr  string
	match *regexp.Regexp
	// start is match anchored at the start of the text: it is tried at
	// each place one of the entry's first words is written.
	start *regexp.Regexp
}

// DefaultGlossaryStopList is the terms that are never linked
// automatically: words so common in this site's text that a link on their
// first use would be noise, or would link the wrong sense of the word. A
// glossary entry for one still appears on the glossary page.
func DefaultGlossaryStopList() []string {
	return []string{
		"advice", "adviser", "benefit", "benefits", "care", "debt", "health",
		"housing", "partnership", "patient", "referral", "service", "support",
		"welfare",
	}
}

// NewGlossary compiles terms for linking to the glossary page at url.
// Terms and aliases match whole words in any case, with an optional
// plural "s"; an abbreviation matches whole words in its own case only
// ("HJP", "HJPs"), so "hjp" in a sentence is left alone. Terms and aliases
// in stop (compared without case) and single words shorter than three
// letters are never linked.
func NewGlossary(url string, terms []GlossaryTerm, stop []string) *Glossary {
	stopped := map[string]bool{}
	for _, s := range stop {
		stopped[strings.ToLower(strings.TrimSpace(s))] = true
	}
	g := &Glossary{byWord: map[string][]int{}}
	for _, t := range terms {
		if strings.TrimSpace(t.Term) == "" {
			continue
		}
		var alts []string
		for _, phrase := range append([]string{t.Term}, t.Aliases...) {
			p := strings.TrimSpace(phrase)
			if len(p) < 3 || stopped[strings.ToLower(p)] {
				continue
			}
			alts = append(alts, "(?i:"+phrasePattern(p)+")")
		}
		if a := strings.TrimSpace(t.Abbr); len(a) >= 2 && !stopped[strings.ToLower(a)] {
			alts = append(alts, phrasePattern(a))
		}
		if len(alts) == 0 {
			continue
		}
		// Longer phrases first, so "warm referral" wins over "referral"
		// when both start at the same place.
		slices.SortStableFunc(alts, func(a, b string) int { return len(b) - len(a) })
		g.index(len(g.entries), append([]string{t.Term, t.Abbr}, t.Aliases...))
		pattern := `\b(?:` + strings.Join(alts, "|") + `)\b`
		g.entries = append(g.entries, glossaryEntry{
			href:  url + "#" + GlossaryID(t.Term),
			term:  strings.TrimSpace(t.Term),
			abbr:  strings.TrimSpace(t.Abbr),
			match: regexp.MustCompile(pattern),
			start: regexp.MustCompile(`^(?:` + pattern + `)`),
		})
	}
	return g
}

// index records which first words can start a match of entry i, whose
// phrases are given (an over-approximation is fine: stopped and empty
// phrases are indexed too).
func (g *Glossary) index(i int, phrases []string) {
	for _, p := range phrases {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		w := firstWord(p)
		if w == "" {
			g.always = append(g.always, i)
			continue
		}
		key := strings.ToLower(w)
		if l := g.byWord[key]; len(l) == 0 || l[len(l)-1] != i {
			g.byWord[key] = append(l, i)
		}
		for n := len(key); n <= len(key)+2; n++ {
			g.lengths[key[0]] |= 1 << min(n, 63)
		}
	}
}

// wordBytes marks the characters regexp's \b counts as word characters.
var wordBytes = func() (t [256]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
	}
	return t
}()

// isWordByte reports the characters regexp's \b counts as word characters.
func isWordByte(c byte) bool { return wordBytes[c] }

// firstWord returns the run of word characters s starts with.
func firstWord(s string) string {
	n := 0
	for n < len(s) && isWordByte(s[n]) {
		n++
	}
	return s[:n]
}

// firstMatch returns the earliest match in s of an entry not yet used:
// the entry and the match's [at, end), longest first and then the
// entry listed first when two start at the same place; best is -1 when
// there is none. It is the same as trying every unused entry's pattern
// on all of s, but it tries an entry's pattern only where one of its
// first words is written, anchored there, and stops at the first word
// where one matches. A term's pattern matches case-insensitively, which
// for the Kelvin sign and the long s also matches non-ASCII letters;
// text holding either is searched the long way. folds reports whether s
// may hold one: the caller checks the page once rather than each run.
func (g *Glossary) firstMatch(s []byte, used []bool, folds bool) (best, at, end int) {
	best, at, end = -1, len(s), 0
	better := func(i, start, stop int) {
		if start < at || start == at && (stop > end || stop == end && i < best) {
			best, at, end = i, start, stop
		}
	}
	search := func(i int) {
		if loc := g.entries[i].match.FindIndex(s); loc != nil {
			better(i, loc[0], loc[1])
		}
	}
	if folds && hasFoldingLetter(s) {
		for i := range g.entries {
			if !used[i] {
				search(i)
			}
		}
		return best, at, end
	}
	for _, i := range g.always {
		if !used[i] {
			search(i)
		}
	}
	try := func(list []int, from int) {
		for _, i := range list {
			if used[i] {
				continue
			}
			if loc := g.entries[i].start.FindIndex(s[from:]); loc != nil {
				better(i, from+loc[0], from+loc[1])
			}
		}
	}
	var lower [64]byte
	// A word starting after the best match so far cannot beat it.
	for i := 0; i < len(s) && i <= at; {
		if !wordBytes[s[i]] {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && wordBytes[s[j]] {
			j++
		}
		n := j - i
		if n > len(lower) || g.lengths[toLower(s[i])]&(1<<min(n, 63)) == 0 {
			i = j
			continue
		}
		w := lower[:n]
		for k := range w {
			w[k] = toLower(s[i+k])
		}
		try(g.byWord[string(w)], i)
		if n > 1 && w[n-1] == 's' {
			try(g.byWord[string(w[:n-1])], i)
			if n > 2 && w[n-2] == 'e' {
				try(g.byWord[string(w[:n-2])], i)
			}
		}
		i = j
	}
	return best, at, end
}

// hasFoldingLetter reports whether s holds the Kelvin sign or the long s,
// the non-ASCII letters that match ASCII ones without case.
func hasFoldingLetter(s []byte) bool {
	return bytes.Contains(s, []byte("\u212a")) || bytes.Contains(s, []byte("\u017f"))
}

// toLower lower-cases an ASCII letter.
func toLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// phrasePattern matches a phrase word by word across any white space,
// with an optional plural "s".
func phrasePattern(p string) string {
	words := strings.Fields(p)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return strings.Join(words, `\s+`) + `(?:s|es)?`
}

// KindGlossaryLink is the AST kind of a link to a glossary entry.
var KindGlossaryLink = ast.NewNodeKind("GlossaryLink")

// GlossaryLink is the first use of a glossary term on a page. Its children
// are the text as written.
type GlossaryLink struct {
	ast.BaseInline
	Href string
	// Term is the full term; Abbr is set when the text is its
	// abbreviation, which is then written as <abbr title="Term">.
	Term string
	Abbr bool
}

// Kind implements ast.Node.
func (n *GlossaryLink) Kind() ast.NodeKind { return KindGlossaryLink }

// Dump implements ast.Node.
func (n *GlossaryLink) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Href": n.Href, "Term": n.Term}, nil)
}

// glossaryLinker links the first use of each glossary term on the page.
// It looks only at running text: never inside links, headings, code,
// images, citations or raw HTML.
type glossaryLinker struct{}

func (glossaryLinker) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st := getState(pc)
	if st.in.Glossary == nil || len(st.in.Glossary.entries) == 0 {
		return
	}
	src := reader.Source()
	// The first text node of every run of adjacent text nodes, in document
	// order, so "first use" means first in reading order.
	runs := make([]*ast.Text, 0, 64)
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading, *ast.Link, *ast.AutoLink, *ast.Image, *ast.CodeSpan,
			*ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock, *ast.RawHTML,
			*Citation, *GlossaryLink, *east.TableHeader:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if _, prevText := n.PreviousSibling().(*ast.Text); !prevText {
				runs = append(runs, n)
			}
		}
		return ast.WalkContinue, nil
	})
	used := make([]bool, len(st.in.Glossary.entries))
	sc := runScratch{folds: hasFoldingLetter(src)}
	for _, t := range runs {
		for t != nil {
			t = st.in.Glossary.linkRun(t, src, used, &sc)
		}
	}
}

// runScratch is linkRun's working space, reused for every run of a page.
type runScratch struct {
	run    []*ast.Text
	text   []byte
	starts []int
	// folds is set when the page holds a letter that firstMatch must
	// look for in each run.
	folds bool
}

// linkRun finds the earliest unused term in the run of adjacent text nodes
// that starts at first, and wraps it in a GlossaryLink. The run is joined
// (a line break counts as a space) so a phrase broken over two source
// lines still matches. It returns the text node after the new link, to go
// on from, or nil when the run has no more terms.
func (g *Glossary) linkRun(first *ast.Text, src []byte, used []bool, sc *runScratch) *ast.Text {
	parent := first.Parent()
	run := sc.run[:0]
	for n := ast.Node(first); n != nil; n = n.NextSibling() {
		t, ok := n.(*ast.Text)
		if !ok {
			break
		}
		run = append(run, t)
	}
	s, starts := sc.text[:0], sc.starts[:0]
	for _, t := range run {
		starts = append(starts, len(s))
		s = append(s, t.Segment.Value(src)...)
		if t.SoftLineBreak() || t.HardLineBreak() {
			s = append(s, ' ')
		}
	}
	sc.run, sc.text, sc.starts = run, s, starts
	best, at, end := g.firstMatch(s, used, sc.folds)
	if best < 0 {
		return nil
	}
	used[best] = true
	e := g.entries[best]
	fi, li := nodeAt(starts, at), nodeAt(starts, end-1)
	head := splitText(run[fi], at-starts[fi])
	last, cut := run[li], end-starts[li]
	if li == fi {
		last, cut = head, end-at
	}
	splitText(last, cut)
	link := &GlossaryLink{Href: e.href, Term: e.term, Abbr: e.abbr != "" && matchesAbbr(string(s[at:end]), e.abbr)}
	parent.InsertBefore(parent, head, link)
	for n := ast.Node(head); n != nil; {
		next := n.NextSibling()
		parent.RemoveChild(parent, n)
		link.AppendChild(link, n)
		if n == ast.Node(last) {
			break
		}
		n = next
	}
	next, _ := link.NextSibling().(*ast.Text)
	return next
}

func matchesAbbr(s, abbr string) bool {
	return s == abbr || s == abbr+"s" || s == abbr+"es"
}

// nodeAt returns the index of the run node holding byte i of the joined
// text, given where each node starts.
func nodeAt(starts []int, i int) int {
	n := 0
	for j, s := range starts {
		if s <= i {
			n = j
		}
	}
	return n
}

// splitText splits t at byte k of its text: t keeps the part before k and
// a new node after it holds the rest and t's line break. It returns the
// node that starts at k; when k is 0 that is t itself.
func splitText(t *ast.Text, k int) *ast.Text {
	if k <= 0 || k >= t.Segment.Len() {
		return t
	}
	rest := ast.NewTextSegment(t.Segment.WithStart(t.Segment.Start + k))
	rest.SetSoftLineBreak(t.SoftLineBreak())
	rest.SetHardLineBreak(t.HardLineBreak())
	rest.SetRaw(t.IsRaw())
	t.Segment = t.Segment.WithStop(t.Segment.Start + k)
	t.SetSoftLineBreak(false)
	t.SetHardLineBreak(false)
	t.Parent().InsertAfter(t.Parent(), t, rest)
	return rest
}

// glossaryRenderer writes a GlossaryLink as a link to the glossary entry,
// with an abbreviation marked up as <abbr title="…">.
type glossaryRenderer struct{}

func (r *glossaryRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindGlossaryLink, r.render)
}

func (r *glossaryRenderer) render(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*GlossaryLink)
	if entering {
		_, _ = w.WriteString(`<a class="glossary-link" href="`)
		_, _ = w.Write(util.EscapeHTML([]byte(n.Href)))
		_, _ = w.WriteString(`">`)
		if n.Abbr {
			_, _ = w.WriteString(`<abbr title="`)
			_, _ = w.Write(util.EscapeHTML([]byte(n.Term)))
			_, _ = w.WriteString(`">`)
		}
		return ast.WalkContinue, nil
	}
	if n.Abbr {
		_, _ = w.WriteString(`</abbr>`)
	}
	_, _ = w.WriteString(`</a>`)
	return ast.WalkContinue, nil
}
