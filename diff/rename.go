package diff

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// phaseRename runs renames before everything else: later changes name the
// objects by their new names.
const phaseRename = -1

// applyRenames turns rename hints into RENAME statements and plans the rest
// against a copy of the current catalog in which the objects already carry
// their new names. A hint whose old object is gone, or whose new name is
// taken already, has been applied before and is ignored.
func (d *differ) applyRenames() {
	if len(d.opts.Renames) == 0 {
		return
	}
	from := *d.from
	from.Tables = maps.Clone(d.from.Tables)
	from.Enums = maps.Clone(d.from.Enums)
	from.Sequences = maps.Clone(d.from.Sequences)
	from.Views = maps.Clone(d.from.Views)
	d.from = &from
	// Tables first: hints for columns and constraints name the new table.
	hints := slices.Clone(d.opts.Renames)
	slices.SortStableFunc(hints, func(a, b schema.Rename) int {
		return compareBool(a.Kind != schema.KindTable, b.Kind != schema.KindTable)
	})
	for _, r := range hints {
		d.applyRename(r)
	}
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

func (d *differ) rename(id schema.ID, sql string) {
	d.add(Change{Op: OpAlter, Object: schema.ID{Kind: "rename", Schema: id.Schema, Table: id.Table, Name: id.Name},
		Phase: phaseRename, Statements: []Statement{stmt(sql)}})
}

func (d *differ) applyRename(r schema.Rename) {
	oldQ, newQ := schema.QName{Schema: r.Schema, Name: r.From}, schema.QName{Schema: r.Schema, Name: r.Name}
	switch r.Kind {
	case schema.KindTable:
		t, ok := d.from.Tables[oldQ]
		if _, taken := d.from.Tables[newQ]; !ok || taken || d.to.Tables[newQ] == nil {
			return
		}
		d.rename(tableID(newQ), fmt.Sprintf("ALTER TABLE %s RENAME TO %s", oldQ.Quoted(), schema.Ident(r.Name)))
		nt := copyTable(t)
		nt.QName = newQ
		for _, ix := range nt.Indexes {
			ix.Table = newQ
			ix.Definition = strings.Replace(ix.Definition, " ON "+oldQ.Quoted()+" ", " ON "+newQ.Quoted()+" ", 1)
		}
		delete(d.from.Tables, oldQ)
		d.from.Tables[newQ] = nt
		d.renameImplicitNames(nt, r.From, r.Name)
		for q, other := range d.from.Tables {
			for i, c := range other.Constraints {
				if c.References != nil && *c.References == oldQ {
					ot := copyTable(other)
					nc := *c
					nc.References = &newQ
					nc.Definition = strings.Replace(nc.Definition, "REFERENCES "+oldQ.Quoted()+"(", "REFERENCES "+newQ.Quoted()+"(", 1)
					ot.Constraints[i] = &nc
					d.from.Tables[q], other = ot, ot
				}
			}
		}
		for q, s := range d.from.Sequences {
			if s.OwnedBy != nil && s.OwnedBy.Table == oldQ {
				ns := *s
				ns.OwnedBy = &schema.ColumnRef{Table: newQ, Column: s.OwnedBy.Column}
				d.from.Sequences[q] = &ns
			}
		}
	case schema.KindColumn, schema.KindConstraint:
		tq := schema.QName{Schema: r.Schema, Name: r.Table}
		t, ok := d.from.Tables[tq]
		nt := d.to.Tables[tq]
		if !ok || nt == nil {
			return
		}
		if r.Kind == schema.KindColumn {
			if t.Column(r.From) == nil || t.Column(r.Name) != nil || nt.Column(r.Name) == nil {
				return
			}
			d.rename(columnID(tq, r.Name), fmt.Sprintf("ALTER TABLE %s RENAME COLUMN %s TO %s", tq.Quoted(), schema.Ident(r.From), schema.Ident(r.Name)))
			ct := copyTable(t)
			for i, c := range ct.Columns {
				if c.Name == r.From {
					nc := *c
					nc.Name = r.Name
					ct.Columns[i] = &nc
				}
			}
			for _, c := range ct.Constraints {
				c.Columns = replaceName(c.Columns, r.From, r.Name)
				c.Definition = replaceIdent(c.Definition, r.From, r.Name)
			}
			for _, ix := range ct.Indexes {
				ix.Columns = replaceName(ix.Columns, r.From, r.Name)
				ix.Definition = replaceIdent(ix.Definition, r.From, r.Name)
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
			return
		}
		if t.Constraint(r.From) == nil || t.Constraint(r.Name) != nil || nt.Constraint(r.Name) == nil {
			return
		}
		d.rename(constraintID(tq, r.Name), fmt.Sprintf("ALTER TABLE %s RENAME CONSTRAINT %s TO %s", tq.Quoted(), schema.Ident(r.From), schema.Ident(r.Name)))
		ct := copyTable(t)
		for _, c := range ct.Constraints {
			if c.Name == r.From {
				c.Name = r.Name
			}
		}
		d.from.Tables[tq] = ct
	case schema.KindIndex:
		for q, t := range d.from.Tables {
			for i, ix := range t.Indexes {
				if ix.QName != oldQ || findIndex(d.from, newQ) != nil || findIndex(d.to, newQ) == nil {
					continue
				}
				d.rename(indexID(newQ), fmt.Sprintf("ALTER INDEX %s RENAME TO %s", oldQ.Quoted(), schema.Ident(r.Name)))
				ct := copyTable(t)
				nix := ct.Indexes[i]
				nix.QName = newQ
				nix.Definition = strings.Replace(nix.Definition, "INDEX "+schema.Ident(r.From)+" ON", "INDEX "+schema.Ident(r.Name)+" ON", 1)
				d.from.Tables[q] = ct
				return
			}
		}
	case schema.KindEnum:
		e, ok := d.from.Enums[oldQ]
		if _, taken := d.from.Enums[newQ]; !ok || taken || d.to.Enums[newQ] == nil {
			return
		}
		d.rename(enumID(newQ), fmt.Sprintf("ALTER TYPE %s RENAME TO %s", oldQ.Quoted(), schema.Ident(r.Name)))
		ne := *e
		ne.QName = newQ
		delete(d.from.Enums, oldQ)
		d.from.Enums[newQ] = &ne
		d.retypeColumns(oldQ, newQ)
	case schema.KindEnumValue:
		eq := schema.QName{Schema: r.Schema, Name: r.Table}
		e, ok := d.from.Enums[eq]
		ne := d.to.Enums[eq]
		if !ok || ne == nil || !slices.Contains(e.Values, r.From) || slices.Contains(e.Values, r.Name) || !slices.Contains(ne.Values, r.Name) {
			return
		}
		d.rename(schema.ID{Kind: schema.KindEnumValue, Schema: r.Schema, Table: r.Table, Name: r.Name},
			fmt.Sprintf("ALTER TYPE %s RENAME VALUE %s TO %s", eq.Quoted(), schema.Literal(r.From), schema.Literal(r.Name)))
		ce := *e
		ce.Values = replaceName(e.Values, r.From, r.Name)
		d.from.Enums[eq] = &ce
		// Defaults holding the old label now print the new one.
		oldLit, newLit := schema.Literal(r.From)+"::"+eq.Quoted(), schema.Literal(r.Name)+"::"+eq.Quoted()
		for q, t := range d.from.Tables {
			for i, c := range t.Columns {
				if strings.Contains(c.Default, oldLit) {
					ct := copyTable(t)
					nc := *c
					nc.Default = strings.ReplaceAll(c.Default, oldLit, newLit)
					ct.Columns[i] = &nc
					d.from.Tables[q], t = ct, ct
				}
			}
		}
	case schema.KindSequence:
		s, ok := d.from.Sequences[oldQ]
		if _, taken := d.from.Sequences[newQ]; !ok || taken || d.to.Sequences[newQ] == nil {
			return
		}
		d.rename(sequenceID(newQ), fmt.Sprintf("ALTER SEQUENCE %s RENAME TO %s", oldQ.Quoted(), schema.Ident(r.Name)))
		ns := *s
		ns.QName = newQ
		delete(d.from.Sequences, oldQ)
		d.from.Sequences[newQ] = &ns
	case schema.KindView, schema.KindMaterializedView:
		v, ok := d.from.Views[oldQ]
		if _, taken := d.from.Views[newQ]; !ok || taken || d.to.Views[newQ] == nil {
			return
		}
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
			nc.Type = strings.Replace(c.Type, old.Quoted(), new.Quoted(), 1)
			nc.Default = strings.ReplaceAll(c.Default, "::"+old.Quoted(), "::"+new.Quoted())
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
// from B back to A: each object is renamed back, and columns, constraints
// and enum labels are found under their owner's name in A.
func ReverseRenames(hints []schema.Rename) []schema.Rename {
	owner := map[schema.QName]string{}
	for _, h := range hints {
		if h.Kind == schema.KindTable || h.Kind == schema.KindEnum {
			owner[schema.QName{Schema: h.Schema, Name: h.Name}] = h.From
		}
	}
	out := make([]schema.Rename, len(hints))
	for i, h := range hints {
		r := h
		r.Name, r.From = h.From, h.Name
		if old, ok := owner[schema.QName{Schema: h.Schema, Name: h.Table}]; ok && h.Table != "" {
			r.Table = old
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
		name := truncateIdent(newTable + "_" + suffix)
		if nc := want.Constraint(name); nc != nil && nc.Type == c.Type && t.Constraint(name) == nil {
			d.rename(constraintID(t.QName, name), fmt.Sprintf("ALTER TABLE %s RENAME CONSTRAINT %s TO %s", t.Quoted(), schema.Ident(c.Name), schema.Ident(name)))
			c.Name = name
		}
	}
	for _, ix := range t.Indexes {
		suffix, ok := strings.CutPrefix(ix.Name, oldTable+"_")
		newQ := schema.QName{Schema: ix.Schema, Name: truncateIdent(newTable + "_" + suffix)}
		if !ok || findIndex(d.to, ix.QName) != nil || findIndex(d.to, newQ) == nil || findIndex(d.from, newQ) != nil {
			continue
		}
		d.rename(indexID(newQ), fmt.Sprintf("ALTER INDEX %s RENAME TO %s", ix.Quoted(), schema.Ident(newQ.Name)))
		ix.Definition = strings.Replace(ix.Definition, "INDEX "+schema.Ident(ix.Name)+" ON", "INDEX "+schema.Ident(newQ.Name)+" ON", 1)
		ix.QName = newQ
	}
}

// replaceIdent replaces the identifier old with new in SQL text printed by
// PostgreSQL, outside string literals.
func replaceIdent(sql, old, new string) string {
	var b strings.Builder
	quotedOld := `"` + strings.ReplaceAll(old, `"`, `""`) + `"`
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
