package main

import "testing"

func TestHugeHeapBytes(t *testing.T) {
	const (
		mib  = 1 << 20
		gib  = 1 << 30
		huge = 2 * mib
	)
	madvise := "always [madvise] never\n"
	for _, tt := range []struct {
		name            string
		mode, overcommt string
		memory, page    uint64
		godebug         string
		want            int
	}{
		{"madvise mode, big machine", madvise, "0\n", 24 * gib, huge, "", gib},
		{"overcommit always", madvise, "1", 24 * gib, huge, "", gib},
		{"a quarter of a small machine", madvise, "0", 2 * gib, huge, "", gib / 2},
		{"rounded down to huge pages", madvise, "0", 4*gib - 4*mib, huge, "", gib - 2*mib},
		{"64 KiB base pages, 512 MiB huge pages", madvise, "0", 24 * gib, 512 * mib, "", 0},
		{"too little memory", madvise, "0", 200 * mib, huge, "", 0},
		{"always mode: the kernel does it", "[always] madvise never", "0", 24 * gib, huge, "", 0},
		{"never mode", "always madvise [never]", "0", 24 * gib, huge, "", 0},
		{"strict overcommit", madvise, "2\n", 24 * gib, huge, "", 0},
		{"GODEBUG disablethp", madvise, "0", 24 * gib, huge, "gctrace=1,disablethp=1", 0},
		{"GODEBUG other", madvise, "0", 24 * gib, huge, "disablethp=0,gctrace=1", gib},
		{"no huge page size", madvise, "0", 24 * gib, 0, "", 0},
	} {
		if got := hugeHeapBytes(tt.mode, tt.overcommt, tt.memory, tt.page, tt.godebug); got != tt.want {
			t.Errorf("%s: %d bytes, want %d", tt.name, got, tt.want)
		}
	}
}
