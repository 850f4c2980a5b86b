package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// viewKind diffs views and materialized views. A view whose new query
// keeps its old columns (and only appends new ones) is replaced in place
// with CREATE OR REPLACE VIEW; any other change of a query, any change of a
// materialized view's query, and a view becoming a materialized view or
// back, drop and create the view again, which makes recreateDependents
// rebuild what depends on it. The indexes of a materialized view that
// stays are diffed with it.
var viewKind = register(&kindDiffer[*schema.View]{
	kind:      schema.KindView,
	alsoKinds: []schema.Kind{schema.KindMaterializedView},
	// Views and materialized views together, by name.
	list: func(cat *schema.Catalog) []*schema.View {
		out := schema.ObjectsOf[*schema.View](cat, schema.KindView, schema.KindMaterializedView)
		slices.SortFunc(out, func(a, b *schema.View) int { return a.QName.Compare(b.QName) })
		return out
	},
	match: func(v *schema.View) schema.ID {
		return schema.ID{Kind: schema.KindView, Schema: v.Schema, Name: v.Name}
	},
	deps:   func(_ *schema.Catalog, v *schema.View) []schema.ID { return v.Deps },
	create: (*differ).viewCreate,
	drop:   (*differ).viewDrop,
	alter:  (*differ).alterView,
	altered: func(old, v *schema.View) *schema.View {
		o := *old
		o.Definition, o.Columns, o.Options, o.Comment, o.Indexes = v.Definition, v.Columns, v.Options, v.Comment, v.Indexes
		// Triggers and rules are kinds of their own, privileges are
		// planned by the grants pass, dependencies follow the query.
		o.Triggers, o.Rules, o.Grants, o.ColumnGrants, o.Deps = v.Triggers, v.Rules, v.Grants, v.ColumnGrants, v.Deps
		return &o
	},
	find: func(cat *schema.Catalog, id schema.ID) (*schema.View, bool) {
		v, ok := cat.Views[qnameOf(id)]
		return v, ok && v.ID() == id
	},
	acl: func(v *schema.View) aclObject { return aclObject{target: "TABLE " + v.Quoted(), grants: v.Grants} },
})

// tablesReplacingViews makes a table created under the name of a view the
// plan drops wait for that drop.
func (d *differ) tablesReplacingViews() {
	for i, c := range d.changes {
		if c.Op != OpCreate || c.Object.Kind != schema.KindTable {
			continue
		}
		q := schema.QName{Schema: c.Object.Schema, Name: c.Object.Name}
		if old, ok := d.from.Views[q]; ok {
			d.changes[i].After = append(d.changes[i].After, Ref{OpDrop, old.ID()})
		}
	}
}

// viewKeyword is the object type word of a view in DDL.
func viewKeyword(v *schema.View) string {
	if v.Materialized {
		return "MATERIALIZED VIEW"
	}
	return "VIEW"
}

// viewQuery returns the view's query without pg_get_viewdef's trailing
// semicolon.
func viewQuery(v *schema.View) string {
	return strings.TrimRight(strings.TrimSuffix(strings.TrimRight(v.Definition, " \n\t"), ";"), " \n\t")
}

// viewOptions renders a WITH (...) clause, or "" without options.
func viewOptions(v *schema.View) string {
	if len(v.Options) == 0 {
		return ""
	}
	return " WITH (" + joinComma(v.Options) + ")"
}

// viewRequires lists what a view of the desired catalog needs to exist.
func viewRequires(v *schema.View) []schema.ID {
	return append([]schema.ID{schemaID(v.Schema)}, v.Deps...)
}

// viewDrop drops a view or materialized view of the current catalog.
func (d *differ) viewDrop(v *schema.View) Change {
	return Change{Op: OpDrop, Object: v.ID(), Requires: viewRequires(v),
		Statements: []Statement{stmt("DROP " + viewKeyword(v) + " " + v.Quoted())}}
}

// viewCreate creates a view or materialized view of the desired catalog
// with everything attached to it (indexes, comments, triggers excepted).
// Planned creations of the same indexes are replaced, so that a
// materialized view rebuilt around a new index creates it once.
func (d *differ) viewCreate(v *schema.View) []Change {
	var sql string
	if v.Materialized {
		sql = fmt.Sprintf("CREATE MATERIALIZED VIEW %s%s AS\n%s\nWITH DATA", v.Quoted(), viewOptions(v), viewQuery(v))
	} else {
		sql = fmt.Sprintf("CREATE VIEW %s%s AS\n%s", v.Quoted(), viewOptions(v), viewQuery(v))
	}
	c := Change{Op: OpCreate, Object: v.ID(), Requires: viewRequires(v),
		Statements: []Statement{stmt(sql)}}
	// The name may be taken by a relation of another kind that goes.
	other := schema.ID{Kind: schema.KindMaterializedView, Schema: v.Schema, Name: v.Name}
	if v.Materialized {
		other.Kind = schema.KindView
	}
	c.After = append(c.After, Ref{OpDrop, other}, Ref{OpDrop, tableID(v.QName)})
	if v.Comment != "" {
		c.Statements = append(c.Statements, commentStmt(viewKeyword(v)+" "+v.Quoted(), v.Comment))
	}
	for _, col := range v.Columns {
		if col.Comment != "" {
			c.Statements = append(c.Statements, commentStmt(columnTarget(v.QName, col.Name), col.Comment))
		}
		if col.Default != "" {
			c.Statements = append(c.Statements, stmt(fmt.Sprintf("ALTER VIEW %s ALTER COLUMN %s SET DEFAULT %s",
				v.Quoted(), schema.Ident(col.Name), col.Default)))
		}
	}
	changes := []Change{c}
	for _, ix := range v.Indexes {
		id := indexID(ix.QName)
		d.changes = slices.DeleteFunc(d.changes, func(c Change) bool { return c.Object == id && c.Op != OpDrop })
		changes = append(changes, d.viewIndexCreate(v, ix))
	}
	return changes
}

// viewIndexCreate creates an index of a materialized view.
func (d *differ) viewIndexCreate(v *schema.View, ix *schema.Index) Change {
	c := d.createIndex(ix, false)
	c.Requires = append(c.Requires, v.ID())
	return c
}

// viewIndexDrop drops an index of a materialized view that stays.
func (d *differ) viewIndexDrop(v *schema.View, ix *schema.Index) Change {
	c := d.dropIndex(ix)
	c.Requires = append(c.Requires, v.ID())
	return c
}

// replaceable reports whether CREATE OR REPLACE VIEW can turn a view with
// the columns old into one with the columns new: PostgreSQL accepts only
// new columns appended after the old ones, unchanged.
func replaceable(old, new []schema.ViewColumn) bool {
	if len(new) < len(old) {
		return false
	}
	for i, c := range old {
		if c.Name != new[i].Name || c.Type != new[i].Type {
			return false
		}
	}
	return true
}

func sameColumns(a, b []schema.ViewColumn) bool {
	return len(a) == len(b) && replaceable(a, b)
}

// alterView changes a view that exists on both sides, or reports that it
// must be dropped and created again (see viewKind).
func (d *differ) alterView(old, v *schema.View) ([]Change, bool) {
	queryChanged := old.Definition != v.Definition || !sameColumns(old.Columns, v.Columns)
	if old.Materialized != v.Materialized || queryChanged && (v.Materialized || !replaceable(old.Columns, v.Columns)) {
		return nil, true
	}
	target := viewKeyword(v) + " " + v.Quoted()
	c := Change{Op: OpAlter, Object: v.ID(), Requires: viewRequires(v)}
	switch {
	case queryChanged:
		// CREATE OR REPLACE also replaces the options.
		c.Statements = append(c.Statements, stmt(fmt.Sprintf("CREATE OR REPLACE VIEW %s%s AS\n%s",
			v.Quoted(), viewOptions(v), viewQuery(v))))
	case !slices.Equal(old.Options, v.Options):
		c.Statements = append(c.Statements, optionChanges("ALTER "+target, old.Options, v.Options)...)
	}
	if old.Comment != v.Comment {
		c.Statements = append(c.Statements, commentStmt(target, v.Comment))
	}
	for _, col := range v.Columns {
		c.Statements = append(c.Statements, viewColumnChanges(old, v, col)...)
	}
	return append(ifAny(c), d.viewIndexes(old, v)...), false
}

// viewColumnChanges returns the statements changing the comment and the
// default of column col of view v, as old had them.
func viewColumnChanges(old, v *schema.View, col schema.ViewColumn) []Statement {
	var out []Statement
	was, wasDefault := "", ""
	if i := slices.IndexFunc(old.Columns, func(oc schema.ViewColumn) bool { return oc.Name == col.Name }); i >= 0 {
		was, wasDefault = old.Columns[i].Comment, old.Columns[i].Default
	}
	if was != col.Comment {
		out = append(out, commentStmt(columnTarget(v.QName, col.Name), col.Comment))
	}
	prefix := fmt.Sprintf("ALTER VIEW %s ALTER COLUMN %s ", v.Quoted(), schema.Ident(col.Name))
	switch {
	case wasDefault == col.Default:
	case col.Default == "":
		out = append(out, stmt(prefix+"DROP DEFAULT"))
	default:
		out = append(out, stmt(prefix+"SET DEFAULT "+col.Default))
	}
	return out
}

// optionChanges renders the SET and RESET statements that turn the options
// old into new.
func optionChanges(prefix string, old, new []string) []Statement {
	key := func(o string) string { k, _, _ := strings.Cut(o, "="); return k }
	var set, reset []string
	for _, o := range new {
		if !slices.Contains(old, o) {
			set = append(set, o)
		}
	}
	for _, o := range old {
		if !slices.ContainsFunc(new, func(n string) bool { return key(n) == key(o) }) {
			reset = append(reset, key(o))
		}
	}
	var out []Statement
	if len(reset) > 0 {
		out = append(out, stmt(prefix+" RESET ("+joinComma(reset)+")"))
	}
	if len(set) > 0 {
		out = append(out, stmt(prefix+" SET ("+joinComma(set)+")"))
	}
	return out
}

// viewIndexes returns the changes of the indexes of a materialized view
// that stays (see viewIndexKind). A difference they cannot express is
// refused.
func (d *differ) viewIndexes(old, v *schema.View) []Change {
	return d.collect(func() {
		if err := d.viewIndexKind(old, v).walk(d, old.Indexes, v.Indexes); err != nil {
			d.refused = append(d.refused, err.Error())
		}
	})
}

// viewIndexKind is indexKind for the indexes of materialized view v, which
// stays as old.
func (d *differ) viewIndexKind(old, v *schema.View) *kindDiffer[*schema.Index] {
	k := *indexKind
	k.create = func(d *differ, ix *schema.Index) []Change { return one(d.viewIndexCreate(v, ix)) }
	k.drop = func(d *differ, ix *schema.Index) Change { return d.viewIndexDrop(old, ix) }
	return &k
}
