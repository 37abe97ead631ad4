package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"hjp/internal/build"
	"hjp/internal/diag"
	"hjp/internal/netlify"
	"hjp/internal/search"
)

// rebuild runs one build, swaps in the new site when it succeeded, and
// only then tells open pages, so a reload always fetches the new page.
// paths are the changed sources (nil for the first build), for the console.
// The search outputs stay the last good build's unless everything was
// rendered: startIndexing brings them up to date.
func (s *Server) rebuild(paths map[string]bool) {
	rb := s.builder.BuildPages()
	s.mu.Lock()
	s.builds++
	id := s.builds
	prevErrs := s.errs
	var prevFiles map[string][]byte
	if s.site != nil {
		prevFiles = s.site.files
	}
	ev := Event{Build: id, OK: !rb.Failed(), Rendered: rb.Rendered, Millis: int(rb.Elapsed.Milliseconds())}
	var rulesDiags diag.List
	if rb.Failed() {
		s.errs = rb.Diags
		ev.Errors = problems(rb.Diags)
	} else {
		s.errs = nil
		var h *netlify.Handler
		retired := retire(s.site, rb.Removed)
		h, rulesDiags = s.handler(rb.Files, retired, id)
		if rulesDiags.Errors() > 0 {
			// Netlify would refuse the deploy: show the errors and keep
			// the last good rules.
			s.errs = rulesDiags
			ev.OK, ev.Errors = false, problems(rulesDiags)
			if s.site != nil {
				h.Rules = s.site.handler.Rules
			}
		}
		s.site = &goodSite{build: id, files: rb.Files, handler: h, retired: retired}
		if s.published != nil {
			s.published(id, rb.Files)
		}
		changed, css := pageChanges(rb, prevFiles)
		for _, p := range changed {
			s.changedAt[p] = id
		}
		for _, p := range rb.Removed {
			s.changedAt[p] = id
		}
		if netlifyChanged(paths) {
			ev.All = true
		}
		if len(changed) > maxChanged {
			ev.All = true
		} else if !ev.All {
			ev.Changed = changed
		}
		ev.Removed = rb.Removed
		ev.CSS = css
		if len(css) > 0 {
			s.cssAt = id
		}
	}
	s.mu.Unlock()
	s.report(rb, paths, prevErrs, rulesDiags)
	s.hub.broadcast("build", ev)
}

// startIndexing makes the search index the last build left to make, in
// the background, and hands it to the build loop to publish. The build
// loop stops it (cancelIndexing) when a newer change is to be built. It
// starts only once the sources have been quiet for indexDelay: an editor
// saving again at once (autosave, a script) would make the index out of
// date, and making it would slow the build of that save.
func (s *Server) startIndexing(ctx context.Context) {
	job := s.builder.PendingSearch()
	if job == nil {
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	s.stopIndex = cancel
	s.indexing.Go(func() {
		select {
		case <-time.After(indexDelay):
		case <-ctx.Done():
			return
		}
		if s.beforeIndex != nil {
			s.beforeIndex(ctx)
		}
		ix, err := job.Index(ctx)
		if err != nil {
			return
		}
		select {
		case s.indexed <- ix:
		case <-ctx.Done():
		}
	})
}

// indexDelay is how long the sources must be quiet after a build before
// its search index is made.
const indexDelay = 50 * time.Millisecond

// cancelIndexing stops the background indexing, if any. It does not wait:
// the indexing only reads what its job holds.
func (s *Server) cancelIndexing() {
	if s.stopIndex != nil {
		s.stopIndex()
		s.stopIndex = nil
	}
}

// publishSearch swaps in the site with a new search index and tells the
// open search page to reload. The index files it replaces are still
// served (goodSite.retired), so a search page loaded before it keeps
// working until it reloads.
func (s *Server) publishSearch(ix *build.SearchIndex) {
	s.cancelIndexing()
	rb, ok := s.builder.PublishSearch(ix)
	if !ok {
		return
	}
	now := time.Now().Format("15:04:05")
	if rb.Failed() {
		diag.Print(s.opts.Err, rb.Diags)
		fmt.Fprintf(s.opts.Err, "%s the search page did not build; still serving the last good search index.\n", now)
		return
	}
	if len(rb.Changed)+len(rb.Removed) == 0 {
		return // the edit changed nothing search shows
	}
	s.mu.Lock()
	s.builds++
	s.searchBuilds++
	id := s.builds
	ev := Event{Build: id, OK: len(s.errs) == 0, Errors: problems(s.errs), Search: true, Rendered: rb.Rendered, Millis: int(rb.Elapsed.Milliseconds())}
	retired := retire(s.site, rb.Removed)
	h := &netlify.Handler{FS: &memFS{files: rb.Files, retired: retired, session: s.session, build: id}, Rules: s.site.handler.Rules, CacheControl: "no-store"}
	s.site = &goodSite{build: id, files: rb.Files, handler: h, retired: retired}
	if s.published != nil {
		s.published(id, rb.Files)
	}
	for _, p := range append(slices.Clone(rb.Changed), rb.Removed...) {
		s.changedAt[p] = id
		// Only pages reload: the index files are data for the search page.
		if path.Ext(p) == ".html" {
			ev.Changed = append(ev.Changed, p)
		}
	}
	s.mu.Unlock()
	fmt.Fprintf(s.opts.Out, "%s search index rebuilt: %d files changed, %d removed in %s.\n",
		now, len(rb.Changed), len(rb.Removed), rb.Elapsed.Round(100*time.Microsecond))
	s.hub.broadcast("build", ev)
}

// retire returns the files of old's site a build removed from the search
// index folder, to keep serving for a while; old's own retired files
// when it removed none.
func retire(old *goodSite, removed []string) map[string][]byte {
	if old == nil {
		return nil
	}
	var out map[string][]byte
	for _, p := range removed {
		if strings.HasPrefix(p, search.Dir+"/") {
			if out == nil {
				out = map[string][]byte{}
			}
			out[p] = old.files[p]
		}
	}
	if out == nil {
		return old.retired
	}
	return out
}

// handler makes the Netlify handler of a good build: its _redirects and
// _headers, then the source root's netlify.toml (parsed again only when
// one of them changed). s.mu must be held.
func (s *Server) handler(files, retired map[string][]byte, id int) (*netlify.Handler, diag.List) {
	fsys := &memFS{files: files, retired: retired, session: s.session, build: id}
	rules, d := s.rules.Load(&memFS{files: files}, os.DirFS(s.opts.Build.Source))
	return &netlify.Handler{FS: fsys, Rules: rules, CacheControl: "no-store"}, d
}

func netlifyChanged(paths map[string]bool) bool { return paths[netlify.ConfigName] }

// pageChanges returns the changed files that open pages must reload for,
// and the stylesheets to swap. An HTML page whose only change is a
// swapped stylesheet's URL and integrity is left out: the swap updates it.
func pageChanges(rb build.Rebuild, prev map[string][]byte) ([]string, []CSSSwap) {
	var swaps []CSSSwap
	var undo [][2][]byte // new → old replacements that undo the swaps
	for name, a := range rb.Assets {
		old, ok := rb.PrevAssets[name]
		if !ok || old.URL == a.URL || path.Ext(name) != ".css" {
			continue
		}
		swaps = append(swaps, CSSSwap{From: old.URL, To: a.URL, Integrity: a.Integrity})
		undo = append(undo, [2][]byte{[]byte(a.URL), []byte(old.URL)}, [2][]byte{[]byte(a.Integrity), []byte(old.Integrity)},
			// html/template writes + in attributes as &#43;.
			[2][]byte{[]byte(attrEscape(a.Integrity)), []byte(attrEscape(old.Integrity))})
	}
	slices.SortFunc(swaps, func(a, b CSSSwap) int { return strings.Compare(a.From, b.From) })
	if len(swaps) == 0 || prev == nil {
		return rb.Changed, swaps
	}
	var changed []string
	for _, p := range rb.Changed {
		old, ok := prev[p]
		if ok && path.Ext(p) == ".html" && onlySwapped(rb.Files[p], old, undo) {
			continue
		}
		changed = append(changed, p)
	}
	return changed, swaps
}

func attrEscape(s string) string { return strings.ReplaceAll(s, "+", "&#43;") }

func onlySwapped(cur, old []byte, undo [][2][]byte) bool {
	for _, u := range undo {
		cur = bytes.ReplaceAll(cur, u[0], u[1])
	}
	return bytes.Equal(cur, old)
}

// report prints the build's outcome: diagnostics like a compiler, then
// one line with what was rebuilt and how long it took.
func (s *Server) report(rb build.Rebuild, paths map[string]bool, prevErrs, rulesDiags diag.List) {
	out, errw := s.opts.Out, s.opts.Err
	now := time.Now().Format("15:04:05")
	diag.Print(errw, rb.Diags)
	diag.Print(errw, rulesDiags)
	what := "built"
	if paths != nil {
		what = describe(paths) + ":"
	}
	if rb.Failed() {
		keep := "still serving the last good site"
		if s.site == nil {
			keep = "nothing to serve until it builds"
		}
		fmt.Fprintf(errw, "%s %s build failed with %d errors; %s (the errors show in the browser too).\n", now, what, rb.Diags.Errors(), keep)
		return
	}
	if rulesDiags.Errors() > 0 {
		fmt.Fprintf(errw, "%s %s errors in %s: the last good redirect and header rules stay in force.\n", now, what, netlify.ConfigName)
	}
	fixed := ""
	if len(prevErrs) > 0 && rulesDiags.Errors() == 0 {
		fixed = " fixed:"
	}
	scope := "only what changed"
	if rb.GraphReused {
		scope = "only text changed"
	}
	if rb.Full != "" {
		scope = "everything: " + rb.Full
	}
	fmt.Fprintf(out, "%s%s %s re-rendered %d of %d files (%s; Markdown of %d pages) in %s; %d files changed, %d removed.\n",
		now, fixed, what, rb.Rendered, len(rb.Files), scope, rb.Markdown, rb.Elapsed.Round(100*time.Microsecond), len(rb.Changed), len(rb.Removed))
}

// describe names the changed sources briefly.
func describe(paths map[string]bool) string {
	list := slices.Sorted(func(yield func(string) bool) {
		for p := range paths {
			if !yield(p) {
				return
			}
		}
	})
	if len(list) == 0 {
		return "rebuilt"
	}
	if len(list) > 3 {
		return fmt.Sprintf("%s and %d more changed", strings.Join(list[:2], ", "), len(list)-2)
	}
	return strings.Join(list, ", ") + " changed"
}

// hello is the first event on a new stream: the current state, and
// whether the page (file, served at build) has changed since.
func (s *Server) hello(file string, build int) Event {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ev := Event{Build: s.builds, OK: len(s.errs) == 0, Errors: problems(s.errs), Session: s.session}
	if file != "" {
		ev.Stale = s.changedAt[file] > build || s.cssAt > build
	}
	return ev
}

// Status is what /__hjp/status reports, for tests and tools.
type Status struct {
	Builds int `json:"builds"`
	// SearchBuilds counts the builds among Builds that only put in a new
	// search index.
	SearchBuilds int       `json:"searchBuilds"`
	OK           bool      `json:"ok"`
	Files        int       `json:"files"`
	Errors       []Problem `json:"errors,omitempty"`
	Session      string    `json:"session"`
	// Pages counts the open event streams.
	Pages int `json:"pages"`
}

func (s *Server) serveStatus(w http.ResponseWriter) {
	s.mu.RLock()
	st := Status{Builds: s.builds, SearchBuilds: s.searchBuilds, OK: len(s.errs) == 0, Errors: problems(s.errs), Session: s.session}
	if s.site != nil {
		st.Files = len(s.site.files)
	}
	s.mu.RUnlock()
	s.hub.mu.Lock()
	st.Pages = len(s.hub.clients)
	s.hub.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(st)
}
