package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

func (d *differ) tables() error {
	for _, q := range schema.SortedQNames(d.to.Tables) {
		t := d.to.Tables[q]
		old, ok := d.from.Tables[q]
		if !ok {
			d.createTable(t)
			continue
		}
		if err := d.alterTable(old, t); err != nil {
			return err
		}
	}
	for _, q := range schema.SortedQNames(d.from.Tables) {
		if _, ok := d.to.Tables[q]; !ok {
			d.dropTable(d.from.Tables[q])
		}
	}
	d.foreignKeysOfChangedTargets()
	return nil
}

// columnRequires lists what a column needs to exist: its types and the
// sequences its default uses.
func columnRequires(cat *schema.Catalog, c *schema.Column) []schema.ID {
	ids := slices.Clone(c.Deps)
	for _, tq := range c.TypeDeps {
		if _, ok := cat.Enums[tq]; ok {
			ids = append(ids, enumID(tq))
		}
	}
	for _, sq := range c.SequenceDeps {
		ids = append(ids, sequenceID(sq))
	}
	return ids
}

// inlineConstraint reports whether a constraint is written inside CREATE
// TABLE; foreign keys and NOT VALID constraints are added afterwards.
func inlineConstraint(c *schema.Constraint) bool {
	return c.Type != schema.ForeignKey && c.Validated
}

func (d *differ) createTable(t *schema.Table) {
	var lines []string
	requires := []schema.ID{schemaID(t.Schema)}
	for _, c := range t.Columns {
		lines = append(lines, columnDefinition(c))
		requires = append(requires, columnRequires(d.to, c)...)
	}
	for _, c := range t.Constraints {
		if inlineConstraint(c) {
			lines = append(lines, "CONSTRAINT "+schema.Ident(c.Name)+" "+c.Definition)
		}
	}
	kw := "TABLE"
	if t.Unlogged {
		kw = "UNLOGGED TABLE"
	}
	sql := fmt.Sprintf("CREATE %s %s (\n    %s\n)", kw, t.Quoted(), strings.Join(lines, ",\n    "))
	if len(lines) == 0 {
		sql = fmt.Sprintf("CREATE %s %s ()", kw, t.Quoted())
	}
	c := Change{Op: OpCreate, Object: tableID(t.QName), Phase: phaseTable, Requires: requires,
		Statements: []Statement{stmt(sql)}}
	if t.Comment != "" {
		c.Statements = append(c.Statements, commentStmt("TABLE "+t.Quoted(), t.Comment))
	}
	for _, col := range t.Columns {
		if col.Comment != "" {
			c.Statements = append(c.Statements, commentStmt(columnTarget(t.QName, col.Name), col.Comment))
		}
	}
	for _, con := range t.Constraints {
		if inlineConstraint(con) && con.Comment != "" {
			c.Statements = append(c.Statements, commentStmt(constraintTarget(t.QName, con.Name), con.Comment))
		}
	}
	d.add(c)
	for _, con := range t.Constraints {
		if !inlineConstraint(con) {
			d.add(d.addConstraint(t, con, false))
		}
	}
	for _, ix := range t.Indexes {
		d.add(d.createIndex(ix, false))
	}
}

func (d *differ) dropTable(t *schema.Table) {
	requires := []schema.ID{schemaID(t.Schema)}
	for _, c := range t.Columns {
		requires = append(requires, columnRequires(d.from, c)...)
	}
	// Foreign keys to other tables are dropped first, so that tables that
	// reference each other can go in any order.
	for _, con := range t.Constraints {
		if con.Type == schema.ForeignKey && con.References != nil && *con.References != t.QName {
			d.add(d.dropConstraint(t, con, false))
		}
	}
	d.add(Change{Op: OpDrop, Object: tableID(t.QName), Phase: phaseDrop, Requires: requires,
		After: d.keptOwnedSequences(t.QName, ""),
		Statements: []Statement{stmt("DROP TABLE "+t.Quoted(),
			hazard(HazardDeletesData, "drops table %s and all its rows", t.QName))}})
}

func columnTarget(t schema.QName, col string) string {
	return "COLUMN " + t.Quoted() + "." + schema.Ident(col)
}

func constraintTarget(t schema.QName, name string) string {
	return "CONSTRAINT " + schema.Ident(name) + " ON " + t.Quoted()
}

func (d *differ) alterTable(old, t *schema.Table) error {
	tc := Change{Op: OpAlter, Object: tableID(t.QName), Phase: phaseTable}
	if old.Unlogged != t.Unlogged {
		mode := "LOGGED"
		if t.Unlogged {
			mode = "UNLOGGED"
		}
		tc.Statements = append(tc.Statements, stmt("ALTER TABLE "+t.Quoted()+" SET "+mode,
			hazard(HazardRewritesTable, "SET %s rewrites table %s", mode, t.QName)))
	}
	if old.Comment != t.Comment {
		tc.Statements = append(tc.Statements, commentStmt("TABLE "+t.Quoted(), t.Comment))
	}
	if len(tc.Statements) > 0 {
		d.add(tc)
	}
	if err := d.columns(old, t); err != nil {
		return err
	}
	d.constraints(old, t)
	d.indexes(old, t)
	return nil
}

func (d *differ) columns(old, t *schema.Table) error {
	for _, c := range t.Columns {
		oc := old.Column(c.Name)
		if oc == nil {
			d.add(d.addColumn(t, c))
			continue
		}
		if err := d.alterColumn(old, t, oc, c); err != nil {
			return err
		}
	}
	for _, oc := range old.Columns {
		if t.Column(oc.Name) == nil {
			d.add(Change{Op: OpDrop, Object: columnID(t.QName, oc.Name), Phase: phaseDrop,
				Requires: columnRequires(d.from, oc), After: d.keptOwnedSequences(t.QName, oc.Name),
				Statements: []Statement{stmt(fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", t.Quoted(), schema.Ident(oc.Name)),
					hazard(HazardDeletesData, "drops column %s.%s and its data", t.QName, oc.Name))}})
		}
	}
	return nil
}

func (d *differ) addColumn(t *schema.Table, c *schema.Column) Change {
	var hz []Hazard
	if c.NotNull && c.Default == "" && c.Generated == "" && c.Identity == schema.IdentityNone {
		hz = append(hz, hazard(HazardMayFail, "adding NOT NULL column %s.%s without a default fails if the table has rows", t.QName, c.Name))
	}
	if c.Generated != "" {
		hz = append(hz, hazard(HazardRewritesTable, "adding generated column %s.%s rewrites the table", t.QName, c.Name))
	}
	ch := Change{Op: OpCreate, Object: columnID(t.QName, c.Name), Phase: phaseColumn,
		Requires:   append([]schema.ID{tableID(t.QName)}, columnRequires(d.to, c)...),
		Statements: []Statement{stmt(fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s", t.Quoted(), columnDefinition(c)), hz...)}}
	if c.Comment != "" {
		ch.Statements = append(ch.Statements, commentStmt(columnTarget(t.QName, c.Name), c.Comment))
	}
	return ch
}

func (d *differ) alterColumn(oldT, t *schema.Table, oc, c *schema.Column) error {
	prefix := fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s ", t.Quoted(), schema.Ident(c.Name))
	id := columnID(t.QName, c.Name)
	if c.Generated != "" && oc.Generated != c.Generated {
		// PostgreSQL cannot turn a column into a generated one, or change
		// the expression, in place: drop and add it again.
		d.add(Change{Op: OpDrop, Object: id, Phase: phaseDrop, Requires: columnRequires(d.from, oc),
			Statements: []Statement{stmt(fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", t.Quoted(), schema.Ident(c.Name)),
				hazard(HazardDeletesData, "recreates column %s.%s as a generated column; its stored values are recomputed", t.QName, c.Name))}})
		d.add(d.addColumn(t, c))
		return nil
	}
	ch := Change{Op: OpAlter, Object: id, Phase: phaseColumn, Requires: columnRequires(d.to, c)}
	// Constraints being dropped that cover the column go first (a primary
	// key keeps its columns NOT NULL until it is gone).
	for _, con := range oldT.Constraints {
		if containsString(con.Columns, c.Name) {
			ch.After = append(ch.After, Ref{OpDrop, constraintID(t.QName, con.Name)})
		}
	}
	ch.After = append(ch.After, Ref{OpDrop, identityID(t.QName, c.Name)})
	add := func(sql string, hz ...Hazard) { ch.Statements = append(ch.Statements, stmt(prefix+sql, hz...)) }
	if oc.Generated != "" && c.Generated == "" {
		add("DROP EXPRESSION")
	}
	typeChanged := oc.Type != c.Type || !sameCollation(oc.Collation, c.Collation)
	if oc.Default != "" && (oc.Default != c.Default || typeChanged) {
		add("DROP DEFAULT")
	}
	if typeChanged {
		d.breaks(id)
		sql := "TYPE " + c.Type
		if c.Collation != nil {
			sql += " COLLATE " + schema.QualifiedIdent(c.Collation.Schema, c.Collation.Name)
		}
		if needsUsing(oc.Type, c.Type) {
			sql += " USING " + schema.Ident(c.Name) + "::" + d.castVia(oc) + c.Type
		}
		var hz []Hazard
		if !binaryCoercible(oc.Type, c.Type) || !sameCollation(oc.Collation, c.Collation) && oc.Type != c.Type {
			hz = append(hz, hazard(HazardRewritesTable, "changing %s.%s from %s to %s rewrites the table and its indexes", t.QName, c.Name, oc.Type, c.Type))
		}
		if needsUsing(oc.Type, c.Type) {
			hz = append(hz, hazard(HazardMayFail, "values of %s.%s that do not convert to %s make this fail", t.QName, c.Name, c.Type))
		}
		add(sql, hz...)
	}
	if c.Default != "" && (oc.Default != c.Default || typeChanged) {
		add("SET DEFAULT " + c.Default)
	}
	if oc.NotNull != c.NotNull && !(c.Identity != schema.IdentityNone && !c.NotNull) {
		if c.NotNull {
			add("SET NOT NULL", hazard(HazardLongLock, "SET NOT NULL scans %s under an ACCESS EXCLUSIVE lock", t.QName))
		} else if oc.Identity == schema.IdentityNone || c.Identity == schema.IdentityNone {
			add("DROP NOT NULL")
		}
	}
	if oc.Comment != c.Comment {
		ch.Statements = append(ch.Statements, commentStmt(columnTarget(t.QName, c.Name), c.Comment))
	}
	if len(ch.Statements) > 0 {
		d.add(ch)
	}
	d.identity(t, oc, c)
	return nil
}

// identity changes a column's identity property.
func (d *differ) identity(t *schema.Table, oc, c *schema.Column) {
	prefix := fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s ", t.Quoted(), schema.Ident(c.Name))
	id := identityID(t.QName, c.Name)
	switch {
	case oc.Identity == c.Identity && c.Identity == schema.IdentityNone:
	case c.Identity == schema.IdentityNone:
		d.add(Change{Op: OpDrop, Object: id, Phase: phaseDrop,
			Statements: []Statement{stmt(prefix + "DROP IDENTITY")}})
	case oc.Identity == schema.IdentityNone:
		ch := Change{Op: OpCreate, Object: id, Phase: phaseColumn,
			After:      []Ref{{OpAlter, columnID(t.QName, c.Name)}},
			Statements: []Statement{stmt(prefix + "ADD " + identityClause(c))}}
		// The identity sequence takes the name a serial sequence had.
		for _, sq := range schema.SortedQNames(d.from.Sequences) {
			if o := d.from.Sequences[sq].OwnedBy; o != nil && o.Table == t.QName && o.Column == c.Name {
				ch.After = append(ch.After, Ref{OpDrop, sequenceID(sq)})
			}
		}
		d.add(ch)
	default:
		ch := Change{Op: OpAlter, Object: id, Phase: phaseColumn}
		var parts []string
		if oc.Identity != c.Identity {
			if c.Identity == schema.IdentityAlways {
				parts = append(parts, "SET GENERATED ALWAYS")
			} else {
				parts = append(parts, "SET GENERATED BY DEFAULT")
			}
		}
		if oc.IdentitySequence != nil && c.IdentitySequence != nil {
			parts = append(parts, sequenceChanges(*oc.IdentitySequence, *c.IdentitySequence, true)...)
		}
		if len(parts) > 0 {
			ch.Statements = []Statement{stmt(prefix + joinSpace(parts))}
			d.add(ch)
		}
	}
}

func sameCollation(a, b *schema.QName) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// castVia returns an intermediate cast for converting a column's values:
// enums convert to other types only through text.
func (d *differ) castVia(c *schema.Column) string {
	for _, q := range c.TypeDeps {
		if _, ok := d.from.Enums[q]; ok {
			if strings.HasSuffix(c.Type, "[]") {
				return "text[]::"
			}
			return "text::"
		}
	}
	return ""
}

// keptOwnedSequences names the ownership changes of sequences that a table
// (or one of its columns, when col is set) owns now and that stay: they are
// released before the owner is dropped, or they would go with it.
func (d *differ) keptOwnedSequences(t schema.QName, col string) []Ref {
	var refs []Ref
	for _, q := range schema.SortedQNames(d.from.Sequences) {
		o := d.from.Sequences[q].OwnedBy
		if o == nil || o.Table != t || col != "" && o.Column != col {
			continue
		}
		if _, ok := d.to.Sequences[q]; ok {
			refs = append(refs, Ref{OpAlter, ownershipID(q)})
		}
	}
	return refs
}
