package fasttmpl

import (
	"fmt"
	"reflect"
)

// builtinCmd calls one of text/template's builtin functions. Only those
// hjp's layouts use are here; Compile declines the others.
type builtinCmd struct {
	name string
	f    builtin
	args []expr
}

// A builtin gets its arguments unevaluated, as and and or must not
// evaluate those after the one that decides.
type builtin func(s *state, dot reflect.Value, args []expr, final reflect.Value, hasFinal bool) reflect.Value

var builtins = map[string]builtin{
	"and":   andOr(false),
	"or":    andOr(true),
	"not":   not,
	"eq":    compare(eqOp),
	"ne":    compare(neOp),
	"lt":    compare(ltOp),
	"le":    compare(leOp),
	"gt":    compare(gtOp),
	"ge":    compare(geOp),
	"len":   length,
	"index": index,
	"print": sprint,
}

func (b *builtinCmd) eval(s *state, dot, final reflect.Value, hasFinal bool) reflect.Value {
	return b.f(s, dot, b.args, final, hasFinal)
}

// rawArg is an argument as text/template gives it to a builtin taking a
// reflect.Value.
func rawArg(s *state, dot reflect.Value, e expr) reflect.Value {
	if c, ok := e.(*constExpr); ok {
		return c.ideal
	}
	return e.value(s, dot)
}

// rawArgs evaluates every argument, the piped value last.
func rawArgs(s *state, dot reflect.Value, args []expr, final reflect.Value, hasFinal bool) []reflect.Value {
	out := make([]reflect.Value, 0, len(args)+1)
	for _, a := range args {
		out = append(out, rawArg(s, dot, a))
	}
	if hasFinal {
		out = append(out, final)
	}
	return out
}

func andOr(or bool) builtin {
	return func(s *state, dot reflect.Value, args []expr, final reflect.Value, hasFinal bool) reflect.Value {
		if len(args) == 0 && !hasFinal {
			s.errorf("wrong number of args for and/or")
		}
		var v reflect.Value
		for _, a := range args {
			v = rawArg(s, dot, a)
			if truth(v) == or {
				return v
			}
		}
		if hasFinal {
			v = final
		}
		return v
	}
}

func not(s *state, dot reflect.Value, args []expr, final reflect.Value, hasFinal bool) reflect.Value {
	a := rawArgs(s, dot, args, final, hasFinal)
	if len(a) != 1 {
		s.errorf("wrong number of args for not")
	}
	return reflect.ValueOf(!truth(a[0]))
}

type compareOp uint8

const (
	eqOp compareOp = iota
	neOp
	ltOp
	leOp
	gtOp
	geOp
)

// compare gives eq, ne, lt, le, gt and ge for the basic kinds, as
// text/template's do. Comparing anything else (pointers, structs) is
// left to text/template.
func compare(op compareOp) builtin {
	return func(s *state, dot reflect.Value, args []expr, final reflect.Value, hasFinal bool) reflect.Value {
		a := rawArgs(s, dot, args, final, hasFinal)
		if op == eqOp {
			if len(a) < 2 {
				s.errorf("missing argument for comparison")
			}
			for _, b := range a[1:] {
				if eq(s, a[0], b) {
					return reflect.ValueOf(true)
				}
			}
			return reflect.ValueOf(false)
		}
		if len(a) != 2 {
			s.errorf("wrong number of args for comparison")
		}
		var r bool
		switch op {
		case neOp:
			r = !eq(s, a[0], a[1])
		case ltOp:
			r = lt(s, a[0], a[1])
		case leOp:
			r = lt(s, a[0], a[1]) || eq(s, a[0], a[1])
		case gtOp:
			r = !lt(s, a[0], a[1]) && !eq(s, a[0], a[1])
		case geOp:
			r = !lt(s, a[0], a[1])
		}
		return reflect.ValueOf(r)
	}
}

type basic uint8

const (
	invalidKind basic = iota
	boolKind
	intKind
	uintKind
	floatKind
	stringKind
)

func basicKind(v reflect.Value) basic {
	switch v.Kind() {
	case reflect.Bool:
		return boolKind
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return intKind
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return uintKind
	case reflect.Float32, reflect.Float64:
		return floatKind
	case reflect.String:
		return stringKind
	}
	return invalidKind
}

func eq(s *state, a, b reflect.Value) bool {
	a, b = indirectInterface(a), indirectInterface(b)
	ka, kb := basicKind(a), basicKind(b)
	if ka != kb {
		switch {
		case ka == intKind && kb == uintKind:
			return a.Int() >= 0 && uint64(a.Int()) == b.Uint()
		case ka == uintKind && kb == intKind:
			return b.Int() >= 0 && a.Uint() == uint64(b.Int())
		case a.IsValid() && b.IsValid():
			s.errorf("incompatible types for comparison: %v and %v", a.Type(), b.Type())
		}
		return false
	}
	switch ka {
	case boolKind:
		return a.Bool() == b.Bool()
	case intKind:
		return a.Int() == b.Int()
	case uintKind:
		return a.Uint() == b.Uint()
	case floatKind:
		return a.Float() == b.Float()
	case stringKind:
		return a.String() == b.String()
	}
	s.errorf("comparison of %s", a.Kind())
	return false
}

func lt(s *state, a, b reflect.Value) bool {
	a, b = indirectInterface(a), indirectInterface(b)
	ka, kb := basicKind(a), basicKind(b)
	if ka == invalidKind || kb == invalidKind || ka == boolKind || kb == boolKind {
		s.errorf("invalid type for comparison")
	}
	if ka != kb {
		switch {
		case ka == intKind && kb == uintKind:
			return a.Int() < 0 || uint64(a.Int()) < b.Uint()
		case ka == uintKind && kb == intKind:
			return b.Int() >= 0 && a.Uint() < uint64(b.Int())
		}
		s.errorf("incompatible types for comparison: %v and %v", a.Type(), b.Type())
	}
	switch ka {
	case intKind:
		return a.Int() < b.Int()
	case uintKind:
		return a.Uint() < b.Uint()
	case floatKind:
		return a.Float() < b.Float()
	}
	return a.String() < b.String()
}

func length(s *state, dot reflect.Value, args []expr, final reflect.Value, hasFinal bool) reflect.Value {
	a := rawArgs(s, dot, args, final, hasFinal)
	if len(a) != 1 {
		s.errorf("wrong number of args for len")
	}
	item, isNil := indirect(a[0])
	if isNil {
		s.errorf("len of nil pointer")
	}
	switch item.Kind() {
	case reflect.Array, reflect.Chan, reflect.Map, reflect.Slice, reflect.String:
		return reflect.ValueOf(item.Len())
	}
	s.errorf("len of %s", item.Kind())
	return reflect.Value{}
}

// index gives index for maps whose key the index value is assignable to,
// and for slices, arrays and strings by integer.
func index(s *state, dot reflect.Value, args []expr, final reflect.Value, hasFinal bool) reflect.Value {
	a := rawArgs(s, dot, args, final, hasFinal)
	if len(a) == 0 {
		s.errorf("wrong number of args for index")
	}
	item := indirectInterface(a[0])
	if !item.IsValid() {
		s.errorf("index of untyped nil")
	}
	for _, i := range a[1:] {
		i = indirectInterface(i)
		var isNil bool
		if item, isNil = indirect(item); isNil {
			s.errorf("index of nil pointer")
		}
		switch item.Kind() {
		case reflect.Array, reflect.Slice, reflect.String:
			var x int64
			switch basicKind(i) {
			case intKind:
				x = i.Int()
			case uintKind:
				x = int64(i.Uint())
			default:
				s.errorf("cannot index slice/array with %s", i.Kind())
			}
			if x < 0 || int(x) < 0 || int(x) > item.Len() {
				s.errorf("index out of range: %d", x)
			}
			item = item.Index(int(x))
		case reflect.Map:
			if !i.IsValid() || !i.Type().AssignableTo(item.Type().Key()) {
				s.errorf("map index of the wrong type")
			}
			if x := item.MapIndex(i); x.IsValid() {
				item = x
			} else {
				item = reflect.Zero(item.Type().Elem())
			}
		default:
			s.errorf("can't index item of type %s", item.Type())
		}
	}
	return item
}

// sprint is the print builtin: fmt.Sprint of the arguments.
func sprint(s *state, dot reflect.Value, args []expr, final reflect.Value, hasFinal bool) reflect.Value {
	a := rawArgs(s, dot, args, final, hasFinal)
	ifaces := make([]any, len(a))
	for i, v := range a {
		if v.IsValid() {
			if !v.CanInterface() {
				s.errorf("unexported value")
			}
			ifaces[i] = v.Interface()
		}
	}
	return reflect.ValueOf(fmt.Sprint(ifaces...))
}
