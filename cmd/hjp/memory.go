package main

import (
	"io/fs"
	"math"
	"path/filepath"
	"runtime/debug"
	"strings"
)

// tuneGC sets the garbage collector for a build or check of the site
// named by args, unless the environment sets GOMEMLIMIT.
//
// A build keeps every page's front matter and search text, and each
// page's HTML until its file is written, and allocates several times that
// on the way; Go's default lets the heap grow to twice what is live. A
// soft memory limit sized from the Markdown caps that while the heap is
// at its largest (search encoding, the first rendered pages): the live
// heap of a build measured 5.7-6 times the bytes under content/ at 1,000
// and 10,000 pages, and the limit allows 7.5 times plus 64 MiB, so the
// collector works harder only near the peak: 10,000 pages (67 MiB of
// Markdown, limit 563 MiB) peak at 570 MiB instead of 860. (GOGC=50 on
// top, which this used to set, cost 3 % more CPU once full builds
// dropped page sources and HTML as they went, for the same peak.) Were
// a site's live heap ever above the limit, Go bounds the collector's
// share of CPU; the build still completes, only slower.
func tuneGC(args []string, getenv func(string) string) {
	if len(args) == 0 || args[0] != "build" && args[0] != "check" {
		return
	}
	if getenv("GOMEMLIMIT") == "" {
		if n := contentBytes(sourceArg(args[1:])); n > 0 {
			debug.SetMemoryLimit(memoryLimit(n))
		}
	}
}

// memoryLimit is the soft memory limit for a site with n bytes of
// content.
func memoryLimit(n int64) int64 {
	const base = 64 << 20
	if n > (math.MaxInt64-base)/8 {
		return math.MaxInt64
	}
	return n*15/2 + base
}

// sourceArg returns the --source flag's value in args, or ".".
func sourceArg(args []string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "source" {
			continue
		}
		if hasVal {
			return val
		}
		if i+1 < len(args) {
			return args[i+1]
		}
	}
	return "."
}

// contentBytes adds up the sizes of the files under dir/content, or
// returns 0 when there is none.
func contentBytes(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(filepath.Join(dir, "content"), func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
