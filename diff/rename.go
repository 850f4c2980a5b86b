package diff

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/schema"
)

// applyRenames turns rename hints into RENAME statements and plans the rest
// against a copy of the current catalog in which the objects already carry
// their new names. A hint whose new name exists already has been applied
// before, and one whose old object is gone refers to history: both are
// no-ops. A hint the diff cannot carry out (a kind it does not rename, or
// an old object the desired state still has) is an error at the hint.
// Sequences owned by a column follow the column's table and column under
// the names the desired state gives them (followOwnedSequences).
func (d *differ) applyRenames() error {
	from := *d.from
	from.Tables = maps.Clone(d.from.Tables)
	from.Enums = maps.Clone(d.from.Enums)
	from.Sequences = maps.Clone(d.from.Sequences)
	from.Views = maps.Clone(d.from.Views)
	from.Schemas = maps.Clone(d.from.Schemas)
	d.from = &from
	hints := slices.Clone(d.opts.Renames)
	slices.SortStableFunc(hints, func(a, b schema.Rename) int {
		return cmp.Compare(renameOrder(a.Kind), renameOrder(b.Kind))
	})
	touched := map[schema.QName]bool{}
	for _, r := range hints {
		if err := d.applyRename(r); err != nil {
			return fmt.Errorf("%s:%d: renaming %s from %s: %w", r.File, r.Line, r.ID(), r.FromID(), err)
		}
		switch r.Kind {
		case schema.KindTable:
			touched[schema.QName{Schema: r.Schema, Name: r.Name}] = true
		case schema.KindColumn:
			touched[schema.QName{Schema: r.Schema, Name: r.Table}] = true
		}
	}
	for _, q := range schema.SortedQNames(touched) {
		d.renameDerivedNames(q)
	}
	d.followOwnedSequences()
	return nil
}

// renameOrder ranks hints: schemas first, since every other hint names its
// object in the new schema; then tables and enums, since hints for columns,
// constraints and labels name their new owner; then the rest.
func renameOrder(k schema.Kind) int {
	switch k {
	case schema.KindSchema:
		return 0
	case schema.KindTable, schema.KindEnum:
		return 1
	}
	return 2
}

// rename adds a RENAME statement of the object now called id.
func (d *differ) rename(id schema.ID, sql string) {
	d.add(Change{Op: OpAlter, Object: schema.ID{Kind: schema.KindRename, Schema: id.Schema, Table: id.Table, Name: id.Name},
		Statements: []Statement{stmt(sql)}})
}

// errRenameKind is the error of a hint on an object of a kind that the diff
// cannot rename.
var errRenameKind = errors.New("objects of this kind cannot be renamed by a hint")

func (d *differ) applyRename(r schema.Rename) error {
	oldQ, newQ := schema.QName{Schema: r.Schema, Name: r.From}, schema.QName{Schema: r.Schema, Name: r.Name}
	if r.FromSchema != "" {
		if r.Kind != schema.KindTable {
			return errors.New("only a table moves to another schema by a hint")
		}
		oldQ.Schema = r.FromSchema
	}
	if !renameable(r.Kind) {
		return errRenameKind
	}
	switch oldID, newID := r.FromID(), r.ID(); {
	case !has(d.from, oldID) || has(d.from, newID) || !has(d.to, newID):
		// Carried out before, or the old object is gone: the hint is
		// history.
		return nil
	case has(d.to, oldID):
		return fmt.Errorf("the desired state still has %s: renaming it would leave that one to be created empty (drop the hint if they are different objects)", oldID)
	}
	switch r.Kind {
	case schema.KindSchema:
		d.rename(schemaID(r.Name), fmt.Sprintf("ALTER SCHEMA %s RENAME TO %s", schema.Ident(r.From), schema.Ident(r.Name)))
		d.from = renameSchemaIn(d.from, r.From, r.Name)
	case schema.KindTable:
		if r.FromSchema != "" {
			return d.moveTable(oldQ, newQ)
		}
		d.renameTable(oldQ, newQ)
	case schema.KindColumn, schema.KindConstraint:
		tq := schema.QName{Schema: r.Schema, Name: r.Table}
		t := d.from.Tables[tq]
		if r.Kind == schema.KindColumn {
			d.rename(columnID(tq, r.Name), fmt.Sprintf("ALTER TABLE %s RENAME COLUMN %s TO %s", tq.Quoted(), schema.Ident(r.From), schema.Ident(r.Name)))
			ct := copyTable(t)
			for i, c := range ct.Columns {
				switch {
				case c.Name == r.From:
					nc := *pinIdentitySequence(tq, c)
					nc.Name = r.Name
					ct.Columns[i] = &nc
				case c.Generated != "":
					nc := *c
					nc.Generated = replaceIdent(c.Generated, r.From, r.Name)
					ct.Columns[i] = &nc
				}
			}
			renameColumnIn(ct, r.From, r.Name)
			for _, c := range ct.Constraints {
				c.Columns = replaceName(c.Columns, r.From, r.Name)
				c.Definition = replaceIdent(c.Definition, r.From, r.Name)
			}
			for _, ix := range ct.Indexes {
				ix.Columns = replaceName(ix.Columns, r.From, r.Name)
				ix.Include = replaceName(ix.Include, r.From, r.Name)
				editIndexExprs(ix, func(sql string) string { return replaceIdent(sql, r.From, r.Name) })
			}
			// Foreign keys elsewhere name the column among their references.
			for q, other := range d.from.Tables {
				for i, c := range other.Constraints {
					if c.References != nil && *c.References == tq && slices.Contains(c.RefColumns, r.From) {
						ot := copyTable(other)
						nc := ot.Constraints[i]
						nc.RefColumns = replaceName(c.RefColumns, r.From, r.Name)
						nc.Definition = replaceIdent(c.Definition, r.From, r.Name)
						d.from.Tables[q], other = ot, ot
					}
				}
			}
			d.from.Tables[tq] = ct
			d.reownSequences(tq, r.From, tq, r.Name)
			return nil
		}
		d.rename(constraintID(tq, r.Name), fmt.Sprintf("ALTER TABLE %s RENAME CONSTRAINT %s TO %s", tq.Quoted(), schema.Ident(r.From), schema.Ident(r.Name)))
		ct := copyTable(t)
		for _, c := range ct.Constraints {
			if c.Name == r.From {
				c.Name = r.Name
				if backedByIndex(c) {
					renameIndexUses(ct, r.From, r.Name)
				}
			}
		}
		d.from.Tables[tq] = ct
	case schema.KindIndex:
		d.rename(indexID(newQ), fmt.Sprintf("ALTER INDEX %s RENAME TO %s", oldQ.Quoted(), schema.Ident(r.Name)))
		rename := func(ix *schema.Index) {
			ix.QName = newQ
		}
		for q, t := range d.from.Tables {
			if i := slices.IndexFunc(t.Indexes, func(ix *schema.Index) bool { return ix.QName == oldQ }); i >= 0 {
				ct := copyTable(t)
				rename(ct.Indexes[i])
				renameIndexUses(ct, r.From, r.Name)
				d.from.Tables[q] = ct
				return nil
			}
		}
		// An index on a materialized view.
		for q, v := range d.from.Views {
			if i := slices.IndexFunc(v.Indexes, func(ix *schema.Index) bool { return ix.QName == oldQ }); i >= 0 {
				nv := *v
				nv.Indexes = slices.Clone(v.Indexes)
				nix := *v.Indexes[i]
				rename(&nix)
				nv.Indexes[i] = &nix
				d.from.Views[q] = &nv
				return nil
			}
		}
	case schema.KindEnum:
		e := d.from.Enums[oldQ]
		d.rename(enumID(newQ), fmt.Sprintf("ALTER TYPE %s RENAME TO %s", oldQ.Quoted(), schema.Ident(r.Name)))
		ne := *e
		ne.QName = newQ
		delete(d.from.Enums, oldQ)
		d.from.Enums[newQ] = &ne
		d.retypeColumns(oldQ, newQ)
	case schema.KindEnumValue:
		eq := schema.QName{Schema: r.Schema, Name: r.Table}
		e := d.from.Enums[eq]
		d.rename(schema.ID{Kind: schema.KindEnumValue, Schema: r.Schema, Table: r.Table, Name: r.Name},
			fmt.Sprintf("ALTER TYPE %s RENAME VALUE %s TO %s", eq.Quoted(), schema.Literal(r.From), schema.Literal(r.Name)))
		ce := *e
		ce.Values = replaceName(e.Values, r.From, r.Name)
		d.from.Enums[eq] = &ce
		// Defaults holding the old label now print the new one.
		for q, t := range d.from.Tables {
			for i, c := range t.Columns {
				if def := relabelEnumLiterals(c.Default, eq, r.From, r.Name); def != c.Default {
					ct := copyTable(t)
					nc := *c
					nc.Default = def
					ct.Columns[i] = &nc
					d.from.Tables[q], t = ct, ct
				}
			}
		}
	case schema.KindSequence:
		d.renameSequence(oldQ, newQ)
	case schema.KindView, schema.KindMaterializedView:
		v := d.from.Views[oldQ]
		kw := "VIEW"
		if v.Materialized {
			kw = "MATERIALIZED VIEW"
		}
		d.rename(v.ID(), fmt.Sprintf("ALTER %s %s RENAME TO %s", kw, oldQ.Quoted(), schema.Ident(r.Name)))
		nv := *v
		nv.QName = newQ
		delete(d.from.Views, oldQ)
		d.from.Views[newQ] = &nv
	}
	return nil
}

// renameTable renames table oldQ to newQ in the same schema.
func (d *differ) renameTable(oldQ, newQ schema.QName) {
	d.rename(tableID(newQ), fmt.Sprintf("ALTER TABLE %s RENAME TO %s", oldQ.Quoted(), schema.Ident(newQ.Name)))
	nt := copyTable(d.from.Tables[oldQ])
	nt.QName = newQ
	for i, c := range nt.Columns {
		nt.Columns[i] = pinIdentitySequence(oldQ, c)
	}
	moveTableObjects(nt, oldQ, newQ)
	delete(d.from.Tables, oldQ)
	d.from.Tables[newQ] = nt
	d.renameImplicitNames(nt, oldQ.Name, newQ.Name)
	d.retargetReferences(oldQ, newQ)
	d.reownSequences(oldQ, "", newQ, "")
}

// moveTable moves table oldQ to the schema of newQ, and renames it to
// newQ's name. PostgreSQL moves the table's indexes, constraints and owned
// sequences with it; the schema is created first if it is new.
func (d *differ) moveTable(oldQ, newQ schema.QName) error {
	if d.from.Schemas[newQ.Schema] == nil {
		d.rename(schemaID(newQ.Schema), "CREATE SCHEMA "+schema.Ident(newQ.Schema))
		d.from.Schemas[newQ.Schema] = &schema.Schema{Name: newQ.Schema}
	}
	moved := schema.QName{Schema: newQ.Schema, Name: oldQ.Name}
	renamed := schema.QName{Schema: oldQ.Schema, Name: newQ.Name}
	renameFirst := oldQ.Name != newQ.Name && relationTaken(d.from, moved)
	if renameFirst {
		if relationTaken(d.from, renamed) {
			return fmt.Errorf("%s and %s are both taken in the current database: move and rename the table in two steps", moved, renamed)
		}
		d.renameTable(oldQ, renamed)
		oldQ, moved = renamed, newQ
	}
	d.rename(tableID(moved), fmt.Sprintf("ALTER TABLE %s SET SCHEMA %s", oldQ.Quoted(), schema.Ident(newQ.Schema)))
	nt := copyTable(d.from.Tables[oldQ])
	nt.QName = moved
	for i, c := range nt.Columns {
		if c.IdentitySequenceName != nil && c.IdentitySequenceName.Schema == oldQ.Schema {
			nc := *c
			nc.IdentitySequenceName = &schema.QName{Schema: newQ.Schema, Name: c.IdentitySequenceName.Name}
			nt.Columns[i] = &nc
		}
	}
	for _, ix := range nt.Indexes {
		ix.Schema = moved.Schema
	}
	moveTableObjects(nt, oldQ, moved)
	delete(d.from.Tables, oldQ)
	d.from.Tables[moved] = nt
	d.retargetReferences(oldQ, moved)
	for _, q := range schema.SortedQNames(d.from.Sequences) {
		if o := d.from.Sequences[q].OwnedBy; o != nil && o.Table == oldQ {
			d.relabelSequence(q, schema.QName{Schema: moved.Schema, Name: q.Name})
		}
	}
	d.reownSequences(oldQ, "", moved, "")
	if !renameFirst && moved != newQ {
		d.renameTable(moved, newQ)
	}
	return nil
}

// relationTaken reports whether q names a relation or a type in cat: a
// table takes the name in both.
func relationTaken(cat *schema.Catalog, q schema.QName) bool {
	return cat.Tables[q] != nil || cat.Views[q] != nil || cat.Sequences[q] != nil || findIndex(cat, q) != nil ||
		cat.Enums[q] != nil || cat.Domains[q] != nil || cat.Composites[q] != nil || cat.Ranges[q] != nil
}

// retargetReferences points the foreign keys that reference table oldQ at
// newQ.
func (d *differ) retargetReferences(oldQ, newQ schema.QName) {
	for q, other := range d.from.Tables {
		for i, c := range other.Constraints {
			if c.References != nil && *c.References == oldQ {
				ot := copyTable(other)
				nc := *c
				nc.References = &newQ
				nc.Definition = renameQualified(nc.Definition, oldQ, newQ)
				ot.Constraints[i] = &nc
				d.from.Tables[q], other = ot, ot
			}
		}
	}
}

// renameable reports whether the diff renames objects of kind k by hints.
func renameable(k schema.Kind) bool {
	switch k {
	case schema.KindSchema, schema.KindTable, schema.KindColumn, schema.KindConstraint, schema.KindIndex,
		schema.KindEnum, schema.KindEnumValue, schema.KindSequence, schema.KindView, schema.KindMaterializedView:
		return true
	}
	return false
}

// has reports whether cat holds the object id of a renameable kind. Enum
// labels are found under their type, in id.Table.
func has(cat *schema.Catalog, id schema.ID) bool {
	q := schema.QName{Schema: id.Schema, Name: id.Name}
	owner := schema.QName{Schema: id.Schema, Name: id.Table}
	switch id.Kind {
	case schema.KindSchema:
		return cat.Schemas[id.Name] != nil
	case schema.KindTable:
		return cat.Tables[q] != nil
	case schema.KindColumn:
		t := cat.Tables[owner]
		return t != nil && t.Column(id.Name) != nil
	case schema.KindConstraint:
		t := cat.Tables[owner]
		return t != nil && t.Constraint(id.Name) != nil
	case schema.KindIndex:
		return findIndex(cat, q) != nil
	case schema.KindEnum:
		return cat.Enums[q] != nil
	case schema.KindEnumValue:
		e := cat.Enums[owner]
		return e != nil && slices.Contains(e.Values, id.Name)
	case schema.KindSequence:
		return cat.Sequences[q] != nil
	case schema.KindView, schema.KindMaterializedView:
		return cat.Views[q] != nil
	}
	return false
}

// moveTableObjects points the indexes, triggers, rules, policies and
// statistics of table t, renamed from oldQ, at its new name newQ.
func moveTableObjects(t *schema.Table, oldQ, newQ schema.QName) {
	for _, ix := range t.Indexes {
		ix.Table = newQ
		editIndexExprs(ix, func(sql string) string { return renameQualified(sql, oldQ, newQ) })
	}
	t.Triggers = slices.Clone(t.Triggers)
	for i, tr := range t.Triggers {
		ntr := *tr
		ntr.Table, ntr.Definition = newQ, renameQualified(tr.Definition, oldQ, newQ)
		t.Triggers[i] = &ntr
	}
	t.Rules = slices.Clone(t.Rules)
	for i, ru := range t.Rules {
		nru := *ru
		nru.Table, nru.Definition = newQ, renameQualified(ru.Definition, oldQ, newQ)
		t.Rules[i] = &nru
	}
	t.Policies = slices.Clone(t.Policies)
	for i, p := range t.Policies {
		np := *p
		np.Table = newQ
		t.Policies[i] = &np
	}
	t.Statistics = slices.Clone(t.Statistics)
	for i, st := range t.Statistics {
		nst := *st
		nst.Table, nst.Definition = newQ, renameQualified(st.Definition, oldQ, newQ)
		t.Statistics[i] = &nst
	}
}

// renameColumnIn rewrites the column name old to new in the definitions of
// table t's triggers, policies and statistics, as PostgreSQL prints them
// after the rename.
func renameColumnIn(t *schema.Table, old, new string) {
	t.Triggers = slices.Clone(t.Triggers)
	for i, tr := range t.Triggers {
		ntr := *tr
		ntr.Definition = replaceIdent(tr.Definition, old, new)
		t.Triggers[i] = &ntr
	}
	t.Policies = slices.Clone(t.Policies)
	for i, p := range t.Policies {
		np := *p
		np.Using, np.Check = replaceIdent(p.Using, old, new), replaceIdent(p.Check, old, new)
		t.Policies[i] = &np
	}
	t.Statistics = slices.Clone(t.Statistics)
	for i, st := range t.Statistics {
		nst := *st
		nst.Definition = replaceIdent(st.Definition, old, new)
		t.Statistics[i] = &nst
	}
}

// pinIdentitySequence returns c with the name of its identity sequence
// written out when PostgreSQL derived it from the names of table t and c:
// renaming the table or the column keeps the sequence's name, and the
// identity change renames the sequence when the desired state wants
// another.
func pinIdentitySequence(t schema.QName, c *schema.Column) *schema.Column {
	if c.Identity == schema.IdentityNone || c.IdentitySequenceName != nil {
		return c
	}
	nc := *c
	nc.IdentitySequenceName = &schema.QName{Schema: t.Schema, Name: schema.IdentitySequenceDefaultName(t.Name, c.Name)}
	return &nc
}

// reownSequences points the sequences owned by table oldT (by its column
// oldCol when set) at newT (and newCol).
func (d *differ) reownSequences(oldT schema.QName, oldCol string, newT schema.QName, newCol string) {
	for q, s := range d.from.Sequences {
		o := s.OwnedBy
		if o == nil || o.Table != oldT || oldCol != "" && o.Column != oldCol {
			continue
		}
		ns := *s
		ns.OwnedBy = &schema.ColumnRef{Table: newT, Column: o.Column}
		if oldCol != "" {
			ns.OwnedBy.Column = newCol
		}
		d.from.Sequences[q] = &ns
	}
}

// followOwnedSequences renames a sequence that a column owns, once renames
// are followed, when the desired state has the column own one sequence
// under another name in the same schema: it is the same sequence (a serial
// column's sequence is named after its table and column), and dropping it
// for a new one would start the column's values over. The desired
// sequence's parameters, if they differ, are then altered as usual.
func (d *differ) followOwnedSequences() {
	owned := func(cat, other *schema.Catalog, o schema.ColumnRef, sch string) []schema.QName {
		var out []schema.QName
		for _, q := range schema.SortedQNames(cat.Sequences) {
			s := cat.Sequences[q]
			if s.OwnedBy != nil && *s.OwnedBy == o && q.Schema == sch && other.Sequences[q] == nil {
				out = append(out, q)
			}
		}
		return out
	}
	for _, q := range schema.SortedQNames(d.from.Sequences) {
		s := d.from.Sequences[q]
		if s == nil || s.OwnedBy == nil || d.to.Sequences[q] != nil {
			continue
		}
		olds := owned(d.from, d.to, *s.OwnedBy, q.Schema)
		news := owned(d.to, d.from, *s.OwnedBy, q.Schema)
		if len(olds) == 1 && len(news) == 1 {
			d.renameSequence(q, news[0])
		}
	}
}

// renameSequence renames sequence oldQ to newQ (in the same schema), with
// the column defaults that use it.
func (d *differ) renameSequence(oldQ, newQ schema.QName) {
	d.rename(sequenceID(newQ), fmt.Sprintf("ALTER SEQUENCE %s RENAME TO %s", oldQ.Quoted(), schema.Ident(newQ.Name)))
	d.relabelSequence(oldQ, newQ)
}

// relabelSequence records in the current catalog that sequence oldQ is
// now called newQ, in column defaults too.
func (d *differ) relabelSequence(oldQ, newQ schema.QName) {
	ns := *d.from.Sequences[oldQ]
	ns.QName = newQ
	delete(d.from.Sequences, oldQ)
	d.from.Sequences[newQ] = &ns
	// nextval('schema.name'::regclass) prints the sequence's new name.
	for q, t := range d.from.Tables {
		var ct *schema.Table
		for i, c := range t.Columns {
			if !slices.Contains(c.SequenceDeps, oldQ) {
				continue
			}
			if ct == nil {
				ct = copyTable(t)
			}
			nc := *c
			nc.SequenceDeps = replaceQName(c.SequenceDeps, oldQ, newQ)
			nc.Default = renameQualified(c.Default, oldQ, newQ)
			ct.Columns[i] = &nc
		}
		if ct != nil {
			d.from.Tables[q] = ct
		}
	}
}

// retypeColumns points columns of the renamed enum old at its new name.
func (d *differ) retypeColumns(old, new schema.QName) {
	for q, t := range d.from.Tables {
		var ct *schema.Table
		for i, c := range t.Columns {
			if !slices.Contains(c.TypeDeps, old) {
				continue
			}
			if ct == nil {
				ct = copyTable(t)
			}
			nc := *c
			nc.TypeDeps = replaceQName(c.TypeDeps, old, new)
			nc.Type = renameQualified(c.Type, old, new)
			nc.Default = renameQualified(c.Default, old, new)
			ct.Columns[i] = &nc
		}
		if ct != nil {
			d.from.Tables[q] = ct
		}
	}
}

// copyTable copies a table and the slices and elements a rename changes.
func copyTable(t *schema.Table) *schema.Table {
	nt := *t
	nt.Columns = slices.Clone(t.Columns)
	nt.Constraints = make([]*schema.Constraint, len(t.Constraints))
	for i, c := range t.Constraints {
		nc := *c
		nt.Constraints[i] = &nc
	}
	nt.Indexes = make([]*schema.Index, len(t.Indexes))
	for i, ix := range t.Indexes {
		nix := *ix
		nt.Indexes[i] = &nix
	}
	return &nt
}

func replaceName(list []string, old, new string) []string {
	out := slices.Clone(list)
	for i, v := range out {
		if v == old {
			out[i] = new
		}
	}
	return out
}

func replaceQName(list []schema.QName, old, new schema.QName) []schema.QName {
	out := slices.Clone(list)
	for i, v := range out {
		if v == old {
			out[i] = new
		}
	}
	return out
}

// ReverseRenames turns hints for a plan from A to B into hints for the plan
// from B back to A: each object is renamed (or moved) back, and objects are
// found under their schema's and owner's names in A (columns, constraints
// and enum labels under their table or type).
func ReverseRenames(hints []schema.Rename) []schema.Rename {
	schemas := map[string]string{}
	for _, h := range hints {
		if h.Kind == schema.KindSchema {
			schemas[h.Name] = h.From
		}
	}
	// oldSchema is the schema in A of an object hint h names.
	oldSchema := func(h schema.Rename) string {
		if h.FromSchema != "" {
			return h.FromSchema
		}
		if old, ok := schemas[h.Schema]; ok {
			return old
		}
		return h.Schema
	}
	owners := map[schema.QName]schema.QName{}
	for _, h := range hints {
		if h.Kind == schema.KindTable || h.Kind == schema.KindEnum {
			owners[schema.QName{Schema: h.Schema, Name: h.Name}] = schema.QName{Schema: oldSchema(h), Name: h.From}
		}
	}
	out := make([]schema.Rename, len(hints))
	for i, h := range hints {
		r := h
		r.Name, r.From = h.From, h.Name
		if h.Kind != schema.KindSchema {
			r.Schema = oldSchema(h)
		}
		if h.FromSchema != "" {
			r.FromSchema = h.Schema
		}
		if old, ok := owners[schema.QName{Schema: h.Schema, Name: h.Table}]; ok && h.Table != "" {
			r.Schema, r.Table = old.Schema, old.Name
		}
		out[i] = r
	}
	return out
}

// renameImplicitNames renames the constraints and indexes of a renamed table
// whose names PostgreSQL derived from the old table name (t_pkey,
// t_col_key, t_col_idx, ...) when the desired state has the same object
// under the name derived from the new table name.
func (d *differ) renameImplicitNames(t *schema.Table, oldTable, newTable string) {
	want := d.to.Tables[t.QName]
	for _, c := range t.Constraints {
		suffix, ok := strings.CutPrefix(c.Name, oldTable+"_")
		if !ok || want.Constraint(c.Name) != nil {
			continue
		}
		name := schema.TruncateIdent(newTable + "_" + suffix)
		if nc := want.Constraint(name); nc != nil && nc.Type == c.Type && t.Constraint(name) == nil {
			d.rename(constraintID(t.QName, name), fmt.Sprintf("ALTER TABLE %s RENAME CONSTRAINT %s TO %s", t.Quoted(), schema.Ident(c.Name), schema.Ident(name)))
			if backedByIndex(c) {
				renameIndexUses(t, c.Name, name)
			}
			c.Name = name
		}
	}
	for _, ix := range t.Indexes {
		suffix, ok := strings.CutPrefix(ix.Name, oldTable+"_")
		newQ := schema.QName{Schema: ix.Schema, Name: schema.TruncateIdent(newTable + "_" + suffix)}
		if !ok || findIndex(d.to, ix.QName) != nil || findIndex(d.to, newQ) == nil || findIndex(d.from, newQ) != nil {
			continue
		}
		d.rename(indexID(newQ), fmt.Sprintf("ALTER INDEX %s RENAME TO %s", ix.Quoted(), schema.Ident(newQ.Name)))
		renameIndexUses(t, ix.Name, newQ.Name)
		ix.QName = newQ
	}
}

// renameDerivedNames renames the constraints and indexes of table q, which
// was renamed or had columns renamed, that the desired state has with the
// same definition under another name: names PostgreSQL derived from the old
// table and column names (t_col_check, t_col_idx, ...). Dropping and
// creating them again would rebuild indexes and validate every row.
func (d *differ) renameDerivedNames(q schema.QName) {
	cur, want := d.from.Tables[q], d.to.Tables[q]
	if cur == nil || want == nil {
		return
	}
	var ct *schema.Table
	for i, c := range cur.Constraints {
		if want.Constraint(c.Name) != nil {
			continue
		}
		match := func(w *schema.Constraint) bool {
			return w.Type == c.Type && w.Definition == c.Definition && cur.Constraint(w.Name) == nil
		}
		if w := onlyOne(want.Constraints, match); w != nil && onlyOne(cur.Constraints, func(o *schema.Constraint) bool {
			return o.Type == w.Type && o.Definition == w.Definition && want.Constraint(o.Name) == nil
		}) != nil {
			d.rename(constraintID(q, w.Name), fmt.Sprintf("ALTER TABLE %s RENAME CONSTRAINT %s TO %s", q.Quoted(), schema.Ident(c.Name), schema.Ident(w.Name)))
			if ct == nil {
				ct = copyTable(cur)
			}
			if backedByIndex(c) {
				renameIndexUses(ct, c.Name, w.Name)
			}
			ct.Constraints[i].Name = w.Name
		}
	}
	if ct != nil {
		d.from.Tables[q], cur = ct, ct
	}
	for i, ix := range cur.Indexes {
		if findIndex(d.to, ix.QName) != nil {
			continue
		}
		match := func(w *schema.Index) bool { return sameIndexShape(w, ix) && findIndex(d.from, w.QName) == nil }
		if w := onlyOne(want.Indexes, match); w != nil && onlyOne(cur.Indexes, func(o *schema.Index) bool {
			return sameIndexShape(o, w) && findIndex(d.to, o.QName) == nil
		}) != nil {
			d.rename(indexID(w.QName), fmt.Sprintf("ALTER INDEX %s RENAME TO %s", ix.Quoted(), schema.Ident(w.Name)))
			ct := copyTable(cur)
			nix := ct.Indexes[i]
			nix.QName = w.QName
			renameIndexUses(ct, ix.Name, w.Name)
			d.from.Tables[q], cur = ct, ct
		}
	}
}

// renameIndexUses points the REPLICA IDENTITY and CLUSTER ON of table t,
// whose index old is renamed to new, at the new name.
func renameIndexUses(t *schema.Table, old, new string) {
	if t.ReplicaIdentity.Kind == schema.ReplicaIndex && t.ReplicaIdentity.Index == old {
		t.ReplicaIdentity.Index = new
	}
	if t.ClusterOn == old {
		t.ClusterOn = new
	}
}

// backedByIndex reports whether constraint c has an index of its name:
// primary keys, unique and exclusion constraints.
func backedByIndex(c *schema.Constraint) bool {
	return c.Type == schema.PrimaryKey || c.Type == schema.Unique || c.Type == schema.Exclusion
}

// onlyOne returns the one element of list that match accepts, or nil when
// none or several do.
func onlyOne[T any](list []*T, match func(*T) bool) *T {
	var found *T
	for _, v := range list {
		if match(v) {
			if found != nil {
				return nil
			}
			found = v
		}
	}
	return found
}

// replaceIdent replaces the identifier old with new in SQL text printed by
// PostgreSQL, outside string literals.
func replaceIdent(sql, old, new string) string {
	var b strings.Builder
	quotedOld := pgx.Identifier{old}.Sanitize()
	isIdent := func(c byte) bool {
		return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80
	}
	for i := 0; i < len(sql); {
		switch c := sql[i]; {
		case c == '\'':
			j := i + 1
			for j < len(sql) && (sql[j] != '\'' || j+1 < len(sql) && sql[j+1] == '\'') {
				if sql[j] == '\'' {
					j++
				}
				j++
			}
			b.WriteString(sql[i:min(j+1, len(sql))])
			i = j + 1
		case strings.HasPrefix(sql[i:], quotedOld):
			b.WriteString(schema.Ident(new))
			i += len(quotedOld)
		case c == '"':
			j := strings.IndexByte(sql[i+1:], '"')
			if j < 0 {
				b.WriteString(sql[i:])
				return b.String()
			}
			b.WriteString(sql[i : i+j+2])
			i += j + 2
		case isIdent(c) && (i == 0 || !isIdent(sql[i-1])):
			j := i
			for j < len(sql) && isIdent(sql[j]) {
				j++
			}
			if sql[i:j] == old && schema.Ident(old) == old {
				b.WriteString(schema.Ident(new))
			} else {
				b.WriteString(sql[i:j])
			}
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}
