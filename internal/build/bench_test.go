package build

import (
	"os"
	"path/filepath"
	"testing"

	"hjp/internal/corpus"
	"hjp/internal/publish"
	"hjp/internal/testsite"
)

// The build benchmarks run the real pipeline on a synthetic corpus
// (internal/corpus) written to a temporary folder: set TMPDIR=/dev/shm to
// keep the disk out of the figures. The 10,000-page ones are skipped with
// -short, which is how CI runs every benchmark once:
//
//	go test -short -run '^$' -bench . -benchtime 1x ./...
//	TMPDIR=/dev/shm go test -run '^$' -bench 'Build|Check' -benchmem ./internal/build
//
// Each reports allocations and a pages/s figure. They build whatever Run
// does, with the options of `hjp build` (minify on) and `hjp check`.

// benchSite writes an n-page corpus and the repository's theme into a
// new temporary folder and returns it.
func benchSite(b *testing.B, n int) string {
	b.Helper()
	if n > 1000 && testing.Short() {
		b.Skip("large corpus: run without -short")
	}
	dir := b.TempDir()
	if err := corpus.Write(dir, n, 1); err != nil {
		b.Fatal(err)
	}
	if err := testsite.CopyDir(filepath.Join(testsite.Root(), "themes"), filepath.Join(dir, "themes")); err != nil {
		b.Fatal(err)
	}
	return dir
}

func benchBuild(b *testing.B, n int) {
	opts := Options{Source: benchSite(b, n), Minify: true} // as hjp build
	opts.Dest = filepath.Join(b.TempDir(), "public")
	b.ReportAllocs()
	for b.Loop() {
		if res := Build(opts); res.Failed() || !res.Written || res.Pages != n {
			b.Fatalf("build: %s\n%s", res.Summary("built"), res.Diags.Err())
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

func benchCheck(b *testing.B, n int) {
	src := benchSite(b, n)
	fsys := os.DirFS(src)
	b.ReportAllocs()
	for b.Loop() {
		if res := Run(fsys, Options{Source: src}, publish.Discard{}); res.Failed() || res.Pages != n {
			b.Fatalf("check: %s\n%s", res.Summary("checked"), res.Diags.Err())
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkBuild1k is `hjp build` of 1,000 pages: read, parse, render,
// write to a staging folder and swap it in.
func BenchmarkBuild1k(b *testing.B) { benchBuild(b, 1000) }

// BenchmarkBuild10k is `hjp build` of 10,000 pages.
func BenchmarkBuild10k(b *testing.B) { benchBuild(b, 10000) }

// BenchmarkCheck1k is `hjp check` of 1,000 pages: everything but writing.
func BenchmarkCheck1k(b *testing.B) { benchCheck(b, 1000) }

// BenchmarkCheck10k is `hjp check` of 10,000 pages.
func BenchmarkCheck10k(b *testing.B) { benchCheck(b, 10000) }
