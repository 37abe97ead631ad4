package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// collector runs last: it splits the page's plain text into sections by
// heading, for search, and counts words.
type collector struct{}

func (collector) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st := getState(pc)
	src := reader.Source()
	cur := Section{}
	var b strings.Builder
	flush := func() {
		cur.Text = strings.Join(strings.Fields(b.String()), " ")
		if cur.Text != "" || cur.ID != "" {
			st.doc.Sections = append(st.doc.Sections, cur)
			st.doc.Words += len(strings.Fields(cur.Title)) + len(strings.Fields(cur.Text))
		}
		b.Reset()
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock {
				b.WriteByte(' ')
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			flush()
			v, _ := n.AttributeString("id")
			cur = Section{ID: attrString(v), Title: plainText(n, src)}
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			b.Write(n.Segment.Value(src))
			if n.SoftLineBreak() || n.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(n.Value)
		case *Citation:
			b.WriteString(n.PlainText())
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *east.TableCell:
			b.WriteByte(' ')
		}
		return ast.WalkContinue, nil
	})
	flush()
}
