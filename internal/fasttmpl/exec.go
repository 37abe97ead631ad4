package fasttmpl

import (
	"bytes"
	"fmt"
	"reflect"
	"sync/atomic"
)

// maxDepth bounds template calls, as text/template's maxExecDepth does.
const maxDepth = 10000

var (
	errorType        = reflect.TypeFor[error]()
	reflectValueType = reflect.TypeFor[reflect.Value]()
)

// execError carries an error out of a run through panic, as text/template
// does; Execute recovers it.
type execError struct{ err error }

// Execute runs the program with data as dot, appending its output to buf.
// On an error it leaves buf as it was: the caller then runs the template
// with html/template, for the same output or for html/template's own
// error message (Execute's errors are terse).
func (p *Program) Execute(buf *bytes.Buffer, data any) (err error) {
	s := &state{out: buf.AvailableBuffer()}
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(execError); ok {
				err = e.err
				return
			}
			err = fmt.Errorf("fasttmpl: panic: %v", r)
		}
	}()
	s.run(p.root, reflect.ValueOf(data))
	buf.Write(s.out)
	return nil
}

type state struct {
	out   []byte
	vars  []reflect.Value
	args  []reflect.Value // arguments of the calls being made, a stack
	base  int
	depth int
}

func (s *state) errorf(format string, args ...any) {
	panic(execError{fmt.Errorf("fasttmpl: "+format, args...)})
}

// run executes a template in a new frame whose $ is dot.
func (s *state) run(t *tmpl, dot reflect.Value) {
	if s.depth >= maxDepth {
		s.errorf("template %q: exceeded maximum template depth (%v)", t.name, maxDepth)
	}
	s.depth++
	base := len(s.vars)
	for range t.slots {
		s.vars = append(s.vars, reflect.Value{})
	}
	outer := s.base
	s.base = base
	s.vars[base] = dot
	t.root.exec(s, dot)
	s.base = outer
	clear(s.vars[base:])
	s.vars = s.vars[:base]
	s.depth--
}

// A node writes its part of the output.
type node interface {
	exec(s *state, dot reflect.Value)
}

type listNode []node

func (l listNode) exec(s *state, dot reflect.Value) {
	for _, n := range l {
		n.exec(s, dot)
	}
}

type textNode []byte

func (t textNode) exec(s *state, _ reflect.Value) { s.out = append(s.out, t...) }

// actionNode writes a pipeline's value through html/template's escapers.
type actionNode struct {
	pipe *pipeline
	esc  func(b []byte, v any) ([]byte, error)
	// str is esc for strings, which it takes without boxing them.
	str func(b []byte, s string, typ reflect.Type) ([]byte, bool)
}

func (a *actionNode) exec(s *state, dot reflect.Value) {
	v := a.pipe.eval(s, dot)
	if v.Kind() == reflect.String && v.CanInterface() {
		if out, ok := a.str(s.out, v.String(), v.Type()); ok {
			s.out = out
			return
		}
	}
	var iface any
	if v.IsValid() {
		if !v.CanInterface() {
			s.errorf("can't print unexported value")
		}
		iface = v.Interface()
	}
	out, err := a.esc(s.out, iface)
	if err != nil {
		panic(execError{err})
	}
	s.out = out
}

// declNode is an action declaring or assigning variables: it writes
// nothing.
type declNode struct{ pipe *pipeline }

func (d declNode) exec(s *state, dot reflect.Value) { d.pipe.eval(s, dot) }

// branchNode is {{if}} or {{with}}.
type branchNode struct {
	pipe           *pipeline
	list, elseList node
	with           bool
}

func (b *branchNode) exec(s *state, dot reflect.Value) {
	val := b.pipe.eval(s, dot)
	truth, ok := isTrue(indirectInterface(val))
	if !ok {
		s.errorf("if/with can't use %v", val)
	}
	switch {
	case truth && b.with:
		b.list.exec(s, val)
	case truth:
		b.list.exec(s, dot)
	case b.elseList != nil:
		b.elseList.exec(s, dot)
	}
}

type rangeNode struct {
	pipe                *pipeline
	list, elseList      node
	elemSlot, indexSlot int
}

func (r *rangeNode) exec(s *state, dot reflect.Value) {
	val, _ := indirect(r.pipe.eval(s, dot))
	one := func(index, elem reflect.Value) {
		if r.elemSlot >= 0 {
			s.vars[s.base+r.elemSlot] = elem
		}
		if r.indexSlot >= 0 {
			s.vars[s.base+r.indexSlot] = index
		}
		r.list.exec(s, elem)
	}
	switch val.Kind() {
	case reflect.Array, reflect.Slice:
		if n := val.Len(); n > 0 {
			for i := range n {
				one(reflect.ValueOf(i), val.Index(i))
			}
			return
		}
	case reflect.Invalid:
		// A nil map or the like: as an empty one.
	default:
		// Maps (sorted keys), integers, channels and iterators are
		// left to text/template.
		s.errorf("range over %s", val.Kind())
	}
	if r.elseList != nil {
		r.elseList.exec(s, dot)
	}
}

// callNode is {{template "name" pipeline}}.
type callNode struct {
	t    *tmpl
	pipe *pipeline
}

func (c *callNode) exec(s *state, dot reflect.Value) {
	var v reflect.Value
	if c.pipe != nil {
		v = c.pipe.eval(s, dot)
	}
	s.run(c.t, v)
}

type pipeline struct {
	cmds   []command
	decl   []int
	assign bool
}

// eval runs the commands, each given the one before's value as its final
// argument, and sets the declared variables.
func (p *pipeline) eval(s *state, dot reflect.Value) reflect.Value {
	var v reflect.Value
	final := false
	for _, c := range p.cmds {
		v = c.eval(s, dot, v, final)
		final = true
		if v.Kind() == reflect.Interface && v.Type().NumMethod() == 0 {
			v = v.Elem()
		}
	}
	for _, slot := range p.decl {
		s.vars[s.base+slot] = v
	}
	return v
}

// A command is one command of a pipeline; final is the value piped into
// it, when hasFinal.
type command interface {
	eval(s *state, dot, final reflect.Value, hasFinal bool) reflect.Value
}

// An expr is an argument of a function or method.
type expr interface {
	value(s *state, dot reflect.Value) reflect.Value
}

type dotExpr struct{}

func (dotExpr) value(_ *state, dot reflect.Value) reflect.Value { return dot }

type varExpr int

func (v varExpr) value(s *state, _ reflect.Value) reflect.Value { return s.vars[s.base+int(v)] }

type nilExpr struct{}

func (nilExpr) value(*state, reflect.Value) reflect.Value { return reflect.Value{} }

type pipeExpr struct{ p *pipeline }

func (p pipeExpr) value(s *state, dot reflect.Value) reflect.Value { return p.p.eval(s, dot) }

type cmdExpr struct{ c command }

func (c cmdExpr) value(s *state, dot reflect.Value) reflect.Value {
	return c.c.eval(s, dot, reflect.Value{}, false)
}

// constExpr is a constant: ideal is its value where no type is asked
// for (text/template's idealConstant); typed holds it converted to the
// last type a call asked for.
type constExpr struct {
	ideal reflect.Value
	typed atomic.Pointer[typedConst]
}

type typedConst struct {
	t reflect.Type
	v reflect.Value
}

func (c *constExpr) value(*state, reflect.Value) reflect.Value { return c.ideal }

// valueCmd is a command that is a single value: dot, a constant, a
// variable or a parenthesised pipeline.
type valueCmd struct{ e expr }

func (c *valueCmd) eval(s *state, dot, final reflect.Value, hasFinal bool) reflect.Value {
	if hasFinal {
		s.errorf("can't give argument to non-function")
	}
	return c.e.value(s, dot)
}

// isTrue is text/template's.
func isTrue(val reflect.Value) (truth, ok bool) {
	if !val.IsValid() {
		return false, true
	}
	switch val.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		truth = val.Len() > 0
	case reflect.Bool:
		truth = val.Bool()
	case reflect.Complex64, reflect.Complex128:
		truth = val.Complex() != 0
	case reflect.Chan, reflect.Func, reflect.Pointer, reflect.UnsafePointer, reflect.Interface:
		truth = !val.IsNil()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		truth = val.Int() != 0
	case reflect.Float32, reflect.Float64:
		truth = val.Float() != 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		truth = val.Uint() != 0
	case reflect.Struct:
		truth = true
	default:
		return
	}
	return truth, true
}

func truth(v reflect.Value) bool {
	t, _ := isTrue(indirectInterface(v))
	return t
}

// indirect is text/template's: through pointers and interfaces to a
// value, stopping at a nil one.
func indirect(v reflect.Value) (rv reflect.Value, isNil bool) {
	for ; v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface; v = v.Elem() {
		if v.IsNil() {
			return v, true
		}
	}
	return v, false
}

func indirectInterface(v reflect.Value) reflect.Value {
	if v.Kind() != reflect.Interface {
		return v
	}
	if v.IsNil() {
		return reflect.Value{}
	}
	return v.Elem()
}
