package markdown

import (
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"hjp/internal/diag"
)

// KindCitation is the AST kind of an in-text citation.
var KindCitation = ast.NewNodeKind("Citation")

// Citation is an in-text citation: "[@a, p. 3; @b]" (parenthetical) or
// "@a" (narrative, in running text).
type Citation struct {
	ast.BaseInline
	Items     []CiteItem
	Narrative bool
}

// CiteItem is one cited work.
type CiteItem struct {
	Key     string
	Prefix  string
	Locator string
	Cite
	// Found is false for an unknown key.
	Found bool
}

// Kind implements ast.Node.
func (n *Citation) Kind() ast.NodeKind { return KindCitation }

// Dump implements ast.Node.
func (n *Citation) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Text": n.PlainText()}, nil)
}

// PlainText is the citation as a reader sees it: "(Genn, 2019, p. 12)".
func (n *Citation) PlainText() string {
	var b strings.Builder
	n.write(func(s string, _ *CiteItem) { b.WriteString(s) })
	return b.String()
}

// write produces the citation's text in pieces; item is set for the part
// that links to the reference.
func (n *Citation) write(out func(s string, item *CiteItem)) {
	if n.Narrative {
		it := &n.Items[0]
		loc := ""
		if it.Locator != "" {
			loc = ", " + it.Locator
		}
		out(it.Names+" ("+it.Year+loc+")", it)
		return
	}
	out("(", nil)
	for i := range n.Items {
		it := &n.Items[i]
		if i > 0 {
			out("; ", nil)
		}
		if it.Prefix != "" {
			out(it.Prefix+" ", nil)
		}
		out(it.Names+", "+it.Year, it)
		if it.Locator != "" {
			out(", "+it.Locator, nil)
		}
	}
	out(")", nil)
}

// citeKeyLen returns the length of a citation key at the start of b: a
// lower-case letter or digit, then letters, digits, _ or -, not ending in
// punctuation.
func citeKeyLen(b []byte) int {
	n := 0
	for n < len(b) {
		c := b[n]
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || n > 0 && (c == '_' || c == '-') {
			n++
			continue
		}
		break
	}
	for n > 0 && (b[n-1] == '-' || b[n-1] == '_') {
		n--
	}
	return n
}

// bracketCiteParser parses "[@key]", "[@key, p. 12]" and "[see @a; @b]".
// Anything else that starts with "[" is left to the link parser.
type bracketCiteParser struct{}

func (bracketCiteParser) Trigger() []byte { return []byte{'['} }

func (bracketCiteParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	end := -1
	for i := 1; i < len(line); i++ {
		if line[i] == ']' {
			end = i
			break
		}
		if line[i] == '[' {
			return nil
		}
	}
	if end < 0 || end+1 < len(line) && (line[end+1] == '(' || line[end+1] == '[') {
		return nil
	}
	inner := line[1:end]
	if !hasCiteMarker(inner) {
		return nil
	}
	var items []CiteItem
	for part := range strings.SplitSeq(string(inner), ";") {
		at := strings.Index(part, "@")
		if at < 0 || at > 0 && !unicode.IsSpace(rune(part[at-1])) {
			return nil
		}
		k := citeKeyLen([]byte(part[at+1:]))
		if k == 0 {
			return nil
		}
		rest := strings.TrimSpace(part[at+1+k:])
		if rest != "" && !strings.HasPrefix(rest, ",") {
			return nil
		}
		items = append(items, CiteItem{
			Key:     part[at+1 : at+1+k],
			Prefix:  strings.TrimSpace(part[:at]),
			Locator: strings.TrimSpace(strings.TrimPrefix(rest, ",")),
		})
	}
	n := &Citation{Items: items}
	getState(pc).resolveCitation(n, seg.Start)
	block.Advance(end + 1)
	return n
}

// hasCiteMarker reports whether a bracket's text holds "@key" at a word
// start, so "[email me@x.org](…)" stays a link.
func hasCiteMarker(b []byte) bool {
	for i, c := range b {
		if c == '@' && (i == 0 || b[i-1] == ' ' || b[i-1] == ';') && citeKeyLen(b[i+1:]) > 0 {
			return true
		}
	}
	return false
}

// narrativeCiteParser parses "@key" in running text: "@genn2019 argues".
type narrativeCiteParser struct{}

func (narrativeCiteParser) Trigger() []byte { return []byte{'@'} }

func (narrativeCiteParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	prev := block.PrecendingCharacter()
	if unicode.IsLetter(prev) || unicode.IsDigit(prev) || strings.ContainsRune("._-+@/\\`", prev) {
		return nil
	}
	line, seg := block.PeekLine()
	k := citeKeyLen(line[1:])
	if k == 0 {
		return nil
	}
	// "@key" followed by "@…" or "." + letter is an address, not a citation.
	if after := line[1+k:]; len(after) > 1 && (after[0] == '.' && unicode.IsLetter(rune(after[1])) || after[0] == '@') {
		return nil
	}
	n := &Citation{Items: []CiteItem{{Key: string(line[1 : 1+k])}}, Narrative: true}
	getState(pc).resolveCitation(n, seg.Start)
	block.Advance(1 + k)
	return n
}

func (st *state) resolveCitation(n *Citation, pos int) {
	for i := range n.Items {
		it := &n.Items[i]
		c, ok := st.in.Resolver.Cite(it.Key)
		if !ok {
			st.errorAt(pos, "unknown citation key %q%s: add it to content/references.yaml", it.Key, diag.DidYouMean(it.Key, st.in.Resolver.CiteKeys()))
			it.Cite = Cite{Names: it.Key, Year: "n.d."}
			continue
		}
		it.Cite, it.Found = c, true
		if !st.cited[it.Key] {
			st.cited[it.Key] = true
			st.doc.Citations = append(st.doc.Citations, it.Key)
		}
	}
}

// citationRenderer writes a citation as text whose author–year part links
// to the entry in the page's reference list.
type citationRenderer struct{}

func (r *citationRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindCitation, r.render)
}

func (r *citationRenderer) render(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*Citation)
	_, _ = w.WriteString(`<span class="citation">`)
	n.write(func(s string, it *CiteItem) {
		if it != nil && it.Found {
			_, _ = w.WriteString(`<a href="`)
			_, _ = w.Write(util.EscapeHTML([]byte(it.Href)))
			_, _ = w.WriteString(`">`)
			_, _ = w.Write(util.EscapeHTML([]byte(s)))
			_, _ = w.WriteString(`</a>`)
			return
		}
		_, _ = w.Write(util.EscapeHTML([]byte(s)))
	})
	_, _ = w.WriteString(`</span>`)
	return ast.WalkSkipChildren, nil
}
