package render

import (
	"cmp"
	"html/template"
	"slices"
	"strings"

	"hjp/internal/config"
	"hjp/internal/content"
	"hjp/internal/markdown"
	"hjp/internal/site"
)

// NavItem is one link of the primary navigation.
type NavItem struct {
	Name, URL string
	// Current is "page" on the link to this page, "true" on the link to the
	// section this page is in, and "" otherwise (for aria-current).
	Current string
}

// MainNav returns the primary navigation with the current page and
// section marked.
func (v *View) MainNav() []NavItem {
	menu := v.Site.Menus["main"]
	out := make([]NavItem, 0, len(menu))
	for _, l := range menu {
		it := NavItem{Name: l.Name, URL: l.URL}
		switch {
		case l.URL == v.URL:
			it.Current = "page"
		case l.URL != "/" && strings.HasPrefix(v.URL, l.URL):
			it.Current = "true"
		}
		out = append(out, it)
	}
	return out
}

// AccessibilityStatementURL is where the footer expects the site's
// accessibility statement.
const AccessibilityStatementURL = "/pages/accessibility/"

// FooterNav returns the footer links. The accessibility statement is
// always among them when the site has one, as the regulations require a
// link to it from every page.
func (v *View) FooterNav() []config.Link {
	links := slices.Clone(v.Site.Menus["footer"])
	const statement = AccessibilityStatementURL
	if v.G.ByURL(statement) != nil && !slices.ContainsFunc(links, func(l config.Link) bool { return l.URL == statement }) {
		links = append(links, config.Link{Name: "Accessibility statement", URL: statement})
	}
	return links
}

// ContentsList returns the entries of the page's "Contents" list: its H2s,
// when there are at least two (one section needs no contents list).
func (v *View) ContentsList() []markdown.Heading {
	if v.Page == nil {
		return nil
	}
	n := 0
	for _, h := range v.Page.Doc.Headings {
		if h.Level == 2 {
			n++
		}
	}
	if n < 2 {
		return nil
	}
	out := make([]markdown.Heading, 0, n)
	for _, h := range v.Page.Doc.Headings {
		if h.Level == 2 {
			out = append(out, h)
		}
	}
	return out
}

// StepNav is the step-by-step navigation through a publication: the guide's
// chapters, or the funding report's parts.
type StepNav struct {
	// Label names one step: "Chapter" or "Part".
	Label string
	N, Of int
	Steps []Step
	// Prev and Next are the neighbouring steps, or nil.
	Prev, Next *Step
	// Section is the publication's section page; PrintURL its print page.
	Section  *site.Page
	PrintURL string
}

// Step is one step of a StepNav.
type Step struct {
	N       int
	Title   string
	URL     string
	Current bool
}

// Publication returns the pages of a publication section in reading order:
// its children that are not sections themselves.
func Publication(sec *site.Page) []*site.Page {
	var out []*site.Page
	for _, c := range sec.Children {
		if c.Kind != content.KindSection {
			out = append(out, c)
		}
	}
	return out
}

// stepLabel names one step of a publication that is read in order ("guide"
// → "Chapter"), or returns "" for sections that are not publications.
func stepLabel(section string) string {
	switch section {
	case "guide":
		return "Chapter"
	case "funding":
		return "Part"
	}
	return ""
}

// PrintURL returns the print page of a publication section ("guide").
func PrintURL(section string) string { return "/" + section + "/print/" }

// StepNav returns the page's place in its publication, or nil for pages
// outside the guide and the funding report.
func (v *View) StepNav() *StepNav {
	p := v.Page
	if p == nil || p.Parent == nil || p.Kind == content.KindSection {
		return nil
	}
	label := stepLabel(p.Section)
	if label == "" || p.Parent.Kind != content.KindSection {
		return nil
	}
	pages := Publication(p.Parent)
	s := &StepNav{Label: label, Of: len(pages), Section: p.Parent, PrintURL: PrintURL(p.Section)}
	for i, c := range pages {
		s.Steps = append(s.Steps, Step{N: i + 1, Title: c.Meta.Title, URL: c.URL, Current: c == p})
		if c == p {
			s.N = i + 1
		}
	}
	if s.N == 0 {
		return nil
	}
	if s.N > 1 {
		s.Prev = &s.Steps[s.N-2]
	}
	if s.N < s.Of {
		s.Next = &s.Steps[s.N]
	}
	return s
}

// PrintLink returns the print page of the publication this page belongs
// to or introduces, or "".
func (v *View) PrintLink() string {
	if v.Page == nil {
		return ""
	}
	if stepLabel(v.Page.Section) == "" {
		return ""
	}
	if sec := v.G.Sections[v.Page.Section]; sec == nil || len(Publication(sec)) == 0 {
		return ""
	}
	return PrintURL(v.Page.Section)
}

// Dates is when a page was first published and last updated, with its
// change history, newest first, as GOV.UK shows them.
type Dates struct {
	Published, Updated string // ISO dates (YYYY-MM-DD), or ""
	History            []content.Change
}

// PageDates returns the page's dates, or nil when it has none.
func (v *View) PageDates() *Dates {
	if v.Page == nil {
		return nil
	}
	m := v.Page.Meta
	d := &Dates{Updated: m.Updated, History: slices.Clone(m.Changes)}
	slices.SortStableFunc(d.History, func(a, b content.Change) int { return strings.Compare(b.Date, a.Date) })
	if n := len(d.History); n > 0 {
		d.Published = d.History[n-1].Date
		if d.Updated == "" || d.History[0].Date > d.Updated {
			d.Updated = d.History[0].Date
		}
	}
	if d.Updated == "" && d.Published == "" {
		return nil
	}
	return d
}

// Item is one value in a list of facts: text, linked when URL is set.
type Item struct {
	Text, URL string
}

// Fact is one row of a summary card: a label and its values.
type Fact struct {
	Label string
	Items []Item
	// List says the values are separate points (strengths, risks) to show
	// as a bulleted list rather than a comma-separated line.
	List bool
}

// Facts returns the summary card of a page: what a reader needs to know
// about a case study, funding model or finding at a glance.
func (v *View) Facts(p *site.Page) []Fact {
	if p == nil {
		return nil
	}
	m := &p.Meta
	var out []Fact
	add := func(label string, list bool, items ...Item) {
		var kept []Item
		for _, it := range items {
			if strings.TrimSpace(it.Text) != "" {
				kept = append(kept, it)
			}
		}
		if len(kept) > 0 {
			out = append(out, Fact{Label: label, Items: kept, List: list})
		}
	}
	terms := func(vocab string) []Item {
		var items []Item
		for _, t := range v.G.TermsOf(vocab, p) {
			items = append(items, Item{Text: t.Label, URL: t.URL})
		}
		return items
	}
	labels := func(vocab string, keys []string) []Item {
		items := make([]Item, len(keys))
		for i, k := range keys {
			items[i] = Item{Text: v.Label(vocab, k)}
		}
		return items
	}
	texts := func(s []string) []Item {
		items := make([]Item, len(s))
		for i, t := range s {
			items[i] = Item{Text: t}
		}
		return items
	}
	pages := func(ps []*site.Page) []Item {
		items := make([]Item, len(ps))
		for i, r := range ps {
			items[i] = Item{Text: r.Meta.Title, URL: r.URL}
		}
		return items
	}
	switch p.Kind {
	case content.KindCaseStudy:
		add("Setting", false, terms("settings")...)
		add("Model", false, Item{Text: v.Label("models", m.Model)})
		add("Problems", false, labels("problems", m.Problems)...)
		add("Funding", false, pages(p.Related[content.KindFundingModel])...)
		add("Location", false, Item{Text: m.Location})
		add("Period", false, Item{Text: m.Period})
		if m.Status != "" {
			add("Status", false, Item{Text: v.Label("statuses", m.Status)})
		}
		add("Partners", false, texts(m.Partners)...)
	case content.KindFundingModel:
		out = v.fundingFacts(p)
	case content.KindFinding:
		// The strength of evidence has its own panel on the page.
		add("Factor", false, terms("factors")...)
		add("Settings", false, terms("settings")...)
	}
	return out
}

// FundingColumns returns the comparison block's rows, in order; the
// funding comparison table has one column for each.
func FundingColumns() []string {
	return []string{"Who pays", "Typical duration", "Risk to continuity", "Strengths", "Risks", "What it suits"}
}

// fundingFacts returns the comparison block of a funding model: always the
// same rows, in the same order, so models can be weighed side by side.
func (v *View) fundingFacts(p *site.Page) []Fact {
	m := &p.Meta
	one := func(s string) []Item {
		if s == "" {
			return []Item{{Text: "Not known"}}
		}
		return []Item{{Text: s}}
	}
	many := func(s []string) []Item {
		if len(s) == 0 {
			return []Item{{Text: "None recorded"}}
		}
		items := make([]Item, len(s))
		for i, t := range s {
			items[i] = Item{Text: t}
		}
		return items
	}
	risk := ""
	if m.Risk != "" {
		risk = v.Label("risks", m.Risk)
	}
	values := [][]Item{one(m.Payer), one(m.Duration), one(risk), many(m.Strengths), many(m.Risks), one(m.Suits)}
	cols := FundingColumns()
	out := make([]Fact, len(cols))
	for i, label := range cols {
		out[i] = Fact{Label: label, Items: values[i], List: label == "Strengths" || label == "Risks"}
	}
	return out
}

// FundingTable is the funding models comparison: one row per model, the
// same columns for each.
type FundingTable struct {
	Columns []string
	Rows    []FundingRow
}

// FundingRow is one funding model in the comparison table.
type FundingRow struct {
	Page  *site.Page
	Cells []Fact
}

// FundingComparison returns the comparison of every funding model.
func (v *View) FundingComparison() *FundingTable {
	t := &FundingTable{Columns: FundingColumns()}
	for _, p := range v.G.OfKind(content.KindFundingModel) {
		t.Rows = append(t.Rows, FundingRow{Page: p, Cells: v.fundingFacts(p)})
	}
	return t
}

// Strength is a finding's strength of evidence, in words and as a scale.
type Strength struct {
	Key, Label, Description string
	// Level counts from 1 (weakest) to Of (strongest).
	Level, Of int
}

// Steps returns one entry per step of the scale, true where filled, so the
// scale is drawn from shapes and text rather than colour alone.
func (s *Strength) Steps() []bool {
	out := make([]bool, s.Of)
	for i := range out {
		out[i] = i < s.Level
	}
	return out
}

// StrengthOf returns the strength of a finding's evidence, or nil.
func (v *View) StrengthOf(p *site.Page) *Strength {
	if p == nil || p.Meta.Strength == "" {
		return nil
	}
	voc := v.Site.Vocab.Get("strengths")
	if voc == nil {
		return nil
	}
	t, _ := voc.Term(p.Meta.Strength)
	// The vocabulary lists strengths strongest first.
	of := len(voc.Terms)
	return &Strength{Key: t.Key, Label: t.Label, Description: t.Description, Level: of - voc.Rank(t.Key), Of: of}
}

// Card is one page in a list of cards: its title, summary and the few
// facts that tell pages of its kind apart.
type Card struct {
	Title, URL, Summary string
	// ID is a finding's or recommendation's ID ("F3"), or "".
	ID string
	// Meta is a short line of facts ("Primary care · Referral").
	Meta     []string
	Strength *Strength
	view     *View
}

// Draw returns the card drawn by the theme's partials/card.html. A card
// shows only its own page, so it is drawn once per build and reused on
// every page that lists it (see View.Cached).
func (c Card) Draw() (template.HTML, error) {
	return c.view.Cached("partials/card.html", c, c.URL)
}

// Cards returns cards for pages.
func (v *View) Cards(pages []*site.Page) []Card {
	out := make([]Card, 0, len(pages))
	for _, p := range pages {
		c := Card{Title: p.Meta.Title, URL: p.URL, Summary: p.Meta.Summary, ID: p.Meta.ID, view: v}
		m := &p.Meta
		switch p.Kind {
		case content.KindFinding:
			c.Strength = v.StrengthOf(p)
			if m.Factor != "" {
				c.Meta = append(c.Meta, v.Label("factors", m.Factor))
			}
		case content.KindRecommendation:
			for _, a := range m.Audience {
				c.Meta = append(c.Meta, v.Label("audiences", a))
			}
		case content.KindCaseStudy:
			c.Meta = append(c.Meta, v.Label("settings", m.Setting), v.Label("models", m.Model))
			if m.Location != "" {
				c.Meta = append(c.Meta, m.Location)
			}
		case content.KindFundingModel:
			if m.Risk != "" {
				c.Meta = append(c.Meta, "Risk to continuity: "+v.Label("risks", m.Risk))
			}
		}
		out = append(out, c)
	}
	return out
}

// ChildCards returns cards for the page's children.
func (v *View) ChildCards() []Card {
	if v.Page == nil {
		return nil
	}
	return v.Cards(v.Page.Children)
}

// RelatedContent returns the pages related to this one, through front
// matter or links to it, grouped by kind, leaving out the kinds the
// layout already lists in its own sections.
func (v *View) RelatedContent(shown ...string) []site.KindGroup {
	if v.Page == nil {
		return nil
	}
	var pages []*site.Page
	for k, ps := range v.Page.Related {
		if !slices.Contains(shown, string(k)) {
			pages = append(pages, ps...)
		}
	}
	for _, p := range v.Page.LinkedFrom {
		if !slices.Contains(shown, string(p.Kind)) && !slices.Contains(pages, p) && p.Kind != content.KindHome {
			pages = append(pages, p)
		}
	}
	slices.SortFunc(pages, func(a, b *site.Page) int {
		return cmp.Or(cmp.Compare(a.Meta.Number, b.Meta.Number), strings.Compare(a.URL, b.URL))
	})
	return site.GroupByKind(pages)
}

// Route is one of the home page's ways in.
type Route struct {
	Title, URL, Text string
}

// Routes returns the home page's three routes: set one up (the guide),
// fund one (the funding report) and see the evidence (the findings).
func (v *View) Routes() []Route {
	var out []Route
	for _, r := range []struct{ title, section string }{
		{"Set one up", "guide"}, {"Fund one", "funding"}, {"See the evidence", "findings"},
	} {
		if s := v.G.Sections[r.section]; s != nil {
			out = append(out, Route{Title: r.title, URL: s.URL, Text: s.Meta.Summary})
		}
	}
	return out
}

// GlossaryEntry is one term on the glossary page.
type GlossaryEntry struct {
	ID, Term, Abbr, Definition string
	Aliases                    []string
}

// GlossaryEntries returns the page's glossary terms in alphabetical order,
// each with the ID that first-use links point to.
func (v *View) GlossaryEntries() []GlossaryEntry {
	if v.Page == nil {
		return nil
	}
	var out []GlossaryEntry
	for _, t := range v.Page.Meta.Terms {
		out = append(out, GlossaryEntry{ID: markdown.GlossaryID(t.Term), Term: t.Term, Abbr: t.Abbr, Definition: t.Definition, Aliases: t.Aliases})
	}
	slices.SortStableFunc(out, func(a, b GlossaryEntry) int { return strings.Compare(strings.ToLower(a.Term), strings.ToLower(b.Term)) })
	return out
}

// ShortLink returns the absolute permanent link of a finding or
// recommendation, or "".
func (v *View) ShortLink() string {
	if v.Page == nil || v.Page.ShortURL == "" {
		return ""
	}
	return v.Site.AbsURL(v.Page.ShortURL)
}

// TagGroup is a labelled list of taxonomy terms shown as tags.
type TagGroup struct {
	Label string
	Terms []*site.Term
}

// Tags returns the page's terms of a vocabulary as tags under label, or
// nil when it has none.
func (v *View) Tags(vocab, label string) *TagGroup {
	terms := v.Terms(vocab)
	if len(terms) == 0 {
		return nil
	}
	return &TagGroup{Label: label, Terms: terms}
}
