package fasttmpl

// The escapers below are ports of html/template's unexported escaper
// functions (Go 1.26, src/html/template/{content.go,html.go,url.go,js.go}),
// Copyright 2011 The Go Authors, used under the BSD-style licence in the Go
// distribution's LICENSE file. They are fused per chain and append into a
// caller's buffer instead of returning a string per escaper.
//
// What makes the fusion exact (checked against the Go source, and by
// escape_test.go and FuzzEscaperChain against html/template itself):
//
//   - Each escaper returns a plain string, so only the first escaper of a
//     chain sees the value's content type (template.HTML, template.URL…);
//     every later one sees contentTypePlain.
//   - htmlReplacer with badRunes=true, the only way the supported chains
//     call it, replaces runes found in its table and nothing else. Every
//     rune in the tables is ASCII, a multi-byte UTF-8 sequence (valid or
//     not) has no byte below 0x80, and an invalid byte decodes as
//     U+FFFD of width 1, so replacing byte by byte is the same.
//   - processURLOnto's output is ASCII and, when normalising, keeps '&' and
//     '+' (the only bytes of its output attrEscaper changes: to "&amp;" and
//     "&#43;"); when escaping (norm false) it percent-encodes both, so
//     attrEscaper then changes nothing.
//   - fmt.Sprint of a bool or of a value whose dynamic type is one of Go's
//     integer types is its strconv form, made of digits and '-', which no
//     HTML or URL escaper here changes.
//
// Any other value (pointers, Stringers, errors, floats, structs, named
// string types, template.HTML in an attribute, almost everything for
// jsvalescaper) goes to html/template itself: a probe template whose escaped
// tree is exactly the chain is executed with the value, and the text around
// the action is cut away.

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/template/parse"
)

// escFilterFailsafe is what html/template writes in place of an unsafe value.
const escFilterFailsafe = "ZgotmplZ"

// escType is the content type html/template's stringify gives a value, as
// far as the fast paths need to tell them apart.
type escType uint8

const (
	escPlain escType = iota // string, nil, numbers, bools
	escHTML                 // template.HTML
	escURL                  // template.URL
	escJS                   // template.JS
	escJSStr                // template.JSStr
	escOther                // template.CSS, template.HTMLAttr, template.Srcset
)

// escFast appends s, whose content type is t, through one chain. ok is false
// when the chain's fast path does not cover that content type.
type escFast func(b []byte, s string, t escType) (out []byte, ok bool)

// escSpec is one supported chain.
type escSpec struct {
	fast escFast
	// scalars is true when bools and integers pass the chain unchanged.
	scalars bool
	// probe builds (once) the html/template probe for the slow path.
	probe func() (*escProbe, error)
}

// escSpecs maps a chain, its names joined by " | ", to its escaper. It is
// built once at init and never changed.
var escSpecs = buildEscSpecs()

func buildEscSpecs() map[string]escSpec {
	specs := make(map[string]escSpec)
	add := func(src string, fast escFast, scalars bool, names ...string) {
		specs[strings.Join(names, " | ")] = escSpec{
			fast:    fast,
			scalars: scalars,
			probe: sync.OnceValues(func() (*escProbe, error) {
				return newEscProbe(src, names)
			}),
		}
	}
	add(`{{.V}}`, escHTMLText, true, "_html_template_htmlescaper")
	add(`<a title="{{.V}}">`, escAttr, true, "_html_template_attrescaper")
	add(`<title>{{.V}}</title>`, escRCDATA, true, "_html_template_rcdataescaper")
	add(`<a href="{{.V}}">`, escURLStart, true,
		"_html_template_urlfilter", "_html_template_urlnormalizer", "_html_template_attrescaper")
	add(`<a href="#{{.V}}">`, escURLPart, true,
		"_html_template_urlescaper", "_html_template_attrescaper")
	add(`<a href="/x/{{.V}}">`, escURLPath, true,
		"_html_template_urlnormalizer", "_html_template_attrescaper")
	add(`<meta http-equiv="refresh" content="0; url={{.V}}">`, escURLFilterAttr, true,
		"_html_template_urlfilter", "_html_template_attrescaper")
	add(`<script type="application/ld+json">{{.V}}</script>`, escJSVal, false,
		"_html_template_jsvalescaper")
	return specs
}

// escaperChain returns a function that appends v to b, passed through the
// named html/template escapers in order (the command names html/template
// adds at the end of an action's pipeline, e.g.
// []string{"_html_template_urlfilter", "_html_template_urlnormalizer", "_html_template_attrescaper"}),
// byte for byte as html/template's own execution would write it.
// ok is false for a chain it does not support; the caller then declines
// the template.
//
// v is the value text/template would pass to the first escaper (nil for a
// nil or missing value). The returned function is safe for concurrent use;
// its error is html/template's, for a value whose String or Error method
// panics, say.
func escaperChain(names []string) (esc func(b []byte, v any) ([]byte, error), ok bool) {
	spec, ok := escSpecs[strings.Join(names, " | ")]
	if !ok {
		return nil, false
	}
	probe, err := spec.probe()
	if err != nil {
		return nil, false
	}
	return func(b []byte, v any) ([]byte, error) {
		if out, ok := spec.appendFast(b, v); ok {
			return out, nil
		}
		return probe.appendTo(b, v)
	}, true
}

// escaperChainString returns the fast path of a supported chain for a
// value of kind string: s is its text, typ its type. ok is false where
// the caller must use the chain's escaper with the boxed value instead.
func escaperChainString(names []string) func(b []byte, s string, typ reflect.Type) ([]byte, bool) {
	spec, ok := escSpecs[strings.Join(names, " | ")]
	if !ok {
		return nil
	}
	return func(b []byte, s string, typ reflect.Type) ([]byte, bool) {
		t, ok := stringContentType(typ)
		if !ok {
			return b, false
		}
		return spec.fast(b, s, t)
	}
}

// Types of html/template's content.
var (
	stringType   = reflect.TypeFor[string]()
	htmlType     = reflect.TypeFor[template.HTML]()
	urlType      = reflect.TypeFor[template.URL]()
	jsType       = reflect.TypeFor[template.JS]()
	jsStrType    = reflect.TypeFor[template.JSStr]()
	cssType      = reflect.TypeFor[template.CSS]()
	htmlAttrType = reflect.TypeFor[template.HTMLAttr]()
	srcsetType   = reflect.TypeFor[template.Srcset]()
)

// stringContentType is the content type stringify gives a value of kind
// string and type typ. Another named string type without methods is
// plain text, as fmt.Sprint prints it as its string; one with methods
// (a Stringer, an error) is not covered.
func stringContentType(typ reflect.Type) (escType, bool) {
	switch typ {
	case stringType:
		return escPlain, true
	case htmlType:
		return escHTML, true
	case urlType:
		return escURL, true
	case jsType:
		return escJS, true
	case jsStrType:
		return escJSStr, true
	case cssType, htmlAttrType, srcsetType:
		return escOther, true
	}
	return escPlain, typ.NumMethod() == 0
}

// appendFast appends v through the chain when v's dynamic type is one the
// fast path covers (see stringContentType and appendScalar); ok is false
// otherwise (b is then unchanged).
func (spec escSpec) appendFast(b []byte, v any) (out []byte, ok bool) {
	if v == nil {
		return spec.fast(b, "", escPlain)
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
		t, ok := stringContentType(rv.Type())
		if !ok {
			return b, false
		}
		return spec.fast(b, rv.String(), t)
	}
	if !spec.scalars {
		return b, false
	}
	return appendScalar(b, v)
}

// appendScalar appends fmt.Sprint(v) for a bool or a built-in integer type.
func appendScalar(b []byte, v any) ([]byte, bool) {
	switch x := v.(type) {
	case int:
		return strconv.AppendInt(b, int64(x), 10), true
	case int8:
		return strconv.AppendInt(b, int64(x), 10), true
	case int16:
		return strconv.AppendInt(b, int64(x), 10), true
	case int32:
		return strconv.AppendInt(b, int64(x), 10), true
	case int64:
		return strconv.AppendInt(b, x, 10), true
	case uint:
		return strconv.AppendUint(b, uint64(x), 10), true
	case uint8:
		return strconv.AppendUint(b, uint64(x), 10), true
	case uint16:
		return strconv.AppendUint(b, uint64(x), 10), true
	case uint32:
		return strconv.AppendUint(b, uint64(x), 10), true
	case uint64:
		return strconv.AppendUint(b, x, 10), true
	case bool:
		return strconv.AppendBool(b, x), true
	}
	return b, false
}

// escHTMLText is htmlEscaper: template.HTML passes unchanged.
func escHTMLText(b []byte, s string, t escType) ([]byte, bool) {
	if t == escHTML {
		return append(b, s...), true
	}
	return appendHTMLEscaped(b, s, true), true
}

// escAttr is attrEscaper. template.HTML goes through stripTags, which is
// not ported: the slow path takes it.
func escAttr(b []byte, s string, t escType) ([]byte, bool) {
	if t == escHTML {
		return b, false
	}
	return appendHTMLEscaped(b, s, true), true
}

// escRCDATA is rcdataEscaper: template.HTML keeps its entities ('&').
func escRCDATA(b []byte, s string, t escType) ([]byte, bool) {
	return appendHTMLEscaped(b, s, t != escHTML), true
}

// escURLStart is urlFilter | urlNormalizer | attrEscaper.
func escURLStart(b []byte, s string, t escType) ([]byte, bool) {
	if t != escURL && !isSafeURL(s) {
		return append(b, "#"+escFilterFailsafe...), true
	}
	return appendURLAttr(b, s, true), true
}

// escURLFilterAttr is urlFilter | attrEscaper (a URL in an attribute that
// is not itself a URL: a meta refresh's content). urlFilter gives a plain
// string, so attrEscaper never sees template.HTML here.
func escURLFilterAttr(b []byte, s string, t escType) ([]byte, bool) {
	if t != escURL && !isSafeURL(s) {
		return append(b, "#"+escFilterFailsafe...), true
	}
	return appendHTMLEscaped(b, s, true), true
}

// escURLPart is urlEscaper | attrEscaper: a template.URL is normalised, not
// escaped.
func escURLPart(b []byte, s string, t escType) ([]byte, bool) {
	return appendURLAttr(b, s, t == escURL), true
}

// escURLPath is urlNormalizer | attrEscaper.
func escURLPath(b []byte, s string, _ escType) ([]byte, bool) {
	return appendURLAttr(b, s, true), true
}

// escJSVal is jsValEscaper for the two content types it passes through;
// everything else is JSON-encoded by the slow path.
func escJSVal(b []byte, s string, t escType) ([]byte, bool) {
	switch t {
	case escJS:
		return append(b, s...), true
	case escJSStr:
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"'), true
	}
	return b, false
}

// appendHTMLEscaped is htmlReplacer(s, htmlReplacementTable, true), or with
// htmlNormReplacementTable when amp is false, byte-wise (see the file
// comment for why that is the same).
func appendHTMLEscaped(b []byte, s string, amp bool) []byte {
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c > '>' {
			continue
		}
		var repl string
		switch c {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			if !amp {
				continue
			}
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		b = append(b, s[written:i]...)
		b = append(b, repl...)
		written = i + 1
	}
	return append(b, s[written:]...)
}

// isSafeURL is html/template's: true if s is relative or its scheme is
// http, https or mailto.
func isSafeURL(s string) bool {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		if !strings.EqualFold(protocol, "http") && !strings.EqualFold(protocol, "https") && !strings.EqualFold(protocol, "mailto") {
			return false
		}
	}
	return true
}

// appendURLAttr is processURLOnto(s, norm) followed by attrEscaper: when
// normalising, the '&' and '+' it keeps are written as "&amp;" and "&#43;".
func appendURLAttr(b []byte, s string, norm bool) []byte {
	const hex = "0123456789abcdef"
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '!', '#', '$', '*', ',', '/', ':', ';', '=', '?', '@', '[', ']':
			if norm {
				continue
			}
		case '&', '+':
			if norm {
				b = append(b, s[written:i]...)
				if c == '&' {
					b = append(b, "&amp;"...)
				} else {
					b = append(b, "&#43;"...)
				}
				written = i + 1
				continue
			}
		case '-', '.', '_', '~':
			continue
		case '%':
			// When normalising, valid escapes are kept (note html/template's
			// i+2 < len(s), kept as is).
			if norm && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				continue
			}
		default:
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				continue
			}
		}
		b = append(b, s[written:i]...)
		b = append(b, '%', hex[c>>4], hex[c&0xf])
		written = i + 1
	}
	return append(b, s[written:]...)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// escProbe is the slow path of one chain: an escaped html/template whose
// only action is {{.V}} followed by exactly the chain, framed by prefix and
// suffix text.
type escProbe struct {
	tmpl           *template.Template
	prefix, suffix string
}

// escProbeData carries the value; the field keeps Execute from treating a
// reflect.Value as the data itself, and text/template unwraps the field's
// interface the way it unwraps any value of type any.
type escProbeData struct{ V any }

// newEscProbe parses and escapes src and checks that its escaped tree is
// text, an action {{.V | names…}}, text.
func newEscProbe(src string, names []string) (*escProbe, error) {
	t, err := template.New("escape").Parse(src)
	if err != nil {
		return nil, err
	}
	// Executing escapes the tree (once); a nil V is valid in every chain.
	if err := t.Execute(io.Discard, escProbeData{}); err != nil {
		return nil, err
	}
	p := &escProbe{tmpl: t}
	nodes := t.Tree.Root.Nodes
	if len(nodes) > 0 && nodes[0].Type() == parse.NodeText {
		p.prefix = string(nodes[0].(*parse.TextNode).Text)
		nodes = nodes[1:]
	}
	if len(nodes) > 1 && nodes[len(nodes)-1].Type() == parse.NodeText {
		p.suffix = string(nodes[len(nodes)-1].(*parse.TextNode).Text)
		nodes = nodes[:len(nodes)-1]
	}
	if len(nodes) != 1 || nodes[0].Type() != parse.NodeAction {
		return nil, fmt.Errorf("probe %q: escaped tree is not text, action, text", src)
	}
	if !pipeIsChain(nodes[0].(*parse.ActionNode).Pipe, names) {
		return nil, fmt.Errorf("probe %q: escaped action is %s, not {{.V | %s}}",
			src, nodes[0], strings.Join(names, " | "))
	}
	return p, nil
}

// pipeIsChain reports whether pipe is exactly .V followed by the escapers.
func pipeIsChain(pipe *parse.PipeNode, names []string) bool {
	if len(pipe.Decl) != 0 || len(pipe.Cmds) != len(names)+1 {
		return false
	}
	first := pipe.Cmds[0].Args
	if len(first) != 1 || first[0].Type() != parse.NodeField ||
		!slices.Equal(first[0].(*parse.FieldNode).Ident, []string{"V"}) {
		return false
	}
	for i, name := range names {
		args := pipe.Cmds[i+1].Args
		if len(args) != 1 || args[0].Type() != parse.NodeIdentifier ||
			args[0].(*parse.IdentifierNode).Ident != name {
			return false
		}
	}
	return true
}

// errProbeFrame means the probe's output did not start with its prefix and
// end with its suffix; it cannot happen unless html/template changes.
var errProbeFrame = errors.New("fasttmpl: escaper probe output lost its frame")

// appendTo executes the probe with v and appends what the action wrote.
func (p *escProbe) appendTo(b []byte, v any) ([]byte, error) {
	n := len(b)
	w := escAppender{b: b}
	if err := p.tmpl.Execute(&w, escProbeData{V: v}); err != nil {
		return b[:n], err
	}
	out := w.b
	lp, ls := len(p.prefix), len(p.suffix)
	if len(out)-n < lp+ls || string(out[n:n+lp]) != p.prefix || !bytes.HasSuffix(out, []byte(p.suffix)) {
		return b[:n], errProbeFrame
	}
	m := copy(out[n:], out[n+lp:len(out)-ls])
	return out[:n+m], nil
}

// escAppender is an io.Writer appending to a byte slice.
type escAppender struct{ b []byte }

func (w *escAppender) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}
