package build

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"gopkg.in/yaml.v3"

	"hjp/internal/testsite"
)

// The open data as a reuser would decode it: one Go type per dataset,
// written from the /api/ page's documentation.
type apiFile[T any] struct {
	Dataset       string `json:"dataset"`
	Title         string `json:"title"`
	Description   string `json:"description"`
	Documentation string `json:"documentation"`
	Site          string `json:"site"`
	Licence       struct {
		Name string `json:"name"`
		URL  string `json:"url"`
	} `json:"licence"`
	Count        int                     `json:"count"`
	Vocabularies map[string][]vocabEntry `json:"vocabularies"`
	Items        []T                     `json:"items"`
}

type vocabEntry struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

type apiFinding struct {
	ID              string   `json:"id"`
	Number          int      `json:"number"`
	Title           string   `json:"title"`
	Summary         string   `json:"summary"`
	URL             string   `json:"url"`
	ShortURL        string   `json:"short_url"`
	Updated         *string  `json:"updated"`
	Factor          string   `json:"factor"`
	Strength        *string  `json:"strength"`
	Settings        []string `json:"settings"`
	Recommendations []string `json:"recommendations"`
	CaseStudies     []string `json:"case_studies"`
	Chapters        []string `json:"chapters"`
	Themes          []string `json:"themes"`
	References      []string `json:"references"`
}

type apiRecommendation struct {
	ID          string   `json:"id"`
	Number      int      `json:"number"`
	Title       string   `json:"title"`
	Summary     string   `json:"summary"`
	URL         string   `json:"url"`
	ShortURL    string   `json:"short_url"`
	Updated     *string  `json:"updated"`
	Audience    []string `json:"audience"`
	Findings    []string `json:"findings"`
	CaseStudies []string `json:"case_studies"`
	Chapters    []string `json:"chapters"`
	Changes     []struct {
		Date string `json:"date"`
		Note string `json:"note"`
	} `json:"changes"`
	Themes     []string `json:"themes"`
	References []string `json:"references"`
}

type apiCaseStudy struct {
	ID              string   `json:"id"`
	Title           string   `json:"title"`
	Summary         string   `json:"summary"`
	URL             string   `json:"url"`
	Updated         *string  `json:"updated"`
	Setting         string   `json:"setting"`
	Model           string   `json:"model"`
	Problems        []string `json:"problems"`
	Status          *string  `json:"status"`
	Location        *string  `json:"location"`
	Period          *string  `json:"period"`
	Partners        []string `json:"partners"`
	FundingModels   []string `json:"funding_models"`
	Findings        []string `json:"findings"`
	Recommendations []string `json:"recommendations"`
	Themes          []string `json:"themes"`
	References      []string `json:"references"`
}

// roundTrip decodes a dataset into its Go type, refusing unknown fields,
// encodes it again and checks that nothing was lost or changed.
func roundTrip[T any](t *testing.T, data []byte) apiFile[T] {
	t.Helper()
	var f apiFile[T]
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("decoding: %v", err)
	}
	again, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	json.Unmarshal(data, &a)
	json.Unmarshal(again, &b)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("%s does not round-trip:\n%s\n%s", f.Dataset, data, again)
	}
	if f.Count != len(f.Items) || f.Documentation != base+"api/#"+f.Dataset || f.Site != base || f.Licence.URL == "" {
		t.Errorf("%s head: count %d of %d items, documentation %q, site %q, licence %v", f.Dataset, f.Count, len(f.Items), f.Documentation, f.Site, f.Licence)
	}
	return f
}

// frontMatter reads the front matter of every content file of a section
// straight from the sources, as an independent account of the content.
func frontMatter(t *testing.T, src, section string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	files, _ := filepath.Glob(filepath.Join(src, "content", section, "*.md"))
	for _, p := range files {
		if filepath.Base(p) == "_index.md" {
			continue
		}
		parts := strings.SplitN(string(mustRead(t, p)), "---\n", 3)
		var m map[string]any
		if err := yaml.Unmarshal([]byte(parts[1]), &m); err != nil {
			t.Fatal(err)
		}
		if m["draft"] == true {
			continue
		}
		out[strings.TrimSuffix(filepath.Base(p), ".md")] = m
	}
	return out
}

// TestOpenData checks the API files of the starter site: each round-trips
// through its documented Go type, lists exactly the published content
// with its IDs, titles and summaries, states relations both ways, and
// the CSV carries the same rows.
func TestOpenData(t *testing.T) {
	src := testsite.New(t, testsite.Root())
	_, dest := buildFixture(t, Options{Source: src, BaseURL: base, Minify: true})
	read := func(name string) []byte { return mustRead(t, filepath.Join(dest, "api", name)) }

	findings := roundTrip[apiFinding](t, read("findings.json"))
	recs := roundTrip[apiRecommendation](t, read("recommendations.json"))
	cases := roundTrip[apiCaseStudy](t, read("case-studies.json"))

	type item struct{ id, title, summary, url string }
	check := func(section string, got []item, idOf func(file string, fm map[string]any) string) {
		fm := frontMatter(t, src, section)
		if len(got) != len(fm) || len(got) == 0 {
			t.Errorf("%s: %d items for %d published files", section, len(got), len(fm))
		}
		for _, it := range got {
			var match map[string]any
			for file, m := range fm {
				if idOf(file, m) == it.id {
					match = m
				}
			}
			if match == nil {
				t.Errorf("%s: item %s has no content file", section, it.id)
				continue
			}
			if match["title"] != it.title || match["summary"] != it.summary {
				t.Errorf("%s %s: %q / %q, content says %q / %q", section, it.id, it.title, it.summary, match["title"], match["summary"])
			}
			if _, err := os.Stat(filepath.Join(dest, strings.TrimPrefix(it.url, base), "index.html")); err != nil {
				t.Errorf("%s %s: url %s is not built", section, it.id, it.url)
			}
		}
	}
	byID := func(_ string, m map[string]any) string { s, _ := m["id"].(string); return s }
	var fi, ri, ci []item
	for _, f := range findings.Items {
		fi = append(fi, item{f.ID, f.Title, f.Summary, f.URL})
		if f.ShortURL != base+"f/"+strconv.Itoa(f.Number)+"/" || "F"+strconv.Itoa(f.Number) != f.ID {
			t.Errorf("%s: number %d, short URL %s", f.ID, f.Number, f.ShortURL)
		}
		for _, r := range f.Recommendations {
			if !slices.ContainsFunc(recs.Items, func(x apiRecommendation) bool { return x.ID == r && slices.Contains(x.Findings, f.ID) }) {
				t.Errorf("%s supports %s, but %s does not list %s", f.ID, r, r, f.ID)
			}
		}
		if !slices.ContainsFunc(findings.Vocabularies["factors"], func(v vocabEntry) bool { return v.Key == f.Factor }) {
			t.Errorf("%s: factor %q has no label in vocabularies", f.ID, f.Factor)
		}
	}
	for _, r := range recs.Items {
		ri = append(ri, item{r.ID, r.Title, r.Summary, r.URL})
		for _, id := range r.Findings {
			if !slices.ContainsFunc(findings.Items, func(x apiFinding) bool { return x.ID == id && slices.Contains(x.Recommendations, r.ID) }) {
				t.Errorf("%s lists %s, but %s does not list %s back", r.ID, id, id, r.ID)
			}
		}
	}
	for _, c := range cases.Items {
		ci = append(ci, item{c.ID, c.Title, c.Summary, c.URL})
	}
	check("findings", fi, byID)
	check("recommendations", ri, byID)
	check("case-studies", ci, func(file string, _ map[string]any) string { return file })

	for _, name := range []string{"findings", "recommendations", "case-studies"} {
		checkCSV(t, name, read(name+".json"), read(name+".csv"))
	}
	checkAPIPage(t, filepath.Join(dest, "api", "index.html"), read)
}

// checkCSV checks that the CSV has the JSON items' fields as its header
// and the same values row by row.
func checkCSV(t *testing.T, name string, jsonData, csvData []byte) {
	t.Helper()
	if !bytes.HasPrefix(csvData, []byte("\ufeff")) {
		t.Errorf("%s.csv has no byte order mark", name)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(csvData, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatalf("%s.csv: %v", name, err)
	}
	keys, items := orderedItems(t, jsonData)
	if !slices.Equal(rows[0], keys) {
		t.Errorf("%s.csv header %v, JSON fields %v", name, rows[0], keys)
	}
	if len(rows)-1 != len(items) {
		t.Fatalf("%s.csv has %d rows for %d items", name, len(rows)-1, len(items))
	}
	for i, it := range items {
		for j, k := range keys {
			if want := cell(it[k]); rows[i+1][j] != want {
				t.Errorf("%s.csv row %d %s = %q, JSON says %q", name, i+1, k, rows[i+1][j], want)
			}
		}
	}
}

// orderedItems returns the items of a JSON dataset and the field names in
// the order the first item gives them.
func orderedItems(t *testing.T, data []byte) ([]string, []map[string]any) {
	t.Helper()
	var f struct{ Items []json.RawMessage }
	if err := json.Unmarshal(data, &f); err != nil || len(f.Items) == 0 {
		t.Fatalf("items: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(f.Items[0]))
	dec.Token()
	var keys []string
	for dec.More() {
		k, _ := dec.Token()
		keys = append(keys, k.(string))
		var skip json.RawMessage
		dec.Decode(&skip)
	}
	var items []map[string]any
	for _, raw := range f.Items {
		var m map[string]any
		json.Unmarshal(raw, &m)
		items = append(items, m)
	}
	return keys, items
}

// cell is how the documentation says a JSON value appears in the CSV.
func cell(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case []any:
		var parts []string
		sep := "; "
		for _, x := range v {
			if m, ok := x.(map[string]any); ok {
				parts = append(parts, m["date"].(string)+": "+m["note"].(string))
				sep = "\n"
			} else {
				parts = append(parts, x.(string))
			}
		}
		return strings.Join(parts, sep)
	}
	return "?"
}

// checkAPIPage checks that /api/ documents each dataset's fields, in the
// files' order, and links both files.
func checkAPIPage(t *testing.T, page string, read func(string) []byte) {
	t.Helper()
	doc := parseHTMLFile(t, page)
	documented := map[string][]string{}
	current := ""
	for _, n := range findAll(doc, func(n *html.Node) bool { return n.Data == "h2" || n.Data == "dt" }) {
		if n.Data == "h2" {
			current = attr(n, "id")
			continue
		}
		documented[current] = append(documented[current], strings.TrimSpace(textOf(n)))
	}
	links := map[string]bool{}
	for _, a := range findAll(doc, tag("a")) {
		links[attr(a, "href")] = true
	}
	for _, name := range []string{"findings", "recommendations", "case-studies"} {
		keys, _ := orderedItems(t, read(name+".json"))
		if !slices.Equal(documented[name], keys) {
			t.Errorf("/api/ documents %s fields %v; the file has %v", name, documented[name], keys)
		}
		if !links["/api/"+name+".json"] || !links["/api/"+name+".csv"] {
			t.Errorf("/api/ does not link both %s files", name)
		}
	}
}
