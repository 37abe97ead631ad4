package corpus_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hjp/internal/corpus"
)

func TestFloor(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	if err := corpus.Write(src, 40, 1); err != nil {
		t.Fatal(err)
	}
	n, err := corpus.Floor(src, dst)
	if err != nil || n != 40 {
		t.Fatalf("Floor = %d, %v; want 40 pages", n, err)
	}
	b, err := os.ReadFile(filepath.Join(dst, "findings", "f01-"+firstFinding(t, src), "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{"<title>", `<h2 id="`, "<p>"} {
		if !strings.Contains(got, want) {
			t.Errorf("floor output has no %s:\n%.400s", want, got)
		}
	}
	if strings.Contains(got, "summary:") {
		t.Error("front matter was rendered as text: goldmark-meta did not run")
	}
}

func firstFinding(t *testing.T, src string) string {
	m, _ := filepath.Glob(filepath.Join(src, "content", "findings", "f01-*.md"))
	if len(m) != 1 {
		t.Fatalf("no f01 finding: %v", m)
	}
	return strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m[0]), "f01-"), ".md")
}

// BenchmarkFloor1k and BenchmarkFloor10k time the goldmark floor on the
// corpora BenchmarkBuild1k and BenchmarkBuild10k build.
func BenchmarkFloor1k(b *testing.B)  { benchFloor(b, 1000) }
func BenchmarkFloor10k(b *testing.B) { benchFloor(b, 10000) }

func benchFloor(b *testing.B, n int) {
	if n > 1000 && testing.Short() {
		b.Skip("large corpus: run without -short")
	}
	src := b.TempDir()
	if err := corpus.Write(src, n, 1); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := corpus.Floor(src, b.TempDir()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}
