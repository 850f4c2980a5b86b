package diff

import (
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
	s.WriteString(ix.Table.Quoted() + " USING " + schema.Ident(ix.Method) + " " + ix.Body)
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
	return a.Table == b.Table && a.Unique == b.Unique && a.Only == b.Only && a.Method == b.Method && a.Body == b.Body
}
