package render

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestObjectJSONMatchesEncodingJSON holds the one-pass JSON writer to
// encoding/json's output, byte for byte, with and without HTML escaping:
// the JSON-LD and open-data files must not change with it.
func TestObjectJSONMatchesEncodingJSON(t *testing.T) {
	tricky := []string{"", "plain", `quote " and \ backslash`, "<script>&amp;</script>", "tab\tnew\nline\rcr\bbs\fff\x00\x1f\x7f",
		"caf\u00e9 \u2028 \u2029 \U0001F600", "bad \xff utf-8 \xc3", "</script><!--"}
	for _, s := range tricky {
		o := object{
			{"s", s}, {s, 3}, {"nil", nil}, {"list", []string{s, "x"}}, {"nolist", []string(nil)},
			{"objs", []object{{{"a", s}}, {}}}, {"noobjs", []object(nil)}, {"obj", object{{"k", s}}},
			{"other", map[string]any{"b": true, "f": 1.5, "s": s}},
		}
		for _, escape := range []bool{false, true} {
			got, err := o.appendJSON(nil, escape)
			if err != nil {
				t.Fatal(err)
			}
			want := referenceJSON(t, o, escape)
			if !bytes.Equal(got, want) {
				t.Errorf("escapeHTML %v, %q:\n got %s\nwant %s", escape, s, got, want)
			}
		}
	}
}

// referenceJSON writes o as the code before the one-pass writer did:
// member by member with json.Encoder, compacted (and HTML-escaped) by
// json.Marshal when escape is set.
func referenceJSON(t *testing.T, o object, escape bool) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := enc.Encode(m.Key); err != nil {
			t.Fatal(err)
		}
		b.WriteByte(':')
		if err := enc.Encode(m.Value); err != nil {
			t.Fatal(err)
		}
	}
	b.WriteByte('}')
	var out bytes.Buffer
	if err := json.Compact(&out, b.Bytes()); err != nil {
		t.Fatal(err)
	}
	if !escape {
		return out.Bytes()
	}
	var esc bytes.Buffer
	json.HTMLEscape(&esc, out.Bytes())
	return esc.Bytes()
}

// BenchmarkJSONLD writes a page's JSON-LD (an article citing twelve
// works, with breadcrumbs) as html/template did, through json.Marshal,
// and in one pass.
func BenchmarkJSONLD(b *testing.B) {
	var cites []object
	for i := range 12 {
		cites = append(cites, object{{"@type", "ScholarlyArticle"}, {"name", "Health justice partnerships: a review & <analysis> " + string(rune('a'+i))},
			{"author", []object{{{"@type", "Person"}, {"name", "A. Author"}}, {{"@type", "Organization"}, {"name", "Some Trust"}}}},
			{"datePublished", "2021"}, {"url", "https://doi.org/10.1000/xyz"}})
	}
	page := object{{"@type", "Article"}, {"@id", "https://example.org/guide/x/"}, {"url", "https://example.org/guide/x/"},
		{"headline", "Setting up a partnership"}, {"description", "How to start, who to involve and what it costs."},
		{"inLanguage", "en-GB"}, {"isPartOf", object{{"@type", "WebSite"}, {"@id", "https://example.org/#website"}, {"name", "HJP"}, {"url", "https://example.org/"}}},
		{"citation", cites}}
	crumbs := object{{"@type", "BreadcrumbList"}, {"itemListElement", []object{{{"@type", "ListItem"}, {"position", 1}, {"name", "Home"}, {"item", "https://example.org/"}}}}}
	o := object{{"@context", "https://schema.org"}, {"@graph", []object{page, crumbs}}}
	b.Run("json.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(o); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("one-pass", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := o.appendJSON(nil, true); err != nil {
				b.Fatal(err)
			}
		}
	})
}
