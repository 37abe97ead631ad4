package main

import (
	"bufio"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// vma is one mapping of /proc/self/smaps.
type vma struct {
	lo, hi     uintptr
	flags      []string
	anonHugeKB int
}

func readSmaps(t *testing.T) []vma {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	defer f.Close()
	var out []vma
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if lo, hi, ok := strings.Cut(fields[0], "-"); ok && !strings.HasSuffix(fields[0], ":") {
			l, err1 := strconv.ParseUint(lo, 16, 64)
			h, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 == nil && err2 == nil {
				out = append(out, vma{lo: uintptr(l), hi: uintptr(h)})
				continue
			}
		}
		if len(out) == 0 {
			continue
		}
		switch fields[0] {
		case "VmFlags:":
			out[len(out)-1].flags = fields[1:]
		case "AnonHugePages:":
			out[len(out)-1].anonHugeKB, _ = strconv.Atoi(fields[1])
		}
	}
	return out
}

func hasFlag(v vma, flag string) bool {
	for _, f := range v.flags {
		if f == flag {
			return true
		}
	}
	return false
}

// TestAdviseHugeHeap checks on this machine's kernel that the range
// adviseHugeHeap reports is marked for huge pages once it is given back,
// and that a fresh process's heap then grows into it in huge pages. It
// runs itself again in a new process, whose heap is as small as hjp's
// when it starts (this one's has free spans left by other tests).
func TestAdviseHugeHeap(t *testing.T) {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || !strings.Contains(string(mode), "[madvise]") {
		t.Skipf("transparent huge pages are not in madvise mode here (%q, %v)", mode, err)
	}
	if os.Getenv("HJP_TEST_HUGE_HEAP") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAdviseHugeHeap$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "HJP_TEST_HUGE_HEAP=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestAdviseHugeHeap") {
			t.Fatalf("in a new process: %v\n%s", err, out)
		}
		return
	}
	const huge = 2 << 20
	lo, hi := adviseHugeHeap(64<<20, huge)
	if hi-lo < 60<<20 || lo%huge != 0 || hi%huge != 0 {
		t.Fatalf("marked [%#x, %#x): want about 64 MiB on huge page boundaries", lo, hi)
	}
	for _, v := range readSmaps(t) {
		if v.hi > lo && v.lo < hi && !hasFlag(v, "hg") {
			t.Errorf("mapping %#x-%#x within the marked range has no hg flag: %v", v.lo, v.hi, v.flags)
		}
	}
	// The heap's next big allocation comes from the marked range, and
	// touching it faults in huge pages.
	b := make([]byte, 16<<20)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	p := uintptr(unsafePointer(b))
	end := p + uintptr(len(b))
	if min(end, hi) < max(p, lo)+8<<20 {
		t.Fatalf("a 16 MiB allocation at [%#x, %#x) is mostly outside the marked range [%#x, %#x)", p, end, lo, hi)
	}
	huges := 0
	for _, v := range readSmaps(t) {
		if v.hi > p && v.lo < end && hasFlag(v, "hg") {
			huges += v.anonHugeKB
		}
	}
	if huges == 0 {
		t.Errorf("the mappings holding the allocation have no huge pages")
	}
	t.Logf("marked %d MiB; the allocation has %d MiB in huge pages", (hi-lo)>>20, huges>>10)
	b[0] = 2
}

func unsafePointer(b []byte) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(b)) }
