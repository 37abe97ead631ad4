package render

import (
	"bytes"
	"errors"
	"html/template"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	texttemplate "text/template"

	"hjp/internal/fasttmpl"
)

// programs holds the theme's compiled templates (fasttmpl), one per
// template set and name.
type programs struct {
	// off leaves every template to html/template.
	off   bool
	funcs template.FuncMap
	m     sync.Map // programKey → *program
	// fallbacks counts executions left to html/template (tests check
	// that none of the theme's are).
	fallbacks atomic.Int64
}

type programKey struct {
	set  *template.Template
	name string
}

type program struct {
	p   *fasttmpl.Program // nil: fasttmpl declined the template, for err
	err error
	// failures counts runs fasttmpl gave up that html/template did
	// not; after maxFailures the program is no longer tried.
	failures atomic.Int32
}

const maxFailures = 8

// exec writes the template name of set, run with data, into buf, with
// the template's compiled program. Whatever the program cannot do (an
// error, or data it does not handle) html/template does, so the output
// and the errors are html/template's.
func (ps *programs) exec(set *template.Template, buf *bytes.Buffer, name string, data any) error {
	if ps.off {
		return set.ExecuteTemplate(buf, name, data)
	}
	k := programKey{set, name}
	v, ok := ps.m.Load(k)
	if !ok {
		v, _ = ps.m.LoadOrStore(k, ps.compile(set, name))
	}
	pr := v.(*program)
	tried := pr.p != nil && pr.failures.Load() < maxFailures
	if tried && pr.p.Execute(buf, data) == nil {
		return nil
	}
	ps.fallbacks.Add(1)
	err := set.ExecuteTemplate(buf, name, data)
	if tried && err == nil {
		// The program gave up on data html/template handles (an
		// error in the data itself fails both, and is not counted).
		pr.failures.Add(1)
	}
	return err
}

// compile compiles a template of set. html/template escapes a template
// (and those it calls) when it first runs it, and only then: it is run
// once on data that stops it at its first field, writing nowhere.
func (ps *programs) compile(set *template.Template, name string) *program {
	pr := &program{}
	var stopped texttemplate.ExecError
	if err := set.ExecuteTemplate(io.Discard, name, priming{}); err != nil && !errors.As(err, &stopped) {
		// Not escaped (an escaping error, or no such template):
		// html/template gives the error on the real run.
		pr.err = err
		return pr
	}
	pr.p, pr.err = fasttmpl.Compile(set, name, ps.funcs)
	return pr
}

// priming is data without fields or methods: a template run on it stops
// at the first it asks for.
type priming struct{}

// TemplateStats says how a theme's templates were run.
type TemplateStats struct {
	// Compiled and Declined count the templates (per layout's set)
	// fasttmpl compiled, and those it left to html/template.
	Compiled, Declined int
	// Why says why each declined template was (sorted).
	Why []string
	// Fallbacks counts runs left to html/template: those of declined
	// templates, and those fasttmpl gave up.
	Fallbacks int64
}

// TemplateStats says how the theme's templates have been run so far.
func (t *Theme) TemplateStats() TemplateStats {
	st := TemplateStats{Fallbacks: t.progs.fallbacks.Load()}
	t.progs.m.Range(func(_, v any) bool {
		if pr := v.(*program); pr.p != nil {
			st.Compiled++
		} else {
			st.Declined++
			st.Why = append(st.Why, pr.err.Error())
		}
		return true
	})
	slices.Sort(st.Why)
	return st
}

// HTMLTemplateOnly runs every template with html/template alone, as a
// yardstick for fasttmpl's output and speed.
func (t *Theme) HTMLTemplateOnly() { t.progs.off = true }
