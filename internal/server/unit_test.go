package server

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
)

func TestEditorJunk(t *testing.T) {
	junk := []string{"4913", ".DS_Store", "x.md~", ".x.md.swp", ".x.md.swx", "x.md.tmp", "x.bck", "#x.md#", ".#x.md",
		".goutputstream-ABC123", "x.md___jb_tmp___", "x.md___jb_old___", "x.md___jb_bak___", ".sb-abc-x.md", "Thumbs.db"}
	for _, n := range junk {
		if !editorJunk(n) {
			t.Errorf("editorJunk(%q) = false", n)
		}
	}
	for _, n := range []string{"x.md", "site.yaml", "main.css", "references.yaml", "f04-x.md", "#hash.md"} {
		if editorJunk(n) {
			t.Errorf("editorJunk(%q) = true", n)
		}
	}
}

func TestRelevant(t *testing.T) {
	for rel, want := range map[string]bool{
		"content/guide/x.md": true, "content": true, "themes/default/layouts/baseof.html": true,
		"layouts/page.html": true, "netlify.toml": true, "README.md": false, "public/index.html": false,
		".git/index": false, "contents/x.md": false, "go.mod": false,
	} {
		if relevant(rel) != want {
			t.Errorf("relevant(%q) = %v", rel, !want)
		}
	}
}

func TestInjectReload(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<html><head><title>x</title></head><body></body></html>", `<html><head><title>x</title><script src="/__hjp/reload.js" data-session="s" data-build="3" defer></script>` + "\n</head><body></body></html>"},
		{"<HTML><HEAD></HEAD></HTML>", `<HTML><HEAD><script src="/__hjp/reload.js" data-session="s" data-build="3" defer></script>` + "\n</HEAD></HTML>"},
		{"<p>fragment</p></body>", `<p>fragment</p><script src="/__hjp/reload.js" data-session="s" data-build="3" defer></script>` + "\n</body>"},
		{"plain text", "plain text"},
	}
	for _, tt := range tests {
		if got := string(injectReload([]byte(tt.in), "s", 3)); got != tt.want {
			t.Errorf("injectReload(%q) =\n%s\nwant\n%s", tt.in, got, tt.want)
		}
	}
	in := []byte("<head></head>")
	injectReload(in, "s", 1)
	if strings.Contains(string(in), "script") {
		t.Errorf("injectReload changed its input")
	}
}

func TestWatchLimitAdvice(t *testing.T) {
	for _, err := range []error{syscall.ENOSPC, syscall.EMFILE, fmt.Errorf("adding watch: %w", syscall.ENOSPC)} {
		if !watchLimit(err) {
			t.Errorf("watchLimit(%v) = false", err)
		}
	}
	if watchLimit(syscall.ENOENT) {
		t.Errorf("watchLimit(ENOENT) = true")
	}
	msg := limitMessage(syscall.ENOSPC)
	for _, want := range []string{"fs.inotify.max_user_watches", "sysctl", "hjp serve --poll 700ms"} {
		if !strings.Contains(msg, want) {
			t.Errorf("limit message lacks %q:\n%s", want, msg)
		}
	}
}
