package site

import (
	"path"
	"strings"
	"testing"
)

// FuzzContentPath holds contentPath, which is written for speed, to the
// plain reading of the rule: join a relative link to the page's folder,
// clean it from the root, and refuse it if the join climbs out of
// content/.
func FuzzContentPath(f *testing.F) {
	for _, s := range []string{
		"02-b.md", "../findings/f01-a.md", "/guide/02-b.md", "../../x.md", "/findings/", "..", "/", "./", ".",
		"./../guide/./02-b.md", "more/", "../about.md", "//x.md", "a//b/../c.md", "/../x.md", "../guide",
	} {
		f.Add(s)
	}
	dirs := []string{".", "guide", "guide/more", "/abs"}
	f.Fuzz(func(t *testing.T, p string) {
		for _, dir := range dirs {
			r := &resolver{dir: dir}
			got, gotOK := r.contentPath(p)
			rel := p
			if !strings.HasPrefix(p, "/") {
				rel = path.Join(dir, p)
			}
			want := strings.TrimPrefix(path.Clean("/"+rel), "/")
			j := path.Join(dir, p)
			wantOK := strings.HasPrefix(p, "/") || !(j == ".." || strings.HasPrefix(j, "../"))
			if gotOK != wantOK || wantOK && got != want {
				t.Errorf("from %s, %q: got %q, %v; want %q, %v", dir, p, got, gotOK, want, wantOK)
			}
		}
	})
}
