package server

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// change is one file event the watcher passes on: a slash path from the
// source root and whether the path may be gone (removed or renamed away).
type change struct {
	path string
	gone bool
}

// watchRoots are the folders under the source root whose whole tree is
// watched; watchFiles the single files at the root. The root itself is
// watched too, so these are seen when they appear later.
var (
	watchRoots = []string{"content", "themes", "layouts"}
	watchFiles = []string{"netlify.toml"}
)

// relevant reports whether a slash path from the source root can change
// the site.
func relevant(rel string) bool {
	for _, f := range watchFiles {
		if rel == f {
			return true
		}
	}
	for _, r := range watchRoots {
		if rel == r || strings.HasPrefix(rel, r+"/") {
			return true
		}
	}
	return false
}

// editorJunk reports the names editors and operating systems write beside
// real files: swap, backup, lock and temporary files. Changes to them
// never cause a rebuild.
func editorJunk(name string) bool {
	switch {
	case name == "4913", name == ".DS_Store", name == "Thumbs.db", name == "desktop.ini":
		return true
	case strings.HasSuffix(name, "~"), strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"),
		strings.HasSuffix(name, ".swo"), strings.HasSuffix(name, ".tmp"), strings.HasSuffix(name, ".bck"),
		strings.HasSuffix(name, ".crswap"), strings.HasSuffix(name, ".kate-swp"):
		return true
	case strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"), strings.HasPrefix(name, ".#"):
		return true // Emacs auto-save and lock files
	case strings.HasPrefix(name, ".goutputstream"), strings.HasPrefix(name, ".sb-"):
		return true // GNOME and Byword temporary files
	case strings.Contains(name, "___jb_tmp___"), strings.Contains(name, "___jb_old___"), strings.Contains(name, "___jb_bak___"):
		return true // JetBrains safe write
	}
	return false
}

// skipDir reports folders never worth watching.
func skipDir(name string) bool {
	return name == ".git" || name == "node_modules" || name == "public" || strings.HasPrefix(name, ".")
}

// fsWatcher watches the source tree with fsnotify. fsnotify does not
// watch recursively: folders are added as they appear and dropped when
// they go, including folders renamed away.
type fsWatcher struct {
	root    string
	w       *fsnotify.Watcher
	watched map[string]bool // absolute folder paths
	send    func(change)
	warn    func(string)
}

// errWatchLimit is returned when the system will not watch more folders.
var errWatchLimit = errors.New("the system's limit on watched folders was reached")

func watchLimit(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EMFILE)
}

// newFSWatcher starts watching root. It fails with errWatchLimit when the
// inotify limits are too low for the tree.
func newFSWatcher(root string, send func(change), warn func(string)) (*fsWatcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		if watchLimit(err) {
			return nil, fmt.Errorf("%w (%v)", errWatchLimit, err)
		}
		return nil, err
	}
	fw := &fsWatcher{root: root, w: w, watched: map[string]bool{}, send: send, warn: warn}
	if err := fw.add(root); err != nil {
		w.Close()
		return nil, err
	}
	for _, r := range watchRoots {
		if err := fw.addTree(filepath.Join(root, r)); err != nil {
			w.Close()
			return nil, err
		}
	}
	return fw, nil
}

func (fw *fsWatcher) add(dir string) error {
	if fw.watched[dir] {
		return nil
	}
	if err := fw.w.Add(dir); err != nil {
		if watchLimit(err) {
			return fmt.Errorf("%w (%v)", errWatchLimit, err)
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	fw.watched[dir] = true
	return nil
}

// addTree watches dir and every folder under it.
func (fw *fsWatcher) addTree(dir string) error {
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if p != dir && skipDir(d.Name()) {
			return filepath.SkipDir
		}
		return fw.add(p)
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// forget drops dir and every watched folder under it.
func (fw *fsWatcher) forget(dir string) {
	for d := range fw.watched {
		if d == dir || strings.HasPrefix(d, dir+string(filepath.Separator)) {
			fw.w.Remove(d)
			delete(fw.watched, d)
		}
	}
}

// run passes events on until ctx is done.
func (fw *fsWatcher) run(ctx context.Context) {
	defer fw.w.Close()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-fw.w.Events:
			if !ok {
				return
			}
			fw.event(ev)
		case err, ok := <-fw.w.Errors:
			if !ok {
				return
			}
			switch {
			case errors.Is(err, fsnotify.ErrEventOverflow):
				// Events were lost: rebuild from what is on disk.
				fw.send(change{path: "content"})
			case watchLimit(err):
				fw.warn(limitMessage(err))
			default:
				fw.warn(fmt.Sprintf("watching files: %v", err))
			}
		}
	}
}

func (fw *fsWatcher) event(ev fsnotify.Event) {
	if ev.Op == fsnotify.Chmod {
		return // Spotlight, antivirus and backup tools touch modes all day
	}
	rel, err := filepath.Rel(fw.root, ev.Name)
	if err != nil {
		return
	}
	rel = filepath.ToSlash(rel)
	if !relevant(rel) || editorJunk(filepath.Base(ev.Name)) {
		return
	}
	gone := ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)
	if gone {
		fw.forget(ev.Name)
	}
	if ev.Has(fsnotify.Create) {
		if st, err := os.Lstat(ev.Name); err == nil && st.IsDir() && !skipDir(filepath.Base(ev.Name)) {
			if err := fw.addTree(ev.Name); err != nil {
				fw.warn(limitMessage(err))
			}
		}
	}
	fw.send(change{path: rel, gone: gone})
}

// limitMessage explains an inotify limit and what to do about it.
func limitMessage(err error) string {
	return fmt.Sprintf("cannot watch every folder: %v.\n"+
		"The system limits how many folders one user can watch (fs.inotify.max_user_watches).\n"+
		"Raise it with: sudo sysctl fs.inotify.max_user_watches=524288\n"+
		"or run hjp serve --poll 700ms to check for changes by polling instead.", err)
}

// pollWatcher finds changes by walking the watched trees every interval,
// for folders where file events do not arrive (WSL with Windows drives,
// network shares, some containers).
type pollWatcher struct {
	root     string
	interval time.Duration
	send     func(change)
	seen     map[string]fileStamp
}

type fileStamp struct {
	size int64
	mod  time.Time
	mode fs.FileMode
}

func newPollWatcher(root string, interval time.Duration, send func(change)) *pollWatcher {
	pw := &pollWatcher{root: root, interval: interval, send: send}
	pw.seen = pw.scan()
	return pw
}

func (pw *pollWatcher) scan() map[string]fileStamp {
	out := map[string]fileStamp{}
	stamp := func(rel string, info fs.FileInfo) {
		out[rel] = fileStamp{info.Size(), info.ModTime(), info.Mode()}
	}
	for _, f := range watchFiles {
		if info, err := os.Stat(filepath.Join(pw.root, f)); err == nil {
			stamp(f, info)
		}
	}
	for _, r := range watchRoots {
		filepath.WalkDir(filepath.Join(pw.root, r), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() && p != filepath.Join(pw.root, r) && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			if editorJunk(d.Name()) {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return nil
			}
			rel, _ := filepath.Rel(pw.root, p)
			stamp(filepath.ToSlash(rel), info)
			return nil
		})
	}
	return out
}

func (pw *pollWatcher) run(ctx context.Context) {
	t := time.NewTicker(pw.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			now := pw.scan()
			for p, s := range now {
				if old, ok := pw.seen[p]; !ok || old != s {
					pw.send(change{path: p})
				}
			}
			for p := range pw.seen {
				if _, ok := now[p]; !ok {
					pw.send(change{path: p, gone: true})
				}
			}
			pw.seen = now
		}
	}
}
