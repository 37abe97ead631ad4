package markdown

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"

	"gopkg.in/yaml.v3"

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
	ins, _ := corpusSite(b)
	return ins
}

// corpusSite returns the Markdown of a 200-page corpus as Render inputs,
// in path order, and the glossary its glossary page declares, as the
// build compiles it.
func corpusSite(b testing.TB) ([]Input, *Glossary) {
	files, err := corpus.Files(200, 1)
	if err != nil {
		b.Fatal(err)
	}
	var ins []Input
	var terms []GlossaryTerm
	for _, p := range slices.Sorted(maps.Keys(files)) {
		src := files[p]
		if !strings.HasSuffix(p, ".md") {
			continue
		}
		end := bytes.Index(src[3:], []byte("\n---\n")) + 3 + len("\n---\n")
		var meta struct{ Terms []GlossaryTerm }
		if err := yaml.Unmarshal(src[3:end-len("---\n")], &meta); err != nil {
			b.Fatal(err)
		}
		terms = append(terms, meta.Terms...)
		ins = append(ins, Input{File: diag.NewFile(p, src), Body: src[end:], Offset: end, Resolver: benchResolver{}})
	}
	if len(terms) == 0 {
		b.Fatal("the corpus has no glossary")
	}
	return ins, NewGlossary("/glossary/", terms, DefaultGlossaryStopList())
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

// BenchmarkRenderSite is BenchmarkRender as the build runs it: every page
// also links its first use of each term of the corpus's glossary.
func BenchmarkRenderSite(b *testing.B) {
	ins, g := corpusSite(b)
	r := New()
	b.ReportAllocs()
	for b.Loop() {
		for _, in := range ins {
			in.Glossary = g
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
