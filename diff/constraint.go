package diff

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

const notValid = " NOT VALID"

// constraintKind diffs table constraints (check, unique, primary key,
// exclusion, foreign key). Those of a table that stays are walked with it
// (see constraints); those of a new table are created with it, and those
// of a dropped one go with it. A constraint whose type or definition
// changes, or that stops being validated, is dropped and added again;
// VALIDATE CONSTRAINT and the comment change in place.
var constraintKind = register(&kindDiffer[schema.TableConstraint]{
	kind: schema.KindConstraint,
	deps: func(_ *schema.Catalog, c schema.TableConstraint) []schema.ID { return constraintDeps(c) },
	create: func(d *differ, c schema.TableConstraint) []Change {
		return one(d.addConstraint(d.to.Tables[c.Table], c.Constraint, true))
	},
	drop: func(d *differ, c schema.TableConstraint) Change {
		return d.dropConstraint(d.from.Tables[c.Table], c.Constraint, true)
	},
	alter: func(_ *differ, old, c schema.TableConstraint) ([]Change, bool) { return constraintAlter(old, c) },
	altered: func(old, c schema.TableConstraint) schema.TableConstraint {
		// Everything but the type comes from the definition, which is the
		// same but for NOT VALID.
		o := *old.Constraint
		o.Definition, o.Columns, o.References, o.RefColumns, o.Deps = c.Definition, c.Columns, c.References, c.RefColumns, c.Deps
		o.Validated, o.Comment = c.Validated, c.Comment
		return schema.TableConstraint{Table: old.Table, Constraint: &o}
	},
	find: func(cat *schema.Catalog, id schema.ID) (schema.TableConstraint, bool) {
		t, c := findConstraint(cat, id)
		if c == nil {
			return schema.TableConstraint{}, false
		}
		return schema.TableConstraint{Table: t.QName, Constraint: c}, true
	},
})

// constraintDeps lists what a constraint depends on besides its table:
// the objects pg_depend records, the columns a foreign key references and
// those a check uses.
func constraintDeps(c schema.TableConstraint) []schema.ID {
	deps := slices.Clone(c.Deps)
	if c.References != nil {
		for _, col := range c.RefColumns {
			deps = append(deps, columnID(*c.References, col))
		}
	}
	if c.Type == schema.Check {
		for _, col := range c.Columns {
			deps = append(deps, columnID(c.Table, col))
		}
	}
	return deps
}

// constraintAlter validates and comments a constraint in place, or
// reports that it must be added again: its type or definition changes,
// or it stops being validated.
func constraintAlter(old, c schema.TableConstraint) ([]Change, bool) {
	if old.Type != c.Type || !sameConstraintDef(old.Constraint, c.Constraint) || old.Validated && !c.Validated {
		return nil, true
	}
	t := c.Table
	ch := Change{Op: OpAlter, Object: c.ID()}
	if !old.Validated && c.Validated {
		ch.Statements = append(ch.Statements, stmt(fmt.Sprintf("ALTER TABLE %s VALIDATE CONSTRAINT %s", t.Quoted(), schema.Ident(c.Name)),
			hazard(HazardLongLock, "validating %s scans %s", c.Name, t)))
	}
	if old.Comment != c.Comment {
		ch.Statements = append(ch.Statements, commentStmt(constraintTarget(t, c.Name), c.Comment))
	}
	return ifAny(ch), false
}

// tableConstraints lists the constraints of t as constraintKind walks them.
func tableConstraints(t *schema.Table) []schema.TableConstraint {
	out := make([]schema.TableConstraint, len(t.Constraints))
	for i, c := range t.Constraints {
		out[i] = schema.TableConstraint{Table: t.QName, Constraint: c}
	}
	return out
}

// constraints plans the changes of the constraints of table t, which
// stays as old (or as what old leaves when it is detached, see
// afterDetach): constraintKind walked over the two tables, leaving out
// the checks a partition leaving its parent keeps (see detachedChecks),
// its indexes' constraints attached to its parent's (see
// attachedIndexes), and checks merged into a new parent's (see
// checksForAttach).
func (d *differ) constraints(old, t *schema.Table) error {
	d.detachedChecks(old, t)
	k := *constraintKind
	k.create = func(d *differ, c schema.TableConstraint) []Change { return one(d.addConstraint(t, c.Constraint, true)) }
	k.drop = func(d *differ, c schema.TableConstraint) Change { return d.dropConstraint(old, c.Constraint, true) }
	k.skip = func(d *differ) func(c schema.TableConstraint, fromSide, found bool) bool {
		return func(c schema.TableConstraint, fromSide, found bool) bool {
			if !fromSide {
				return !found && d.leftCheck(old, t, c.Name) != nil
			}
			if a := attachedNamed(t, c.Name); a != nil && a.Constraint == c.Type {
				return true
			}
			return d.parentCheck(t, c.Constraint)
		}
	}
	return k.walk(d, tableConstraints(old), tableConstraints(t))
}

// constraintRequires lists the columns a constraint uses and, for a foreign
// key, the referenced table and the constraint or index it relies on.
func constraintRequires(cat *schema.Catalog, t *schema.Table, c *schema.Constraint) []schema.ID {
	ids := append([]schema.ID{tableID(t.QName)}, c.Deps...)
	for _, col := range c.Columns {
		ids = append(ids, columnID(t.QName, col))
	}
	if c.References != nil {
		ids = append(ids, tableID(*c.References))
		for _, col := range c.RefColumns {
			ids = append(ids, columnID(*c.References, col))
		}
		ids = append(ids, foreignKeyTargets(cat, c)...)
	}
	return ids
}

// foreignKeyTargets finds the unique constraints and indexes a foreign key
// can rely on: those on exactly its referenced columns.
func foreignKeyTargets(cat *schema.Catalog, fk *schema.Constraint) []schema.ID {
	rt, ok := cat.Tables[*fk.References]
	if !ok {
		return nil
	}
	var ids []schema.ID
	for _, c := range rt.Constraints {
		if (c.Type == schema.PrimaryKey || c.Type == schema.Unique) && sameSet(c.Columns, fk.RefColumns) {
			ids = append(ids, constraintID(rt.QName, c.Name))
		}
	}
	for _, ix := range rt.Indexes {
		if ix.Unique && sameSet(ix.Columns, fk.RefColumns) {
			ids = append(ids, indexID(ix.QName))
		}
	}
	return ids
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func (d *differ) addConstraint(t *schema.Table, c *schema.Constraint, existing bool) Change {
	var hz []Hazard
	if existing {
		switch {
		case (c.Type == schema.ForeignKey || c.Type == schema.Check) && c.Validated:
			hz = append(hz, hazard(HazardLongLock, "adding %s validates every row of %s under lock; consider NOT VALID and VALIDATE later", c.Name, t.QName))
		case c.Type == schema.PrimaryKey || c.Type == schema.Unique || c.Type == schema.Exclusion:
			hz = append(hz, hazard(HazardBlocksWrites, "adding %s builds an index on %s, blocking writes", c.Name, t.QName))
		}
	}
	ch := Change{Op: OpCreate, Object: constraintID(t.QName, c.Name), Aspect: constraintAspect(c),
		Requires: constraintRequires(d.to, t, c),
		Statements: []Statement{stmt(fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s %s",
			t.Quoted(), schema.Ident(c.Name), c.Definition), hz...)}}
	if existing && d.opts.Online && (c.Type == schema.ForeignKey || c.Type == schema.Check) && c.Validated {
		// Add without checking existing rows (a brief lock), then check
		// them without blocking writes.
		ch.Statements = []Statement{
			stmt(fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s %s NOT VALID", t.Quoted(), schema.Ident(c.Name), c.Definition)),
			stmt(fmt.Sprintf("ALTER TABLE %s VALIDATE CONSTRAINT %s", t.Quoted(), schema.Ident(c.Name)),
				hazard(HazardMayFail, "validating %s fails if existing rows of %s violate it", c.Name, t.QName)),
		}
	}
	if existing && d.opts.Online {
		if build, attach, ok := d.keyIndexFirst(t, c); ok {
			ch.Statements = []Statement{build, attach}
		}
	}
	if c.Comment != "" {
		ch.Statements = append(ch.Statements, commentStmt(constraintTarget(t.QName, c.Name), c.Comment))
	}
	return ch
}

// keyIndexFirst returns, for a UNIQUE or PRIMARY KEY constraint added to
// the existing table t in online mode, the statements that build its index
// without blocking writes (CREATE UNIQUE INDEX CONCURRENTLY, outside the
// transaction, retried by the runner when it fails) and then make it the
// constraint's (ADD CONSTRAINT ... USING INDEX, a brief lock). ok is false
// where that is not possible or not the same constraint: a partitioned
// table, a primary key over a column the desired table has nullable, or a
// definition with more than its columns and deferrability (INCLUDE, NULLS
// NOT DISTINCT, storage parameters, a tablespace): those keep the blocking
// form and its hazard.
func (d *differ) keyIndexFirst(t *schema.Table, c *schema.Constraint) (build, attach Statement, ok bool) {
	if t.PartitionKey != "" || len(c.Columns) == 0 {
		return Statement{}, Statement{}, false
	}
	var keyword string
	switch c.Type {
	case schema.Unique:
		keyword = "UNIQUE"
	case schema.PrimaryKey:
		keyword = "PRIMARY KEY"
		// Its columns must be NOT NULL before it is added, or adding it
		// scans the table under lock to make them so: they are in the
		// desired table, and a column that is not yet gets its own change
		// first (the constraint requires its columns), online through a
		// validated CHECK.
		for _, name := range c.Columns {
			if col := t.Column(name); col == nil || !col.NotNull {
				return Statement{}, Statement{}, false
			}
		}
	default:
		return Statement{}, Statement{}, false
	}
	cols := make([]string, len(c.Columns))
	for i, name := range c.Columns {
		cols[i] = schema.Ident(name)
	}
	keys := keyword + " (" + strings.Join(cols, ", ") + ")"
	deferral, found := strings.CutPrefix(c.Definition, keys)
	if !found {
		return Statement{}, Statement{}, false
	}
	switch deferral {
	case "", " DEFERRABLE", " DEFERRABLE INITIALLY DEFERRED":
	default:
		return Statement{}, Statement{}, false
	}
	index := schema.QName{Schema: t.Schema, Name: c.Name}
	build = stmt(fmt.Sprintf("CREATE UNIQUE INDEX CONCURRENTLY %s ON %s USING btree (%s)",
		schema.Ident(c.Name), t.Quoted(), strings.Join(cols, ", ")))
	build.Transaction = OutsideTransaction
	build.BuildsIndex = &index
	attach = stmt(fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s %s USING INDEX %s%s",
		t.Quoted(), schema.Ident(c.Name), keyword, schema.Ident(c.Name), deferral))
	return build, attach, true
}

func (d *differ) dropConstraint(t *schema.Table, c *schema.Constraint, _ bool) Change {
	return Change{Op: OpDrop, Object: constraintID(t.QName, c.Name),
		Requires:   constraintRequires(d.from, t, c),
		Statements: []Statement{stmt(fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s", t.Quoted(), schema.Ident(c.Name)))}}
}

// indexes plans the changes of the indexes of table t, which stays (see
// tableIndexKind).
func (d *differ) indexes(old, t *schema.Table) error {
	return d.tableIndexKind(t).walk(d, old.Indexes, t.Indexes)
}

// onlineDrop drops index ix of table t, CONCURRENTLY in online mode (not
// possible on partitioned tables).
func (d *differ) onlineDrop(ix *schema.Index, t *schema.Table) Change {
	c := d.dropIndex(ix)
	if d.opts.Online && t.PartitionKey == "" {
		c.Statements[0] = stmt(dropIndexSQL(ix.QName, true))
		c.Statements[0].Transaction = OutsideTransaction
	}
	return c
}

func (d *differ) createIndex(ix *schema.Index, existing bool) Change {
	var hz []Hazard
	if existing {
		hz = append(hz, hazard(HazardBlocksWrites, "building index %s blocks writes to %s", ix.Name, ix.Table))
	}
	requires := append([]schema.ID{tableID(ix.Table)}, ix.Deps...)
	for _, col := range ix.Columns {
		requires = append(requires, columnID(ix.Table, col))
	}
	// An index on a partitioned table is printed "ON ONLY"; created that
	// way it would not cascade to the partitions.
	var build indexBuild
	var after []Ref
	if d.madeByHand(ix.QName) {
		// Its partitions' indexes are made and attached one by one, the
		// partitions first (see attachedIndexes).
		build.Only = ix.Only
		for _, p := range partitionTree(d.to, ix.Table) {
			after = append(after, Ref{OpCreate, tableID(p.QName)}, Ref{OpCreate, schema.ID{Kind: schema.KindPartition, Schema: p.Schema, Name: p.Name}})
		}
	}
	st := stmt(createIndexSQL(ix, build), hz...)
	if t, ok := d.to.Tables[ix.Table]; existing && d.opts.Online && ok && t.PartitionKey == "" {
		// A failed build leaves the index INVALID; the migration runner
		// knows the index, so it drops it and tries again, and planning
		// again rebuilds one left by an interrupted run.
		build.Concurrently = true
		st = stmt(createIndexSQL(ix, build))
		st.Transaction = OutsideTransaction
		st.BuildsIndex = &ix.QName
	}
	ch := Change{Op: OpCreate, Object: indexID(ix.QName), Requires: requires, After: after,
		Statements: []Statement{st}}
	if ix.Comment != "" {
		ch.Statements = append(ch.Statements, commentStmt("INDEX "+ix.Quoted(), ix.Comment))
	}
	return ch
}

func (d *differ) dropIndex(ix *schema.Index) Change {
	requires := append([]schema.ID{tableID(ix.Table)}, ix.Deps...)
	for _, col := range ix.Columns {
		requires = append(requires, columnID(ix.Table, col))
	}
	return Change{Op: OpDrop, Object: indexID(ix.QName), Requires: requires,
		Statements: []Statement{stmt(dropIndexSQL(ix.QName, false))}}
}

// foreignKeysOfChangedTargets recreates foreign keys whose referenced
// constraint or index is dropped or recreated, since PostgreSQL will not
// drop it while a foreign key relies on it.
func (d *differ) foreignKeysOfChangedTargets() {
	dropped := map[schema.ID]bool{}
	for _, c := range d.changes {
		if c.Op == OpDrop {
			dropped[c.Object] = true
		}
	}
	for _, q := range schema.SortedQNames(d.from.Tables) {
		ot := d.from.Tables[q]
		nt, ok := d.to.Tables[q]
		if !ok {
			continue
		}
		for _, fk := range ot.Constraints {
			if fk.Type != schema.ForeignKey || dropped[constraintID(q, fk.Name)] {
				continue
			}
			nfk := nt.Constraint(fk.Name)
			if nfk == nil {
				continue
			}
			targets := foreignKeyTargets(d.from, fk)
			if len(targets) == 0 || !allIn(targets, dropped) {
				continue
			}
			d.add(d.dropConstraint(ot, fk, true))
			d.add(d.addConstraint(nt, nfk, true))
		}
	}
}

func allIn(ids []schema.ID, set map[schema.ID]bool) bool {
	for _, id := range ids {
		if !set[id] {
			return false
		}
	}
	return true
}

// baseType strips a type's modifiers: "character varying(20)" → "character
// varying", keeping array brackets.
func baseType(t string) (base string, mods string) {
	arr := ""
	for strings.HasSuffix(t, "[]") {
		arr += "[]"
		t = strings.TrimSuffix(t, "[]")
	}
	if i := strings.IndexByte(t, '('); i > 0 && strings.HasSuffix(t, ")") {
		// "timestamp(3) with time zone" keeps its words after the modifier.
		return strings.TrimSpace(t[:i]) + arr, t[i+1 : len(t)-1]
	}
	if i := strings.IndexByte(t, '('); i > 0 {
		if j := strings.IndexByte(t[i:], ')'); j > 0 {
			return strings.TrimSpace(t[:i]+t[i+j+1:]) + arr, t[i+1 : i+j]
		}
	}
	return t + arr, ""
}

// binaryCoercible reports type changes PostgreSQL makes without rewriting
// the table.
func binaryCoercible(from, to string) bool {
	fb, fm := baseType(from)
	tb, tm := baseType(to)
	switch {
	case from == to:
		return true
	case fb == "character varying" && (tb == "text" || tb == "character varying" && (tm == "" || atoi(tm) >= atoi(fm))):
		return fm != "" || tm == ""
	case fb == "text" && tb == "character varying" && tm == "":
		return true
	case fb == "numeric" && tb == "numeric":
		if tm == "" {
			return true
		}
		fp, fs, _ := strings.Cut(fm, ",")
		tp, ts, _ := strings.Cut(tm, ",")
		return fm != "" && fs == ts && atoi(tp) >= atoi(fp)
	case fb == tb && (strings.HasPrefix(fb, "timestamp") || strings.HasPrefix(fb, "time") || fb == "bit varying"):
		return tm == "" || fm != "" && atoi(tm) >= atoi(fm)
	}
	return false
}

func atoi(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}
