package render

import (
	"html/template"
	"os"
	"testing"

	"hjp/internal/config"
	"hjp/internal/content"
	"hjp/internal/corpus"
	"hjp/internal/site"
	"hjp/internal/testsite"
)

// TestStructuredDataAsObjects holds the page's JSON-LD, written straight
// into bytes, to what building it as objects (the code before, kept
// below) writes, byte for byte, for every page of the real site and of a
// generated corpus, with and without a sharing image.
func TestStructuredDataAsObjects(t *testing.T) {
	fsys, err := corpus.FS(300, 2)
	if err != nil {
		t.Fatal(err)
	}
	for name, g := range map[string]*site.Graph{
		"real site": graphOf(t, os.DirFS(testsite.Root()), config.Options{}),
		"corpus":    graphOf(t, fsys, config.Options{}),
	} {
		r := &Renderer{G: g, Theme: &Theme{}}
		checked := 0
		for _, p := range g.Pages {
			v := r.pageView(p)
			for _, image := range []string{"", "https://example.org/share.png"} {
				got, err := v.StructuredData(image)
				if err != nil {
					t.Fatal(err)
				}
				want, err := v.structuredDataAsObjects(image)
				if err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("%s %s (image %q):\n got %s\nwant %s", name, p.URL, image, got, want)
				}
				if got != "" {
					checked++
				}
			}
		}
		if checked < 100 {
			t.Errorf("%s: %d blocks checked: too few", name, checked)
		}
	}
}

func (v *View) structuredDataAsObjects(image string) (template.JS, error) {
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
		graph = append(graph, v.pageDataAsObjects(websiteID, image))
	}
	if crumbs := v.breadcrumbDataAsObjects(); crumbs != nil {
		graph = append(graph, crumbs)
	}
	// A page's block is 2-3 KB: start there rather than grow to it.
	b, err := object{{"@context", "https://schema.org"}, {"@graph", graph}}.appendJSON(make([]byte, 0, 4096), true)
	return template.JS(bytesString(b)), err
}

func (v *View) pageDataAsObjects(websiteID, image string) object {
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

func (v *View) breadcrumbDataAsObjects() object {
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
