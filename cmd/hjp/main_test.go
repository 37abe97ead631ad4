package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hjp/internal/testsite"
)

func runHJP(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e, func(string) string { return "" })
	return code, o.String(), e.String()
}

func TestCheckStarterContent(t *testing.T) {
	// The repository's own content must check cleanly.
	code, out, errOut := runHJP("check", "--source", testsite.Root())
	if code != 0 {
		t.Fatalf("hjp check on content/ exited %d:\n%s", code, errOut)
	}
	if !strings.HasPrefix(out, "checked ") {
		t.Errorf("summary line = %q", out)
	}
	if _, err := os.Stat(filepath.Join(testsite.Root(), "public-check-must-not-exist")); err == nil {
		t.Error("check wrote output")
	}
}

func TestCheckBrokenCopyReportsEveryError(t *testing.T) {
	src := testsite.New(t, testsite.Fixture())
	testsite.Write(t, src, "content/findings/f09-bad.md", "---\ntitle: Bad\nsummary: S\nid: F9\nfactor: colaboration\n---\nSee [missing](f99-nothing.md) and [@nokey].\n")
	testsite.Write(t, src, "content/guide/09-bad.md", "---\ntitle: Bad\nsummary: S\nweigth: 3\n---\n")
	code, out, errOut := runHJP("check", "--source", src)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errOut)
	}
	want := []string{
		`content/findings/f09-bad.md:5:9: error: unknown factor "colaboration" (did you mean "collaboration"?)`,
		`content/findings/f09-bad.md:7:5: error: link to missing file "f99-nothing.md"`,
		`content/findings/f09-bad.md:7:35: error: unknown citation key "nokey"`,
		`content/guide/09-bad.md:4:1: error: unknown field "weigth" (did you mean "weight"?)`,
	}
	last := -1
	for _, w := range want {
		i := strings.Index(errOut, w)
		if i < 0 {
			t.Errorf("missing %q in:\n%s", w, errOut)
			continue
		}
		if i < last {
			t.Errorf("%q is out of order", w)
		}
		last = i
	}
	if !strings.Contains(errOut, "    factor: colaboration\n            ^\n") {
		t.Errorf("no caret under the column:\n%s", errOut)
	}
	if !strings.Contains(errOut, "check failed: ") {
		t.Errorf("no summary line:\n%s", errOut)
	}
}

func TestBuildSummaryAndExitCodes(t *testing.T) {
	src := testsite.New(t, testsite.Fixture())
	code, out, errOut := runHJP("build", "--source", src)
	if code != 0 {
		t.Fatalf("build exited %d: %s", code, errOut)
	}
	if !strings.HasPrefix(out, "built ") || !strings.Contains(out, " pages") || !strings.Contains(out, "warnings in ") {
		t.Errorf("summary line = %q", out)
	}
	if _, err := os.Stat(filepath.Join(src, "public", "index.html")); err != nil {
		t.Errorf("no public/index.html: %v", err)
	}
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{nil, 2, "Usage:"},
		{[]string{"biuld"}, 2, `unknown command "biuld" (did you mean "build"?)`},
		{[]string{"build", "--nope"}, 2, "flag provided but not defined: -nope"},
		{[]string{"build", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"build", "--source", filepath.Join(src, "missing")}, 2, "is not a folder"},
		{[]string{"build", "--source", src, "--base-url", "example.org"}, 2, "--base-url must be an absolute http(s) URL"},
		{[]string{"check", "--dest", "x"}, 2, "flag provided but not defined: -dest"},
		{[]string{"version"}, 0, "hjp "},
		{[]string{"help"}, 0, "Usage:"},
	}
	for _, tt := range tests {
		code, out, errOut := runHJP(tt.args...)
		if code != tt.code || !strings.Contains(out+errOut, tt.msg) {
			t.Errorf("hjp %v: exit %d, output %q; want exit %d with %q", tt.args, code, out+errOut, tt.code, tt.msg)
		}
	}
}

// TestCPUProfile checks HJP_CPUPROFILE: a build writes a profile (pprof's
// gzipped protocol buffer), and a path that cannot be created is a usage
// error.
func TestCPUProfile(t *testing.T) {
	src := testsite.New(t, testsite.Fixture())
	prof := filepath.Join(t.TempDir(), "cpu.prof")
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "HJP_CPUPROFILE" {
				return v
			}
			return ""
		}
	}
	var o, e bytes.Buffer
	if code := run([]string{"check", "--source", src}, &o, &e, env(prof)); code != 0 {
		t.Fatalf("exit %d: %s", code, e.String())
	}
	f, err := os.Open(prof)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("the profile is not gzipped: %v", err)
	}
	if b, err := io.ReadAll(zr); err != nil || len(b) == 0 {
		t.Errorf("the profile is empty or broken: %d bytes, %v", len(b), err)
	}
	e.Reset()
	bad := filepath.Join(t.TempDir(), "missing", "cpu.prof")
	if code := run([]string{"check", "--source", src}, &o, &e, env(bad)); code != 2 || !strings.Contains(e.String(), "HJP_CPUPROFILE") {
		t.Errorf("unwritable profile: exit %d, %q", code, e.String())
	}
}
