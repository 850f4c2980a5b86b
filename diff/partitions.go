package diff

import (
	"fmt"

	"github.com/schemadiff/schemadiff/schema"
)

// A partition's columns come from its parent, yet each partition keeps a
// NOT NULL and a default of its own: PARTITION OF copies the parent's, and
// the parent's ALTER COLUMN ... SET/DROP NOT NULL and SET/DROP DEFAULT
// reach every partition below it. A partition may add NOT NULL where its
// parent has none, and have another default or none.

// columnState is what a partition's column holds of its own.
type columnState struct {
	notNull bool
	def     string
}

func stateOf(c *schema.Column) columnState { return columnState{notNull: c.NotNull, def: c.Default} }

// partitionColumnOptions returns the statements giving a partition created
// as PARTITION OF parent (named target while it is created) the NOT NULL
// and defaults it has apart from its parent's.
func partitionColumnOptions(target schema.QName, p, parent *schema.Table) []Statement {
	var out []Statement
	for _, c := range p.Columns {
		pc := parent.Column(c.Name)
		if pc == nil {
			continue
		}
		out = append(out, columnStateChanges(target, c.Name, stateOf(pc), stateOf(c))...)
	}
	return out
}

// columnStateChanges returns the statements turning a column's NOT NULL
// and default from cur into want.
func columnStateChanges(target schema.QName, col string, cur, want columnState) []Statement {
	prefix := fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s ", target.Quoted(), schema.Ident(col))
	var out []Statement
	if cur.def != want.def {
		if want.def == "" {
			out = append(out, stmt(prefix+"DROP DEFAULT"))
		} else {
			out = append(out, stmt(prefix+"SET DEFAULT "+want.def))
		}
	}
	if cur.notNull != want.notNull {
		if want.notNull {
			out = append(out, stmt(prefix+"SET NOT NULL", hazard(HazardLongLock, "SET NOT NULL scans %s under an ACCESS EXCLUSIVE lock", target)))
		} else {
			out = append(out, stmt(prefix+"DROP NOT NULL"))
		}
	}
	return out
}

// parentColumnChanges reports which of a column's NOT NULL and default the
// plan changes on table q itself or on a table above it, and so on every
// partition below: the partitions then hold the desired values of q.
func (d *differ) parentColumnChanges(q schema.QName, col string) (notNull, def bool) {
	old, oldOK := d.from.Tables[q]
	t, ok := d.to.Tables[q]
	if !ok || !oldOK {
		return false, false
	}
	c, oc := t.Column(col), old.Column(col)
	if c == nil {
		return false, false
	}
	if oc == nil {
		// Added here or above: it comes with the desired values.
		return true, true
	}
	typeChanged := oc.Type != c.Type || !sameCollation(oc.Collation, c.Collation)
	if t.PartitionOf == nil || old.PartitionOf == nil || *t.PartitionOf != *old.PartitionOf {
		return oc.NotNull != c.NotNull, oc.Default != c.Default || typeChanged && (oc.Default != "" || c.Default != "")
	}
	pNotNull, pDef := d.parentColumnChanges(*t.PartitionOf, col)
	cur := stateOf(oc)
	parent := d.to.Tables[*t.PartitionOf].Column(col)
	if pNotNull {
		cur.notNull = parent.NotNull
	}
	if pDef {
		cur.def = parent.Default
	}
	return pNotNull || cur.notNull != c.NotNull, pDef || cur.def != c.Default
}

// partitionColumns plans the NOT NULL and defaults of the columns of a
// partition that stays in its parent: what the parent's changes leave it
// with is turned into what the desired state gives it, after them.
func (d *differ) partitionColumns(old, t *schema.Table) {
	parent, ok := d.to.Tables[*t.PartitionOf]
	if !ok {
		return
	}
	for _, c := range t.Columns {
		pc := parent.Column(c.Name)
		if !c.Inherited || pc == nil {
			continue
		}
		cur := stateOf(pc)
		if oc := old.Column(c.Name); oc != nil {
			pNotNull, pDef := d.parentColumnChanges(*t.PartitionOf, c.Name)
			cur = stateOf(oc)
			if pNotNull {
				cur.notNull = pc.NotNull
			}
			if pDef {
				cur.def = pc.Default
			}
		}
		stmts := columnStateChanges(t.QName, c.Name, cur, stateOf(c))
		if len(stmts) == 0 {
			continue
		}
		pcol := columnID(*t.PartitionOf, c.Name)
		d.add(Change{Op: OpAlter, Object: columnID(t.QName, c.Name), Phase: phaseColumn,
			Requires:   append([]schema.ID{tableID(t.QName)}, columnRequires(d.to, c)...),
			After:      []Ref{{OpCreate, pcol}, {OpAlter, pcol}, {OpAlter, schema.ID{Kind: "partition", Schema: t.Schema, Name: t.Name}}},
			Statements: stmts})
	}
}

// derefQName returns *q, or the zero name for nil.
func derefQName(q *schema.QName) schema.QName {
	if q == nil {
		return schema.QName{}
	}
	return *q
}
