package corpus

import (
	"fmt"
	"strconv"
	"strings"

	"hjp/internal/slug"
)

var services = []string{
	"Advice on Prescription", "Health Advice Link", "Welfare in the Ward", "Money Matters Clinic",
	"Advice at the Surgery", "Healthy Money", "Family Advice Hub", "Benefits Outreach",
	"Macmillan Welfare Service", "Maternity Money Advice", "Housing and Health Team",
	"Advice in Mind", "Community Law Clinic", "Social Welfare Desk",
}

var partnerOrgs = []string{
	"Citizens Advice", "Age UK", "Shelter", "the local law centre", "StepChange",
	"the council welfare rights team", "Macmillan", "Mind", "the hospital charity",
}

var payers = []string{
	"An integrated care board", "A primary care network", "The hospital trust",
	"A hospital charity", "The local council", "A national charitable funder",
	"A university law clinic", "Several funders together",
}

var durations = []string{"One year at a time", "Two to three years", "Often several years", "Project by project", "Rolling contract"}

// plan decides every page's path, title, headings and ID before bodies
// are written, so links and relations can name pages that come later.
func (g *generator) plan() {
	c := g.counts
	g.byKind = map[kind][]int{}
	add := func(p page) {
		g.byKind[p.kind] = append(g.byKind[p.kind], len(g.pages))
		g.pages = append(g.pages, p)
	}
	add(page{rel: "_index.md", kind: home, title: "Health Justice Partnerships",
		summary: "How to set up, run and fund partnerships that bring welfare rights advice into health services."})
	for _, s := range []struct{ dir, title, summary string }{
		{"guide", "Implementation guide", "Step by step, from deciding what your area needs to keeping a partnership going."},
		{"funding", "Funding models", "Who pays for health justice partnerships, for how long, and with what risks."},
		{"case-studies", "Case studies", "Real partnerships, described from public sources."},
		{"findings", "Findings", "What the evidence says about how partnerships work and what they achieve."},
		{"recommendations", "Recommendations", "What commissioners, health services and advice providers should do."},
		{"pages", "About the site", "Where this site comes from, the words it uses and how accessible it is."},
	} {
		add(page{rel: s.dir + "/_index.md", kind: section, title: s.title, summary: s.summary})
	}
	for _, p := range []struct{ name, title, summary string }{
		{"about", "About this site", "Where this guide and funding report come from, and how to cite them."},
		{"accessibility", "Accessibility statement", "How accessible this site is, and how to tell us about a problem."},
		{"glossary", "Glossary", "Words used in this guide, in plain English."},
	} {
		add(page{rel: "pages/" + p.name + ".md", kind: plainPage, title: p.title, summary: p.summary})
	}
	used := map[string]bool{}
	unique := func(dir, base string) string {
		s := base
		for k := 2; used[dir+"/"+s]; k++ {
			s = base + "-" + strconv.Itoa(k)
		}
		used[dir+"/"+s] = true
		return s
	}
	width := func(n int) int { return max(2, len(strconv.Itoa(n))) }
	for i := range c.Chapters {
		r := g.rng(purposePlan, len(g.pages))
		title := r.title()
		s := unique("guide", shortSlug(title))
		add(page{rel: fmt.Sprintf("guide/%0*d-%s.md", width(c.Chapters), i+1, s), kind: chapter,
			title: title, weight: i + 1})
	}
	for i := range c.FundingModels {
		r := g.rng(purposePlan, len(g.pages))
		place := r.pick(places)
		types := g.vocab.Get("funding_types")
		t := types.Terms[i%len(types.Terms)]
		title := t.Label + " in " + place
		s := unique("funding", slug.Make(title))
		add(page{rel: "funding/" + s + ".md", kind: fundingModel, title: title, ref: s, weight: i + 1, model: t.Key})
	}
	for i := range c.FundingChapters {
		r := g.rng(purposePlan, len(g.pages))
		title := r.title()
		s := unique("funding", shortSlug(title))
		add(page{rel: "funding/" + s + ".md", kind: fundingChapter, title: title, weight: c.FundingModels + i + 1})
	}
	for range c.CaseStudies {
		r := g.rng(purposePlan, len(g.pages))
		title := r.pick(services) + ", " + r.pick(places)
		s := unique("case-studies", slug.Make(title))
		add(page{rel: "case-studies/" + s + ".md", kind: caseStudy, title: title, ref: s})
	}
	for i := range c.Findings {
		r := g.rng(purposePlan, len(g.pages))
		title := r.title()
		add(page{rel: fmt.Sprintf("findings/f%0*d-%s.md", width(c.Findings), i+1, shortSlug(title)),
			kind: finding, title: title, ref: "F" + strconv.Itoa(i+1)})
	}
	for i := range c.Recommendations {
		r := g.rng(purposePlan, len(g.pages))
		title := r.title()
		add(page{rel: fmt.Sprintf("recommendations/r%0*d-%s.md", width(c.Recommendations), i+1, shortSlug(title)),
			kind: recommendation, title: title, ref: "R" + strconv.Itoa(i+1)})
	}
	for i := range g.pages {
		g.planPage(i)
	}
}

// planPage gives a page its summary, headings and perhaps an old URL.
func (g *generator) planPage(i int) {
	p := &g.pages[i]
	r := g.rng(purposeOutline, i)
	if p.summary == "" {
		p.summary = capitalise(r.clause()) + "."
	}
	if p.kind != home && p.kind != section && r.chance(1, 50) {
		p.alias = "/old/" + strings.TrimSuffix(p.rel, ".md") + "/"
	}
	h2 := shuffled(r, len(h2s))[:r.between(4, 7)]
	h3 := shuffled(r, len(h3s))
	ids := shuffled(r, len(customIDs))
	for _, k := range h2 {
		h := heading{level: 2, text: h2s[k]}
		if len(ids) > 0 && r.chance(1, 4) {
			h.custom, h.id, ids = true, customIDs[ids[0]], ids[1:]
		} else {
			h.id = slug.Make(h.text)
		}
		p.headings = append(p.headings, h)
		for range r.between(0, 1) {
			if len(h3) == 0 {
				break
			}
			p.headings = append(p.headings, heading{level: 3, text: h3s[h3[0]], id: slug.Make(h3s[h3[0]])})
			h3 = h3[1:]
		}
	}
}

// shortSlug is the slug of a title's first five words, for file names.
func shortSlug(title string) string {
	w := strings.Fields(title)
	return slug.Make(strings.Join(w[:min(5, len(w))], " "))
}

// shuffled returns a random permutation of [0, n).
func shuffled(r prose, n int) []int { return r.r.Perm(n) }

var families = []string{
	"Beardon", "Woodhead", "Genn", "Pleasence", "Balmer", "Marmot", "Allen", "Burton",
	"Clarke", "Davies", "Evans", "Fisher", "Green", "Hughes", "Iqbal", "Jones", "Khan",
	"Lewis", "Morgan", "Nolan", "Owen", "Patel", "Quinn", "Roberts", "Singh", "Taylor",
	"Usher", "Vaughan", "Walker", "Young", "Ahmed", "Baker", "Chowdhury", "Dixon",
	"Edwards", "Forbes", "Grant", "Hall", "Irwin", "Jackson", "Kaur", "Lloyd", "Moore",
	"Nash", "Osei", "Price", "Reid", "Shah", "Thomas", "Wood",
}

var organisations = []string{
	"The Legal Education Foundation", "Citizens Advice", "UCL Health of the Public",
	"The King's Fund", "Public Health England", "NHS England", "Local Government Association",
	"The Health Foundation", "Joseph Rowntree Foundation", "Low Commission", "Advice UK",
}

var journals = []string{
	"Public Health Reviews", "British Journal of General Practice", "BMJ Open",
	"Journal of Public Health", "Health and Social Care in the Community",
	"Social Science and Medicine", "Journal of Social Welfare and Family Law",
	"British Journal of Psychiatry", "Critical Public Health",
}

var publishers = []string{
	"The Legal Education Foundation", "Citizens Advice", "UCL", "Policy Press",
	"Routledge", "The King's Fund", "University of Bristol", "Bloomsbury",
}

// references makes the bibliography. Keys are unique; every entry is
// cited by at least one page (see citesOf).
func (g *generator) references() {
	used := map[string]bool{}
	types := []string{"article", "article", "article", "article", "report", "report", "webpage", "webpage", "book", "chapter", "thesis"}
	for i := range g.counts.References {
		r := g.rng(purposeRefs, i)
		ref := reference{typ: r.pick(types), year: strconv.Itoa(r.between(1998, 2025)), title: r.title()}
		var keyName string
		if ref.typ == "webpage" && r.chance(1, 2) || ref.typ == "report" && r.chance(1, 3) {
			org := r.pick(organisations)
			ref.authors = []string{org}
			keyName = slug.Make(strings.Fields(strings.TrimPrefix(org, "The "))[0])
		} else {
			for range r.between(1, 5) {
				ref.authors = append(ref.authors, r.pick(families)+", "+string(rune('A'+r.r.IntN(26)))+".")
			}
			keyName = slug.Make(strings.SplitN(ref.authors[0], ",", 2)[0])
		}
		if ref.typ == "webpage" && r.chance(1, 3) {
			ref.year = "n.d."
		}
		base := keyName + strings.TrimSuffix(ref.year, ".") + strings.SplitN(shortSlug(ref.title), "-", 2)[0]
		base = strings.ReplaceAll(base, "n.d", "nd")
		key := base
		for k := 2; used[key]; k++ {
			key = base + strconv.Itoa(k)
		}
		used[key] = true
		ref.key = key
		switch ref.typ {
		case "article":
			ref.container = r.pick(journals)
			ref.volume = strconv.Itoa(r.between(1, 60))
			ref.issue = strconv.Itoa(r.between(1, 12))
			first := r.between(1, 400)
			ref.pages = strconv.Itoa(first) + "-" + strconv.Itoa(first+r.between(5, 20))
			ref.doi = "10." + strconv.Itoa(r.between(1000, 9999)) + "/" + key
		case "report":
			ref.publisher = r.pick(publishers)
			ref.url = "https://example.org/reports/" + key
		case "webpage":
			ref.url = "https://example.org/" + key
			ref.accessed = fmt.Sprintf("2025-%02d-%02d", r.between(1, 12), r.between(1, 28))
		case "book", "thesis":
			ref.publisher = r.pick(publishers)
		case "chapter":
			ref.container = capitalise(r.title())
			ref.publisher = r.pick(publishers)
			ref.pages = strconv.Itoa(r.between(10, 200)) + "-" + strconv.Itoa(r.between(201, 300))
		}
		g.refs = append(g.refs, ref)
	}
}

// referencesYAML writes content/references.yaml.
func (g *generator) referencesYAML() []byte {
	var b strings.Builder
	b.WriteString("# Generated by internal/corpus.\n")
	for _, r := range g.refs {
		fmt.Fprintf(&b, "- key: %s\n  type: %s\n  authors: [", r.key, r.typ)
		for i, a := range r.authors {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(quote(a))
		}
		fmt.Fprintf(&b, "]\n  year: %s\n  title: %s\n", quote(r.year), quote(r.title))
		for _, f := range []struct{ k, v string }{
			{"container", r.container}, {"volume", r.volume}, {"issue", r.issue}, {"pages", r.pages},
			{"publisher", r.publisher}, {"url", r.url}, {"doi", r.doi}, {"accessed", r.accessed},
		} {
			if f.v != "" {
				fmt.Fprintf(&b, "  %s: %s\n", f.k, quote(f.v))
			}
		}
	}
	return []byte(b.String())
}

// quote writes s as a YAML double-quoted string.
func quote(s string) string { return strconv.Quote(s) }
