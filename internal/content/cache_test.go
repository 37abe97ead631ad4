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

// TestSetBytes checks Set.Bytes: the pages (drafts too), the bibliography
// and the URL manifest, with or without a cache, and not the settings or
// static files.
func TestSetBytes(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"content/site.yaml":         "title: T\n",
		"content/_index.md":         "---\ntitle: Home\nsummary: S\n---\nBody.\n",
		"content/pages/a.md":        "---\ntitle: A\nsummary: S\n---\nMore body.\n",
		"content/pages/d.md":        "---\ntitle: D\nsummary: S\ndraft: true\n---\nDraft.\n",
		"content/pages/picture.png": "not really a picture",
		ReferencesPath:              "[]\n",
		URLsPath:                    "/pages/a/\n",
	}
	want := int64(0)
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if filepath.Ext(name) == ".md" || name == ReferencesPath || name == URLsPath {
			want += int64(len(text))
		}
	}
	for _, c := range []*Cache{nil, NewCache()} {
		set, _ := Load(os.DirFS(dir), &config.Site{}, LoadOptions{Cache: c})
		if set.Bytes != want {
			t.Errorf("cache %v: Bytes = %d, want %d", c != nil, set.Bytes, want)
		}
	}
}
