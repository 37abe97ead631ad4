package build

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"

	"hjp/internal/config"
	"hjp/internal/content"
	"hjp/internal/diag"
	"hjp/internal/markdown"
	"hjp/internal/site"
	"hjp/internal/testsite"
)

// The tests in this file hold the repository's own content to the honesty
// and structure rules of the content issue, mechanically where they can be.

// loadRealSite loads content/ of the repository into a finished graph.
func loadRealSite(t *testing.T) *site.Graph {
	t.Helper()
	fsys := os.DirFS(testsite.Root())
	cfg, d := config.Load(fsys, config.Options{})
	if cfg == nil {
		t.Fatal(d)
	}
	set, l := content.Load(fsys, cfg, content.LoadOptions{})
	g, d := site.New(cfg, set)
	l.Add(d...)
	docs := RenderMarkdown(g, markdown.New(), 0, &l)
	l.Add(g.Finish(docs)...)
	if l.Errors() > 0 {
		t.Fatalf("content has errors:\n%v", l.Err())
	}
	return g
}

// TestContentChecksStrictly: hjp check --strict passes with zero errors
// and zero warnings on the real content.
func TestContentChecksStrictly(t *testing.T) {
	res := Check(Options{Source: testsite.Root(), Strict: true})
	if len(res.Diags) > 0 {
		var b strings.Builder
		diag.Print(&b, res.Diags)
		t.Errorf("hjp check --strict reports %d problems:\n%s", len(res.Diags), b.String())
	}
}

var (
	citeRe    = regexp.MustCompile(`\[[^\]]*@[a-z0-9][a-z0-9_-]*[^\]]*\]|(^|[^\w.@/])@[a-z0-9][a-z0-9_-]*`)
	stripRe   = regexp.MustCompile(`\]\([^)]*\)|\{#[^}]*\}|<[^>]*>|` + "`[^`]*`" + `|https?://\S+`)
	numericRe = regexp.MustCompile(`[0-9£$%]`)
)

// uncitedNumbers returns the blocks (paragraphs, list items, headings,
// table rows) of a Markdown body that contain a number, a percentage or a
// money amount but no citation.
func uncitedNumbers(body []byte) []string {
	var out []string
	check := func(raw string) {
		plain := stripRe.ReplaceAllString(citeRe.ReplaceAllString(raw, ""), "")
		if numericRe.MatchString(plain) && !citeRe.MatchString(raw) {
			out = append(out, strings.TrimSpace(raw))
		}
	}
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	root := md.Parser().Parse(text.NewReader(body))
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindParagraph, ast.KindTextBlock, ast.KindHeading:
			var b strings.Builder
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				b.Write(seg.Value(body))
			}
			check(b.String())
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	// Table rows are checked line by line: a row is one line.
	for _, line := range strings.Split(string(body), "\n") {
		l := strings.TrimSpace(line)
		if strings.HasPrefix(l, "|") && strings.Trim(l, "|-: ") != "" {
			check(l)
		}
	}
	return out
}

func TestUncitedNumbersDetector(t *testing.T) {
	body := "One in 3 people [@a2020].\n\n- item with 49% and no source\n- item [see @b2021, p. 4] with 12\n\n## Heading 2021\n\n| a | b |\n|---|---|\n| £5 | x |\n| 7 | [@c2019] |\n\nCited by @genn2019 in 2019.\n\nA [link](f03-x.md#r2) and `code 9` and core20plus5 key [@core2022].\n"
	got := uncitedNumbers([]byte(body))
	want := []string{"item with 49% and no source", "Heading 2021", "| £5 | x |"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// honestyExempt are pages about the site itself rather than the evidence
// (an accessibility statement has a preparation date and WCAG version).
var honestyExempt = map[string]bool{"content/pages/accessibility.md": true}

func TestContentHonesty(t *testing.T) {
	g := loadRealSite(t)
	for _, p := range g.Pages {
		m := p.Meta
		if (p.Kind == content.KindFinding || p.Kind == content.KindCaseStudy) && len(m.Sources) == 0 {
			t.Errorf("%s: a %s needs sources", p.Path, content.KindLabel(p.Kind))
		}
		if p.Kind == content.KindRecommendation && len(p.Related[content.KindFinding]) == 0 {
			t.Errorf("%s: a recommendation must link at least one finding", p.Path)
		}
		if honestyExempt[p.Path] {
			continue
		}
		for _, field := range []string{m.Title, m.Summary, m.Payer, m.Duration, m.Suits} {
			if numericRe.MatchString(field) {
				t.Errorf("%s: front matter %q has a number, which cannot carry a citation", p.Path, field)
			}
		}
		for _, s := range append(slices.Clone(m.Strengths), m.Risks...) {
			if numericRe.MatchString(s) {
				t.Errorf("%s: front matter %q has a number, which cannot carry a citation", p.Path, s)
			}
		}
		for _, block := range uncitedNumbers(p.Body) {
			t.Errorf("%s: a number with no citation in:\n\t%s", p.Path, block)
		}
	}
	for _, r := range g.References.List {
		if r.Title == "" || r.Year == "" || r.URL == "" && r.DOI == "" {
			t.Errorf("references.yaml: %s needs a title, a year and a URL or DOI", r.Key)
		}
	}
}

func TestContentCounts(t *testing.T) {
	g := loadRealSite(t)
	count := func(k content.Kind) int { return len(g.OfKind(k)) }
	terms := 0
	closed := 0
	for _, p := range g.Pages {
		terms += len(p.Meta.Terms)
		if p.Kind == content.KindCaseStudy && p.Meta.Status == "closed" {
			closed++
		}
	}
	checks := []struct {
		what     string
		got, min int
	}{
		{"guide chapters", count(content.KindChapter), 10},
		{"funding models", count(content.KindFundingModel), 8},
		{"funding report chapters (comparison, cliffs, economic case, other nations)", count(content.KindFundingChapter), 4},
		{"case studies", count(content.KindCaseStudy), 12},
		{"closed case studies", closed, 1},
		{"findings", count(content.KindFinding), 25},
		{"recommendations", count(content.KindRecommendation), 15},
		{"references", len(g.References.List), 60},
		{"glossary terms", terms, 30},
	}
	for _, c := range checks {
		if c.got < c.min {
			t.Errorf("%d %s, need at least %d", c.got, c.what, c.min)
		}
	}
	for _, name := range []string{"about", "glossary", "accessibility"} {
		if g.ByURL("/pages/"+name+"/") == nil {
			t.Errorf("no /pages/%s/ page", name)
		}
	}
}

// TestContentLinks: every guide chapter is linked from and links to at
// least two other pages; no finding or case study is an orphan.
func TestContentLinks(t *testing.T) {
	g := loadRealSite(t)
	for _, p := range g.Pages {
		out := map[string]bool{}
		for _, l := range p.Doc.Links {
			if l.Page != "" && l.Page != p.Rel {
				out[l.Page] = true
			}
		}
		in := len(p.LinkedFrom)
		related := 0
		for _, list := range p.Related {
			related += len(list)
		}
		switch p.Kind {
		case content.KindChapter:
			if in < 2 || len(out) < 2 {
				t.Errorf("%s: linked from %d and links to %d other pages; a chapter needs at least 2 each way", p.Path, in, len(out))
			}
		case content.KindFinding, content.KindCaseStudy:
			if in+related == 0 {
				t.Errorf("%s is an orphan: no page links to it or lists it", p.Path)
			}
		}
	}
}

// TestReadingLevel reports average sentence length per section (the aim is
// under 20 words) and fails for a page averaging over 25.
func TestReadingLevel(t *testing.T) {
	g := loadRealSite(t)
	type acc struct{ words, sentences int }
	sections := map[string]*acc{}
	for _, p := range g.Pages {
		w, s := 0, 0
		for _, block := range textBlocks(p.Body) {
			sw, ss := sentenceStats(block)
			w += sw
			s += ss
		}
		if s == 0 {
			continue
		}
		name := p.Section
		if name == "" {
			name = "home"
		}
		if sections[name] == nil {
			sections[name] = &acc{}
		}
		sections[name].words += w
		sections[name].sentences += s
		if avg := float64(w) / float64(s); avg > 25 {
			t.Errorf("%s: average sentence is %.1f words (over 25)", p.Path, avg)
		}
	}
	names := make([]string, 0, len(sections))
	for n := range sections {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		a := sections[n]
		t.Logf("%-16s %6d words, %5d sentences, %.1f words per sentence", n, a.words, a.sentences, float64(a.words)/float64(a.sentences))
	}
}

// textBlocks returns the prose of each paragraph, list item and heading of
// a Markdown body, without link targets, code and citations, so that a list
// item without a full stop is not run into the next one.
func textBlocks(body []byte) []string {
	var out []string
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	root := md.Parser().Parse(text.NewReader(body))
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindParagraph, ast.KindTextBlock, ast.KindHeading:
			var b strings.Builder
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				b.Write(seg.Value(body))
			}
			out = append(out, stripRe.ReplaceAllString(citeRe.ReplaceAllString(b.String(), ""), ""))
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return out
}

// sentenceStats counts the words and sentences of a block of prose.
func sentenceStats(s string) (words, sentences int) {
	for _, sent := range regexp.MustCompile(`[.!?]+(\s+|$)`).Split(s, -1) {
		n := 0
		for _, f := range strings.Fields(sent) {
			if strings.IndexFunc(f, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
				n++
			}
		}
		if n > 0 {
			words += n
			sentences++
		}
	}
	return words, sentences
}
