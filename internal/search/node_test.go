package search

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

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
