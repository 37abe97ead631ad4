package markdown

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/sys/unix"
)

// BenchmarkPasses is BenchmarkRenderSite's parse with hjp's AST passes
// run apart, so that their cost can be told from goldmark's: it reports
// the CPU time the passes take on the benchmark's thread (pass-ns/op,
// and per pass), which other processes on a shared machine disturb less
// than the wall time.
func BenchmarkPasses(b *testing.B) {
	ins, g := corpusSite(b)
	md := newGoldmark(false, true)
	ps := passes()
	slices.SortStableFunc(ps, func(a, b util.PrioritizedValue) int { return a.Priority - b.Priority })
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	spent := make([]int64, len(ps))
	b.ReportAllocs()
	for b.Loop() {
		for _, in := range ins {
			in.Glossary = g
			st := &state{in: &in, doc: &Doc{}, cited: map[string]bool{}}
			pc := parser.NewContext()
			pc.Set(stateKey, st)
			reader := text.NewReader(in.Body)
			doc := md.Parser().Parse(reader, parser.WithContext(pc)).(*ast.Document)
			t := threadCPU(b)
			for i, p := range ps {
				p.Value.(parser.ASTTransformer).Transform(doc, reader, pc)
				now := threadCPU(b)
				spent[i] += now - t
				t = now
			}
			if len(st.diags) > 0 {
				b.Fatal(st.diags.Err())
			}
		}
	}
	var total int64
	for i, p := range ps {
		total += spent[i]
		b.ReportMetric(float64(spent[i])/float64(b.N), strings.TrimPrefix(fmt.Sprintf("%T", p.Value), "*markdown.")+"-ns/op")
	}
	b.ReportMetric(float64(total)/float64(b.N), "pass-ns/op")
}

// threadCPU returns the CPU time of the calling thread in nanoseconds.
func threadCPU(b *testing.B) int64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		b.Fatal(err)
	}
	return ts.Nano()
}
