package content

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"text/template"

	"gopkg.in/yaml.v3"

	"hjp/internal/config"
	"hjp/internal/diag"
	"hjp/internal/slug"
)

// NewKind is a kind of page that hjp new can scaffold.
type NewKind struct {
	// Name is what the editor types: "finding", "case-study".
	Name    string
	Section string
	// Letter is the ID letter of findings (F) and recommendations (R).
	Letter byte
	// Ordered kinds (guide chapters) get the next "NN-" file prefix and
	// the same weight.
	Ordered bool
}

// NewKinds lists the kinds hjp new knows, each with an archetype
// themes/<theme>/archetypes/<name>.md.
func NewKinds() []NewKind {
	return []NewKind{
		{Name: "chapter", Section: "guide", Ordered: true},
		{Name: "funding-model", Section: "funding"},
		{Name: "funding-chapter", Section: "funding"},
		{Name: "case-study", Section: "case-studies"},
		{Name: "finding", Section: "findings", Letter: 'F'},
		{Name: "recommendation", Section: "recommendations", Letter: 'R'},
		{Name: "page", Section: "pages"},
	}
}

// NewKindNames returns the names of NewKinds, for messages.
func NewKindNames() []string {
	var out []string
	for _, k := range NewKinds() {
		out = append(out, k.Name)
	}
	return out
}

// Archetype is what an archetype template is executed with.
type Archetype struct {
	// Title is the title as typed; write it with {{yaml .Title}}.
	Title string
	// ID is "F3" for findings and recommendations, else "".
	ID     string
	Number int
	// Weight is the chapter's place in the guide, else 0.
	Weight int
	// Date is today, YYYY-MM-DD: the only wall-clock time in hjp.
	Date string
}

// maxSlugLen keeps scaffolded file names readable; the title stays whole.
const maxSlugLen = 50

// ErrUnknownKind is returned (wrapped) for a kind hjp new does not know.
var ErrUnknownKind = errors.New("unknown kind")

// Scaffold makes a new content file of kind titled title from the
// theme's archetype: it finds the next free ID or chapter number, names
// the file after the title, and fills in today's date. It returns the
// file's path from the source root and its bytes, having checked them as
// hjp build would; it writes nothing. The file it names does not exist.
func Scaffold(fsys fs.FS, site *config.Site, kind, title, today string) (string, []byte, error) {
	k, ok := findKind(kind)
	if !ok {
		return "", nil, fmt.Errorf("%w %q%s: hjp new makes one of %s", ErrUnknownKind, kind,
			diag.DidYouMean(kind, NewKindNames()), strings.Join(NewKindNames(), ", "))
	}
	title = strings.TrimSpace(title)
	s := shortSlug(title)
	if s == "" {
		return "", nil, fmt.Errorf("title %q has no letters or digits to name the file after", title)
	}
	a := Archetype{Title: title, Date: today}
	name := s
	dir := "content/" + k.Section
	switch {
	case k.Letter != 0:
		a.Number = nextNumber(fsys, dir, k.Letter)
		a.ID = string(k.Letter) + strconv.Itoa(a.Number)
		name = fmt.Sprintf("%c%02d-%s", k.Letter+'a'-'A', a.Number, s)
	case k.Ordered:
		a.Weight = nextNumber(fsys, dir, 0)
		name = fmt.Sprintf("%02d-%s", a.Weight, s)
	}
	file := dir + "/" + name + ".md"
	if _, err := fs.Stat(fsys, file); err == nil {
		return "", nil, fmt.Errorf("%s already exists: hjp new never overwrites a file; choose another title", file)
	}
	src, err := fillArchetype(fsys, site, k, a)
	if err != nil {
		return "", nil, err
	}
	if _, d := ParsePage(file, src, site); d.Errors() > 0 {
		return "", nil, fmt.Errorf("the archetype makes a page hjp build rejects:\n%s", d.Err())
	}
	return file, src, nil
}

func findKind(name string) (NewKind, bool) {
	for _, k := range NewKinds() {
		if k.Name == name {
			return k, true
		}
	}
	return NewKind{}, false
}

// shortSlug slugs a title for a file name, cut at a word boundary.
func shortSlug(title string) string {
	s := slug.Make(title)
	for len(s) > maxSlugLen {
		i := strings.LastIndexByte(s[:maxSlugLen+1], '-')
		if i <= 0 {
			return s[:maxSlugLen]
		}
		s = s[:i]
	}
	return s
}

// nextNumber returns one more than the highest number in use in dir:
// IDs with the letter (from front matter, and from "f03-" file names in
// case an ID is missing or mistyped), or "NN-" prefixes when letter is 0.
// Drafts count: their IDs are taken too. So do the short links of the
// published URL list (/f/7/), so the ID of a removed page is not reused.
func nextNumber(fsys fs.FS, dir string, letter byte) int {
	prefix := regexp.MustCompile(`^([0-9]+)-`)
	if letter != 0 {
		prefix = regexp.MustCompile(`^` + strings.ToLower(string(letter)) + `([0-9]+)-`)
	}
	entries, _ := fs.ReadDir(fsys, dir)
	highest := 0
	if letter != 0 {
		short := regexp.MustCompile(`(?m)^/` + strings.ToLower(string(letter)) + `/([0-9]+)/\s*$`)
		urls, _ := fs.ReadFile(fsys, URLsPath)
		for _, m := range short.FindAllSubmatch(urls, -1) {
			n, _ := strconv.Atoi(string(m[1]))
			highest = max(highest, n)
		}
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || path.Ext(name) != ".md" {
			continue
		}
		if m := prefix.FindStringSubmatch(name); m != nil {
			n, _ := strconv.Atoi(m[1])
			highest = max(highest, n)
		}
		if letter == 0 {
			continue
		}
		src, err := fs.ReadFile(fsys, dir+"/"+name)
		if err != nil {
			continue
		}
		if l, n, ok := ParseID(frontMatterID(src)); ok && l == letter {
			highest = max(highest, n)
		}
	}
	return highest + 1
}

// frontMatterID reads the id field of a file's front matter, or "".
func frontMatterID(src []byte) string {
	fm, _, _, ok := splitFrontMatter(src)
	if !ok {
		return ""
	}
	var v struct {
		ID string `yaml:"id"`
	}
	if yaml.Unmarshal(fm, &v) != nil {
		return ""
	}
	return strings.TrimSpace(v.ID)
}

// fillArchetype executes themes/<theme>/archetypes/<kind>.md with a. The
// template may call yaml (quote a string), keys (a vocabulary's keys,
// comma-separated) and first (a vocabulary's first key).
func fillArchetype(fsys fs.FS, site *config.Site, k NewKind, a Archetype) ([]byte, error) {
	file := "themes/" + site.Theme + "/archetypes/" + k.Name + ".md"
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read the archetype of a %s: %w", file, k.Name, err)
	}
	funcs := template.FuncMap{
		"yaml": func(s string) (string, error) {
			b, err := yaml.Marshal(s)
			return strings.TrimSuffix(string(b), "\n"), err
		},
		"keys":  func(v string) string { return strings.Join(site.Vocab.Get(v).Keys(), ", ") },
		"first": func(v string) string { return first(site.Vocab.Get(v).Keys()) },
	}
	t, err := template.New(file).Funcs(funcs).Option("missingkey=error").Parse(string(src))
	if err != nil {
		return nil, archetypeError(file, src, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, a); err != nil {
		return nil, archetypeError(file, src, err)
	}
	return b.Bytes(), nil
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

var templateLine = regexp.MustCompile(`^template: [^:]+:(\d+)(?::(\d+))?: (.*)$`)

// archetypeError places a template error at its line in the archetype.
func archetypeError(file string, src []byte, err error) error {
	m := templateLine.FindStringSubmatch(err.Error())
	if m == nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	line, _ := strconv.Atoi(m[1])
	col := 1
	if m[2] != "" {
		// text/template counts columns from 0.
		col, _ = strconv.Atoi(m[2])
		col++
	}
	msg := strings.TrimPrefix(m[3], "executing ")
	msg = strings.TrimPrefix(msg, strconv.Quote(file)+" ")
	return diag.NewFile(file, src).At(diag.Error, line, col, "%s", msg)
}
