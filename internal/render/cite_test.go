package render

import (
	"regexp"
	"strings"
	"testing"

	"hjp/internal/config"
	"hjp/internal/content"
	"hjp/internal/site"
)

func citePage(kind content.Kind, id, title, updated string) *site.Page {
	return &site.Page{
		Page:     &content.Page{Kind: kind, Meta: content.Meta{ID: id, Title: title, Updated: updated}},
		ShortURL: site.ShortURL(id),
	}
}

var testSite = &config.Site{Title: "Health Justice Partnerships", BaseURL: "https://example.org/"}

func TestCitationHarvard(t *testing.T) {
	c := CitationOf(testSite, citePage(content.KindRecommendation, "R3", "Fund for three years", "2026-02-09"))
	want := "Health Justice Partnerships (2026) R3: Fund for three years. Available at: https://example.org/r/3/ (Last updated: 9 February 2026)."
	if got := c.Harvard(); got != want {
		t.Errorf("Harvard:\n got %s\nwant %s", got, want)
	}
	c = CitationOf(testSite, citePage(content.KindFinding, "F12", "Advice reaches people", ""))
	if got := c.Harvard(); got != "Health Justice Partnerships (n.d.) F12: Advice reaches people. Available at: https://example.org/f/12/." {
		t.Errorf("Harvard without a date: %s", got)
	}
	if CitationOf(testSite, citePage(content.KindChapter, "", "Intro", "")) != nil {
		t.Error("a chapter has no citation block")
	}
}

// parseBibTeX reads one entry: type, key and fields, undoing the escapes
// a BibTeX reader would.
func parseBibTeX(t *testing.T, s string) (typ, key string, fields map[string]string) {
	t.Helper()
	head := regexp.MustCompile(`^@(\w+)\{([^,]+),\n`).FindStringSubmatch(s)
	if head == nil || !strings.HasSuffix(s, "}\n") {
		t.Fatalf("not a BibTeX entry:\n%s", s)
	}
	fields = map[string]string{}
	for _, line := range strings.Split(strings.TrimSuffix(s[len(head[0]):], "}\n"), "\n") {
		if line == "" {
			continue
		}
		m := regexp.MustCompile(`^  (\w+) = \{(.*)\},$`).FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("bad field line %q", line)
		}
		v := m[2]
		if strings.HasPrefix(v, "{") && strings.HasSuffix(v, "}") {
			v = v[1 : len(v)-1]
		}
		v = strings.NewReplacer(`\textbackslash{}`, `\`, `\{`, `{`, `\}`, `}`, `\&`, `&`, `\%`, `%`, `\$`, `$`, `\#`, `#`, `\_`, `_`, `\textasciitilde{}`, `~`, `\textasciicircum{}`, `^`).Replace(v)
		fields[m[1]] = v
	}
	return head[1], head[2], fields
}

func TestBibTeXRoundTrip(t *testing.T) {
	title := `Fund & support 100% of "costs"_now {x} #1`
	c := CitationOf(testSite, citePage(content.KindRecommendation, "R2", title, "2026-11-01"))
	typ, key, f := parseBibTeX(t, string(c.BibTeX()))
	checks := map[string]string{
		"type": typ, "key": key,
		"author": f["author"], "title": f["title"], "year": f["year"],
		"url": f["url"], "note": f["note"], "publisher": f["publisher"],
	}
	want := map[string]string{
		"type": "misc", "key": "hjp-r2",
		"author": "Health Justice Partnerships", "title": "R2: " + title, "year": "2026",
		"url": "https://example.org/r/2/", "note": "Last updated 2026-11-01", "publisher": "Health Justice Partnerships",
	}
	for k, w := range want {
		if checks[k] != w {
			t.Errorf("BibTeX %s = %q, want %q", k, checks[k], w)
		}
	}
}

func TestRISRoundTrip(t *testing.T) {
	c := CitationOf(testSite, citePage(content.KindFinding, "F7", "Advisers need a room", "2025-06-30"))
	ris := string(c.RIS())
	if !strings.HasSuffix(ris, "ER  - \r\n") {
		t.Fatalf("RIS does not end with ER:\n%q", ris)
	}
	got := map[string]string{}
	for _, line := range strings.Split(strings.TrimSuffix(ris, "\r\n"), "\r\n") {
		if len(line) < 6 || line[2:6] != "  - " {
			t.Fatalf("bad RIS line %q", line)
		}
		got[line[:2]] = line[6:]
	}
	want := map[string]string{
		"TY": "ELEC", "AU": "Health Justice Partnerships", "TI": "F7: Advisers need a room",
		"PY": "2025", "DA": "2025/06/30", "PB": "Health Justice Partnerships",
		"UR": "https://example.org/f/7/", "ID": "hjp-f7", "ER": "",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("RIS %s = %q, want %q", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("RIS has tags %v", got)
	}
}
