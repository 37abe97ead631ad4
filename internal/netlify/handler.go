package netlify

import (
	"bytes"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
)

// Handler serves the files of a built site like Netlify: the first
// matching redirect rule wins, but a rule that is not forced does not
// apply where a file exists (shadowing); /dir/ serves dir/index.html and
// /dir redirects to /dir/; a path with no file and no rule gets 404.html
// with status 404; every matching header rule adds its headers. It never
// lists folders and never serves anything outside FS: paths with .. or .
// segments (also percent-encoded), backslashes, NUL bytes or empty
// segments are not found. A Handler must not be changed while it serves.
type Handler struct {
	// FS holds the built site, with index.html files for folders.
	FS    fs.FS
	Rules *Rules
	// CacheControl, when set, replaces the Cache-Control header of every
	// response (a preview sends "no-store"). Otherwise responses get
	// Netlify's default, or what a header rule says.
	CacheControl string
}

// netlifyCacheControl is what Netlify sends for a file no rule sets a
// Cache-Control for.
const netlifyCacheControl = "public, max-age=0, must-revalidate"

// ServeHTTP answers one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p, ok := CleanPath(r.URL)
	if !ok {
		h.notFound(w, r, r.URL.EscapedPath())
		return
	}
	enc := r.URL.EscapedPath()
	name, exists := h.lookup(p)
	if rule, to := h.matchRule(enc, r.URL.Query(), exists); rule != nil {
		h.applyRule(w, r, rule, to, enc)
		return
	}
	if !exists {
		h.notFound(w, r, enc)
		return
	}
	if name == "" {
		// A folder with an index: Netlify adds the trailing slash.
		h.redirect(w, r, enc+"/", r.URL.RawQuery, http.StatusMovedPermanently)
		return
	}
	h.serveFile(w, r, name, enc, http.StatusOK)
}

// CleanPath returns the decoded URL path of a request, or false when it
// is not one a static site can serve: not absolute, with "." or ".."
// segments (however encoded), empty segments, backslashes or NUL bytes.
func CleanPath(u *url.URL) (string, bool) {
	p := u.Path
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	rest := strings.TrimPrefix(p, "/")
	rest = strings.TrimSuffix(rest, "/")
	if rest == "" {
		return "/", true
	}
	for seg := range strings.SplitSeq(rest, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", false
		}
	}
	return p, true
}

// lookup finds the file serving a clean path. It returns ("", true) for a
// folder that has an index.html but was asked for without the slash.
func (h *Handler) lookup(p string) (name string, ok bool) {
	rel := strings.TrimPrefix(p, "/")
	if rel == "" || strings.HasSuffix(rel, "/") {
		return rel + "index.html", h.isFile(rel + "index.html")
	}
	if rel == RedirectsFile || rel == HeadersFile {
		return "", false
	}
	if h.isFile(rel) {
		return rel, true
	}
	if h.isFile(rel + "/index.html") {
		return "", true
	}
	if path.Ext(rel) == "" && h.isFile(rel+".html") {
		return rel + ".html", true
	}
	return "", false
}

func (h *Handler) isFile(name string) bool {
	if !fs.ValidPath(name) {
		return false
	}
	st, err := fs.Stat(h.FS, name)
	return err == nil && st.Mode().IsRegular()
}

func (h *Handler) matchRule(enc string, q url.Values, exists bool) (*Redirect, string) {
	if h.Rules == nil {
		return nil, ""
	}
	for i := range h.Rules.Redirects {
		rule := &h.Rules.Redirects[i]
		if exists && !rule.Force {
			continue
		}
		if to, ok := rule.match(enc, q); ok {
			return rule, to
		}
	}
	return nil, ""
}

func (h *Handler) applyRule(w http.ResponseWriter, r *http.Request, rule *Redirect, to, enc string) {
	if rule.IsRedirect() {
		query := ""
		if len(rule.Query) == 0 && !strings.Contains(to, "?") {
			query = r.URL.RawQuery
		}
		h.redirect(w, r, to, query, rule.Status)
		return
	}
	if !strings.HasPrefix(to, "/") {
		h.setHeaders(w, enc)
		http.Error(w, "this rule proxies to "+to+" ("+rule.File+" line "+strconv.Itoa(rule.Line)+"); the preview does not proxy to other sites", http.StatusBadGateway)
		return
	}
	target, err := url.Parse(to)
	if err != nil {
		h.notFound(w, r, enc)
		return
	}
	p, ok := CleanPath(target)
	if !ok {
		h.notFound(w, r, enc)
		return
	}
	name, exists := h.lookup(p)
	if exists && name == "" {
		name, exists = h.lookup(p + "/")
	}
	if !exists {
		h.notFound(w, r, enc)
		return
	}
	h.serveFile(w, r, name, enc, rule.Status)
}

func (h *Handler) redirect(w http.ResponseWriter, r *http.Request, to, query string, status int) {
	if query != "" {
		to += "?" + query
	}
	h.cacheControl(w.Header(), true)
	w.Header().Set("Location", to)
	w.WriteHeader(status)
	if r.Method == http.MethodGet {
		w.Write([]byte("Redirecting to " + to + "\n"))
	}
}

// notFound serves 404.html with status 404, or a plain message when the
// site has none.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request, enc string) {
	if h.isFile("404.html") {
		h.serveFile(w, r, "404.html", enc, http.StatusNotFound)
		return
	}
	h.cacheControl(w.Header(), true)
	http.Error(w, "Not Found", http.StatusNotFound)
}

// serveFile writes one file with the headers of the requested path.
func (h *Handler) serveFile(w http.ResponseWriter, r *http.Request, name, enc string, status int) {
	data, err := fs.ReadFile(h.FS, name)
	if err != nil {
		h.cacheControl(w.Header(), true)
		http.Error(w, "Not Found", http.StatusNotFound)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", ContentType(name, data))
	hdr.Set("Cache-Control", netlifyCacheControl)
	h.setHeaders(w, enc)
	h.cacheControl(hdr, false)
	if status != http.StatusOK {
		hdr.Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(status)
		if r.Method == http.MethodGet {
			w.Write(data)
		}
		return
	}
	var mod time.Time
	if st, err := fs.Stat(h.FS, name); err == nil && h.CacheControl == "" {
		mod = st.ModTime()
	}
	http.ServeContent(w, r, name, mod, bytes.NewReader(data))
}

func (h *Handler) setHeaders(w http.ResponseWriter, enc string) {
	if h.Rules != nil {
		applyHeaders(h.Rules.Headers, enc, w.Header())
	}
}

// cacheControl applies the handler's Cache-Control override; always also
// sets Netlify's default when there is no override.
func (h *Handler) cacheControl(hdr http.Header, always bool) {
	switch {
	case h.CacheControl != "":
		hdr.Set("Cache-Control", h.CacheControl)
	case always:
		hdr.Set("Cache-Control", netlifyCacheControl)
	}
}

// contentTypes fixes the types of the files a site build writes, so they
// do not depend on the machine's MIME tables.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".xml":         "application/xml",
	".txt":         "text/plain; charset=utf-8",
	".csv":         "text/csv; charset=utf-8",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".ico":         "image/x-icon",
	".pdf":         "application/pdf",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
	".bib":         "application/x-bibtex; charset=utf-8",
	".ris":         "application/x-research-info-systems; charset=utf-8",
	".wasm":        "application/wasm",
	".webmanifest": "application/manifest+json",
}

// ContentType returns the Content-Type of a file by its extension, then
// by sniffing its first bytes.
func ContentType(name string, data []byte) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return http.DetectContentType(data)
}
