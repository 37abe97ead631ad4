package markdown

import (
	"regexp"
	"strconv"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"hjp/internal/slug"
)

var customID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

// headingIDs gives every heading a readable, unique ID: the slug of its
// text, or the ID written as {#id}. Custom IDs are reserved first so an
// automatic ID never takes one that is written later in the page.
type headingIDs struct{}

func (headingIDs) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st := getState(pc)
	src := reader.Source()
	headings := findHeadings(doc)
	used := map[string]bool{}
	custom := make([]string, len(headings))
	for i, h := range headings {
		v, ok := h.AttributeString("id")
		if !ok {
			continue
		}
		id := attrString(v)
		switch {
		case !customID.MatchString(id):
			st.errorAt(h.Pos(), "heading ID {#%s} must be letters, digits, - or _", id)
		case used[id]:
			st.errorAt(h.Pos(), "heading ID {#%s} is used twice on this page", id)
		default:
			used[id] = true
			custom[i] = id
		}
	}
	st.headings = make(map[*ast.Heading]int, len(headings))
	st.headingWords = make([]int, 0, len(headings))
	if len(headings) > 0 {
		st.doc.Headings = make([]Heading, 0, len(headings))
	}
	t := &st.text
	for i, h := range headings {
		t.reset()
		writePlainText(t, h, src)
		title := t.String()
		id := custom[i]
		if id == "" {
			id = uniqueID(slug.Make(title), used)
		}
		h.RemoveAttributes()
		h.SetAttributeString("id", []byte(id))
		line, col := st.position(h.Pos())
		st.headings[h] = len(st.doc.Headings)
		st.headingWords = append(st.headingWords, t.words)
		st.doc.Headings = append(st.doc.Headings, Heading{Level: h.Level, ID: id, Text: title, Line: line, Col: col})
	}
}

// findHeadings returns the headings under n in document order. A heading
// is a block that only other blocks hold, so the walk does not go into
// paragraphs, text blocks or tables, where most of a page's nodes are.
func findHeadings(n ast.Node) []*ast.Heading {
	headings := make([]*ast.Heading, 0, 16)
	_ = ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			headings = append(headings, n)
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph, *ast.TextBlock, *east.Table:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return headings
}

func attrString(v any) string {
	switch v := v.(type) {
	case []byte:
		return string(v)
	case string:
		return v
	}
	return ""
}

func uniqueID(base string, used map[string]bool) string {
	if base == "" {
		base = "section"
	}
	id := base
	for n := 1; used[id]; n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	used[id] = true
	return id
}

// plainText returns the text a reader sees in a node: text, code spans and
// citations, without markup, white space collapsed.
func plainText(n ast.Node, src []byte) string {
	var t spacedText
	writePlainText(&t, n, src)
	return t.String()
}

// plainText is plainText in st's scratch buffer, which every heading,
// link and image of the page reuses.
func (st *state) plainText(n ast.Node, src []byte) string {
	st.text.reset()
	writePlainText(&st.text, n, src)
	return st.text.String()
}

func writePlainText(t *spacedText, n ast.Node, src []byte) {
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			t.write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				t.space()
			}
		case *ast.String:
			t.write(c.Value)
		case *ast.CodeSpan:
			for x := c.FirstChild(); x != nil; x = x.NextSibling() {
				if tt, ok := x.(*ast.Text); ok {
					t.write(tt.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *Citation:
			t.writeString(c.PlainText())
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

// headingText returns the plain text of a heading and its word count,
// worked out once per heading (by headingIDs) and reused.
func (st *state) headingText(h *ast.Heading, src []byte) (string, int) {
	if i, ok := st.headings[h]; ok {
		return st.doc.Headings[i].Text, st.headingWords[i]
	}
	st.text.reset()
	writePlainText(&st.text, h, src)
	return st.text.String(), st.text.words
}

// headingRenderer writes a heading with its ID, followed by a self-link
// that the theme shows on hover and focus. The link sits outside the
// heading so the heading's accessible name stays its text.
type headingRenderer struct{}

func (r *headingRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, r.render)
}

func (r *headingRenderer) render(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	h := node.(*ast.Heading)
	v, _ := h.AttributeString("id")
	id := util.EscapeHTML([]byte(attrString(v)))
	level := "0123456"[h.Level]
	// A joined page (print) has the heading alone, without a self-link.
	_, plain := h.AttributeString(plainHeadingAttr)
	if entering {
		if !plain {
			_, _ = w.WriteString(`<div class="heading">`)
		}
		_, _ = w.WriteString("<h")
		_ = w.WriteByte(level)
		_, _ = w.WriteString(` id="`)
		_, _ = w.Write(id)
		_, _ = w.WriteString(`">`)
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("</h")
	_ = w.WriteByte(level)
	if plain {
		_, _ = w.WriteString(">\n")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`><a class="heading-link" href="#`)
	_, _ = w.Write(id)
	_, _ = w.WriteString(`" aria-label="Link to this section: `)
	_, _ = w.Write(util.EscapeHTML([]byte(plainText(h, src))))
	_, _ = w.WriteString("\">#</a></div>\n")
	return ast.WalkContinue, nil
}

// plainHeadingAttr marks a heading to be written without its self-link.
// The renderer removes nothing else, so it never reaches the output.
const plainHeadingAttr = "data-hjp-plain"

// headingShift runs after everything that reads headings: it demotes
// headings by Input.HeadingShift levels (at most to H6) and prefixes their
// IDs with Input.IDPrefix, for pages joined into one document, and marks
// them to be written without self-links when Input.PlainHeadings is set.
type headingShift struct{}

func (headingShift) Transform(doc *ast.Document, _ text.Reader, pc parser.Context) {
	st := getState(pc)
	if st.in.HeadingShift == 0 && st.in.IDPrefix == "" && !st.in.PlainHeadings {
		return
	}
	for _, h := range findHeadings(doc) {
		h.Level = min(h.Level+st.in.HeadingShift, 6)
		if st.in.PlainHeadings {
			h.SetAttributeString(plainHeadingAttr, true)
		}
		if v, ok := h.AttributeString("id"); ok {
			h.SetAttributeString("id", []byte(st.in.IDPrefix+attrString(v)))
		}
	}
}
