package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

type columnUse struct {
	table *schema.Table
	col   *schema.Column
}

// enumUsers lists the columns of cat whose type is the enum q or an array
// of it.
func (d *differ) enumUsers(cat *schema.Catalog, q schema.QName) []columnUse {
	return d.index(cat).columnsUsingType(q)
}

// enumCreate creates an enum with its values and comment.
func enumCreate(e *schema.Enum) Change {
	vals := make([]string, len(e.Values))
	for i, v := range e.Values {
		vals[i] = schema.Literal(v)
	}
	c := Change{Op: OpCreate, Object: enumID(e.QName), Requires: []schema.ID{schemaID(e.Schema)},
		Statements: []Statement{stmt(fmt.Sprintf("CREATE TYPE %s AS ENUM (%s)", e.Quoted(), joinComma(vals)))}}
	if e.Comment != "" {
		c.Statements = append(c.Statements, commentStmt("TYPE "+e.Quoted(), e.Comment))
	}
	return c
}

// enumDrop drops an enum after the columns that stop using it change.
func (d *differ) enumDrop(e *schema.Enum) Change {
	c := Change{Op: OpDrop, Object: enumID(e.QName), Requires: []schema.ID{schemaID(e.Schema)},
		Statements: []Statement{stmt("DROP TYPE " + e.Quoted())}}
	for _, u := range d.enumUsers(d.from, e.QName) {
		c.After = append(c.After, Ref{OpAlter, columnID(u.table.QName, u.col.Name)})
	}
	return c
}

// enumAlter adds values to an enum in place, or rebuilds it when values
// are removed or reordered (see rebuildEnum), and changes its comment.
func (d *differ) enumAlter(old, e *schema.Enum) []Change {
	adds, ok := enumAdditions(old.Values, e.Values)
	if !ok {
		return one(d.rebuildEnum(old, e))
	}
	changes := d.addEnumValues(e.QName, adds)
	if old.Comment != e.Comment {
		changes = append(changes, Change{Op: OpAlter, Object: enumID(e.QName),
			Statements: []Statement{commentStmt("TYPE "+e.Quoted(), e.Comment)}})
	}
	return changes
}

// enumKind diffs enum types. Values are added in place; an enum whose
// values are removed or reordered is rebuilt.
var enumKind = register(&kindDiffer[*schema.Enum]{
	kind:   schema.KindEnum,
	create: func(_ *differ, e *schema.Enum) []Change { return one(enumCreate(e)) },
	drop:   (*differ).enumDrop,
	alter:  func(d *differ, old, e *schema.Enum) ([]Change, bool) { return d.enumAlter(old, e), false },
	altered: func(old, e *schema.Enum) *schema.Enum {
		o := *old
		o.Values, o.Comment = e.Values, e.Comment
		// Privileges are planned by the grants pass.
		o.Grants = e.Grants
		return &o
	},
	find: func(cat *schema.Catalog, id schema.ID) (*schema.Enum, bool) {
		e, ok := cat.Enums[qnameOf(id)]
		return e, ok
	},
	acl: func(e *schema.Enum) aclObject {
		return aclObject{target: "TYPE " + e.Quoted(), grants: e.Grants, defaults: usageByPublic()}
	},
})

// addEnumValues adds values to the existing enum q, one change per value.
// A new value cannot be used before its ADD VALUE commits, and the plan may
// use it (in a default, a check, an index predicate, a view), so each ADD
// VALUE commits first, in a transaction of its own; IF NOT EXISTS lets a run
// that failed after that commit run again. The changes come first in the
// plan: only renames of the enum or of its values go before them, and then
// the plan runs statement by statement (see emit.Plan.Statements).
func (d *differ) addEnumValues(q schema.QName, adds []enumAddition) []Change {
	var renames []schema.ID
	for _, r := range d.opts.Renames {
		switch {
		case r.Kind == schema.KindEnum && r.Schema == q.Schema && r.Name == q.Name:
			renames = append(renames, schema.ID{Kind: schema.KindRename, Schema: q.Schema, Name: q.Name})
		case r.Kind == schema.KindEnumValue && r.Schema == q.Schema && r.Table == q.Name:
			renames = append(renames, schema.ID{Kind: schema.KindRename, Schema: q.Schema, Table: q.Name, Name: r.Name})
		}
	}
	var changes []Change
	var prev *schema.ID
	for _, a := range adds {
		id := schema.ID{Kind: schema.KindEnumValue, Schema: q.Schema, Table: q.Name, Name: a.value}
		st := stmt(fmt.Sprintf("ALTER TYPE %s ADD VALUE IF NOT EXISTS %s", q.Quoted(), a.clause))
		st.Transaction = CommitFirst
		c := Change{Op: OpCreate, Object: id, Requires: renames,
			Statements: []Statement{st}}
		if prev != nil {
			c.After = []Ref{{OpCreate, *prev}}
		}
		changes = append(changes, c)
		prev = &id
	}
	return changes
}

// rebuildEnum replaces an enum whose values are removed or reordered:
// PostgreSQL can only add values in place. The old type is renamed, the new
// one created, every column that keeps using the type is converted through
// text, and the old type is dropped.
func (d *differ) rebuildEnum(old, e *schema.Enum) Change {
	q := e.QName
	oldName := schema.QName{Schema: q.Schema, Name: schema.TruncateIdent(q.Name + "__old")}
	vals := make([]string, len(e.Values))
	for i, v := range e.Values {
		vals[i] = schema.Literal(v)
	}
	c := Change{Op: OpAlter, Object: enumID(q)}
	// What names the type itself (functions taking or returning it, casts
	// in views) would follow the old type: it is dropped first and created
	// again after.
	d.breaks(enumID(q))
	c.Statements = append(c.Statements,
		stmt(fmt.Sprintf("ALTER TYPE %s RENAME TO %s", q.Quoted(), schema.Ident(oldName.Name))),
		stmt(fmt.Sprintf("CREATE TYPE %s AS ENUM (%s)", q.Quoted(), joinComma(vals))))
	var removed []string
	for _, v := range old.Values {
		if !slices.Contains(e.Values, v) {
			removed = append(removed, v)
		}
	}
	for _, u := range d.enumUsers(d.from, q) {
		nt, ok := d.to.Tables[u.table.QName]
		if !ok {
			continue
		}
		nc := nt.Column(u.col.Name)
		if nc == nil || nc.Type != u.col.Type {
			continue // dropped or converted by its own change
		}
		d.breaks(columnID(nt.QName, nc.Name))
		prefix := fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s ", nt.Quoted(), schema.Ident(nc.Name))
		if u.col.Default != "" {
			c.Statements = append(c.Statements, stmt(prefix+"DROP DEFAULT"))
		}
		textType := "text"
		if strings.HasSuffix(nc.Type, "[]") {
			textType = "text[]"
		}
		var hz []Hazard
		hz = append(hz, hazard(HazardRewritesTable, "converting %s.%s to the rebuilt enum rewrites the table", nt.QName, nc.Name))
		if len(removed) > 0 {
			hz = append(hz, hazard(HazardMayFail, "rows of %s.%s holding removed values (%s) make this fail", nt.QName, nc.Name, joinComma(removed)))
		}
		c.Statements = append(c.Statements, stmt(fmt.Sprintf("%sTYPE %s USING %s::%s::%s",
			prefix, nc.Type, schema.Ident(nc.Name), textType, nc.Type), hz...))
		if u.col.Default != "" && nc.Default != "" {
			c.Statements = append(c.Statements, stmt(prefix+"SET DEFAULT "+nc.Default))
		}
	}
	c.Statements = append(c.Statements, stmt("DROP TYPE "+oldName.Quoted()))
	if old.Comment != e.Comment || e.Comment != "" {
		c.Statements = append(c.Statements, commentStmt("TYPE "+q.Quoted(), e.Comment))
	}
	// Columns that stop using the type change or go first.
	for _, u := range d.enumUsers(d.from, q) {
		if nt, ok := d.to.Tables[u.table.QName]; ok {
			if nc := nt.Column(u.col.Name); nc != nil && nc.Type == u.col.Type {
				continue
			}
		}
		c.After = append(c.After, Ref{OpAlter, columnID(u.table.QName, u.col.Name)}, Ref{OpDrop, columnID(u.table.QName, u.col.Name)})
	}
	return c
}
