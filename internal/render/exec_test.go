package render

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
)

// TestProgramsFallBack checks what programs.exec leaves to html/template:
// data the compiled program gives up on (a map to range over) comes out
// as html/template writes it, and after maxFailures such runs the program
// is no longer tried; an error in the data fails both, is html/template's
// error, and does not count against the program.
func TestProgramsFallBack(t *testing.T) {
	set := template.Must(template.New("t").Parse(`<ul>{{range .}}<li>{{.}}</li>{{end}}</ul>`))
	ps := &programs{}
	run := func(data any) (string, error) {
		var b bytes.Buffer
		b.WriteString("kept:")
		err := ps.exec(set, &b, "t", data)
		return strings.TrimPrefix(b.String(), "kept:"), err
	}
	if got, err := run([]string{"a", "<b>"}); err != nil || got != "<ul><li>a</li><li>&lt;b&gt;</li></ul>" {
		t.Fatalf("slice: %q, %v", got, err)
	}
	if st := ps.fallbacks.Load(); st != 0 {
		t.Fatalf("a slice fell back to html/template (%d)", st)
	}
	pr := func() *program {
		v, _ := ps.m.Load(programKey{set, "t"})
		return v.(*program)
	}
	if pr().p == nil {
		t.Fatalf("not compiled: %v", pr().err)
	}
	// A map: fasttmpl gives up, html/template writes it (keys sorted).
	for i := range maxFailures + 2 {
		got, err := run(map[string]string{"b": "2", "a": "1"})
		if err != nil || got != "<ul><li>1</li><li>2</li></ul>" {
			t.Fatalf("map, run %d: %q, %v", i, got, err)
		}
	}
	if n := pr().failures.Load(); n != maxFailures {
		t.Errorf("failures = %d, want the program dropped after %d", n, maxFailures)
	}
	if n := ps.fallbacks.Load(); n != maxFailures+2 {
		t.Errorf("fallbacks = %d, want %d", n, maxFailures+2)
	}

	// An error in the data fails both and is not the program's.
	bad := template.Must(template.New("t").Parse(`<p>{{.Missing}}</p>`))
	ps2 := &programs{}
	var b bytes.Buffer
	err := ps2.exec(bad, &b, "t", struct{ X int }{})
	if err == nil || !strings.Contains(err.Error(), `can't evaluate field Missing`) {
		t.Fatalf("data error: %v", err)
	}
	v, _ := ps2.m.Load(programKey{bad, "t"})
	if p := v.(*program); p.p == nil || p.failures.Load() != 0 {
		t.Errorf("data error counted against the program: %+v", p)
	}
}
