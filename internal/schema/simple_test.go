package schema_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"hjp/internal/corpus"
	"hjp/internal/schema"
	"hjp/internal/testsite"
)

// viaYAML is what Checker.Parse gives without the fast path.
func viaYAML(text []byte) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil || doc.Kind == 0 {
		return nil
	}
	return doc.Content[0]
}

// frontMatter returns the text between a file's --- lines, or nil.
func frontMatter(src []byte) []byte {
	rest, ok := bytes.CutPrefix(src, []byte("---\n"))
	if !ok {
		return nil
	}
	i := bytes.Index(rest, []byte("\n---\n"))
	if i < 0 {
		return nil
	}
	return rest[:i+1]
}

// checkSame fails when parseSimple accepts text and gives other nodes
// than yaml.v3. It reports whether it accepted.
func checkSame(t testing.TB, name string, text []byte) bool {
	t.Helper()
	got, ok := schema.ParseSimple(text)
	if !ok {
		return false
	}
	want := viaYAML(text)
	if want == nil {
		t.Errorf("%s: parseSimple accepted what yaml.v3 rejects:\n%s", name, text)
		return true
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: parseSimple differs from yaml.v3:\n%s\n got: %s\nwant: %s", name, text, dump(got), dump(want))
	}
	return true
}

func dump(n *yaml.Node) string {
	var b strings.Builder
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		fmt.Fprintf(&b, "%s%d %q %q style %d at %d:%d\n", strings.Repeat("  ", depth), n.Kind, n.Tag, n.Value, n.Style, n.Line, n.Column)
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return b.String()
}

// TestParseSimpleMatchesYAML parses the front matter of every page of the
// repository's content, its test sites and a generated corpus both ways:
// wherever the fast path accepts, its nodes must be yaml.v3's, and it
// must accept most of them (or it would be no faster).
func TestParseSimpleMatchesYAML(t *testing.T) {
	var texts [][]byte
	var names []string
	add := func(name string, src []byte) {
		if fm := frontMatter(src); fm != nil {
			texts, names = append(texts, fm), append(names, name)
		}
	}
	root := testsite.Root()
	for _, dir := range []string{filepath.Join(root, "content"), filepath.Join(root, "internal", "testsite")} {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
				if src, err := os.ReadFile(p); err == nil {
					add(p, src)
				}
			}
			return nil
		})
	}
	files, err := corpus.Files(400, 5)
	if err != nil {
		t.Fatal(err)
	}
	for p, src := range files {
		if strings.HasSuffix(p, ".md") {
			add(p, src)
		}
	}
	accepted := 0
	for i, text := range texts {
		if checkSame(t, names[i], text) {
			accepted++
		}
	}
	if len(texts) < 300 || accepted*10 < len(texts)*8 {
		t.Errorf("the fast path took %d of %d front matters, want most", accepted, len(texts))
	}
	t.Logf("fast path: %d of %d", accepted, len(texts))
}

func TestParseSimpleCases(t *testing.T) {
	tests := []struct {
		name, text string
		accept     bool
	}{
		{"plain", "title: Hello world\nsummary: It's fine, really [sic]\n", true},
		{"quoted", "title: \"Quoted: yes\"\nsummary: 'single'\n", true},
		{"numbers dates bools", "id: 12\nzero: 0\nupdated: 2025-11-05\ndraft: true\nraw: false\n", true},
		{"flow list", "settings: [primary-care, hospital, \"a b\", 'c', 2024-01-02, 7]\n", true},
		{"non-ASCII before an item", "t: [é, ü, x]\ns: \"é\"\n", true},
		{"block list", "changes:\n  - date: 2023-01-25\n    note: \"First published.\"\n  - date: 2025-02-02\n    note: Second\n", true},
		{"block list of scalars", "tags:\n  - a\n  - \"b\"\n", true},
		{"nested mapping", "licence:\n  name: CC BY 4.0\n  url: https://creativecommons.org/licenses/by/4.0/\nafter: x\n", true},
		{"trailing spaces", "title: Hello   \nids: [a, b]  \n", true},
		{"no final newline", "title: Hello", true},
		{"url", "url: https://example.org/a?b=c\n", true},
		{"comment", "title: x # note\n", false},
		{"blank line", "title: x\n\nsummary: y\n", false},
		{"null", "title:\n", false},
		{"yes", "draft: yes\n", false},
		{"True", "draft: True\n", false},
		{"negative", "n: -1\n", false},
		{"leading zero", "n: 012\n", false},
		{"float", "n: 1.5\n", false},
		{"escapes", "t: \"a\\nb\"\n", false},
		{"multi-line plain", "summary: one\n  two\n", false},
		{"same-indent list", "tags:\n- a\n", false},
		{"duplicate key", "a: 1\na: 2\n", false},
		{"empty flow list", "a: []\nb: [ ]\n", true},
		{"indicators inside scalars", "a: Coventry & Warwickshire\nb: [x & y, z*]\nc: sure, 100%\nd: \"&q\"\n", true},
		{"an alias", "a: *x\n", false},
		{"a tag", "a: !!str 1\n", false},
		{"a literal block", "a: |\n  x\n", false},
		{"trailing comma", "a: [x, ]\n", false},
		{"colon in value", "a: b: c\n", false},
		{"anchor", "a: &x 1\n", false},
		{"tab", "a:\t1\n", false},
		{"crlf", "a: 1\r\n", false},
		{"mapping in flow", "a: [b: c]\n", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := checkSame(t, tt.name, []byte(tt.text)); got != tt.accept {
				t.Errorf("accepted = %v, want %v", got, tt.accept)
			}
		})
	}
}

// FuzzParseSimple holds the fast path to yaml.v3 on any input it takes.
func FuzzParseSimple(f *testing.F) {
	for _, s := range []string{
		"title: Hello\nid: 3\n", "a: [b, \"c\", 'd']\n", "x:\n  - a: 1\n    b: \"2\"\n  - c\n",
		"m:\n  k: v\n", "d: 2024-02-30\n", "t: 'it''s'\n", "u: http://x:y/z\n", "s: a,b\nt: [a:b]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		checkSame(t, "fuzz", text)
	})
}
