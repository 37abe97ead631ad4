// Package content loads the content/ tree: it walks the files, splits and
// checks each page's front matter against the schema of its kind, and
// reads the bibliography. It knows nothing of HTML or URLs.
package content

import (
	"regexp"
	"strconv"

	"hjp/internal/diag"
)

// Kind is what a page is, decided by where its file lives.
type Kind string

// The page kinds.
const (
	KindHome           Kind = "home"
	KindSection        Kind = "section"
	KindChapter        Kind = "chapter"
	KindFundingModel   Kind = "funding-model"
	KindFundingChapter Kind = "funding-chapter"
	KindCaseStudy      Kind = "case-study"
	KindFinding        Kind = "finding"
	KindRecommendation Kind = "recommendation"
	KindPage           Kind = "page"
)

// Page is one parsed content file.
type Page struct {
	// Path is the file's path from the source root ("content/guide/01-x.md"),
	// as diagnostics name it.
	Path string
	// Rel is the path inside content/ ("guide/01-x.md").
	Rel string
	// Section is the first folder under content/ ("guide"), or "" for
	// files at the top.
	Section string
	// Slug is the last URL segment: the file name without extension and
	// without a leading "NN-" ordering prefix, slugified. Empty for _index.md.
	Slug string
	Kind Kind
	Meta Meta
	// File holds the whole source for positions.
	File *diag.File
	// Body is the Markdown after the front matter; BodyOffset is where it
	// starts in File.Src.
	Body       []byte
	BodyOffset int
	// Hash identifies the file's bytes, for caching parse results: a
	// Cache sets it (a one-off build has no use for it).
	Hash [32]byte
}

// Ref is a front-matter value with the position it was written at, so later
// stages can point at it ("unknown finding F99").
type Ref struct {
	Value string
	Line  int
	Col   int
}

// Meta is the typed front matter of every kind; fields that a kind does
// not take are empty.
type Meta struct {
	Title   string
	Summary string
	Weight  int
	Updated string
	Draft   bool
	// RawHTML lets the page's Markdown carry raw HTML.
	RawHTML bool
	Aliases []Ref
	Themes  []Ref

	// Relations, checked against the graph.
	Findings        []Ref
	Recommendations []Ref
	CaseStudies     []Ref
	Funding         []Ref
	Sources         []Ref

	// Finding and recommendation.
	ID       string
	IDRef    Ref
	Number   int
	Factor   string
	Strength string
	Settings []string
	Audience []string
	Changes  []Change

	// Case study.
	Setting  string
	Model    string
	Problems []string
	Status   string
	Location string
	Period   string
	Partners []string

	// Funding model.
	Payer          string
	Duration       string
	DurationMonths []int
	Risk           string
	Strengths      []string
	Risks          []string
	Suits          string

	// Glossary.
	Terms []Term
}

// Change is one entry of a recommendation's change history.
type Change struct {
	Date string
	Note string
}

// Term is one glossary entry.
type Term struct {
	Term       string
	Abbr       string
	Definition string
	Aliases    []string
	Line       int
}

var numberedID = regexp.MustCompile(`^([FR])([1-9][0-9]{0,5})$`)

// ParseID splits "F12" into its letter and number; ok is false when id is
// not a finding or recommendation ID.
func ParseID(id string) (letter byte, n int, ok bool) {
	m := numberedID.FindStringSubmatch(id)
	if m == nil {
		return 0, 0, false
	}
	n, _ = strconv.Atoi(m[2])
	return m[1][0], n, true
}
