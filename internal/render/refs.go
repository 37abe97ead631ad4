package render

import (
	"html/template"
	"strings"
	"sync"
	"time"

	"hjp/internal/content"
)

// ReferenceHTML formats a bibliography entry in Harvard style (Cite Them
// Right): authors, (year), title, container, publisher, DOI or URL.
func ReferenceHTML(r *content.Reference) template.HTML {
	var b strings.Builder
	esc := template.HTMLEscapeString
	title := strings.TrimRight(r.Title, ".")
	if len(r.Authors) == 0 {
		// Harvard puts the title first when there is no author.
		b.WriteString("<i>" + esc(title) + "</i> (" + esc(r.YearLabel) + ")")
		if r.Container != "" {
			b.WriteString(" " + esc(r.Container) + ".")
		} else {
			b.WriteString(".")
		}
		refTail(&b, r)
		return template.HTML(b.String())
	}
	b.WriteString(esc(AuthorList(r.Authors)))
	b.WriteString(" (" + esc(r.YearLabel) + ") ")
	switch r.Type {
	case "article", "chapter":
		b.WriteString("‘" + esc(title) + "’")
		if r.Container != "" {
			b.WriteString(", <i>" + esc(r.Container) + "</i>")
		}
		if r.Volume != "" {
			b.WriteString(", " + esc(r.Volume))
			if r.Issue != "" {
				b.WriteString("(" + esc(r.Issue) + ")")
			}
		}
		if r.Pages != "" {
			b.WriteString(", pp. " + esc(r.Pages))
		}
		b.WriteString(".")
	default:
		b.WriteString("<i>" + esc(title) + "</i>.")
		if r.Container != "" && r.Container != r.Publisher {
			b.WriteString(" " + esc(r.Container) + ".")
		}
	}
	refTail(&b, r)
	return template.HTML(b.String())
}

// refTail writes publisher, DOI or URL, and note.
func refTail(b *strings.Builder, r *content.Reference) {
	esc := template.HTMLEscapeString
	if r.Publisher != "" && r.Type != "article" {
		b.WriteString(" " + esc(strings.TrimRight(r.Publisher, ".")) + ".")
	}
	switch {
	case r.DOI != "":
		u := "https://doi.org/" + r.DOI
		b.WriteString(` doi: <a href="` + esc(u) + `">` + esc(r.DOI) + `</a>.`)
	case r.URL != "":
		b.WriteString(` Available at: <a href="` + esc(r.URL) + `">` + esc(r.URL) + `</a>`)
		if r.Accessed != "" {
			b.WriteString(" (Accessed: " + esc(LongDate(r.Accessed)) + ")")
		}
		b.WriteString(".")
	}
	if r.Note != "" {
		b.WriteString(" " + esc(strings.TrimRight(r.Note, ".")) + ".")
	}
}

// memoReferenceHTML returns ReferenceHTML remembering its results: a
// reference appears on every page that cites it and on the reference list,
// and its text is the same each time. The memory lives as long as the
// template functions, which is one build.
func memoReferenceHTML() func(*content.Reference) template.HTML {
	var mu sync.Mutex
	memo := map[*content.Reference]template.HTML{}
	return func(r *content.Reference) template.HTML {
		mu.Lock()
		h, ok := memo[r]
		mu.Unlock()
		if !ok {
			h = ReferenceHTML(r)
			mu.Lock()
			memo[r] = h
			mu.Unlock()
		}
		return h
	}
}

// AuthorList writes authors as "Beardon, S., Woodhead, C. and Genn, H.";
// an organisation stays whole.
func AuthorList(authors []string) string {
	names := make([]string, len(authors))
	for i, a := range authors {
		family, given, ok := strings.Cut(a, ",")
		if !ok {
			names[i] = strings.TrimSpace(a)
			continue
		}
		names[i] = strings.TrimSpace(family) + ", " + initials(given)
	}
	switch len(names) {
	case 0:
		return "Anon."
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// initials turns "Sarah Jane" or "S. J." into "S.J.".
func initials(given string) string {
	var b strings.Builder
	for part := range strings.FieldsSeq(strings.ReplaceAll(given, ".", " ")) {
		for _, sub := range strings.Split(part, "-") {
			r := []rune(sub)
			if len(r) > 0 {
				b.WriteString(string(r[0]) + ".")
			}
		}
	}
	return b.String()
}

// LongDate writes 2026-11-26 as "26 November 2026" (GOV.UK style); other
// text is returned as it is.
func LongDate(s string) string {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return t.Format("2 January 2006")
}
