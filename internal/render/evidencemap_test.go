package render_test

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"
	"gopkg.in/yaml.v3"

	"hjp/internal/build"
	"hjp/internal/diag"
	"hjp/internal/publish"
	"hjp/internal/testsite"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// maxMapGzip is the most the evidence map's SVG for the full content may
// weigh gzipped (issue 11).
const maxMapGzip = 30 * 1024

func diagText(l diag.List) string {
	var b strings.Builder
	for _, d := range l {
		fmt.Fprintln(&b, d)
	}
	return b.String()
}

// fixture is the evidence map's fixture site: the real vocabularies plus
// a factor and a setting only it has, a draft, an unrated finding, a
// recommendation without findings and funding models with and without a
// duration range.
func fixture() string { return filepath.Join("testdata", "evmap") }

// builtSite is a site built into memory.
type builtSite struct {
	dir   string // the source root (content/ and themes/)
	files map[string][]byte
}

func (s *builtSite) page(t *testing.T, u string) string {
	t.Helper()
	b, ok := s.files[strings.TrimPrefix(u, "/")+"index.html"]
	if !ok {
		t.Fatalf("no page at %s", u)
	}
	return string(b)
}

// buildSite builds a site root into memory; the build must be clean.
func buildSite(t *testing.T, dir string) *builtSite {
	t.Helper()
	return buildWith(t, build.Options{Source: dir})
}

func buildWith(t *testing.T, opts build.Options) *builtSite {
	t.Helper()
	dir := opts.Source
	mem := publish.NewMemory()
	res := build.Run(os.DirFS(dir), opts, mem)
	if len(res.Diags) > 0 {
		t.Fatalf("build of %s: %d errors, %d warnings:\n%s", dir, res.Diags.Errors(), res.Diags.Warnings(), diagText(res.Diags))
	}
	return &builtSite{dir: dir, files: mem.Files}
}

// buildFixture copies the fixture with the theme into a new folder and
// builds it.
func buildFixture(t *testing.T) *builtSite {
	t.Helper()
	return buildSite(t, testsite.New(t, fixture()))
}

// contentSite is the repository's own content, built once and minified,
// as hjp build publishes it, for the tests that need it.
var contentSite = sync.OnceValues(func() (*builtSite, error) {
	mem := publish.NewMemory()
	root := testsite.Root()
	res := build.Run(os.DirFS(root), build.Options{Source: root, Minify: true}, mem)
	if res.Failed() {
		return nil, fmt.Errorf("build of content/ failed:\n%s", diagText(res.Diags))
	}
	return &builtSite{dir: root, files: mem.Files}, nil
})

func buildContent(t *testing.T) *builtSite {
	t.Helper()
	s, err := contentSite()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// between returns the first part of s from the start of open to the end
// of the close that follows it.
func between(t *testing.T, s, open, close string) string {
	t.Helper()
	i := strings.Index(s, open)
	if i < 0 {
		t.Fatalf("no %q in the page", open)
	}
	j := strings.Index(s[i:], close)
	if j < 0 {
		t.Fatalf("no %q after %q", close, open)
	}
	return s[i : i+j+len(close)]
}

// svgByID returns the inline SVG element with an ID.
func svgByID(t *testing.T, page, id string) string {
	t.Helper()
	i := strings.Index(page, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no SVG %s in the page", id)
	}
	start := strings.LastIndex(page[:i], "<svg")
	return between(t, page[start:], "<svg", "</svg>")
}

// tableAfter returns the table of the "Show as table" toggle that
// follows the element with an ID.
func tableAfter(t *testing.T, page, id string) string {
	t.Helper()
	i := strings.Index(page, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no %s in the page", id)
	}
	return between(t, page[i:], `<details class="evmap-details">`, "</details>")
}

// svgLines breaks a graphic's markup into one element a line, so its
// golden file diffs line by line (the SVG itself has no whitespace between
// elements, which the minifier would drop).
var (
	svgElement = regexp.MustCompile(`(?s)<svg.*?</svg>`)
	svgLines   = regexp.MustCompile(`<(?:a|g|rect|line|circle|polygon|text|/a>|/g>|/svg>)\b`)
)

func golden(t *testing.T, name, got string) {
	t.Helper()
	got = svgElement.ReplaceAllStringFunc(got, func(svg string) string {
		return svgLines.ReplaceAllStringFunc(svg, func(s string) string { return "\n" + s })
	})
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update and review the new file)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			g, w := at(gl, i), at(wl, i)
			if g != w {
				t.Fatalf("%s differs from %s at line %d (run with -update and review the diff):\n- %s\n+ %s", name, path, i+1, w, g)
			}
		}
	}
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(end of file)"
}

// TestEvidenceMapGolden compares the fixture's graphics and their tables
// with golden files: the evidence map, the recommendations map, the
// funding chart and the home page's small map.
func TestEvidenceMapGolden(t *testing.T) {
	s := buildFixture(t)
	evmap := s.page(t, "/evidence-map/")
	funding := s.page(t, "/funding/")
	home := s.page(t, "/")
	for _, g := range []struct{ name, got string }{
		{"evidence-map.svg", svgByID(t, evmap, "evidence-map-svg")},
		{"evidence-map-table.html", tableAfter(t, evmap, "evidence-map-svg")},
		{"recommendation-map.svg", svgByID(t, evmap, "recommendation-map-svg")},
		{"recommendation-map-table.html", tableAfter(t, evmap, "recommendation-map-svg")},
		{"funding-chart.svg", svgByID(t, funding, "funding-chart-svg")},
		{"funding-chart-table.html", tableAfter(t, funding, "funding-chart-svg")},
		{"evidence-map-home.html", between(t, home, `<section class="evmap-home"`, "</section>")},
	} {
		t.Run(g.name, func(t *testing.T) { golden(t, g.name, g.got) })
	}
}

// listedID finds the findings a findings page lists, minified or not.
var (
	listedID     = regexp.MustCompile(`<span class="?id-badge"?>(F\d+)</span>`)
	findingsList = regexp.MustCompile(`<div class="?findings-list"?>`)
)

type mapCell struct {
	href, name, role string
	ids              []string
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// mapCells returns the cells of a matrix SVG in document order, row by
// row: links to a findings page, groups that hold findings, and gaps,
// each with the IDs of the findings its marks stand for.
func mapCells(t *testing.T, svg string) []mapCell {
	t.Helper()
	doc, err := html.Parse(strings.NewReader("<!DOCTYPE html><body>" + svg))
	if err != nil {
		t.Fatal(err)
	}
	var out []mapCell
	var marks func(n *html.Node, c *mapCell)
	marks = func(n *html.Node, c *mapCell) {
		if n.Type == html.ElementNode && strings.HasPrefix(attr(n, "class"), "svg-mark") {
			if ti := n.FirstChild; ti != nil && ti.Data == "title" && ti.FirstChild != nil {
				id, _, _ := strings.Cut(ti.FirstChild.Data, ":")
				c.ids = append(c.ids, id)
			}
		}
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			marks(k, c)
		}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		class := attr(n, "class")
		if n.Type == html.ElementNode && (strings.HasPrefix(class, "svg-cell") || strings.HasPrefix(class, "svg-gap")) && n.Data != "rect" {
			c := mapCell{href: attr(n, "href"), name: attr(n, "aria-label"), role: attr(n, "role")}
			marks(n, &c)
			slices.Sort(c.ids)
			out = append(out, c)
			return
		}
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			walk(k)
		}
	}
	walk(doc)
	return out
}

// siteVocab reads the keys and labels of a vocabulary from a site's
// site.yaml, independently of the code under test.
func siteVocab(t *testing.T, dir, name string) (keys, labels []string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "content", "site.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Vocabularies map[string][]struct{ Key, Label string }
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	for _, term := range cfg.Vocabularies[name] {
		keys = append(keys, term.Key)
		labels = append(labels, term.Label)
	}
	return keys, labels
}

type findingFM struct {
	ID       string
	Factor   string
	Settings []string
	Draft    bool
}

// siteFindings reads the published findings' front matter.
func siteFindings(t *testing.T, dir string) []findingFM {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "content", "findings", "f*.md"))
	if err != nil {
		t.Fatal(err)
	}
	var out []findingFM
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.SplitN(string(b), "---\n", 3)
		var fm findingFM
		if err := yaml.Unmarshal([]byte(parts[1]), &fm); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !fm.Draft {
			out = append(out, fm)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no findings in %s", dir)
	}
	return out
}

// TestEvidenceMapCells checks, for the fixture and the real content, that
// every published finding appears in exactly the cells of its factor and
// settings, that the rows and columns follow the vocabularies, and that
// each non-empty cell links to the findings page for its factor and
// setting, which exists and lists exactly the cell's findings. Empty cells
// are gaps: named, not linked.
func TestEvidenceMapCells(t *testing.T) {
	for _, site := range []struct {
		name string
		get  func(*testing.T) *builtSite
	}{{"fixture", buildFixture}, {"content", buildContent}} {
		t.Run(site.name, func(t *testing.T) {
			s := site.get(t)
			factors, factorLabels := siteVocab(t, s.dir, "factors")
			settings, settingLabels := siteVocab(t, s.dir, "settings")
			want := map[[2]string][]string{}
			for _, f := range siteFindings(t, s.dir) {
				for _, st := range f.Settings {
					k := [2]string{f.Factor, st}
					want[k] = append(want[k], f.ID)
				}
			}
			svg := svgByID(t, s.page(t, "/evidence-map/"), "evidence-map-svg")
			cells := mapCells(t, svg)
			if len(cells) != len(factors)*len(settings) {
				t.Fatalf("%d cells, want %d factors × %d settings = %d", len(cells), len(factors), len(settings), len(factors)*len(settings))
			}
			linked := 0
			for i, c := range cells {
				f, st := factors[i/len(settings)], settings[i%len(settings)]
				where := factorLabels[i/len(settings)] + " in "
				ids := slices.Clone(want[[2]string{f, st}])
				slices.Sort(ids)
				if !slices.Equal(c.ids, ids) {
					t.Errorf("cell %s × %s holds %v, want %v", f, st, c.ids, ids)
				}
				if !strings.HasPrefix(c.name, where) || !strings.Contains(strings.ToLower(c.name), strings.ToLower(settingLabels[i%len(settings)])+": ") {
					t.Errorf("cell %s × %s is named %q", f, st, c.name)
				}
				if len(ids) == 0 {
					if c.href != "" || c.role != "img" || !strings.HasSuffix(c.name, ": no findings") {
						t.Errorf("gap %s × %s: href %q, role %q, name %q; want no link, role img, \"…: no findings\"", f, st, c.href, c.role, c.name)
					}
					continue
				}
				wantHref := "/findings/factor/" + f + "/setting/" + st + "/"
				if c.href != wantHref {
					t.Errorf("cell %s × %s links to %q, want %q", f, st, c.href, wantHref)
					continue
				}
				facet := s.page(t, c.href)
				loc := findingsList.FindStringIndex(facet)
				if loc == nil {
					t.Fatalf("%s has no findings list", c.href)
				}
				listed := listedID.FindAllStringSubmatch(between(t, facet[loc[0]:], "<div", "</main>"), -1)
				var got []string
				for _, m := range listed {
					got = append(got, m[1])
				}
				slices.Sort(got)
				if !slices.Equal(got, ids) {
					t.Errorf("%s lists %v, want the cell's findings %v", c.href, got, ids)
				}
				linked++
			}
			t.Logf("%d × %d cells: %d link to findings pages, %d gaps", len(factors), len(settings), linked, len(cells)-linked)
		})
	}
}

// TestEvidenceMapNames checks the accessible names the issue gives as
// the example, on the fixture.
func TestEvidenceMapNames(t *testing.T) {
	s := buildFixture(t)
	page := s.page(t, "/evidence-map/")
	for _, want := range []string{
		`aria-label="Referral and access in hospitals: 3 findings, strongest: strong"`,
		`aria-label="Referral and access in primary care: 1 finding, strongest: strong"`,
		`aria-label="Collaboration in primary care: 1 finding, strength not rated"`,
		`aria-label="Digital inclusion in prisons and custody: 1 finding, strongest: emerging"`,
		`aria-label="Collaboration in hospitals: no findings"`,
		`aria-label="R1 for commissioners: 2 findings, strongest: strong"`,
		`aria-label="R3 for policy makers: no findings"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the evidence map page has no %s", want)
		}
	}
	if strings.Contains(page, "F7") {
		t.Error("the draft finding F7 is on the evidence map")
	}
}

// TestEvidenceMapFollowsVocabularies adds a factor and a setting to the
// fixture's site.yaml and checks that the map gains a row and a column, in
// vocabulary order, with no change to code or theme.
func TestEvidenceMapFollowsVocabularies(t *testing.T) {
	dir := testsite.New(t, fixture())
	before := mapCells(t, svgByID(t, buildSite(t, dir).page(t, "/evidence-map/"), "evidence-map-svg"))
	factors, _ := siteVocab(t, dir, "factors")
	settings, _ := siteVocab(t, dir, "settings")
	if len(before) != len(factors)*len(settings) {
		t.Fatalf("%d cells before, want %d", len(before), len(factors)*len(settings))
	}

	yml := filepath.Join(dir, "content", "site.yaml")
	b, err := os.ReadFile(yml)
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(b), "  factors:\n", "  factors:\n    - key: housing-outcomes\n      label: Housing outcomes\n", 1)
	src = strings.Replace(src, "  settings:\n", "  settings:\n    - key: schools\n      label: Schools\n", 1)
	if err := os.WriteFile(yml, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	testsite.Write(t, dir, "content/findings/f08-tenancies.md", "---\ntitle: Advice in schools saves tenancies\nsummary: Families keep their homes.\nid: F8\nfactor: housing-outcomes\nstrength: moderate\nsettings: [schools]\n---\n\nOne evaluation found fewer evictions.\n")

	s := buildSite(t, dir)
	page := s.page(t, "/evidence-map/")
	after := mapCells(t, svgByID(t, page, "evidence-map-svg"))
	if want := (len(factors) + 1) * (len(settings) + 1); len(after) != want {
		t.Fatalf("%d cells after adding a factor and a setting, want %d", len(after), want)
	}
	// The new factor is the first row and the new setting the first column.
	first := after[0]
	if first.href != "/findings/factor/housing-outcomes/setting/schools/" || !slices.Equal(first.ids, []string{"F8"}) {
		t.Errorf("first cell = %+v, want the new finding F8 linked to its findings page", first)
	}
	s.page(t, first.href)
	for i := 1; i <= len(settings); i++ {
		if after[i].href != "" {
			t.Errorf("new row, column %d: %q, want a gap", i, after[i].href)
		}
	}
	for i, c := range before {
		r, col := i/len(settings), i%len(settings)
		if got := after[(r+1)*(len(settings)+1)+col+1]; !slices.Equal(got.ids, c.ids) || got.href != c.href {
			t.Errorf("cell %d moved or changed: %+v, was %+v", i, got, c)
		}
	}
	for _, label := range []string{">Housing outcomes<", ">Schools<"} {
		if !strings.Contains(page, label) {
			t.Errorf("the map has no label %s", label)
		}
	}
}

// TestEvidenceMapDeterministic builds the fixture twice: the map page is
// byte for byte the same.
func TestEvidenceMapDeterministic(t *testing.T) {
	dir := testsite.New(t, fixture())
	a, b := buildSite(t, dir), buildSite(t, dir)
	for _, u := range []string{"/evidence-map/", "/funding/", "/"} {
		if a.page(t, u) != b.page(t, u) {
			t.Errorf("%s differs between two builds", u)
		}
	}
}

// TestEvidenceMapCSP checks the graphics carry no styles, scripts or
// colours of their own: everything is a class the stylesheet styles.
func TestEvidenceMapCSP(t *testing.T) {
	s := buildFixture(t)
	bad := regexp.MustCompile(`(?i)<style|<script|\sstyle=|\son[a-z]+=|\s(fill|stroke|color|font-size|font-family)=`)
	for _, u := range []string{"/evidence-map/", "/funding/", "/"} {
		page := s.page(t, u)
		for _, svg := range regexp.MustCompile(`(?s)<svg.*?</svg>`).FindAllString(page, -1) {
			if m := bad.FindString(svg); m != "" {
				t.Errorf("%s: an SVG has %q", u, m)
			}
		}
	}
}

// TestEvidenceMapSize measures the evidence map's SVG for the full
// content, minified as published: under 30 KB gzipped.
func TestEvidenceMapSize(t *testing.T) {
	s := buildContent(t)
	svg := svgByID(t, s.page(t, "/evidence-map/"), "evidence-map-svg")
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	zw.Write([]byte(svg))
	zw.Close()
	t.Logf("evidence map SVG for content/: %d bytes raw, %d bytes gzipped (limit %d)", len(svg), buf.Len(), maxMapGzip)
	if buf.Len() >= maxMapGzip {
		t.Errorf("the evidence map SVG is %d bytes gzipped, want under %d", buf.Len(), maxMapGzip)
	}
}

// TestEvidenceMapLinked checks the map is reachable: from the findings
// index, the home page and the site's footer where site.yaml lists it.
func TestEvidenceMapLinked(t *testing.T) {
	s := buildFixture(t)
	for _, u := range []string{"/findings/", "/"} {
		if !strings.Contains(s.page(t, u), `href="/evidence-map/"`) {
			t.Errorf("%s does not link to the evidence map", u)
		}
	}
	c := buildContent(t)
	footer := between(t, c.page(t, "/recommendations/"), `<footer`, `</footer>`)
	if !regexp.MustCompile(`href="?/evidence-map/"?`).MatchString(footer) {
		t.Error("the content's footer does not link to the evidence map")
	}
}

// TestEvidenceMapMinified checks that minifying, as hjp build does, keeps
// the graphics whole: the same cells, names, links and marks, and the
// words of every label still apart. (The SVG is written compact, so the
// minifier finds nothing to take out.)
func TestEvidenceMapMinified(t *testing.T) {
	dir := testsite.New(t, fixture())
	plain := buildWith(t, build.Options{Source: dir})
	small := buildWith(t, build.Options{Source: dir, Minify: true})
	words := regexp.MustCompile(`<text[^>]*>(.*?)</text>`)
	tags := regexp.MustCompile(`<[^>]*>`)
	for _, g := range []struct{ page, id string }{
		{"/evidence-map/", "evidence-map-svg"}, {"/evidence-map/", "recommendation-map-svg"}, {"/funding/", "funding-chart-svg"},
	} {
		a, b := svgByID(t, plain.page(t, g.page), g.id), svgByID(t, small.page(t, g.page), g.id)
		if len(b) > len(a) {
			t.Errorf("%s: minified SVG is %d bytes, plain %d", g.id, len(b), len(a))
		}
		ca, cb := mapCells(t, a), mapCells(t, b)
		if fmt.Sprint(ca) != fmt.Sprint(cb) {
			t.Errorf("%s: minifying changed the cells:\n%v\n%v", g.id, ca, cb)
		}
		text := func(svg string) []string {
			var out []string
			for _, m := range words.FindAllStringSubmatch(svg, -1) {
				out = append(out, strings.Join(strings.Fields(strings.ReplaceAll(html.UnescapeString(tags.ReplaceAllString(m[1], "")), "\u00a0", " ")), " "))
			}
			return out
		}
		if ta, tb := text(a), text(b); !slices.Equal(ta, tb) {
			t.Errorf("%s: minifying changed the labels:\n%q\n%q", g.id, ta, tb)
		}
		if !strings.Contains(b, "Paid by") && g.id == "funding-chart-svg" {
			t.Errorf("%s: the payer notes are gone", g.id)
		}
	}
}

// TestRecommendationMapTooMany checks that past a hundred
// recommendations the page lists the audience pages instead of drawing a
// grid too tall to read.
func TestRecommendationMapTooMany(t *testing.T) {
	dir := testsite.New(t, fixture())
	for i := 4; i <= 101; i++ {
		testsite.Write(t, dir, fmt.Sprintf("content/recommendations/r%03d-more.md", i),
			fmt.Sprintf("---\ntitle: Recommendation number %d\nsummary: One of many.\nid: R%d\naudience: [researchers]\n---\n\nDo the thing numbered %d.\n", i, i, i))
	}
	page := buildSite(t, dir).page(t, "/evidence-map/")
	if strings.Contains(page, `id="recommendation-map-svg"`) {
		t.Error("101 recommendations are drawn")
	}
	for _, want := range []string{"There are 101 recommendations", `href="/audiences/researchers/"`, `id="evidence-map-svg"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page has no %s", want)
		}
	}
}
