package diff

import (
	"fmt"
	"strings"

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
		d.add(Change{Op: OpAlter, Object: columnID(t.QName, c.Name),
			Requires:   append([]schema.ID{tableID(t.QName)}, columnRequires(d.to, c)...),
			After:      []Ref{{OpCreate, pcol}, {OpAlter, pcol}, {OpAlter, schema.ID{Kind: schema.KindPartition, Schema: t.Schema, Name: t.Name}}},
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

// A table attached as a partition must have its parent's CHECK
// constraints already (ATTACH PARTITION merges them and refuses a table
// without them); once attached, they are the parent's.

// parentCheck reports whether check constraint c of a table that becomes
// (or is) partition t matches a CHECK constraint of t's desired parent, so
// that it is merged into the parent's rather than dropped.
func (d *differ) parentCheck(t *schema.Table, c *schema.Constraint) bool {
	if t.PartitionOf == nil || c.Type != schema.Check {
		return false
	}
	parent, ok := d.to.Tables[*t.PartitionOf]
	if !ok {
		return false
	}
	pc := parent.Constraint(c.Name)
	return pc != nil && pc.Type == schema.Check && sameConstraintDef(pc, c)
}

func sameConstraintDef(a, b *schema.Constraint) bool {
	return strings.TrimSuffix(a.Definition, notValid) == strings.TrimSuffix(b.Definition, notValid)
}

// checksForAttach returns the statements giving table old, about to be
// attached as partition t, the CHECK constraints of its parent that it
// lacks, and the changes of the parent's CHECK constraints the attachment
// waits for.
func (d *differ) checksForAttach(old, t *schema.Table) ([]Statement, []Ref) {
	parent, ok := d.to.Tables[*t.PartitionOf]
	if !ok {
		return nil, nil
	}
	var stmts []Statement
	var after []Ref
	if oldParent, ok := d.from.Tables[*t.PartitionOf]; ok {
		for _, c := range oldParent.Constraints {
			if c.Type == schema.Check {
				after = append(after, Ref{OpDrop, constraintID(parent.QName, c.Name)})
			}
		}
	}
	rebound := old.PartitionOf != nil && *old.PartitionOf == *t.PartitionOf
	for _, pc := range parent.Constraints {
		if pc.Type != schema.Check {
			continue
		}
		after = append(after, Ref{OpCreate, constraintID(parent.QName, pc.Name)})
		if oc := old.Constraint(pc.Name); rebound || oc != nil && oc.Type == schema.Check && sameConstraintDef(oc, pc) {
			continue
		}
		after = append(after, Ref{OpDrop, constraintID(t.QName, pc.Name)})
		stmts = append(stmts, stmt(fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s %s", t.Quoted(), schema.Ident(pc.Name), pc.Definition),
			hazard(HazardLongLock, "adding %s, which partitions of %s must have, validates every row of %s under lock", pc.Name, parent.QName, t.QName)))
	}
	return stmts, after
}

// leftCheck returns the CHECK constraint called name of the parent that
// partition old leaves for good, which DETACH PARTITION leaves on it as
// its own, or nil.
func (d *differ) leftCheck(old, t *schema.Table, name string) *schema.Constraint {
	if old.PartitionOf == nil || t.PartitionOf != nil && *t.PartitionOf == *old.PartitionOf {
		return nil
	}
	parent, ok := d.from.Tables[*old.PartitionOf]
	if !ok {
		return nil
	}
	if c := parent.Constraint(name); c != nil && c.Type == schema.Check {
		return c
	}
	return nil
}

// detachedChecks plans the CHECK constraints a partition leaving its
// parent keeps as its own: those the desired state does not give it (or
// gives it otherwise) are dropped once it is detached, and added again in
// their desired form.
func (d *differ) detachedChecks(old, t *schema.Table) {
	if old.PartitionOf == nil {
		return
	}
	parent, ok := d.from.Tables[*old.PartitionOf]
	if !ok {
		return
	}
	detach := Ref{OpDrop, schema.ID{Kind: schema.KindPartition, Schema: t.Schema, Name: t.Name}}
	for _, pc := range parent.Constraints {
		if pc.Type != schema.Check || d.leftCheck(old, t, pc.Name) == nil {
			continue
		}
		c := t.Constraint(pc.Name)
		if c != nil && c.Type == schema.Check && sameConstraintDef(c, pc) && c.Validated == pc.Validated {
			if c.Comment != "" {
				d.add(Change{Op: OpAlter, Object: constraintID(t.QName, c.Name), Aspect: AspectComment, After: []Ref{detach},
					Statements: []Statement{commentStmt(constraintTarget(t.QName, c.Name), c.Comment)}})
			}
			continue
		}
		if c != nil && d.parentCheck(t, c) {
			continue // merged into the new parent's
		}
		drop := Change{Op: OpDrop, Object: constraintID(t.QName, pc.Name), After: []Ref{detach},
			Requires:   []schema.ID{tableID(t.QName)},
			Statements: []Statement{stmt(fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s", t.Quoted(), schema.Ident(pc.Name)))}}
		d.add(drop)
		if c != nil {
			add := d.addConstraint(t, c, true)
			add.After = append(add.After, Ref{OpDrop, constraintID(t.QName, pc.Name)})
			d.add(add)
		}
	}
}
