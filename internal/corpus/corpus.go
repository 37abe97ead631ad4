// Package corpus generates a synthetic site of any size in hjp's content
// model, for benchmarks, load tests and the comparison with Hugo. The same
// page count and seed always give the same bytes: there is no wall clock
// and no map order in the output.
//
// A corpus is a valid content/ tree: site.yaml (a copy of the repository's,
// so the vocabularies are the real ones), references.yaml, a home page,
// six sections, a guide of chapters, funding models and report chapters,
// case studies, findings F1…, recommendations R1…, and the about,
// accessibility and glossary pages. Every page has 600–1,200 words of
// prose with H2 and H3 headings (some with {#custom-ids}), lists, some
// tables, 3–8 relative links to other pages (some to headings that exist),
// citations and front-matter relations. It builds with no errors and no
// warnings.
package corpus

//go:generate cp ../../content/site.yaml site.yaml

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing/fstest"

	"hjp/internal/config"
)

// siteYAML is a copy of content/site.yaml; a test keeps the two equal.
//
//go:embed site.yaml
var siteYAML []byte

// SiteYAML returns the site settings every corpus uses.
func SiteYAML() []byte { return slices.Clone(siteYAML) }

// MinPages is the smallest corpus: enough for one page of every kind.
const MinPages = 16

// Fixed is the number of pages every corpus has whatever its size: the
// home page, six section pages, about, accessibility and glossary.
const Fixed = 10

// Counts is how many pages of each generated kind a corpus has.
type Counts struct {
	Chapters, FundingModels, FundingChapters, CaseStudies, Findings, Recommendations int
	// References is the number of bibliography entries.
	References int
}

// CountsFor returns the page counts of an n-page corpus. The proportions
// follow the real site while it is small. As it grows, the evidence grows
// with it (findings, recommendations, case studies) but the guide and the
// funding report stay publications a person reads in order: they grow
// slowly, to about a hundred chapters and fifty parts at 10,000 pages.
func CountsFor(n int) Counts {
	rest := max(n, MinPages) - Fixed
	c := Counts{
		Chapters:        max(1, min(rest*12/100, 10+rest/100)),
		FundingModels:   max(1, min(rest*6/100, 6+rest/250)),
		FundingChapters: max(1, min(rest*4/100, 4+rest/250)),
		CaseStudies:     max(1, rest*22/100),
		Recommendations: max(1, rest*22/100),
		References:      12 + rest/8,
	}
	c.Findings = rest - c.Chapters - c.FundingModels - c.FundingChapters - c.CaseStudies - c.Recommendations
	return c
}

// Files returns the corpus of n pages for seed as file contents keyed by
// slash path from the site root ("content/guide/01-x.md").
func Files(n int, seed int64) (map[string][]byte, error) {
	if n < MinPages {
		return nil, fmt.Errorf("a corpus needs at least %d pages, not %d", MinPages, n)
	}
	site, d := config.Parse(siteYAML, config.Options{})
	if site == nil || d.Errors() > 0 {
		return nil, fmt.Errorf("internal/corpus/site.yaml is not valid: %v", d.Err())
	}
	g := &generator{seed: uint64(seed), n: n, counts: CountsFor(n), vocab: site.Vocab}
	g.references()
	g.plan()
	files := make(map[string][]byte, len(g.pages)+2)
	files["content/site.yaml"] = SiteYAML()
	files["content/references.yaml"] = g.referencesYAML()
	out := make([][]byte, len(g.pages))
	parallel(len(g.pages), func(i int) { out[i] = g.render(i) })
	for i, p := range g.pages {
		files["content/"+p.rel] = out[i]
	}
	return files, nil
}

// FS returns the corpus as an in-memory file system rooted at the site
// root. Add a theme with AddDir before building it.
func FS(n int, seed int64) (fstest.MapFS, error) {
	files, err := Files(n, seed)
	if err != nil {
		return nil, err
	}
	m := make(fstest.MapFS, len(files))
	for p, b := range files {
		m[p] = &fstest.MapFile{Data: b, Mode: 0o644}
	}
	return m, nil
}

// AddDir copies the folder dir (a slash path under root on disk, such as
// "themes") into m, so an in-memory corpus can be built with a real theme.
func AddDir(m fstest.MapFS, root, dir string) error {
	return fs.WalkDir(os.DirFS(root), dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p)))
		if err != nil {
			return err
		}
		m[p] = &fstest.MapFile{Data: b, Mode: 0o644}
		return nil
	})
}

// Write writes the corpus of n pages for seed as dir/content. It refuses a
// dir that already has a content folder, so two corpora never mix.
func Write(dir string, n int, seed int64) error {
	if _, err := os.Stat(filepath.Join(dir, "content")); err == nil {
		return fmt.Errorf("%s already has a content folder: remove it or choose another folder", dir)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	files, err := Files(n, seed)
	if err != nil {
		return err
	}
	paths := make([]string, 0, len(files))
	dirs := map[string]bool{}
	for p := range files {
		paths = append(paths, p)
		dirs[path.Dir(p)] = true
	}
	for d := range dirs {
		if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(d)), 0o755); err != nil {
			return err
		}
	}
	slices.Sort(paths)
	errs := make([]error, len(paths))
	parallel(len(paths), func(i int) {
		errs[i] = os.WriteFile(filepath.Join(dir, filepath.FromSlash(paths[i])), files[paths[i]], 0o644)
	})
	return errors.Join(errs...)
}

// parallel calls fn(i) for every i in [0, n) on one goroutine per core.
func parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// kind is a page kind, named as hjp's content package names it.
type kind string

const (
	home           kind = "home"
	section        kind = "section"
	chapter        kind = "chapter"
	fundingModel   kind = "funding-model"
	fundingChapter kind = "funding-chapter"
	caseStudy      kind = "case-study"
	finding        kind = "finding"
	recommendation kind = "recommendation"
	plainPage      kind = "page"
)

// page is the plan of one page: everything other pages need to link to
// it or name it in front matter, decided before any body is written.
type page struct {
	rel     string // path inside content/
	kind    kind
	title   string
	summary string
	// ref is what front matter calls the page: "F3", "R3", or the slug of
	// a case study or funding model.
	ref      string
	weight   int
	headings []heading
	alias    string
	// model is a funding model's funding type.
	model string
}

// heading is one heading of a page; id is the ID the build gives it.
type heading struct {
	level  int
	text   string
	custom bool
	id     string
}

type reference struct {
	key, typ, year, title      string
	authors                    []string
	container, volume, issue   string
	pages, publisher, url, doi string
	accessed                   string
}

type generator struct {
	seed   uint64
	n      int
	counts Counts
	vocab  config.Vocabularies
	refs   []reference
	pages  []page
	// byKind lists page indexes of each kind, in page order.
	byKind map[kind][]int
}

// rng returns the random source of one purpose and index, so each page is
// generated independently (and in parallel) yet deterministically.
func (g *generator) rng(purpose, i int) prose {
	return prose{rand.New(rand.NewPCG(g.seed, uint64(purpose)<<40|uint64(i)))}
}

const (
	purposePlan = iota + 1
	purposeOutline
	purposeBody
	purposeRefs
)

func (g *generator) keys(vocab string) []string { return g.vocab.Get(vocab).Keys() }
