package render_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"testing"

	"hjp/internal/build"
	"hjp/internal/config"
	"hjp/internal/content"
	"hjp/internal/corpus"
	"hjp/internal/markdown"
	"hjp/internal/render"
	"hjp/internal/site"
)

// corpusGraph builds the site graph of a synthetic corpus of n pages.
func corpusGraph(b *testing.B, n int) *site.Graph {
	b.Helper()
	fsys, err := corpus.FS(n, 1)
	if err != nil {
		b.Fatal(err)
	}
	cfg, l := config.Load(fsys, config.Options{})
	set, d := content.Load(fsys, cfg, content.LoadOptions{})
	l.Add(d...)
	g, d := site.New(cfg, set)
	l.Add(d...)
	l.Add(g.Finish(build.RenderMarkdown(g, markdown.New(), 0, &l))...)
	if l.Errors() > 0 {
		b.Fatalf("corpus of %d pages: %v", n, l.Err())
	}
	return g
}

// BenchmarkEvidenceMap lays out and draws the evidence map and the
// recommendations map of synthetic corpora, and reports the evidence
// map's SVG size gzipped: the map's size grows with the vocabularies, not
// with the number of findings (at most ten marks are drawn in a cell),
// while the recommendations map has a row per recommendation.
func BenchmarkEvidenceMap(b *testing.B) {
	sizes := []int{1000, 10000}
	if testing.Short() {
		sizes = []int{200}
	}
	for _, n := range sizes {
		g := corpusGraph(b, n)
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			var evmap, recs int
			for b.Loop() {
				evmap = len(render.NewEvidenceMap(g).SVG())
				recs = len(render.NewRecommendationMap(g).SVG())
			}
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			zw.Write([]byte(render.NewEvidenceMap(g).SVG()))
			zw.Close()
			b.ReportMetric(float64(evmap), "map-bytes")
			b.ReportMetric(float64(buf.Len()), "map-gzip-bytes")
			b.ReportMetric(float64(recs), "recs-map-bytes")
		})
	}
}
