package markdown

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"hjp/internal/diag"
	"hjp/internal/testsite"
)

func TestMayLinkify(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want bool
	}{
		{"plain text (with brackets) and *stars* ~~struck~~ _under_", false},
		{"a citation [@genn2019] and @beardon2021; [see @x, p. 3]", false},
		{"[-@genn2019]", true}, // "-" may end an address's local part: not ruled out
		{"@start of the text", false},
		{"see http://example.org", true},
		{"see https://example.org", true},
		{"see ftp://example.org", true},
		{"see www.example.org", true},
		{"mail advice@example.org", true},
		{"mail first.last+tag@example.org", true},
		{"HTTP://EXAMPLE.ORG and WWW.EXAMPLE.ORG", false}, // linkify matches lower case only
		{"the word http alone", false},
	} {
		if got := mayLinkify([]byte(tc.src)); got != tc.want {
			t.Errorf("mayLinkify(%q) = %v, want %v", tc.src, got, tc.want)
		}
	}
	// Whatever mayLinkify passes over, linkify finds no link in.
	r := New()
	for _, src := range []string{"x@", "[x@y.org]", "(a@b.org)", "_a@b.org_", "*a@b.org*"} {
		doc, _ := r.render(Input{File: diag.NewFile("x.md", []byte(src)), Body: []byte(src), Resolver: fakeResolver{}}, r.safe)
		if linked := bytes.Contains(doc.HTML, []byte("mailto:")); linked && !mayLinkify([]byte(src)) {
			t.Errorf("linkify made a link of %q, which mayLinkify passes over: %s", src, doc.HTML)
		}
	}
}

// TestNoLinkifySameDoc renders pages in which mayLinkify finds nothing
// with linkify and without: everything the render gives (HTML, headings,
// links, citations, search text, words, diagnostics) must be the same.
// Linkify splits text nodes at every space, so the passes that read text
// across nodes would show any difference.
func TestNoLinkifySameDoc(t *testing.T) {
	ins, g := corpusSite(t)
	for i := range ins {
		ins[i].Glossary = g
	}
	// The real site's pages, which the corpus does not write like.
	root := filepath.Join(testsite.Root(), "content")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		end := 0
		if bytes.HasPrefix(src, []byte("---\n")) {
			if k := bytes.Index(src[4:], []byte("\n---\n")); k >= 0 {
				end = 4 + k + len("\n---\n")
			}
		}
		ins = append(ins, Input{File: diag.NewFile(p, src), Body: src[end:], Offset: end, Resolver: fakeResolver{}, Glossary: g})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{
		"Text (in brackets) with *stars*, _underscores_ and ~~strikes~~ and a\nsoft break,  \na hard break and trailing space \n",
		"A [link with (brackets)](x.md) and `code (x)` and [@genn2019] and @beardon2021's view.\n\n- (a) item\n- *b* item\n\n> (quoted) text\n",
		"Word_with_underscores and snake_case_name (see [@pleasence2004, p. 3]).\n\n| (a) | *b* |\n|---|---|\n| (c) d | e ~f~ |\n",
		"A very long sentence that goes on and on without stopping for breath because the writer has a great deal to say about the partnership and its funding and its staff and its patients and what they all think about it.\n",
	} {
		ins = append(ins, Input{File: diag.NewFile("x.md", []byte(body)), Body: []byte(body), Resolver: fakeResolver{}, Glossary: g})
	}
	r := New()
	n := 0
	for _, in := range ins {
		if mayLinkify(in.Body) {
			continue
		}
		n++
		a, da := r.render(in, r.safe)
		b, db := r.render(in, r.noLinkify)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: the page renders differently without linkify:\n%+v\n%+v", in.File.Path, a, b)
		}
		if !reflect.DeepEqual(da, db) {
			t.Errorf("%s: diagnostics differ without linkify:\n%v\n%v", in.File.Path, da, db)
		}
	}
	if n < 150 {
		t.Errorf("only %d of %d pages without a possible link", n, len(ins))
	}
	t.Logf("%d of %d pages compared", n, len(ins))
}
