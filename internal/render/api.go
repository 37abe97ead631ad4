package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"hjp/internal/content"
	"hjp/internal/jsonstr"
	"hjp/internal/site"
)

// APIURL is the open data page, which documents every dataset.
const APIURL = "/api/"

// Dataset is one collection of the open data: a JSON file, the same rows
// as CSV, and its documentation on the /api/ page. One field table drives
// all three, so the documentation cannot drift from the files.
type Dataset struct {
	// Name is the file name without extension ("findings").
	Name        string
	Title       string
	Description string
	Kind        content.Kind
	Fields      []Field
	Items       []*site.Page
}

// JSONURL is the site path of the dataset's JSON file.
func (d Dataset) JSONURL() string { return APIURL + d.Name + ".json" }

// CSVURL is the site path of the dataset's CSV file.
func (d Dataset) CSVURL() string { return APIURL + d.Name + ".csv" }

// Field is one property of every item of a dataset.
type Field struct {
	Name string
	// Type is what the documentation says the value is: "text",
	// "integer", "date", "URL", "list of text" …; "or null" is added when
	// the value may be missing.
	Type string
	// Vocab names the site vocabulary the values come from, if any.
	Vocab string
	Doc   string
	value func(p *site.Page) any
}

// change is a recommendation change note as the open data gives it.
type change struct {
	Date string `json:"date"`
	Note string `json:"note"`
}

// Datasets returns the open data of the site: findings, recommendations
// and case studies, each item in section order.
func Datasets(g *site.Graph) []Dataset {
	abs := g.Site.AbsURL
	text := func(s func(*site.Page) string) func(*site.Page) any {
		return func(p *site.Page) any {
			if v := s(p); v != "" {
				return v
			}
			return nil
		}
	}
	list := func(s func(*site.Page) []string) func(*site.Page) any {
		return func(p *site.Page) any { return nonNil(s(p)) }
	}
	related := func(k content.Kind, key func(*site.Page) string) func(*site.Page) any {
		return func(p *site.Page) any {
			out := []string{}
			for _, t := range p.Related[k] {
				out = append(out, key(t))
			}
			return out
		}
	}
	id := func(p *site.Page) string { return p.Meta.ID }
	slug := func(p *site.Page) string { return p.Slug }
	url := func(p *site.Page) string { return abs(p.URL) }
	refs := func(p *site.Page) []string {
		out := make([]string, len(p.References))
		for i, r := range p.References {
			out[i] = r.Key
		}
		return out
	}
	themes := func(p *site.Page) []string { return refValues(p.Meta.Themes) }

	common := func(ids ...Field) []Field {
		return append(ids,
			Field{Name: "title", Type: "text", Doc: "The title.", value: text(func(p *site.Page) string { return p.Meta.Title })},
			Field{Name: "summary", Type: "text", Doc: "One or two sentences saying what it is.", value: text(func(p *site.Page) string { return p.Meta.Summary })},
			Field{Name: "url", Type: "URL", Doc: "The page on this site.", value: text(url)},
		)
	}
	updated := Field{Name: "updated", Type: "date or null", Doc: "When the content last changed (YYYY-MM-DD).", value: text(func(p *site.Page) string { return p.Meta.Updated })}
	numbered := func(letter string) []Field {
		return append(common(
			Field{Name: "id", Type: "text", Doc: "The permanent ID: " + letter + " and a number (" + letter + "3). IDs are never reused.", value: text(id)},
			Field{Name: "number", Type: "integer", Doc: "The number of the ID, for sorting.", value: func(p *site.Page) any { return p.Meta.Number }},
		),
			Field{Name: "short_url", Type: "URL", Doc: "The permanent short link, which always leads to the page, whatever it is renamed to.", value: text(func(p *site.Page) string { return abs(p.ShortURL) })},
			updated,
		)
	}
	tail := []Field{
		{Name: "themes", Type: "list of keys", Vocab: "themes", Doc: "Themes it is tagged with.", value: list(themes)},
		{Name: "references", Type: "list of keys", Doc: "Keys of the works it cites or draws on, as in the site's reference list.", value: list(refs)},
	}

	findings := append(numbered("F"),
		Field{Name: "factor", Type: "key", Vocab: "factors", Doc: "The implementation factor it is about.", value: text(func(p *site.Page) string { return p.Meta.Factor })},
		Field{Name: "strength", Type: "key or null", Vocab: "strengths", Doc: "How strong the evidence is.", value: text(func(p *site.Page) string { return p.Meta.Strength })},
		Field{Name: "settings", Type: "list of keys", Vocab: "settings", Doc: "Health settings the evidence comes from.", value: list(func(p *site.Page) []string { return p.Meta.Settings })},
		Field{Name: "recommendations", Type: "list of IDs", Doc: "Recommendations it supports.", value: related(content.KindRecommendation, id)},
		Field{Name: "case_studies", Type: "list of IDs", Doc: "Case studies where it is seen.", value: related(content.KindCaseStudy, slug)},
		Field{Name: "chapters", Type: "list of URLs", Doc: "Guide chapters that draw on it.", value: related(content.KindChapter, url)},
	)
	recs := append(numbered("R"),
		Field{Name: "audience", Type: "list of keys", Vocab: "audiences", Doc: "Who it is for.", value: list(func(p *site.Page) []string { return p.Meta.Audience })},
		Field{Name: "findings", Type: "list of IDs", Doc: "Findings behind it.", value: related(content.KindFinding, id)},
		Field{Name: "case_studies", Type: "list of IDs", Doc: "Case studies that show it in practice.", value: related(content.KindCaseStudy, slug)},
		Field{Name: "chapters", Type: "list of URLs", Doc: "Guide chapters that draw on it.", value: related(content.KindChapter, url)},
		Field{Name: "changes", Type: "list of {date, note}", Doc: "Its change history, oldest first. The CSV gives one \"date: note\" per line.", value: func(p *site.Page) any {
			out := []change{}
			for _, c := range p.Meta.Changes {
				out = append(out, change{Date: c.Date, Note: c.Note})
			}
			return out
		}},
	)
	cases := append(common(Field{Name: "id", Type: "text", Doc: "The permanent ID: the page's last URL segment.", value: text(slug)}),
		updated,
		Field{Name: "setting", Type: "key", Vocab: "settings", Doc: "The health setting.", value: text(func(p *site.Page) string { return p.Meta.Setting })},
		Field{Name: "model", Type: "key", Vocab: "models", Doc: "How advice is delivered.", value: text(func(p *site.Page) string { return p.Meta.Model })},
		Field{Name: "problems", Type: "list of keys", Vocab: "problems", Doc: "Problems the advice covers.", value: list(func(p *site.Page) []string { return p.Meta.Problems })},
		Field{Name: "status", Type: "key or null", Vocab: "statuses", Doc: "Whether the partnership is still running.", value: text(func(p *site.Page) string { return p.Meta.Status })},
		Field{Name: "location", Type: "text or null", Doc: "Where it works.", value: text(func(p *site.Page) string { return p.Meta.Location })},
		Field{Name: "period", Type: "text or null", Doc: "When it ran.", value: text(func(p *site.Page) string { return p.Meta.Period })},
		Field{Name: "partners", Type: "list of text", Doc: "The organisations in the partnership.", value: list(func(p *site.Page) []string { return p.Meta.Partners })},
		Field{Name: "funding_models", Type: "list of IDs", Doc: "Funding models it uses (the last URL segment of each funding model page).", value: related(content.KindFundingModel, slug)},
		Field{Name: "findings", Type: "list of IDs", Doc: "Findings it illustrates.", value: related(content.KindFinding, id)},
		Field{Name: "recommendations", Type: "list of IDs", Doc: "Recommendations it shows in practice.", value: related(content.KindRecommendation, id)},
	)
	return []Dataset{
		{Name: "findings", Title: "Findings", Kind: content.KindFinding, Fields: append(findings, tail...),
			Description: "What the evidence says about setting up and running a health justice partnership.", Items: g.OfKind(content.KindFinding)},
		{Name: "recommendations", Title: "Recommendations", Kind: content.KindRecommendation, Fields: append(recs, tail...),
			Description: "What commissioners, health services, advice providers, policy makers and researchers should do.", Items: g.OfKind(content.KindRecommendation)},
		{Name: "case-studies", Title: "Case studies", Kind: content.KindCaseStudy, Fields: append(cases, tail...),
			Description: "Partnerships in practice: where they work, how advice is delivered and how they are funded.", Items: g.OfKind(content.KindCaseStudy)},
	}
}

func refValues(refs []content.Ref) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Value
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Count is the number of items.
func (d Dataset) Count() int { return len(d.Items) }

// apiOutputs returns the /api/ page and every dataset as JSON and CSV.
func (r *Renderer) apiOutputs() []Output {
	view := func() *View {
		return r.genView("api", "Open data", APIURL, func(v *View) {
			v.Description = "Findings, recommendations and case studies as JSON and CSV, with permanent IDs and URLs, for reuse under the site's licence."
		})
	}
	outs := []Output{r.htmlOutput(FilePath(APIURL), nil, "api", view)}
	for _, d := range Datasets(r.G) {
		outs = append(outs,
			Output{Path: FilePath(d.JSONURL()), Listing: true, gen: func(buf *bytes.Buffer) error { return r.datasetJSON(buf, d) }},
			Output{Path: FilePath(d.CSVURL()), Listing: true, gen: func(buf *bytes.Buffer) error { return datasetCSV(buf, d) }},
		)
	}
	return outs
}

// object is a JSON object that keeps its keys in the order given, so the
// files read like the documentation: id first.
type object []member

type member struct {
	Key   string
	Value any
}

// rawJSON is a value encoded already, written as it is.
type rawJSON []byte

// MarshalJSON writes the members in order.
func (o object) MarshalJSON() ([]byte, error) {
	return o.appendJSON(nil, false)
}

// appendJSON appends the object to dst as compact JSON, exactly as
// encoding/json would write it (escapeHTML as json.Encoder's
// SetEscapeHTML), but in one pass: json.Marshal would re-read and compact
// the output of every nested object again, which the JSON-LD of every
// page and the open-data files paid for at scale.
func (o object) appendJSON(dst []byte, escapeHTML bool) ([]byte, error) {
	dst = append(dst, '{')
	for i, m := range o {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = jsonstr.Append(dst, m.Key, escapeHTML)
		dst = append(dst, ':')
		var err error
		if dst, err = appendJSONValue(dst, m.Value, escapeHTML); err != nil {
			return nil, err
		}
	}
	return append(dst, '}'), nil
}

// appendJSONValue appends v as JSON: the types objects hold are written
// directly, anything else by encoding/json.
func appendJSONValue(dst []byte, v any, escapeHTML bool) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case string:
		return jsonstr.Append(dst, v, escapeHTML), nil
	case int:
		return strconv.AppendInt(dst, int64(v), 10), nil
	case object:
		return v.appendJSON(dst, escapeHTML)
	case rawJSON:
		return append(dst, v...), nil
	case []object:
		if v == nil {
			return append(dst, "null"...), nil
		}
		dst = append(dst, '[')
		for i, o := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = o.appendJSON(dst, escapeHTML); err != nil {
				return nil, err
			}
		}
		return append(dst, ']'), nil
	case []string:
		if v == nil {
			return append(dst, "null"...), nil
		}
		dst = append(dst, '[')
		for i, s := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = jsonstr.Append(dst, s, escapeHTML)
		}
		return append(dst, ']'), nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return append(dst, bytes.TrimSuffix(b.Bytes(), []byte("\n"))...), nil
}

// datasetJSON writes a dataset as one JSON document: what it is, its
// licence, the labels of the vocabulary keys it uses, and the items.
func (r *Renderer) datasetJSON(buf *bytes.Buffer, d Dataset) error {
	s := r.G.Site
	vocabs := object{}
	for _, f := range d.Fields {
		if f.Vocab == "" || hasKey(vocabs, f.Vocab) {
			continue
		}
		terms := []object{}
		for _, t := range s.Vocab.Get(f.Vocab).Terms {
			terms = append(terms, object{{"key", t.Key}, {"label", t.Label}})
		}
		vocabs = append(vocabs, member{f.Vocab, terms})
	}
	items := make([]object, 0, len(d.Items))
	for _, p := range d.Items {
		o := make(object, 0, len(d.Fields))
		for _, f := range d.Fields {
			o = append(o, member{f.Name, f.value(p)})
		}
		items = append(items, o)
	}
	doc := object{
		{"dataset", d.Name},
		{"title", d.Title},
		{"description", d.Description},
		{"documentation", s.AbsURL(APIURL + "#" + d.Name)},
		{"site", s.AbsURL("/")},
		{"licence", object{{"name", s.Licence.Name}, {"url", s.Licence.URL}}},
		{"count", len(items)},
		{"vocabularies", vocabs},
		{"items", items},
	}
	b, err := doc.MarshalJSON()
	if err != nil {
		return err
	}
	if r.minified() {
		// Minified as it is written: indenting it first is wasted.
		buf.Write(b)
	} else if err := json.Indent(buf, b, "", "  "); err != nil {
		return err
	}
	buf.WriteByte('\n')
	return nil
}

func hasKey(o object, k string) bool {
	for _, m := range o {
		if m.Key == k {
			return true
		}
	}
	return false
}

// datasetCSV writes a dataset as CSV for spreadsheets: a header row of
// field names, then one row per item. Lists are joined with "; " (change
// notes one per line). The file starts with a UTF-8 byte order mark so
// Excel reads accented names correctly.
func datasetCSV(buf *bytes.Buffer, d Dataset) error {
	buf.WriteString("\ufeff")
	w := csv.NewWriter(buf)
	w.UseCRLF = true // RFC 4180
	row := make([]string, len(d.Fields))
	for i, f := range d.Fields {
		row[i] = f.Name
	}
	w.Write(row)
	for _, p := range d.Items {
		for i, f := range d.Fields {
			row[i] = CSVCell(f.value(p))
		}
		w.Write(row)
	}
	w.Flush()
	return w.Error()
}

// CSVCell writes one value of the open data as a spreadsheet cell.
func CSVCell(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case []string:
		return strings.Join(v, "; ")
	case []change:
		lines := make([]string, len(v))
		for i, c := range v {
			lines[i] = c.Date + ": " + c.Note
		}
		return strings.Join(lines, "\n")
	}
	return fmt.Sprint(v)
}

// Datasets returns the site's open data, for the /api/ page.
func (v *View) Datasets() []Dataset { return Datasets(v.G) }
