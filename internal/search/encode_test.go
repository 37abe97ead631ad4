package search

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// refFragment is the display fragment as encoding/json writes it: the
// reference appendFragment must match byte for byte, since the
// fragments' bytes name their files (fingerprints) and the client parses
// them.
type refFragment struct {
	URL      string      `json:"url"`
	Title    string      `json:"title"`
	ID       string      `json:"id,omitempty"`
	Kind     string      `json:"kind"`
	Summary  string      `json:"summary,omitempty"`
	Sections [][3]string `json:"sections,omitempty"`
}

func refFragmentJSON(t testing.TB, d *Doc) []byte {
	f := refFragment{URL: d.URL, Title: d.Title, ID: d.ID, Kind: d.KindLabel, Summary: d.Summary}
	excerpts(d, func(s *Section, text string) {
		f.Sections = append(f.Sections, [3]string{s.Anchor, s.Heading, text})
	})
	return refJSON(t, f)
}

// refJSON encodes v as marshal does.
func refJSON(t testing.TB, v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// TestAppendFragment checks that the hand-written fragments are the bytes
// encoding/json writes, for every page of the fixture site and for pages
// with empty fields, text to escape and text over the excerpt budget
// (which sections a fragment shows, the golden index checks).
func TestAppendFragment(t *testing.T) {
	docs, _ := FromGraph(fixtureGraph(t, false))
	long := strings.Repeat("word ", maxFragmentText/5+10)
	docs = append(docs,
		Doc{},
		Doc{URL: "/a/", Title: `Quotes "and" \backslashes\ <b>&amp;</b>`, KindLabel: "Finding",
			Sections: []Section{{Anchor: "x", Text: "tab\there\nline\r\x00\x1f\x7f \u2028 \u2029 \xff\xfe café ﬁ 日本"}}},
		Doc{URL: "/b/", ID: "F3", Summary: "s", Sections: []Section{
			{}, {Heading: "Only a heading"}, {Anchor: "a", Text: long}, {Anchor: "b", Heading: "Past the budget", Text: "dropped"},
		}},
		Doc{URL: "/c/", Sections: []Section{{Text: strings.Repeat("é", maxFragmentText)}, {Heading: "h", Text: "t"}}},
	)
	for i := range docs {
		want := refFragmentJSON(t, &docs[i])
		if got := appendFragment(nil, &docs[i]); !bytes.Equal(got, want) {
			t.Errorf("fragment of page %d (%s):\n got %.300s\nwant %.300s", i, docs[i].URL, got, want)
		}
	}
}
