package schema

import "slices"

// defaultACLObjects are the kinds of object ALTER DEFAULT PRIVILEGES names
// (DefaultACL.Objects): each with its code in pg_default_acl.defaclobjtype
// and the kinds of object whose privileges at creation it sets.
var defaultACLObjects = []struct {
	objects string
	code    string
	kinds   []Kind
}{
	{"TABLES", "r", []Kind{KindTable, KindView, KindMaterializedView}},
	{"SEQUENCES", "S", []Kind{KindSequence}},
	{"FUNCTIONS", "f", []Kind{KindFunction, KindProcedure, KindAggregate}},
	{"TYPES", "T", []Kind{KindEnum, KindDomain, KindCompositeType, KindRangeType}},
	{"SCHEMAS", "n", []Kind{KindSchema}},
}

// DefaultACLObjectsOfCode returns the DefaultACL.Objects that a
// pg_default_acl.defaclobjtype code stands for ("r": TABLES), or "" for a
// code not modelled (such as "L", large objects).
func DefaultACLObjectsOfCode(code string) string {
	for _, o := range defaultACLObjects {
		if o.code == code {
			return o.objects
		}
	}
	return ""
}

// DefaultACLObjectsOfKind returns the DefaultACL.Objects whose default
// privileges a new object of kind k gets (TABLES for a view), or "" for a
// kind that default privileges do not cover.
func DefaultACLObjectsOfKind(k Kind) string {
	for _, o := range defaultACLObjects {
		if slices.Contains(o.kinds, k) {
			return o.objects
		}
	}
	return ""
}
