package main

import (
	"strings"
	"testing"

	"hjp/internal/testsite"
)

// TestCheckEditorialWarnings: editorial problems are positioned warnings
// that leave the exit code at 0, and --strict makes them errors (exit 1).
func TestCheckEditorialWarnings(t *testing.T) {
	src := testsite.New(t, testsite.Fixture())
	testsite.Write(t, src, "content/guide/03-plain.md", "---\ntitle: Plain\nsummary: S.\n---\n\n#### Too deep\n\nTo apply, [click here](01-what-is-an-hjp.md).\n\n![](chart.png)\n")
	testsite.Write(t, src, "content/guide/chart.png", "png")
	want := []string{
		`content/guide/03-plain.md:6:1: warning: heading "Too deep" skips from H1 to H4: make it ## (H2) so screen reader users do not think a section is missing`,
		`content/guide/03-plain.md:8:11: warning: link text "click here" says nothing out of context: say where the link goes, like [the referral checklist](…)`,
		`content/guide/03-plain.md:10:1: warning: image has no alt text: describe what it shows, like ![Bar chart of referrals by month](chart.png)`,
	}
	code, out, errOut := runHJP("check", "--source", src)
	if code != 0 {
		t.Fatalf("warnings alone exited %d:\n%s%s", code, out, errOut)
	}
	for _, w := range want {
		if !strings.Contains(errOut, w) {
			t.Errorf("missing %q in:\n%s", w, errOut)
		}
	}
	code, out, errOut = runHJP("check", "--strict", "--source", src)
	if code != 1 {
		t.Fatalf("--strict exited %d, want 1:\n%s%s", code, out, errOut)
	}
	for _, w := range want {
		if e := strings.Replace(w, ": warning: ", ": error: ", 1); !strings.Contains(errOut, e) {
			t.Errorf("--strict: missing %q in:\n%s", e, errOut)
		}
	}
}
