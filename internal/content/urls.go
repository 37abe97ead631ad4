package content

import (
	"bytes"
	"strings"

	"hjp/internal/diag"
)

// URLsPath is the manifest of every URL the site has published. It is
// committed with the content so a renamed or moved page without an alias
// is caught: its old URL is still listed but nothing serves it.
const URLsPath = "content/.urls"

// URLManifest is the parsed manifest.
type URLManifest struct {
	File    *diag.File
	Entries []URLEntry
}

// URLEntry is one published URL and the line it is on.
type URLEntry struct {
	URL  string
	Line int
}

// ParseURLManifest reads the manifest: one site path per line; blank lines
// and lines starting with # are ignored.
func ParseURLManifest(src []byte) (*URLManifest, diag.List) {
	m := &URLManifest{File: diag.NewFile(URLsPath, src)}
	var l diag.List
	for i, line := range bytes.Split(src, []byte("\n")) {
		s := strings.TrimSpace(string(line))
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if !strings.HasPrefix(s, "/") || strings.ContainsAny(s, " \t?#") {
			l.Add(m.File.At(diag.Error, i+1, 1, "%q is not a site path: each line must be one URL path starting with /", s))
			continue
		}
		m.Entries = append(m.Entries, URLEntry{URL: s, Line: i + 1})
	}
	return m, l
}

// URLManifestHeader starts every manifest hjp writes.
const URLManifestHeader = `# Every URL this site has published. hjp build adds new ones after each
# successful build: commit this file with your content. A URL listed here must
# keep working: when you rename or move a page, add its old URL to the page's
# aliases. Delete a line only when a page is gone for good.
`

// FormatURLManifest writes a manifest of the given sorted URLs.
func FormatURLManifest(urls []string) []byte {
	var b bytes.Buffer
	b.WriteString(URLManifestHeader)
	for _, u := range urls {
		b.WriteString(u)
		b.WriteByte('\n')
	}
	return b.Bytes()
}
