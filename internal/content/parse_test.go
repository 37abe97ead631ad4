package content

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"hjp/internal/config"
	"hjp/internal/diag"
	"hjp/internal/testsite"
)

func testSite(t testing.TB) *config.Site {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(testsite.Fixture(), "content", "site.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s, d := config.Parse(src, config.Options{})
	if s == nil {
		t.Fatalf("fixture site.yaml: %v", d)
	}
	return s
}

// TestSchemaErrors checks the exact message and position of every kind of
// front-matter error.
func TestSchemaErrors(t *testing.T) {
	site := testSite(t)
	tests := []struct {
		name, path, src string
		want            []string // "line:col: severity: message"
	}{
		{
			name: "missing required field",
			path: "content/findings/f03-x.md",
			src:  "---\ntitle: T\nsummary: S\nid: F3\n---\nBody\n",
			want: []string{`1:1: error: missing required field "factor"`},
		},
		{
			name: "unknown field with suggestion",
			path: "content/findings/f03-x.md",
			src:  "---\ntitle: T\nsummary: S\nid: F3\nfactor: collaboration\nstrenght: strong\n---\n",
			want: []string{`6:1: error: unknown field "strenght" (did you mean "strength"?)`},
		},
		{
			name: "unknown field without suggestion",
			path: "content/guide/01-x.md",
			src:  "---\ntitle: T\nsummary: S\ncolour: blue\n---\n",
			want: []string{`4:1: error: unknown field "colour"`},
		},
		{
			name: "wrong type",
			path: "content/guide/01-x.md",
			src:  "---\ntitle: T\nsummary: S\nweight: first\n---\n",
			want: []string{`4:9: error: "weight" must be a whole number, not "first"`},
		},
		{
			name: "wrong type: list for text",
			path: "content/guide/01-x.md",
			src:  "---\ntitle: [a, b]\nsummary: S\n---\n",
			want: []string{`2:8: error: "title" must be text, not a list`},
		},
		{
			name: "bad date",
			path: "content/guide/01-x.md",
			src:  "---\ntitle: T\nsummary: S\nupdated: 2026-13-01\n---\n",
			want: []string{`4:10: error: "updated" must be a date (YYYY-MM-DD), not "2026-13-01"`},
		},
		{
			name: "value not in vocabulary, with suggestion",
			path: "content/case-studies/x.md",
			src:  "---\ntitle: T\nsummary: S\nsetting: hospitl\nmodel: referral\n---\n",
			want: []string{`4:10: error: unknown setting "hospitl" (did you mean "hospital"?)`},
		},
		{
			name: "list value not in vocabulary",
			path: "content/findings/f03-x.md",
			src:  "---\ntitle: T\nsummary: S\nid: F3\nfactor: collaboration\nsettings: [primary-care, prison]\n---\n",
			want: []string{`6:26: error: unknown setting "prison": use one of primary-care, hospital, mental-health, maternity-early-years, cancer-palliative, community, other, or add it to the settings list in content/site.yaml`},
		},
		{
			name: "malformed ID",
			path: "content/findings/f03-x.md",
			src:  "---\ntitle: T\nsummary: S\nid: F3a\nfactor: collaboration\n---\n",
			want: []string{`4:5: error: id "F3a" is not a finding ID: write F followed by a number, like F3`},
		},
		{
			name: "smart quotes in an ID",
			path: "content/recommendations/r01-x.md",
			src:  "---\ntitle: T\nsummary: S\nid: ‘R1’\naudience: [commissioners]\n---\n",
			want: []string{`4:5: error: id "‘R1’" is not a recommendation ID: write R followed by a number, like R3`},
		},
		{
			name: "malformed ID in a relation",
			path: "content/recommendations/r01-x.md",
			src:  "---\ntitle: T\nsummary: S\nid: R1\naudience: [commissioners]\nfindings: [F1, 3]\n---\n",
			want: []string{`6:11: error: id "3" is not a finding ID: write F followed by a number, like F3`},
		},
		{
			name: "unterminated front matter",
			path: "content/guide/01-x.md",
			src:  "---\ntitle: T\nsummary: S\n\nBody text\n",
			want: []string{`1:1: error: front matter is not closed: add a line with just --- after the last field`},
		},
		{
			name: "missing front matter",
			path: "content/guide/01-x.md",
			src:  "# Title\n\nBody\n",
			want: []string{`1:1: error: missing front matter: start the file with a line ---, then title: and summary: lines, then ---`},
		},
		{
			name: "invalid YAML mapped to the file line",
			path: "content/guide/01-x.md",
			src:  "---\ntitle: T\nsummary: S: more: colons\n---\n",
			want: []string{`3:1: error: invalid front matter: mapping values are not allowed in this context`},
		},
		{
			name: "tab indentation",
			path: "content/guide/01-x.md",
			src:  "---\ntitle: T\nsummary: S\nthemes:\n\t- housing\n---\n",
			want: []string{`5:2: error: invalid front matter: found character that cannot start any token`},
		},
		{
			name: "non-UTF-8 file",
			path: "content/guide/01-x.md",
			src:  "---\ntitle: Caf\xe9\nsummary: S\n---\n",
			want: []string{`2:11: error: file is not valid UTF-8 (byte 0xe9): save it with UTF-8 encoding`},
		},
		{
			name: "empty file",
			path: "content/guide/01-x.md",
			src:  "\n  \n",
			want: []string{`1:1: error: file is empty: a page needs front matter between --- lines with at least a title and a summary`},
		},
		{
			name: "empty required field",
			path: "content/guide/01-x.md",
			src:  "---\ntitle: T\nsummary:\n---\n",
			want: []string{`3:1: error: field "summary" is empty`},
		},
		{
			name: "anchors and aliases",
			path: "content/guide/01-x.md",
			src:  "---\ntitle: &t T\nsummary: *t\n---\n",
			want: []string{`2:8: error: YAML anchors and aliases (& and *) are not allowed in front matter: write the value out in full`},
		},
		{
			name: "NUL byte",
			path: "content/guide/01-x.md",
			src:  "---\ntitle: T\x00\nsummary: S\n---\n",
			want: []string{`2:9: error: file contains a NUL byte: is it a binary file saved with a .md name?`},
		},
		{
			name: "field given twice",
			path: "content/guide/01-x.md",
			src:  "---\ntitle: T\nsummary: S\ntitle: U\n---\n",
			want: []string{`4:1: error: field "title" is given twice`},
		},
		{
			name: "several problems at once",
			path: "content/findings/f03-x.md",
			src:  "---\ntitle: T\nid: X3\nfactor: colaboration\nstrength: strng\n---\n",
			want: []string{
				`1:1: error: missing required field "summary"`,
				`3:5: error: id "X3" is not a finding ID: write F followed by a number, like F3`,
				`4:9: error: unknown factor "colaboration" (did you mean "collaboration"?)`,
				`5:11: error: unknown strength "strng" (did you mean "strong"?)`,
			},
		},
		{
			name: "CRLF line endings and a BOM are fine",
			path: "content/guide/01-x.md",
			src:  "\ufeff---\r\ntitle: T\r\nsummary: S\r\n---\r\nBody\r\n",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, d := ParsePage(tt.path, []byte(tt.src), site)
			got := positions(d.Sort())
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			for _, x := range d {
				if x.Path != tt.path {
					t.Errorf("path %q, want %q", x.Path, tt.path)
				}
			}
		})
	}
}

func positions(l diag.List) []string {
	var out []string
	for _, d := range l {
		s := d.String()
		out = append(out, s[len(d.Path)+1:])
	}
	return out
}

// TestUniqueness checks duplicate IDs and duplicate slugs across files.
func TestUniqueness(t *testing.T) {
	site := testSite(t)
	fsys := fstest.MapFS{
		"content/findings/f01-a.md":  {Data: []byte("---\ntitle: A\nsummary: S\nid: F1\nfactor: collaboration\n---\n")},
		"content/findings/f02-b.md":  {Data: []byte("---\ntitle: B\nsummary: S\nid: F1\nfactor: collaboration\n---\n")},
		"content/guide/01-intro.md":  {Data: []byte("---\ntitle: A\nsummary: S\n---\n")},
		"content/guide/02-intro.md":  {Data: []byte("---\ntitle: B\nsummary: S\n---\n")},
		"content/guide/Intro Two.md": {Data: []byte("---\ntitle: C\nsummary: S\n---\n")},
		"content/guide/intro-two.md": {Data: []byte("---\ntitle: D\nsummary: S\n---\n")},
	}
	_, d := Load(fsys, site, LoadOptions{})
	got := d.Sort()
	// Duplicate slugs (01-intro.md and 02-intro.md) are reported by the
	// site graph as a URL collision: see site.TestGraphErrors and the
	// slug-collision cases of build.TestBadInput.
	want := []string{
		`content/findings/f02-b.md:4:5: error: duplicate id "F1": content/findings/f01-a.md already uses it`,
	}
	var lines []string
	for _, x := range got {
		lines = append(lines, x.String())
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

func TestDraftsExcluded(t *testing.T) {
	site := testSite(t)
	fsys := fstest.MapFS{
		"content/guide/01-a.md": {Data: []byte("---\ntitle: A\nsummary: S\n---\n")},
		"content/guide/02-b.md": {Data: []byte("---\ntitle: B\nsummary: S\ndraft: true\n---\n")},
	}
	set, d := Load(fsys, site, LoadOptions{})
	if len(d) != 0 || len(set.Pages) != 1 || len(set.Drafts) != 1 {
		t.Fatalf("without --drafts: %d pages, %d drafts, %v", len(set.Pages), len(set.Drafts), d)
	}
	set, _ = Load(fsys, site, LoadOptions{Drafts: true})
	if len(set.Pages) != 2 || len(set.Drafts) != 0 {
		t.Fatalf("with --drafts: %d pages, %d drafts", len(set.Pages), len(set.Drafts))
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		rel, section string
		kind         Kind
		slug         string
	}{
		{"_index.md", "", KindHome, ""},
		{"guide/_index.md", "guide", KindSection, ""},
		{"guide/03-setting-up.md", "guide", KindChapter, "setting-up"},
		{"funding/blended.md", "funding", KindFundingChapter, "blended"},
		{"findings/f03-shared-goals.md", "findings", KindFinding, "f03-shared-goals"},
		{"recommendations/r12-fund.md", "recommendations", KindRecommendation, "r12-fund"},
		{"case-studies/Royal Free.md", "case-studies", KindCaseStudy, "royal-free"},
		{"pages/about.md", "pages", KindPage, "about"},
		{"guide/extra/notes.md", "guide", KindPage, "notes"},
		{"2024.md", "", KindPage, "2024"},
	}
	for _, tt := range tests {
		s, k, sl := classify(tt.rel)
		if s != tt.section || k != tt.kind || sl != tt.slug {
			t.Errorf("classify(%q) = %q, %q, %q; want %q, %q, %q", tt.rel, s, k, sl, tt.section, tt.kind, tt.slug)
		}
	}
}
