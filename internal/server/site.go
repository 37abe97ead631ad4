package server

import (
	"bytes"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"
)

// memFS serves one good build from memory. Every HTML file gets the
// live-reload script injected as it is read; the build's own bytes are
// never changed, so `hjp build` output never carries it.
type memFS struct {
	files map[string][]byte
	// retired are search index files a newer index replaced, served
	// when files lacks them: a search page loaded before the new index
	// fetches its own index's files until it reloads. Their names are
	// content hashes, so no current file is ever shadowed.
	retired map[string][]byte
	session string
	build   int
}

// ReadFile returns a file's bytes, with the reload script in HTML.
func (m *memFS) ReadFile(name string) ([]byte, error) {
	data, ok := m.files[name]
	if !ok {
		data, ok = m.retired[name]
	}
	if !ok || !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	if path.Ext(name) == ".html" {
		return injectReload(data, m.session, m.build), nil
	}
	return data, nil
}

// Stat describes a file. Only files exist: folders are never listed.
func (m *memFS) Stat(name string) (fs.FileInfo, error) {
	data, err := m.ReadFile(name)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
	}
	return fileInfo{name: path.Base(name), size: int64(len(data))}, nil
}

// Open opens a file for reading.
func (m *memFS) Open(name string) (fs.File, error) {
	data, err := m.ReadFile(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &memFile{Reader: bytes.NewReader(data), info: fileInfo{name: path.Base(name), size: int64(len(data))}}, nil
}

type memFile struct {
	*bytes.Reader
	info fileInfo
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

var _ io.ReadSeeker = (*memFile)(nil)

type fileInfo struct {
	name string
	size int64
}

func (fi fileInfo) Name() string       { return fi.name }
func (fi fileInfo) Size() int64        { return fi.size }
func (fi fileInfo) Mode() fs.FileMode  { return 0o444 }
func (fi fileInfo) ModTime() time.Time { return time.Time{} }
func (fi fileInfo) IsDir() bool        { return false }
func (fi fileInfo) Sys() any           { return nil }

// ReloadPath is the live-reload script every served page loads.
const ReloadPath = "/__hjp/reload.js"

// reloadTag is the one element injected into served HTML: an external
// script from the site's own origin, so the strict CSP (script-src 'self')
// allows it. It says which server session and build the page came from.
func reloadTag(session string, build int) []byte {
	return []byte(`<script src="` + ReloadPath + `" data-session="` + session + `" data-build="` + strconv.Itoa(build) + `" defer></script>`)
}

// injectReload puts the reload script just before </head>, or before
// </body>; a document with neither is left alone.
func injectReload(html []byte, session string, build int) []byte {
	i := indexFold(html, "</head>")
	if i < 0 {
		i = indexFold(html, "</body>")
	}
	if i < 0 {
		return html
	}
	tag := reloadTag(session, build)
	out := make([]byte, 0, len(html)+len(tag)+1)
	out = append(out, html[:i]...)
	out = append(out, tag...)
	out = append(out, '\n')
	return append(out, html[i:]...)
}

// indexFold finds an ASCII tag case-insensitively.
func indexFold(b []byte, tag string) int {
	n := len(tag)
	for i := 0; i+n <= len(b); i++ {
		if b[i] == '<' && strings.EqualFold(string(b[i:i+n]), tag) {
			return i
		}
	}
	return -1
}
