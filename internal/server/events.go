package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"hjp/internal/diag"
)

// Event is what the server tells open pages after each build, as JSON in
// a Server-Sent Event named "build" (or "hello" on connecting).
type Event struct {
	// Build counts builds since the server started.
	Build int  `json:"build"`
	OK    bool `json:"ok"`
	// Changed and Removed are output files ("guide/x/index.html") whose
	// bytes changed or that are gone; a page in either reloads. All
	// replaces a long Changed list: every page reloads.
	Changed []string `json:"changed,omitempty"`
	Removed []string `json:"removed,omitempty"`
	All     bool     `json:"all,omitempty"`
	// CSS lists stylesheets to swap in place: pages whose only change is
	// the stylesheet's fingerprinted URL are not in Changed.
	CSS []CSSSwap `json:"css,omitempty"`
	// Errors are the build's errors; the overlay shows them until a build
	// succeeds.
	Errors []Problem `json:"errors,omitempty"`
	// Stale (hello only) says the page changed after it was served.
	Stale bool `json:"stale,omitempty"`
	// Session (hello only) identifies this server run; a page from
	// another run reloads.
	Session string `json:"session,omitempty"`
	// Search is set on the event of a build that only put in a new
	// search index: the second phase of a build, after the event of the
	// pages (see Server.startIndexing). Only the search page reloads.
	Search bool `json:"search,omitempty"`
	// Rendered and Millis describe the build, for the console.
	Rendered int `json:"rendered,omitempty"`
	Millis   int `json:"ms,omitempty"`
}

// CSSSwap replaces one stylesheet link.
type CSSSwap struct {
	From      string `json:"from"`
	To        string `json:"to"`
	Integrity string `json:"integrity,omitempty"`
}

// Problem is one diagnostic as the overlay shows it.
type Problem struct {
	Path     string `json:"path"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Source   string `json:"source,omitempty"`
}

func problems(l diag.List) []Problem {
	var out []Problem
	for _, d := range l {
		if d.Severity != diag.Error {
			continue
		}
		out = append(out, Problem{Path: d.Path, Line: d.Line, Col: d.Col, Severity: d.Severity.String(), Message: d.Message, Source: d.Source})
	}
	return out
}

// maxChanged is how many changed files an event names before it says
// "all" instead.
const maxChanged = 500

// hub fans events out to every open page.
type hub struct {
	mu      sync.Mutex
	clients map[chan []byte]struct{}
	done    chan struct{}
}

func newHub() *hub { return &hub{clients: map[chan []byte]struct{}{}, done: make(chan struct{})} }

func (h *hub) subscribe() chan []byte {
	c := make(chan []byte, 16)
	h.mu.Lock()
	h.clients[c] = struct{}{}
	h.mu.Unlock()
	return c
}

func (h *hub) unsubscribe(c chan []byte) {
	h.mu.Lock()
	delete(h.clients, c)
	h.mu.Unlock()
}

// broadcast sends an event to every client; a client too slow to take
// it is dropped and reconnects (its page then asks whether it is stale).
func (h *hub) broadcast(name string, ev Event) {
	msg := sseMessage(name, ev)
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		select {
		case c <- msg:
		default:
			delete(h.clients, c)
			close(c)
		}
	}
}

// close ends every stream, so the server can shut down.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case <-h.done:
	default:
		close(h.done)
	}
}

func sseMessage(name string, ev Event) []byte {
	b, _ := json.Marshal(ev)
	return []byte("event: " + name + "\ndata: " + string(b) + "\n\n")
}

// serveEvents streams events to one page. The page says which file and
// build it shows (?file=guide/x/index.html&build=3&session=…), so the
// first event can tell it that it is already out of date.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	// The stream outlives the server's write timeout, but each event must
	// be taken within it: a page that stopped reading (a frozen tab, a
	// suspended machine) would otherwise hold this goroutine and its
	// connection for ever once the socket's buffers are full. A page that
	// is only slow reconnects and asks whether it is stale.
	deadline := func() { rc.SetWriteDeadline(time.Now().Add(s.limits.write)) }
	deadline()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	c := s.hub.subscribe()
	defer s.hub.unsubscribe(c)
	q := r.URL.Query()
	build, _ := strconv.Atoi(q.Get("build"))
	hello := s.hello(strings.TrimPrefix(q.Get("file"), "/"), build)
	if _, err := w.Write(sseMessage("hello", hello)); err != nil {
		return
	}
	rc.Flush()
	keepAlive := time.NewTicker(20 * time.Second)
	defer keepAlive.Stop()
	for {
		select {
		case msg, ok := <-c:
			if !ok {
				return
			}
			deadline()
			if _, err := w.Write(msg); err != nil {
				return
			}
		case <-keepAlive.C:
			deadline()
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return
			}
		case <-r.Context().Done():
			return
		case <-s.hub.done:
			return
		}
		if rc.Flush() != nil {
			return
		}
	}
}
