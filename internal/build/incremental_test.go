package build

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"hjp/internal/publish"
	"hjp/internal/search"
	"hjp/internal/testsite"
)

// edit changes a site folder.
type edit struct {
	name string
	do   func(t *testing.T, dir string)
	// full is the reason an incremental build must give for rendering
	// everything, or "" when it must not.
	full string
	// maxRendered bounds the outputs rendered when not full (0: no bound).
	maxRendered int
	// changed must be among the changed outputs.
	changed []string
	// fails is set for an edit that breaks the build.
	fails bool
	// reuse says whether the last graph must be reused (body text only).
	reuse bool
}

func replaceIn(rel, old, new string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), old) {
			t.Fatalf("%s does not contain %q", rel, old)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const newFinding = `---
title: Advisers need time in clinical meetings
summary: Partnerships worked better where advisers joined team meetings.
id: F4
factor: health-services
themes: [referral]
---

Teams that invited the adviser to their meetings referred more patients.
`

// incrementalEdits covers every kind of change an editor makes; after each
// one the incremental build must equal a full build byte for byte.
var incrementalEdits = []edit{
	// A body edit renders the page, its BibTeX and RIS files and the
	// search page (the index's name changes), besides the search index:
	// no listing (sitemap, feed, datasets) shows body text, and a
	// finding is in no print page.
	{name: "body text of a finding", do: replaceIn("content/findings/f02-gp-consultations.md", "no change in the three-month", "no change at all in the three-month"),
		maxRendered: 4, changed: []string{"findings/f02-gp-consultations/index.html"}, reuse: true},
	{name: "paragraph added to two pages", do: func(t *testing.T, dir string) {
		replaceIn("content/findings/f02-gp-consultations.md", "[@woodhead2018colocated].", "[@woodhead2018colocated].\n\nA second paragraph.")(t, dir)
		replaceIn("content/guide/02-referral-pathways.md", "which routes work.", "which routes work.\n\nAnd when.")(t, dir)
	}, changed: []string{"findings/f02-gp-consultations/index.html", "guide/referral-pathways/index.html"}, reuse: true},
	{name: "link added in body text", do: replaceIn("content/findings/f02-gp-consultations.md", "A second paragraph.", "A second [paragraph](f01-access-to-advice.md)."),
		changed: []string{"findings/f02-gp-consultations/index.html"}},
	{name: "nothing changed", do: func(*testing.T, string) {}, maxRendered: 0, reuse: true},
	{name: "same bytes written again", do: replaceIn("content/findings/f02-gp-consultations.md", "no change at all", "no change at all"), maxRendered: 0, reuse: true},
	{name: "title of a finding", do: replaceIn("content/findings/f01-access-to-advice.md", "title: Partnerships help people reach advice", "title: Partnerships help patients reach advice"),
		changed: []string{"findings/f01-access-to-advice/index.html", "guide/what-is-an-hjp/index.html", "findings/index.html"}},
	{name: "heading in a chapter", do: replaceIn("content/guide/02-referral-pathways.md", "## What to record", "## What to write down"),
		changed: []string{"guide/referral-pathways/index.html"}},
	{name: "chapter order", do: replaceIn("content/guide/02-referral-pathways.md", "weight: 2", "weight: 1"),
		changed: []string{"guide/index.html", "guide/what-is-an-hjp/index.html", "guide/referral-pathways/index.html"}},
	{name: "new finding", do: func(t *testing.T, dir string) { testsite.Write(t, dir, "content/findings/f04-meetings.md", newFinding) },
		changed: []string{"findings/f04-meetings/index.html", "f/4/index.html", "findings/index.html", "themes/referral/index.html", "_redirects"}},
	{name: "link to the new finding", do: replaceIn("content/findings/f02-gp-consultations.md", "received advice", "received advice (see [meetings](f04-meetings.md))"),
		changed: []string{"findings/f02-gp-consultations/index.html"}},
	{name: "relation to the new finding", do: replaceIn("content/guide/02-referral-pathways.md", "findings: [F2]", "findings: [F2, F4]"),
		changed: []string{"guide/referral-pathways/index.html"}},
	{name: "theme tag added", do: replaceIn("content/findings/f02-gp-consultations.md", "settings: [primary-care]", "settings: [primary-care]\nthemes: [referral]"),
		changed: []string{"themes/referral/index.html"}},
	{name: "reference title", do: replaceIn("content/references.yaml", "Impact of co-located welfare advice", "The impact of co-located welfare advice"),
		changed: []string{"findings/f02-gp-consultations/index.html", "references/index.html"}},
	{name: "citation added", do: replaceIn("content/findings/f04-meetings.md", "more patients.", "more patients [@tlef2018landscape]."),
		changed: []string{"findings/f04-meetings/index.html", "references/index.html"}},
	{name: "broken link", do: replaceIn("content/findings/f04-meetings.md", "more patients", "more [patients](nowhere.md)"), fails: true},
	// Back to the last good build's content: nothing to render, and the
	// last good graph is reused.
	{name: "broken link fixed", do: replaceIn("content/findings/f04-meetings.md", "more [patients](nowhere.md)", "more patients"), maxRendered: 0, reuse: true},
	{name: "relation and link removed", do: func(t *testing.T, dir string) {
		replaceIn("content/guide/02-referral-pathways.md", "findings: [F2, F4]", "findings: [F2]")(t, dir)
		replaceIn("content/findings/f02-gp-consultations.md", " (see [meetings](f04-meetings.md))", "")(t, dir)
	}},
	{name: "page deleted", do: func(t *testing.T, dir string) {
		if err := os.Remove(filepath.Join(dir, "content/findings/f04-meetings.md")); err != nil {
			t.Fatal(err)
		}
	}, changed: []string{"findings/index.html", "_redirects"}},
	{name: "page renamed", do: func(t *testing.T, dir string) {
		if err := os.Rename(filepath.Join(dir, "content/pages/about.md"), filepath.Join(dir, "content/pages/about-us.md")); err != nil {
			t.Fatal(err)
		}
	}, changed: []string{"pages/about-us/index.html"}},
	{name: "draft published", do: replaceIn("content/findings/f03-draft-finding.md", "draft: true", "draft: false"),
		changed: []string{"findings/index.html"}},
	{name: "static file", do: func(t *testing.T, dir string) {
		testsite.Write(t, dir, "content/guide/diagram.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
	},
		changed: []string{"guide/diagram.svg"}},
	// The glossary: a definition shows only on the glossary page; a new
	// term links its first use on other pages (and in the print page).
	{name: "glossary definition", do: replaceIn("content/pages/glossary.md", "to the adviser in person.", "to the adviser face to face."),
		changed: []string{"pages/glossary/index.html"}},
	{name: "glossary term added", do: replaceIn("content/pages/glossary.md", "  - term: Warm referral", "  - term: Welfare rights advice\n    definition: Help to claim benefits and sort out debt, housing and work.\n  - term: Warm referral"),
		changed: []string{"pages/glossary/index.html", "guide/what-is-an-hjp/index.html", "guide/print/index.html"}},
	{name: "glossary term renamed", do: replaceIn("content/pages/glossary.md", "term: Welfare rights advice", "term: Welfare rights"),
		changed: []string{"pages/glossary/index.html", "guide/what-is-an-hjp/index.html", "guide/print/index.html"}},
	// A finding's factor, setting and strength: its facet pages, the
	// evidence map (its own page and the home page's) and the search
	// page's facet counts.
	{name: "finding factor, setting and strength", do: func(t *testing.T, dir string) {
		replaceIn("content/findings/f01-access-to-advice.md", "factor: referral-access", "factor: co-location")(t, dir)
		replaceIn("content/findings/f01-access-to-advice.md", "strength: strong", "strength: moderate")(t, dir)
		replaceIn("content/findings/f01-access-to-advice.md", "settings: [primary-care, hospital]", "settings: [primary-care]")(t, dir)
	}, changed: []string{"findings/factor/co-location/index.html", "findings/strength/moderate/index.html", "findings/setting/primary-care/index.html",
		"findings/index.html", "evidence-map/index.html", "index.html", "search/index.html"}},
	// Body text of a guide chapter: the chapter, the guide's print page
	// and the search index, and nothing that shows only front matter.
	{name: "body text of a chapter", do: replaceIn("content/guide/02-referral-pathways.md", "Record who referred each patient", "Record who referred every patient"),
		maxRendered: 5, changed: []string{"guide/referral-pathways/index.html", "guide/print/index.html", "search/index.html"}, reuse: true},
	// A funding model's front matter: the comparison page, the chart on
	// the funding report's overview and its print page.
	{name: "funding model front matter", do: func(t *testing.T, dir string) {
		replaceIn("content/funding/nhs-commissioning.md", "risk: medium", "risk: high")(t, dir)
		replaceIn("content/funding/nhs-commissioning.md", "duration: Often several years", "duration: Usually three to five years")(t, dir)
	}, changed: []string{"funding/compare/index.html", "funding/index.html", "funding/print/index.html", "funding/nhs-commissioning/index.html"}},
	{name: "site.yaml", do: replaceIn("content/site.yaml", "title: ", "title: The "), full: "site.yaml changed"},
	{name: "layout", do: replaceIn("themes/default/layouts/partials/footer.html", "<footer", "<footer data-x=\"1\""), full: "layouts changed", reuse: true},
	{name: "stylesheet", do: func(t *testing.T, dir string) {
		p := filepath.Join(dir, "themes/default/assets/css/main.css")
		b, _ := os.ReadFile(p)
		os.WriteFile(p, append(b, "\n.x { color: red; }\n"...), 0o644)
	}, full: "theme assets changed", reuse: true},
}

func TestIncrementalEqualsFull(t *testing.T) {
	checkEdits(t, testsite.New(t, testsite.Fixture()), incrementalEdits, false)
}

// TestIncrementalTwoPhasesEqualFull makes the same edits with serve's two
// phases: after BuildPages every output but the search outputs equals a
// full build's, the search outputs are still the last good build's (the
// search page and every index file it names), and after BuildSearch
// everything equals a full build.
func TestIncrementalTwoPhasesEqualFull(t *testing.T) {
	checkEdits(t, testsite.New(t, testsite.Fixture()), incrementalEdits, true)
}

// starterEdits are edits on the real content: a chapter's body text, a
// new glossary term, a finding's strength and a funding model's risk.
var starterEdits = []edit{
	{name: "body text of a chapter", do: replaceIn("content/guide/05-referral-pathways.md", "Offer more than one way in.", "Offer more than one way in, always."),
		maxRendered: 5, changed: []string{"guide/referral-pathways/index.html", "guide/print/index.html"}, reuse: true},
	// A link is never a glossary link: the chapter's "open booking" is
	// one, so only the finding of that name gains a glossary link.
	{name: "glossary term added", do: replaceIn("content/pages/glossary.md", "- term: Additional Roles Reimbursement Scheme", "- term: Open booking\n  definition: Booking straight into an adviser's diary, with no referral.\n- term: Additional Roles Reimbursement Scheme"),
		changed: []string{"pages/glossary/index.html", "findings/f05-open-booking/index.html"}},
	{name: "finding strength", do: replaceIn("content/findings/f01-close-collaboration.md", "strength: moderate", "strength: strong"),
		changed: []string{"findings/f01-close-collaboration/index.html", "findings/strength/strong/index.html", "evidence-map/index.html", "index.html"}},
	{name: "funding model risk", do: replaceIn("content/funding/nhs-commissioning.md", "risk: low", "risk: medium"),
		changed: []string{"funding/nhs-commissioning/index.html", "funding/compare/index.html", "funding/index.html", "funding/print/index.html"}},
}

// TestIncrementalEqualsFullStarter makes the same check on a copy of the
// site's own content, with every theme feature in use.
func TestIncrementalEqualsFullStarter(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole content several times")
	}
	checkEdits(t, testsite.Starter(t), starterEdits, false)
}

// TestIncrementalTwoPhasesEqualFullStarter is
// TestIncrementalTwoPhasesEqualFull on the site's own content.
func TestIncrementalTwoPhasesEqualFullStarter(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole content several times")
	}
	checkEdits(t, testsite.Starter(t), starterEdits, true)
}

// checkEdits builds the site in dir incrementally, then makes each edit
// and builds again: every build must equal a full build byte for byte,
// render no more than the edit says, and change what it says. With
// twoPhase it builds as serve does, BuildPages then BuildSearch.
func checkEdits(t *testing.T, dir string, edits []edit, twoPhase bool) {
	t.Helper()
	opts := Options{Source: dir, BaseURL: "https://example.org/"}
	inc := NewIncremental(os.DirFS(dir), opts)
	build := inc.Build
	if twoPhase {
		build = inc.BuildPages
	}
	first := build()
	if first.Failed() {
		t.Fatalf("first build failed:\n%v", first.Diags.Err())
	}
	if first.Full != "first build" || len(first.Changed) != len(first.Files) {
		t.Errorf("first build: full %q, %d changed of %d", first.Full, len(first.Changed), len(first.Files))
	}
	sameAsFull(t, dir, opts, first.Files)
	if inc.PendingSearch() != nil {
		t.Errorf("the first build left search work: it must index")
	}
	last := first.Files
	for _, e := range edits {
		e.do(t, dir)
		rb := build()
		if e.fails {
			if !rb.Failed() || rb.Files != nil {
				t.Fatalf("%s: the build should fail", e.name)
			}
			continue
		}
		if rb.Failed() {
			t.Fatalf("%s: build failed:\n%v", e.name, rb.Diags.Err())
		}
		if rb.GraphReused != e.reuse {
			t.Errorf("%s: graph reused = %v, want %v", e.name, rb.GraphReused, e.reuse)
		}
		if rb.Full != e.full {
			t.Errorf("%s: full = %q, want %q", e.name, rb.Full, e.full)
		}
		// The search index is written whole when any page changes, so it
		// is left out of the counts.
		rendered, files := notIndex(rb.RenderedPaths), notIndex(slices.Collect(maps.Keys(rb.Files)))
		if e.full == "" && e.maxRendered >= 0 && rendered >= files/2 {
			t.Errorf("%s: rendered %d of %d outputs; an edit like this must not render most of the site", e.name, rendered, files)
		}
		if e.maxRendered > 0 && rendered > e.maxRendered {
			t.Errorf("%s: rendered %d outputs %v, want at most %d", e.name, rendered, rb.RenderedPaths, e.maxRendered)
		}
		if e.name == "nothing changed" || e.name == "same bytes written again" {
			if rb.Rendered != 0 || rb.Markdown != 0 || len(rb.Changed)+len(rb.Removed) != 0 {
				t.Errorf("%s: rendered %d, Markdown %d, changed %v, removed %v; want nothing", e.name, rb.Rendered, rb.Markdown, rb.Changed, rb.Removed)
			}
		}
		if e.name == "broken link fixed" && len(rb.Changed)+len(rb.Removed) != 0 {
			t.Errorf("%s: changed %v, removed %v; want nothing", e.name, rb.Changed, rb.Removed)
		}
		for _, c := range e.changed {
			if !slices.Contains(rb.Changed, c) && !(twoPhase && isSearchOutput(c)) {
				t.Errorf("%s: %s is not among the changed outputs %v", e.name, c, rb.Changed)
			}
		}
		if os.Getenv("HJPDEBUG") != "" {
			for _, r := range rb.RenderedPaths {
				if !slices.Contains(rb.Changed, r) && !strings.HasPrefix(r, "search/index/") {
					t.Logf("  unchanged: %s", r)
				}
			}
		}
		t.Logf("%s: rendered %d outputs, %d Markdown, %d changed, %d removed, full %q, graph reused %v", e.name, rb.Rendered, rb.Markdown, len(rb.Changed), len(rb.Removed), rb.Full, rb.GraphReused)
		if !twoPhase {
			sameAsFull(t, dir, opts, rb.Files)
			continue
		}
		last = checkSearchPhase(t, e, dir, opts, inc, rb, last)
	}
}

// checkSearchPhase checks a BuildPages result rb against a full build
// (all but the search outputs) and the last good files (the search
// outputs), then runs BuildSearch and checks that everything equals a
// full build. It returns the files after both phases.
func checkSearchPhase(t *testing.T, e edit, dir string, opts Options, inc *Incremental, rb Rebuild, last map[string][]byte) map[string][]byte {
	t.Helper()
	if slices.ContainsFunc(rb.RenderedPaths, isSearchOutput) && inc.PendingSearch() != nil {
		t.Errorf("%s: BuildPages rendered search outputs while deferring them", e.name)
	}
	if (e.full != "") != (inc.PendingSearch() == nil) {
		t.Errorf("%s: search work pending = %v; want it only when not everything is rendered", e.name, inc.PendingSearch() != nil)
	}
	sameAsFullBut(t, dir, opts, rb.Files, isSearchOutput)
	for p, data := range rb.Files {
		if isSearchOutput(p) && inc.PendingSearch() != nil && string(last[p]) != string(data) {
			t.Errorf("%s: BuildPages changed the search output %s", e.name, p)
		}
	}
	for p := range last {
		if _, ok := rb.Files[p]; isSearchOutput(p) && !ok && inc.PendingSearch() != nil {
			t.Errorf("%s: BuildPages removed the search output %s", e.name, p)
		}
	}
	checkIndexNamed(t, e.name, rb.Files)
	changed := slices.Clone(rb.Changed)
	files := rb.Files
	pending := inc.PendingSearch() != nil
	if rs, ok := inc.BuildSearch(context.Background()); ok != pending {
		t.Errorf("%s: BuildSearch ran = %v, want %v", e.name, ok, pending)
	} else if ok {
		if rs.Failed() {
			t.Fatalf("%s: BuildSearch failed:\n%v", e.name, rs.Diags.Err())
		}
		for _, p := range append(slices.Clone(rs.Changed), rs.Removed...) {
			if !isSearchOutput(p) {
				t.Errorf("%s: BuildSearch changed %s, which is not a search output", e.name, p)
			}
		}
		if (e.name == "nothing changed" || e.name == "broken link fixed") && len(rs.Changed)+len(rs.Removed) > 0 {
			t.Errorf("%s: BuildSearch changed %v, removed %v; want nothing", e.name, rs.Changed, rs.Removed)
		}
		changed = append(changed, rs.Changed...)
		files = rs.Files
	}
	for _, c := range e.changed {
		if !slices.Contains(changed, c) {
			t.Errorf("%s: %s is not among the outputs the two phases changed %v", e.name, c, changed)
		}
	}
	if inc.PendingSearch() != nil {
		t.Errorf("%s: search work still pending after BuildSearch", e.name)
	}
	checkIndexNamed(t, e.name, files)
	sameAsFull(t, dir, opts, files)
	return files
}

// isSearchOutput reports the outputs serve brings up to date in its
// second phase: the search page and the index files.
func isSearchOutput(p string) bool {
	return p == "search/index.html" || strings.HasPrefix(p, "search/index/")
}

// checkIndexNamed checks that the search page names an index metadata
// file that is among files, and that every file that metadata names is.
func checkIndexNamed(t *testing.T, name string, files map[string][]byte) {
	t.Helper()
	for _, p := range indexFilesNamed(t, files) {
		if _, ok := files[p]; !ok {
			t.Errorf("%s: the search page needs %s, which is not published", name, p)
		}
	}
}

// notIndex counts the paths that are not search index files.
func notIndex(paths []string) int {
	n := 0
	for _, p := range paths {
		if !strings.HasPrefix(p, "search/index/") {
			n++
		}
	}
	return n
}

// sameAsFull fails the test when files differ from a full build of dir.
func sameAsFull(t *testing.T, dir string, opts Options, files map[string][]byte) {
	t.Helper()
	sameAsFullBut(t, dir, opts, files, func(string) bool { return false })
}

// sameAsFullBut is sameAsFull for the files skip does not report.
func sameAsFullBut(t *testing.T, dir string, opts Options, files map[string][]byte, skip func(string) bool) {
	t.Helper()
	mem := publish.NewMemory()
	res := Run(os.DirFS(dir), opts, mem)
	if res.Failed() {
		t.Fatalf("full build failed:\n%v", res.Diags.Err())
	}
	for p, want := range mem.Files {
		if skip(p) {
			continue
		}
		got, ok := files[p]
		switch {
		case !ok:
			t.Errorf("incremental build lacks %s", p)
		case string(got) != string(want):
			t.Errorf("incremental %s differs from the full build:\n%s", p, firstDiff(string(want), string(got)))
		}
	}
	for p := range files {
		if _, ok := mem.Files[p]; !ok && !skip(p) {
			t.Errorf("incremental build has %s, which the full build does not", p)
		}
	}
}

// indexFilesNamed returns the index metadata file the search page names
// and every file that metadata names.
func indexFilesNamed(t *testing.T, files map[string][]byte) []string {
	t.Helper()
	m := regexp.MustCompile(`data-search-index="/([^"]+)"`).FindSubmatch(files["search/index.html"])
	if m == nil {
		t.Fatalf("the search page names no index")
	}
	meta := string(m[1])
	data, ok := files[meta]
	if !ok {
		return []string{meta}
	}
	named, err := search.MetaFiles(data)
	if err != nil {
		t.Fatalf("%s: %v", meta, err)
	}
	return append(named, meta)
}
