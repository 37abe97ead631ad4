package render

import (
	"html/template"
	"strconv"
	"strings"

	"hjp/internal/content"
	"hjp/internal/jsonstr"
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
	// A page's block is 2-3 KB: start there rather than grow to it.
	b := append(make([]byte, 0, 4096), `{"@context":"https://schema.org","@graph":[`...)
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
		var err error
		if b, err = website.appendJSON(b, true); err != nil {
			return "", err
		}
	} else {
		b = v.appendPageData(b, websiteID, image)
	}
	if len(v.Breadcrumbs) > 0 {
		b = v.appendBreadcrumbData(append(b, ','))
	}
	b = append(b, "]}"...)
	return template.JS(bytesString(b)), nil
}

// The page's own blocks are written straight into the JSON, as
// object.appendJSON would write them (TestStructuredDataAsObjects holds
// the two to the same bytes): built as objects, they were a third of
// the allocations of drawing a page.

// appendKey appends a member's key: a comma unless it is the first
// (after "{"), the quoted key and a colon.
func appendKey(b []byte, key string) []byte {
	if b[len(b)-1] != '{' {
		b = append(b, ',')
	}
	b = jsonstr.Append(b, key, true)
	return append(b, ':')
}

// appendStringMember appends "key":"value".
func appendStringMember(b []byte, key, value string) []byte {
	return jsonstr.Append(appendKey(b, key), value, true)
}

// appendPageData appends pageData: an Article for a piece of writing,
// with the works it cites, otherwise a WebPage.
func (v *View) appendPageData(b []byte, websiteID, image string) []byte {
	typ, title := "WebPage", "name"
	if v.IsArticle() {
		typ, title = "Article", "headline"
	}
	b = append(b, '{')
	b = appendStringMember(b, "@type", typ)
	b = appendStringMember(b, "@id", v.Canonical)
	b = appendStringMember(b, "url", v.Canonical)
	b = appendStringMember(b, title, v.Title)
	if v.Description != "" {
		b = appendStringMember(b, "description", v.Description)
	}
	b = appendStringMember(b, "inLanguage", v.Site.Language)
	b = append(appendKey(b, "isPartOf"), '{')
	b = appendStringMember(b, "@type", "WebSite")
	b = appendStringMember(b, "@id", websiteID)
	b = appendStringMember(b, "name", v.Site.Title)
	b = appendStringMember(b, "url", v.Site.AbsURL("/"))
	b = append(b, '}')
	if v.Page != nil && v.Page.Meta.ID != "" {
		b = appendStringMember(b, "identifier", v.Page.Meta.ID)
	}
	if d := v.Updated(); d != "" {
		b = appendStringMember(b, "dateModified", d)
	}
	if image != "" && v.IsArticle() {
		b = appendStringMember(b, "image", image)
	}
	if v.Site.Licence.URL != "" {
		b = appendStringMember(b, "license", v.Site.Licence.URL)
	}
	if v.Page != nil && len(v.Page.References) > 0 {
		b = append(appendKey(b, "citation"), '[')
		for i, r := range v.Page.References {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, v.citationJSON(r)...)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// appendBreadcrumbData appends breadcrumbData: the trail as a
// BreadcrumbList, ending with the page itself.
func (v *View) appendBreadcrumbData(b []byte) []byte {
	b = append(b, '{')
	b = appendStringMember(b, "@type", "BreadcrumbList")
	b = append(appendKey(b, "itemListElement"), '[')
	item := func(position int, name, url string) {
		if position > 1 {
			b = append(b, ',')
		}
		b = append(b, '{')
		b = appendStringMember(b, "@type", "ListItem")
		b = strconv.AppendInt(appendKey(b, "position"), int64(position), 10)
		b = appendStringMember(b, "name", name)
		b = appendStringMember(b, "item", url)
		b = append(b, '}')
	}
	for i, c := range v.Breadcrumbs {
		item(i+1, c.Title, v.Site.AbsURL(c.URL))
	}
	item(len(v.Breadcrumbs)+1, v.Title, v.Canonical)
	return append(b, "]}"...)
}

// citationJSON returns citationData(r) as JSON (escaped for a <script>
// element), worked out once per build: a work is cited by many pages.
// It is a string, as the cache keeps it, so that appending it to a
// page's JSON copies it once.
func (v *View) citationJSON(r *content.Reference) string {
	var c *drawings
	if v.r != nil {
		c = v.r.cache
	}
	// No layout is named "\x00": the key is not a drawing's.
	k := cacheKey{layout: "\x00", name: "citation", key: r.Key}
	if c != nil {
		if h, ok := c.load(k); ok {
			return string(h)
		}
	}
	b, _ := citationData(r).appendJSON(nil, true) // only strings: cannot fail
	if c == nil {
		return string(b)
	}
	return string(c.store(k, template.HTML(b)))
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
