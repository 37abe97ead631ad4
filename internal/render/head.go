package render

import (
	"html/template"
	"strings"

	"hjp/internal/content"
)

// What partials/head-meta.html needs beyond the View's fields: sharing
// (Open Graph) and structured data (schema.org JSON-LD), prepared here so
// the partial only lays it out.

// IsArticle reports whether the page is a piece of writing in its own
// right (a chapter, funding model, case study, finding or
// recommendation), shared and described as an article.
func (v *View) IsArticle() bool {
	switch v.Kind() {
	case content.KindChapter, content.KindFundingChapter, content.KindFundingModel,
		content.KindCaseStudy, content.KindFinding, content.KindRecommendation:
		return true
	}
	return false
}

// OGType is the Open Graph type: "article" or "website".
func (v *View) OGType() string {
	if v.IsArticle() {
		return "article"
	}
	return "website"
}

// OGLocale is the site language as Open Graph writes it ("en_GB").
func (v *View) OGLocale() string { return strings.ReplaceAll(v.Site.Language, "-", "_") }

// Updated is the date the page last changed, or "".
func (v *View) Updated() string { return LastModified(v.Page) }

// ShareTitle is the title shown when the page is shared: the page title,
// with the ID of a finding or recommendation ("R3: …").
func (v *View) ShareTitle() string {
	if v.Page != nil && v.Page.Meta.ID != "" {
		return v.Page.Meta.ID + ": " + v.Title
	}
	if v.Kind() == content.KindHome {
		return v.Site.Title
	}
	return v.Title
}

// StructuredData is the page's schema.org description for search engines,
// written into a <script type="application/ld+json"> block (data, not
// script: browsers do not run it, so the CSP allows it). image is the
// absolute URL of the sharing image, or "". It returns "" for pages that
// are not indexed. The JSON is written here, escaped as html/template
// would escape it in a script block (<, > and & as \u003c …), so the
// template inserts it as it is.
func (v *View) StructuredData(image string) (template.JS, error) {
	if v.Robots == "noindex" || v.Layout == "404" || v.Layout == "alias" {
		return "", nil
	}
	s := v.Site
	websiteID := s.AbsURL("/") + "#website"
	var graph []object
	if v.Kind() == content.KindHome {
		// The site is described in full once, on the home page; other
		// pages name it by @id.
		website := object{
			{"@type", "WebSite"},
			{"@id", websiteID},
			{"name", s.Title},
			{"url", s.AbsURL("/")},
			{"inLanguage", s.Language},
		}
		if s.Description != "" {
			website = append(website, member{"description", s.Description})
		}
		if s.Licence.URL != "" {
			website = append(website, member{"license", s.Licence.URL})
		}
		graph = append(graph, website)
	} else {
		graph = append(graph, v.pageData(websiteID, image))
	}
	if crumbs := v.breadcrumbData(); crumbs != nil {
		graph = append(graph, crumbs)
	}
	// A page's block is 2-3 KB: start there rather than grow to it.
	b, err := object{{"@context", "https://schema.org"}, {"@graph", graph}}.appendJSON(make([]byte, 0, 4096), true)
	return template.JS(bytesString(b)), err
}

// pageData describes the page: an Article for a piece of writing, with
// the works it cites, otherwise a WebPage.
func (v *View) pageData(websiteID, image string) object {
	typ := "WebPage"
	if v.IsArticle() {
		typ = "Article"
	}
	title := "name"
	if v.IsArticle() {
		title = "headline"
	}
	o := object{
		{"@type", typ},
		{"@id", v.Canonical},
		{"url", v.Canonical},
		{title, v.Title},
	}
	if v.Description != "" {
		o = append(o, member{"description", v.Description})
	}
	o = append(o, member{"inLanguage", v.Site.Language},
		member{"isPartOf", object{{"@type", "WebSite"}, {"@id", websiteID}, {"name", v.Site.Title}, {"url", v.Site.AbsURL("/")}}})
	if v.Page != nil && v.Page.Meta.ID != "" {
		o = append(o, member{"identifier", v.Page.Meta.ID})
	}
	if d := v.Updated(); d != "" {
		o = append(o, member{"dateModified", d})
	}
	if image != "" && v.IsArticle() {
		o = append(o, member{"image", image})
	}
	if v.Site.Licence.URL != "" {
		o = append(o, member{"license", v.Site.Licence.URL})
	}
	if v.Page != nil && len(v.Page.References) > 0 {
		cites := rawJSON{'['}
		for i, r := range v.Page.References {
			if i > 0 {
				cites = append(cites, ',')
			}
			cites = append(cites, v.citationJSON(r)...)
		}
		o = append(o, member{"citation", append(cites, ']')})
	}
	return o
}

// citationJSON returns citationData(r) as JSON (escaped for a <script>
// element), worked out once per build: a work is cited by many pages.
func (v *View) citationJSON(r *content.Reference) rawJSON {
	var c *drawings
	if v.r != nil {
		c = v.r.cache
	}
	// No layout is named "\x00": the key is not a drawing's.
	k := cacheKey{layout: "\x00", name: "citation", key: r.Key}
	if c != nil {
		if h, ok := c.load(k); ok {
			return rawJSON(h)
		}
	}
	b, _ := citationData(r).appendJSON(nil, true) // only strings: cannot fail
	if c == nil {
		return b
	}
	return rawJSON(c.store(k, template.HTML(b)))
}

// citationData describes a cited work as schema.org does, briefly: the
// page's reference list has the full entry, and this block is sent with
// every load of the page.
func citationData(r *content.Reference) object {
	o := object{{"@type", citationType(r.Type)}, {"name", r.Title}}
	var authors []object
	for _, a := range r.Authors {
		family, given, person := strings.Cut(a, ",")
		if person {
			authors = append(authors, object{{"@type", "Person"}, {"name", strings.TrimSpace(given) + " " + strings.TrimSpace(family)}})
		} else {
			authors = append(authors, object{{"@type", "Organization"}, {"name", strings.TrimSpace(a)}})
		}
	}
	if authors != nil {
		o = append(o, member{"author", authors})
	}
	if r.Year != "" && r.Year != "n.d." {
		o = append(o, member{"datePublished", r.Year})
	}
	// One address: the DOI's where there is one, as it never moves.
	switch {
	case r.DOI != "":
		o = append(o, member{"url", "https://doi.org/" + r.DOI})
	case r.URL != "":
		o = append(o, member{"url", r.URL})
	}
	return o
}

// citationType maps a reference type to a schema.org type.
func citationType(t string) string {
	switch t {
	case "article":
		return "ScholarlyArticle"
	case "report":
		return "Report"
	case "webpage":
		return "WebPage"
	case "book":
		return "Book"
	case "chapter":
		return "Chapter"
	case "thesis":
		return "Thesis"
	}
	return "CreativeWork"
}

// breadcrumbData is the breadcrumb trail as a BreadcrumbList, ending with
// the page itself; nil for the home page.
func (v *View) breadcrumbData() object {
	if len(v.Breadcrumbs) == 0 {
		return nil
	}
	var items []object
	add := func(name, url string) {
		items = append(items, object{{"@type", "ListItem"}, {"position", len(items) + 1}, {"name", name}, {"item", url}})
	}
	for _, c := range v.Breadcrumbs {
		add(c.Title, v.Site.AbsURL(c.URL))
	}
	add(v.Title, v.Canonical)
	return object{{"@type", "BreadcrumbList"}, {"itemListElement", items}}
}
