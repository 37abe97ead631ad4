package render

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"html/template"
	"slices"
	"strings"

	"hjp/internal/content"
	"hjp/internal/site"
)

// FeedLimit is how many of the most recently updated pages feed.xml lists.
const FeedLimit = 50

// The Atom (RFC 4287) document of feed.xml.
type atomFeed struct {
	XMLName   xml.Name    `xml:"feed"`
	NS        string      `xml:"xmlns,attr"`
	Lang      string      `xml:"xml:lang,attr,omitempty"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	Links     []atomLink  `xml:"link"`
	ID        string      `xml:"id"`
	Updated   string      `xml:"updated"`
	Author    atomPerson  `xml:"author"`
	Rights    string      `xml:"rights,omitempty"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomEntry struct {
	Title    string       `xml:"title"`
	Link     atomLink     `xml:"link"`
	ID       string       `xml:"id"`
	Updated  string       `xml:"updated"`
	Summary  string       `xml:"summary,omitempty"`
	Category atomCategory `xml:"category"`
	Content  atomContent  `xml:"content"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr"`
}

type atomContent struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

// FeedPages returns the pages of "What's new": every page with an updated
// date, newest first (then by URL, so equal dates keep a fixed order), at
// most FeedLimit of them.
func FeedPages(g *site.Graph) []*site.Page {
	var out []*site.Page
	for _, p := range g.Pages {
		if p.Meta.Updated != "" {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *site.Page) int {
		return cmp.Or(strings.Compare(b.Meta.Updated, a.Meta.Updated), strings.Compare(a.URL, b.URL))
	})
	if len(out) > FeedLimit {
		out = out[:FeedLimit]
	}
	return out
}

// atomDate turns a YYYY-MM-DD date into an Atom timestamp. The time of
// day is fixed at midnight UTC: the content gives dates only, and the
// build must not read the clock.
func atomDate(d string) string { return d + "T00:00:00Z" }

// feed writes feed.xml, the Atom feed of what changed: each updated page
// with its summary and, for recommendations, its change notes.
func (r *Renderer) feed(buf *bytes.Buffer) error {
	s := r.G.Site
	pages := FeedPages(r.G)
	f := atomFeed{
		NS:       "http://www.w3.org/2005/Atom",
		Lang:     s.Language,
		Title:    s.Title + ": what's new",
		Subtitle: s.Description,
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: s.AbsURL(FeedPath)},
			{Rel: "alternate", Type: "text/html", Href: s.AbsURL("/")},
		},
		ID:        s.AbsURL("/"),
		Updated:   atomDate(feedUpdated(pages)),
		Author:    atomPerson{Name: s.Title, URI: s.AbsURL("/")},
		Rights:    s.Licence.Name,
		Generator: "hjp",
	}
	for _, p := range pages {
		title := p.Meta.Title
		if p.Meta.ID != "" {
			title = p.Meta.ID + ": " + title
		}
		f.Entries = append(f.Entries, atomEntry{
			Title:    title,
			Link:     atomLink{Rel: "alternate", Type: "text/html", Href: s.AbsURL(p.URL)},
			ID:       s.AbsURL(p.URL),
			Updated:  atomDate(p.Meta.Updated),
			Summary:  p.Meta.Summary,
			Category: atomCategory{Term: string(p.Kind), Label: content.KindLabel(p.Kind)},
			Content:  atomContent{Type: "html", Body: feedContent(p)},
		})
	}
	return writeXML(buf, f)
}

// feedUpdated is the feed's own date: its newest entry's, or the Unix
// epoch for a site with no dated pages (a fixed value, never the clock).
func feedUpdated(pages []*site.Page) string {
	if len(pages) == 0 {
		return "1970-01-01"
	}
	return pages[0].Meta.Updated
}

// feedContent is an entry's HTML: the summary, then the change notes.
func feedContent(p *site.Page) string {
	esc := template.HTMLEscapeString
	var b strings.Builder
	b.WriteString("<p>" + esc(p.Meta.Summary) + "</p>")
	if len(p.Meta.Changes) > 0 {
		b.WriteString("<p>Changes:</p><ul>")
		for _, c := range p.Meta.Changes {
			b.WriteString("<li>" + esc(LongDate(c.Date)) + ": " + esc(c.Note) + "</li>")
		}
		b.WriteString("</ul>")
	}
	return b.String()
}
