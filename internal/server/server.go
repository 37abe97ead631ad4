// Package server is hjp's preview server: it builds the site into memory,
// serves it exactly as Netlify would (same redirects, headers and CSP,
// through package netlify), watches the sources, rebuilds only what a
// change reaches, and tells open pages over Server-Sent Events to reload,
// swap a stylesheet, or show the build's errors over the last good page.
package server

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"hjp/internal/build"
	"hjp/internal/diag"
	"hjp/internal/netlify"
)

// Options configure a preview server.
type Options struct {
	// Build has the source root and build options (Drafts).
	Build build.Options
	// Bind is the address to listen on; "" means 127.0.0.1.
	Bind string
	// Port to listen on, tried with the next ports after it when PortSet is
	// false; 0 means DefaultPort, or any free port when PortSet is true.
	Port    int
	PortSet bool
	// Poll, when set, checks for changes by polling at this interval
	// instead of waiting for file events.
	Poll time.Duration
	// Debounce is how long the sources must be quiet before a rebuild;
	// 0 means DefaultDebounce. An editor's save (write, or write a
	// temporary file and rename it) is one burst well inside it; a save
	// that straddles it costs one more build, never a lost change (see
	// buildLoop and waitForAtomicSave).
	Debounce time.Duration
	// Out receives status lines; Err diagnostics and warnings.
	Out, Err io.Writer
}

// Defaults.
const (
	DefaultPort     = 1313
	DefaultDebounce = 10 * time.Millisecond
	// portTries is how many ports after the default are tried when the
	// port was not given.
	portTries = 20
	// DefaultMaxWait is the longest a stream of changes (a sync, a
	// checkout, a script writing files) puts a build off: open pages
	// refresh at least this often while it lasts.
	DefaultMaxWait = time.Second
)

//go:embed assets
var assets embed.FS

// Server is one running preview.
type Server struct {
	opts    Options
	builder *build.Incremental
	hub     *hub
	session string

	// mu guards the state below, which each build replaces.
	mu sync.RWMutex
	// builds counts builds; site is the last good one (nil before the
	// first); errs are the latest build's errors (nil when it succeeded).
	builds int
	// searchBuilds counts the builds that only put in a new search index.
	searchBuilds int
	site         *goodSite
	errs         diag.List
	changedAt    map[string]int
	// cssAt is the last build that swapped a stylesheet: a page served
	// before it and connecting after missed the swap.
	cssAt int
	// rules are the Netlify rules of the last good build, kept to be
	// reused while their files stay the same.
	rules netlify.Cache

	// Builds are signalled here; pending holds what changed.
	kick    chan struct{}
	pmu     sync.Mutex
	pending map[string]bool
	gone    map[string]bool

	ln  net.Listener
	url string

	// limits are the HTTP server's timeouts (tests shorten them).
	limits limits
	// published, when set, is called with every good build as it is
	// swapped in, before any request can be served from it (tests
	// record what the server published).
	published func(build int, files map[string][]byte)

	// indexed receives the search index the background indexing made
	// (see startIndexing); stopIndex cancels that indexing.
	indexed   chan *build.SearchIndex
	stopIndex context.CancelFunc
	indexing  sync.WaitGroup
	// beforeIndex, when set, is called by the background indexing before
	// it starts (tests hold it back to see the first phase alone).
	beforeIndex func(ctx context.Context)
	// maxWait bounds how long a stream of changes can put a build off.
	maxWait time.Duration
}

// limits bound how long a client may hold a connection without doing its
// part: a client that sends its request header slowly (slowloris) is cut
// off after readHeader, an idle keep-alive connection after idle.
type limits struct {
	readHeader, read, write, idle time.Duration
	maxHeaderBytes                int
}

// defaultLimits are generous for a browser on this machine and short
// enough that stuck or hostile clients cannot pile up connections.
func defaultLimits() limits {
	return limits{
		readHeader:     5 * time.Second,
		read:           30 * time.Second,
		write:          30 * time.Second,
		idle:           2 * time.Minute,
		maxHeaderBytes: 64 << 10,
	}
}

// goodSite is a build that succeeded, ready to serve.
type goodSite struct {
	build   int
	files   map[string][]byte
	handler *netlify.Handler
	// retired are the search index files the last new index replaced,
	// still served to search pages loaded before it (see memFS).
	retired map[string][]byte
}

// New prepares a server; it does not build or listen yet.
func New(opts Options) *Server {
	if opts.Bind == "" {
		opts.Bind = "127.0.0.1"
	}
	if opts.Port == 0 && !opts.PortSet {
		opts.Port = DefaultPort
	}
	if opts.Debounce == 0 {
		opts.Debounce = DefaultDebounce
	}
	if opts.Out == nil {
		opts.Out = io.Discard
	}
	if opts.Err == nil {
		opts.Err = io.Discard
	}
	var id [6]byte
	rand.Read(id[:])
	return &Server{
		opts:      opts,
		builder:   build.NewIncremental(os.DirFS(opts.Build.Source), opts.Build),
		hub:       newHub(),
		session:   hex.EncodeToString(id[:]),
		changedAt: map[string]int{},
		kick:      make(chan struct{}, 1),
		pending:   map[string]bool{},
		gone:      map[string]bool{},
		limits:    defaultLimits(),
		indexed:   make(chan *build.SearchIndex),
		maxWait:   DefaultMaxWait,
	}
}

// Listen opens the port. When the port was not given and is taken, the
// next free one is used; when it was given, the error says to pick
// another with --port.
func (s *Server) Listen() error {
	tries := 1
	if !s.opts.PortSet {
		tries = portTries
	}
	var err error
	for i := range tries {
		port := s.opts.Port + i
		s.ln, err = net.Listen("tcp", net.JoinHostPort(s.opts.Bind, strconv.Itoa(port)))
		if err == nil {
			if i > 0 {
				fmt.Fprintf(s.opts.Out, "Port %d is in use; using %d.\n", s.opts.Port, port)
			}
			break
		}
		if !errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("cannot listen on %s port %d: %v", s.opts.Bind, port, err)
		}
	}
	if err != nil {
		if s.opts.PortSet {
			return fmt.Errorf("port %d is already in use (another hjp serve or hugo server?): choose another with --port, like --port %d", s.opts.Port, s.opts.Port+1)
		}
		return fmt.Errorf("ports %d to %d are all in use: choose a free one with --port", s.opts.Port, s.opts.Port+portTries-1)
	}
	host := s.opts.Bind
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	s.url = "http://" + net.JoinHostPort(host, strconv.Itoa(s.ln.Addr().(*net.TCPAddr).Port)) + "/"
	return nil
}

// URL is where the preview is served (after Listen).
func (s *Server) URL() string { return s.url }

// Loopback reports whether bind only accepts connections from this
// machine.
func Loopback(bind string) bool {
	if bind == "localhost" {
		return true
	}
	ip := net.ParseIP(bind)
	return ip != nil && ip.IsLoopback()
}

// Run builds the site, serves it and rebuilds on every change until ctx
// is done; then it shuts down cleanly. Call Listen first.
func (s *Server) Run(ctx context.Context) error {
	if s.ln == nil {
		if err := s.Listen(); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := s.startWatching(ctx); err != nil {
		s.ln.Close()
		return err
	}
	s.rebuild(nil)
	s.startIndexing(ctx)
	srv := s.httpServer()
	var wg sync.WaitGroup
	wg.Go(func() { s.buildLoop(ctx) })
	// The address is printed before the first request can be answered,
	// so whoever sees a page has seen where it came from.
	fmt.Fprintf(s.opts.Out, "Serving %s — edit content/ and open pages update. Press Ctrl-C to stop.\n", s.url)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(s.ln) }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	cancel()
	s.hub.close()
	shutdown, stop := context.WithTimeout(context.Background(), 3*time.Second)
	defer stop()
	srv.Shutdown(shutdown)
	wg.Wait()
	s.indexing.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// httpServer is the HTTP server answering for s, with its limits.
func (s *Server) httpServer() *http.Server {
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: s.limits.readHeader,
		ReadTimeout:       s.limits.read,
		WriteTimeout:      s.limits.write,
		IdleTimeout:       s.limits.idle,
		MaxHeaderBytes:    s.limits.maxHeaderBytes,
	}
}

// startWatching starts the file watcher, or the polling one when asked
// or when the system's watch limit is too low.
func (s *Server) startWatching(ctx context.Context) error {
	root := s.opts.Build.Source
	warn := func(msg string) { fmt.Fprintf(s.opts.Err, "hjp serve: %s\n", msg) }
	if s.opts.Poll == 0 {
		fw, err := newFSWatcher(root, s.changed, warn)
		if err == nil {
			go fw.run(ctx)
			return nil
		}
		if !errors.Is(err, errWatchLimit) {
			return fmt.Errorf("cannot watch %s: %v", root, err)
		}
		warn(limitMessage(err))
		s.opts.Poll = 700 * time.Millisecond
		warn("polling every 700ms for now.")
	}
	pw := newPollWatcher(root, s.opts.Poll, s.changed)
	go pw.run(ctx)
	return nil
}

// changed records a change and asks for a build.
func (s *Server) changed(c change) {
	s.pmu.Lock()
	s.pending[c.path] = true
	if c.gone {
		s.gone[c.path] = true
	} else {
		delete(s.gone, c.path)
	}
	s.pmu.Unlock()
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// buildLoop rebuilds after each burst of changes has gone quiet. Changes
// that arrive during a build leave the kick set, so exactly one more build
// follows; none are lost. Each build publishes the pages first; the
// search index follows from the background (see startIndexing), unless
// a newer change comes first.
func (s *Server) buildLoop(ctx context.Context) {
	wait := s.opts.Debounce
	for {
		select {
		case <-ctx.Done():
			s.cancelIndexing()
			return
		case ix := <-s.indexed:
			s.publishSearch(ix)
			continue
		case <-s.kick:
		}
		// A newer change makes the index being made out of date: stop
		// it, so the build has the processors to itself.
		s.cancelIndexing()
		if !s.quiet(ctx, wait) {
			s.cancelIndexing()
			return
		}
		s.pmu.Lock()
		paths, gone := s.pending, s.gone
		s.pending, s.gone = map[string]bool{}, map[string]bool{}
		s.pmu.Unlock()
		if s.waitForAtomicSave(ctx, gone) {
			// The editor finished its save while we waited: those events
			// belong to this build.
			s.pmu.Lock()
			for p := range s.pending {
				paths[p] = true
			}
			s.pending, s.gone = map[string]bool{}, map[string]bool{}
			s.pmu.Unlock()
			select {
			case <-s.kick:
			default:
			}
		}
		s.rebuild(paths)
		s.startIndexing(ctx)
		// Changes that came in during the build belong to a burst that is
		// still going on (a checkout, a sync, a slow script): wait longer
		// so the next build takes the rest of it.
		wait = s.opts.Debounce
		if len(s.kick) > 0 {
			wait = max(s.opts.Debounce, burstDebounce)
		}
	}
}

// burstDebounce is the quiet time asked for after a build during which
// more changes arrived.
const burstDebounce = 150 * time.Millisecond

// quiet waits until no change has arrived for d, or for s.maxWait in
// all: a stream of changes closer together than d must not put the
// build off for as long as it lasts.
func (s *Server) quiet(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	limit := time.NewTimer(max(s.maxWait, d))
	defer limit.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-s.kick:
			t.Reset(d)
		case <-t.C:
			return true
		case <-limit.C:
			return true
		}
	}
}

// atomicSaveGrace is how long a build waits for a file that was just
// renamed away or removed to come back: editors that save atomically
// (vim, JetBrains, some VS Code setups) move the old file aside and put
// the new one in its place.
const atomicSaveGrace = 100 * time.Millisecond

// waitForAtomicSave waits, up to the grace period, while a page that was
// removed or renamed away is still missing. It reports whether it waited.
func (s *Server) waitForAtomicSave(ctx context.Context, gone map[string]bool) bool {
	missing := func() bool {
		for p := range gone {
			if strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".css") {
				if _, err := os.Stat(s.opts.Build.Source + "/" + p); err != nil {
					return true
				}
			}
		}
		return false
	}
	if !missing() {
		return false
	}
	deadline := time.Now().Add(atomicSaveGrace)
	for time.Now().Before(deadline) && missing() {
		select {
		case <-ctx.Done():
			return true
		case <-time.After(5 * time.Millisecond):
		}
	}
	return true
}

// ServeHTTP answers a request: the server's own files under /__hjp/, the
// built site for everything else.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if Loopback(s.opts.Bind) && !localHost(r.Host) {
		// A page on another site that made its name resolve to 127.0.0.1
		// (DNS rebinding) must not read the preview.
		http.Error(w, "hjp serve answers only requests for localhost", http.StatusForbidden)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/__hjp/") {
		s.serveOwn(w, r)
		return
	}
	s.mu.RLock()
	site, errs, builds := s.site, s.errs, s.builds
	s.mu.RUnlock()
	if site == nil {
		s.serveNotBuilt(w, errs, builds)
		return
	}
	site.handler.ServeHTTP(w, r)
}

// localHost reports whether a Host header names this machine.
func localHost(host string) bool {
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		h = host
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// serveOwn serves the reload script, the overlay's stylesheet, the event
// stream and the status.
func (s *Server) serveOwn(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/__hjp/events":
		s.serveEvents(w, r)
		return
	case "/__hjp/status":
		s.serveStatus(w)
		return
	case ReloadPath, "/__hjp/overlay.css":
		name := "assets/" + strings.TrimPrefix(r.URL.Path, "/__hjp/")
		data, err := assets.ReadFile(name)
		if err == nil {
			w.Header().Set("Content-Type", netlify.ContentType(name, data))
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("X-Content-Type-Options", "nosniff")
			w.Write(data)
			return
		}
	}
	http.NotFound(w, r)
}

// serveNotBuilt answers every page before the first good build: the
// errors, and the reload script, which reloads once the site builds.
func (s *Server) serveNotBuilt(w http.ResponseWriter, errs diag.List, builds int) {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>The site has not built yet</title>\n</head>\n<body>\n<h1>The site has not built yet</h1>\n")
	if builds == 0 {
		b.WriteString("<p>The first build is running.</p>\n")
	} else {
		b.WriteString("<p>Fix these problems and save: this page reloads when the site builds.</p>\n<pre>")
		var txt strings.Builder
		diag.Print(&txt, errs)
		b.WriteString(html.EscapeString(txt.String()))
		b.WriteString("</pre>\n")
	}
	b.WriteString("</body>\n</html>\n")
	page := injectReload([]byte(b.String()), s.session, builds)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusServiceUnavailable)
	w.Write(page)
}
