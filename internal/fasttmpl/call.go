package fasttmpl

import (
	"reflect"
	"sync/atomic"
)

// fieldCmd is .A.B.C (from dot), $x.A.B, or (pipeline).A.B, with the
// last step given args and the piped value, as text/template's
// evalFieldChain.
type fieldCmd struct {
	recv  expr
	steps []*step
	args  []expr
}

// A step is one name of a field chain. It keeps what the name resolved
// to for the last receiver type it met: a page's layouts see the same
// types on every page.
type step struct {
	name string
	last atomic.Pointer[resolved]
}

// resolved is what a name is on one receiver type.
type resolved struct {
	typ  reflect.Type // the receiver's type, after indirect
	addr bool         // whether the receiver was addressable
	kind resolvedKind
	// method: its index in the (pointer) receiver's method set, its
	// type without the receiver, and the method expression, which takes
	// the receiver first: calling it costs reflect less than calling a
	// method value (ptr.Method(i)), which it must bind to the receiver
	// on every call.
	method int
	fn     reflect.Type
	expr   reflect.Value
	direct directCall
	// field: its index path.
	index []int
	// mapKey: the key.
	key reflect.Value
}

type resolvedKind uint8

const (
	resolvedMethod resolvedKind = iota
	resolvedField
	resolvedMapKey
)

func (f *fieldCmd) eval(s *state, dot, final reflect.Value, hasFinal bool) reflect.Value {
	recv := f.recv.value(s, dot)
	n := len(f.steps)
	for _, st := range f.steps[:n-1] {
		recv = st.eval(s, dot, recv, nil, reflect.Value{}, false)
	}
	return f.steps[n-1].eval(s, dot, recv, f.args, final, hasFinal)
}

// eval is text/template's evalField.
func (st *step) eval(s *state, dot, receiver reflect.Value, args []expr, final reflect.Value, hasFinal bool) reflect.Value {
	if !receiver.IsValid() {
		return reflect.Value{}
	}
	receiver, isNil := indirect(receiver)
	if receiver.Kind() == reflect.Interface && isNil {
		s.errorf("nil pointer evaluating %s", st.name)
	}
	addr := receiver.Kind() != reflect.Pointer && receiver.CanAddr()
	r := st.last.Load()
	if r == nil || r.typ != receiver.Type() || r.addr != addr {
		r = st.resolve(s, receiver, addr, isNil)
		st.last.Store(r)
	}
	hasArgs := len(args) > 0 || hasFinal
	switch r.kind {
	case resolvedMethod:
		ptr := receiver
		if addr {
			ptr = ptr.Addr()
		}
		return call(s, dot, ptr, r.expr, r.direct, r.fn, st.name, args, final, hasFinal)
	case resolvedField:
		if hasArgs {
			s.errorf("%s has arguments but cannot be invoked as function", st.name)
		}
		field, err := receiver.FieldByIndexErr(r.index)
		if err != nil {
			s.errorf("%v", err)
		}
		return field
	default: // resolvedMapKey
		if hasArgs {
			s.errorf("%s is not a method but has arguments", st.name)
		}
		return receiver.MapIndex(r.key)
	}
}

// resolve finds what the name is on the receiver's type, in
// text/template's order: a method (of the pointer, where the receiver
// is addressable), a struct field, a map key. Anything else is an error.
func (st *step) resolve(s *state, receiver reflect.Value, addr, isNil bool) *resolved {
	r := &resolved{typ: receiver.Type(), addr: addr}
	ptrType := r.typ
	if addr {
		ptrType = reflect.PointerTo(ptrType)
	}
	if receiver.Kind() != reflect.Interface {
		if m, ok := ptrType.MethodByName(st.name); ok {
			r.kind, r.method = resolvedMethod, m.Index
			ptr := receiver
			if addr {
				ptr = ptr.Addr()
			}
			r.fn, r.expr, r.direct = ptr.Method(m.Index).Type(), m.Func, directFor(m.Func)
			if err := goodFunc(r.fn); err != nil {
				s.errorf("%s: %v", st.name, err)
			}
			return r
		}
	}
	switch receiver.Kind() {
	case reflect.Struct:
		if f, ok := r.typ.FieldByName(st.name); ok {
			if !f.IsExported() {
				s.errorf("%s is an unexported field of struct type %s", st.name, r.typ)
			}
			r.kind, r.index = resolvedField, f.Index
			return r
		}
	case reflect.Map:
		key := reflect.ValueOf(st.name)
		if key.Type().AssignableTo(r.typ.Key()) {
			r.kind, r.key = resolvedMapKey, key
			return r
		}
	case reflect.Pointer:
		if isNil {
			s.errorf("nil pointer evaluating %s.%s", r.typ, st.name)
		}
	}
	s.errorf("can't evaluate field %s in type %s", st.name, r.typ)
	return nil
}

// funcCmd calls one of the set's functions.
type funcCmd struct {
	name   string
	fn     reflect.Value
	direct directCall
	typ    reflect.Type
	args   []expr
}

func (f *funcCmd) eval(s *state, dot, final reflect.Value, hasFinal bool) reflect.Value {
	return call(s, dot, reflect.Value{}, f.fn, f.direct, f.typ, f.name, f.args, final, hasFinal)
}

// call is text/template's evalCall for a function or method that is not
// a builtin. For a method, recv is the receiver and fn the method
// expression, typ the method's type without the receiver; for a
// function, recv is the zero Value. direct, when not nil, calls fn
// without reflect.
func call(s *state, dot, recv, fn reflect.Value, direct directCall, typ reflect.Type, name string, args []expr, final reflect.Value, hasFinal bool) reflect.Value {
	numIn := len(args)
	if hasFinal {
		numIn++
	}
	numFixed := len(args)
	if typ.IsVariadic() {
		numFixed = typ.NumIn() - 1
		if numIn < numFixed {
			s.errorf("wrong number of args for %s: want at least %d got %d", name, typ.NumIn()-1, len(args))
		}
	} else if numIn != typ.NumIn() {
		s.errorf("wrong number of args for %s: want %d got %d", name, typ.NumIn(), numIn)
	}
	// The arguments go on s.args, a stack: an argument's own calls push
	// theirs above and pop them before it is pushed. A slice of their
	// own would escape to the heap through direct.
	base := len(s.args)
	if recv.IsValid() {
		s.args = append(s.args, recv)
	}
	i := 0
	for ; i < numFixed && i < len(args); i++ {
		v := evalArg(s, dot, typ.In(i), args[i])
		s.args = append(s.args, v)
	}
	if typ.IsVariadic() {
		argType := typ.In(typ.NumIn() - 1).Elem()
		for ; i < len(args); i++ {
			v := evalArg(s, dot, argType, args[i])
			s.args = append(s.args, v)
		}
	}
	if hasFinal {
		t := typ.In(typ.NumIn() - 1)
		if typ.IsVariadic() {
			if numIn-1 < numFixed {
				t = typ.In(numIn - 1)
			} else {
				t = t.Elem()
			}
		}
		s.args = append(s.args, validateType(s, final, t))
	}
	argv := s.args[base:]
	defer func() {
		clear(s.args[base:])
		s.args = s.args[:base]
	}()
	var v reflect.Value
	if res, ok, err := callDirect(direct, argv); ok {
		if err != nil {
			s.errorf("error calling %s: %v", name, err)
		}
		v = res
	} else {
		if h := reflectHook.Load(); h != nil {
			(*h)(name, fn.Type())
		}
		out := fn.Call(argv)
		if len(out) == 2 && !out[1].IsNil() {
			s.errorf("error calling %s: %v", name, out[1].Interface())
		}
		v = out[0]
	}
	if v.Type() == reflectValueType {
		v = v.Interface().(reflect.Value)
	}
	return v
}

// evalArg is text/template's evalArg: an argument converted to the
// parameter's type.
func evalArg(s *state, dot reflect.Value, typ reflect.Type, e expr) reflect.Value {
	switch e := e.(type) {
	case dotExpr, varExpr, pipeExpr, cmdExpr:
		return validateType(s, e.value(s, dot), typ)
	case nilExpr:
		if canBeNil(typ) {
			return reflect.Zero(typ)
		}
		s.errorf("cannot assign nil to %s", typ)
	case *constExpr:
		return e.typedValue(s, typ)
	}
	s.errorf("can't handle argument for type %s", typ)
	return reflect.Value{}
}

// typedValue is the constant as an argument of type typ (text/template's
// evalBool, evalString, evalInteger, evalFloat, evalEmptyInterface).
func (c *constExpr) typedValue(s *state, typ reflect.Type) reflect.Value {
	if t := c.typed.Load(); t != nil && t.t == typ {
		return t.v
	}
	var v reflect.Value
	switch typ.Kind() {
	case reflect.Interface:
		if typ.NumMethod() != 0 {
			s.errorf("can't handle constant for type %s", typ)
		}
		v = c.ideal
	case reflect.Struct:
		if typ != reflectValueType {
			s.errorf("can't handle constant for type %s", typ)
		}
		v = reflect.ValueOf(c.ideal)
	default:
		// A constant of the parameter's own kind: bool, string, int,
		// float. Anything else is left to text/template.
		k := c.ideal.Kind()
		if k != typ.Kind() && !(k == reflect.Int && isIntKind(typ.Kind())) {
			s.errorf("can't handle constant for type %s", typ)
		}
		v = reflect.New(typ).Elem()
		switch typ.Kind() {
		case reflect.Bool:
			v.SetBool(c.ideal.Bool())
		case reflect.String:
			v.SetString(c.ideal.String())
		case reflect.Float32, reflect.Float64:
			v.SetFloat(c.ideal.Float())
		default:
			v.SetInt(c.ideal.Int())
		}
	}
	c.typed.Store(&typedConst{t: typ, v: v})
	return v
}

func isIntKind(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return true
	}
	return false
}

// canBeNil is text/template's.
func canBeNil(typ reflect.Type) bool {
	switch typ.Kind() {
	case reflect.Chan, reflect.Func, reflect.Interface, reflect.Map, reflect.Pointer, reflect.Slice:
		return true
	case reflect.Struct:
		return typ == reflectValueType
	}
	return false
}

// validateType is text/template's: value made assignable to typ.
func validateType(s *state, value reflect.Value, typ reflect.Type) reflect.Value {
	if !value.IsValid() {
		if typ == nil {
			return reflect.ValueOf(nil)
		}
		if canBeNil(typ) {
			return reflect.Zero(typ)
		}
		s.errorf("invalid value; expected %s", typ)
	}
	if typ == reflectValueType && value.Type() != typ {
		return reflect.ValueOf(value)
	}
	if typ != nil && !value.Type().AssignableTo(typ) {
		if value.Kind() == reflect.Interface && !value.IsNil() {
			value = value.Elem()
			if value.Type().AssignableTo(typ) {
				return value
			}
		}
		switch {
		case value.Kind() == reflect.Pointer && value.Type().Elem().AssignableTo(typ):
			value = value.Elem()
			if !value.IsValid() {
				s.errorf("dereference of nil pointer of type %s", typ)
			}
		case reflect.PointerTo(value.Type()).AssignableTo(typ) && value.CanAddr():
			value = value.Addr()
		default:
			s.errorf("wrong type for value; expected %s; got %s", typ, value.Type())
		}
	}
	return value
}

// callDirect calls direct, if not nil, with argv.
func callDirect(direct directCall, argv []reflect.Value) (reflect.Value, bool, error) {
	if direct == nil {
		return reflect.Value{}, false, nil
	}
	return direct(argv)
}
