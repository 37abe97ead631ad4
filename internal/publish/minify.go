package publish

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
	"github.com/tdewolff/parse/v2"
)

// Minifier shrinks output files by type (HTML, CSS, JS, JSON, SVG, XML)
// with tdewolff/minify. It is safe for concurrent use, so every build
// worker minifies the file it has just rendered.
type Minifier struct {
	m *minify.M
	// html and tmpl are the HTML minifiers: tmpl for html/template
	// sources, whose {{…}} actions it keeps as they are.
	html, tmpl *html.Minifier
	bufs       sync.Pool
}

// NewMinifier returns a minifier configured for the site's output.
//
// HTML keeps the document tags (<html lang>, <head>, <body>) and every end
// tag: omitting them is valid HTML but trips validators and readers of the
// source, and saves little once the site is compressed.
func NewMinifier() *Minifier {
	m := minify.New()
	h := &html.Minifier{KeepDocumentTags: true, KeepEndTags: true}
	t := *h
	t.TemplateDelims = html.GoTemplateDelims
	m.Add("text/html", h)
	m.Add("text/css", &css.Minifier{})
	m.Add("application/javascript", &js.Minifier{})
	m.Add("image/svg+xml", &svg.Minifier{})
	m.Add("application/json", &json.Minifier{})
	// JSON-LD in <script type="application/ld+json"> and other JSON types.
	m.AddRegexp(regexp.MustCompile(`[/+]json$`), &json.Minifier{})
	m.AddRegexp(regexp.MustCompile(`[/+]xml$`), &xml.Minifier{})
	return &Minifier{m: m, html: h, tmpl: &t, bufs: sync.Pool{New: func() any { return new(bytes.Buffer) }}}
}

// MediaType returns the media type a file is minified as, chosen by its
// extension, or "" for files that are copied unchanged (images, CSV,
// _redirects, robots.txt).
func MediaType(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm":
		return "text/html"
	case ".css":
		return "text/css"
	case ".js", ".mjs":
		return "application/javascript"
	case ".json":
		return "application/json"
	case ".svg":
		return "image/svg+xml"
	case ".xml":
		return "application/xml"
	}
	return ""
}

// MinifyError is a syntax error met while minifying, at a 1-based line
// and column of the input.
type MinifyError struct {
	Line, Col int
	Message   string
}

func (e *MinifyError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Message)
}

// Minify returns data minified for the type of the file name; files of
// other types are returned unchanged. A syntax error is a *MinifyError.
func (m *Minifier) Minify(name string, data []byte) ([]byte, error) {
	buf, err := m.minify(name, data)
	if err != nil || buf == nil {
		return data, err
	}
	out := bytes.Clone(buf.Bytes())
	m.bufs.Put(buf)
	return out, nil
}

// minify returns a pooled buffer holding the minified data, or nil for
// files that are not minified.
func (m *Minifier) minify(name string, data []byte) (*bytes.Buffer, error) {
	mt := MediaType(name)
	if mt == "" {
		return nil, nil
	}
	buf := m.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	buf.Grow(len(data))
	// A reader with a Bytes method lets the minifier's lexer read data in
	// place (it borrows and then restores the byte after the end); any
	// other reader is copied with io.ReadAll first, which for a whole site
	// was a third of what the build allocated.
	if err := m.m.Minify(mt, buf, bytes.NewBuffer(data)); err != nil {
		m.bufs.Put(buf)
		return nil, minifyError(err)
	}
	return buf, nil
}

// minifyError is err as a *MinifyError, positioned where the minifier's
// parser places it.
func minifyError(err error) *MinifyError {
	var pe *parse.Error
	if errors.As(err, &pe) {
		return &MinifyError{Line: pe.Line, Col: max(pe.Column, 1), Message: pe.Message}
	}
	return &MinifyError{Line: 1, Col: 1, Message: err.Error()}
}

// Template returns the source of an html/template file minified as HTML,
// its {{…}} actions kept as they are, so that what the template writes
// needs no minifying (but for the values it puts in). The result parses
// to the same template; its line and column positions differ.
func (m *Minifier) Template(src []byte) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(len(src))
	// The minifier's template lexer reads quotes inside actions as
	// strings, so a comment with an apostrophe ("the card's") seemed to
	// run to the end of the file, which was then left as it was.
	// Comments go first, their trim markers kept.
	src = templateComment.ReplaceAll(src, []byte("{{$1/**/$2}}"))
	if err := m.tmpl.Minify(m.m, &out, bytes.NewBuffer(src), nil); err != nil {
		return nil, minifyError(err)
	}
	return out.Bytes(), nil
}

// templateComment is a template comment, {{/* … */}}, with its trim
// markers ("{{- " and " -}}") if any.
var templateComment = regexp.MustCompile(`(?s)\{\{(- )?/\*.*?\*/( -)?\}\}`)

// HTML appends the HTML fragment src, minified, to dst (a page's
// rendered Markdown, before a template that needs no minifying puts it
// in the page).
func (m *Minifier) HTML(dst *bytes.Buffer, src []byte) error {
	if err := m.html.Minify(m.m, dst, bytes.NewBuffer(src), nil); err != nil {
		return minifyError(err)
	}
	return nil
}

// Sink returns a sink that minifies each file before handing it to next.
// Minifying happens in the caller's goroutine: the build worker that
// rendered the file.
func (m *Minifier) Sink(next Sink) Sink { return &minifySink{m: m, next: next} }

type minifySink struct {
	m    *Minifier
	next Sink
}

// Unminified returns the sink under a minifying sink, for output that is
// minified already (compact JSON from encoding/json); other sinks it
// returns as they are.
func Unminified(s Sink) Sink {
	if m, ok := s.(*minifySink); ok {
		return m.next
	}
	return s
}

// WriteFile minifies data by the type of p and writes the result to the
// wrapped sink.
func (s *minifySink) WriteFile(p string, data []byte) error {
	buf, err := s.m.minify(p, data)
	if err != nil {
		return fmt.Errorf("cannot minify: %w", err)
	}
	if buf == nil {
		return s.next.WriteFile(p, data)
	}
	err = s.next.WriteFile(p, buf.Bytes())
	s.m.bufs.Put(buf)
	return err
}
