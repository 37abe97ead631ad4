package content

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"hjp/internal/config"
)

func TestCacheSkipsOnlyFilesThatCannotHaveChanged(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "content", "pages", "a.md")
	os.MkdirAll(filepath.Dir(p), 0o755)
	write := func(title string, mod time.Time) {
		os.WriteFile(p, []byte("---\ntitle: "+title+"\nsummary: S\n---\nBody.\n"), 0o644)
		if !mod.IsZero() {
			os.Chtimes(p, mod, mod)
		}
	}
	site := &config.Site{}
	c := NewCache()
	load := func() string {
		t.Helper()
		set, _ := Load(os.DirFS(dir), site, LoadOptions{Cache: c})
		if len(set.Pages) != 1 {
			t.Fatalf("pages = %d", len(set.Pages))
		}
		return set.Pages[0].Meta.Title
	}
	// Rewritten at once with the same size: the time stamp may not have
	// moved, so the file must be read again.
	write("One", time.Time{})
	if got := load(); got != "One" {
		t.Fatalf("title %q", got)
	}
	write("Two", time.Time{})
	if got := load(); got != "Two" {
		t.Errorf("same-size rewrite within the same tick: title %q, want Two", got)
	}
	// An old file whose size and time are unchanged is not read: a
	// rewrite that restores both is (deliberately) not seen.
	old := time.Now().Add(-time.Hour)
	write("Old", old)
	if got := load(); got != "Old" {
		t.Fatalf("title %q", got)
	}
	write("New", old)
	if got := load(); got != "Old" {
		t.Errorf("an unchanged old file was read again: title %q", got)
	}
	write("New", old.Add(time.Second))
	if got := load(); got != "New" {
		t.Errorf("a changed time stamp was not seen: title %q", got)
	}
}
