package build

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"hjp/internal/publish"
	"hjp/internal/testsite"
)

// twoBuilds builds the starter site unminified and minified and returns
// both trees, with fingerprinted asset names mapped back to their
// unhashed names so the trees can be compared file by file.
func twoBuilds(t *testing.T) (raw, min map[string]string) {
	t.Helper()
	src := testsite.New(t, testsite.Root())
	_, rawDest := buildFixture(t, Options{Source: src, Dest: filepath.Join(t.TempDir(), "raw"), BaseURL: base})
	_, minDest := buildFixture(t, Options{Source: src, Dest: filepath.Join(t.TempDir(), "min"), BaseURL: base, Minify: true})
	unhash := func(tree map[string]string) map[string]string {
		out := map[string]string{}
		for name, data := range tree {
			out[assetName(name)] = data
		}
		return out
	}
	return unhash(testsite.ReadTree(t, rawDest)), unhash(testsite.ReadTree(t, minDest))
}

var fingerprinted = regexp.MustCompile(`/?assets/([^/]+)\.[0-9a-f]{10}(\.[a-z0-9]+)`)

// assetName maps "assets/app.1a2b3c4d5e.js" to "assets/app.js", also
// inside URLs.
func assetName(s string) string { return fingerprinted.ReplaceAllString(s, "assets/$1$2") }

// TestMinify builds the starter site with and without minifying, checks
// the two are equivalent and reports the bytes saved.
func TestMinify(t *testing.T) {
	raw, min := twoBuilds(t)
	t.Run("equivalent", func(t *testing.T) { minifiedIsEquivalent(t, raw, min) })
	t.Run("compact", func(t *testing.T) { compactIsMinified(t, min) })
	t.Run("layouts", func(t *testing.T) { pagesAreMinified(t, raw, min) })
	t.Run("savings", func(t *testing.T) {
		if !testing.Verbose() {
			t.Skip("prints the bytes saved: run with -v")
		}
		minifySavings(t, raw, min)
	})
}

// minifiedIsEquivalent checks every file of a minified build against the
// unminified build: HTML parses to the same elements with the same
// attributes (bar defaults the minifier may drop) and the same text; JSON
// holds the same values; XML and SVG the same elements and text; other
// files are unchanged. Minified files are never larger.
func minifiedIsEquivalent(t *testing.T, raw, min map[string]string) {
	if !slices.Equal(sortedKeys(raw), sortedKeys(min)) {
		t.Fatalf("the builds have different files:\n%v\n%v", sortedKeys(raw), sortedKeys(min))
	}
	for _, name := range sortedKeys(raw) {
		a, b := raw[name], min[name]
		if len(b) > len(a) {
			t.Errorf("%s grew from %d to %d bytes", name, len(a), len(b))
		}
		switch publish.MediaType(name) {
		case "text/html":
			sameHTML(t, name, a, b)
		case "application/json":
			if ja, jb := canonicalJSON(t, name, a), canonicalJSON(t, name, b); ja != jb {
				t.Errorf("%s: JSON values differ", name)
			}
		case "application/xml", "image/svg+xml":
			if xa, xb := xmlSignature(t, name, a), xmlSignature(t, name, b); !slices.Equal(xa, xb) {
				t.Errorf("%s: XML differs:\n%v\n%v", name, xa, xb)
			}
		case "text/css", "application/javascript":
			if len(b) >= len(a) {
				t.Errorf("%s was not minified (%d → %d bytes)", name, len(a), len(b))
			}
		default:
			if a != b {
				t.Errorf("%s is not minified but changed", name)
			}
		}
	}
}

// compactIsMinified checks the files a build writes without minifying
// (render.Output.Compact: the search index's shards and fragments): the
// minifier would leave each exactly as it is.
func compactIsMinified(t *testing.T, min map[string]string) {
	m := publish.NewMinifier()
	n := 0
	for _, name := range sortedKeys(min) {
		if !strings.HasPrefix(name, "search/index/") || strings.HasPrefix(path.Base(name), "meta.") {
			continue
		}
		n++
		got, err := m.Minify(name, []byte(min[name]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if string(got) != min[name] {
			t.Errorf("%s is written unminified but minifying changes it (%d → %d bytes)", name, len(min[name]), len(got))
		}
	}
	if n == 0 {
		t.Fatal("no search index files")
	}
}

// pagesAreMinified checks the pages a minifying build renders from
// minified layouts and writes as they are (render.Theme.Minified): each
// is the page the minifier makes of the unminified build's (minifying
// both gives the same bytes), and at most 3% larger than that, the
// difference being quotes the minifier must keep around values it
// cannot see and whitespace between actions.
func pagesAreMinified(t *testing.T, raw, written map[string]string) {
	m := publish.NewMinifier()
	n, pages, full := 0, 0, 0
	for _, name := range sortedKeys(written) {
		if publish.MediaType(name) != "text/html" {
			continue
		}
		n++
		want, err := m.Minify(name, []byte(raw[name]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		again, err := m.Minify(name, []byte(written[name]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// The builds' assets differ (one minifies them): so do their
		// names and integrity hashes.
		want, again = unasset(want), unasset(again)
		if !bytes.Equal(again, want) {
			i := 0
			for i < len(again) && i < len(want) && again[i] == want[i] {
				i++
			}
			t.Errorf("%s is not the page minified, from byte %d:\n got %q\nwant %q", name, i, again[i:min(len(again), i+80)], want[i:min(len(want), i+80)])
		}
		got := unasset([]byte(written[name]))
		if len(got) > len(want)*103/100 {
			t.Errorf("%s is %d bytes, %d minified", name, len(got), len(want))
		}
		pages += len(got)
		full += len(want)
	}
	if n < 50 {
		t.Fatalf("only %d HTML files", n)
	}
	t.Logf("%d HTML files, %d bytes; %d minified after writing (%.1f%% more)", n, pages, full, 100*float64(pages-full)/float64(full))
}

var integrity = regexp.MustCompile(`sha384-[A-Za-z0-9+/=]+`)

// unasset maps fingerprinted asset names and integrity hashes in a page
// to fixed strings.
func unasset(b []byte) []byte {
	return integrity.ReplaceAll([]byte(assetName(string(b))), []byte("sha384-…"))
}

func sortedKeys(m map[string]string) []string {
	var k []string
	for x := range m {
		k = append(k, x)
	}
	slices.Sort(k)
	return k
}

// sameHTML compares two HTML documents as a browser sees them.
func sameHTML(t *testing.T, name, a, b string) {
	t.Helper()
	da, err := html.Parse(strings.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	db, err := html.Parse(strings.NewReader(b))
	if err != nil {
		t.Fatalf("%s: minified HTML does not parse: %v", name, err)
	}
	ea, ta := htmlSignature(t, name, da)
	eb, tb := htmlSignature(t, name, db)
	if len(ea) != len(eb) {
		t.Errorf("%s: %d elements before minifying, %d after", name, len(ea), len(eb))
		return
	}
	for i := range ea {
		if !sameElement(ea[i], eb[i]) {
			t.Errorf("%s: element %d differs:\n  %v\n  %v", name, i, ea[i], eb[i])
		}
	}
	if !slices.Equal(ta, tb) {
		t.Errorf("%s: text differs:\n  %q\n  %q", name, strings.Join(ta, " "), strings.Join(tb, " "))
	}
}

// element is a tag and its attributes, normalised.
type element struct {
	Tag   string
	Attrs map[string]string
}

// droppedDefaults are attributes the HTML minifier removes because they
// state the browser's default.
var droppedDefaults = map[string]bool{
	"form method=get":                true,
	"button type=submit":             true,
	"input type=text":                true,
	"script type=text/javascript":    true,
	"style type=text/css":            true,
	"link type=text/css":             true,
	"style media=all":                true,
	"link media=all":                 true,
	"script type=application/javasc": true,
}

func sameElement(a, b element) bool {
	if a.Tag != b.Tag {
		return false
	}
	for k, v := range a.Attrs {
		w, ok := b.Attrs[k]
		if !ok && droppedDefaults[a.Tag+" "+k+"="+v] {
			continue
		}
		if !ok || w != v {
			return false
		}
	}
	for k := range b.Attrs {
		if _, ok := a.Attrs[k]; !ok {
			return false
		}
	}
	return true
}

// blockTags are elements that break text: whitespace around them does not
// render, so the minifier may drop it.
var blockTags = map[string]bool{
	"html": true, "head": true, "body": true, "title": true, "meta": true, "link": true, "script": true, "style": true,
	"header": true, "footer": true, "main": true, "nav": true, "section": true, "article": true, "aside": true, "div": true,
	"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "ul": true, "ol": true, "li": true,
	"dl": true, "dt": true, "dd": true, "table": true, "thead": true, "tbody": true, "tfoot": true, "tr": true, "th": true, "td": true,
	"caption": true, "figure": true, "figcaption": true, "blockquote": true, "pre": true, "hr": true, "br": true, "form": true,
	"details": true, "summary": true, "fieldset": true, "legend": true, "address": true, "noscript": true, "template": true,
}

// htmlSignature lists the elements of a document and its words: text is
// split on whitespace and on block boundaries, which is what renders.
// The contents of <pre> are kept exactly; JSON-LD is compared as values.
func htmlSignature(t *testing.T, name string, doc *html.Node) ([]element, []string) {
	var els []element
	var text strings.Builder
	var words []string
	flush := func() {
		words = append(words, strings.Fields(text.String())...)
		text.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			text.WriteString(n.Data)
			return
		case html.ElementNode:
			e := element{Tag: n.Data, Attrs: map[string]string{}}
			for _, a := range n.Attr {
				if a.Key == "integrity" {
					continue // differs with the bytes; TestSubresourceIntegrity verifies it
				}
				e.Attrs[a.Key] = normValue(n.Data, a.Key, a.Val)
			}
			switch {
			case n.Data == "script" && attr(n, "type") == "application/ld+json":
				e.Attrs["#json"] = canonicalJSON(t, name, textOf(n))
				els = append(els, e)
				return
			case n.Data == "pre":
				flush()
				e.Attrs["#text"] = textOf(n)
				els = append(els, e)
				words = append(words, "<pre>")
				return
			}
			els = append(els, e)
			if blockTags[n.Data] {
				flush()
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && blockTags[n.Data] {
			flush()
		}
	}
	walk(doc)
	flush()
	return els, words
}

var longHex = regexp.MustCompile(`(?i)#([0-9a-f])([0-9a-f])([0-9a-f])([0-9a-f])([0-9a-f])([0-9a-f])\b`)

// normValue normalises an attribute value for comparison: whitespace
// runs, fingerprinted asset names, and the rewrites the minifier makes
// that mean the same: "a, b" lists in <meta content> become "a,b", and
// colours like #ffffff become #fff.
func normValue(tag, key, v string) string {
	v = assetName(strings.Join(strings.Fields(v), " "))
	if tag == "meta" && key == "content" && strings.Contains(v, "=") {
		v = strings.ReplaceAll(v, ", ", ",")
	}
	return longHex.ReplaceAllStringFunc(v, func(c string) string {
		c = strings.ToLower(c)
		if c[1] == c[2] && c[3] == c[4] && c[5] == c[6] {
			return "#" + string(c[1]) + string(c[3]) + string(c[5])
		}
		return c
	})
}

func canonicalJSON(t *testing.T, name, s string) string {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Errorf("%s: JSON does not parse: %v", name, err)
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// xmlSignature lists the elements, attributes and non-blank text of an
// XML document.
func xmlSignature(t *testing.T, name, s string) []string {
	var out []string
	dec := xml.NewDecoder(strings.NewReader(s))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			return out
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			var attrs []string
			for _, a := range tok.Attr {
				attrs = append(attrs, a.Name.Space+":"+a.Name.Local+"="+normValue(tok.Name.Local, a.Name.Local, a.Value))
			}
			slices.Sort(attrs)
			out = append(out, tok.Name.Space+":"+tok.Name.Local+" "+strings.Join(attrs, " "))
		case xml.CharData:
			if s := strings.TrimSpace(string(tok)); s != "" {
				out = append(out, assetName(s))
			}
		}
	}
}

// minifySavings reports the bytes of the starter site before and after
// minification, per page and by type, and gzipped as served:
//
//	go test ./internal/build -run TestMinify/savings -v
func minifySavings(t *testing.T, raw, min map[string]string) {
	type total struct{ files, raw, min, rawGz, minGz int }
	byType := map[string]*total{}
	all := &total{}
	var pages []string
	for _, name := range sortedKeys(raw) {
		kind := publish.MediaType(name)
		if kind == "" {
			kind = "other (" + strings.TrimPrefix(path.Ext(name), ".") + ")"
		}
		if byType[kind] == nil {
			byType[kind] = &total{}
		}
		a, b := raw[name], min[name]
		for _, tt := range []*total{byType[kind], all} {
			tt.files++
			tt.raw += len(a)
			tt.min += len(b)
			tt.rawGz += gzipLen(a)
			tt.minGz += gzipLen(b)
		}
		if kind == "text/html" {
			pages = append(pages, fmt.Sprintf("%-70s %7d %7d %5.1f%%", name, len(a), len(b), saving(len(a), len(b))))
			if len(b) >= len(a) {
				t.Errorf("%s: minified %d bytes, unminified %d", name, len(b), len(a))
			}
		}
	}
	t.Logf("per page (bytes): %-54s %7s %7s %6s\n%s", "", "before", "after", "saved", strings.Join(pages, "\n"))
	var lines []string
	for _, k := range sortedKeys(map[string]string(keysOf(byType))) {
		tt := byType[k]
		lines = append(lines, fmt.Sprintf("%-24s %4d files %9d → %9d bytes (%5.1f%%); gzip %8d → %8d (%5.1f%%)", k, tt.files, tt.raw, tt.min, saving(tt.raw, tt.min), tt.rawGz, tt.minGz, saving(tt.rawGz, tt.minGz)))
	}
	lines = append(lines, fmt.Sprintf("%-24s %4d files %9d → %9d bytes (%5.1f%%); gzip %8d → %8d (%5.1f%%)", "total", all.files, all.raw, all.min, saving(all.raw, all.min), all.rawGz, all.minGz, saving(all.rawGz, all.minGz)))
	t.Logf("by type:\n%s", strings.Join(lines, "\n"))
	if h := byType["text/html"]; h == nil || h.min >= h.raw {
		t.Error("minifying did not shrink the HTML")
	}
}

func keysOf[V any](m map[string]V) map[string]string {
	out := map[string]string{}
	for k := range m {
		out[k] = ""
	}
	return out
}

func saving(before, after int) float64 {
	if before == 0 {
		return 0
	}
	return 100 * float64(before-after) / float64(before)
}

func gzipLen(s string) int {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	w.Write([]byte(s))
	w.Close()
	return b.Len()
}
