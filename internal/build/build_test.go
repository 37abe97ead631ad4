package build

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"hjp/internal/testsite"
)

var update = flag.Bool("update", false, "rewrite golden files")

func buildFixture(t *testing.T, opts Options) (Result, string) {
	t.Helper()
	if opts.Source == "" {
		opts.Source = testsite.New(t, testsite.Fixture())
	}
	res := Build(opts)
	if res.Failed() {
		t.Fatalf("build failed:\n%v", res.Diags.Err())
	}
	return res, opts.DestDir()
}

// TestGolden compares the rendered HTML of one page of every kind, and the
// generated files, with golden copies in testdata/golden.
func TestGolden(t *testing.T) {
	_, dest := buildFixture(t, Options{BaseURL: "https://example.org/"})
	golden := []string{
		"index.html",                           // home
		"guide/index.html",                     // section
		"guide/what-is-an-hjp/index.html",      // guide chapter
		"funding/nhs-commissioning/index.html", // funding model
		"funding/funding-cliffs/index.html",    // funding report chapter
		"case-studies/liverpool-advice-on-prescription/index.html",
		"findings/f01-access-to-advice/index.html",
		"recommendations/r01-place-advice-where-patients-are/index.html",
		"pages/glossary/index.html",  // plain page
		"themes/referral/index.html", // taxonomy term
		"references/index.html",
		"f/1/index.html",             // short link
		"funding/compare/index.html", // funding models comparison
		"guide/print/index.html",     // a publication on one page
		"_redirects",
	}
	for _, name := range golden {
		got, err := os.ReadFile(filepath.Join(dest, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		gf := filepath.Join("testdata", "golden", strings.ReplaceAll(strings.TrimSuffix(name, "/index.html"), "/", "_")+".golden")
		if *update {
			os.MkdirAll(filepath.Dir(gf), 0o755)
			if err := os.WriteFile(gf, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(gf)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/build -update)", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs from %s (run with -update and review the diff):\n%s", name, gf, firstDiff(string(want), string(got)))
		}
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "line " + strconv.Itoa(i+1) + ":\n- " + x + "\n+ " + y
		}
	}
	return ""
}

// TestEveryPageLinkedFromSection checks that every non-draft content file
// has a page and is listed on its section page, and that drafts are left out.
func TestEveryPageLinkedFromSection(t *testing.T) {
	src := testsite.New(t, testsite.Fixture())
	_, dest := buildFixture(t, Options{Source: src})
	err := filepath.WalkDir(filepath.Join(src, "content"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".md" || d.Name() == "_index.md" {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join(src, "content"), p)
		b, _ := os.ReadFile(p)
		draft := strings.Contains(string(b), "\ndraft: true")
		section := strings.Split(filepath.ToSlash(rel), "/")[0]
		slug := strings.TrimSuffix(filepath.Base(rel), ".md")
		if i := strings.IndexByte(slug, '-'); i > 0 && strings.Trim(slug[:i], "0123456789") == "" {
			slug = slug[i+1:]
		}
		url := "/" + section + "/" + slug + "/"
		_, statErr := os.Stat(filepath.Join(dest, section, slug, "index.html"))
		list, _ := os.ReadFile(filepath.Join(dest, section, "index.html"))
		linked := strings.Contains(string(list), `href="`+url+`"`)
		switch {
		case draft && (statErr == nil || linked):
			t.Errorf("draft %s was published", rel)
		case !draft && statErr != nil:
			t.Errorf("%s has no page at %s", rel, url)
		case !draft && !linked:
			t.Errorf("%s is not linked from /%s/", rel, section)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestFailedBuildLeavesDestination makes the second build fail halfway
// (a template error on one kind of page) and checks the previous output is
// untouched and no staging folder is left behind.
func TestFailedBuildLeavesDestination(t *testing.T) {
	src := testsite.New(t, testsite.Fixture())
	dest := filepath.Join(t.TempDir(), "public")
	buildFixture(t, Options{Source: src, Dest: dest})
	before := testsite.ReadTree(t, dest)

	// A site-level layout override that fails only when executed for
	// findings, after other pages have been rendered.
	testsite.Write(t, src, "layouts/finding.html", `{{template "baseof.html" .}}{{define "main"}}{{.Page.Meta.NoSuchField}}{{end}}`)
	testsite.Write(t, src, "content/guide/03-new.md", "---\ntitle: New\nsummary: New chapter.\n---\nText.\n")
	res := Build(Options{Source: src, Dest: dest})
	if !res.Failed() {
		t.Fatal("build with a broken layout succeeded")
	}
	msg := res.Diags.Err().Error()
	if !strings.Contains(msg, "layouts/finding.html:1:") || !strings.Contains(msg, "NoSuchField") {
		t.Errorf("error does not name the layout and position:\n%s", msg)
	}
	after := testsite.ReadTree(t, dest)
	if len(after) != len(before) {
		t.Errorf("destination has %d files after the failed build, %d before", len(after), len(before))
	}
	for name, data := range before {
		if after[name] != data {
			t.Errorf("%s changed after a failed build", name)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(dest))
	for _, e := range entries {
		if e.Name() != "public" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// TestDeterministic builds the same input twice and compares the trees.
func TestDeterministic(t *testing.T) {
	src := testsite.New(t, testsite.Fixture())
	a := filepath.Join(t.TempDir(), "a")
	b := filepath.Join(t.TempDir(), "b")
	buildFixture(t, Options{Source: src, Dest: a, Workers: 8})
	buildFixture(t, Options{Source: src, Dest: b, Workers: 3})
	ta, tb := testsite.ReadTree(t, a), testsite.ReadTree(t, b)
	if len(ta) == 0 {
		t.Fatal("empty build")
	}
	keys := func(m map[string]string) []string {
		var k []string
		for x := range m {
			k = append(k, x)
		}
		slices.Sort(k)
		return k
	}
	if !slices.Equal(keys(ta), keys(tb)) {
		t.Fatalf("file lists differ:\n%v\n%v", keys(ta), keys(tb))
	}
	for name, data := range ta {
		if tb[name] != data {
			t.Errorf("%s differs between two builds", name)
		}
	}
}

// TestRebuildReplaces checks a second successful build replaces the
// output, removing files of pages that no longer exist.
func TestRebuildReplaces(t *testing.T) {
	src := testsite.New(t, testsite.Fixture())
	_, dest := buildFixture(t, Options{Source: src})
	if err := os.Remove(filepath.Join(src, "content", "guide", "02-referral-pathways.md")); err != nil {
		t.Fatal(err)
	}
	// The first chapter links to the removed one: that is now an error.
	res := Build(Options{Source: src})
	if !res.Failed() || !strings.Contains(res.Diags.Err().Error(), "content/guide/01-what-is-an-hjp.md:") {
		t.Fatalf("expected a broken-link error in chapter 1, got %v", res.Diags)
	}
	testsite.Write(t, src, "content/guide/01-what-is-an-hjp.md", "---\ntitle: One\nsummary: S.\n---\nText.\n")
	os.Remove(filepath.Join(src, "content", "case-studies", "liverpool-advice-on-prescription.md"))
	os.Remove(filepath.Join(src, "content", "funding", "nhs-commissioning.md"))
	os.Remove(filepath.Join(src, "content", "findings", "f02-gp-consultations.md"))
	os.Remove(filepath.Join(src, "content", "recommendations", "r02-measure-what-matters.md"))
	res = Build(Options{Source: src})
	// Their URLs were published: the manifest catches each one.
	if !res.Failed() || !strings.Contains(res.Diags.Err().Error(), "content/.urls:") ||
		!strings.Contains(res.Diags.Err().Error(), "URL /guide/referral-pathways/ was published before and no page serves it now") {
		t.Fatalf("expected manifest errors, got %v", res.Diags)
	}
	// Deleting pages on purpose means deleting their lines.
	urls, _ := os.ReadFile(filepath.Join(src, "content", ".urls"))
	var keep []string
	for _, line := range strings.Split(string(urls), "\n") {
		if strings.Contains(line, "referral-pathways") || strings.Contains(line, "liverpool") || strings.Contains(line, "nhs-commissioning") ||
			strings.Contains(line, "f02") || strings.Contains(line, "r02") || line == "/f/2/" || line == "/r/2/" {
			continue
		}
		keep = append(keep, line)
	}
	testsite.Write(t, src, "content/.urls", strings.Join(keep, "\n"))
	res = Build(Options{Source: src})
	if res.Failed() {
		t.Fatalf("rebuild failed: %v", res.Diags.Err())
	}
	if _, err := os.Stat(filepath.Join(dest, "guide", "referral-pathways", "index.html")); err == nil {
		t.Error("the removed chapter's page is still in the output")
	}
}

// TestURLManifest checks that a build records published URLs, and that
// renaming a page without an alias is an error that names the fix.
func TestURLManifest(t *testing.T) {
	src := testsite.New(t, testsite.Fixture())
	buildFixture(t, Options{Source: src})
	urls, err := os.ReadFile(filepath.Join(src, "content", ".urls"))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"/\n", "/guide/referral-pathways/\n", "/f/1/\n", "/r/2/\n"} {
		if !strings.Contains(string(urls), u) {
			t.Errorf("manifest lacks %q", u)
		}
	}
	old := filepath.Join(src, "content", "guide", "02-referral-pathways.md")
	b, _ := os.ReadFile(old)
	os.Remove(old)
	testsite.Write(t, src, "content/guide/02-referral-routes.md", string(b))
	testsite.Write(t, src, "content/guide/01-what-is-an-hjp.md", "---\ntitle: One\nsummary: S.\n---\nText.\n")
	res := Build(Options{Source: src})
	want := `URL /guide/referral-pathways/ was published before and no page serves it now: if content/guide/02-referral-routes.md replaced it, add "aliases: [/guide/referral-pathways/]" to its front matter, or delete this line if the page is gone for good`
	if !res.Failed() || !strings.Contains(res.Diags.Err().Error(), want) {
		t.Fatalf("want %q in %v", want, res.Diags)
	}
	testsite.Write(t, src, "content/guide/02-referral-routes.md", strings.Replace(string(b), "weight: 2\n", "weight: 2\naliases: [/guide/referral-pathways/]\n", 1))
	res = Build(Options{Source: src})
	if res.Failed() {
		t.Fatalf("with the alias: %v", res.Diags.Err())
	}
	urls, _ = os.ReadFile(filepath.Join(src, "content", ".urls"))
	if !strings.Contains(string(urls), "/guide/referral-routes/\n") {
		t.Error("the new URL was not added to the manifest")
	}
	redirect, err := os.ReadFile(filepath.Join(src, "public", "guide", "referral-pathways", "index.html"))
	if err != nil || !strings.Contains(string(redirect), `url=/guide/referral-routes/`) {
		t.Errorf("old URL does not redirect: %v %s", err, redirect)
	}
}
