package render

import (
	"testing"

	"hjp/internal/content"
)

func TestAuthorList(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"Genn, Hazel"}, "Genn, H."},
		{[]string{"Genn, H.", "Pleasence, Pascoe J."}, "Genn, H. and Pleasence, P.J."},
		{[]string{"Beardon, S.", "Woodhead, C.", "Raine, Rosalind"}, "Beardon, S., Woodhead, C. and Raine, R."},
		{[]string{"Ministry of Justice"}, "Ministry of Justice"},
		{[]string{"Smith-Jones, Anne-Marie"}, "Smith-Jones, A.M."},
		{nil, "Anon."},
	}
	for _, tt := range tests {
		if got := AuthorList(tt.in); got != tt.want {
			t.Errorf("AuthorList(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestReferenceHTML(t *testing.T) {
	tests := []struct {
		r    content.Reference
		want string
	}{
		{content.Reference{Type: "article", Authors: []string{"Genn, H."}, YearLabel: "2019", Title: "When law is good for your health", Container: "Current Legal Problems", Volume: "72", Issue: "1", Pages: "159–202", DOI: "10.1093/clp/cuz003"},
			`Genn, H. (2019) ‘When law is good for your health’, <i>Current Legal Problems</i>, 72(1), pp. 159–202. doi: <a href="https://doi.org/10.1093/clp/cuz003">10.1093/clp/cuz003</a>.`},
		{content.Reference{Type: "report", Authors: []string{"Ministry of Justice"}, YearLabel: "2023a", Title: "Progress report", Publisher: "MoJ", URL: "https://example.org/r?a=1&b=2", Accessed: "2026-11-01"},
			`Ministry of Justice (2023a) <i>Progress report</i>. MoJ. Available at: <a href="https://example.org/r?a=1&amp;b=2">https://example.org/r?a=1&amp;b=2</a> (Accessed: 1 November 2026).`},
		{content.Reference{Type: "article", YearLabel: "2020", Title: "Abstract A81.1: advice in GP practices", Container: "JECH", URL: "https://example.org/a"},
			`<i>Abstract A81.1: advice in GP practices</i> (2020) JECH. Available at: <a href="https://example.org/a">https://example.org/a</a>.`},
	}
	for _, tt := range tests {
		if got := string(ReferenceHTML(&tt.r)); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
	}
}
