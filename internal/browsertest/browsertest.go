// Package browsertest starts a real headless Chromium for browser tests.
// Without Chromium a test is skipped with a message, except under CI=true,
// where a missing browser is a failure.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath returns the Chromium executable: $HJP_CHROMIUM, or the
// first of chromium, chromium-browser, google-chrome on PATH; "" if none.
func ChromiumPath() string {
	if p := os.Getenv("HJP_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Require skips the test when Chromium is missing, or fails it under CI.
func Require(t testing.TB) string {
	t.Helper()
	p := ChromiumPath()
	if p != "" {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is required under CI=true: .ci/run installs it with apt-get install -y chromium")
	}
	t.Skip("Chromium not found: install it (apt-get install -y chromium) to run browser tests")
	return ""
}

// New starts a fresh headless Chromium with its own profile and returns a
// context for one tab. The browser is closed when the test ends. Every
// action should use a derived context with a timeout (see Timeout).
func New(t testing.TB) context.Context {
	t.Helper()
	exe := Require(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	// Start the browser now, outside any per-action timeout.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		cancelAlloc()
		t.Fatalf("starting Chromium: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	return ctx
}

// Timeout derives a context that limits one step of a browser test.
func Timeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, d)
}
