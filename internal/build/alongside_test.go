package build

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hjp/internal/corpus"
	"hjp/internal/publish"
	"hjp/internal/search"
	"hjp/internal/site"
	"hjp/internal/testsite"
)

// searchFirst is the full plan building the search index before it lists
// and renders the outputs, as serve's plan does.
type searchFirst struct{ *fullPlan }

func (searchFirst) searchAlongside() bool { return false }

// slowSearch is the full plan with a search index that takes long enough
// for the workers to render everything else first and wait for it.
type slowSearch struct{ *fullPlan }

func (p slowSearch) search(g *site.Graph) *search.Index {
	time.Sleep(300 * time.Millisecond)
	return p.fullPlan.search(g)
}

// TestSearchAlongsideSameOutput checks that indexing the site while the
// other outputs render (a full build) writes the same files, and reports
// the same counts, as indexing it first; also when the index comes last,
// with one worker or several waiting for it.
func TestSearchAlongsideSameOutput(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, 150, 5); err != nil {
		t.Fatal(err)
	}
	if err := testsite.CopyDir(filepath.Join(testsite.Root(), "themes"), filepath.Join(dir, "themes")); err != nil {
		t.Fatal(err)
	}
	build := func(t *testing.T, opts Options, wrap func(*fullPlan) plan) (*publish.Memory, Result) {
		t.Helper()
		m := newMinifier(opts)
		mem := publish.NewMemory()
		res := run(os.DirFS(dir), opts, mem, wrap(&fullPlan{workers: opts.Workers, md: newMarkdown(m), min: m}))
		if res.Failed() {
			t.Fatalf("build: %s", res.Diags.Err())
		}
		return mem, res
	}
	for _, workers := range []int{1, 3} {
		opts := Options{Source: dir, Minify: true, Workers: workers}
		want, wantRes := build(t, opts, func(p *fullPlan) plan { return searchFirst{p} })
		if len(want.Files) < 600 {
			t.Fatalf("%d files: the corpus is too small to test with", len(want.Files))
		}
		for name, wrap := range map[string]func(*fullPlan) plan{
			"alongside": func(p *fullPlan) plan { return p },
			"slow":      func(p *fullPlan) plan { return slowSearch{p} },
		} {
			got, res := build(t, opts, wrap)
			if res.Files != wantRes.Files || res.Rendered != wantRes.Rendered || res.Pages != wantRes.Pages {
				t.Errorf("%s, %d workers: files %d, rendered %d, pages %d; searching first: %d, %d, %d",
					name, workers, res.Files, res.Rendered, res.Pages, wantRes.Files, wantRes.Rendered, wantRes.Pages)
			}
			if len(got.Files) != len(want.Files) {
				t.Errorf("%s, %d workers: %d files written, want %d", name, workers, len(got.Files), len(want.Files))
			}
			for p, w := range want.Files {
				if g, ok := got.Files[p]; !ok {
					t.Errorf("%s, %d workers: %s not written", name, workers, p)
				} else if !bytes.Equal(g, w) {
					t.Errorf("%s, %d workers: %s differs", name, workers, p)
				}
			}
		}
	}
}

// keepIndex is the full plan remembering the graph and search index it
// made, for a test to look at after the build.
type keepIndex struct {
	*fullPlan
	g  *site.Graph
	ix *search.Index
}

func (p *keepIndex) search(g *site.Graph) *search.Index {
	p.g, p.ix = g, p.fullPlan.search(g)
	return p.ix
}

// TestFullBuildLetsGo checks that a full build lets go of what it no
// longer needs once it is written: every page's rendered Markdown and
// every file of the search index (70 MB at 10,000 pages), in the index
// too, which the build holds to the end.
func TestFullBuildLetsGo(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, 60, 7); err != nil {
		t.Fatal(err)
	}
	if err := testsite.CopyDir(filepath.Join(testsite.Root(), "themes"), filepath.Join(dir, "themes")); err != nil {
		t.Fatal(err)
	}
	opts := Options{Source: dir, Minify: true, Workers: 2}
	m := newMinifier(opts)
	p := &keepIndex{fullPlan: &fullPlan{workers: opts.Workers, md: newMarkdown(m), min: m}}
	mem := publish.NewMemory()
	if res := run(os.DirFS(dir), opts, mem, p); res.Failed() {
		t.Fatalf("build: %s", res.Diags.Err())
	}
	files := p.ix.Files()
	if len(files) < 10 {
		t.Fatalf("%d search files: too few to test with", len(files))
	}
	for _, f := range files {
		if f.Data != nil {
			t.Errorf("search file %s: %d bytes still held after it was written", f.Path, len(f.Data))
		}
		if len(mem.Files[f.Path]) == 0 {
			t.Errorf("search file %s: not written", f.Path)
		}
	}
	for _, pg := range p.g.Pages {
		if pg.Doc.HTML != nil {
			t.Errorf("%s: rendered Markdown still held after the page was written", pg.URL)
		}
	}
}
