package corpus

import (
	"bytes"
	"fmt"
	"html"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	meta "github.com/yuin/goldmark-meta"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

// Floor does the least any goldmark-based generator must do with the site
// at src: read every Markdown file under src/content, convert it with
// goldmark (GFM, front matter through goldmark-meta, heading IDs) and write
// the HTML to dst/<folder>/<name>/index.html, one worker per core. hjp's
// build time is measured against it. It returns the number of pages.
//
// The front matter is really decoded (goldmark-meta runs yaml.v2 over it)
// and its title is written into each page, so no stage is skipped.
func Floor(src, dst string) (int, error) {
	var paths []string
	root := filepath.Join(src, "content")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, meta.Meta),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithHeadingAttribute()),
	)
	workers := runtime.GOMAXPROCS(0)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			var buf bytes.Buffer
			for i := w; i < len(paths) && errs[w] == nil; i += workers {
				errs[w] = floorPage(md, &buf, root, paths[i], dst)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return 0, err
		}
	}
	return len(paths), nil
}

func floorPage(md goldmark.Markdown, buf *bytes.Buffer, root, file, dst string) error {
	src, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	rel, _ := filepath.Rel(root, file)
	rel = strings.TrimSuffix(filepath.ToSlash(rel), ".md")
	if path.Base(rel) == "_index" {
		rel = path.Dir(rel)
	}
	buf.Reset()
	pc := parser.NewContext()
	buf.WriteString("<!DOCTYPE html>\n<body>\n")
	if err := md.Convert(src, buf, parser.WithContext(pc)); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	m, err := meta.TryGet(pc)
	if err != nil {
		return fmt.Errorf("%s: front matter: %w", file, err)
	}
	title, _ := m["title"].(string)
	buf.WriteString("<title>" + html.EscapeString(title) + "</title>\n")
	out := filepath.Join(dst, filepath.FromSlash(rel))
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "index.html"), buf.Bytes(), 0o644)
}
