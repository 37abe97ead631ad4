package markdown

import (
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
	cur, titleWords := Section{}, 0
	var b spacedText
	flush := func() {
		cur.Text = b.String()
		if cur.Text != "" || cur.ID != "" {
			st.doc.Sections = append(st.doc.Sections, cur)
			st.doc.Words += titleWords + b.words
		}
		b.reset()
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock {
				b.space()
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			flush()
			v, _ := n.AttributeString("id")
			title, words := st.headingText(n, src)
			cur, titleWords = Section{ID: attrString(v), Title: title}, words
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			b.write(n.Segment.Value(src))
			if n.SoftLineBreak() || n.HardLineBreak() {
				b.space()
			}
		case *ast.String:
			b.write(n.Value)
		case *Citation:
			b.writeString(n.PlainText())
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *east.TableCell:
			b.space()
		}
		return ast.WalkContinue, nil
	})
	flush()
}
