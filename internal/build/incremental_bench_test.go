package build

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"hjp/internal/testsite"
)

// BenchmarkRebuildOne times an incremental rebuild after a one-page body
// edit: on the repository's content ("starter") and on a 10,000-page
// corpus (skipped with -short), whole (Build) and as serve's first phase
// (BuildPages: all but the search index, which is what an editor waits
// for). It reports outputs rendered and CPU time (user + system, all
// goroutines) per rebuild.
func BenchmarkRebuildOne(b *testing.B) {
	for _, tc := range []struct {
		name  string
		n     int
		pages bool
	}{{"starter", 0, false}, {"starter-pages", 0, true}, {"corpus-10000", 10000, false}, {"corpus-10000-pages", 10000, true}} {
		b.Run(tc.name, func(b *testing.B) {
			dir := testsite.Starter(b)
			if tc.n > 0 {
				dir = benchSite(b, tc.n)
			}
			inc := NewIncremental(os.DirFS(dir), Options{Source: dir})
			if rb := inc.Build(); rb.Failed() {
				b.Fatal(rb.Diags.Err())
			}
			// The finding in the middle of the site.
			entries, _ := os.ReadDir(filepath.Join(dir, "content", "findings"))
			src := filepath.Join(dir, "content", "findings", entries[len(entries)/2].Name())
			orig, _ := os.ReadFile(src)
			rendered := 0
			i := 0
			before := cpuTime()
			for b.Loop() {
				i++
				os.WriteFile(src, fmt.Appendf(slices.Clone(orig), "\nEdit %d.\n", i), 0o644)
				build := inc.Build
				if tc.pages {
					build = inc.BuildPages
				}
				rb := build()
				if rb.Failed() || rb.Full != "" {
					b.Fatalf("rebuild: full %q\n%v", rb.Full, rb.Diags.Err())
				}
				rendered += rb.Rendered
			}
			b.ReportMetric(float64(rendered)/float64(i), "rendered/op")
			// CPU time is what a rebuild costs whatever else the machine
			// is doing; wall time on a shared machine is not.
			b.ReportMetric(float64((cpuTime()-before).Microseconds())/1000/float64(i), "cpu-ms/op")
		})
	}
}

// cpuTime is the user and system CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
