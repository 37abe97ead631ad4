package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/net/html"

	"hjp/internal/diag"
)

// KindSafeHTML is the AST kind of raw HTML that has been through the
// sanitiser.
var KindSafeHTML = ast.NewNodeKind("SafeHTML")

// SafeHTML is raw HTML from the page, cleaned: written out as it is.
type SafeHTML struct {
	ast.BaseInline
	HTML  []byte
	Block bool
}

// Kind implements ast.Node.
func (n *SafeHTML) Kind() ast.NodeKind { return KindSafeHTML }

// Type implements ast.Node: a block when it replaced an HTML block.
func (n *SafeHTML) Type() ast.NodeType {
	if n.Block {
		return ast.TypeBlock
	}
	return ast.TypeInline
}

// Dump implements ast.Node.
func (n *SafeHTML) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// rawHTML handles HTML written in Markdown. Without raw_html: true it is
// dropped with a warning (comments silently). With it, it is kept but
// cleaned: scripts, styles, frames, event handlers, style attributes and
// script or data URLs are removed, so a strict Content-Security-Policy
// holds on every page and nothing in the content can run code.
type rawHTML struct{}

func (rawHTML) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st := getState(pc)
	src := reader.Source()
	// Raw HTML always starts with "<": most pages have none, and need no
	// walk to find it.
	if bytes.IndexByte(src, '<') < 0 {
		return
	}
	var nodes []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && (n.Kind() == ast.KindRawHTML || n.Kind() == ast.KindHTMLBlock) {
			nodes = append(nodes, n)
		}
		return ast.WalkContinue, nil
	})
	for _, n := range nodes {
		raw, block := rawText(n, src)
		var out []byte
		if st.in.RawHTML {
			out = st.sanitize(raw, n.Pos())
		} else if !isComment(raw) {
			st.warnAt(n.Pos(), "raw HTML is not shown: add raw_html: true to the front matter to allow it (scripts and styles are removed even then)")
		}
		safe := &SafeHTML{HTML: out, Block: block}
		safe.SetPos(n.Pos())
		n.Parent().ReplaceChild(n.Parent(), n, safe)
	}
}

func rawText(n ast.Node, src []byte) ([]byte, bool) {
	var b bytes.Buffer
	switch n := n.(type) {
	case *ast.RawHTML:
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			b.Write(seg.Value(src))
		}
		return b.Bytes(), false
	case *ast.HTMLBlock:
		for i := 0; i < n.Lines().Len(); i++ {
			seg := n.Lines().At(i)
			b.Write(seg.Value(src))
		}
		if n.HasClosure() {
			closure := n.ClosureLine
			b.Write(closure.Value(src))
		}
		return b.Bytes(), true
	}
	return nil, false
}

func isComment(b []byte) bool {
	t := bytes.TrimSpace(b)
	return bytes.HasPrefix(t, []byte("<!--")) && bytes.HasSuffix(t, []byte("-->"))
}

// dropped elements are removed with everything inside them.
var droppedElements = map[string]bool{
	"script": true, "style": true, "iframe": true, "frame": true, "frameset": true,
	"object": true, "embed": true, "applet": true, "base": true, "link": true,
	"meta": true, "noscript": true, "template": true, "svg": true, "math": true,
}

var urlAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "poster": true,
	"cite": true, "data": true, "background": true, "xlink:href": true, "srcset": true,
}

// sanitize cleans one piece of raw HTML, reporting what it removed.
func (st *state) sanitize(raw []byte, pos int) []byte {
	var out bytes.Buffer
	z := html.NewTokenizerFragment(bytes.NewReader(raw), "div")
	skip := ""
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			if skip != "" {
				continue
			}
			if droppedElements[tok.Data] {
				st.warnAt(pos, "raw HTML <%s> was removed: pages cannot embed scripts, styles or frames", tok.Data)
				if tt == html.StartTagToken {
					skip = tok.Data
				}
				continue
			}
			tok.Attr = st.cleanAttrs(tok, pos)
			out.WriteString(tok.String())
		case html.EndTagToken:
			if skip != "" {
				if tok.Data == skip {
					skip = ""
				}
				continue
			}
			if !droppedElements[tok.Data] {
				out.WriteString(tok.String())
			}
		case html.TextToken:
			if skip == "" {
				out.WriteString(html.EscapeString(tok.Data))
			}
		case html.CommentToken:
			// Editors' notes: never published.
		}
	}
	return out.Bytes()
}

func (st *state) cleanAttrs(tok html.Token, pos int) []html.Attribute {
	kept := tok.Attr[:0]
	for _, a := range tok.Attr {
		k := strings.ToLower(a.Key)
		switch {
		case strings.HasPrefix(k, "on"):
			st.warnAt(pos, "raw HTML attribute %s on <%s> was removed: pages cannot run scripts", a.Key, tok.Data)
			continue
		case k == "style":
			st.warnAt(pos, "raw HTML style attribute on <%s> was removed: style pages through the theme's stylesheet", tok.Data)
			continue
		case k == "srcdoc":
			continue
		case urlAttrs[k]:
			switch scheme(strings.Map(dropSpace, a.Val)) {
			case "javascript", "vbscript":
				st.errorAt(pos, "%s: URL in raw HTML is refused: it would run code in the reader's browser", scheme(strings.Map(dropSpace, a.Val)))
				continue
			case "data":
				st.warnAt(pos, "raw HTML data: URL on <%s> was removed: put the file in content/ and link to it", tok.Data)
				continue
			}
		}
		kept = append(kept, a)
	}
	return kept
}

func dropSpace(r rune) rune {
	if r <= ' ' {
		return -1
	}
	return r
}

// safeHTMLRenderer writes sanitised raw HTML as it is.
type safeHTMLRenderer struct{}

func (r *safeHTMLRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindSafeHTML, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			s := n.(*SafeHTML)
			_, _ = w.Write(s.HTML)
			if s.Block && len(s.HTML) > 0 && s.HTML[len(s.HTML)-1] != '\n' {
				_ = w.WriteByte('\n')
			}
		}
		return ast.WalkContinue, nil
	})
}

func (s *state) warnAt(pos int, format string, args ...any) {
	s.diags.Add(s.in.File.AtOffset(diag.Warning, s.in.Offset+max(pos, 0), format, args...))
}
