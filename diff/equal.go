package diff

import (
	"reflect"
	"sync"
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
	va, vb := reflect.ValueOf(&a).Elem(), reflect.ValueOf(&b).Elem()
	return sameValue(va, vb, 0)
}

func sameValue(a, b reflect.Value, depth int) bool {
	if depth > maxEqualDepth || a.Type() != b.Type() || hasEqualMethod(a.Type()) {
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
		if a.IsNil() || b.IsNil() {
			return a.IsNil() && b.IsNil()
		}
		return sameValue(a.Elem(), b.Elem(), depth+1)
	case reflect.Struct:
		return sameStruct(a, b, depth)
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

func sameStruct(a, b reflect.Value, depth int) bool {
	t := a.Type()
	for i := range a.NumField() {
		if !t.Field(i).IsExported() || !sameValue(a.Field(i), b.Field(i), depth+1) {
			return false
		}
	}
	return true
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

// equalMethods caches, per type, whether cmp would compare its values with
// an Equal method rather than field by field. It depends on types only.
var equalMethods sync.Map // reflect.Type -> bool

func hasEqualMethod(t reflect.Type) bool {
	if v, ok := equalMethods.Load(t); ok {
		return v.(bool)
	}
	_, has := t.MethodByName("Equal")
	if !has && t.Kind() != reflect.Interface && t.Kind() != reflect.Pointer {
		_, has = reflect.PointerTo(t).MethodByName("Equal")
	}
	equalMethods.Store(t, has)
	return has
}
