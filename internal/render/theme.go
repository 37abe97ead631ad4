// Package render lays the site graph out as files: HTML pages from the
// theme's html/template layouts (each fed a view model prepared in Go),
// alias redirect pages, and the site's other generated files. It writes
// nothing itself; it returns bytes.
package render

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"hjp/internal/diag"
)

// Theme is the parsed layouts of a theme, one template set per layout.
type Theme struct {
	sets map[string]*template.Template
	// files maps a template name ("partials/head.html") to the file it
	// came from, for error positions.
	files map[string]string
	// Assets is the theme's assets folder, from the source root.
	AssetsDir string
}

// ThemeDirs returns the layout folders to read, highest precedence first:
// the site's own layouts/ overrides the theme's.
func ThemeDirs(theme string) (layouts []string, assets string) {
	return []string{"layouts", "themes/" + theme + "/layouts"}, "themes/" + theme + "/assets"
}

// LoadTheme parses every layout from the folders in fsys. A file in an
// earlier folder replaces the file with the same name in a later one.
func LoadTheme(fsys fs.FS, theme string, funcs template.FuncMap) (*Theme, diag.List) {
	var l diag.List
	dirs, assets := ThemeDirs(theme)
	t := &Theme{sets: map[string]*template.Template{}, files: map[string]string{}, AssetsDir: assets}
	srcs := map[string][]byte{}
	for i := len(dirs) - 1; i >= 0; i-- {
		dir := dirs[i]
		err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				l.Errorf(p, 1, 1, "cannot read: %v", err)
				return nil
			}
			if d.IsDir() || path.Ext(p) != ".html" {
				return nil
			}
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				l.Errorf(p, 1, 1, "cannot read: %v", err)
				return nil
			}
			name := strings.TrimPrefix(p, dir+"/")
			srcs[name] = b
			t.files[name] = p
			return nil
		})
		if err != nil {
			l.Errorf(dir, 1, 1, "cannot read: %v", err)
		}
	}
	if _, ok := srcs["baseof.html"]; !ok {
		l.Errorf(dirs[len(dirs)-1]+"/baseof.html", 1, 1, "theme %q has no baseof.html layout", theme)
		return nil, l
	}
	var shared, layouts []string
	for name := range srcs {
		if strings.HasPrefix(name, "partials/") || name == "baseof.html" {
			shared = append(shared, name)
		} else {
			layouts = append(layouts, name)
		}
	}
	slices.Sort(shared)
	slices.Sort(layouts)
	base := template.New("").Funcs(funcs)
	for _, name := range shared {
		if _, err := base.New(name).Parse(string(srcs[name])); err != nil {
			l.Add(t.diagnostic(err, fsys))
		}
	}
	if l.Errors() > 0 {
		return nil, l
	}
	for _, name := range layouts {
		set, err := base.Clone()
		if err == nil {
			_, err = set.New(name).Parse(string(srcs[name]))
		}
		if err != nil {
			l.Add(t.diagnostic(err, fsys))
			continue
		}
		t.sets[strings.TrimSuffix(name, ".html")] = set
	}
	if l.Errors() > 0 {
		return nil, l
	}
	return t, l
}

// Has reports whether the theme has a layout.
func (t *Theme) Has(layout string) bool { return t.sets[layout] != nil }

// Layouts lists the theme's layouts.
func (t *Theme) Layouts() []string {
	out := make([]string, 0, len(t.sets))
	for k := range t.sets {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// tmplPos finds "name:line" or "name:line:col" in a template error.
var tmplPos = regexp.MustCompile(`template:\s?([^:]+\.html):(\d+)(?::(\d+))?: (.*)$`)

// diagnostic turns a template parse or execution error into a positioned
// diagnostic in the layout file it came from.
func (t *Theme) diagnostic(err error, fsys fs.FS) diag.Diagnostic {
	msg := err.Error()
	// An error inside a partial drawn by View.Cached: point at the
	// partial, not at the call.
	if i := strings.LastIndex(msg, "error calling Cached: "); i >= 0 {
		msg = msg[i+len("error calling Cached: "):]
	}
	m := tmplPos.FindStringSubmatch(msg)
	if m == nil {
		return diag.Diagnostic{Path: "themes", Line: 1, Col: 1, Message: msg}
	}
	file := t.files[m[1]]
	if file == "" {
		file = m[1]
	}
	line, _ := strconv.Atoi(m[2])
	col := 1
	if m[3] != "" {
		// text/template reports a 0-based byte offset in the line.
		col, _ = strconv.Atoi(m[3])
		col++
	}
	d := diag.Diagnostic{Path: file, Line: line, Col: col, Message: cleanTemplateMsg(m[4])}
	if fsys != nil {
		if src, err := fs.ReadFile(fsys, file); err == nil {
			d.Source = diag.NewFile(file, src).Line(line)
		}
	}
	return d
}

func cleanTemplateMsg(s string) string {
	s = strings.TrimPrefix(s, "executing ")
	return fmt.Sprint(s)
}
