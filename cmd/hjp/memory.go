package main

import (
	"math"
	"runtime/debug"
)

// tuneGC sets the garbage collector for hjp build and hjp check and
// returns their build.Options.ContentRead hook, which sets the soft
// memory limit from the size of the content. With GOMEMLIMIT set in the
// environment it changes nothing and returns nil; with GOGC set it
// leaves the collector's pace as set. main calls it (contentRead); tests
// of run leave the test process's collector alone.
//
// A build keeps every page's front matter and search text, and each
// page's HTML until its file is written, and allocates several times that
// on the way; Go's default lets the heap grow to twice what is live. A
// soft memory limit sized from the Markdown caps that while the heap is
// at its largest (search encoding, the first rendered pages): the live
// heap of a build measured 5.7-6 times the bytes under content/ at 1,000
// and 10,000 pages, and the limit allows 7.5 times plus 64 MiB, so the
// collector works harder only near the peak: 10,000 pages (67 MiB of
// Markdown, limit 563 MiB) peak at 570 MiB instead of 860. Were a site's
// live heap ever above the limit, Go bounds the collector's share of
// CPU; the build still completes, only slower.
//
// Below the limit the collector runs at GOGC=gcPercent, not 100: a
// build's heap is mostly what it keeps to the end, and collecting it
// every time it doubled was a tenth of the CPU of a 1,000-page build.
// The limit still caps the peak (570 MiB at 10,000 pages either way).
// (GOGC=50, which this once set, cost 3 % more CPU.)
//
// The build reports the content's size once it has read it, so hjp does
// not walk content/ a second time before starting (50 ms, serial, at
// 10,000 pages); until then the heap is a fraction of the limit.
func tuneGC(getenv func(string) string) func(contentBytes int64) {
	if getenv("GOMEMLIMIT") != "" {
		return nil
	}
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	return func(n int64) {
		if n > 0 {
			debug.SetMemoryLimit(memoryLimit(n))
		}
	}
}

// gcPercent is the collector's pace in a build (see tuneGC).
const gcPercent = 400

// contentRead is build.Options.ContentRead for hjp build and check; main
// sets it.
var contentRead func(contentBytes int64)

// memoryLimit is the soft memory limit for a site with n bytes of
// content.
func memoryLimit(n int64) int64 {
	const base = 64 << 20
	if n > (math.MaxInt64-base)/8 {
		return math.MaxInt64
	}
	return n*15/2 + base
}
