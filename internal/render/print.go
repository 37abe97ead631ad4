package render

import (
	"html/template"
	"slices"

	"hjp/internal/content"
	"hjp/internal/markdown"
	"hjp/internal/site"
)

// FundingCompareURL is the funding models comparison table page.
const FundingCompareURL = "/funding/compare/"

// PrintDoc is a whole publication on one page, for printing or saving as
// PDF: the section's introduction, then every chapter in order.
type PrintDoc struct {
	Section *site.Page
	// Label names a chapter: "Chapter" or "Part".
	Label string
	Intro template.HTML
	// Chapters are in reading order.
	Chapters []PrintChapter
	// References are every work the publication cites, once each.
	References []*content.Reference
}

// PrintChapter is one chapter of a PrintDoc. Its headings are one level
// lower than on its own page and its IDs are prefixed with the chapter's
// ID, so every heading and anchor on the joined page is valid and unique.
type PrintChapter struct {
	Page *site.Page
	// ID is the chapter's anchor on the print page: its slug.
	ID       string
	N        int
	Content  template.HTML
	Contents []markdown.Heading
	// Facts is a funding model's comparison block.
	Facts []Fact
}

// themeOutputs are the theme's generated pages: the funding models
// comparison and the print version of each publication.
func (r *Renderer) themeOutputs() []Output {
	var outs []Output
	if len(r.G.OfKind(content.KindFundingModel)) > 0 {
		outs = append(outs, r.htmlOutput(FilePath(FundingCompareURL), nil, "funding-compare", func() *View {
			v := r.genView("funding-compare", "Compare funding models", FundingCompareURL, func(v *View) {
				v.Description = "Every funding model side by side: who pays, for how long, strengths, risks and what each suits."
			})
			r.sectionCrumb(v, "funding")
			return v
		}))
	}
	for _, name := range []string{"guide", "funding"} {
		sec := r.G.Sections[name]
		if sec == nil || len(Publication(sec)) == 0 {
			continue
		}
		u := PrintURL(name)
		out := r.htmlOutput(FilePath(u), nil, "print", func() *View {
			v := r.genView("print", sec.Meta.Title+": print version", u, func(v *View) {
				v.Description = "The whole " + sec.Meta.Title + " on one page, for printing or saving as PDF."
				v.Print = r.printDoc(sec, stepLabel(name))
			})
			r.sectionCrumb(v, name)
			return v
		})
		out.Joins = name
		outs = append(outs, out)
	}
	return outs
}

// sectionCrumb adds a section page to a generated page's breadcrumbs.
func (r *Renderer) sectionCrumb(v *View, section string) {
	if sec := r.G.Sections[section]; sec != nil {
		v.Breadcrumbs = append(v.Breadcrumbs, Crumb{Title: sec.Meta.Title, URL: sec.URL})
	}
}

// printDoc renders a publication's pages again, joined: headings one level
// down under each chapter's H2, IDs prefixed, and links between the
// chapters turned into links within the page.
func (r *Renderer) printDoc(sec *site.Page, label string) *PrintDoc {
	md := r.Markdown
	if md == nil {
		md = markdown.New()
	}
	pages := Publication(sec)
	ids := map[string]string{}
	for _, p := range pages {
		ids[p.Rel] = p.Slug
	}
	doc := &PrintDoc{Section: sec, Label: label}
	render := func(p *site.Page, shift int, prefix string) template.HTML {
		// Problems were reported when the page itself was rendered.
		d, _ := md.Render(markdown.Input{
			File: p.File, Body: p.Body, Offset: p.BodyOffset, RawHTML: p.Meta.RawHTML,
			Resolver: printResolver{Resolver: r.G.Resolver(p), g: r.G, ids: ids},
			Glossary: r.Glossary, HeadingShift: shift, IDPrefix: prefix, PlainHeadings: true,
		})
		return template.HTML(d.HTML)
	}
	doc.Intro = render(sec, 0, "introduction--")
	v := &View{Site: r.G.Site, G: r.G}
	for i, p := range pages {
		ch := PrintChapter{Page: p, ID: p.Slug, N: i + 1, Content: render(p, 1, p.Slug+"--")}
		for _, h := range p.Doc.Headings {
			if h.Level == 2 {
				h.ID = p.Slug + "--" + h.ID
				ch.Contents = append(ch.Contents, h)
			}
		}
		if p.Kind == content.KindFundingModel {
			ch.Facts = v.Facts(p)
		}
		doc.Chapters = append(doc.Chapters, ch)
		for _, ref := range p.References {
			if !slices.Contains(doc.References, ref) {
				doc.References = append(doc.References, ref)
			}
		}
	}
	for _, ref := range sec.References {
		if !slices.Contains(doc.References, ref) {
			doc.References = append(doc.References, ref)
		}
	}
	order := map[*content.Reference]int{}
	for i, ref := range r.G.References.List {
		order[ref] = i
	}
	slices.SortFunc(doc.References, func(a, b *content.Reference) int { return order[a] - order[b] })
	return doc
}

// printResolver resolves links as the page's own resolver does, except that
// a link to a chapter of the same publication becomes a link within the
// print page.
type printResolver struct {
	markdown.Resolver
	g   *site.Graph
	ids map[string]string // content path → chapter ID
}

func (r printResolver) ResolveLink(dest string, image bool) (markdown.Target, error) {
	t, err := r.Resolver.ResolveLink(dest, image)
	if err != nil || t.Page == "" {
		return t, err
	}
	id, ok := r.ids[t.Page]
	if !ok {
		return t, nil
	}
	t.URL = "#" + id
	if p := r.g.ByRel(t.Page); p != nil && t.Anchor != "" && slices.ContainsFunc(p.Doc.Headings, func(h markdown.Heading) bool { return h.ID == t.Anchor }) {
		t.URL = "#" + id + "--" + t.Anchor
	}
	return t, nil
}
