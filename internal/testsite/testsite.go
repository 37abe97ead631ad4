// Package testsite gives tests a real site folder on disk: a copy of a
// fixture content tree together with the repository's default theme.
package testsite

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Root returns the repository root (the folder holding go.mod).
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Fixture is the path of the fixture site used across the tests.
func Fixture() string { return filepath.Join(Root(), "internal", "testsite", "testdata", "site") }

// New copies the content folder of fixture (a folder holding content/)
// and the repository's themes/ into a new temporary folder and returns it.
func New(t testing.TB, fixture string) string {
	t.Helper()
	dir := t.TempDir()
	if err := CopyDir(filepath.Join(fixture, "content"), filepath.Join(dir, "content")); err != nil {
		t.Fatal(err)
	}
	if err := CopyDir(filepath.Join(Root(), "themes"), filepath.Join(dir, "themes")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// CopyDir copies the tree at src to dst.
func CopyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}

// Write writes a file under dir, creating folders.
func Write(t testing.TB, dir, rel, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// ReadTree returns every file under dir by slash path.
func ReadTree(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Starter copies the repository's own content/ and themes/ into a new
// temporary folder and returns it: the starter site as editors have it.
func Starter(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	for _, sub := range []string{"content", "themes"} {
		if err := CopyDir(filepath.Join(Root(), sub), filepath.Join(dir, sub)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
