package main

import "strings"

// Huge pages for the heap (Linux; see reserveHugeHeap).
//
// A build touches every page of a heap that grows to 120 MiB at 1,000
// pages and 570 MiB at 10,000, and each first touch of a 4 KiB page is a
// page fault: 28,000 faults at 1,000 pages, a tenth of the build's CPU
// on the virtual machines these builds run on. With transparent huge
// pages the kernel backs 2 MiB at a time and the faults fall to 3,000.
// Go does not ask for huge pages for its heap, and most distributions set
// transparent huge pages to "madvise": only memory a program marks with
// madvise(MADV_HUGEPAGE) gets them. hjp marks the address range its heap
// is about to grow into (the JVM's -XX:+UseTransparentHugePages does the
// same for its heap). Paired runs: 1,000 pages 0.394 -> 0.365 s and
// 0.74 -> 0.69 CPU-s; 10,000 pages 4.02 -> 3.81 s and 7.60 -> 7.32 CPU-s,
// peak 569 -> 574 MiB.

// maxHugeHeap is the most heap address space hjp marks: the peak heap
// of a 20,000-page site. A bigger heap grows on in ordinary pages.
const maxHugeHeap = 1 << 30

// hugeHeapBytes says how much heap address space to mark for huge pages,
// or 0 for none, given the kernel's transparent huge page mode (the
// contents of /sys/kernel/mm/transparent_hugepage/enabled), its
// overcommit mode (/proc/sys/vm/overcommit_memory), the machine's memory
// in bytes, the size of a huge page and GODEBUG.
//
//   - Only in "madvise" mode does marking change anything: "always" gives
//     huge pages anyway, "never" refuses them.
//   - Under strict overcommit accounting (mode 2) reserving a gigabyte of
//     address space can be refused, and the Go runtime cannot recover
//     from that. Elsewhere at most a quarter of the machine's memory is
//     reserved, and nothing on a machine under 256 MiB.
//   - GODEBUG=disablethp=1 is Go's switch for keeping huge pages off the
//     heap: hjp honours it.
func hugeHeapBytes(thpMode, overcommit string, memory, hugePage uint64, godebug string) int {
	if !strings.Contains(thpMode, "[madvise]") || strings.TrimSpace(overcommit) == "2" || hugePage == 0 {
		return 0
	}
	for _, kv := range strings.Split(godebug, ",") {
		if strings.TrimSpace(kv) == "disablethp=1" {
			return 0
		}
	}
	n := min(uint64(maxHugeHeap), memory/4) / hugePage * hugePage
	if n < 64<<20 || n < 4*hugePage {
		return 0
	}
	return int(n)
}
