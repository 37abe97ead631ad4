package content

import (
	"strings"
	"testing"
)

func TestReferenceLabels(t *testing.T) {
	src := `
- key: genn2019
  type: article
  authors: ["Genn, Hazel"]
  year: 2019
  title: When law is good for your health
  doi: 10.1093/clp/cuz003
- key: pleasence2004
  type: article
  authors: ["Pleasence, P.", "Balmer, N."]
  year: 2004
  title: Civil law problems and morbidity
  url: https://jech.bmj.com/content/58/7/552.full
- key: beardon2021b
  type: article
  authors: ["Beardon, S.", "Woodhead, C.", "Genn, H."]
  year: 2021
  title: Scoping review
  url: https://example.org/b
- key: beardon2021a
  type: article
  authors: ["Beardon, S.", "Genn, H.", "Raine, R.", "Cooper, S."]
  year: 2021
  title: Health-justice partnerships and mental health
  url: https://example.org/a
- key: jech2020
  type: article
  year: 2020
  title: "Co-located welfare advice in general practice: an abstract with a long title"
  url: https://example.org/jech
- key: moj2023
  type: report
  authors: [Ministry of Justice]
  year: n.d.
  title: Progress report
  url: https://example.org/moj
`
	rs, d := ParseReferences([]byte(src))
	if len(d) != 0 {
		t.Fatalf("diagnostics: %v", d)
	}
	tests := []struct{ key, names, year string }{
		{"genn2019", "Genn", "2019"},
		{"pleasence2004", "Pleasence and Balmer", "2004"},
		// Same first author and year, 3+ authors both: "et al." with a and
		// b given in title order.
		{"beardon2021a", "Beardon et al.", "2021a"},
		{"beardon2021b", "Beardon et al.", "2021b"},
		{"moj2023", "Ministry of Justice", "n.d."},
		{"jech2020", "Co-located welfare advice in general practice", "2020"},
	}
	for _, tt := range tests {
		r := rs.Get(tt.key)
		if r == nil || r.Names != tt.names || r.YearLabel != tt.year {
			t.Errorf("%s = %+v, want %q %q", tt.key, r, tt.names, tt.year)
		}
	}
	var order []string
	for _, r := range rs.List {
		order = append(order, r.Key)
	}
	if strings.Join(order, " ") != "beardon2021a beardon2021b jech2020 genn2019 moj2023 pleasence2004" {
		t.Errorf("reference list order = %v", order)
	}
}

func TestReferenceErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"- key: a1\n  type: article\n  authors: [X]\n  year: 2020\n", `content/references.yaml:1:3: error: missing required field "title"`},
		{"- key: A 1\n  type: article\n  authors: [X]\n  year: 2020\n  title: T\n", `content/references.yaml:1:8: error: reference key "A 1" must be lower-case letters and digits, like beardon2021`},
		{"- key: a1\n  type: articel\n  authors: [X]\n  year: 2020\n  title: T\n", `content/references.yaml:2:9: error: unknown reference type "articel" (did you mean "article"?): use one of article, report, webpage, book, chapter, thesis`},
		{"- key: a1\n  type: book\n  authors: [X]\n  year: '20'\n  title: T\n", `content/references.yaml:4:9: error: year "20" must be four digits, or n.d. when there is no date`},
		{"- key: a1\n  type: book\n  authors: [X]\n  year: 2020\n  title: T\n  doi: doi:10.1/x\n", `content/references.yaml:6:8: error: doi must be a bare DOI starting with 10., like 10.1093/clp/cuz003`},
		{"- key: a1\n  type: book\n  authors: [X]\n  year: 2020\n  title: T\n- key: a1\n  type: book\n  authors: [X]\n  year: 2020\n  title: U\n", `content/references.yaml:6:8: error: duplicate reference key "a1": also used at line 1`},
		{"key: a1\n", `content/references.yaml:1:1: error: references.yaml must be a list of references, each starting with "- key:"`},
	}
	for _, tt := range tests {
		_, d := ParseReferences([]byte(tt.src))
		if len(d) == 0 || d.Sort()[0].String() != tt.want {
			t.Errorf("got %v\nwant %s", d, tt.want)
		}
	}
}
