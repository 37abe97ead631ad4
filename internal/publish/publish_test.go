package publish

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestCheckPath(t *testing.T) {
	for _, p := range []string{"index.html", "a/b/index.html", "assets/x.css"} {
		if err := CheckPath(p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	for _, p := range []string{"", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", "a\\b", "a\x00b", ".."} {
		if CheckPath(p) == nil {
			t.Errorf("%q accepted", p)
		}
	}
}

func TestStageCommitAndAbort(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "public")
	s, err := NewStage(dest)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WriteFile("a/index.html", []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteFile("../escape", []byte("x")); err == nil {
		t.Error("wrote outside the stage")
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "a", "index.html")); string(b) != "one" {
		t.Fatalf("first commit: %q", b)
	}
	// Second build replaces the first entirely.
	s, _ = NewStage(dest)
	s.WriteFile("b.html", []byte("two"))
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dest, "a")); err == nil {
		t.Error("old file survived the swap")
	}
	// An aborted build leaves dest alone.
	s, _ = NewStage(dest)
	s.WriteFile("c.html", []byte("three"))
	s.Abort()
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "public" {
		t.Errorf("left behind: %v", entries)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "b.html")); string(b) != "two" {
		t.Error("abort touched the destination")
	}
}

func TestLeftoversOfDeadBuildsAreRemoved(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "public")
	// A staging folder of a process that no longer exists (pid 1<<30).
	dead := filepath.Join(dir, ".public.staging-1073741824-123")
	os.MkdirAll(dead, 0o755)
	s, err := NewStage(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Abort()
	if _, err := os.Stat(dead); err == nil {
		t.Error("leftover staging folder was not cleaned up")
	}
}

func TestAssetsFingerprint(t *testing.T) {
	fsys := fstest.MapFS{
		"theme/assets/css/a.css": {Data: []byte("a{}")},
		"theme/assets/css/b.css": {Data: []byte("b{}")},
		"theme/assets/js/app.js": {Data: []byte("let x=1")},
		"theme/assets/img/x.svg": {Data: []byte("<svg/>")},
		"theme/assets/.DS_Store": {Data: []byte("junk")},
	}
	assets, files, d := Assets(fsys, "theme/assets", nil)
	if len(d) != 0 {
		t.Fatal(d)
	}
	css := assets["style.css"]
	if !strings.HasPrefix(css.URL, "/assets/style.") || !strings.HasSuffix(css.URL, ".css") || !strings.HasPrefix(css.Integrity, "sha384-") {
		t.Errorf("style.css = %+v", css)
	}
	if len(files) != 3 {
		t.Errorf("files = %d, want 3 (one stylesheet, app.js, x.svg)", len(files))
	}
	for _, f := range files {
		if "/"+f.Path == css.URL && string(f.Data) != "a{}\nb{}\n" {
			t.Errorf("stylesheet is not a then b: %q", f.Data)
		}
	}
	// The name changes with the content and only then.
	again, _, _ := Assets(fsys, "theme/assets", nil)
	fsys["theme/assets/js/app.js"] = &fstest.MapFile{Data: []byte("let x=2")}
	changed, _, _ := Assets(fsys, "theme/assets", nil)
	if again["js/app.js"] != assets["js/app.js"] || changed["js/app.js"].URL == assets["js/app.js"].URL || changed["style.css"] != css {
		t.Error("fingerprints do not follow content")
	}
}

// TestCommitRemovesThePreviousSite checks the previous site is removed
// whole, files at every depth, when a build replaces it.
func TestCommitRemovesThePreviousSite(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "public")
	s, err := NewStage(dest)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"index.html", "a/index.html", "a/b/index.html", "a/b/c/d.html", "e/f/g/h/i.html"} {
		if err := s.WriteFile(p, []byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	s, _ = NewStage(dest)
	s.WriteFile("new.html", []byte("new"))
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	var left []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		left = append(left, p)
		return err
	})
	want := []string{dir, dest, filepath.Join(dest, "new.html")}
	if !slices.Equal(left, want) {
		t.Errorf("after the second commit:\n%q\nwant\n%q", left, want)
	}
}

// TestStageFolders writes files at several depths, some under folders
// made for earlier files: each lands where its path says, and a path
// under a file fails.
func TestStageFolders(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	s, err := NewStage(dest)
	if err != nil {
		t.Fatal(err)
	}
	files := []string{"top.txt", "a/b/c/index.html", "a/b/d/index.html", "a/b/index.html", "a/e.txt", "x/y/z/w/v.txt"}
	for _, p := range files {
		if err := s.WriteFile(p, []byte(p)); err != nil {
			t.Fatalf("WriteFile(%s): %v", p, err)
		}
	}
	if err := s.WriteFile("top.txt/under-a-file", nil); err == nil {
		t.Error("WriteFile under a file succeeded")
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, p := range files {
		if b, err := os.ReadFile(filepath.Join(dest, p)); err != nil || string(b) != p {
			t.Errorf("%s: %q, %v", p, b, err)
		}
	}
}
