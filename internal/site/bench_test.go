package site

import (
	"testing"

	"hjp/internal/config"
	"hjp/internal/content"
	"hjp/internal/corpus"
)

func corpusGraph(tb testing.TB, n int) *Graph {
	tb.Helper()
	fsys, err := corpus.FS(n, 1)
	if err != nil {
		tb.Fatal(err)
	}
	cfg, _ := config.Load(fsys, config.Options{})
	set, _ := content.Load(fsys, cfg, content.LoadOptions{})
	g, d := New(cfg, set)
	if d.Errors() > 0 {
		tb.Fatal(d.Err())
	}
	return g
}

// BenchmarkNew10k is building the graph of 10,000 pages: URLs, tree,
// taxonomies, aliases and relations. serve does it on every rebuild.
func BenchmarkNew10k(b *testing.B) {
	if testing.Short() {
		b.Skip("large corpus: run without -short")
	}
	fsys, err := corpus.FS(10000, 1)
	if err != nil {
		b.Fatal(err)
	}
	cfg, _ := config.Load(fsys, config.Options{})
	set, _ := content.Load(fsys, cfg, content.LoadOptions{})
	b.ReportAllocs()
	for b.Loop() {
		New(cfg, set)
	}
}

// BenchmarkMissingLink10k is one broken link in a 10,000-page site: the
// error and its "did you mean" suggestion. A renamed folder can break
// hundreds at once, so each must stay cheap.
func BenchmarkMissingLink10k(b *testing.B) {
	if testing.Short() {
		b.Skip("large corpus: run without -short")
	}
	g := corpusGraph(b, 10000)
	from := g.OfKind(content.KindFinding)[0]
	r := g.Resolver(from)
	target := g.OfKind(content.KindRecommendation)[5].Rel
	broken := "../" + target[:len(target)-5] + "x.md"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.ResolveLink(broken, false); err == nil {
			b.Fatal("no error")
		}
	}
}
