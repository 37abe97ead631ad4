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
	// Text is set when the layout shows other pages' body text: those
	// of the section an output joins (Output.Joins: a print page joins a
	// publication), or of any page (the search page names the search
	// index, whose fingerprint changes with any page's text).
	Text bool
	// Kinds are the page kinds the layout lists in full (.OfKind "finding").
	Kinds []content.Kind
	// Sections are the sections the layout shows (.Section "guide").
	Sections []string
	// URLs are pages the layout shows when they exist, by URL (the
	// accessibility statement in every footer): adding, removing or
	// changing one of them reaches the layout.
	URLs []string
}

// add merges o into u.
func (u *Uses) add(o Uses) {
	u.All = u.All || o.All
	u.Text = u.Text || o.Text
	u.Kinds = append(u.Kinds, o.Kinds...)
	u.Sections = append(u.Sections, o.Sections...)
	u.URLs = append(u.URLs, o.URLs...)
}

// localViewNames are the View fields and methods that show only the
// page itself and the pages next to it in the graph.
func localViewNames() []string {
	return []string{
		"Site", "Page", "Layout", "Title", "Description", "URL", "Canonical", "Robots",
		"Content", "Contents", "Breadcrumbs", "Taxonomy", "Term", "Target",
		"Kind", "Vocab", "Label", "Terms", "Related", "StepNumber", "Step", "Cite",
		// head.go: sharing meta and JSON-LD of the page itself.
		"IsArticle", "OGType", "OGLocale", "Updated", "ShareTitle", "StructuredData",
		// view_theme.go: the menus (site.yaml), the page's own headings,
		// dates, facts, glossary terms, tags and short link; its place
		// among its siblings (step navigation, print link); cards for the
		// pages it is given (where those come from is classified
		// separately) or its children; its related and linking pages.
		"MainNav", "ContentsList", "StepNav", "PrintLink", "PageDates", "Facts",
		"StrengthOf", "Cards", "ChildCards", "RelatedContent", "GlossaryEntries",
		"ShortLink", "Tags",
		// view.go: draws a named partial with the data it is given
		// (the analysis follows the partial, see drawnPartials).
		"Cached",
	}
}

// drawnPartials are the methods that draw a partial themselves rather
// than through {{template}}, with the partial they draw: the analysis
// follows it as if the layout called it.
func drawnPartials() map[string]string {
	return map[string]string{"Draw": "partials/card.html"}
}

// viewReach says what the View fields and methods that reach beyond the
// page show; the analysis adds it to the layouts that use them.
func viewReach() map[string]Uses {
	findings := Uses{Kinds: []content.Kind{content.KindFinding, content.KindRecommendation}, Sections: []string{"findings"}}
	return map[string]Uses{
		// Every funding model, side by side and in the chart.
		"FundingComparison": {Kinds: []content.Kind{content.KindFundingModel}},
		"FundingChart":      {Kinds: []content.Kind{content.KindFundingModel}},
		// The findings index and the evidence map: every finding's
		// facets, a finding's audiences coming from its recommendations.
		"Findings":       findings,
		"FindingsIndex":  findings,
		"EvidenceMap":    findings,
		"EvidenceMapURL": findings,
		// The home page's routes: three section pages' summaries.
		"Routes": {Sections: []string{"guide", "funding", "findings"}},
		// The footer links the accessibility statement when it exists.
		"FooterNav": {URLs: []string{AccessibilityStatementURL}},
		// A print page joins its publication's pages, body text included.
		"Print": {All: true, Text: true},
		// The search page names the index (its fingerprint changes with
		// any page's text) and counts facet values.
		"Search": {All: true, Text: true},
	}
}

// Uses reads the templates a layout executes, following {{template}}
// calls, and reports what it can show.
func (t *Theme) Uses(layout string) Uses {
	set := t.set(layout, true)
	if set == nil {
		return Uses{All: true}
	}
	a := &usesWalker{set: set.Lookup, seen: map[string]bool{}, global: globalViewNames(), reach: viewReach(), drawn: drawnPartials()}
	a.template(layout + ".html")
	for _, f := range []*[]string{&a.uses.Sections, &a.uses.URLs} {
		slices.Sort(*f)
		*f = slices.Compact(*f)
	}
	slices.Sort(a.uses.Kinds)
	a.uses.Kinds = slices.Compact(a.uses.Kinds)
	return a.uses
}

// globalViewNames are the View fields and methods that are not known to
// be local or listed in viewReach: new ones count as reaching the whole
// site until they are classified.
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
	for _, n := range localViewNames() {
		delete(out, n)
	}
	for n := range viewReach() {
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
	reach  map[string]Uses
	drawn  map[string]string
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
	if lastIdent(c.Args[0]) == "Cached" {
		// $.Cached "partials/x.html" data key draws the named partial;
		// a name that is not written in the template could be any.
		if s, ok := arg(c.Args, 1).(*parse.StringNode); ok {
			a.template(s.Text)
		} else {
			a.uses.All = true
		}
	}
	a.nodes(c.Args)
}

// arg returns args[i], or nil.
func arg(args []parse.Node, i int) parse.Node {
	if i < len(args) {
		return args[i]
	}
	return nil
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
		if u, ok := a.reach[id]; ok {
			a.uses.add(u)
		}
		if p, ok := a.drawn[id]; ok {
			a.template(p)
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
