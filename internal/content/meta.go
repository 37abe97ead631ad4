package content

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"hjp/internal/schema"
)

// decodeMeta copies the checked values into a Meta. Values that failed
// their checks are absent from v, so every conversion here succeeds.
func decodeMeta(c *schema.Checker, v schema.Values) Meta {
	str := func(name string) string {
		if n := v.Values[name]; n != nil && n.Kind == yaml.ScalarNode {
			return strings.TrimSpace(n.Value)
		}
		return ""
	}
	refs := func(name string) []Ref {
		var out []Ref
		for _, it := range schema.Items(v.Values[name]) {
			line, col := c.Pos(it)
			out = append(out, Ref{Value: strings.TrimSpace(it.Value), Line: line, Col: col})
		}
		return out
	}
	strs := func(name string) []string { return schema.Strings(v.Values[name]) }
	m := Meta{
		Title:           str("title"),
		Summary:         str("summary"),
		Updated:         str("updated"),
		Aliases:         refs("aliases"),
		Themes:          refs("themes"),
		Findings:        refs("findings"),
		Recommendations: refs("recommendations"),
		CaseStudies:     refs("case_studies"),
		Funding:         refs("funding"),
		Sources:         refs("sources"),
		ID:              str("id"),
		Factor:          str("factor"),
		Strength:        str("strength"),
		Settings:        strs("settings"),
		Audience:        strs("audience"),
		Setting:         str("setting"),
		Model:           str("model"),
		Problems:        strs("problems"),
		Status:          str("status"),
		Location:        str("location"),
		Period:          str("period"),
		Partners:        strs("partners"),
		Payer:           str("payer"),
		Duration:        str("duration"),
		Risk:            str("risk"),
		Strengths:       strs("strengths"),
		Risks:           strs("risks"),
		Suits:           str("suits"),
	}
	if n := v.Values["weight"]; n != nil {
		m.Weight, _ = strconv.Atoi(n.Value)
	}
	if n := v.Values["draft"]; n != nil {
		m.Draft = n.Value == "true"
	}
	if n := v.Values["raw_html"]; n != nil {
		m.RawHTML = n.Value == "true"
	}
	if n := v.Values["id"]; n != nil {
		line, col := c.Pos(n)
		m.IDRef = Ref{Value: m.ID, Line: line, Col: col}
		_, m.Number, _ = ParseID(m.ID)
	}
	for _, it := range schema.Items(v.Values["duration_months"]) {
		n, _ := strconv.Atoi(it.Value)
		m.DurationMonths = append(m.DurationMonths, n)
	}
	if n := v.Values["changes"]; n != nil {
		for _, it := range n.Content {
			ch := Change{}
			if d := schema.Lookup(it, "date"); d != nil {
				ch.Date = d.Value
			}
			if d := schema.Lookup(it, "note"); d != nil {
				ch.Note = d.Value
			}
			m.Changes = append(m.Changes, ch)
		}
	}
	if n := v.Values["terms"]; n != nil {
		for _, it := range n.Content {
			t := Term{Line: it.Line + c.LineOffset}
			if d := schema.Lookup(it, "term"); d != nil {
				t.Term = d.Value
			}
			if d := schema.Lookup(it, "definition"); d != nil {
				t.Definition = d.Value
			}
			if d := schema.Lookup(it, "abbr"); d != nil {
				t.Abbr = d.Value
			}
			t.Aliases = schema.Strings(schema.Lookup(it, "aliases"))
			m.Terms = append(m.Terms, t)
		}
	}
	return m
}
