package diff

import (
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// indexBuild is how CREATE INDEX builds an index.
type indexBuild struct {
	// Concurrently builds it without blocking writes (outside a
	// transaction; not on partitioned tables).
	Concurrently bool
	// Only creates an index of a partitioned table on that table alone,
	// without cascading to the partitions.
	Only bool
}

// createIndexSQL renders CREATE INDEX for ix, built as b.
func createIndexSQL(ix *schema.Index, b indexBuild) string {
	var s strings.Builder
	s.WriteString("CREATE ")
	if ix.Unique {
		s.WriteString("UNIQUE ")
	}
	s.WriteString("INDEX ")
	if b.Concurrently {
		s.WriteString("CONCURRENTLY ")
	}
	s.WriteString(schema.Ident(ix.Name) + " ON ")
	if b.Only {
		s.WriteString("ONLY ")
	}
	s.WriteString(ix.Table.Quoted() + " USING " + schema.Ident(ix.Method) + " (" + strings.Join(ix.Keys, ", ") + ")")
	if len(ix.Include) > 0 {
		s.WriteString(" INCLUDE (" + identList(ix.Include) + ")")
	}
	if ix.NullsNotDistinct {
		s.WriteString(" NULLS NOT DISTINCT")
	}
	if ix.With != "" {
		s.WriteString(" WITH (" + ix.With + ")")
	}
	if ix.Where != "" {
		s.WriteString(" WHERE " + ix.Where)
	}
	return s.String()
}

// dropIndexSQL renders DROP INDEX for ix.
func dropIndexSQL(ix schema.QName, concurrently bool) string {
	if concurrently {
		return "DROP INDEX CONCURRENTLY " + ix.Quoted()
	}
	return "DROP INDEX " + ix.Quoted()
}

// sameIndex reports whether a and b are the same index: name, table and
// definition.
func sameIndex(a, b *schema.Index) bool {
	return a.QName == b.QName && sameIndexShape(a, b)
}

// sameIndexShape reports whether a and b define the same index on the same
// table, whatever their names.
func sameIndexShape(a, b *schema.Index) bool {
	return a.Table == b.Table && a.Unique == b.Unique && a.Only == b.Only && a.Method == b.Method &&
		slices.Equal(a.Keys, b.Keys) && slices.Equal(a.Include, b.Include) && a.NullsNotDistinct == b.NullsNotDistinct &&
		a.With == b.With && a.Where == b.Where
}

// identList quotes names and joins them with ", ".
func identList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = schema.Ident(n)
	}
	return strings.Join(quoted, ", ")
}

// editIndexExprs applies edit, a rename in SQL text, to the texts of index
// ix that hold expressions: its keys and its predicate.
func editIndexExprs(ix *schema.Index, edit func(string) string) {
	keys := make([]string, len(ix.Keys))
	for i, k := range ix.Keys {
		keys[i] = edit(k)
	}
	ix.Keys, ix.Where = keys, edit(ix.Where)
}
