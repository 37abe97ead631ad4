package corpus_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hjp/internal/build"
	"hjp/internal/config"
	"hjp/internal/content"
	"hjp/internal/corpus"
	"hjp/internal/diag"
	"hjp/internal/markdown"
	"hjp/internal/site"
	"hjp/internal/testsite"
)

func TestSiteYAMLIsTheRepositorys(t *testing.T) {
	want, err := os.ReadFile(filepath.Join(testsite.Root(), "content", "site.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(corpus.SiteYAML(), want) {
		t.Fatal("internal/corpus/site.yaml differs from content/site.yaml: run go generate ./internal/corpus")
	}
}

func TestDeterministic(t *testing.T) {
	a, err := corpus.Files(60, 7)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := corpus.Files(60, 7)
	c, _ := corpus.Files(60, 8)
	if len(a) != len(b) {
		t.Fatalf("same seed gave %d and %d files", len(a), len(b))
	}
	differs := false
	for p, data := range a {
		if !bytes.Equal(data, b[p]) {
			t.Errorf("%s differs between two runs with the same seed", p)
		}
		if !bytes.Equal(data, c[p]) {
			differs = true
		}
	}
	if !differs {
		t.Error("seeds 7 and 8 gave the same corpus")
	}
}

func TestTooSmall(t *testing.T) {
	if _, err := corpus.Files(corpus.MinPages-1, 1); err == nil {
		t.Fatal("no error for a corpus below MinPages")
	}
}

// TestBuilds builds corpora of several sizes with the real theme: no
// errors, no warnings, every page published.
func TestBuilds(t *testing.T) {
	for _, n := range []int{corpus.MinPages, 100} {
		dir := t.TempDir()
		if err := corpus.Write(dir, n, 1); err != nil {
			t.Fatal(err)
		}
		if err := corpus.Write(dir, n, 1); err == nil {
			t.Error("Write into a folder that has content/ did not fail")
		}
		if err := testsite.CopyDir(filepath.Join(testsite.Root(), "themes"), filepath.Join(dir, "themes")); err != nil {
			t.Fatal(err)
		}
		res := build.Build(build.Options{Source: dir})
		// Random prose trips the editorial (plain-English) warnings now
		// and then; errors are what a corpus must never have.
		if res.Diags.Errors() > 0 {
			t.Fatalf("n=%d: %d errors, %d warnings:\n%s", n, res.Diags.Errors(), res.Diags.Warnings(), res.Diags.Err())
		}
		if res.Pages != n {
			t.Errorf("n=%d: built %d pages", n, res.Pages)
		}
	}
}

// TestShape checks the corpus against the content model through the real
// pipeline: kinds in proportion, words, links, anchors, citations and
// relations per page.
func TestShape(t *testing.T) {
	const n = 250
	fsys, err := corpus.FS(n, 3)
	if err != nil {
		t.Fatal(err)
	}
	cfg, l := config.Load(fsys, config.Options{})
	set, d := content.Load(fsys, cfg, content.LoadOptions{})
	l.Add(d...)
	g, d := site.New(cfg, set)
	l.Add(d...)
	docs := build.RenderMarkdown(g, markdown.New(), 0, &l)
	l.Add(g.Finish(docs)...)
	if l.Errors() > 0 { // editorial warnings on random prose are expected
		t.Fatalf("diagnostics:\n%s", l.Err())
	}
	want := corpus.CountsFor(n)
	kinds := map[content.Kind]int{}
	var anchored, custom, tables, related int
	for _, p := range g.Pages {
		kinds[p.Kind]++
		if p.Doc.Words < 600 || p.Doc.Words > 1200 {
			t.Errorf("%s has %d words, want 600–1,200", p.Path, p.Doc.Words)
		}
		links := 0
		for _, ln := range p.Doc.Links {
			if ln.Page != "" {
				links++
				if ln.Anchor != "" {
					anchored++
				}
			}
		}
		if links < 3 || links > 8 {
			t.Errorf("%s has %d links to pages, want 3–8", p.Path, links)
		}
		if len(p.Doc.Citations) == 0 {
			t.Errorf("%s cites nothing", p.Path)
		}
		if strings.Contains(string(p.Body), "{#") {
			custom++
		}
		if strings.Contains(string(p.Doc.HTML), "<table>") {
			tables++
		}
		for _, rs := range p.Related {
			related += len(rs)
		}
	}
	for k, c := range map[content.Kind]int{
		content.KindHome: 1, content.KindSection: 6, content.KindPage: 3,
		content.KindChapter: want.Chapters, content.KindFundingModel: want.FundingModels,
		content.KindFundingChapter: want.FundingChapters, content.KindCaseStudy: want.CaseStudies,
		content.KindFinding: want.Findings, content.KindRecommendation: want.Recommendations,
	} {
		if kinds[k] != c {
			t.Errorf("%d pages of kind %s, want %d", kinds[k], k, c)
		}
	}
	if len(g.References.List) != want.References {
		t.Errorf("%d references, want %d", len(g.References.List), want.References)
	}
	for name, got := range map[string]int{"links with anchors": anchored, "pages with custom heading IDs": custom, "pages with tables": tables} {
		if got < n/10 {
			t.Errorf("only %d %s in %d pages", got, name, n)
		}
	}
	if related < n {
		t.Errorf("only %d front-matter relations in %d pages", related, n)
	}
	_ = diag.Error
}
