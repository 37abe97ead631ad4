package corpus

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
)

// render writes page i: front matter, then body.
func (g *generator) render(i int) []byte {
	r := g.rng(purposeBody, i)
	var b strings.Builder
	b.Grow(9000)
	b.WriteString("---\n")
	g.frontMatter(&b, r, i)
	b.WriteString("---\n\n")
	g.body(&b, r, i)
	return []byte(b.String())
}

// fm writes front matter lines.
type fm struct{ b *strings.Builder }

func (f fm) text(k, v string) { fmt.Fprintf(f.b, "%s: %s\n", k, quote(v)) }
func (f fm) plain(k, v string) {
	if v != "" {
		fmt.Fprintf(f.b, "%s: %s\n", k, v)
	}
}
func (f fm) list(k string, vs []string) {
	if len(vs) > 0 {
		fmt.Fprintf(f.b, "%s: [%s]\n", k, strings.Join(vs, ", "))
	}
}
func (f fm) block(k string, vs []string) {
	if len(vs) == 0 {
		return
	}
	fmt.Fprintf(f.b, "%s:\n", k)
	for _, v := range vs {
		fmt.Fprintf(f.b, "  - %s\n", quote(v))
	}
}

func date(r prose) string {
	return fmt.Sprintf("20%02d-%02d-%02d", r.between(23, 25), r.between(1, 12), r.between(1, 28))
}

// some returns between lo and hi distinct items of list, in list order.
func some(r prose, list []string, lo, hi int) []string {
	k := min(r.between(lo, hi), len(list))
	idx := r.r.Perm(len(list))[:k]
	slices.Sort(idx)
	out := make([]string, k)
	for j, x := range idx {
		out[j] = list[x]
	}
	return out
}

// related returns the front-matter names of between lo and hi distinct
// pages of kind k other than page self.
func (g *generator) related(r prose, k kind, self, lo, hi int) []string {
	cands := g.byKind[k]
	n := min(r.between(lo, hi), len(cands))
	var out []string
	seen := map[int]bool{self: true}
	for tries := 0; len(out) < n && tries < 4*n; tries++ {
		j := cands[r.r.IntN(len(cands))]
		if seen[j] {
			continue
		}
		seen[j] = true
		out = append(out, g.pages[j].ref)
	}
	return out
}

func (g *generator) sources(r prose, lo, hi int) []string {
	n := r.between(lo, hi)
	out := make([]string, 0, n)
	for range n {
		k := g.refs[r.r.IntN(len(g.refs))].key
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

func (g *generator) frontMatter(b *strings.Builder, r prose, i int) {
	p := &g.pages[i]
	f := fm{b}
	f.text("title", p.title)
	f.text("summary", p.summary)
	if p.weight > 0 {
		f.plain("weight", strconv.Itoa(p.weight))
	}
	if p.kind == home || p.kind == section {
		return
	}
	f.plain("updated", date(r))
	if p.alias != "" {
		f.list("aliases", []string{p.alias})
	}
	themes := g.keys("themes")
	switch p.kind {
	case chapter, fundingChapter:
		f.list("themes", some(r, themes, 1, 3))
		f.list("findings", g.related(r, finding, i, 0, 3))
		f.list("recommendations", g.related(r, recommendation, i, 0, 1))
		f.list("case_studies", g.related(r, caseStudy, i, 0, 2))
	case fundingModel:
		f.plain("model", p.model)
		f.text("payer", r.pick(payers))
		f.text("duration", r.pick(durations))
		f.plain("risk", r.pick(g.keys("risks")))
		lo := r.between(1, 4) * 6
		f.plain("duration_months", fmt.Sprintf("[%d, %d]", lo, lo+r.between(0, 6)*6))
		f.block("strengths", []string{capitalise(r.clause()), capitalise(r.clause())})
		f.block("risks", []string{capitalise(r.clause())})
		f.text("suits", capitalise(r.clause()))
		f.list("themes", append([]string{"funding"}, some(r, themes[:4], 0, 1)...))
		f.list("sources", g.sources(r, 1, 2))
		f.list("case_studies", g.related(r, caseStudy, i, 0, 2))
	case caseStudy:
		f.plain("setting", r.pick(g.keys("settings")))
		f.plain("model", r.pick(g.keys("models")))
		f.list("problems", some(r, g.keys("problems"), 1, 3))
		f.list("funding", g.related(r, fundingModel, i, 1, 2))
		f.list("findings", g.related(r, finding, i, 1, 3))
		f.plain("status", r.pick(g.keys("statuses")))
		_, place, _ := strings.Cut(p.title, ", ")
		f.text("location", place)
		start := r.between(2012, 2022)
		f.text("period", fmt.Sprintf("%d to %d", start, start+r.between(1, 4)))
		f.block("partners", some(r, partnerOrgs, 1, 3))
		f.list("themes", some(r, themes, 1, 3))
		f.list("sources", g.sources(r, 1, 2))
	case finding:
		f.plain("id", p.ref)
		f.plain("factor", r.pick(g.keys("factors")))
		if r.chance(4, 5) {
			f.plain("strength", r.pick(g.keys("strengths")))
		}
		f.list("settings", some(r, g.keys("settings"), 1, 3))
		f.list("themes", some(r, themes, 1, 3))
		f.list("sources", g.sources(r, 1, 3))
		f.list("case_studies", g.related(r, caseStudy, i, 0, 2))
	case recommendation:
		f.plain("id", p.ref)
		f.list("audience", some(r, g.keys("audiences"), 1, 3))
		f.list("findings", g.related(r, finding, i, 1, 4))
		f.list("case_studies", g.related(r, caseStudy, i, 0, 1))
		f.list("themes", some(r, themes, 0, 2))
		b.WriteString("changes:\n")
		for k := range r.between(1, 3) {
			note := "First published."
			if k > 0 {
				note = capitalise(r.clause()) + "."
			}
			fmt.Fprintf(b, "  - date: %s\n    note: %s\n", date(r), quote(note))
		}
	case plainPage:
		if strings.HasSuffix(p.rel, "glossary.md") {
			b.WriteString("terms:\n")
			for _, t := range some(r, termWords, 8, 14) {
				fmt.Fprintf(b, "  - term: %s\n    definition: %s\n", quote(t), quote(capitalise(r.clause())+"."))
			}
		}
	}
}

// linkTo writes the destination of a link from page from to page to: a
// path relative to from's folder, or now and then one from content/.
func linkTo(r prose, from, to *page) string {
	dir := path.Dir(from.rel)
	switch {
	case r.chance(1, 10):
		return "/" + to.rel
	case dir == ".":
		return to.rel
	case path.Dir(to.rel) == dir:
		return path.Base(to.rel)
	}
	return "../" + to.rel
}

// bodyState tracks what is left to place in a page body.
type bodyState struct {
	r      prose
	b      *strings.Builder
	words  int
	target int
	cites  []string
	links  []string // Markdown links, ready to write
}

// attach reports whether to place one of left items in the next sentence,
// spreading them over the rest of the page.
func (s *bodyState) attach(left int) bool {
	if left == 0 {
		return false
	}
	rest := max(1, s.target-s.words)
	return s.r.r.IntN(rest) < left*18
}

func (s *bodyState) sentence() string {
	var cite string
	if s.attach(len(s.cites)) {
		cite, s.cites = s.cites[0], s.cites[1:]
		if len(s.cites) > 0 && s.r.chance(1, 6) {
			cite += "; @" + s.cites[0]
			s.cites = s.cites[1:]
		}
	}
	var out string
	if strings.Contains(cite, ";") {
		out = s.r.sentence("") // a multi-work citation is always in brackets
		out = strings.TrimSuffix(out, ".") + " [@" + cite + "]."
	} else {
		out = s.r.sentence(cite)
	}
	if s.attach(len(s.links)) {
		out += " " + linkSentence(s.r, s.links[0])
		s.links = s.links[1:]
	}
	s.words += wordCount(out)
	return out
}

var linkForms = []string{"See %s for more.", "Read %s.", "This builds on %s.", "Compare %s.", "There is more in %s.", "The page on %s explains why."}

func linkSentence(r prose, link string) string {
	return capitalise(fmt.Sprintf(r.pick(linkForms), link))
}

func (s *bodyState) paragraph(sentences int) {
	for k := range sentences {
		if k > 0 {
			s.b.WriteByte(' ')
		}
		s.b.WriteString(s.sentence())
	}
	s.b.WriteString("\n\n")
}

func (s *bodyState) list(ordered bool) {
	for k := range s.r.between(3, 6) {
		marker := "-"
		if ordered {
			marker = strconv.Itoa(k+1) + "."
		}
		item := capitalise(s.r.clause()) + "."
		if s.attach(len(s.links)) {
			item += " " + linkSentence(s.r, s.links[0])
			s.links = s.links[1:]
		}
		s.words += wordCount(item)
		s.b.WriteString(marker + " " + item + "\n")
	}
	s.b.WriteString("\n")
}

func (s *bodyState) table() {
	s.b.WriteString("| Measure | Before | After |\n| --- | ---: | ---: |\n")
	for range s.r.between(3, 6) {
		row := fmt.Sprintf("| %s | £%d | £%d |\n", capitalise(s.r.pick(objects)), s.r.between(100, 4000), s.r.between(500, 9000))
		s.words += wordCount(row) - 3
		s.b.WriteString(row)
	}
	s.b.WriteString("\n")
}

// body writes the page's prose: an introduction, then every planned
// heading with paragraphs, lists, a table or a quotation under it, until
// the page reaches its word target.
func (g *generator) body(b *strings.Builder, r prose, i int) {
	p := &g.pages[i]
	s := &bodyState{r: r, b: b, target: r.between(700, 1040)}
	for j := i; j < len(g.refs); j += len(g.pages) {
		s.cites = append(s.cites, g.refs[j].key)
	}
	for range r.between(2, 6) {
		s.cites = append(s.cites, g.refs[r.r.IntN(len(g.refs))].key)
	}
	texts := map[string]bool{}
	for _, t := range g.linkTargets(r, i) {
		to := &g.pages[t]
		dest := linkTo(r, p, to)
		if r.chance(1, 3) {
			dest += "#" + to.headings[r.r.IntN(len(to.headings))].id
		}
		// Link text is the start of the target's title, long enough to
		// differ from the page's other links (the editorial check warns
		// when one text leads to two places).
		words := strings.Fields(strings.ToLower(to.title))
		n := min(len(words), r.between(2, 5))
		for n < len(words) && texts[strings.Join(words[:n], " ")] {
			n++
		}
		text := strings.Join(words[:n], " ")
		if texts[text] {
			text += " (" + to.ref + strconv.Itoa(t) + ")"
		}
		texts[text] = true
		s.links = append(s.links, "["+text+"]("+dest+")")
	}
	s.paragraph(r.between(2, 4))
	extras := make([]int, len(p.headings)) // 1 list, 2 ordered list, 3 table, 4 quote
	for k := range extras {
		switch x := r.r.IntN(10); {
		case x < 3:
			extras[k] = 1
		case x < 4:
			extras[k] = 2
		case x < 5 && !slices.Contains(extras, 3):
			extras[k] = 3
		case x < 6:
			extras[k] = 4
		}
	}
	for k, h := range p.headings {
		// Each section gets an equal share of what is left, so an
		// overshoot in one is made up in the next.
		budget := (s.target - s.words) / (len(p.headings) - k)
		b.WriteString(strings.Repeat("#", h.level) + " " + h.text)
		if h.custom {
			b.WriteString(" {#" + h.id + "}")
		}
		b.WriteString("\n\n")
		s.words += wordCount(h.text)
		end := s.words + budget
		// The list, table or quotation comes after the first paragraph,
		// but its words count first, so the section keeps to its budget.
		var extra strings.Builder
		s.b = &extra
		switch extras[k] {
		case 1:
			s.list(false)
		case 2:
			s.list(true)
		case 3:
			s.table()
		case 4:
			q := r.sentence("")
			s.words += wordCount(q)
			extra.WriteString("> " + q + "\n\n")
		}
		s.b = b
		for k2 := 0; k2 == 0 || s.words < end; k2++ {
			s.paragraph(min(r.between(2, 5), max(1, (end-s.words)/18)))
			if k2 == 0 {
				b.WriteString(extra.String())
			}
		}
	}
	if len(s.cites) > 0 || len(s.links) > 0 {
		for len(s.cites) > 0 || len(s.links) > 0 {
			s.target = s.words // place everything that is left
			b.WriteString(s.sentence() + " ")
		}
		b.WriteString("\n")
	}
}

// linkTargets picks the 3–8 distinct pages page i links to.
func (g *generator) linkTargets(r prose, i int) []int {
	n := r.between(3, 8)
	out := make([]int, 0, n)
	for len(out) < n {
		t := r.r.IntN(len(g.pages))
		if t != i && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}
