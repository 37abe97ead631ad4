package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hjp/internal/content"
	"hjp/internal/testsite"
)

// 2026-11-26 00:00:00 UTC.
const epoch = "1795651200"

func runNewHJP(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e, func(k string) string {
		if k == "SOURCE_DATE_EPOCH" {
			return epoch
		}
		return ""
	})
	return code, o.String(), e.String()
}

// TestNewScaffolds makes one page of every kind in a copy of the fixture:
// each lands where its kind lives, with the next free ID or number, the
// title and today's date, and the site still checks (drafts included).
func TestNewScaffolds(t *testing.T) {
	src := testsite.New(t, testsite.Fixture())
	tests := []struct {
		kind, title, file string
		has               []string
	}{
		// F3 is a draft in the fixture: its ID is taken too.
		{"finding", "Advice reduces stress", "content/findings/f04-advice-reduces-stress.md", []string{"id: F4\n", "factor: collaboration\n"}},
		{"recommendation", "Fund advice for three years", "content/recommendations/r03-fund-advice-for-three-years.md", []string{"id: R3\n", "  - date: 2026-11-26\n    note: First published.\n"}},
		{"chapter", "Measuring impact", "content/guide/03-measuring-impact.md", []string{"weight: 3\n"}},
		{"case-study", "Advice in Leeds: “Help at hand”", "content/case-studies/advice-in-leeds-help-at-hand.md", []string{"title: 'Advice in Leeds: “Help at hand”'\n", "setting: "}},
		{"funding-model", "Social investment", "content/funding/social-investment.md", []string{"model: "}},
		{"funding-chapter", "Planning for the end of funding", "content/funding/planning-for-the-end-of-funding.md", nil},
		{"page", "Contact", "content/pages/contact.md", nil},
	}
	for _, tt := range tests {
		code, out, errOut := runNewHJP("new", tt.kind, tt.title, "--source", src)
		if code != 0 {
			t.Errorf("new %s: exit %d: %s", tt.kind, code, errOut)
			continue
		}
		if out != "created "+tt.file+" (a draft: remove its draft line to publish it)\n" {
			t.Errorf("new %s said %q", tt.kind, out)
		}
		b, err := os.ReadFile(filepath.Join(src, tt.file))
		if err != nil {
			t.Errorf("new %s: %v", tt.kind, err)
			continue
		}
		for _, want := range append(tt.has, "updated: 2026-11-26\n", "draft: true\n") {
			if !strings.Contains(string(b), want) {
				t.Errorf("%s lacks %q:\n%s", tt.file, want, b)
			}
		}
		if !strings.Contains(string(b), "title: ") || !strings.Contains(string(b), tt.title[:5]) {
			t.Errorf("%s lacks the title:\n%s", tt.file, b)
		}
	}
	if len(tests) != len(content.NewKinds()) {
		t.Errorf("tested %d kinds of %d", len(tests), len(content.NewKinds()))
	}
	if code, _, errOut := runHJP("check", "--drafts", "--strict", "--source", src); code != 0 {
		t.Errorf("the scaffolded drafts do not check:\n%s", errOut)
	}
	if code, _, errOut := runHJP("check", "--source", src); code != 0 {
		t.Errorf("the site with new drafts does not check:\n%s", errOut)
	}
	// The next finding takes the next ID again.
	if code, out, _ := runNewHJP("new", "finding", "Another one", "--source", src); code != 0 || !strings.Contains(out, "f05-another-one.md") {
		t.Errorf("second finding: %d %q", code, out)
	}
	// A recommendation once published as /r/9/ and since removed keeps its
	// ID: the list of published URLs remembers it.
	testsite.Write(t, src, "content/.urls", "/\n/r/9/\n")
	if code, out, _ := runNewHJP("new", "recommendation", "After a removed one", "--source", src); code != 0 || !strings.Contains(out, "r10-after-a-removed-one.md") {
		t.Errorf("after /r/9/ was published: %d %q", code, out)
	}
}

func TestNewErrors(t *testing.T) {
	src := testsite.New(t, testsite.Fixture())
	testsite.Write(t, src, "content/pages/contact.md", "---\ntitle: Contact\nsummary: S\n---\n")
	tests := []struct {
		name string
		args []string
		env  string
		code int
		want string
	}{
		{"unknown kind", []string{"new", "findng", "X"}, epoch, 2, `hjp new: unknown kind "findng" (did you mean "finding"?): hjp new makes one of chapter, funding-model, funding-chapter, case-study, finding, recommendation, page`},
		{"no title", []string{"new", "finding"}, epoch, 2, "hjp new: want a kind and a title"},
		{"extra argument", []string{"new", "finding", "A", "B"}, epoch, 2, "hjp new: want a kind and a title"},
		{"bad flag", []string{"new", "--sorce", ".", "finding", "A"}, epoch, 2, "hjp new: flag provided but not defined: -sorce"},
		{"title without letters", []string{"new", "page", "!!!"}, epoch, 1, `hjp new: title "!!!" has no letters or digits to name the file after`},
		{"existing file", []string{"new", "page", "Contact"}, epoch, 1, "hjp new: content/pages/contact.md already exists: hjp new never overwrites a file; choose another title"},
		{"bad epoch", []string{"new", "page", "X"}, "yesterday", 2, `hjp new: SOURCE_DATE_EPOCH must be seconds since 1970, not "yesterday"`},
	}
	for _, tt := range tests {
		var o, e bytes.Buffer
		code := run(append(tt.args, "--source", src), &o, &e, func(k string) string {
			if k == "SOURCE_DATE_EPOCH" {
				return tt.env
			}
			return ""
		})
		if code != tt.code || !strings.HasPrefix(e.String(), tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want %d, %q", tt.name, code, e.String(), tt.code, tt.want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(src, "content/pages/contact.md")); string(b) != "---\ntitle: Contact\nsummary: S\n---\n" {
		t.Error("the existing file was changed")
	}
}

// TestNewArchetypeErrors checks that a broken archetype is reported at its
// line and column, and that an archetype making an invalid page is refused.
func TestNewArchetypeErrors(t *testing.T) {
	src := testsite.New(t, testsite.Fixture())
	testsite.Write(t, src, "themes/default/archetypes/page.md", "---\ntitle: {{yaml .Title}}\nsummary: {{.Summry}}\n---\n")
	code, _, errOut := runNewHJP("new", "page", "X", "--source", src)
	if code != 1 || !strings.HasPrefix(errOut, "themes/default/archetypes/page.md:3:12: error: ") || !strings.Contains(errOut, "Summry") {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
	testsite.Write(t, src, "themes/default/archetypes/page.md", "---\ntitle: {{yaml .Title}}\n---\n")
	code, _, errOut = runNewHJP("new", "page", "X", "--source", src)
	if code != 1 || !strings.Contains(errOut, "the archetype makes a page hjp build rejects") || !strings.Contains(errOut, `missing required field "summary"`) {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(src, "content/pages/x.md")); err == nil {
		t.Error("a file was written from a broken archetype")
	}
}
