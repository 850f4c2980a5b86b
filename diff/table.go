package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// tableKind diffs tables (foreign tables too). A table that stays is
// altered column by column, with its constraints and indexes (see
// alterTable), or rebuilt; the tables of a partition tree rebuilt as one
// (see treesToRebuild) are rebuilt with its root. That every difference
// is planned is checked by the kinds alterTable walks (constraints,
// indexes) and the column pass, which refuse what they cannot express.
var tableKind = register(&kindDiffer[*schema.Table]{
	kind: schema.KindTable,
	precheck: func(d *differ) error {
		d.trees = d.treesToRebuild()
		return nil
	},
	skip: func(d *differ) func(t *schema.Table, fromSide, _ bool) bool {
		return func(t *schema.Table, fromSide, _ bool) bool {
			root, inTree := d.trees[t.QName]
			return inTree && (fromSide || root != t.QName)
		}
	},
	create: func(d *differ, t *schema.Table) []Change { return d.collect(func() { d.createTable(t) }) },
	drop: func(d *differ, t *schema.Table) Change {
		// Its foreign keys to other tables are dropped first, by changes
		// of their own.
		cs := d.collect(func() { d.dropTable(t) })
		d.changes = append(d.changes, cs[:len(cs)-1]...)
		return cs[len(cs)-1]
	},
	alterErr: func(d *differ, old, t *schema.Table) ([]Change, error) {
		var err error
		cs := d.collect(func() {
			if _, inTree := d.trees[t.QName]; inTree {
				d.rebuildTable(old, t)
				return
			}
			err = d.alterTable(old, t)
		})
		return cs, err
	},
	find: func(cat *schema.Catalog, id schema.ID) (*schema.Table, bool) {
		t, ok := cat.Tables[qnameOf(id)]
		return t, ok
	},
	acl: func(t *schema.Table) aclObject { return aclObject{target: "TABLE " + t.Quoted(), grants: t.Grants} },
})

// tablesAfterWalk plans what follows the changes of every table: foreign
// keys whose referenced key is recreated, the indexes of partitions
// attached to their parent's, and the waits for partitions leaving their
// parent.
func (d *differ) tablesAfterWalk() error {
	d.foreignKeysOfChangedTargets()
	if err := d.attachedIndexes(); err != nil {
		return err
	}
	// Column changes of a parent, and the drops of its constraints, wait
	// for partitions leaving it (which keep the parent's CHECK constraints
	// as their own).
	for i, c := range d.changes {
		if c.Object.Kind != schema.KindColumn && (c.Object.Kind != schema.KindConstraint || c.Op != OpDrop) {
			continue
		}
		for _, det := range d.detached {
			if t, ok := d.from.Tables[schema.QName{Schema: det.Object.Schema, Name: det.Object.Name}]; ok &&
				t.PartitionOf != nil && t.PartitionOf.Schema == c.Object.Schema && t.PartitionOf.Name == c.Object.Table {
				d.changes[i].After = append(d.changes[i].After, det)
			}
		}
	}
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
		if _, ok := cat.Domains[tq]; ok {
			ids = append(ids, domainID(tq))
		}
		if _, ok := cat.Composites[tq]; ok {
			ids = append(ids, compositeID(tq))
		}
		if _, ok := cat.Ranges[tq]; ok {
			ids = append(ids, rangeID(tq))
		}
	}
	for _, sq := range c.SequenceDeps {
		ids = append(ids, sequenceID(sq))
	}
	return ids
}

// inlineConstraint reports whether a constraint can be written inside
// CREATE TABLE; foreign keys and NOT VALID constraints are added afterwards.
func inlineConstraint(c *schema.Constraint) bool {
	return c.Type != schema.ForeignKey && c.Validated
}

// indexBacked reports whether a constraint is enforced by an index of its
// own (primary key, unique, exclusion).
func indexBacked(c *schema.Constraint) bool {
	return c.Type == schema.PrimaryKey || c.Type == schema.Unique || c.Type == schema.Exclusion
}

// inlineConstraints picks the constraints of a new table written inside its
// CREATE TABLE. PostgreSQL merges index-backed constraints of one CREATE
// TABLE that have the same index (transformIndexConstraints): a UNIQUE on
// the primary key's columns, or a second UNIQUE or exclusion constraint
// equal to the first, vanishes with its name. Such a constraint — any
// index-backed one on the same columns as the primary key or as one
// already inlined, a superset of what PostgreSQL merges — is added by its
// own ALTER TABLE after the table instead, where it is kept.
func inlineConstraints(t *schema.Table) map[*schema.Constraint]bool {
	inline := map[*schema.Constraint]bool{}
	if t.PartitionOf != nil {
		return inline
	}
	var keys [][]string
	taken := func(c *schema.Constraint) bool {
		return slices.ContainsFunc(keys, func(k []string) bool { return sameSet(k, c.Columns) })
	}
	// The primary key is the one PostgreSQL keeps, whatever the order.
	for _, c := range t.Constraints {
		if c.Type == schema.PrimaryKey && inlineConstraint(c) {
			inline[c] = true
			keys = append(keys, c.Columns)
		}
	}
	for _, c := range t.Constraints {
		if c.Type == schema.PrimaryKey || !inlineConstraint(c) {
			continue
		}
		if indexBacked(c) {
			if taken(c) {
				continue
			}
			keys = append(keys, c.Columns)
		}
		inline[c] = true
	}
	return inline
}

func (d *differ) createTable(t *schema.Table) {
	var lines []string
	requires := append([]schema.ID{schemaID(t.Schema)}, parentIDs(t)...)
	for _, p := range parentIDs(t) {
		// Columns added to a parent come first, so the new table gets
		// them from it in the parent's order.
		if pt, ok := d.to.Tables[schema.QName{Schema: p.Schema, Name: p.Name}]; ok {
			for _, c := range pt.Columns {
				requires = append(requires, columnID(pt.QName, c.Name))
			}
		}
	}
	for _, c := range t.Columns {
		requires = append(requires, columnRequires(d.to, c)...)
		if !c.Inherited && t.PartitionOf == nil {
			lines = append(lines, columnDefinition(c))
		}
	}
	inlined := inlineConstraints(t)
	inline := func(c *schema.Constraint) bool { return inlined[c] }
	for _, c := range t.Constraints {
		if inline(c) {
			lines = append(lines, "CONSTRAINT "+schema.Ident(c.Name)+" "+c.Definition)
			requires = append(requires, c.Deps...)
		}
	}
	kw := relationKeyword(t)
	if t.Unlogged {
		kw = "UNLOGGED TABLE"
	}
	var sql string
	switch {
	case t.PartitionOf != nil:
		sql = fmt.Sprintf("CREATE %s %s PARTITION OF %s %s", kw, t.Quoted(), t.PartitionOf.Quoted(), t.PartitionBound)
	case len(lines) == 0:
		sql = fmt.Sprintf("CREATE %s %s ()", kw, t.Quoted())
	default:
		sql = fmt.Sprintf("CREATE %s %s (\n    %s\n)", kw, t.Quoted(), strings.Join(lines, ",\n    "))
	}
	if len(t.Inherits) > 0 {
		var parents []string
		for _, p := range t.Inherits {
			parents = append(parents, p.Quoted())
		}
		sql += " INHERITS (" + joinComma(parents) + ")"
	}
	if t.PartitionKey != "" {
		sql += " PARTITION BY " + t.PartitionKey
	}
	if t.Foreign != nil {
		sql += foreignTableSuffix(t.Foreign)
		requires = append(requires, serverID(t.Foreign.Server))
	}
	c := Change{Op: OpCreate, Object: tableID(t.QName), Requires: requires,
		Statements: []Statement{stmt(sql)}}
	if parent, ok := d.to.Tables[derefQName(t.PartitionOf)]; ok && t.PartitionOf != nil {
		c.Statements = append(c.Statements, partitionColumnOptions(t.QName, t, parent)...)
	}
	if t.Comment != "" {
		c.Statements = append(c.Statements, commentStmt(relationKeyword(t)+" "+t.Quoted(), t.Comment))
	}
	for _, col := range t.Columns {
		if col.Comment != "" {
			c.Statements = append(c.Statements, commentStmt(columnTarget(t.QName, col.Name), col.Comment))
		}
	}
	for _, con := range t.Constraints {
		if inline(con) && con.Comment != "" {
			c.Statements = append(c.Statements, commentStmt(constraintTarget(t.QName, con.Name), con.Comment))
		}
	}
	d.add(c)
	for _, con := range t.Constraints {
		if !inline(con) {
			d.add(d.addConstraint(t, con, false))
		}
	}
	for _, ix := range t.Indexes {
		d.add(d.createIndex(ix, false))
	}
	for _, s := range t.Statistics {
		d.add(statisticsCreate(s))
	}
	d.tableSettings(nil, t)
}

// parentIDs lists the tables a table inherits from or is a partition of.
func parentIDs(t *schema.Table) []schema.ID {
	var ids []schema.ID
	if t.PartitionOf != nil {
		ids = append(ids, tableID(*t.PartitionOf))
	}
	for _, p := range t.Inherits {
		ids = append(ids, tableID(p))
	}
	return ids
}

func (d *differ) dropTable(t *schema.Table) {
	requires := append([]schema.ID{schemaID(t.Schema)}, parentIDs(t)...)
	for _, c := range t.Columns {
		requires = append(requires, columnRequires(d.from, c)...)
	}
	// What its constraints and indexes use (functions, types, operator
	// classes of extensions) goes after the table too. Other tables do not:
	// foreign keys between dropped tables are dropped first.
	for _, c := range t.Constraints {
		requires = append(requires, nonRelations(c.Deps)...)
	}
	for _, ix := range t.Indexes {
		requires = append(requires, nonRelations(ix.Deps)...)
	}
	// Foreign keys to other tables are dropped first, so that tables that
	// reference each other can go in any order.
	for _, con := range t.Constraints {
		if con.Type == schema.ForeignKey && con.References != nil && *con.References != t.QName {
			d.add(d.dropConstraint(t, con, false))
		}
	}
	var stmts []Statement
	if parent := t.PartitionOf; parent != nil && d.referencedTree(*parent) {
		if _, kept := d.to.Tables[*parent]; kept {
			// A partition of a table foreign keys reference leaves it
			// first: PostgreSQL checks no row refers to its rows.
			stmts = append(stmts, stmt("ALTER TABLE "+parent.Quoted()+" DETACH PARTITION "+t.Quoted()))
		}
	}
	if t.Foreign != nil {
		// Its rows live on the foreign server.
		requires = append(requires, serverID(t.Foreign.Server))
		stmts = append(stmts, stmt("DROP FOREIGN TABLE "+t.Quoted()))
	} else {
		stmts = append(stmts, stmt("DROP TABLE "+t.Quoted(),
			hazard(HazardDeletesData, "drops table %s and all its rows", t.QName)))
	}
	// Tables that stay stop inheriting from it first.
	after := append(d.keptOwnedSequences(t.QName, ""), d.ownedSequenceUsers(t.QName, "")...)
	for _, child := range d.index(d.from).inheritorsOf(t.QName) {
		if _, kept := d.to.Tables[child.QName]; kept {
			after = append(after, Ref{OpAlter, inheritanceID(child.QName, t.QName)})
		}
	}
	after = append(after, d.foreignKeysIntoTree(t)...)
	d.add(Change{Op: OpDrop, Object: tableID(t.QName), Requires: requires,
		After: after, Statements: stmts})
}

// foreignKeysIntoTree names the drops of foreign keys that reference a
// table partition t is a partition of (at any level): such a key depends on
// every partition of the table it references, so PostgreSQL refuses to drop
// or detach the partition while the key holds rows pointing into it. Keys
// the plan drops go first.
func (d *differ) foreignKeysIntoTree(t *schema.Table) []Ref {
	if t.PartitionOf == nil {
		return nil
	}
	var refs []Ref
	for _, fk := range d.index(d.from).foreignKeysTo(d.partitionChain(*t.PartitionOf)...) {
		refs = append(refs, Ref{OpDrop, constraintID(fk.table, fk.con.Name)})
	}
	return refs
}

// partitionChain returns q and the tables of the current catalog that q
// is a partition of, at any level.
func (d *differ) partitionChain(q schema.QName) []schema.QName {
	var chain []schema.QName
	for p := &q; p != nil && !slices.Contains(chain, *p); {
		chain = append(chain, *p)
		t, ok := d.from.Tables[*p]
		if !ok {
			break
		}
		p = t.PartitionOf
	}
	return chain
}

// inheritanceID identifies table q's inheritance from parent.
func inheritanceID(q, parent schema.QName) schema.ID {
	return schema.ID{Kind: schema.KindInheritance, Schema: q.Schema, Name: q.Name, Table: parent.String()}
}

// referencedTree reports whether a foreign key of the current catalog
// references q or a table q is a partition of.
func (d *differ) referencedTree(q schema.QName) bool {
	return len(d.index(d.from).foreignKeysTo(d.partitionChain(q)...)) > 0
}

func columnTarget(t schema.QName, col string) string {
	return "COLUMN " + t.Quoted() + "." + schema.Ident(col)
}

func constraintTarget(t schema.QName, name string) string {
	return "CONSTRAINT " + schema.Ident(name) + " ON " + t.Quoted()
}

func (d *differ) alterTable(old, t *schema.Table) error {
	if old.PartitionKey != t.PartitionKey {
		// The partitioning of a table cannot change in place, and this
		// one cannot be rebuilt with its rows (see treeRebuildable): it is
		// created again, empty. The sequences it owns and the desired
		// state keeps stay, released before the drop and owned again
		// after.
		release, reown := d.keepOwnedSequences(t.QName)
		d.dropTable(old)
		drop := &d.changes[len(d.changes)-1]
		// The sequences are released by the drop itself.
		drop.After = slices.DeleteFunc(drop.After, func(r Ref) bool { return r.Object.Kind == ownershipID(schema.QName{}).Kind })
		drop.Statements[len(drop.Statements)-1].Hazards = []Hazard{hazard(HazardDeletesData,
			"recreates table %s to change its partitioning from %q to %q: its rows are lost", t.QName, old.PartitionKey, t.PartitionKey)}
		drop.Statements = append(release, drop.Statements...)
		d.createTable(t)
		for i := range d.changes {
			if c := &d.changes[i]; c.Op == OpCreate && c.Object == tableID(t.QName) {
				c.Statements = append(c.Statements, reown...)
				c.Statements = append(c.Statements, rowSecurityStatements(t)...)
			}
		}
		// Its triggers, policies and rules go with it and are created
		// again, never altered.
		if d.rebuilt == nil {
			d.rebuilt = map[schema.QName]bool{}
		}
		d.rebuilt[t.QName] = true
		d.recreateAttached(old)
		return nil
	}
	if foreignTableRecreated(d.from, d.to, old, t) {
		d.breaks(tableID(t.QName))
		d.dropTable(old)
		d.createTable(t)
		return nil
	}
	if needsRebuild(d.from, d.to, old, t) {
		d.rebuildTable(old, t)
		return nil
	}
	d.foreignTableOptions(old, t)
	d.partitioning(old, t)
	d.tableSettings(old, t)
	tc := Change{Op: OpAlter, Object: tableID(t.QName)}
	if old.Unlogged != t.Unlogged {
		mode := "LOGGED"
		if t.Unlogged {
			mode = "UNLOGGED"
		}
		tc.Statements = append(tc.Statements, stmt("ALTER TABLE "+t.Quoted()+" SET "+mode,
			hazard(HazardRewritesTable, "SET %s rewrites table %s", mode, t.QName)))
	}
	if old.Comment != t.Comment {
		tc.Statements = append(tc.Statements, commentStmt(relationKeyword(t)+" "+t.Quoted(), t.Comment))
	}
	if len(tc.Statements) > 0 {
		d.add(tc)
	}
	if err := d.columns(old, t); err != nil {
		return err
	}
	first := len(d.changes)
	if view, detached := d.afterDetach(old, t); detached {
		if err := d.constraints(view, t); err != nil {
			return err
		}
		// The copies the partition holds are its own after the detach.
		detach := Ref{OpDrop, schema.ID{Kind: schema.KindPartition, Schema: old.Schema, Name: old.Name}}
		for i := first; i < len(d.changes); i++ {
			d.changes[i].After = append(d.changes[i].After, detach)
		}
	} else if err := d.constraints(old, t); err != nil {
		return err
	}
	return d.indexes(old, t)
}

func (d *differ) columns(old, t *schema.Table) error {
	keptParent := old.PartitionOf != nil && t.PartitionOf != nil && *old.PartitionOf == *t.PartitionOf
	for _, p := range t.Inherits {
		keptParent = keptParent || slices.Contains(old.Inherits, p)
	}
	if keptParent && t.PartitionOf != nil {
		d.partitionColumns(old, t)
	}
	for _, c := range t.Columns {
		oc := old.Column(c.Name)
		if c.Inherited && keptParent {
			continue // changes through its parent
		}
		if oc == nil {
			d.add(d.addColumn(t, c))
			continue
		}
		if err := d.alterColumn(old, t, oc, c); err != nil {
			return err
		}
	}
	for _, oc := range old.Columns {
		if t.Column(oc.Name) == nil && !(oc.Inherited && keptParent) {
			only := ""
			if d.childKeepsColumn(t.QName, oc.Name) {
				// ONLY leaves the children's copies in place, as their own.
				only = "ONLY "
			}
			d.add(Change{Op: OpDrop, Object: columnID(t.QName, oc.Name),
				Requires: columnRequires(d.from, oc),
				After:    append(d.keptOwnedSequences(t.QName, oc.Name), d.ownedSequenceUsers(t.QName, oc.Name)...),
				Statements: []Statement{stmt(fmt.Sprintf("ALTER TABLE %s%s DROP COLUMN %s", only, t.Quoted(), schema.Ident(oc.Name)),
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
	ch := Change{Op: OpCreate, Object: columnID(t.QName, c.Name),
		Requires:   append([]schema.ID{tableID(t.QName)}, columnRequires(d.to, c)...),
		Statements: []Statement{stmt(fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s", t.Quoted(), columnDefinition(c)), hz...)}}
	if c.Comment != "" {
		ch.Statements = append(ch.Statements, commentStmt(columnTarget(t.QName, c.Name), c.Comment))
	}
	return ch
}

func (d *differ) alterColumn(oldT, t *schema.Table, oc, c *schema.Column) error {
	prefix := alterColumnPrefix(t, c)
	id := columnID(t.QName, c.Name)
	if c.Generated != "" && oc.Generated != c.Generated {
		// PostgreSQL cannot turn a column into a generated one, or change
		// the expression, in place: drop and add it again.
		d.add(Change{Op: OpDrop, Object: id, Requires: columnRequires(d.from, oc),
			After: append(d.keptOwnedSequences(t.QName, c.Name), d.ownedSequenceUsers(t.QName, c.Name)...),
			Statements: []Statement{stmt(fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", t.Quoted(), schema.Ident(c.Name)),
				hazard(HazardDeletesData, "recreates column %s.%s as a generated column; its stored values are recomputed", t.QName, c.Name))}})
		d.add(d.addColumn(t, c))
		return nil
	}
	ch := Change{Op: OpAlter, Object: id}
	// What goes first when the column changes (typeAfter: when its type
	// does); see columnAlterAfter.
	var typeAfter []Ref
	add := func(sql string, hz ...Hazard) { ch.Statements = append(ch.Statements, stmt(prefix()+sql, hz...)) }
	if oc.Generated != "" && c.Generated == "" {
		add("DROP EXPRESSION")
	}
	typeChanged := oc.Type != c.Type || !sameCollation(oc.Collation, c.Collation)
	if oc.Default != "" && (oc.Default != c.Default || typeChanged) {
		add("DROP DEFAULT")
	}
	if typeChanged {
		d.retypes(id)
		// Indexes on the column and foreign keys of other tables to it
		// that are dropped go first too: PostgreSQL would otherwise
		// rebuild their old definitions for the new type.
		for _, ix := range oldT.Indexes {
			if containsString(ix.Columns, c.Name) {
				typeAfter = append(typeAfter, Ref{OpDrop, indexID(ix.QName)})
			}
		}
		for _, fk := range d.index(d.from).foreignKeysTo(t.QName) {
			if containsString(fk.con.RefColumns, c.Name) {
				typeAfter = append(typeAfter, Ref{OpDrop, constraintID(fk.table, fk.con.Name)})
			}
		}
		sql := "TYPE " + c.Type
		if c.Collation != nil {
			sql += " COLLATE " + schema.QualifiedIdent(c.Collation.Schema, c.Collation.Name)
		}
		var cv conversion
		if oc.Type != c.Type && t.Foreign == nil {
			// A foreign table converts nothing: its rows are remote.
			cv = d.convertColumn(t.QName, oc, c)
		}
		if cv.guard != nil {
			ch.Statements = append(ch.Statements, *cv.guard)
		}
		if cv.using != "" {
			sql += " USING " + cv.using
		}
		var hz []Hazard
		if t.Foreign == nil && (!binaryCoercible(oc.Type, c.Type) || !sameCollation(oc.Collation, c.Collation) && oc.Type != c.Type) {
			hz = append(hz, hazard(HazardRewritesTable, "changing %s.%s from %s to %s rewrites the table and its indexes", t.QName, c.Name, oc.Type, c.Type))
		}
		add(sql, append(hz, cv.hazards...)...)
	}
	if c.Default != "" && (oc.Default != c.Default || typeChanged) {
		add("SET DEFAULT " + c.Default)
	}
	if oc.NotNull != c.NotNull && !(c.Identity != schema.IdentityNone && !c.NotNull) {
		if c.NotNull && d.opts.Online && c.Identity == schema.IdentityNone && t.Foreign == nil {
			// A validated CHECK (col IS NOT NULL) lets SET NOT NULL skip
			// its scan; the check is validated without blocking writes.
			check := schema.Ident(schema.TruncateIdent(t.Name + "_" + c.Name + "_not_null"))
			tq := "ALTER TABLE " + t.Quoted() + " "
			ch.Statements = append(ch.Statements,
				stmt(tq+"ADD CONSTRAINT "+check+" CHECK ("+schema.Ident(c.Name)+" IS NOT NULL) NOT VALID"),
				stmt(tq+"VALIDATE CONSTRAINT "+check, hazard(HazardMayFail, "fails if %s.%s holds NULL", t.QName, c.Name)),
				stmt(prefix()+"SET NOT NULL"),
				stmt(tq+"DROP CONSTRAINT "+check))
		} else if c.NotNull && t.Foreign != nil {
			add("SET NOT NULL") // not checked against the remote rows
		} else if c.NotNull {
			add("SET NOT NULL", hazard(HazardLongLock, "SET NOT NULL scans %s under an ACCESS EXCLUSIVE lock", t.QName))
		} else if oc.Identity == schema.IdentityNone || c.Identity == schema.IdentityNone {
			add("DROP NOT NULL")
		}
	}
	ch.Statements = append(ch.Statements, foreignColumnOptions(t, oc, c)...)
	if oc.Comment != c.Comment {
		ch.Statements = append(ch.Statements, commentStmt(columnTarget(t.QName, c.Name), c.Comment))
	}
	if len(ch.Statements) > 0 {
		ch.Requires = columnRequires(d.to, c)
		ch.After = append(columnAlterAfter(oldT, t.QName, c.Name), typeAfter...)
		d.add(ch)
	}
	d.identity(t, oc, c)
	return nil
}

// alterColumnPrefix returns a function rendering "ALTER TABLE t ALTER
// COLUMN c " once, when a statement needs it.
func alterColumnPrefix(t *schema.Table, c *schema.Column) func() string {
	var prefix string
	return func() string {
		if prefix == "" {
			prefix = fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s ", t.Quoted(), schema.Ident(c.Name))
		}
		return prefix
	}
}

// columnAlterAfter lists what goes before the change of column col of
// table t (oldT as it is): the constraints being dropped that cover the
// column (a primary key keeps its columns NOT NULL until it is gone), and
// the drop of its identity.
func columnAlterAfter(oldT *schema.Table, t schema.QName, col string) []Ref {
	var after []Ref
	for _, con := range oldT.Constraints {
		if containsString(con.Columns, col) {
			after = append(after, Ref{OpDrop, constraintID(t, con.Name)})
		}
	}
	return append(after, Ref{OpDrop, identityID(t, col)})
}

// identity changes a column's identity property.
func (d *differ) identity(t *schema.Table, oc, c *schema.Column) {
	prefix := alterColumnPrefix(t, c)
	id := identityID(t.QName, c.Name)
	switch {
	case oc.Identity == c.Identity && c.Identity == schema.IdentityNone:
	case c.Identity == schema.IdentityNone:
		d.add(Change{Op: OpDrop, Object: id,
			Statements: []Statement{stmt(prefix() + "DROP IDENTITY")}})
	case oc.Identity == schema.IdentityNone:
		ch := Change{Op: OpCreate, Object: id,
			After:      []Ref{{OpAlter, columnID(t.QName, c.Name)}},
			Statements: []Statement{stmt(prefix() + "ADD " + identityClause(c)), catchUpIdentity(t.QName, c)}}
		// The identity sequence takes the name a serial sequence had.
		for _, sq := range d.index(d.from).sequencesOwnedBy(t.QName, c.Name) {
			ch.After = append(ch.After, Ref{OpDrop, sequenceID(sq.QName)})
		}
		d.add(ch)
	default:
		ch := Change{Op: OpAlter, Object: id}
		if cur, want := identitySequenceQName(t.QName, oc), identitySequenceQName(t.QName, c); cur != want {
			// Only its name: the schema stays the table's.
			ch.Statements = append(ch.Statements, stmt("ALTER SEQUENCE "+cur.Quoted()+" RENAME TO "+schema.Ident(want.Name)))
		}
		var parts []string
		if oc.Identity != c.Identity {
			if c.Identity == schema.IdentityAlways {
				parts = append(parts, "SET GENERATED ALWAYS")
			} else {
				parts = append(parts, "SET GENERATED BY DEFAULT")
			}
		}
		if oc.IdentitySequence != nil && c.IdentitySequence != nil {
			o, n := *oc.IdentitySequence, *c.IdentitySequence
			parts = append(parts, sequenceChanges(o, n, true)...)
			if o.Start < n.Min || o.Start > n.Max {
				// The sequence's position would fall outside its new bounds.
				parts = append(parts, fmt.Sprintf("RESTART WITH %d", n.Start))
			}
		}
		if len(parts) > 0 {
			ch.Statements = append(ch.Statements, stmt(prefix()+joinSpace(parts)))
		}
		if len(ch.Statements) > 0 {
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
	for _, s := range d.index(d.from).sequencesOwnedBy(t, col) {
		if _, ok := d.to.Sequences[s.QName]; ok {
			refs = append(refs, Ref{OpAlter, ownershipID(s.QName)})
		}
	}
	return refs
}

// ownedSequenceUsers names the changes to the columns (other than the
// owner) whose default uses a sequence that table t (or its column col, when set) owns
// now and that the desired state drops: dropping the owner drops the
// sequence, which PostgreSQL refuses while a default still uses it, so
// those columns change first.
func (d *differ) ownedSequenceUsers(t schema.QName, col string) []Ref {
	var refs []Ref
	ix := d.index(d.from)
	for _, s := range ix.sequencesOwnedBy(t, col) {
		if _, kept := d.to.Sequences[s.QName]; kept {
			continue // released first (keptOwnedSequences)
		}
		for _, u := range ix.usersOfSequence(s.QName) {
			gone := u.table == t && (col == "" || u.col.Name == col) // goes with the owner
			if !gone {
				refs = append(refs, Ref{OpAlter, columnID(u.table, u.col.Name)}, Ref{OpDrop, columnID(u.table, u.col.Name)})
			}
		}
	}
	return refs
}

// afterDetach returns old as DETACH PARTITION leaves it, and true, when t
// stops being a partition of old's parent: the constraints it held as copies
// of its parent's become its own, so those t does not have are dropped
// (after the detach) and those it has stay.
func (d *differ) afterDetach(old, t *schema.Table) (*schema.Table, bool) {
	if old.PartitionOf == nil || t.PartitionOf != nil && *t.PartitionOf == *old.PartitionOf || len(old.ParentConstraints) == 0 {
		return old, false
	}
	view := *old
	view.Constraints = slices.Clone(old.Constraints)
	for _, c := range old.ParentConstraints {
		// The CHECK constraints a partition keeps are planned by
		// detachedChecks.
		if c.Type != schema.Check && old.Constraint(c.Name) == nil {
			view.Constraints = append(view.Constraints, c)
		}
	}
	return &view, true
}

// partitioning attaches, detaches and re-parents a table.
func (d *differ) partitioning(old, t *schema.Table) {
	id := schema.ID{Kind: schema.KindPartition, Schema: t.Schema, Name: t.Name}
	samePartition := old.PartitionOf != nil && t.PartitionOf != nil && *old.PartitionOf == *t.PartitionOf &&
		old.PartitionBound == t.PartitionBound
	if !samePartition {
		if old.PartitionOf != nil {
			// Column changes of the parent reach the partition first, so
			// it still matches the parent when attached again.
			var after []Ref
			rebound := t.PartitionOf != nil && *t.PartitionOf == *old.PartitionOf
			if !rebound {
				// Leaving for good: detach before the parent's columns
				// change, and change this table's own columns instead.
				d.detached = append(d.detached, Ref{OpDrop, id})
			}
			if pt, ok := d.to.Tables[*old.PartitionOf]; ok && rebound {
				for _, c := range pt.Columns {
					after = append(after, Ref{OpCreate, columnID(pt.QName, c.Name)}, Ref{OpAlter, columnID(pt.QName, c.Name)})
				}
			}
			if pt, ok := d.from.Tables[*old.PartitionOf]; ok && rebound {
				for _, c := range pt.Columns {
					after = append(after, Ref{OpDrop, columnID(pt.QName, c.Name)})
				}
			}
			d.add(Change{Op: OpDrop, Object: id, Requires: []schema.ID{tableID(*old.PartitionOf)}, After: after,
				Statements: []Statement{stmt(fmt.Sprintf("ALTER TABLE %s DETACH PARTITION %s", old.PartitionOf.Quoted(), t.Quoted()))}})
		}
		if t.PartitionOf != nil {
			requires := []schema.ID{tableID(*t.PartitionOf), tableID(t.QName)}
			for _, c := range t.Columns {
				requires = append(requires, columnID(t.QName, c.Name))
			}
			checks, after := d.checksForAttach(old, t)
			d.add(Change{Op: OpCreate, Object: id, Requires: requires, After: after,
				Statements: append(checks, stmt(fmt.Sprintf("ALTER TABLE %s ATTACH PARTITION %s %s", t.PartitionOf.Quoted(), t.Quoted(), t.PartitionBound),
					hazard(HazardLongLock, "attaching %s scans it to check the partition bound", t.QName)))})
		}
	}
	for _, p := range old.Inherits {
		if !slices.Contains(t.Inherits, p) {
			d.add(Change{Op: OpAlter, Object: inheritanceID(t.QName, p),
				Aspect: AspectUnlink, Statements: []Statement{stmt(fmt.Sprintf("ALTER TABLE %s NO INHERIT %s", t.Quoted(), p.Quoted()))}})
		}
	}
	for _, p := range t.Inherits {
		if !slices.Contains(old.Inherits, p) {
			d.add(Change{Op: OpAlter, Object: inheritanceID(t.QName, p),
				Requires:   []schema.ID{tableID(p)},
				Statements: []Statement{stmt(fmt.Sprintf("ALTER TABLE %s INHERIT %s", t.Quoted(), p.Quoted()))}})
		}
	}
}

// childKeepsColumn reports whether a table inheriting from parent keeps
// column col as a column of its own in the desired state.
func (d *differ) childKeepsColumn(parent schema.QName, col string) bool {
	for _, t := range d.index(d.to).inheritorsOf(parent) {
		if c := t.Column(col); c != nil && !c.Inherited {
			return true
		}
	}
	return false
}

// nonRelations leaves out tables and the objects they own.
func nonRelations(ids []schema.ID) []schema.ID {
	return slices.DeleteFunc(slices.Clone(ids), func(id schema.ID) bool {
		switch id.Kind {
		case schema.KindTable, schema.KindColumn, schema.KindConstraint, schema.KindIndex:
			return true
		}
		return false
	})
}
