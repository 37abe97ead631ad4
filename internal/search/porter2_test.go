package search

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// readVectors reads a tab-separated test-vector file, skipping # comments.
func readVectors(t testing.TB, name string) [][]string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, strings.Split(line, "\t"))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestStemVectors runs the Snowball project's published English
// vocabulary through Stem.
func TestStemVectors(t *testing.T) {
	vs := readVectors(t, "testdata/porter2.tsv")
	if len(vs) < 200 {
		t.Fatalf("only %d vectors", len(vs))
	}
	bad := 0
	for _, v := range vs {
		if got := Stem(v[0]); got != v[1] {
			bad++
			if bad <= 40 {
				t.Errorf("Stem(%q) = %q, want %q", v[0], got, v[1])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d vectors differ", bad, len(vs))
	}
}
