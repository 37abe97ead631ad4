package markdown

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// MaxSentenceWords is the longest sentence the editorial checks accept
// without a warning. GOV.UK advises 25 words on average; past 35, readers
// lose the thread.
const MaxSentenceWords = 35

// vagueLinkText reports whether link text (lower case) says nothing when
// a screen reader lists the page's links out of context (WCAG 2.4.4).
func vagueLinkText(t string) bool {
	switch t {
	case "click here", "here", "read more", "more", "click", "link", "this",
		"this page", "this link", "more info", "more information",
		"find out more", "learn more", "go":
		return true
	}
	return false
}

// editorial warns, at the source line, about what makes a page hard to use
// for people who rely on headings, link lists, alt text or plain English:
// an H1 or skipped level in the Markdown, an image without alt text, link
// text that says nothing out of context or is a bare URL, the same link
// text going to different places, sentences over MaxSentenceWords, and
// tables without a header row. Warnings stop the build only with --strict.
type editorial struct{}

func (editorial) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st := getState(pc)
	src := reader.Source()
	level := 1 // the layout writes the page title as the H1
	links := map[string]linkSeen{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			st.checkHeading(n, level, src)
			level = n.Level
		case *ast.Image:
			if strings.TrimSpace(st.plainText(n, src)) == "" {
				st.warnAt(n.Pos(), "image has no alt text: describe what it shows, like ![Bar chart of referrals by month](chart.png)")
			}
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			st.checkLinkText(st.plainText(n, src), string(n.Destination), n.Pos(), links)
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL {
				pos := max(n.Pos(), 0)
				for pos < len(src) && (src[pos] == ' ' || src[pos] == '\t' || src[pos] == '\n') {
					pos++
				}
				st.warnAt(pos, "link text is a bare URL: write what it links to, like [NHS England's guidance](%s)", n.URL(src))
			}
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph:
			st.checkSentences(n, src)
		case *east.Table:
			st.checkTableHeader(n, src)
		}
		return ast.WalkContinue, nil
	})
}

func (st *state) checkHeading(h *ast.Heading, prev int, src []byte) {
	switch {
	case h.Level == 1:
		st.warnAt(h.Pos(), "the page title is the page's only H1: make this heading ## (H2) or lower")
	case h.Level > prev+1:
		hashes := strings.Repeat("#", prev+1)
		st.warnAt(h.Pos(), "heading %q skips from H%d to H%d: make it %s (H%d) so screen reader users do not think a section is missing", st.plainText(h, src), prev, h.Level, hashes, prev+1)
	}
}

type linkSeen struct {
	dest string
	line int
}

// checkLinkText checks a link's text, label, which is plain text with
// white space collapsed, as plainText returns it.
func (st *state) checkLinkText(label, dest string, pos int, seen map[string]linkSeen) {
	t := strings.ToLower(strings.Trim(label, ".,:;!?()[]"))
	switch {
	case vagueLinkText(t):
		st.warnAt(pos, "link text %q says nothing out of context: say where the link goes, like [the referral checklist](…)", label)
		return
	case looksLikeURL(t):
		st.warnAt(pos, "link text is a bare URL: write what it links to, like [NHS England's guidance](%s)", dest)
		return
	case t == "":
		st.warnAt(pos, "link has no text: write what it links to between the brackets")
		return
	}
	line, _ := st.position(pos)
	if prev, ok := seen[t]; ok && prev.dest != dest {
		st.warnAt(pos, "link text %q also goes to %s on line %d: give links to different places different text", label, prev.dest, prev.line)
		return
	}
	if _, ok := seen[t]; !ok {
		seen[t] = linkSeen{dest: dest, line: line}
	}
}

func looksLikeURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "www.")
}

// checkSentences warns about each sentence of a paragraph longer than
// MaxSentenceWords, at the sentence's first word. Citations and code do
// not count as words; link and emphasis text does.
func (st *state) checkSentences(p *ast.Paragraph, src []byte) {
	// pieces map txt back to the source: piece i starts at txt[at[i]]
	// and at source offset from[i] (-1 for a joining space).
	sc := &st.sent
	txt, at, from := sc.txt[:0], sc.at[:0], sc.from[:0]
	defer func() { sc.txt, sc.at, sc.from = txt, at, from }()
	_ = ast.Walk(p, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			seg := n.Segment
			at, from = append(at, len(txt)), append(from, seg.Start)
			txt = append(txt, src[seg.Start:seg.Stop]...)
			if n.SoftLineBreak() || n.HardLineBreak() {
				at, from = append(at, len(txt)), append(from, -1)
				txt = append(txt, ' ')
			}
		case *Citation, *ast.CodeSpan, *ast.Image, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	sc.spans = appendSentences(sc.spans[:0], txt)
	for _, s := range sc.spans {
		if s.words > MaxSentenceWords {
			st.warnAt(sourceOffset(s.start, at, from), "sentence has %d words (more than %d): split it into shorter sentences", s.words, MaxSentenceWords)
		}
	}
}

// sourceOffset returns the source offset of byte i of the joined text.
func sourceOffset(i int, at, from []int) int {
	k := sort.SearchInts(at, i+1) - 1
	if k < 0 || from[k] < 0 {
		return -1
	}
	return from[k] + i - at[k]
}

// sentence is one sentence of a text: its bytes [start, end), from its
// first non-space byte, and its words as strings.Fields counts them.
type sentence struct{ start, end, words int }

// sentences splits text into sentences at ".", "!" or "?" followed by
// white space and a capital letter, digit or opening quote.
func sentences(b []byte) []sentence { return appendSentences(nil, b) }

// appendSentences is sentences appending to out. It counts each
// sentence's words in the same pass, as every paragraph of every page
// goes through it: ASCII, most of the text, by table, the rest decoded.
func appendSentences(out []sentence, b []byte) []sentence {
	start, words, space := -1, 0, true
	for i := 0; i < len(b); {
		c := b[i]
		if start < 0 {
			if c == ' ' || c == '\t' {
				i++
				continue
			}
			start, words, space = i, 0, true
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRune(b[i:])
			wasSpace := space
			space = unicode.IsSpace(r)
			if wasSpace && !space {
				words++
			}
			i += size
			continue
		}
		wasSpace := space
		space = asciiSpace[c]
		if wasSpace && !space {
			words++
		}
		// A sentence's first character never ends it.
		if c != '.' && c != '!' && c != '?' || i == start {
			i++
			continue
		}
		// Closing quotes and brackets belong to the sentence, and to the
		// word the mark ends.
		j := i + 1
		for j < len(b) && (b[j] == '"' || b[j] == ')' || b[j] == '\'') {
			j++
		}
		if j < len(b) && b[j] != ' ' {
			i++
			continue
		}
		k := j
		for k < len(b) && b[k] == ' ' {
			k++
		}
		if k < len(b) && !startsSentence(b[k:]) {
			i++
			continue
		}
		out = append(out, sentence{start, j, words})
		start = -1
		i = j
	}
	if start >= 0 {
		out = append(out, sentence{start, len(b), words})
	}
	return out
}

func startsSentence(b []byte) bool {
	if len(b) == 0 {
		return true
	}
	r, _ := utf8.DecodeRune(b)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune("\"'‘“(", r)
}

// checkTableHeader warns when a table's header row is empty: a GFM table
// always has one, but "| | |" makes it blank, so cells have no headers.
func (st *state) checkTableHeader(t *east.Table, src []byte) {
	head, ok := t.FirstChild().(*east.TableHeader)
	if !ok {
		return
	}
	for c := head.FirstChild(); c != nil; c = c.NextSibling() {
		if strings.TrimSpace(st.plainText(c, src)) != "" {
			return
		}
	}
	pos := 0
	if c := head.FirstChild(); c != nil {
		pos = max(c.Pos(), 0)
	}
	for pos > 0 && src[pos-1] != '\n' {
		pos--
	}
	st.warnAt(pos, "table has no header row: put a name for each column in the first row, so screen readers can say what each cell is")
}
