package pgparse

import "google.golang.org/protobuf/reflect/protoreflect"

// WalkMessages calls fn for m and every message below it (pg_query parse
// trees are protobuf messages).
func WalkMessages(m protoreflect.Message, fn func(protoreflect.Message)) {
	fn(m)
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsMap():
		case fd.IsList():
			if fd.Kind() == protoreflect.MessageKind {
				l := v.List()
				for i := 0; i < l.Len(); i++ {
					WalkMessages(l.Get(i).Message(), fn)
				}
			}
		case fd.Kind() == protoreflect.MessageKind:
			WalkMessages(v.Message(), fn)
		}
		return true
	})
}
