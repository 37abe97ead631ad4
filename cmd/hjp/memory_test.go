package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestTuneGC checks what main sets for a build: the collector's pace
// unless GOGC is set, and a hook that sets the soft memory limit from the
// content's size; nothing at all when GOMEMLIMIT is set.
func TestTuneGC(t *testing.T) {
	oldLimit := debug.SetMemoryLimit(-1)
	oldPercent := debug.SetGCPercent(100)
	defer func() {
		debug.SetMemoryLimit(oldLimit)
		debug.SetGCPercent(oldPercent)
	}()
	env := func(vars ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(vars); i += 2 {
				if vars[i] == k {
					return vars[i+1]
				}
			}
			return ""
		}
	}
	if f := tuneGC(env("GOMEMLIMIT", "1GiB")); f != nil {
		t.Error("with GOMEMLIMIT set, tuneGC returned a hook; want nil")
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOMEMLIMIT set, GOGC became %d; want it left at 100", got)
	}
	if tuneGC(env("GOGC", "100")) == nil {
		t.Error("with GOGC set, tuneGC returned nil; want the memory limit's hook")
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set, GOGC became %d; want it left as set", got)
	}
	f := tuneGC(env())
	if got := debug.SetGCPercent(100); got != gcPercent {
		t.Errorf("GOGC = %d, want %d", got, gcPercent)
	}
	if f == nil {
		t.Fatal("tuneGC returned nil without GOMEMLIMIT")
	}
	f(0)
	if got := debug.SetMemoryLimit(-1); got != oldLimit {
		t.Errorf("no content: limit changed to %d", got)
	}
	f(70 << 20)
	if got, want := debug.SetMemoryLimit(-1), memoryLimit(70<<20); got != want {
		t.Errorf("limit after 70 MiB of content = %d, want %d", got, want)
	}
}

func TestMemoryLimit(t *testing.T) {
	if got, want := memoryLimit(70<<20), int64(75*7<<20+64<<20); got != want {
		t.Errorf("memoryLimit(70 MiB) = %d, want %d", got, want)
	}
	if got := memoryLimit(math.MaxInt64 / 2); got != math.MaxInt64 {
		t.Errorf("memoryLimit(huge) = %d, want no limit", got)
	}
}
