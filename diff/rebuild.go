package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// columnOrderAfterAlter returns the column order that altering old into t
// in place gives: kept columns in their old order, then new (or recreated)
// columns in desired order, since PostgreSQL only appends columns.
func columnOrderAfterAlter(old, t *schema.Table) (got, want []string) {
	var appended []string
	for _, oc := range old.Columns {
		if c := t.Column(oc.Name); c != nil && !(c.Generated != "" && c.Generated != oc.Generated) {
			got = append(got, oc.Name)
		}
	}
	for _, c := range t.Columns {
		want = append(want, c.Name)
		if !containsString(got, c.Name) {
			appended = append(appended, c.Name)
		}
	}
	return append(got, appended...), want
}

// needsRebuild reports whether the desired column order of a table can
// only be reached by rebuilding it.
func needsRebuild(from, to *schema.Catalog, old, t *schema.Table) bool {
	got, want := columnOrderAfterAlter(old, t)
	if slices.Equal(got, want) && len(retypedUnderGenerated(old, t)) == 0 {
		return false
	}
	return rebuildable(from, old) && rebuildable(to, t)
}

// retypedUnderGenerated lists the columns whose type changes while a
// generated column that stays uses them: PostgreSQL cannot alter those in
// place.
func retypedUnderGenerated(old, t *schema.Table) []string {
	var out []string
	for _, oc := range old.Columns {
		c := t.Column(oc.Name)
		if c == nil || c.Type == oc.Type {
			continue
		}
		id := schema.ID{Kind: schema.KindColumn, Schema: old.Schema, Table: old.Name, Name: oc.Name}
		for _, g := range old.Columns {
			if g.Generated != "" && slices.Contains(g.Deps, id) && t.Column(g.Name) != nil {
				out = append(out, oc.Name)
				break
			}
		}
	}
	return out
}

// retypedPartitionKey reports whether a column of t's partition key
// changes type, which PostgreSQL cannot do in place.
func retypedPartitionKey(old, t *schema.Table) bool {
	if t.PartitionKey == "" {
		return false
	}
	key := " " + strings.NewReplacer("(", " ", ")", " ", ",", " ").Replace(t.PartitionKey) + " "
	for _, oc := range old.Columns {
		if c := t.Column(oc.Name); c != nil && c.Type != oc.Type && strings.Contains(key, " "+schema.Ident(oc.Name)+" ") {
			return true
		}
	}
	return false
}

// rebuildable reports whether a table can be rebuilt on its own: not a
// partitioned table or a partition, and no table inherits from it. A table
// that inherits is rebuilt with the same parents.
func rebuildable(cat *schema.Catalog, t *schema.Table) bool {
	if t.PartitionKey != "" || t.PartitionOf != nil {
		return false
	}
	for _, other := range cat.Tables {
		if other.PartitionOf != nil && *other.PartitionOf == t.QName || slices.Contains(other.Inherits, t.QName) {
			return false
		}
	}
	return true
}

// rebuildSequenceName names the identity sequence of column col (the
// table's ordinal-th) of the new table while table q is rebuilt. A name too
// long for an identifier is cut and carries the column's ordinal, so that
// two identity columns of a long-named table never get the same one.
func rebuildSequenceName(q schema.QName, ordinal int, col string) string {
	name := "rebuild_seq__" + q.Name + "__" + col
	if len(name) <= schema.MaxIdentLen {
		return name
	}
	return schema.TruncateIdent(fmt.Sprintf("rebuild_seq_%d__%s__%s", ordinal, q.Name, col))
}

// rebuildTable reaches what PostgreSQL cannot reach in place (a column
// order, a new partitioning): a new table (with its partitions) shaped as
// desired receives the rows, the old table is dropped and the new one takes
// its name; then constraints, indexes and everything depending on the table
// are created again. Sequences the table owns and the desired state keeps
// are kept, and identity sequences go on from where the old ones were.
func (d *differ) rebuildTable(old, t *schema.Table) {
	q := t.QName
	if d.rebuilt == nil {
		d.rebuilt = map[schema.QName]bool{}
	}
	d.rebuilt[q] = true
	tmp := rebuildTmp(q)
	var defs, cols, sels []string
	var post, guards, carry []Statement
	var convHazards []Hazard
	for i, c := range t.Columns {
		oc := old.Column(c.Name)
		if oc != nil && c.Generated == "" {
			cols = append(cols, schema.Ident(c.Name))
			sel := schema.Ident(c.Name)
			if oc.Type != c.Type {
				// The INSERT converts by assignment, as ALTER COLUMN
				// TYPE without USING does.
				cv := d.convertColumn(q, oc, c)
				if cv.using != "" {
					sel = cv.using
				}
				if cv.guard != nil {
					guards = append(guards, *cv.guard)
				}
				convHazards = append(convHazards, cv.hazards...)
			}
			sels = append(sels, sel)
		}
		if c.Inherited {
			continue // comes from the parents
		}
		col := c
		if c.Identity != schema.IdentityNone {
			// Named now, so that it can take the usual name once the old
			// table and its identity sequences are gone.
			tmpSeq := schema.QName{Schema: q.Schema, Name: rebuildSequenceName(q, i, c.Name)}
			col = withIdentitySequence(c, tmpSeq)
			seq := tmpSeq.Quoted()
			post = append(post, stmt(fmt.Sprintf("ALTER SEQUENCE %s RENAME TO %s", seq, identitySequenceName(q, c))))
			if oc != nil && oc.Identity != schema.IdentityNone {
				// The new sequence goes on where the old one is, before
				// that goes with the old table.
				carry = append(carry, stmt(fmt.Sprintf("SELECT pg_catalog.setval(%s, last_value, is_called) FROM %s",
					schema.Literal(seq), identitySequence(q, oc))))
			} else {
				post = append(post, catchUpIdentity(q, c))
			}
		}
		defs = append(defs, columnDefinition(col))
	}
	release, reown := d.keepOwnedSequences(q)
	why := rebuildReason(d.to, old, t)
	kw := "TABLE"
	if t.Unlogged {
		kw = "UNLOGGED TABLE"
	}
	create := fmt.Sprintf("CREATE %s %s (\n    %s\n)", kw, tmp.Quoted(), strings.Join(defs, ",\n    "))
	if len(defs) == 0 {
		create = fmt.Sprintf("CREATE %s %s ()", kw, tmp.Quoted())
	}
	if len(t.Inherits) > 0 {
		var parents []string
		for _, p := range t.Inherits {
			parents = append(parents, p.Quoted())
		}
		create += " INHERITS (" + joinComma(parents) + ")"
	}
	if t.PartitionKey != "" {
		create += " PARTITION BY " + t.PartitionKey
	}
	partCreate, partRename := d.partitionRebuild(t)
	var droppedParts []schema.QName
	if old.PartitionKey == t.PartitionKey {
		// A new partitioning takes every row; the same one leaves out
		// the rows of partitions the desired state drops.
		droppedParts = d.droppedPartitions(old)
	}
	stmts := append(guards, stmt(create))
	stmts = append(stmts, partCreate...)
	if len(cols) > 0 {
		hz := append([]Hazard{hazard(HazardRewritesTable, "%s", why),
			hazard(HazardLongLock, "copies every row of %s while holding its lock", q)}, convHazards...)
		if len(droppedParts) > 0 {
			var names []string
			for _, p := range droppedParts {
				names = append(names, p.String())
			}
			hz = append(hz, hazard(HazardDeletesData, "the rows of partitions %s, which the desired state drops, are not copied", strings.Join(names, ", ")))
		}
		stmts = append(stmts, stmt(fmt.Sprintf("INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM %s%s",
			tmp.Quoted(), strings.Join(cols, ", "), strings.Join(sels, ", "), q.Quoted(), rowFilter(droppedParts)), hz...))
	}
	stmts = append(stmts, carry...)
	stmts = append(stmts, release...)
	var dropped []string
	for _, oc := range old.Columns {
		if t.Column(oc.Name) == nil {
			dropped = append(dropped, oc.Name)
		}
	}
	var dropHazards []Hazard
	if len(dropped) > 0 {
		dropHazards = append(dropHazards, hazard(HazardDeletesData, "the rebuilt %s has no column %s: its data is dropped", q, strings.Join(dropped, ", ")))
	}
	stmts = append(stmts, stmt("DROP TABLE "+q.Quoted(), dropHazards...),
		stmt(fmt.Sprintf("ALTER TABLE %s RENAME TO %s", tmp.Quoted(), schema.Ident(q.Name))))
	stmts = append(stmts, partRename...)
	stmts = append(stmts, post...)
	stmts = append(stmts, reown...)
	requires := []schema.ID{schemaID(q.Schema)}
	for _, c := range t.Columns {
		requires = append(requires, columnRequires(d.to, c)...)
	}
	// Foreign keys of the old table to other tables go first, with the
	// table's other dependents.
	for _, con := range old.Constraints {
		if con.Type == schema.ForeignKey && con.References != nil && *con.References != q {
			d.add(d.dropConstraint(old, con, false))
		}
	}
	// The parents' own column changes come first: the new table takes
	// their columns when it is created.
	var after []Ref
	for _, p := range t.Inherits {
		if pt, ok := d.to.Tables[p]; ok {
			for _, c := range pt.Columns {
				after = append(after, Ref{OpCreate, columnID(p, c.Name)}, Ref{OpAlter, columnID(p, c.Name)})
			}
		}
	}
	after = append(after, d.rebuildPartitions(old, t)...)
	d.add(Change{Op: OpDrop, Object: tableID(q), Aspect: AspectRebuild, Requires: requires, After: after, Statements: stmts})

	d.refill(old, t, parentIDs(t))
}

// refill plans what a table created again by a rebuild needs once it has
// its name: comments, row security, constraints, indexes, statistics and
// settings, and (when old, the table it replaces, is not nil) old's
// triggers, policies and rules, dropped before it and created again after
// it.
func (d *differ) refill(old, t *schema.Table, requires []schema.ID) {
	q := t.QName
	created := Change{Op: OpCreate, Object: tableID(q), Requires: requires}
	if t.Comment != "" {
		created.Statements = append(created.Statements, commentStmt("TABLE "+q.Quoted(), t.Comment))
	}
	for _, c := range t.Columns {
		if c.Comment != "" {
			created.Statements = append(created.Statements, commentStmt(columnTarget(q, c.Name), c.Comment))
		}
	}
	created.Statements = append(created.Statements, rowSecurityStatements(t)...)
	d.add(created)
	for _, con := range t.Constraints {
		d.add(d.addConstraint(t, con, false))
	}
	for _, ix := range t.Indexes {
		d.add(d.createIndex(ix, false))
	}
	for _, s := range t.Statistics {
		d.add(statisticsCreate(s))
	}
	d.tableSettings(nil, t)
	if old != nil {
		d.recreateAttached(old)
	}
}

// rowSecurityStatements enable (and force) row security on a table
// created again, as t has it.
func rowSecurityStatements(t *schema.Table) []Statement {
	var out []Statement
	if t.RowSecurity {
		out = append(out, stmt("ALTER TABLE "+t.Quoted()+" ENABLE ROW LEVEL SECURITY"))
	}
	if t.ForceRowSecurity {
		out = append(out, stmt("ALTER TABLE "+t.Quoted()+" FORCE ROW LEVEL SECURITY"))
	}
	return out
}

// recreateAttached drops the triggers, policies and rules of old, a table
// the plan drops and creates again, before it, and creates those the
// desired state has after it: they go with the old table, so they are
// never altered in place.
func (d *differ) recreateAttached(old *schema.Table) {
	var ids []schema.ID
	for _, tr := range old.Triggers {
		ids = append(ids, tr.ID())
	}
	for _, p := range old.Policies {
		ids = append(ids, p.ID())
	}
	for _, ru := range old.Rules {
		ids = append(ids, ru.ID())
	}
	for _, id := range ids {
		if drop, ok := d.dropFor(id, tableID(old.QName)); ok {
			d.add(drop)
			if c, ok := d.createFor(id); ok {
				d.changes = append(d.changes, c...)
			}
		}
	}
}

// keepOwnedSequences returns the statements that release the sequences
// table q owns and the desired state keeps, so that they do not go with the
// table when it is dropped, and those that give them to their desired
// owner of the same name once the table is created again.
func (d *differ) keepOwnedSequences(q schema.QName) (release, reown []Statement) {
	for _, sq := range schema.SortedQNames(d.from.Sequences) {
		s := d.from.Sequences[sq]
		ns, kept := d.to.Sequences[sq]
		if s.OwnedBy == nil || s.OwnedBy.Table != q || !kept {
			continue
		}
		release = append(release, stmt("ALTER SEQUENCE "+sq.Quoted()+" OWNED BY NONE"))
		if ns.OwnedBy != nil && ns.OwnedBy.Table == q {
			reown = append(reown, stmt(fmt.Sprintf("ALTER SEQUENCE %s OWNED BY %s.%s", sq.Quoted(), q.Quoted(), schema.Ident(ns.OwnedBy.Column))))
		}
	}
	return release, reown
}

// withIdentitySequence returns a copy of identity column c whose sequence
// is named seq.
func withIdentitySequence(c *schema.Column, seq schema.QName) *schema.Column {
	nc := *c
	nc.IdentitySequenceName = &seq
	return &nc
}
