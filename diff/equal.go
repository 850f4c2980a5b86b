package diff

import (
	"reflect"
	"sync"

	"github.com/schemadiff/schemadiff/schema"
)

// maxEqualDepth bounds how deep sameState follows a value; deeper values
// (a cycle, say) are left to cmp.
const maxEqualDepth = 64

// sameState reports whether a and b hold the same state as cmp.Equal with
// cmpopts.EquateEmpty sees it: equal values followed through pointers,
// interfaces, slices and maps, an empty slice or map equal to a nil one. It
// is the quick answer checkAltered asks for every object that stays; it
// answers false, never a wrong true, for what it does not compare itself
// (functions, channels, unexported fields, types with an Equal method that
// cmp would call), so that cmp decides those and reports the difference.
func sameState[T any](a, b T) bool {
	if !plainType(reflect.TypeFor[T]()) {
		return false
	}
	return sameValue(reflect.ValueOf(&a).Elem(), reflect.ValueOf(&b).Elem(), 0)
}

// sameValue compares a and b, of the same plain type (see plainType).
func sameValue(a, b reflect.Value, depth int) bool {
	if depth > maxEqualDepth {
		return false
	}
	switch a.Kind() {
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() == b.Uint()
	case reflect.Float32, reflect.Float64:
		return a.Float() == b.Float()
	case reflect.Complex64, reflect.Complex128:
		return a.Complex() == b.Complex()
	case reflect.String:
		return a.String() == b.String()
	case reflect.Pointer:
		return samePointer(a, b, depth)
	case reflect.Interface:
		return sameInterface(a, b, depth)
	case reflect.Struct:
		for i := range a.NumField() {
			if !sameValue(a.Field(i), b.Field(i), depth+1) {
				return false
			}
		}
		return true
	case reflect.Slice, reflect.Array:
		return sameElements(a, b, depth)
	case reflect.Map:
		return sameMap(a, b, depth)
	default:
		return false
	}
}

func samePointer(a, b reflect.Value, depth int) bool {
	switch {
	case a.IsNil() || b.IsNil():
		return a.IsNil() && b.IsNil()
	case a.Pointer() == b.Pointer():
		return true
	}
	return sameValue(a.Elem(), b.Elem(), depth+1)
}

// sameInterface compares the dynamic values of two interfaces, when their
// types are the same plain type.
func sameInterface(a, b reflect.Value, depth int) bool {
	if a.IsNil() || b.IsNil() {
		return a.IsNil() && b.IsNil()
	}
	ea, eb := a.Elem(), b.Elem()
	return ea.Type() == eb.Type() && plainType(ea.Type()) && sameValue(ea, eb, depth+1)
}

// sameElements compares slices and arrays; slices of no element are equal
// whether nil or not.
func sameElements(a, b reflect.Value, depth int) bool {
	if a.Len() != b.Len() {
		return false
	}
	for i := range a.Len() {
		if !sameValue(a.Index(i), b.Index(i), depth+1) {
			return false
		}
	}
	return true
}

// sameMap compares maps; maps of no entry are equal whether nil or not.
func sameMap(a, b reflect.Value, depth int) bool {
	if a.Len() != b.Len() {
		return false
	}
	it := a.MapRange()
	for it.Next() {
		v := b.MapIndex(it.Key())
		if !v.IsValid() || !sameValue(it.Value(), v, depth+1) {
			return false
		}
	}
	return true
}

// plainTypes caches plainType's answer per type; it depends on types
// only.
var plainTypes sync.Map // reflect.Type -> bool

// plainType reports whether sameValue compares values of type t as cmp
// does: t is made, through pointers, slices, arrays, map values and
// exported struct fields, of booleans, numbers and strings, with no Equal
// method cmp would call instead, and no function, channel or unexported
// field. Interfaces are checked by their dynamic type as they come.
func plainType(t reflect.Type) bool {
	if v, ok := plainTypes.Load(t); ok {
		return v.(bool)
	}
	plain := checkPlain(t, map[reflect.Type]bool{})
	plainTypes.Store(t, plain)
	return plain
}

// checkPlain is plainType; seen holds the types being checked, taken as
// plain while they are (a recursive type is as plain as the rest of it).
func checkPlain(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return true
	}
	seen[t] = true
	if hasEqualMethod(t) {
		return false
	}
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.String,
		reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return checkPlain(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); !f.IsExported() || !checkPlain(f.Type, seen) {
				return false
			}
		}
		return true
	default:
		return false
	}
}

// hasEqualMethod reports whether cmp would compare values of t with an
// Equal method rather than field by field.
func hasEqualMethod(t reflect.Type) bool {
	if _, has := t.MethodByName("Equal"); has {
		return true
	}
	if t.Kind() == reflect.Interface || t.Kind() == reflect.Pointer {
		return false
	}
	_, has := reflect.PointerTo(t).MethodByName("Equal")
	return has
}

// SameCatalog reports whether a and b hold the same state, as cmp.Equal
// with cmpopts.EquateEmpty sees it: the quick answer to try before a cmp
// comparison that explains differences. It answers false, never a wrong
// true, where it cannot tell.
func SameCatalog(a, b *schema.Catalog) bool {
	if a == nil || b == nil {
		return a == b
	}
	return sameState(*a, *b)
}
