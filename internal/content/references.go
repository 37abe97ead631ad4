package content

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"hjp/internal/diag"
	"hjp/internal/schema"
)

// ReferencesPath is the bibliography, relative to the source root.
const ReferencesPath = "content/references.yaml"

// Reference is one entry of the bibliography.
type Reference struct {
	Key       string
	Type      string
	Authors   []string
	Year      string
	Title     string
	Container string
	Volume    string
	Issue     string
	Pages     string
	Publisher string
	URL       string
	DOI       string
	Accessed  string
	Note      string
	// Line and Col are where the key is written.
	Line, Col int

	// Names is the author part of an in-text citation: "Genn",
	// "Genn and Pleasence", "Beardon et al.", an organisation, or for a
	// work without authors its short title.
	Names string
	// YearLabel is the year with a letter when the same names have
	// several works that year ("2021a").
	YearLabel string
}

// Families returns each author's family name (an organisation whole).
func (r *Reference) Families() []string {
	out := make([]string, len(r.Authors))
	for i, a := range r.Authors {
		family, _, _ := strings.Cut(a, ",")
		out[i] = strings.TrimSpace(family)
	}
	return out
}

// References is the bibliography, ordered as a reference list is: by
// names, then year label.
type References struct {
	List  []*Reference
	byKey map[string]*Reference
	// File is the bibliography's source, for positions (nil when absent).
	File *diag.File
}

// Get returns the reference with key, or nil.
func (rs *References) Get(key string) *Reference {
	if rs == nil {
		return nil
	}
	return rs.byKey[key]
}

// Keys returns every key, for suggestions.
func (rs *References) Keys() []string {
	if rs == nil {
		return nil
	}
	out := make([]string, len(rs.List))
	for i, r := range rs.List {
		out[i] = r.Key
	}
	return out
}

var refKey = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

var refTypes = []string{"article", "report", "webpage", "book", "chapter", "thesis"}

var referenceFields = []schema.Field{
	{Name: "key", Type: schema.Text, Required: true, Check: func(n *yaml.Node) string {
		if !refKey.MatchString(n.Value) {
			return fmt.Sprintf("reference key %q must be lower-case letters and digits, like beardon2021", n.Value)
		}
		return ""
	}},
	{Name: "type", Type: schema.Text, Required: true, Check: func(n *yaml.Node) string {
		if !slices.Contains(refTypes, n.Value) {
			return fmt.Sprintf("unknown reference type %q%s: use one of %s", n.Value, diag.DidYouMean(n.Value, refTypes), strings.Join(refTypes, ", "))
		}
		return ""
	}},
	{Name: "authors", Type: schema.List},
	{Name: "year", Type: schema.Text, Required: true, Check: func(n *yaml.Node) string {
		if n.Value == "n.d." || len(n.Value) == 4 && strings.Trim(n.Value, "0123456789") == "" {
			return ""
		}
		return fmt.Sprintf("year %q must be four digits, or n.d. when there is no date", n.Value)
	}},
	{Name: "title", Type: schema.Text, Required: true},
	{Name: "container", Type: schema.Text},
	{Name: "volume", Type: schema.Text},
	{Name: "issue", Type: schema.Text},
	{Name: "pages", Type: schema.Text},
	{Name: "publisher", Type: schema.Text},
	{Name: "url", Type: schema.Text, Check: func(n *yaml.Node) string {
		if strings.HasPrefix(n.Value, "https://") || strings.HasPrefix(n.Value, "http://") {
			return ""
		}
		return "url must start with https:// or http://"
	}},
	{Name: "doi", Type: schema.Text, Check: func(n *yaml.Node) string {
		if strings.HasPrefix(n.Value, "10.") {
			return ""
		}
		return "doi must be a bare DOI starting with 10., like 10.1093/clp/cuz003"
	}},
	{Name: "accessed", Type: schema.Date},
	{Name: "note", Type: schema.Text},
}

// ParseReferences reads the bibliography. A missing file is an empty
// bibliography (src nil).
func ParseReferences(src []byte) (*References, diag.List) {
	rs := &References{byKey: map[string]*Reference{}}
	if src == nil {
		return rs, nil
	}
	c := &schema.Checker{File: diag.NewFile(ReferencesPath, src)}
	rs.File = c.File
	root := c.Parse(src, "references")
	if root == nil {
		return rs, c.Diags
	}
	if root.Kind == yaml.MappingNode && len(root.Content) == 0 {
		return rs, c.Diags
	}
	if root.Kind != yaml.SequenceNode {
		c.Errorf(root, "references.yaml must be a list of references, each starting with \"- key:\"")
		return rs, c.Diags
	}
	for _, n := range root.Content {
		v := c.Map(n, referenceFields, "reference", n)
		r := &Reference{Line: n.Line, Col: n.Column}
		get := func(name string) string {
			if x := v.Values[name]; x != nil {
				return strings.TrimSpace(x.Value)
			}
			return ""
		}
		r.Key, r.Type, r.Year, r.Title = get("key"), get("type"), get("year"), get("title")
		r.Container, r.Volume, r.Issue, r.Pages = get("container"), get("volume"), get("issue"), get("pages")
		r.Publisher, r.URL, r.DOI, r.Accessed, r.Note = get("publisher"), get("url"), get("doi"), get("accessed"), get("note")
		r.Authors = schema.Strings(v.Values["authors"])
		if k := v.Keys["key"]; k != nil {
			r.Line, r.Col = c.Pos(v.Values["key"])
		}
		if r.Key == "" {
			continue
		}
		if prev, dup := rs.byKey[r.Key]; dup {
			c.Diags.Add(c.File.At(diag.Error, r.Line, r.Col, "duplicate reference key %q: also used at line %d", r.Key, prev.Line))
			continue
		}
		rs.byKey[r.Key] = r
		rs.List = append(rs.List, r)
	}
	rs.label()
	return rs, c.Diags
}

// label sets Names and YearLabel, and sorts the list: works with the same
// names and year get a, b, c in title order.
func (rs *References) label() {
	for _, r := range rs.List {
		r.Names = names(r.Families())
		if len(r.Authors) == 0 {
			r.Names = shortTitle(r.Title)
		}
	}
	slices.SortStableFunc(rs.List, func(a, b *Reference) int {
		return cmp.Or(
			cmp.Compare(strings.ToLower(sortName(a)), strings.ToLower(sortName(b))),
			cmp.Compare(a.Year, b.Year),
			cmp.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)),
			cmp.Compare(a.Key, b.Key),
		)
	})
	for i := 0; i < len(rs.List); {
		j := i + 1
		for j < len(rs.List) && rs.List[j].Names == rs.List[i].Names && rs.List[j].Year == rs.List[i].Year {
			j++
		}
		for k := i; k < j; k++ {
			rs.List[k].YearLabel = rs.List[k].Year
			if j-i > 1 {
				suffix := string(rune('a' + (k-i)%26))
				if rs.List[k].Year == "n.d." {
					rs.List[k].YearLabel = "n.d.-" + suffix
				} else {
					rs.List[k].YearLabel += suffix
				}
			}
		}
		i = j
	}
}

// shortTitle cuts a title at its first colon or after six words, for
// citing a work that has no author (Harvard cites it by title).
func shortTitle(title string) string {
	t, _, _ := strings.Cut(title, ":")
	words := strings.Fields(t)
	if len(words) > 6 {
		return strings.Join(words[:6], " ") + "…"
	}
	return strings.Join(words, " ")
}

// names gives the author part of a Harvard in-text citation.
func names(families []string) string {
	switch len(families) {
	case 0:
		return "Anon."
	case 1:
		return families[0]
	case 2:
		return families[0] + " and " + families[1]
	}
	return families[0] + " et al."
}

// sortName is what a reference list is ordered by: the authors' family
// names, or the title when there are none.
func sortName(r *Reference) string {
	if len(r.Authors) == 0 {
		return r.Title
	}
	return strings.Join(r.Families(), " ")
}
