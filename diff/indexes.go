package diff

import (
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// indexKind plans standalone indexes (those of constraints are their
// constraint's): the indexes of tables and of materialized views, which
// recreateDependents drops and builds again around a change to what they
// use. The indexes of a table that stays are diffed with it (see
// tableIndexKind), those of a materialized view with the view (see
// viewIndexKind); the kind is not walked on its own.
var indexKind = register(&kindDiffer[*schema.Index]{
	kind: schema.KindIndex,
	deps: indexDeps,
	create: func(d *differ, ix *schema.Index) []Change {
		return one(d.createIndex(ix, true))
	},
	drop:    (*differ).dropIndex,
	alter:   (*differ).alterIndex,
	altered: alteredIndex,
})

// indexDeps lists what an index of cat depends on: the objects its
// definition uses and the columns of its table, since an index is rebuilt
// around a change to its columns (its expressions and predicate may name a
// column's old type), or the materialized view it is on.
func indexDeps(cat *schema.Catalog, ix *schema.Index) []schema.ID {
	deps := append([]schema.ID{}, ix.Deps...)
	if v, ok := cat.Views[ix.Table]; ok {
		return append(deps, v.ID())
	}
	for _, col := range ix.Columns {
		deps = append(deps, columnID(ix.Table, col))
	}
	return deps
}

// tableIndexKind is indexKind for the indexes of table t, which stays:
// an index is dropped CONCURRENTLY in online mode (see onlineDrop), and
// the indexes of t's partitions attached to their parent's are planned
// with the parent's (see attachedIndexes).
func (d *differ) tableIndexKind(t *schema.Table) *kindDiffer[*schema.Index] {
	k := *indexKind
	k.drop = func(d *differ, ix *schema.Index) Change { return d.onlineDrop(ix, t) }
	k.skip = func(*differ) func(ix *schema.Index, fromSide, _ bool) bool {
		return func(ix *schema.Index, fromSide, _ bool) bool {
			a := attachedNamed(t, ix.Name)
			return fromSide && a != nil && a.Constraint == ""
		}
	}
	return &k
}

// alterIndex changes an index's storage parameters and comment in place,
// or reports that it must be built again: any other change of its
// definition, and an INVALID index, which an interrupted CREATE INDEX
// CONCURRENTLY leaves behind. An INVALID index of a partitioned table is
// one that some partition has no index attached to (see attachedIndexes).
// The storage parameters of an index of a partitioned table change by
// building it again too.
func (d *differ) alterIndex(old, ix *schema.Index) ([]Change, bool) {
	t, onTable := d.to.Tables[ix.Table]
	partitioned := onTable && t.PartitionKey != ""
	switch {
	case !sameIndex(old, withStorage(ix, old.With)), old.Invalid && onTable && !partitioned:
		return nil, true
	case old.With != ix.With && partitioned:
		return nil, true
	}
	c := Change{Op: OpAlter, Object: indexID(ix.QName)}
	c.Statements = optionChanges("ALTER INDEX "+ix.Quoted(), storageParams(old.With), storageParams(ix.With))
	if old.Comment != ix.Comment {
		c.Statements = append(c.Statements, commentStmt("INDEX "+ix.Quoted(), ix.Comment))
	}
	return ifAny(c), false
}

// alteredIndex returns old with what alterIndex changes in place taken
// from ix: its storage parameters and comment, and what follows from its
// definition (dependencies, the columns it uses); whether it is INVALID
// is planned by rebuilding it, or with the partitions' indexes.
func alteredIndex(old, ix *schema.Index) *schema.Index {
	o := *old
	o.With, o.Comment, o.Deps, o.Columns, o.Invalid = ix.With, ix.Comment, ix.Deps, ix.Columns, ix.Invalid
	return &o
}

// withStorage returns a copy of ix with the storage parameters with.
func withStorage(ix *schema.Index, with string) *schema.Index {
	o := *ix
	o.With = with
	return &o
}

// storageParams splits what an index's WITH (...) holds into its
// parameters, "name=value" each, e.g. "fillfactor='70'"; commas inside
// quoted values do not split.
func storageParams(with string) []string {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(with); i++ {
		switch {
		case with[i] == '\'':
			quoted = !quoted
		case with[i] == ',' && !quoted:
			out = append(out, strings.TrimSpace(with[start:i]))
			start = i + 1
		}
	}
	if rest := strings.TrimSpace(with[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}
