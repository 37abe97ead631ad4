package content

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"hjp/internal/config"
	"hjp/internal/diag"
)

// Set is everything loaded from content/.
type Set struct {
	// Pages are the published pages, sorted by Path.
	Pages []*Page
	// Drafts are the draft pages left out of this build (empty with
	// --drafts), kept so a link to one can be reported as such.
	Drafts     []*Page
	References *References
	// Static lists other files under content/ (images, PDFs) to copy to
	// the output as they are, as paths from the source root.
	Static []string
	// URLs is the manifest of published URLs, or nil when there is none.
	URLs *URLManifest
	// Bytes is the size of the pages (drafts too), the bibliography and
	// the manifest: what a build's memory grows with.
	Bytes int64
}

// LoadOptions say how to load.
type LoadOptions struct {
	Drafts bool
	// Cache, when set, keeps parse results between loads (serve).
	Cache *Cache
}

// Load reads content/ from the source root fsys.
func Load(fsys fs.FS, site *config.Site, opts LoadOptions) (*Set, diag.List) {
	var l diag.List
	var mdPaths []string
	set := &Set{}
	err := fs.WalkDir(fsys, "content", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == "content" {
				l.Errorf("content", 1, 1, "content folder is missing: create content/ with site.yaml and _index.md")
				return fs.SkipAll
			}
			l.Errorf(p, 1, 1, "cannot read: %v", unwrapPathErr(err))
			return nil
		}
		name := d.Name()
		if p != "content" && (strings.HasPrefix(name, ".") || isEditorJunk(name)) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			l.Errorf(p, 1, 1, "symbolic links are not followed: copy the file into content/ instead")
			return nil
		}
		if d.IsDir() {
			if path.Ext(name) == ".md" {
				l.Errorf(p, 1, 1, "this is a folder named like a page: rename it without .md (pages are files)")
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			l.Errorf(p, 1, 1, "not a regular file")
			return nil
		}
		switch {
		case path.Ext(name) == ".md":
			mdPaths = append(mdPaths, p)
		case p == config.SitePath || p == ReferencesPath:
		default:
			set.Static = append(set.Static, p)
		}
		return nil
	})
	if err != nil {
		l.Errorf("content", 1, 1, "cannot read content folder: %v", err)
	}
	// The bibliography and the URL manifest (the biggest files at 10,000
	// pages, 0.3 and 0.6 MB) are parsed on this goroutine while the
	// workers parse the pages.
	var refs *References
	var refDiags, urlDiags diag.List
	pages := parseAll(fsys, mdPaths, site, opts.Cache, &l, func() {
		refSrc, err := fs.ReadFile(fsys, ReferencesPath)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			refDiags.Errorf(ReferencesPath, 1, 1, "cannot read: %v", unwrapPathErr(err))
		}
		var rd diag.List
		refs, rd = opts.Cache.references(refSrc)
		refDiags.Add(rd...)
		set.Bytes += int64(len(refSrc))
		if src, err := fs.ReadFile(fsys, URLsPath); err == nil {
			set.Bytes += int64(len(src))
			set.URLs, urlDiags = ParseURLManifest(src)
		} else if !errors.Is(err, fs.ErrNotExist) {
			urlDiags.Errorf(URLsPath, 1, 1, "cannot read: %v", unwrapPathErr(err))
		}
	})
	for _, p := range pages {
		set.Bytes += int64(len(p.File.Src))
		if p.Meta.Draft && !opts.Drafts {
			set.Drafts = append(set.Drafts, p)
		} else {
			set.Pages = append(set.Pages, p)
		}
	}
	set.References = refs
	l.Add(refDiags...)
	l.Add(checkUnique(append(slices.Clone(set.Pages), set.Drafts...))...)
	l.Add(urlDiags...)
	return set, l
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// isEditorJunk reports names that editors write beside real files: swap,
// backup and lock files. They are never content.
func isEditorJunk(name string) bool {
	return strings.HasSuffix(name, "~") || strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") ||
		strings.HasSuffix(name, ".tmp") || strings.HasSuffix(name, ".bck") ||
		strings.HasPrefix(name, "#") || name == "4913" || name == "Thumbs.db" || name == "desktop.ini"
}

// parseAll reads and parses the Markdown files on every core, and runs
// also on the calling goroutine, then helps. The result is sorted by path
// whatever order the workers finish in.
func parseAll(fsys fs.FS, paths []string, site *config.Site, cache *Cache, l *diag.List, also func()) []*Page {
	type result struct {
		page  *Page
		diags diag.List
	}
	results := make([]result, len(paths))
	// Workers take the next file from a counter: a channel handing out
	// one file at a time kept a core idle a third of the time, waking
	// a worker for each 50 µs file.
	var next atomic.Int64
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= len(paths) {
				return
			}
			var st fs.FileInfo
			if cache != nil {
				// Only the cache uses the size and time: a full
				// build does not stat every file.
				st, _ = fs.Stat(fsys, paths[i])
				if p, d, ok := cache.unchanged(paths[i], st); ok {
					results[i] = result{p, d}
					continue
				}
			}
			src, err := fs.ReadFile(fsys, paths[i])
			if err != nil {
				var d diag.List
				d.Errorf(paths[i], 1, 1, "cannot read: %v", unwrapPathErr(err))
				results[i] = result{diags: d}
				continue
			}
			p, d := cache.parse(paths[i], src, st, site)
			results[i] = result{p, d}
		}
	}
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(paths))) {
		wg.Go(work)
	}
	also()
	work()
	wg.Wait()
	var pages []*Page
	for _, r := range results {
		l.Add(r.diags...)
		if r.page != nil {
			pages = append(pages, r.page)
		}
	}
	return pages
}

// checkUnique reports two findings or recommendations with one ID. (Two
// files that give the same URL are reported by the site graph, which sees
// every URL.)
func checkUnique(pages []*Page) diag.List {
	var l diag.List
	// Nearly always in order already (the walk's): checking costs a
	// tenth of sorting 10,000 paths again, on every rebuild in hjp serve.
	byPath := func(a, b *Page) int { return strings.Compare(a.Path, b.Path) }
	if !slices.IsSortedFunc(pages, byPath) {
		slices.SortFunc(pages, byPath)
	}
	ids := make(map[string]*Page, len(pages))
	for _, p := range pages {
		if p.Meta.ID != "" {
			if prev, dup := ids[p.Meta.ID]; dup {
				r := p.Meta.IDRef
				l.Add(p.File.At(diag.Error, r.Line, r.Col, "duplicate id %q: %s already uses it", p.Meta.ID, prev.Path))
			} else {
				ids[p.Meta.ID] = p
			}
		}
	}
	return l
}

// Cache keeps parse results by path and content hash, so a rebuild parses
// only the files that changed; a file whose size and modification time
// are unchanged is not even read again. It is safe for concurrent use. A Cache is
// valid for one set of vocabularies: drop it when site.yaml changes.
type Cache struct {
	mu      sync.Mutex
	entries map[string]cacheEntry
	// refs is the last parsed bibliography and the hash of its source.
	refs     *References
	refDiags diag.List
	refHash  [32]byte
}

type cacheEntry struct {
	hash  [32]byte
	page  *Page
	diags diag.List
	// size and mod are the file's size and modification time when it was
	// read (taken before reading, so a write during the read is seen next
	// time), and readAt when that was.
	size   int64
	mod    time.Time
	readAt time.Time
}

// racyWindow: a file modified this close to when it was read may be
// written again with the same size and a timestamp that does not change
// (file times tick coarsely), so it is read again next time, as git does
// with "racily clean" entries.
const racyWindow = time.Second

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{entries: map[string]cacheEntry{}} }

// references parses the bibliography, or returns the last parse of the
// same bytes. References are never changed after parsing.
func (c *Cache) references(src []byte) (*References, diag.List) {
	if c == nil {
		return ParseReferences(src)
	}
	h := hashOf(src)
	if c.refs == nil || c.refHash != h {
		c.refs, c.refDiags = ParseReferences(src)
		c.refHash = h
	}
	return c.refs, c.refDiags
}

// unchanged returns the cached parse of a file whose size and
// modification time are those it had when it was read, without reading it.
func (c *Cache) unchanged(path string, st fs.FileInfo) (*Page, diag.List, bool) {
	if c == nil || st == nil {
		return nil, nil, false
	}
	c.mu.Lock()
	e, ok := c.entries[path]
	c.mu.Unlock()
	if !ok || e.mod.IsZero() || e.size != st.Size() || !e.mod.Equal(st.ModTime()) || !e.mod.Before(e.readAt.Add(-racyWindow)) {
		return nil, nil, false
	}
	return e.page, e.diags, true
}

func (c *Cache) parse(path string, src []byte, st fs.FileInfo, site *config.Site) (*Page, diag.List) {
	if c == nil {
		return ParsePage(path, src, site)
	}
	h := hashOf(src)
	c.mu.Lock()
	e, ok := c.entries[path]
	c.mu.Unlock()
	if !ok || e.hash != h {
		e.page, e.diags = ParsePage(path, src, site)
		e.hash = h
		if e.page != nil {
			e.page.Hash = h
		}
	}
	e.size, e.mod, e.readAt = 0, time.Time{}, time.Now()
	if st != nil {
		e.size, e.mod = st.Size(), st.ModTime()
	}
	c.mu.Lock()
	c.entries[path] = e
	c.mu.Unlock()
	return e.page, e.diags
}

// String describes the set for debugging.
func (s *Set) String() string {
	return fmt.Sprintf("%d pages, %d drafts, %d references, %d static files", len(s.Pages), len(s.Drafts), len(s.References.List), len(s.Static))
}
