package diff

import (
	"fmt"
	"slices"

	"github.com/schemadiff/schemadiff/schema"
)

// sequenceTarget names a sequence in COMMENT ON.
func sequenceTarget(s *schema.Sequence) string { return "SEQUENCE " + s.Quoted() }

// sequenceCreate creates a sequence with its options and comment, then
// sets its OWNED BY in a change of its own (once the column exists).
func (d *differ) sequenceCreate(s *schema.Sequence) []Change {
	q := s.QName
	sql := "CREATE SEQUENCE " + q.Quoted()
	if s.Unlogged {
		sql = "CREATE UNLOGGED SEQUENCE " + q.Quoted()
	}
	if opts := sequenceOptions(s.SequenceOptions, true); opts != "" {
		sql += " " + opts
	}
	c := Change{Op: OpCreate, Object: sequenceID(q),
		Requires: []schema.ID{schemaID(q.Schema)}, Statements: []Statement{stmt(sql)}}
	if s.OwnedBy != nil {
		// A serial column's sequence takes the name an identity
		// column of the same table and column had.
		c.After = append(c.After, Ref{OpDrop, identityID(s.OwnedBy.Table, s.OwnedBy.Column)})
	}
	if s.Comment != "" {
		c.Statements = append(c.Statements, commentStmt(sequenceTarget(s), s.Comment))
	}
	if s.OwnedBy == nil {
		return one(c)
	}
	own := ownedBy(q, s.OwnedBy)
	if t, ok := d.from.Tables[s.OwnedBy.Table]; ok && t.Column(s.OwnedBy.Column) != nil &&
		slices.Contains([]string{"smallint", "integer", "bigint"}, t.Column(s.OwnedBy.Column).Type) {
		// A new sequence for a column that holds values
		// already (an identity column turned serial).
		own.Statements = append(own.Statements, catchUpSequence(schema.Literal(q.Quoted()), s.OwnedBy.Table, s.OwnedBy.Column, s.SequenceOptions))
	}
	return []Change{c, own}
}

// sequenceDrop drops a sequence after the columns whose default uses it
// change.
func (d *differ) sequenceDrop(s *schema.Sequence) Change {
	q := s.QName
	c := Change{Op: OpDrop, Object: sequenceID(q), Requires: []schema.ID{schemaID(q.Schema)},
		Statements: []Statement{stmt("DROP SEQUENCE " + q.Quoted())}}
	for _, u := range d.index(d.from).usersOfSequence(q) {
		c.After = append(c.After, Ref{OpAlter, columnID(u.table, u.col.Name)}, Ref{OpDrop, columnID(u.table, u.col.Name)})
	}
	return c
}

// sequenceAlter changes a sequence's options, persistence and comment in
// place, and its OWNED BY by a change of its own.
func sequenceAlter(old, s *schema.Sequence) []Change {
	q := s.QName
	c := Change{Op: OpAlter, Object: sequenceID(q)}
	if parts := sequenceChanges(old.SequenceOptions, s.SequenceOptions, false); len(parts) > 0 {
		var hz []Hazard
		if old.Start < s.Min || old.Start > s.Max {
			// The sequence's position would fall outside its new bounds.
			parts = append(parts, fmt.Sprintf("RESTART WITH %d", s.Start))
			hz = append(hz, hazard(HazardMayFail, "restarts sequence %s at %d: values already handed out may be handed out again", q, s.Start))
		}
		c.Statements = append(c.Statements, stmt("ALTER SEQUENCE "+q.Quoted()+" "+joinSpace(parts), hz...))
	}
	if old.Unlogged != s.Unlogged {
		mode := "LOGGED"
		if s.Unlogged {
			mode = "UNLOGGED"
		}
		c.Statements = append(c.Statements, stmt("ALTER SEQUENCE "+q.Quoted()+" SET "+mode))
	}
	if old.Comment != s.Comment {
		c.Statements = append(c.Statements, commentStmt(sequenceTarget(s), s.Comment))
	}
	changes := ifAny(c)
	switch {
	case sameOwner(old.OwnedBy, s.OwnedBy):
	case s.OwnedBy == nil:
		changes = append(changes, Change{Op: OpAlter, Object: ownershipID(q),
			Statements: []Statement{stmt("ALTER SEQUENCE " + q.Quoted() + " OWNED BY NONE")}})
	default:
		changes = append(changes, ownedBy(q, s.OwnedBy))
	}
	return changes
}

// sequenceKind diffs standalone sequences (identity sequences are their
// column's). OWNED BY is a change of its own (KindSequenceOwnership), made
// once the owning column exists; a sequence whose owning column or table
// goes is dropped with it.
var sequenceKind = register(&kindDiffer[*schema.Sequence]{
	kind:   schema.KindSequence,
	create: (*differ).sequenceCreate,
	drop:   (*differ).sequenceDrop,
	alter:  func(_ *differ, old, s *schema.Sequence) ([]Change, bool) { return sequenceAlter(old, s), false },
	altered: func(old, s *schema.Sequence) *schema.Sequence {
		o := *old
		o.Type, o.Start, o.Increment, o.Min, o.Max, o.Cache, o.Cycle = s.Type, s.Start, s.Increment, s.Min, s.Max, s.Cache, s.Cycle
		o.Unlogged, o.Comment, o.OwnedBy = s.Unlogged, s.Comment, s.OwnedBy
		// Privileges are planned by the grants pass.
		o.Grants = s.Grants
		return &o
	},
	goesWith: func(d *differ, s *schema.Sequence) bool { return s.OwnedBy != nil && d.ownerDropped(s.OwnedBy) },
	find: func(cat *schema.Catalog, id schema.ID) (*schema.Sequence, bool) {
		s, ok := cat.Sequences[qnameOf(id)]
		return s, ok
	},
	acl: func(s *schema.Sequence) aclObject { return aclObject{target: sequenceTarget(s), grants: s.Grants} },
})

// ownerDropped reports whether the column or table owning a sequence goes.
func (d *differ) ownerDropped(o *schema.ColumnRef) bool {
	t, ok := d.to.Tables[o.Table]
	return !ok || t.Column(o.Column) == nil
}

func ownedBy(q schema.QName, o *schema.ColumnRef) Change {
	return Change{Op: OpAlter, Object: ownershipID(q),
		Requires: []schema.ID{columnID(o.Table, o.Column)},
		Statements: []Statement{stmt(fmt.Sprintf("ALTER SEQUENCE %s OWNED BY %s.%s",
			q.Quoted(), o.Table.Quoted(), schema.Ident(o.Column)))}}
}

func sameOwner(a, b *schema.ColumnRef) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
