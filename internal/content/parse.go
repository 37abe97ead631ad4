package content

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"path"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"hjp/internal/config"
	"hjp/internal/diag"
	"hjp/internal/schema"
	"hjp/internal/slug"
)

// MaxFileSize is the largest content file hjp reads. A page this long is a
// mistake (a pasted export, a generated dump) and would slow every build.
const MaxFileSize = 4 << 20

// ParsePage parses one content file. path is the file's path from the
// source root and must start with "content/". The result depends only on
// path, src and the site's vocabularies, so callers may cache it by hash.
// It returns nil when the file cannot be used at all.
func ParsePage(path string, src []byte, site *config.Site) (*Page, diag.List) {
	f := diag.NewFile(path, src)
	var l diag.List
	if len(bytes.TrimSpace(src)) == 0 {
		l.Add(f.At(diag.Error, 1, 1, "file is empty: a page needs front matter between --- lines with at least a title and a summary"))
		return nil, l
	}
	if len(src) > MaxFileSize {
		l.Add(f.At(diag.Error, 1, 1, "file is %.1f MB; hjp limits a page to %d MB: split it into several pages", float64(len(src))/(1<<20), MaxFileSize>>20))
		return nil, l
	}
	if !utf8.Valid(src) {
		off := invalidUTF8(src)
		l.Add(f.AtOffset(diag.Error, off, "file is not valid UTF-8 (byte 0x%02x): save it with UTF-8 encoding", src[off]))
		return nil, l
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		l.Add(f.AtOffset(diag.Error, i, "file contains a NUL byte: is it a binary file saved with a .md name?"))
		return nil, l
	}
	yamlText, body, bodyOff, ok := splitFrontMatter(src)
	if !ok {
		if bodyOff < 0 {
			l.Add(f.At(diag.Error, 1, 1, "front matter is not closed: add a line with just --- after the last field"))
		} else {
			l.Add(f.At(diag.Error, 1, 1, "missing front matter: start the file with a line ---, then title: and summary: lines, then ---"))
		}
		return nil, l
	}
	rel := strings.TrimPrefix(path, "content/")
	p := &Page{
		Path: path, Rel: rel, File: f,
		Body: body, BodyOffset: bodyOff,
	}
	p.Section, p.Kind, p.Slug = classify(rel)
	c := &schema.Checker{File: f, LineOffset: 1, Vocab: site.Vocab}
	root := c.Parse(yamlText, "front matter")
	if root == nil {
		return nil, c.Diags
	}
	if p.Kind == KindFundingChapter && schema.Lookup(root, "model") != nil {
		p.Kind = KindFundingModel
	}
	start := &yaml.Node{Line: 0, Column: 1} // the opening --- line
	v := c.Map(root, fieldsFor(p.Kind), "front matter", start)
	p.Meta = decodeMeta(c, v)
	if p.Kind != KindHome && p.Kind != KindSection && p.Slug == "" {
		c.Diags.Add(f.At(diag.Error, 1, 1, "file name %q gives an empty URL: use letters or digits in the name", path))
	}
	return p, c.Diags
}

// splitFrontMatter finds the YAML between the opening and closing ---
// lines. bodyOff is -1 when the front matter is never closed; ok is false
// (with bodyOff 0) when the file does not start with ---.
func splitFrontMatter(src []byte) (yamlText, body []byte, bodyOff int, ok bool) {
	rest := bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	line, next := cutLine(rest)
	if string(bytes.TrimRight(line, " \t\r")) != "---" {
		return nil, nil, 0, false
	}
	base := len(src) - len(rest)
	off := next
	for off < len(rest) {
		line, n := cutLine(rest[off:])
		t := string(bytes.TrimRight(line, " \t\r"))
		if t == "---" || t == "..." {
			return rest[next:off], rest[off+n:], base + off + n, true
		}
		off += n
	}
	return nil, nil, -1, false
}

// cutLine returns the first line of b without its newline, and the length
// including the newline.
func cutLine(b []byte) ([]byte, int) {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i], i + 1
	}
	return b, len(b)
}

func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return 0
}

// classify decides section, kind and slug from a path inside content/.
func classify(rel string) (section string, kind Kind, s string) {
	dir, file := path.Split(rel)
	dir = strings.TrimSuffix(dir, "/")
	if dir != "" {
		section, _, _ = strings.Cut(dir, "/")
	}
	name := strings.TrimSuffix(file, path.Ext(file))
	if name == "_index" {
		if dir == "" {
			return "", KindHome, ""
		}
		return section, KindSection, ""
	}
	s = slug.Make(stripOrder(name))
	switch {
	case dir != section:
		kind = KindPage
	case section == "guide":
		kind = KindChapter
	case section == "funding":
		kind = KindFundingChapter
	case section == "case-studies":
		kind = KindCaseStudy
	case section == "findings":
		kind = KindFinding
	case section == "recommendations":
		kind = KindRecommendation
	default:
		kind = KindPage
	}
	return section, kind, s
}

// stripOrder drops a leading "NN-" ordering prefix from a file name, so a
// chapter keeps its URL when chapters are renumbered.
func stripOrder(name string) string {
	i := 0
	for i < len(name) && name[i] >= '0' && name[i] <= '9' {
		i++
	}
	if i > 0 && i < len(name) && name[i] == '-' {
		return name[i+1:]
	}
	return name
}

// KindLabel names a kind for messages and headings.
func KindLabel(k Kind) string {
	switch k {
	case KindChapter:
		return "guide chapter"
	case KindFundingModel:
		return "funding model"
	case KindFundingChapter:
		return "funding report chapter"
	case KindCaseStudy:
		return "case study"
	}
	return string(k)
}

func idCheck(letter byte, what string) func(n *yaml.Node) string {
	return func(n *yaml.Node) string {
		if l, _, ok := ParseID(n.Value); ok && l == letter {
			return ""
		}
		return fmt.Sprintf("id %q is not a %s ID: write %c followed by a number, like %c3", n.Value, what, letter, letter)
	}
}

func listCheck(letter byte, what string) func(n *yaml.Node) string {
	one := idCheck(letter, what)
	return func(n *yaml.Node) string {
		for _, it := range schema.Items(n) {
			if msg := one(it); msg != "" {
				return msg
			}
		}
		return ""
	}
}

func aliasCheck(n *yaml.Node) string {
	for _, it := range schema.Items(n) {
		if !strings.HasPrefix(it.Value, "/") || strings.Contains(it.Value, "..") || strings.ContainsAny(it.Value, "?# \t") {
			return fmt.Sprintf("alias %q must be a site path starting with /, like /guide/old-name/", it.Value)
		}
	}
	return ""
}

func monthsCheck(n *yaml.Node) string {
	const msg = "duration_months must be [shortest, longest] in months, like [12, 36]"
	if len(n.Content) != 2 {
		return msg
	}
	lo, err1 := strconv.Atoi(n.Content[0].Value)
	hi, err2 := strconv.Atoi(n.Content[1].Value)
	if err1 != nil || err2 != nil || lo < 0 || lo > hi {
		return msg
	}
	return ""
}

// fieldsFor returns the front matter fields of a page of kind k. The
// lists are made once: every page of a kind has the same, and making
// them for each page was a tenth of what reading the content allocated.
// Callers must not change them.
func fieldsFor(k Kind) []schema.Field {
	if f, ok := kindFields.Load(k); ok {
		return f.([]schema.Field)
	}
	f, _ := kindFields.LoadOrStore(k, makeFields(k))
	return f.([]schema.Field)
}

var kindFields sync.Map // Kind → []schema.Field

func makeFields(k Kind) []schema.Field {
	fields := []schema.Field{
		{Name: "title", Type: schema.Text, Required: true},
		{Name: "summary", Type: schema.Text, Required: true},
		{Name: "weight", Type: schema.Int},
		{Name: "updated", Type: schema.Date},
		{Name: "draft", Type: schema.Bool},
		{Name: "raw_html", Type: schema.Bool},
		{Name: "aliases", Type: schema.List, Check: aliasCheck},
		{Name: "themes", Type: schema.List, Vocab: "themes"},
		{Name: "findings", Type: schema.List, Check: listCheck('F', "finding")},
		{Name: "recommendations", Type: schema.List, Check: listCheck('R', "recommendation")},
		{Name: "case_studies", Type: schema.List},
		{Name: "funding", Type: schema.List},
		{Name: "sources", Type: schema.List},
	}
	switch k {
	case KindFinding:
		fields = append(fields,
			schema.Field{Name: "id", Type: schema.Text, Required: true, Check: idCheck('F', "finding")},
			schema.Field{Name: "factor", Type: schema.Text, Required: true, Vocab: "factors"},
			schema.Field{Name: "strength", Type: schema.Text, Vocab: "strengths"},
			schema.Field{Name: "settings", Type: schema.List, Vocab: "settings"},
		)
	case KindRecommendation:
		fields = append(fields,
			schema.Field{Name: "id", Type: schema.Text, Required: true, Check: idCheck('R', "recommendation")},
			schema.Field{Name: "audience", Type: schema.List, Required: true, Vocab: "audiences"},
			schema.Field{Name: "changes", Type: schema.Records, Fields: []schema.Field{
				{Name: "date", Type: schema.Date, Required: true},
				{Name: "note", Type: schema.Text, Required: true},
			}},
		)
	case KindCaseStudy:
		fields = append(fields,
			schema.Field{Name: "setting", Type: schema.Text, Required: true, Vocab: "settings"},
			schema.Field{Name: "model", Type: schema.Text, Required: true, Vocab: "models"},
			schema.Field{Name: "problems", Type: schema.List, Vocab: "problems"},
			schema.Field{Name: "status", Type: schema.Text, Vocab: "statuses"},
			schema.Field{Name: "location", Type: schema.Text},
			schema.Field{Name: "period", Type: schema.Text},
			schema.Field{Name: "partners", Type: schema.List},
		)
	case KindFundingModel:
		fields = append(fields,
			schema.Field{Name: "model", Type: schema.Text, Required: true, Vocab: "funding_types"},
			schema.Field{Name: "payer", Type: schema.Text, Required: true},
			schema.Field{Name: "duration", Type: schema.Text, Required: true},
			schema.Field{Name: "risk", Type: schema.Text, Required: true, Vocab: "risks"},
			schema.Field{Name: "duration_months", Type: schema.IntList, Check: monthsCheck},
			schema.Field{Name: "strengths", Type: schema.List},
			schema.Field{Name: "risks", Type: schema.List},
			schema.Field{Name: "suits", Type: schema.Text},
		)
	case KindPage:
		fields = append(fields, schema.Field{Name: "terms", Type: schema.Records, Fields: []schema.Field{
			{Name: "term", Type: schema.Text, Required: true},
			{Name: "definition", Type: schema.Text, Required: true},
			{Name: "abbr", Type: schema.Text},
			{Name: "aliases", Type: schema.List},
		}})
	}
	return fields
}

func hashOf(src []byte) [32]byte { return sha256.Sum256(src) }
