package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// linkResolver rewrites every link and image destination that points into
// the site to the target's URL, through the Resolver, and records it for
// anchor checks and backlinks. External URLs are left alone.
type linkResolver struct{}

func (linkResolver) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st := getState(pc)
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			n.Destination = st.resolve(n.Destination, n.Pos(), false)
		case *ast.Image:
			n.Destination = st.resolve(n.Destination, n.Pos(), true)
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL {
				st.checkScheme(string(n.URL(reader.Source())), n.Pos(), false)
			}
		}
		return ast.WalkContinue, nil
	})
}

// resolve returns the destination to write for one link or image.
func (st *state) resolve(dest []byte, pos int, image bool) []byte {
	d := strings.TrimSpace(string(dest))
	if scheme(d) != "" || strings.HasPrefix(d, "//") {
		if !st.checkScheme(d, pos, image) {
			return nil
		}
		return dest
	}
	if d == "" {
		st.errorAt(pos, "link has no destination: write [text](path/to/page.md)")
		return dest
	}
	t, err := st.in.Resolver.ResolveLink(d, image)
	if err != nil {
		st.errorAt(pos, "%s", err.Error())
		return dest
	}
	if t.Page != "" || t.CheckURL != "" {
		line, col := st.position(pos)
		st.doc.Links = append(st.doc.Links, Link{Target: t, Line: line, Col: col})
	}
	return []byte(t.URL)
}

// checkScheme refuses script URLs always, and data: URLs unless the page
// opted in to raw HTML. It reports whether the URL may be written.
func (st *state) checkScheme(dest string, pos int, image bool) bool {
	what := "link"
	if image {
		what = "image"
	}
	switch scheme(dest) {
	case "javascript", "vbscript":
		st.errorAt(pos, "%s to a %s: URL is not allowed: it would run code in the reader's browser", what, scheme(dest))
		return false
	case "data":
		if !st.in.RawHTML {
			st.errorAt(pos, "%s to a data: URL is not allowed: put the file in content/ and link to it", what)
			return false
		}
	case "file":
		st.errorAt(pos, "%s to a file: URL only works on your computer: put the file in content/ and link to it", what)
		return false
	}
	return true
}

// scheme returns the lower-case URL scheme of s, or "" when s has none.
func scheme(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9', c == '+', c == '-', c == '.':
			if i == 0 {
				return ""
			}
		case c == ':':
			if i == 0 {
				return ""
			}
			return strings.ToLower(s[:i])
		default:
			return ""
		}
	}
	return ""
}
