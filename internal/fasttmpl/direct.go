package fasttmpl

import (
	"reflect"
	"sync"
	"sync/atomic"
)

// A directCall calls one function with arguments of its parameters'
// types (a method's receiver first), without reflect.Value.Call. ok is
// false when an argument is not of the type the call was made for; the
// caller then calls through reflect.
type directCall func(argv []reflect.Value) (v reflect.Value, ok bool, err error)

// directs maps a function type to what makes a directCall of a function
// of that type (a reflect.Value of kind Func).
var directs sync.Map // reflect.Type → func(reflect.Value) directCall

// directFor returns the direct call of fn (a function, or a method
// expression taking the receiver first), or nil when fn's type is not
// registered.
func directFor(fn reflect.Value) directCall {
	mk, ok := directs.Load(fn.Type())
	if !ok {
		return nil
	}
	return mk.(func(reflect.Value) directCall)(fn)
}

// register records how to call functions of type F directly.
func register[F any](call func(f F) directCall) {
	directs.Store(reflect.TypeFor[F](), func(fn reflect.Value) directCall {
		f, ok := reflect.TypeAssert[F](fn)
		if !ok {
			return nil
		}
		return call(f)
	})
}

// Calling a function through reflect.Value.Call allocates its results
// and the slice holding them, and binds a method to its receiver, on
// every call: at ~60 calls a page, a fifth of drawing a page's layouts.
// Direct1 to Direct4 let programs call functions (and methods, receiver
// first) of these types with one to four parameters, returning T or (T,
// error), as Go calls them. A program calls every other function
// through reflect, as text/template does; the output is the same.
// Register the types of a theme's functions and methods before
// compiling its templates (in an init function). Variadic functions are
// always called through reflect.

// Direct1 registers func(A) T and func(A) (T, error).
func Direct1[A, T any]() {
	res := resultOf[T]()
	call := func(f func(A) (T, error)) directCall {
		return func(argv []reflect.Value) (reflect.Value, bool, error) {
			a, ok := argOf[A](argv[0])
			if !ok {
				return reflect.Value{}, false, nil
			}
			t, err := f(a)
			return res(t), true, err
		}
	}
	register(call)
	register(func(f func(A) T) directCall {
		return call(func(a A) (T, error) { return f(a), nil })
	})
}

// Direct2 registers func(A, B) T and func(A, B) (T, error).
func Direct2[A, B, T any]() {
	res := resultOf[T]()
	call := func(f func(A, B) (T, error)) directCall {
		return func(argv []reflect.Value) (reflect.Value, bool, error) {
			a, ok1 := argOf[A](argv[0])
			b, ok2 := argOf[B](argv[1])
			if !ok1 || !ok2 {
				return reflect.Value{}, false, nil
			}
			t, err := f(a, b)
			return res(t), true, err
		}
	}
	register(call)
	register(func(f func(A, B) T) directCall {
		return call(func(a A, b B) (T, error) { return f(a, b), nil })
	})
}

// Direct3 registers func(A, B, C) T and func(A, B, C) (T, error).
func Direct3[A, B, C, T any]() {
	res := resultOf[T]()
	call := func(f func(A, B, C) (T, error)) directCall {
		return func(argv []reflect.Value) (reflect.Value, bool, error) {
			a, ok1 := argOf[A](argv[0])
			b, ok2 := argOf[B](argv[1])
			c, ok3 := argOf[C](argv[2])
			if !ok1 || !ok2 || !ok3 {
				return reflect.Value{}, false, nil
			}
			t, err := f(a, b, c)
			return res(t), true, err
		}
	}
	register(call)
	register(func(f func(A, B, C) T) directCall {
		return call(func(a A, b B, c C) (T, error) { return f(a, b, c), nil })
	})
}

// Direct4 registers func(A, B, C, D) T and func(A, B, C, D) (T, error).
func Direct4[A, B, C, D, T any]() {
	res := resultOf[T]()
	call := func(f func(A, B, C, D) (T, error)) directCall {
		return func(argv []reflect.Value) (reflect.Value, bool, error) {
			a, ok1 := argOf[A](argv[0])
			b, ok2 := argOf[B](argv[1])
			c, ok3 := argOf[C](argv[2])
			d, ok4 := argOf[D](argv[3])
			if !ok1 || !ok2 || !ok3 || !ok4 {
				return reflect.Value{}, false, nil
			}
			t, err := f(a, b, c, d)
			return res(t), true, err
		}
	}
	register(call)
	register(func(f func(A, B, C, D) T) directCall {
		return call(func(a A, b B, c C, d D) (T, error) { return f(a, b, c, d), nil })
	})
}

// argOf returns v as an A, as reflect.Value.Call would pass it; false
// when it cannot, and the call is left to reflect (which then reports
// or panics as it does).
func argOf[A any](v reflect.Value) (A, bool) {
	var zero A
	if !v.IsValid() || !v.CanInterface() {
		return zero, false
	}
	if v.Kind() == reflect.Interface && v.IsNil() {
		// reflect.TypeAssert fails on a nil interface; Call passes it
		// to a parameter of interface type as that type's nil.
		return zero, reflect.TypeFor[A]().Kind() == reflect.Interface
	}
	return reflect.TypeAssert[A](v)
}

// resultOf returns what makes the reflect.Value of a result of type T
// as reflect.Value.Call returns it: of type T, also when T is an
// interface type (reflect.ValueOf would give the dynamic type).
func resultOf[T any]() func(T) reflect.Value {
	if reflect.TypeFor[T]().Kind() == reflect.Interface {
		return func(t T) reflect.Value { return reflect.ValueOf(&t).Elem() }
	}
	return func(t T) reflect.Value { return reflect.ValueOf(t) }
}

var reflectHook atomic.Pointer[func(name string, fn reflect.Type)]

// OnReflectCall has programs call hook with the name and type of every
// function or method they call through reflect, not directly; nil stops
// it. It is for tests that check a theme's types are registered.
func OnReflectCall(hook func(name string, fn reflect.Type)) {
	if hook == nil {
		reflectHook.Store(nil)
		return
	}
	reflectHook.Store(&hook)
}
