package build

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"hjp/internal/testsite"
)

// badSetups prepare the cases that cannot be plain files in git: huge or
// generated inputs, symlinks, unreadable files, missing base files. A setup
// may return a file system to build from instead of the folder.
var badSetups = map[string]func(t *testing.T, dir string) fs.FS{
	"empty-content": func(t *testing.T, dir string) fs.FS {
		os.RemoveAll(filepath.Join(dir, "content"))
		os.MkdirAll(filepath.Join(dir, "content"), 0o755)
		return nil
	},
	"missing-site-yaml": func(t *testing.T, dir string) fs.FS {
		os.Remove(filepath.Join(dir, "content", "site.yaml"))
		return nil
	},
	"no-home-page": func(t *testing.T, dir string) fs.FS {
		os.Remove(filepath.Join(dir, "content", "_index.md"))
		return nil
	},
	"long-line": func(t *testing.T, dir string) fs.FS {
		testsite.Write(t, dir, "content/guide/01-a.md", "---\ntitle: A\nsummary: S\n---\n"+strings.Repeat("word ", 400_000)+"\n")
		return nil
	},
	"huge-file": func(t *testing.T, dir string) fs.FS {
		testsite.Write(t, dir, "content/guide/01-a.md", "---\ntitle: A\nsummary: S\n---\n"+strings.Repeat("A paragraph of ordinary words.\n\n", 20<<20/32))
		return nil
	},
	"deep-list": func(t *testing.T, dir string) fs.FS {
		// 10,000 levels on one line, or by indentation, would take goldmark
		// seconds to minutes: both refused at once.
		testsite.Write(t, dir, "content/guide/01-a.md", "---\ntitle: A\nsummary: S\n---\n"+strings.Repeat("- ", 10_000)+"item\n")
		var b strings.Builder
		b.WriteString("---\ntitle: B\nsummary: S\n---\n")
		for i := range 10_000 {
			b.WriteString(strings.Repeat(" ", min(i, 100)) + "- item\n")
		}
		testsite.Write(t, dir, "content/guide/02-b.md", b.String())
		return nil
	},
	"deep-quote": func(t *testing.T, dir string) fs.FS {
		testsite.Write(t, dir, "content/guide/01-a.md", "---\ntitle: A\nsummary: S\n---\n"+strings.Repeat("> ", 10_000)+"quote\n")
		return nil
	},
	"symlink-outside": func(t *testing.T, dir string) fs.FS {
		if err := os.Symlink("/etc/passwd", filepath.Join(dir, "content", "secrets.md")); err != nil {
			t.Fatal(err)
		}
		return nil
	},
	"symlink-loop": func(t *testing.T, dir string) fs.FS {
		os.Symlink("loop-b", filepath.Join(dir, "content", "loop-a"))
		os.Symlink("loop-a", filepath.Join(dir, "content", "loop-b"))
		os.Symlink(".", filepath.Join(dir, "content", "self"))
		return nil
	},
	"unreadable-file": func(t *testing.T, dir string) fs.FS {
		p := filepath.Join(dir, "content", "guide", "01-a.md")
		os.Chmod(p, 0)
		// root reads files whatever their mode, so also deny it here.
		return denyFS{os.DirFS(dir), "content/guide/01-a.md"}
	},
}

// denyFS refuses to open one file, as the OS does without read permission.
type denyFS struct {
	fs.FS
	deny string
}

func (d denyFS) Open(name string) (fs.File, error) {
	if name == d.deny {
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EACCES}
	}
	return d.FS.Open(name)
}

// TestBadInput builds every case in testdata/bad on top of testdata/bad/_base
// and checks the exact diagnostics in its expected.txt, that the build is
// quick and bounded in memory, that a failed build leaves the previous
// public/ untouched, and that a successful one is safe to publish.
func TestBadInput(t *testing.T) {
	cases, err := os.ReadDir(filepath.Join("testdata", "bad"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range cases {
		if !c.IsDir() || strings.HasPrefix(c.Name(), "_") {
			continue
		}
		n++
		name := c.Name()
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := testsite.CopyDir(filepath.Join("testdata", "bad", "_base"), dir); err != nil {
				t.Fatal(err)
			}
			if err := testsite.CopyDir(filepath.Join("testdata", "bad", name), dir); err != nil {
				t.Fatal(err)
			}
			os.Remove(filepath.Join(dir, "expected.txt"))
			os.Remove(filepath.Join(dir, ".keep"))
			if err := testsite.CopyDir(filepath.Join(testsite.Root(), "themes"), filepath.Join(dir, "themes")); err != nil {
				t.Fatal(err)
			}
			var fsys fs.FS
			if setup := badSetups[name]; setup != nil {
				fsys = setup(t, dir)
			}
			dest := filepath.Join(t.TempDir(), "public")
			testsite.Write(t, dest, "previous.html", "the last good site")

			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			// Minify as hjp build does: errors in minified layouts must
			// still point at the layout files as written.
			res := Build(Options{Source: dir, Dest: dest, FS: fsys, Minify: true})
			elapsed := time.Since(start)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)

			var got strings.Builder
			if res.Failed() {
				got.WriteString("status: fail\n")
			} else {
				got.WriteString("status: ok\n")
			}
			for _, d := range res.Diags {
				got.WriteString(d.String() + "\n")
			}
			exp := filepath.Join("testdata", "bad", name, "expected.txt")
			if *update {
				os.WriteFile(exp, []byte(got.String()), 0o644)
			}
			want, err := os.ReadFile(exp)
			if err != nil {
				t.Fatalf("%v (run with -update and review)", err)
			}
			if got.String() != string(want) {
				t.Errorf("diagnostics differ:\ngot:\n%swant:\n%s", got.String(), want)
			}
			if limit := 5 * time.Second; elapsed > limit && !raceEnabled || elapsed > 8*limit {
				t.Errorf("build took %v", elapsed)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<30 {
				t.Errorf("build allocated %d MiB", alloc>>20)
			}
			files := testsite.ReadTree(t, dest)
			if res.Failed() {
				if len(files) != 1 || files["previous.html"] != "the last good site" {
					t.Errorf("a failed build changed public/: %d files", len(files))
				}
			} else {
				if _, ok := files["previous.html"]; ok {
					t.Error("a successful build kept the previous site's files")
				}
				if _, ok := files["index.html"]; !ok {
					t.Error("no index.html")
				}
				checkOutputSafety(t, dest)
			}
			entries, _ := os.ReadDir(filepath.Dir(dest))
			for _, e := range entries {
				if e.Name() != "public" {
					t.Errorf("left behind: %s", e.Name())
				}
			}
		})
	}
	if n < 40 {
		t.Errorf("only %d bad-input cases; the corpus needs at least 40", n)
	}
}
