package search

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"

	"hjp/internal/corpus"
	"hjp/internal/testsite"
)

// requireNode returns the node executable, skipping the test without it
// (failing under CI=true, where .ci/run installs it).
func requireNode(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("node")
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("node is required under CI=true")
	}
	t.Skip("node not found: install Node.js 20 or later to run the JavaScript tests")
	return ""
}

// TestNode runs the JavaScript client's tests (jstest/) with Node's own
// test runner: the same stemmer and tokeniser vectors, and the ranking
// fixtures against the golden index.
func TestNode(t *testing.T) {
	node := requireNode(t)
	cmd := exec.Command(node, "--test", filepath.Join("internal", "search", "jstest"))
	cmd.Dir = testsite.Root()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test failed: %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("# fail 0")) || bytes.Contains(out, []byte("# pass 0")) {
		t.Fatalf("unexpected node --test output:\n%s", out)
	}
}

// TestJSTokenizerMatchesGo feeds every letter, digit and mark of the
// Basic Multilingual Plane and beyond (each between spaces, and each
// upper/lower pair run together) to both tokenisers, and compares the
// stop-word lists.
func TestJSTokenizerMatchesGo(t *testing.T) {
	node := requireNode(t)
	var b strings.Builder
	for r := rune(0); r <= 0x2FFFF; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) {
			b.WriteRune(r)
			b.WriteString("a ")
		}
	}
	text := b.String()
	cmd := exec.Command(node, filepath.Join(testsite.Root(), "internal", "search", "jstest", "dump.mjs"))
	cmd.Stdin = strings.NewReader(text)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var js struct {
		Words []string `json:"words"`
		Stop  []string `json:"stop"`
	}
	if err := json.Unmarshal(out, &js); err != nil {
		t.Fatal(err)
	}
	var goWords []string
	for _, tok := range Tokens(text) {
		goWords = append(goWords, tok.Word)
	}
	if len(goWords) != len(js.Words) {
		t.Errorf("Go finds %d words, JavaScript %d", len(goWords), len(js.Words))
	}
	bad := 0
	for i := 0; i < min(len(goWords), len(js.Words)); i++ {
		if goWords[i] != js.Words[i] {
			bad++
			if bad <= 20 {
				t.Errorf("word %d: Go %q (%U), JavaScript %q (%U)", i, goWords[i], []rune(goWords[i]), js.Words[i], []rune(js.Words[i]))
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d words differ", bad)
	}
	if !slices.Equal(js.Stop, StopWords()) {
		t.Errorf("stop words differ:\nGo %q\nJS %q", StopWords(), js.Stop)
	}
}

// TestJSMatchesGoOnCorpus indexes a 300-page synthetic corpus, whose
// common words occur on almost every page (idf 0), and compares the full
// results of both engines for queries from its vocabulary: exact and
// partial words, several words, IDs, filters and missing words.
func TestJSMatchesGoOnCorpus(t *testing.T) {
	node := requireNode(t)
	fsys, err := corpus.FS(300, 1)
	if err != nil {
		t.Fatal(err)
	}
	ix := BuildSite(loadGraph(t, fsys, false), Options{ShardBytes: 2048})
	dir := t.TempDir()
	meta := ""
	for _, f := range ix.Files() {
		rel := strings.TrimPrefix(f.Path, Dir+"/")
		if strings.HasPrefix(rel, "meta.") {
			meta = rel
		}
		p := filepath.Join(dir, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	queries := []rankingResult{
		{Query: "housing debt"}, {Query: "housing debt "}, {Query: "rent arrears"},
		{Query: "debt"}, {Query: "deb"}, {Query: "consent rec"}, {Query: "F12"}, {Query: "r3 "},
		{Query: "the of and"}, {Query: "zeppelin housing "}, {Query: "referral pathway"},
		{Query: "Universal Credit deductions"}, {Query: "hospital", Filters: map[string][]string{"kind": {"finding"}}},
		{Filters: map[string][]string{"setting": {"hospital", "primary-care"}, "strength": {"strong"}}},
		{Query: "advice", Filters: map[string][]string{"theme": {"housing"}, "audience": {"commissioners"}}},
	}
	in, _ := json.Marshal(queries)
	cmd := exec.Command(node, filepath.Join(testsite.Root(), "internal", "search", "jstest", "query.mjs"), dir, meta)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var js []rankingResult
	if err := json.Unmarshal(out, &js); err != nil {
		t.Fatal(err)
	}
	for i, q := range queries {
		res := ix.Search(Query{Text: q.Query, Filters: q.Filters})
		want := rankingResult{Docs: orEmpty(res.Docs), Scores: orEmpty(res.Scores), Missing: orEmpty(res.Missing), Partial: res.Partial, Counts: res.Counts}
		got := js[i]
		if !slices.Equal(got.Docs, want.Docs) || !slices.Equal(got.Scores, want.Scores) ||
			!slices.Equal(got.Missing, want.Missing) || got.Partial != want.Partial || !reflect.DeepEqual(got.Counts, want.Counts) {
			t.Errorf("%q %v: JavaScript and Go differ\nGo: %d docs %v… missing %q partial %v\nJS: %d docs %v… missing %q partial %v",
				q.Query, q.Filters, len(want.Docs), want.Docs[:min(5, len(want.Docs))], want.Missing, want.Partial,
				len(got.Docs), got.Docs[:min(5, len(got.Docs))], got.Missing, got.Partial)
		}
		if q.Query == "housing debt " && (len(want.Docs) == 0 || want.Partial) {
			t.Errorf("housing debt: %d pages, partial %v: pages with both words must match even when a word is on every page", len(want.Docs), want.Partial)
		}
	}
}
