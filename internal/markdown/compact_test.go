package markdown

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"hjp/internal/diag"
)

func TestCompact(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"newlines between blocks", "<h2 id=\"a\">A</h2>\n<p>One</p>\n<ul>\n<li>x</li>\n</ul>\n",
			"<h2 id=a>A</h2><p>One</p><ul><li>x</li></ul>"},
		// A soft line break between two links is a space the reader sees.
		{"newline between inline tags", "<p><a href=\"/a/\">a</a>\n<a href=\"/b/\">b</a></p>\n",
			"<p><a href=/a/>a</a>\n<a href=/b/>b</a></p>"},
		{"newline in text", "<p>one\ntwo</p>\n<p>three</p>", "<p>one\ntwo</p><p>three</p>"},
		{"newline before a block tag after text", "<li>item\n<ul>\n<li>sub</li>\n</ul>\n</li>",
			"<li>item\n<ul><li>sub</li></ul></li>"},
		{"pre kept", "<pre><code class=\"language-go\">a\n\n  b\n</code></pre>\n<p>x</p>",
			"<pre><code class=language-go>a\n\n  b\n</code></pre><p>x</p>"},
		{"nested tags in pre", "<pre><code><span>a</span>\n<span>b</span>\n</code></pre>\n",
			"<pre><code><span>a</span>\n<span>b</span>\n</code></pre>"},
		{"newline before </pre> kept", "<pre><code>a</code>\n</pre>\n<p>x</p>", "<pre><code>a</code>\n</pre><p>x</p>"},
		{"values that need quotes", "<a href=\"/x/\" title=\"Two words\">x</a><img src=\"a.png\" alt=\"a=b\"><a href=\"?q='x'\">q</a>",
			"<a href=/x/ title=\"Two words\">x</a><img src=a.png alt=\"a=b\"><a href=\"?q='x'\">q</a>"},
		{"escaped characters", "<p title=\"&quot;a&quot;\">&lt;b&gt; &amp; &quot;c&quot;</p>",
			"<p title=&quot;a&quot;>&lt;b&gt; & \"c\"</p>"},
		{"ampersands", "<p>A &amp; B, &amp;amp; &amp;#1 &amp;x &amp;</p>\n<p>&amp;</p>", "<p>A & B, &amp;amp; &amp;#1 &amp;x &</p><p>&</p>"},
		{"quotes in text and code", "<p>&quot;a&quot;</p>\n<pre><code>&quot;&lt;b&gt;&quot;\n</code></pre>", "<p>\"a\"</p><pre><code>\"&lt;b&gt;\"\n</code></pre>"},
		{"empty values", "<li><input checked=\"\" disabled=\"\" type=\"checkbox\"> done</li>",
			"<li><input checked disabled type=checkbox> done</li>"},
		{"self-closing slash", "<p>a<br />\nb</p><hr />\n<p>c</p>", "<p>a<br>\nb</p><hr><p>c</p>"},
		{"comments", "<p>a <!-- raw HTML omitted -->b</p>\n<!-- raw HTML omitted -->\n<p>c</p>\n",
			"<p>a b</p><p>c</p>"},
		{"unterminated comment", "<p>a</p><!-- b", "<p>a</p><!-- b"},
		{"not a tag", "<p>1 < 2</p>\n<p>x</p>", "<p>1 < 2</p><p>x</p>"},
		{"not a tag at the end", "<p>x</p>\n<", "<p>x</p><"},
		{"single-quoted value copied", "<p class='a b'>x</p>\n<p>y</p>", "<p class='a b'>x</p><p>y</p>"},
		{"unterminated tag", "<p>x</p><a href=\"/x", "<p>x</p><a href=\"/x"},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			b.WriteString("kept|")
			compact(&b, []byte(tc.in))
			if got := strings.TrimPrefix(b.String(), "kept|"); got != tc.want || !strings.HasPrefix(b.String(), "kept|") {
				t.Errorf("compact(%q)\n got %q\nwant %q", tc.in, b.String(), "kept|"+tc.want)
			}
		})
	}
}

// TestCompactRender renders pages with Minify set: pages without raw HTML
// are compacted (the minifier is not called) into HTML that parses to the
// same document; a page with raw HTML goes through the minifier.
func TestCompactRender(t *testing.T) {
	body := "## Costs and savings\n\nSee [goals](../findings/f03-shared-goals.md#why)\n[the costs](#costs-and-savings) and ![Chart](chart.png \"A chart\").\n\n" +
		"- one\n- two\n  - nested\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n```go\nfunc main() {\n\n\tx := \"<b>\"\n}\n```\n\n> Quote with *emphasis*  \n> and a hard break.\n\n1. first\n2. second [@genn2019]\n\n- [x] done\n- [ ] to do\n"
	front := "---\ntitle: T\n---\n"
	src := []byte(front + body)
	in := Input{File: diag.NewFile("content/guide/01-x.md", src), Body: src[len(front):], Offset: len(front), Resolver: fakeResolver{}}
	plain, d := New().Render(in)
	if len(d) != 0 {
		t.Fatalf("diagnostics: %v", d)
	}
	r := New()
	called := 0
	r.Minify = func(dst *bytes.Buffer, src []byte) error {
		called++
		dst.Write(src)
		return nil
	}
	got, d := r.Render(in)
	if len(d) != 0 {
		t.Fatalf("diagnostics: %v", d)
	}
	if called != 0 {
		t.Errorf("Minify called %d times for a page without raw HTML", called)
	}
	if len(got.HTML) >= len(plain.HTML) {
		t.Errorf("compacted HTML is %d bytes, plain %d", len(got.HTML), len(plain.HTML))
	}
	if a, b := domOf(t, plain.HTML), domOf(t, got.HTML); a != b {
		t.Errorf("compacting changed the document:\n%s\n---\n%s", a, b)
	}

	in.RawHTML = true
	r.Minify = func(dst *bytes.Buffer, src []byte) error {
		called++
		return errors.New("bad markup")
	}
	_, d = r.Render(in)
	if called != 1 || len(d) != 1 || !strings.Contains(d[0].Message, "cannot minify the page's HTML: bad markup") {
		t.Errorf("raw HTML page: Minify called %d times, diagnostics %v", called, d)
	}
}

// domOf returns the document html parses from b, one node per line, with
// the whitespace-only text between block elements (which does not show)
// left out.
func domOf(t *testing.T, b []byte) string {
	t.Helper()
	nodes, err := html.ParseFragment(bytes.NewReader(b), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	var walk func(n *html.Node, depth int, pre bool)
	walk = func(n *html.Node, depth int, pre bool) {
		switch n.Type {
		case html.TextNode:
			if !pre && strings.TrimSpace(n.Data) == "" && (n.Parent == nil || blockElement([]byte(n.Parent.Data))) {
				return
			}
			sb.WriteString(strings.Repeat(" ", depth) + "text " + strings.Join(strings.Fields(n.Data), " "))
			if pre {
				sb.WriteString(" raw " + n.Data)
			}
		case html.ElementNode:
			sb.WriteString(strings.Repeat(" ", depth) + n.Data)
			for _, a := range n.Attr {
				sb.WriteString(" " + a.Key + "=" + a.Val)
			}
			pre = pre || n.Data == "pre"
		default:
			return
		}
		sb.WriteByte('\n')
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1, pre)
		}
	}
	for _, n := range nodes {
		walk(n, 0, false)
	}
	return sb.String()
}

// FuzzCompact renders arbitrary Markdown with and without compacting:
// both must parse to the same document (whitespace between blocks
// aside).
func FuzzCompact(f *testing.F) {
	for _, s := range []string{
		"# A\n\nOne \"two\" & three\n[a](x.md)\n[b](y.md)\n\n- x\n  - y\n\n```\n<a>\n\n  \"b\" & c\n```\n",
		"| a | b |\n|---|---|\n| *x* | `y` |\n\n> q  \nr\n\n1. [ ] t\n2. [x] u\n",
		"a &amp; b &copy; &#1; &&x <b>raw</b> <!-- c --> ![i](p.png \"t q\")\n\n***\n",
	} {
		f.Add(s)
	}
	plain := New()
	compacting := New()
	compacting.Minify = func(*bytes.Buffer, []byte) error { return errors.New("not for pages without raw HTML") }
	f.Fuzz(func(t *testing.T, body string) {
		src := "---\n---\n" + body
		in := Input{File: diag.NewFile("x.md", []byte(src)), Body: []byte(body), Offset: 8, Resolver: fakeResolver{}}
		a, _ := plain.Render(in)
		b, d := compacting.Render(in)
		for _, x := range d {
			if strings.Contains(x.Message, "minify") {
				t.Fatalf("%s", x)
			}
		}
		if da, db := domOf(t, a.HTML), domOf(t, b.HTML); da != db {
			t.Fatalf("compacting changed the document of %q:\n%s\n%s\n---\n%s", body, a.HTML, da, db)
		}
	})
}
