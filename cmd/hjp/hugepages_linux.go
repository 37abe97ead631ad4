package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// reserveHugeHeap marks the address range the heap grows into for
// transparent huge pages, when hugeHeapBytes says so (see hugepages.go).
// It allocates that much, untouched (fresh memory from the system is not
// written to: it is zero already), marks it, and gives it back: the
// runtime keeps the mapping and its mark, and carves the heap's next
// spans from it, lowest addresses first. It returns the bytes marked.
func reserveHugeHeap(getenv func(string) string) int {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil {
		return 0
	}
	overcommit, _ := os.ReadFile("/proc/sys/vm/overcommit_memory")
	hugePage := uint64(2 << 20)
	if b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size"); err == nil {
		if n, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64); err == nil {
			hugePage = n
		}
	}
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) != nil {
		return 0
	}
	memory := uint64(si.Totalram) * uint64(si.Unit)
	n := hugeHeapBytes(string(mode), string(overcommit), memory, hugePage, getenv("GODEBUG"))
	if n == 0 {
		return 0
	}
	lo, hi := adviseHugeHeap(n, uintptr(hugePage))
	return int(hi - lo)
}

// adviseHugeHeap allocates n bytes, marks the whole huge pages within
// them MADV_HUGEPAGE and frees them back to the system, still mapped and
// marked. It returns the addresses marked, [lo, hi); none when the
// kernel refused.
func adviseHugeHeap(n int, hugePage uintptr) (lo, hi uintptr) {
	b := make([]byte, n)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	start := (p+hugePage-1)&^(hugePage-1) - p
	end := (p+uintptr(n))&^(hugePage-1) - p
	if end > start && syscall.Madvise(b[start:end], syscall.MADV_HUGEPAGE) == nil {
		lo, hi = p+start, p+end
	}
	runtime.KeepAlive(b)
	b = nil
	// Collect b now, while the heap is tiny, and return its pages (never
	// touched, so nothing is copied or zeroed): the memory limit counts
	// only what the heap holds.
	debug.FreeOSMemory()
	return lo, hi
}
