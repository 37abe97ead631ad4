package build

import (
	"crypto/sha256"
	"flag"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"hjp/internal/corpus"
	"hjp/internal/testsite"
)

var crashPages = flag.Int("crash.pages", 300, "pages in the corpus of TestCrashSafety (10000 for the full test)")
var crashKills = flag.Int("crash.kills", 20, "builds killed by TestCrashSafety")

// treeDigest hashes every file under dir by path; "" for a missing dir.
func treeDigest(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel] = sha256.Sum256(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameTree(a, b map[string][32]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestCrashSafety kills `hjp build` with SIGKILL at random moments, again
// and again, while it rebuilds a generated corpus into the same folder, and
// checks that the folder is always exactly the previous complete site or
// the new complete site — never a mixture — and that the next build
// removes the staging folders the killed builds left.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a corpus many times")
	}
	bin := filepath.Join(t.TempDir(), "hjp")
	if out, err := exec.Command("go", "build", "-o", bin, "hjp/cmd/hjp").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	src := t.TempDir()
	if err := corpus.Write(src, *crashPages, 7); err != nil {
		t.Fatal(err)
	}
	if err := testsite.CopyDir(filepath.Join(testsite.Root(), "themes"), filepath.Join(src, "themes")); err != nil {
		t.Fatal(err)
	}
	run := func(dest string) (time.Duration, int64) {
		start := time.Now()
		cmd := exec.Command(bin, "build", "--source", src, "--dest", dest)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("hjp build: %v\n%s", err, out)
		}
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		return time.Since(start), ru.Maxrss << 10
	}
	// Two versions of the site: one chapter differs.
	chapter := ""
	filepath.WalkDir(filepath.Join(src, "content", "guide"), func(p string, d fs.DirEntry, err error) error {
		if chapter == "" && err == nil && !d.IsDir() && d.Name() != "_index.md" {
			chapter = p
		}
		return nil
	})
	original, _ := os.ReadFile(chapter)
	variant := func(v int) {
		data := string(original)
		if v == 1 {
			data += "\nA sentence that only the second version has.\n"
		}
		if err := os.WriteFile(chapter, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	refs := make([]map[string][32]byte, 2)
	var buildTime time.Duration
	for v := range 2 {
		variant(v)
		ref := filepath.Join(t.TempDir(), "public")
		d, rss := run(ref)
		buildTime = max(buildTime, d)
		refs[v] = treeDigest(t, ref)
		t.Logf("%d pages: %d files, full build %v, peak memory %d MiB", *crashPages, len(refs[v]), d.Round(time.Millisecond), rss>>20)
		if rss > 1<<30 {
			t.Errorf("peak memory %d MiB is over 1 GiB", rss>>20)
		}
	}
	if sameTree(refs[0], refs[1]) {
		t.Fatal("the two versions build to the same site")
	}

	dest := filepath.Join(t.TempDir(), "public")
	variant(0)
	run(dest)
	current := 0
	rng := rand.New(rand.NewPCG(1, 2))
	outcomes := map[string]int{}
	for i := range *crashKills {
		next := 1 - current
		variant(next)
		cmd := exec.Command(bin, "build", "--source", src, "--dest", dest)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(buildTime) * 12 / 10)))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		got := treeDigest(t, dest)
		switch {
		case sameTree(got, refs[current]):
			outcomes["previous site"]++
		case sameTree(got, refs[next]):
			outcomes["new site"]++
			current = next
		default:
			t.Fatalf("kill %d left a mixture: %d files, matches neither version", i, len(got))
		}
	}
	t.Logf("after %d kills: %v", *crashKills, outcomes)
	entries, _ := os.ReadDir(filepath.Dir(dest))
	left := 0
	for _, e := range entries {
		if strings.Contains(e.Name(), ".staging-") {
			left++
		}
	}
	variant(current)
	run(dest)
	entries, _ = os.ReadDir(filepath.Dir(dest))
	for _, e := range entries {
		if e.Name() != "public" {
			t.Errorf("left behind after a clean build: %s (killed builds had left %d)", e.Name(), left)
		}
	}
	if !sameTree(treeDigest(t, dest), refs[current]) {
		t.Error("the clean build after the kills is not the complete site")
	}
}
