package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hjp/internal/testsite"
)

// TestBuildMinifiesByDefault checks that hjp build minifies unless told
// --minify=false, and that hjp help documents the flag.
func TestBuildMinifiesByDefault(t *testing.T) {
	src := testsite.New(t, testsite.Fixture())
	sizes := map[string]int{}
	for _, args := range [][]string{{}, {"--minify=false"}} {
		dest := filepath.Join(t.TempDir(), "public")
		code, _, errOut := runHJP(append([]string{"build", "--source", src, "--dest", dest}, args...)...)
		if code != 0 {
			t.Fatalf("build %v: exit %d\n%s", args, code, errOut)
		}
		b, err := os.ReadFile(filepath.Join(dest, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		// The layouts are indented; minified, no line is. (A newline
		// may stay where a layout's action meets markup, as the
		// minifier cannot see what the action writes.)
		minified := !strings.Contains(string(b), "\n ")
		if minified != (len(args) == 0) {
			t.Errorf("build %v: minified = %v", args, minified)
		}
		sizes[strings.Join(args, "")] = len(b)
	}
	if sizes[""] >= sizes["--minify=false"] {
		t.Errorf("minified home page %d bytes, unminified %d", sizes[""], sizes["--minify=false"])
	}
	if code, _, errOut := runHJP("check", "--minify=false", "--source", src); code != 2 || !strings.Contains(errOut, "flag provided but not defined: -minify") {
		t.Errorf("check --minify=false: exit %d %s", code, errOut)
	}
	_, out, _ := runHJP("help")
	for _, want := range []string{"--minify=false", `hjp new KIND "Title"`} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q", want)
		}
	}
}
