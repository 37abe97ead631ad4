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
	m    *minify.M
	bufs sync.Pool
}

// NewMinifier returns a minifier configured for the site's output.
//
// HTML keeps the document tags (<html lang>, <head>, <body>) and every end
// tag: omitting them is valid HTML but trips validators and readers of the
// source, and saves little once the site is compressed.
func NewMinifier() *Minifier {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true})
	m.Add("text/css", &css.Minifier{})
	m.Add("application/javascript", &js.Minifier{})
	m.Add("image/svg+xml", &svg.Minifier{})
	m.Add("application/json", &json.Minifier{})
	// JSON-LD in <script type="application/ld+json"> and other JSON types.
	m.AddRegexp(regexp.MustCompile(`[/+]json$`), &json.Minifier{})
	m.AddRegexp(regexp.MustCompile(`[/+]xml$`), &xml.Minifier{})
	return &Minifier{m: m, bufs: sync.Pool{New: func() any { return new(bytes.Buffer) }}}
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
		var pe *parse.Error
		if errors.As(err, &pe) {
			return nil, &MinifyError{Line: pe.Line, Col: max(pe.Column, 1), Message: pe.Message}
		}
		return nil, &MinifyError{Line: 1, Col: 1, Message: err.Error()}
	}
	return buf, nil
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
