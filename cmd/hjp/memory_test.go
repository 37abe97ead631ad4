package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestLimitMemory checks the hook main installs: it sets the soft memory
// limit from the content's size, and does nothing when GOMEMLIMIT is set.
func TestLimitMemory(t *testing.T) {
	if f := limitMemory(func(k string) string {
		if k == "GOMEMLIMIT" {
			return "1GiB"
		}
		return ""
	}); f != nil {
		t.Error("with GOMEMLIMIT set, limitMemory returned a hook; want nil")
	}
	f := limitMemory(func(string) string { return "" })
	if f == nil {
		t.Fatal("limitMemory returned nil without GOMEMLIMIT")
	}
	old := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(old)
	f(0)
	if got := debug.SetMemoryLimit(-1); got != old {
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
