package fasttmpl

import (
	"reflect"
	"sync"
	"testing"
)

// TestDirectCalls runs the execution tests again with the test data's
// function and method types registered for direct calls: the output and
// the failures must be the same as through reflect, and no registered
// type may still be called through reflect.
func TestDirectCalls(t *testing.T) {
	before := map[reflect.Type]bool{}
	directs.Range(func(k, _ any) bool {
		before[k.(reflect.Type)] = true
		return true
	})
	defer directs.Range(func(k, _ any) bool {
		if !before[k.(reflect.Type)] {
			directs.Delete(k)
		}
		return true
	})
	Direct1[*page, string]()          // Fail, a (string, error)
	Direct1[*page, *page]()           // Self
	Direct1[*page, inner]()           // Inner
	Direct1[inner, string]()          // Upper, on a value
	Direct1[*inner, string]()         // Upper, on an addressable value
	Direct1[string, string]()         // upper
	Direct2[*page, string, string]()  // Greet
	Direct2[*page, bool, string]()    // Maybe, a (string, error)
	Direct2[*page, any, string]()     // Echo
	Direct2[int, int, int]()          // add
	Direct2[string, string, string]() // pair
	Direct3[*page, int, int, int]()   // Sum
	Direct1[*page, error]()           // an interface result
	var mu sync.Mutex
	viaReflect := map[string]bool{}
	OnReflectCall(func(name string, fn reflect.Type) {
		mu.Lock()
		defer mu.Unlock()
		if _, ok := directs.Load(fn); ok {
			viaReflect[name] = true
		}
	})
	defer OnReflectCall(nil)
	t.Run("matches", checkMatches)
	t.Run("fails", checkFails)
	for name := range viaReflect {
		t.Errorf("%s: registered for a direct call, called through reflect", name)
	}
}

// TestDirectResultTypes checks the values direct calls return have the
// result's type, as reflect.Value.Call's do, also for an interface type.
func TestDirectResultTypes(t *testing.T) {
	if got := resultOf[error]()(errTest{}).Type(); got != reflect.TypeFor[error]() {
		t.Errorf("error result has type %s, want error", got)
	}
	if got := resultOf[string]()("x").Type(); got != reflect.TypeFor[string]() {
		t.Errorf("string result has type %s", got)
	}
	if got := resultOf[*page]()(nil); got.Type() != reflect.TypeFor[*page]() || !got.IsNil() {
		t.Errorf("nil *page result: %v of type %s", got, got.Type())
	}
}

type errTest struct{}

func (errTest) Error() string { return "test" }
