package build

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"hjp/internal/corpus"
	"hjp/internal/fasttmpl"
	"hjp/internal/publish"
	"hjp/internal/testsite"
)

// TestCompiledTemplatesSameOutput builds the real site and a generated
// corpus twice, minified and not: with the theme's compiled templates
// (fasttmpl) and with html/template alone. Every file must be the same,
// every template must have compiled, none may have been left to
// html/template after its first run, and every function and method the
// layouts call (but variadic ones) must be called without reflect.
func TestCompiledTemplatesSameOutput(t *testing.T) {
	pages := 300
	if testing.Short() {
		pages = 120
	}
	dir := t.TempDir()
	if err := corpus.Write(dir, pages, 3); err != nil {
		t.Fatal(err)
	}
	if err := testsite.CopyDir(filepath.Join(testsite.Root(), "themes"), filepath.Join(dir, "themes")); err != nil {
		t.Fatal(err)
	}
	for _, site := range []struct{ name, root string }{{"real site", testsite.Root()}, {"corpus", dir}} {
		for _, minify := range []bool{false, true} {
			name := site.name
			if minify {
				name += " minified"
			}
			t.Run(name, func(t *testing.T) {
				build := func(htmlTemplate bool) (*publish.Memory, Result) {
					mem := publish.NewMemory()
					res := Run(os.DirFS(site.root), Options{Source: site.root, Minify: minify, HTMLTemplate: htmlTemplate}, mem)
					if res.Failed() {
						t.Fatalf("build: %s", res.Diags.Err())
					}
					return mem, res
				}
				want, slow := build(true)
				var mu sync.Mutex
				viaReflect := map[string]bool{}
				fasttmpl.OnReflectCall(func(name string, fn reflect.Type) {
					if !fn.IsVariadic() {
						mu.Lock()
						viaReflect[fmt.Sprintf("%s (%s)", fn, name)] = true
						mu.Unlock()
					}
				})
				got, fast := build(false)
				fasttmpl.OnReflectCall(nil)
				if len(viaReflect) > 0 {
					t.Errorf("the layouts called these through reflect: register their types in render/direct.go (fasttmpl.Direct1 to Direct4):\n%s",
						strings.Join(slices.Sorted(maps.Keys(viaReflect)), "\n"))
				}
				if slow.Templates.Compiled != 0 {
					t.Errorf("html/template alone: %+v, want nothing compiled", slow.Templates)
				}
				if st := fast.Templates; st.Compiled < 20 || st.Declined != 0 || st.Fallbacks != 0 {
					t.Errorf("templates: %+v, want every one compiled and run compiled", st)
				}
				paths := make([]string, 0, len(want.Files))
				for p := range want.Files {
					paths = append(paths, p)
				}
				slices.Sort(paths)
				differ := 0
				for _, p := range paths {
					if g, ok := got.Files[p]; !ok {
						t.Errorf("%s: missing", p)
					} else if !bytes.Equal(g, want.Files[p]) {
						if differ++; differ <= 3 {
							t.Errorf("%s differs:\n%s", p, firstDifference(g, want.Files[p]))
						}
					}
				}
				if differ > 0 {
					t.Errorf("%d of %d files differ", differ, len(paths))
				}
				if len(got.Files) != len(want.Files) {
					t.Errorf("%d files, want %d", len(got.Files), len(want.Files))
				}
			})
		}
	}
}

// firstDifference shows where two outputs part.
func firstDifference(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-80)
	return "got:  …" + string(got[from:min(len(got), i+80)]) + "\nwant: …" + string(want[from:min(len(want), i+80)])
}
