package markdown

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"

	"hjp/internal/corpus"
	"hjp/internal/diag"
)

// benchResolver resolves every link and citation, so the benchmark
// measures rendering, not the site graph.
type benchResolver struct{}

func (benchResolver) ResolveLink(dest string, _ bool) (Target, error) {
	page, anchor, _ := strings.Cut(dest, "#")
	return Target{URL: dest, Page: page, Anchor: anchor}, nil
}
func (benchResolver) Cite(key string) (Cite, bool) {
	return Cite{Names: "Genn", Year: "2019", Href: "#ref-" + key}, true
}
func (benchResolver) CiteKeys() []string { return nil }

// corpusInputs returns the Markdown of a 200-page corpus (about 180,000
// words) as Render inputs.
func corpusInputs(b *testing.B) []Input {
	files, err := corpus.Files(200, 1)
	if err != nil {
		b.Fatal(err)
	}
	var ins []Input
	for p, src := range files {
		if !strings.HasSuffix(p, ".md") {
			continue
		}
		end := bytes.Index(src[3:], []byte("\n---\n")) + 3 + len("\n---\n")
		ins = append(ins, Input{File: diag.NewFile(p, src), Body: src[end:], Offset: end, Resolver: benchResolver{}})
	}
	return ins
}

// BenchmarkRender is hjp's Markdown stage on a corpus: goldmark with
// hjp's extensions (links, citations, heading IDs, search text).
// BenchmarkGoldmark is plain goldmark (GFM, heading IDs) on the same
// bodies; the difference is what the extensions cost.
func BenchmarkRender(b *testing.B) {
	ins := corpusInputs(b)
	r := New()
	b.ReportAllocs()
	for b.Loop() {
		for _, in := range ins {
			if _, d := r.Render(in); len(d) > 0 {
				b.Fatal(d.Err())
			}
		}
	}
}

func BenchmarkGoldmark(b *testing.B) {
	ins := corpusInputs(b)
	md := goldmark.New(goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithHeadingAttribute()))
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		for _, in := range ins {
			buf.Reset()
			if err := md.Convert(in.Body, &buf); err != nil {
				b.Fatal(err)
			}
		}
	}
}
