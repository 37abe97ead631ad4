// Package render lays the site graph out as files: HTML pages from the
// theme's html/template layouts (each fed a view model prepared in Go),
// alias redirect pages, and the site's other generated files. It writes
// nothing itself; it returns bytes.
package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template/parse"

	"hjp/internal/diag"
)

// Theme is the parsed layouts of a theme, one template set per layout.
type Theme struct {
	sets map[string]*template.Template
	// min is sets parsed from minified sources (LoadTheme's minifier),
	// nil without: pages are rendered with it, and an error met there is
	// looked for again with sets, whose positions are the files'.
	min map[string]*template.Template
	// minifier minifies the partials View.Cached draws with min.
	minifier Minifier
	// files maps a template name ("partials/head.html") to the file it
	// came from, for error positions.
	files map[string]string
	// bound holds, by layout, the templates whose drawing can depend on
	// the layout's own file: those it defines, and those calling one of
	// them. Any other template draws the same in every layout's set (see
	// View.Cached).
	bound map[string]map[string]bool
	// Assets is the theme's assets folder, from the source root.
	AssetsDir string
	// progs runs the layouts (see programs.exec).
	progs *programs
}

// ThemeDirs returns the layout folders to read, highest precedence first:
// the site's own layouts/ overrides the theme's.
func ThemeDirs(theme string) (layouts []string, assets string) {
	return []string{"layouts", "themes/" + theme + "/layouts"}, "themes/" + theme + "/assets"
}

// LoadTheme parses every layout from the folders in fsys. A file in an
// earlier folder replaces the file with the same name in a later one.
//
// With a minifier (publish.Minifier) it also parses the layouts
// minified, and pages are rendered from those: what a layout writes
// itself then needs no minifying, only the values it puts in (see
// Theme.Minified). A layout the minifier cannot handle leaves the whole
// theme unminified, to be minified page by page instead.
func LoadTheme(fsys fs.FS, theme string, funcs template.FuncMap, m Minifier) (*Theme, diag.List) {
	var l diag.List
	dirs, assets := ThemeDirs(theme)
	t := &Theme{sets: map[string]*template.Template{}, files: map[string]string{}, AssetsDir: assets, progs: &programs{funcs: funcs}}
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
	sets, d := parseSets(srcs, shared, layouts, funcs, func(err error) diag.Diagnostic { return t.diagnostic(err, fsys) })
	l.Add(d...)
	if l.Errors() > 0 {
		return nil, l
	}
	t.sets = sets
	t.bound = layoutBound(srcs, layouts, sets)
	if m != nil {
		if t.min = minifiedSets(srcs, shared, layouts, funcs, sets, m.Template); t.min != nil {
			t.minifier = m
		}
	}
	return t, l
}

// A Minifier minifies a theme's layouts before they are parsed, and the
// HTML of the partials drawn once for many pages (View.Cached).
type Minifier interface {
	// Template minifies an html/template source, keeping its actions.
	Template(src []byte) ([]byte, error)
	// HTML writes the HTML fragment src, minified, to dst.
	HTML(dst *bytes.Buffer, src []byte) error
}

// parseSets parses the shared templates (partials, baseof.html) and then
// each layout into its own set, a clone of the shared ones. Errors go
// through diagnostic; a set that fails is left out.
func parseSets(srcs map[string][]byte, shared, layouts []string, funcs template.FuncMap, diagnostic func(error) diag.Diagnostic) (map[string]*template.Template, diag.List) {
	var l diag.List
	sets := map[string]*template.Template{}
	base := template.New("").Funcs(funcs)
	for _, name := range shared {
		if _, err := base.New(name).Parse(string(srcs[name])); err != nil {
			l.Add(diagnostic(err))
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
			l.Add(diagnostic(err))
			continue
		}
		sets[strings.TrimSuffix(name, ".html")] = set
	}
	return sets, l
}

// layoutBound returns, for each layout, the templates of its set that
// its own file can change: those the file defines (its own, "main", and
// any partial it redefines) and every template that calls one of them,
// directly or through others.
func layoutBound(srcs map[string][]byte, layouts []string, sets map[string]*template.Template) map[string]map[string]bool {
	out := make(map[string]map[string]bool, len(layouts))
	for _, name := range layouts {
		key := strings.TrimSuffix(name, ".html")
		set := sets[key]
		if set == nil {
			continue
		}
		bound := map[string]bool{}
		trees := map[string]*parse.Tree{}
		tr := parse.New(name)
		tr.Mode = parse.SkipFuncCheck
		if _, err := tr.Parse(string(srcs[name]), "", "", trees); err != nil {
			// html/template parsed it: this cannot happen, but were it
			// to, no drawing of the layout is taken as shared.
			for _, t := range set.Templates() {
				bound[t.Name()] = true
			}
		}
		for n := range trees {
			bound[n] = true
		}
		for grew := true; grew; {
			grew = false
			for _, t := range set.Templates() {
				if !bound[t.Name()] && t.Tree != nil && callsAny(t.Tree.Root, bound) {
					bound[t.Name()] = true
					grew = true
				}
			}
		}
		out[key] = bound
	}
	return out
}

// callsAny reports whether n calls ({{template}}) a template in names.
func callsAny(n parse.Node, names map[string]bool) bool {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return false
		}
		for _, c := range n.Nodes {
			if callsAny(c, names) {
				return true
			}
		}
	case *parse.TemplateNode:
		return names[n.Name]
	case *parse.IfNode:
		return callsAny(n.List, names) || callsAny(n.ElseList, names)
	case *parse.RangeNode:
		return callsAny(n.List, names) || callsAny(n.ElseList, names)
	case *parse.WithNode:
		return callsAny(n.List, names) || callsAny(n.ElseList, names)
	}
	return false
}

// minifiedSets parses the layouts again from minified sources, or
// returns nil if one cannot be minified, no longer parses, or has actions
// that differ from the layout as written (see sameActions): all would be
// faults of the minifier, and the layouts are then used as written.
func minifiedSets(srcs map[string][]byte, shared, layouts []string, funcs template.FuncMap, sets map[string]*template.Template, minify func([]byte) ([]byte, error)) map[string]*template.Template {
	min := make(map[string][]byte, len(srcs))
	for name, src := range srcs {
		b, err := minify(src)
		if err != nil {
			return nil
		}
		min[name] = b
	}
	minSets, l := parseSets(min, shared, layouts, funcs, func(err error) diag.Diagnostic {
		return diag.Diagnostic{Message: err.Error()}
	})
	if l.Errors() > 0 || len(minSets) != len(sets) {
		return nil
	}
	for layout, set := range sets {
		if !sameActions(set, minSets[layout]) {
			return nil
		}
	}
	return minSets
}

// sameActions reports whether every template of a has a namesake in b
// with the same actions in the same places, whatever their text. The
// minifier's template lexer reads quoted strings in actions but not raw
// ones: an action holding a raw string with "}}" in it (printf `a  }}  b`)
// would come out with the string's tail minified as HTML.
func sameActions(a, b *template.Template) bool {
	for _, t := range a.Templates() {
		u := b.Lookup(t.Name())
		if u == nil || (t.Tree == nil) != (u.Tree == nil) {
			return false
		}
		if t.Tree != nil && actions(t.Tree.Root) != actions(u.Tree.Root) {
			return false
		}
	}
	return true
}

// actions writes out the actions of a template's tree, leaving out its
// text.
func actions(n parse.Node) string {
	var b strings.Builder
	var walk func(n parse.Node)
	branch := func(kind string, br *parse.BranchNode) {
		b.WriteString("{{" + kind + " " + br.Pipe.String() + "}}")
		walk(br.List)
		if br.ElseList != nil {
			b.WriteString("{{else}}")
			walk(br.ElseList)
		}
		b.WriteString("{{end}}")
	}
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case nil:
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c)
				}
			}
		case *parse.TextNode:
		case *parse.IfNode:
			branch("if", &n.BranchNode)
		case *parse.RangeNode:
			branch("range", &n.BranchNode)
		case *parse.WithNode:
			branch("with", &n.BranchNode)
		default:
			b.WriteString(n.String())
		}
	}
	walk(n)
	return b.String()
}

// Minified reports whether pages are rendered from minified layouts, so
// that they need minifying only if the values put in them do (pages'
// Markdown is minified as it is rendered: markdown.Renderer.Minify).
func (t *Theme) Minified() bool { return t.min != nil }

// set returns the template set of a layout: the minified one unless
// plain is set or the theme has none.
func (t *Theme) set(layout string, plain bool) *template.Template {
	if t.min != nil && !plain {
		return t.min[layout]
	}
	return t.sets[layout]
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
