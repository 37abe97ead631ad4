package build

import (
	"bytes"
	"os"
	"testing"

	"hjp/internal/publish"
	"hjp/internal/render"
	"hjp/internal/site"
)

// keepOutputs is the full plan keeping every page's rendered Markdown
// and the list of outputs, so a benchmark can render them again.
type keepOutputs struct {
	*fullPlan
	outs []render.Output
}

func (p *keepOutputs) rendering(g *site.Graph, outs []render.Output) {
	p.outs = outs
}

func (*keepOutputs) written(render.Output) {}

// BenchmarkPageLayouts draws the layouts of 1,000 pages' own files (not
// the lists, citations or redirects) on one goroutine, minified as hjp
// build does: the part of a build that grows with the layouts.
func BenchmarkPageLayouts(b *testing.B) {
	src := benchSite(b, 1000)
	opts := Options{Source: src, Minify: true, Workers: 2}
	m := newMinifier(opts)
	p := &keepOutputs{fullPlan: &fullPlan{workers: 2, md: newMarkdown(m), min: m}}
	if res := run(os.DirFS(src), opts, publish.Discard{}, p); res.Failed() {
		b.Fatal(res.Diags.Err())
	}
	var pages []render.Output
	for _, o := range p.outs {
		if o.Content && !isList(o) {
			pages = append(pages, o)
		}
	}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		for _, o := range pages {
			buf.Reset()
			if err := o.Render(&buf); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(pages)), "µs/page")
}
