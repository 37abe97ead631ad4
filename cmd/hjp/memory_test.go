package main

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestSourceArg(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "."},
		{[]string{"--dest", "out"}, "."},
		{[]string{"--source", "site"}, "site"},
		{[]string{"-source", "site"}, "site"},
		{[]string{"--dest", "out", "--source=site"}, "site"},
		{[]string{"--source"}, "."},
		{[]string{"--", "--source", "site"}, "."},
		{[]string{"--sources", "site"}, "."},
	} {
		if got := sourceArg(tt.args); got != tt.want {
			t.Errorf("sourceArg(%q) = %q, want %q", tt.args, got, tt.want)
		}
	}
}

func TestContentBytes(t *testing.T) {
	dir := t.TempDir()
	if got := contentBytes(dir); got != 0 {
		t.Errorf("no content/: %d bytes, want 0", got)
	}
	for name, size := range map[string]int{"content/a.md": 10, "content/guide/b.md": 32, "themes/x.html": 100} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := contentBytes(dir); got != 42 {
		t.Errorf("contentBytes = %d, want 42 (content/ only)", got)
	}
}

func TestMemoryLimit(t *testing.T) {
	if got, want := memoryLimit(70<<20), int64(75*7<<20+64<<20); got != want {
		t.Errorf("memoryLimit(70 MiB) = %d, want %d", got, want)
	}
	if got := memoryLimit(math.MaxInt64 / 2); got != math.MaxInt64 {
		t.Errorf("memoryLimit(huge) = %d, want no limit", got)
	}
}
