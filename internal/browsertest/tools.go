package browsertest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"hjp/internal/testsite"
)

// NodeModule returns the folder of an npm package installed under .ci/
// (.ci/run installs them with npm ci from .ci/package-lock.json). Without
// it the test is skipped, except under CI=true, where it fails.
func NodeModule(t testing.TB, name string) string {
	t.Helper()
	dir := filepath.Join(testsite.Root(), ".ci", "node_modules", filepath.FromSlash(name))
	if _, err := os.Stat(filepath.Join(dir, "package.json")); err == nil {
		return dir
	}
	msg := "npm package " + name + " is not installed: run (cd .ci && npm ci)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// Node returns the node executable, skipping the test without it (failing
// under CI=true).
func Node(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("node"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("node is required under CI=true")
	}
	t.Skip("node not found: install Node.js to run the HTML validator")
	return ""
}
