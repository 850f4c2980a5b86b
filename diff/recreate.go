package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// breaks records that a change to id breaks the objects that depend on it
// (a column's type changes, a type is rebuilt), so they must be dropped
// before it and created again after.
func (d *differ) breaks(id schema.ID) { d.broken = append(d.broken, id) }

// retypes records that ALTER COLUMN ... TYPE changes column id in place.
// It breaks the column's dependents, except those PostgreSQL rebuilds by
// itself from their definitions (carriedOver): they are kept.
func (d *differ) retypes(id schema.ID) {
	d.breaks(id)
	if d.retyped == nil {
		d.retyped = map[schema.ID]bool{}
	}
	d.retyped[id] = true
}

// carriedOver reports whether ALTER COLUMN ... TYPE of column col keeps
// dep by rebuilding it: the indexes, unique, primary key, exclusion and
// check constraints and statistics of its table, and the foreign keys on
// it or referencing it whose key types stay comparable throughout. Views,
// rules, policies and triggers on the column make PostgreSQL refuse the
// change: they are dropped first and created again.
func (d *differ) carriedOver(col, dep schema.ID) bool {
	table := schema.QName{Schema: col.Schema, Name: col.Table}
	switch dep.Kind {
	case schema.KindIndex:
		ix := d.index(d.from).index(schema.QName{Schema: dep.Schema, Name: dep.Name})
		return ix != nil && ix.Table == table
	case schema.KindStatistics:
		s := d.index(d.from).statisticsObject(schema.QName{Schema: dep.Schema, Name: dep.Name})
		return s != nil && s.Table == table
	case schema.KindConstraint:
		t, ok := d.from.Tables[schema.QName{Schema: dep.Schema, Name: dep.Table}]
		if !ok {
			return false
		}
		c := t.Constraint(dep.Name)
		switch {
		case c == nil:
			return false
		case c.Type == schema.ForeignKey:
			return d.foreignKeyKeepsTypes(t, c)
		default:
			return t.QName == table
		}
	}
	return false
}

// foreignKeyKeepsTypes reports whether every pair of columns of a foreign
// key stays comparable whichever side changes type first: PostgreSQL then
// rebuilds the key itself.
func (d *differ) foreignKeyKeepsTypes(t *schema.Table, fk *schema.Constraint) bool {
	nt, ok := d.to.Tables[t.QName]
	if !ok || fk.References == nil || len(fk.Columns) != len(fk.RefColumns) {
		return false
	}
	ort, ok1 := d.from.Tables[*fk.References]
	nrt, ok2 := d.to.Tables[*fk.References]
	if !ok1 || !ok2 {
		return false
	}
	for i, col := range fk.Columns {
		oc, nc := t.Column(col), nt.Column(col)
		op, np := ort.Column(fk.RefColumns[i]), nrt.Column(fk.RefColumns[i])
		if oc == nil || nc == nil || op == nil || np == nil {
			return false
		}
		of, nf := d.keyFamily(d.from, oc.Type), d.keyFamily(d.to, nc.Type)
		opf, npf := d.keyFamily(d.from, op.Type), d.keyFamily(d.to, np.Type)
		if of != npf || nf != opf || nf != npf {
			return false
		}
	}
	return true
}

// keyFamily names the group of types whose values btree compares with
// each other: the integers, the floating-point types, text and varchar,
// else the type itself without modifiers.
func (d *differ) keyFamily(cat *schema.Catalog, t string) string {
	elem, dims := splitArray(d.resolveType(cat, t))
	name, _ := typeName(elem)
	switch name {
	case "smallint", "integer", "bigint":
		name = "integer"
	case "real", "double precision":
		name = "double precision"
	case "character varying":
		name = "text"
	}
	return name + strings.Repeat("[]", dims)
}

// recreateDependents drops and recreates, with everything attached to
// them, the objects of the current catalog that transitively depend on an
// object the plan drops or breaks, and that the desired catalog still has.
// Dependents the desired catalog does not have are dropped by their own
// change already.
func (d *differ) recreateDependents() {
	var rev map[schema.ID][]schema.ID
	var columnUsers map[schema.QName][]schema.ID
	// dependentsOf indexes the current catalog's dependencies on first
	// use: a plan that drops and breaks nothing needs none.
	dependentsOf := func(id schema.ID) []schema.ID {
		if rev == nil {
			rev, columnUsers = reverseDeps(d.from)
		}
		return dependents(rev, columnUsers, id)
	}
	done := map[schema.ID]bool{}
	var queue []schema.ID
	droppedTables := map[schema.QName]bool{}
	for _, c := range d.changes {
		if c.Op == OpDrop {
			done[c.Object] = true
			queue = append(queue, c.Object)
			if c.Object.Kind == schema.KindTable {
				droppedTables[schema.QName{Schema: c.Object.Schema, Name: c.Object.Name}] = true
			}
		}
	}
	// What a dropped table owns goes with it. A table created again creates
	// its constraints and indexes itself; a rebuilt one also its triggers
	// and policies.
	ownerDropped := func(id schema.ID) bool {
		if e, ok := registry[id.Kind]; ok && e.goneWithOwner(d, id) {
			return true
		}
		var table schema.QName
		switch id.Kind {
		case schema.KindConstraint, schema.KindTrigger, schema.KindPolicy, schema.KindRule:
			table = schema.QName{Schema: id.Schema, Name: id.Table}
		case schema.KindIndex:
			ix := d.index(d.from).index(schema.QName{Schema: id.Schema, Name: id.Name})
			if ix == nil {
				return false
			}
			table = ix.Table
		case schema.KindStatistics:
			s := d.index(d.from).statisticsObject(schema.QName{Schema: id.Schema, Name: id.Name})
			if s == nil {
				return false
			}
			table = s.Table
		default:
			return false
		}
		if !droppedTables[table] {
			return false
		}
		_, kept := d.to.Tables[table]
		return !kept || d.rebuilt[table] || id.Kind == schema.KindConstraint || id.Kind == schema.KindIndex ||
			id.Kind == schema.KindStatistics
	}
	queue = append(queue, d.broken...)
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, dep := range dependentsOf(id) {
			if done[dep] || ownerDropped(dep) || d.retyped[id] && d.carriedOver(id, dep) {
				continue
			}
			done[dep] = true
			drop, ok := d.dropFor(dep, id)
			if !ok {
				continue
			}
			creates, exists := d.createFor(dep)
			d.removeChangesOf(dep)
			d.add(drop)
			if exists {
				d.changes = append(d.changes, creates...)
				d.addAll(d.grantChanges(dep))
			}
			queue = append(queue, dep)
		}
	}
}

// reverseDeps maps each object to the objects of cat that depend on it,
// and each table to what depends on any of its columns, so that the
// dependents of a table take no scan of rev (see dependents).
func reverseDeps(cat *schema.Catalog) (rev map[schema.ID][]schema.ID, columnUsers map[schema.QName][]schema.ID) {
	rev = map[schema.ID][]schema.ID{}
	columnUsers = map[schema.QName][]schema.ID{}
	add := func(of schema.ID, deps []schema.ID) {
		for _, dep := range deps {
			rev[dep] = append(rev[dep], of)
			if dep.Kind == schema.KindColumn {
				q := schema.QName{Schema: dep.Schema, Name: dep.Table}
				columnUsers[q] = append(columnUsers[q], of)
			}
		}
	}
	for _, k := range registered {
		k.addDeps(cat, add)
	}
	for k, v := range rev {
		slices.SortFunc(v, schema.ID.Compare)
		rev[k] = slices.Compact(v)
	}
	return rev, columnUsers
}

// dependents returns what depends on id; for a table, also what depends on
// any of its columns (columnUsers, from reverseDeps).
func dependents(rev map[schema.ID][]schema.ID, columnUsers map[schema.QName][]schema.ID, id schema.ID) []schema.ID {
	out := slices.Clone(rev[id])
	if id.Kind == schema.KindTable {
		out = append(out, columnUsers[schema.QName{Schema: id.Schema, Name: id.Name}]...)
	}
	slices.SortFunc(out, schema.ID.Compare)
	return slices.Compact(out)
}

// removeChangesOf drops the planned changes to id that a recreation
// replaces (e.g. a CREATE OR REPLACE VIEW).
func (d *differ) removeChangesOf(id schema.ID) {
	d.changes = slices.DeleteFunc(d.changes, func(c Change) bool { return c.Object == id })
}

// findConstraint finds a table constraint by its identity.
func findConstraint(cat *schema.Catalog, id schema.ID) (*schema.Table, *schema.Constraint) {
	t, ok := cat.Tables[schema.QName{Schema: id.Schema, Name: id.Table}]
	if !ok {
		return nil, nil
	}
	return t, t.Constraint(id.Name)
}

// dropFor returns the change dropping id as it is in the current catalog.
// A kind outside the registry, or an object the current catalog does not
// have, is refused: the plan would otherwise leave a dependent broken.
func (d *differ) dropFor(id schema.ID, because schema.ID) (Change, bool) {
	r, ok := registry[id.Kind]
	if !ok {
		d.refused = append(d.refused, fmt.Sprintf("%s depends on %s, which the plan drops or changes, and schemadiff cannot drop and create again objects of kind %s", id, because, id.Kind))
		return Change{}, false
	}
	c, found := r.dropByID(d, id)
	if !found {
		d.refused = append(d.refused, fmt.Sprintf("%s depends on %s, which the plan drops or changes, but it is not in the current catalog", id, because))
	}
	return c, found
}

// createFor returns the changes creating id as it is in the desired
// catalog, and false when the desired catalog does not have it.
func (d *differ) createFor(id schema.ID) ([]Change, bool) {
	if r, ok := registry[id.Kind]; ok {
		return r.createByID(d, id)
	}
	return nil, false
}

// findIndex finds an index of a table or materialized view by name.
func findIndex(cat *schema.Catalog, q schema.QName) *schema.Index {
	for _, t := range cat.Tables {
		for _, ix := range t.Indexes {
			if ix.QName == q {
				return ix
			}
		}
	}
	for _, v := range cat.Views {
		for _, ix := range v.Indexes {
			if ix.QName == q {
				return ix
			}
		}
	}
	return nil
}
