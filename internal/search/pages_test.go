package search_test

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"hjp/internal/build"
	"hjp/internal/config"
	"hjp/internal/publish"
	"hjp/internal/testsite"
)

var updatePages = flag.Bool("update-pages", false, "rewrite the findings page golden files")

// buildFixture builds testdata/site (plus the repository theme) into
// memory and returns the files by path.
func buildFixture(t *testing.T, edit func(src string)) (map[string]string, build.Result) {
	t.Helper()
	fixture, _ := filepath.Abs(filepath.Join("testdata", "site"))
	src := testsite.New(t, fixture)
	if edit != nil {
		edit(src)
	}
	mem := publish.NewMemory()
	res := build.Run(os.DirFS(src), build.Options{Source: src, BaseURL: "https://example.org/"}, mem)
	files := map[string]string{}
	for p, b := range mem.Files {
		files[p] = string(b)
	}
	return files, res
}

func mustBuild(t *testing.T) map[string]string {
	t.Helper()
	files, res := buildFixture(t, nil)
	if res.Failed() {
		t.Fatalf("build failed:\n%v", res.Diags.Err())
	}
	return files
}

func mainOf(html string) string {
	i, j := strings.Index(html, "<main"), strings.Index(html, "</main>")
	if i < 0 || j < i {
		return ""
	}
	return html[i : j+len("</main>")]
}

var (
	cardHref  = regexp.MustCompile(`<li class="finding-card">\s*<h3><a href="([^"]+)">`)
	groupID   = regexp.MustCompile(`<h2 id="factor-([a-z-]+)">`)
	panelLink = regexp.MustCompile(`<li><a href="(/findings/[^"]+)"(?: aria-current="page")?>[^<]+</a> <span class="findings-count">\((\d+)<`)
	panelText = regexp.MustCompile(`<li>([^<]+) <span class="findings-count">\((\d+)<`)
)

func cards(html string) []string {
	var out []string
	for _, m := range cardHref.FindAllStringSubmatch(mainOf(html), -1) {
		out = append(out, m[1])
	}
	return out
}

// TestFindingsIndex checks /findings/: every published finding with its
// ID, title, summary, factor, strength and themes, grouped by factor in
// the vocabulary's order, and no draft.
func TestFindingsIndex(t *testing.T) {
	files := mustBuild(t)
	html := files["findings/index.html"]
	main := mainOf(html)
	want := []string{
		"/findings/f01-access-to-advice/", "/findings/f06-co-location/", "/findings/f07-training-referrals/",
		"/findings/f03-income-gains/", "/findings/f05-debt-stress/", "/findings/f02-gp-consultations/",
		"/findings/f04-housing-discharge/", "/findings/f08-short-funding/",
	}
	if got := cards(html); !slices.Equal(got, want) {
		t.Errorf("findings in order:\n got %v\nwant %v", got, want)
	}
	var groups []string
	for _, m := range groupID.FindAllStringSubmatch(main, -1) {
		groups = append(groups, m[1])
	}
	wantGroups := []string{"referral-access", "co-location", "training-culture", "financial-outcomes", "mental-health-wellbeing", "health-services", "sustainability-funding"}
	if !slices.Equal(groups, wantGroups) {
		t.Errorf("factor groups %v, want the vocabulary order %v", groups, wantGroups)
	}
	for _, s := range []string{
		`<span class="id-badge">F3</span> Advice increases household income`,
		"People who see an adviser gain welfare benefits and other income.",
		`<dt>Factor</dt><dd><a href="/findings/factor/financial-outcomes/">Financial outcomes</a></dd>`,
		`<dt>Strength of evidence</dt><dd><a href="/findings/strength/strong/">Strong</a></dd>`,
		`<dt>Themes</dt><dd><a href="/findings/theme/benefits/">Benefits</a></dd>`,
		"Each finding states what the evidence shows", // the section page's own text
	} {
		if !strings.Contains(main, s) {
			t.Errorf("/findings/ lacks %q", s)
		}
	}
	if strings.Contains(html, ">F9<") || strings.Contains(html, "Zebra") {
		t.Error("/findings/ lists the draft finding")
	}
}

// TestFindingsFilterPages checks that every facet value and every factor
// × setting pair that some finding has gets a page (and no other does),
// and that every filter link's count is the number of findings the
// linked page lists.
func TestFindingsFilterPages(t *testing.T) {
	files := mustBuild(t)
	cfg, d := config.Load(os.DirFS(filepath.Join("testdata", "site")), config.Options{})
	if cfg == nil {
		t.Fatal(d)
	}
	vocab := map[string]string{"theme": "themes", "setting": "settings", "factor": "factors", "audience": "audiences", "strength": "strengths"}
	pages := []string{"findings/index.html"}
	for facet, v := range vocab {
		for _, key := range cfg.Vocab.Get(v).Keys() {
			pages = append(pages, "findings/"+facet+"/"+key+"/index.html")
		}
	}
	for _, f := range cfg.Vocab.Get("factors").Keys() {
		for _, s := range cfg.Vocab.Get("settings").Keys() {
			pages = append(pages, "findings/factor/"+f+"/setting/"+s+"/index.html")
		}
	}
	written := 0
	links := 0
	for _, p := range pages {
		html, ok := files[p]
		if !ok {
			continue
		}
		written++
		if p != "findings/index.html" && len(cards(html)) == 0 {
			t.Errorf("%s was written but lists no findings", p)
		}
		for _, m := range panelLink.FindAllStringSubmatch(html, -1) {
			target := files[strings.TrimPrefix(m[1], "/")+"index.html"]
			if target == "" {
				t.Errorf("%s links to %s, which does not exist", p, m[1])
				continue
			}
			if n, _ := strconv.Atoi(m[2]); n != len(cards(target)) {
				t.Errorf("%s says %s has %s findings; it lists %d", p, m[1], m[2], len(cards(target)))
			}
			links++
		}
		for _, m := range panelText.FindAllStringSubmatch(html, -1) {
			if m[2] != "0" {
				t.Errorf("%s: %q has %s findings but no link", p, m[1], m[2])
			}
		}
	}
	// The index; 8 themes, 5 settings, 7 factors, 5 audiences and 3
	// strengths; and 13 factor × setting pairs have findings.
	if want := 1 + 8 + 5 + 7 + 5 + 3 + 13; written != want {
		t.Errorf("%d findings pages written, want %d", written, want)
	}
	if links < 300 {
		t.Errorf("only %d filter links checked", links)
	}
	for p := range files {
		if strings.HasPrefix(p, "findings/") && !slices.Contains(pages, p) && !strings.HasPrefix(p, "findings/f0") {
			t.Errorf("unexpected findings page %s", p)
		}
	}
	combined := files["findings/factor/health-services/setting/hospital/index.html"]
	if got := cards(combined); !slices.Equal(got, []string{"/findings/f04-housing-discharge/"}) {
		t.Errorf("health services × hospitals lists %v", got)
	}
	if !strings.Contains(combined, `<a href="/findings/setting/hospital/">Remove`) || !strings.Contains(combined, `<a href="/findings/factor/health-services/">Remove`) {
		t.Error("the combined page does not link to each single filter")
	}
	if _, ok := files["findings/factor/collaboration/setting/other/index.html"]; ok {
		t.Error("an empty factor × setting pair got a page")
	}
	if !strings.Contains(files["findings/index.html"], `<li>Employment <span class="findings-count">(0<`) {
		t.Error("a theme without findings should be listed as text, not linked")
	}
}

// TestFindingsPageGolden compares the main region of two findings pages
// with golden copies (go test ./internal/search -update-pages).
func TestFindingsPageGolden(t *testing.T) {
	files := mustBuild(t)
	for _, p := range []string{"findings/index.html", "findings/theme/housing/index.html", "findings/factor/health-services/setting/hospital/index.html"} {
		got := mainOf(files[p])
		gf := filepath.Join("testdata", "golden", strings.ReplaceAll(strings.TrimSuffix(p, "/index.html"), "/", "_")+".html")
		if *updatePages {
			os.MkdirAll(filepath.Dir(gf), 0o755)
			if err := os.WriteFile(gf, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(gf)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/search -update-pages)", err)
		}
		if got != string(want) {
			t.Errorf("%s differs from %s (run with -update-pages and review the diff)", p, gf)
		}
	}
}

// TestSearchPage checks the search page's wiring: the index and the
// module it names exist, and the no-JavaScript text links to pages that
// were built.
func TestSearchPage(t *testing.T) {
	files := mustBuild(t)
	html := files["search/index.html"]
	for _, re := range []string{
		`<form class="search-form" action="/search/" method="get" role="search" data-search-index="/(search/index/meta\.[0-9a-f]{10}\.json)">`,
		`<script type="module" src="/(assets/search\.[0-9a-f]{10}\.js)" integrity="sha384-[^"]+"></script>`,
	} {
		m := regexp.MustCompile(re).FindStringSubmatch(html)
		if m == nil {
			t.Errorf("search page lacks %s", re)
			continue
		}
		if files[m[1]] == "" {
			t.Errorf("%s is not in the output", m[1])
		}
	}
	nojs := html[strings.Index(html, `<div class="search-nojs">`):]
	nojs = nojs[:strings.Index(nojs, "</div>")]
	hrefs := regexp.MustCompile(`href="(/[^"]*)"`).FindAllStringSubmatch(nojs, -1)
	if len(hrefs) < 8 {
		t.Errorf("the site map has %d links", len(hrefs))
	}
	for _, m := range hrefs {
		if files[strings.TrimPrefix(m[1], "/")+"index.html"] == "" {
			t.Errorf("the no-JavaScript text links to %s, which was not built", m[1])
		}
	}
	if strings.Contains(html, "<script>") || strings.Contains(html, "style=") {
		t.Error("inline script or style on the search page")
	}
}

// TestFindingsURLCollision gives a page an alias at a findings filter
// URL: the build must fail at that file, not overwrite either page.
func TestFindingsURLCollision(t *testing.T) {
	_, res := buildFixture(t, func(src string) {
		p := filepath.Join(src, "content", "pages", "accessibility.md")
		b, _ := os.ReadFile(p)
		os.WriteFile(p, []byte(strings.Replace(string(b), "title:", "aliases: [/findings/theme/housing/]\ntitle:", 1)), 0o644)
	})
	if !res.Failed() {
		t.Fatal("the build accepted an alias that takes a findings index URL")
	}
	msg := res.Diags.Err().Error()
	if !strings.Contains(msg, "content/pages/accessibility.md:1:1") || !strings.Contains(msg, "/findings/theme/housing/ is the URL of a findings index page") {
		t.Errorf("error: %s", msg)
	}
}
