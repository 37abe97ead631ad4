package fasttmpl

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"sync"
	"testing"
	"text/template/parse"
)

// testChain is a supported chain with a reference template: a realistic
// context, different from the probe's, that html/template escapes with the
// same chain. The reference's output between pre and suf is what the chain
// must write.
type testChain struct {
	name     string
	names    []string
	pre, suf string
}

var testChains = []testChain{
	{"html", []string{"_html_template_htmlescaper"},
		`<div><p class="lead">`, `</p></div>`},
	{"attr", []string{"_html_template_attrescaper"},
		`<img alt="x" title="`, `" class="y">`},
	{"rcdata", []string{"_html_template_rcdataescaper"},
		`<head><title>`, `</title></head>`},
	{"urlstart", []string{"_html_template_urlfilter", "_html_template_urlnormalizer", "_html_template_attrescaper"},
		`<p><a class="c" href="`, `">x</a></p>`},
	{"urlpart", []string{"_html_template_urlescaper", "_html_template_attrescaper"},
		`<a href="/search/?q=`, `">x</a>`},
	{"urlpath", []string{"_html_template_urlnormalizer", "_html_template_attrescaper"},
		`<link rel="tag" href="/tags/`, `">`},
	{"jsval", []string{"_html_template_jsvalescaper"},
		`<head><script type="application/ld+json">`, `</script></head>`},
	{"urlrefresh", []string{"_html_template_urlfilter", "_html_template_attrescaper"},
		`<head><meta http-equiv="refresh" content="5; url=`, `"></head>`},
}

// reference executes html/template itself: the chain's reference template
// with v as the data, so {{.}} passes v (nil as nil) to the first escaper.
type reference struct {
	c    testChain
	tmpl *template.Template
}

func (r reference) escape(v any) (string, error) {
	var buf bytes.Buffer
	if err := r.tmpl.Execute(&buf, v); err != nil {
		return "", err
	}
	out := buf.String()
	if !strings.HasPrefix(out, r.c.pre) || !strings.HasSuffix(out, r.c.suf) {
		return "", fmt.Errorf("reference output %q lost its frame", out)
	}
	return out[len(r.c.pre) : len(out)-len(r.c.suf)], nil
}

var references = sync.OnceValues(func() ([]reference, error) {
	var refs []reference
	for _, c := range testChains {
		t, err := template.New(c.name).Parse(c.pre + "{{.}}" + c.suf)
		if err != nil {
			return nil, err
		}
		if err := t.Execute(new(bytes.Buffer), nil); err != nil {
			return nil, err
		}
		// The reference must really be escaped with the chain under test.
		var action *parse.ActionNode
		for _, n := range t.Tree.Root.Nodes {
			if a, ok := n.(*parse.ActionNode); ok {
				action = a
			}
		}
		cmds := action.Pipe.Cmds
		if got := cmdNames(cmds[1:]); got != strings.Join(c.names, " | ") {
			return nil, fmt.Errorf("%s: reference escaped as %q", c.name, got)
		}
		refs = append(refs, reference{c, t})
	}
	return refs, nil
})

func cmdNames(cmds []*parse.CommandNode) string {
	var names []string
	for _, c := range cmds {
		names = append(names, c.String())
	}
	return strings.Join(names, " | ")
}

func mustReferences(tb testing.TB) []reference {
	tb.Helper()
	refs, err := references()
	if err != nil {
		tb.Fatal(err)
	}
	return refs
}

func mustChain(tb testing.TB, names []string) func([]byte, any) ([]byte, error) {
	tb.Helper()
	esc, ok := escaperChain(names)
	if !ok {
		tb.Fatalf("escaperChain(%q) not supported", names)
	}
	return esc
}

type stringer struct{ s string }

func (s stringer) String() string { return s.s }

type ptrStringer struct{ s string }

func (s *ptrStringer) String() string { return "ptr:" + s.s }

type named string

type point struct {
	X, Y int
	Tag  string
}

type panicker struct{}

func (panicker) String() string { panic("boom <script>") }

// trickyValues covers the fast path's types with hostile content and the
// slow path's types.
func trickyValues() []any {
	strs := []string{
		"", "plain", "<script>alert(1)</script>", `"quoted" 'single'`,
		"&amp; and bare & and &#39;", "a+b", "nul\x00byte", "bad\xffutf8\xc3",
		"\xe2\x80\xa8 line\u2029para", "\ufdd0\uffff", "javascript:alert(1)",
		" JaVaScRiPt:alert(1)", "mailto:a@b.c", "HTTP://x", "https://x/y?z",
		"/a/b?c=d&e#f", "%zz", "%41", "%4", "a%41", "x%", "has space\ttab\nnl",
		"é 中 😀", "/x:y", "data:text/html,<b>", "#frag", "?q=a b&c=d",
		"!$*,;=@[]()'~_.-", "`backtick` =equals", "\x01\x1f\x7f",
		"/findings/f01/", "café/naïve?x=é",
	}
	var vs []any
	for _, s := range strs {
		vs = append(vs, s, template.HTML(s), template.URL(s), template.JS(s),
			template.JSStr(s), template.CSS(s), template.HTMLAttr(s), template.Srcset(s), named(s))
	}
	str := "<ptr & str>"
	var nilStr *string
	var nilStringer *ptrStringer
	html := template.HTML("<b>x</b> &amp; <i title='a>b'>y</i>")
	vs = append(vs,
		template.HTML("<b>x</b>"), template.URL("javascript:x"),
		template.HTMLAttr(` dir="ltr"`), template.JS(`{"a":"</script>"}`),
		0, -5, int64(-1<<63), int8(-8), int16(16), int32(-32), uint(7),
		uint8(255), uint16(65535), uint32(1<<32-1), uint64(1<<64-1),
		true, false, 3.25, float32(1e-7), 1e21, complex(1, -2),
		nil, &str, nilStr, &html, stringer{"<s&r>"}, &ptrStringer{"p<"},
		nilStringer, errors.New("err <b> & 'q'"), point{1, -2, "<t>"},
		&point{3, 4, "p"}, []string{"a<", "b&"}, map[string]int{"z": 1, "a<": 2},
		[]byte("bytes<"), struct{}{}, []any{nil, 1, "x"},
	)
	return vs
}

func TestEscaperChainMatchesHTMLTemplate(t *testing.T) {
	for _, ref := range mustReferences(t) {
		esc := mustChain(t, ref.c.names)
		for _, v := range trickyValues() {
			want, wantErr := ref.escape(v)
			got, err := esc([]byte("keep:"), v)
			if wantErr != nil {
				// html/template fails too (a nil receiver's String method).
				if err == nil || string(got) != "keep:" {
					t.Errorf("%s(%T %#v) = %q, %v; want html/template's error %v", ref.c.name, v, v, got, err, wantErr)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s(%T %#v): %v", ref.c.name, v, v, err)
				continue
			}
			if string(got) != "keep:"+want {
				t.Errorf("%s(%T %#v)\n got %q\nwant %q", ref.c.name, v, v, got, "keep:"+want)
			}
		}
	}
}

// TestEscaperChainExpected pins hand-checked outputs, so the comparison
// with html/template cannot pass vacuously.
func TestEscaperChainExpected(t *testing.T) {
	tests := []struct {
		chain string
		v     any
		want  string
	}{
		{"html", "<script>", "&lt;script&gt;"},
		{"html", `a'b"c&d+e`, "a&#39;b&#34;c&amp;d&#43;e"},
		{"html", "nul\x00", "nul\uFFFD"},
		{"html", template.HTML("<b>x</b>"), "<b>x</b>"},
		{"html", nil, ""},
		{"html", -5, "-5"},
		{"html", 2.5, "2.5"},
		{"html", stringer{"<"}, "&lt;"},
		{"attr", template.HTML("<b>x</b> &amp;"), "x &amp;"},
		{"attr", "it's", "it&#39;s"},
		{"rcdata", template.HTML("a &amp; <b>"), "a &amp; &lt;b&gt;"},
		{"rcdata", "a &amp;", "a &amp;amp;"},
		{"urlstart", "javascript:alert(1)", "#ZgotmplZ"},
		{"urlstart", " JaVaScRiPt:x", "#ZgotmplZ"},
		{"urlstart", template.URL("javascript:x"), "javascript:x"},
		{"urlstart", "/a/b?c=d&e#f", "/a/b?c=d&amp;e#f"},
		{"urlstart", "a b+é", "a%20b&#43;%c3%a9"},
		{"urlstart", "%41%zz", "%41%25zz"},
		{"urlstart", "HTTP://x", "HTTP://x"},
		{"urlpart", "a b&c/d", "a%20b%26c%2fd"},
		{"urlpart", template.URL("a b&c/d"), "a%20b&amp;c/d"},
		{"urlpath", "a+b c", "a&#43;b%20c"},
		{"jsval", template.JS(`{"a":1}`), `{"a":1}`},
		{"jsval", "<x>", `"\u003cx\u003e"`},
		{"jsval", nil, " null "},
		{"jsval", 5, " 5 "},
	}
	chains := map[string][]string{}
	for _, c := range testChains {
		chains[c.name] = c.names
	}
	for _, tt := range tests {
		got, err := mustChain(t, chains[tt.chain])(nil, tt.v)
		if err != nil || string(got) != tt.want {
			t.Errorf("%s(%#v) = %q, %v; want %q", tt.chain, tt.v, got, err, tt.want)
		}
	}
}

func TestEscaperChainUnsupported(t *testing.T) {
	for _, names := range [][]string{
		nil,
		{},
		{"_html_template_nospaceescaper"},
		{"_html_template_cssescaper"},
		{"_html_template_jsstrescaper"},
		{"_html_template_attrescaper", "_html_template_urlfilter"},
		{"_html_template_urlfilter", "_html_template_urlnormalizer"},
		{"html"},
		{"_html_template_htmlescaper", "_html_template_htmlescaper"},
	} {
		if esc, ok := escaperChain(names); ok || esc != nil {
			t.Errorf("escaperChain(%q) = ok; want declined", names)
		}
	}
}

// TestEscaperChainPaths pins which values take the fast path, so that a
// change sending them to html/template (or a slow-path type to a port that
// does not cover it) is caught.
func TestEscaperChainPaths(t *testing.T) {
	s := "x"
	tests := []struct {
		chain string
		v     any
		fast  bool
	}{
		{"html", "a<b", true},
		{"html", template.HTML("<b>"), true},
		{"html", 42, true},
		{"html", nil, true},
		{"html", true, true},
		{"html", &s, false},
		{"html", 1.5, false},
		{"html", named("x"), true}, // no methods: fmt prints its string
		{"html", stringer{"x"}, false},
		{"attr", "a", true},
		{"attr", template.HTML("<b>"), false},
		{"rcdata", template.HTML("<b>"), true},
		{"urlstart", template.URL("javascript:x"), true},
		{"urlpart", template.URL("a b"), true},
		{"urlpath", 7, true},
		{"jsval", template.JS("{}"), true},
		{"jsval", template.JSStr("x"), true},
		{"jsval", "x", false},
		{"jsval", 1, false},
		{"jsval", nil, false},
	}
	for _, tt := range tests {
		var names []string
		for _, c := range testChains {
			if c.name == tt.chain {
				names = c.names
			}
		}
		_, fast := escSpecs[strings.Join(names, " | ")].appendFast(nil, tt.v)
		if fast != tt.fast {
			t.Errorf("%s(%T): fast path = %v, want %v", tt.chain, tt.v, fast, tt.fast)
		}
	}
}

func TestEscaperChainFastPathDoesNotAllocate(t *testing.T) {
	values := []any{"nothing to escape", "a < b & c's", template.URL("/a b?c&d"), 12345, nil}
	for _, c := range testChains[:6] {
		esc := mustChain(t, c.names)
		buf := make([]byte, 0, 1024)
		for _, v := range values {
			if allocs := testing.AllocsPerRun(100, func() {
				buf, _ = esc(buf[:0], v)
			}); allocs != 0 {
				t.Errorf("%s(%#v): %v allocs per run, want 0", c.name, v, allocs)
			}
		}
	}
	esc := mustChain(t, testChains[6].names)
	buf := make([]byte, 0, 1024)
	var js any = template.JS(`{"@type":"Article"}`)
	if allocs := testing.AllocsPerRun(100, func() { buf, _ = esc(buf[:0], js) }); allocs != 0 {
		t.Errorf("jsval(template.JS): %v allocs per run, want 0", allocs)
	}
}

func TestEscaperChainSlowPathError(t *testing.T) {
	// jsValEscaper calls String itself (fmt.Sprint would recover the panic).
	var nilStringer *ptrStringer
	esc := mustChain(t, testChains[6].names)
	got, err := esc([]byte("keep"), nilStringer)
	if err == nil || !strings.Contains(err.Error(), "nil pointer dereference") {
		t.Fatalf("err = %v, want html/template's error carrying the panic", err)
	}
	if string(got) != "keep" {
		t.Errorf("on error b = %q, want it unchanged", got)
	}
	// In text, fmt.Sprint turns the panic into output; no error.
	got, err = mustChain(t, testChains[0].names)(nil, panicker{})
	if err != nil || !strings.Contains(string(got), "PANIC=String method: boom &lt;script&gt;") {
		t.Errorf("html(panicker) = %q, %v", got, err)
	}
}

func TestEscaperChainConcurrent(t *testing.T) {
	refs := mustReferences(t)
	values := trickyValues()
	want := make([][]string, len(refs))
	for i, ref := range refs {
		for _, v := range values {
			s, err := ref.escape(v)
			if err != nil {
				s = "error"
			}
			want[i] = append(want[i], s)
		}
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for i, ref := range refs {
				esc, _ := escaperChain(ref.c.names)
				for j := range values {
					k := (j + g*7) % len(values)
					var err error
					buf, err = esc(buf[:0], values[k])
					got := string(buf)
					if err != nil {
						got = "error"
					}
					if got != want[i][k] {
						t.Errorf("%s(%#v) = %q, want %q", ref.c.name, values[k], got, want[i][k])
					}
				}
			}
		}()
	}
	wg.Wait()
}

// fuzzValue turns the fuzzer's string into a value of the selected type.
func fuzzValue(s string, kind uint8) any {
	switch kind % 6 {
	case 1:
		return template.HTML(s)
	case 2:
		return template.URL(s)
	case 3:
		return len(s) - 3
	case 4:
		return template.JS(s)
	case 5:
		return template.JSStr(s)
	}
	return s
}

func FuzzEscaperChain(f *testing.F) {
	for i, v := range []string{
		"", "<script>", `"'&+`, "&amp;", "\x00", "\xff\xfe", "\u2028\u2029",
		"\ufdd0", "javascript:alert(1)", " JaVaScRiPt:x", "mailto:x", "HTTP://x",
		"/a/b?c=d&e#f", "%zz", "%41", "%4", "a b", "é中", "/x:y", "data:,x",
	} {
		f.Add(v, uint8(i))
	}
	refs := mustReferences(f)
	escs := make([]func([]byte, any) ([]byte, error), len(refs))
	probes := make([]*escProbe, len(refs))
	for i, ref := range refs {
		escs[i] = mustChain(f, ref.c.names)
		p, err := escSpecs[strings.Join(ref.c.names, " | ")].probe()
		if err != nil {
			f.Fatal(err)
		}
		probes[i] = p
	}
	f.Fuzz(func(t *testing.T, s string, kind uint8) {
		v := fuzzValue(s, kind)
		for i, ref := range refs {
			want, err := ref.escape(v)
			if err != nil {
				t.Fatalf("%s: reference: %v", ref.c.name, err)
			}
			got, err := escs[i](nil, v)
			if err != nil || string(got) != want {
				t.Errorf("%s(%T %q) = %q, %v; want %q", ref.c.name, v, s, got, err, want)
			}
			slow, err := probes[i].appendTo(nil, v)
			if err != nil || string(slow) != want {
				t.Errorf("%s(%T %q) slow path = %q, %v; want %q", ref.c.name, v, s, slow, err, want)
			}
		}
	})
}

// BenchmarkEscaperChain compares each chain's fast path with executing
// html/template's probe for the same value (the slow path).
func BenchmarkEscaperChain(b *testing.B) {
	title := "Health justice partnerships: what the funders' evidence says"
	values := map[string]any{
		"html":     title,
		"attr":     title,
		"rcdata":   title,
		"urlstart": "/findings/f01/",
		"urlpart":  "f01",
		"urlpath":  "findings/f01/",
		"jsval":    template.JS(`{"@context":"https://schema.org","@type":"Article","headline":"Health justice partnerships: what the funders' evidence says","url":"https://example.org/findings/f01/"}`),
	}
	for _, c := range testChains {
		v := values[c.name]
		esc := mustChain(b, c.names)
		probe, err := escSpecs[strings.Join(c.names, " | ")].probe()
		if err != nil {
			b.Fatal(err)
		}
		buf := make([]byte, 0, 4096)
		b.Run(c.name+"/fast", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				buf, _ = esc(buf[:0], v)
			}
		})
		b.Run(c.name+"/htmltemplate", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				buf, _ = probe.appendTo(buf[:0], v)
			}
		})
	}
}
