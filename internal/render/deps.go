package render

import (
	"html/template"
	"reflect"
	"slices"
	"text/template/parse"

	"hjp/internal/content"
)

// Uses is what a layout can show beyond its own page and the pages next
// to it in the graph (parent, ancestors, children, siblings, related and
// linked pages), found by reading its templates. Incremental builds use it
// to decide which files a change can reach.
type Uses struct {
	// All is set when the layout can reach any page: it uses .G, a View
	// method this analysis does not know, or OfKind or Section with a
	// name that is not written in the template. Such a layout is taken to
	// show other pages' front matter, headings, relations and citations,
	// but not their body text.
	All bool
	// Kinds are the page kinds the layout lists in full (.OfKind "finding").
	Kinds []content.Kind
	// Sections are the sections the layout shows (.Section "guide").
	Sections []string
}

// localViewNames are the View fields and methods that show only the
// page itself and the pages next to it in the graph.
var localViewNames = []string{
	"Site", "Page", "Layout", "Title", "Description", "URL", "Canonical", "Robots",
	"Content", "Contents", "Breadcrumbs", "Taxonomy", "Term", "Target",
	"Kind", "Vocab", "Label", "Terms", "Related", "StepNumber", "Step", "Cite",
	// head.go: sharing meta and JSON-LD of the page itself.
	"IsArticle", "OGType", "OGLocale", "Updated", "ShareTitle", "StructuredData",
}

// Uses reads the templates a layout executes, following {{template}}
// calls, and reports what it can show.
func (t *Theme) Uses(layout string) Uses {
	set := t.sets[layout]
	if set == nil {
		return Uses{All: true}
	}
	a := &usesWalker{set: set.Lookup, seen: map[string]bool{}, global: globalViewNames()}
	a.template(layout + ".html")
	slices.Sort(a.uses.Kinds)
	a.uses.Kinds = slices.Compact(a.uses.Kinds)
	slices.Sort(a.uses.Sections)
	a.uses.Sections = slices.Compact(a.uses.Sections)
	return a.uses
}

// globalViewNames are the View fields and methods that are not known to
// be local: new ones count as reaching the whole site until they are
// listed in localViewNames.
func globalViewNames() map[string]bool {
	out := map[string]bool{}
	vt := reflect.TypeFor[*View]()
	for i := range vt.NumMethod() {
		out[vt.Method(i).Name] = true
	}
	st := vt.Elem()
	for i := range st.NumField() {
		if st.Field(i).IsExported() {
			out[st.Field(i).Name] = true
		}
	}
	for _, n := range localViewNames {
		delete(out, n)
	}
	delete(out, "OfKind")
	delete(out, "Section")
	return out
}

type usesWalker struct {
	set    func(name string) *template.Template
	seen   map[string]bool
	global map[string]bool
	uses   Uses
}

func (a *usesWalker) template(name string) {
	if a.seen[name] {
		return
	}
	a.seen[name] = true
	tmpl := a.set(name)
	if tmpl == nil || tmpl.Tree == nil || tmpl.Tree.Root == nil {
		return
	}
	a.node(tmpl.Tree.Root)
}

func (a *usesWalker) node(n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			a.node(c)
		}
	case *parse.ActionNode:
		a.node(n.Pipe)
	case *parse.IfNode:
		a.branch(&n.BranchNode)
	case *parse.RangeNode:
		a.branch(&n.BranchNode)
	case *parse.WithNode:
		a.branch(&n.BranchNode)
	case *parse.TemplateNode:
		a.node(n.Pipe)
		a.template(n.Name)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			a.command(c)
		}
	case *parse.FieldNode:
		a.idents(n.Ident)
	case *parse.ChainNode:
		a.node(n.Node)
		a.idents(n.Field)
	case *parse.VariableNode:
		if len(n.Ident) > 1 {
			a.idents(n.Ident[1:])
		}
	}
}

func (a *usesWalker) branch(b *parse.BranchNode) {
	a.node(b.Pipe)
	a.node(b.List)
	if b.ElseList != nil {
		a.node(b.ElseList)
	}
}

// command handles .OfKind "kind" and .Section "name", whose argument says
// what they reach.
func (a *usesWalker) command(c *parse.CommandNode) {
	if len(c.Args) == 0 {
		return
	}
	if name := lastIdent(c.Args[0]); name == "OfKind" || name == "Section" {
		if len(c.Args) < 2 {
			// .Page.Section is the page's own section name.
			a.nodes(c.Args[1:])
			return
		}
		s, ok := c.Args[1].(*parse.StringNode)
		switch {
		case !ok:
			a.uses.All = true
		case name == "OfKind":
			a.uses.Kinds = append(a.uses.Kinds, content.Kind(s.Text))
		default:
			a.uses.Sections = append(a.uses.Sections, s.Text)
		}
		a.node(c.Args[0])
		a.nodes(c.Args[2:])
		return
	}
	a.nodes(c.Args)
}

func (a *usesWalker) nodes(ns []parse.Node) {
	for _, n := range ns {
		a.node(n)
	}
}

func (a *usesWalker) idents(ids []string) {
	for _, id := range ids {
		if id == "G" || a.global[id] {
			a.uses.All = true
		}
	}
}

// lastIdent returns the last field name of a field, chain or variable
// node (".Page.OfKind" → "OfKind").
func lastIdent(n parse.Node) string {
	var ids []string
	switch n := n.(type) {
	case *parse.FieldNode:
		ids = n.Ident
	case *parse.ChainNode:
		ids = n.Field
	case *parse.VariableNode:
		ids = n.Ident
	}
	if len(ids) == 0 {
		return ""
	}
	return ids[len(ids)-1]
}
