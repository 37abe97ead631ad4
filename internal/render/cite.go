package render

import (
	"bytes"
	"fmt"
	"strings"

	"hjp/internal/config"
	"hjp/internal/content"
	"hjp/internal/site"
)

// Citation is the suggested way to cite one finding or recommendation:
// the site as corporate author, the permanent short URL and the date the
// page was last updated.
type Citation struct {
	Key       string // "hjp-r1"
	Author    string
	Year      string // year of the last update, or "n.d."
	Title     string // "R1: Place advice where patients already get care"
	Publisher string
	URL       string // absolute permanent URL
	Updated   string // YYYY-MM-DD, or ""
}

// CitationOf returns the citation of a finding or recommendation, or nil
// for other pages.
func CitationOf(s *config.Site, p *site.Page) *Citation {
	if p == nil || p.ShortURL == "" || (p.Kind != content.KindFinding && p.Kind != content.KindRecommendation) {
		return nil
	}
	c := &Citation{
		Key:       "hjp-" + strings.ToLower(p.Meta.ID),
		Author:    s.Title,
		Year:      "n.d.",
		Title:     p.Meta.ID + ": " + p.Meta.Title,
		Publisher: s.Title,
		URL:       s.AbsURL(p.ShortURL),
		Updated:   p.Meta.Updated,
	}
	if len(p.Meta.Updated) >= 4 {
		c.Year = p.Meta.Updated[:4]
	}
	return c
}

// Harvard is the citation as Harvard-style text, ready to copy.
func (c *Citation) Harvard() string {
	s := fmt.Sprintf("%s (%s) %s. Available at: %s", c.Author, c.Year, c.Title, c.URL)
	if c.Updated != "" {
		s += " (Last updated: " + LongDate(c.Updated) + ")"
	}
	return s + "."
}

// BibTeX is the citation as a BibTeX @misc entry.
func (c *Citation) BibTeX() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "@misc{%s,\n", c.Key)
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "  %s = {%s},\n", name, value)
		}
	}
	field("author", "{"+bibEscape(c.Author)+"}")
	field("title", "{"+bibEscape(c.Title)+"}")
	if c.Year != "n.d." {
		field("year", c.Year)
	}
	field("publisher", bibEscape(c.Publisher))
	field("howpublished", `\url{`+c.URL+`}`)
	field("url", c.URL)
	if c.Updated != "" {
		field("note", "Last updated "+c.Updated)
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// bibEscaper escapes LaTeX's special characters. A Replacer is safe for
// concurrent use and never changes once made; making one per field cost
// more than the rest of a BibTeX file.
var bibEscaper = strings.NewReplacer(`\`, `\textbackslash{}`, `{`, `\{`, `}`, `\}`, `&`, `\&`, `%`, `\%`, `$`, `\$`, `#`, `\#`, `_`, `\_`, `~`, `\textasciitilde{}`, `^`, `\textasciicircum{}`)

// bibEscape escapes LaTeX's special characters in BibTeX field text.
func bibEscape(s string) string { return bibEscaper.Replace(s) }

// RIS is the citation in the RIS format reference managers import.
func (c *Citation) RIS() []byte {
	var b bytes.Buffer
	line := func(tag, value string) {
		if value != "" {
			fmt.Fprintf(&b, "%s  - %s\r\n", tag, value)
		}
	}
	line("TY", "ELEC")
	line("AU", c.Author)
	line("TI", c.Title)
	if c.Year != "n.d." {
		line("PY", c.Year)
	}
	if c.Updated != "" {
		line("DA", strings.ReplaceAll(c.Updated, "-", "/"))
	}
	line("PB", c.Publisher)
	line("UR", c.URL)
	line("ID", c.Key)
	b.WriteString("ER  - \r\n")
	return b.Bytes()
}
