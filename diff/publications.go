package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// defaultPublish is what a publication publishes unless told otherwise.
var defaultPublish = schema.PublishOps{Insert: true, Update: true, Delete: true, Truncate: true}

// publicationTarget names a publication in ALTER, DROP and COMMENT ON.
func publicationTarget(p *schema.Publication) string { return "PUBLICATION " + schema.Ident(p.Name) }

// publicationOptions renders the publish options of p: those that differ
// from old's (all but the defaults when old is nil).
func publicationOptions(old, p *schema.Publication) string {
	from := schema.Publication{Publish: defaultPublish}
	if old != nil {
		from = *old
	}
	var opts []string
	if from.Publish != p.Publish {
		opts = append(opts, "publish = "+schema.Literal(p.Publish.String()))
	}
	if from.ViaPartitionRoot != p.ViaPartitionRoot {
		via := "false"
		if p.ViaPartitionRoot {
			via = "true"
		}
		opts = append(opts, "publish_via_partition_root = "+via)
	}
	return strings.Join(opts, ", ")
}

// schemaList renders schema names for TABLES IN SCHEMA.
func schemaList(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = schema.Ident(n)
	}
	return joinComma(out)
}

// publicationRequires lists what a publication needs: the schemas of its
// FOR TABLES IN SCHEMA.
func publicationRequires(p *schema.Publication) []schema.ID {
	var ids []schema.ID
	for _, s := range p.Schemas {
		ids = append(ids, schemaID(s))
	}
	return ids
}

// publicationCreate creates a publication without the tables it lists one
// by one: each is added by a change of its own (publicationTableKind).
func publicationCreate(p *schema.Publication) Change {
	sql := "CREATE " + publicationTarget(p)
	switch {
	case p.AllTables:
		sql += " FOR ALL TABLES"
	case len(p.Schemas) > 0:
		sql += " FOR TABLES IN SCHEMA " + schemaList(p.Schemas)
	}
	if opts := publicationOptions(nil, p); opts != "" {
		sql += " WITH (" + opts + ")"
	}
	c := Change{Op: OpCreate, Object: p.ID(), Requires: publicationRequires(p),
		Statements: []Statement{stmt(sql)}}
	if p.Comment != "" {
		c.Statements = append(c.Statements, commentStmt(publicationTarget(p), p.Comment))
	}
	return c
}

func publicationDrop(p *schema.Publication) Change {
	return Change{Op: OpDrop, Object: p.ID(), Requires: publicationRequires(p),
		Statements: []Statement{stmt("DROP " + publicationTarget(p))}}
}

// publicationAlter changes a publication's schemas, options and comment
// in place; FOR ALL TABLES cannot be added or removed but by creating it
// again.
func publicationAlter(old, p *schema.Publication) ([]Change, bool) {
	if old.AllTables != p.AllTables {
		return nil, true
	}
	c := Change{Op: OpAlter, Object: p.ID(), Requires: publicationRequires(p)}
	prefix := "ALTER " + publicationTarget(p)
	if gone := setMinus(old.Schemas, p.Schemas); len(gone) > 0 {
		c.Statements = append(c.Statements, stmt(prefix+" DROP TABLES IN SCHEMA "+schemaList(gone)))
	}
	if added := setMinus(p.Schemas, old.Schemas); len(added) > 0 {
		c.Statements = append(c.Statements, stmt(prefix+" ADD TABLES IN SCHEMA "+schemaList(added)))
	}
	if opts := publicationOptions(old, p); opts != "" {
		c.Statements = append(c.Statements, stmt(prefix+" SET ("+opts+")"))
	}
	if old.Comment != p.Comment {
		c.Statements = append(c.Statements, commentStmt(publicationTarget(p), p.Comment))
	}
	return ifAny(c), false
}

// setMinus returns the names of a that b does not have, in a's order.
func setMinus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// publicationKind diffs publications themselves; the tables they list are
// publicationTableKind's. Publications have no privileges.
var publicationKind = register(&kindDiffer[*schema.Publication]{
	kind:   schema.KindPublication,
	create: func(_ *differ, p *schema.Publication) []Change { return one(publicationCreate(p)) },
	drop:   func(_ *differ, p *schema.Publication) Change { return publicationDrop(p) },
	alter:  func(_ *differ, old, p *schema.Publication) ([]Change, bool) { return publicationAlter(old, p) },
	altered: func(old, p *schema.Publication) *schema.Publication {
		o := *old
		o.Schemas, o.Publish, o.ViaPartitionRoot, o.Comment = p.Schemas, p.Publish, p.ViaPartitionRoot, p.Comment
		// The tables it lists are memberships of their own.
		o.Tables = p.Tables
		return &o
	},
})

// publicationTableRequires lists what a publication's table needs: the
// publication, the table and the columns it publishes or filters on.
func publicationTableRequires(m *schema.PublicationTable) []schema.ID {
	return append([]schema.ID{{Kind: schema.KindPublication, Name: m.Publication}}, m.Deps...)
}

// publicationTableClause renders a table of ALTER PUBLICATION ... ADD
// TABLE with its column list and row filter.
func publicationTableClause(m *schema.PublicationTable) string {
	sql := m.Table.Quoted()
	if len(m.Columns) > 0 {
		cols := make([]string, len(m.Columns))
		for i, c := range m.Columns {
			cols[i] = schema.Ident(c)
		}
		sql += " (" + joinComma(cols) + ")"
	}
	if m.Where != "" {
		sql += " WHERE (" + m.Where + ")"
	}
	return sql
}

func publicationTableCreate(m *schema.PublicationTable) Change {
	return Change{Op: OpCreate, Object: m.ID(), Requires: publicationTableRequires(m),
		Statements: []Statement{stmt("ALTER PUBLICATION " + schema.Ident(m.Publication) + " ADD TABLE " + publicationTableClause(m))}}
}

func publicationTableDrop(m *schema.PublicationTable) Change {
	return Change{Op: OpDrop, Object: m.ID(), Requires: publicationTableRequires(m),
		Statements: []Statement{stmt("ALTER PUBLICATION " + schema.Ident(m.Publication) + " DROP TABLE " + m.Table.Quoted())}}
}

// publicationTableKind diffs the tables publications list one by one. A
// new column list or row filter drops the table from the publication and
// adds it again, leaving the publication's other tables alone (SET TABLE
// would name them all). A table the plan drops leaves its publications
// first; one it creates again (or rebuilds) is added back to them after
// (see recreateDependents). A dropped publication takes its tables with
// it.
var publicationTableKind = register(&kindDiffer[*schema.PublicationTable]{
	kind:     schema.KindPublicationMembership,
	deps:     func(_ *schema.Catalog, m *schema.PublicationTable) []schema.ID { return m.Deps },
	precheck: refuseRenamedPublishedTables,
	create:   func(_ *differ, m *schema.PublicationTable) []Change { return one(publicationTableCreate(m)) },
	drop:     func(_ *differ, m *schema.PublicationTable) Change { return publicationTableDrop(m) },
	alter: func(_ *differ, old, m *schema.PublicationTable) ([]Change, bool) {
		return nil, !slices.Equal(old.Columns, m.Columns) || old.Where != m.Where
	},
	altered: func(old, m *schema.PublicationTable) *schema.PublicationTable {
		o := *old
		o.Deps = m.Deps
		return &o
	},
	goesWith: func(d *differ, m *schema.PublicationTable) bool {
		_, kept := d.to.Publications[m.Publication]
		return !kept
	},
})

// refuseRenamedPublishedTables refuses a rename hint for a table, or the
// schema of a table, that a publication of the current catalog lists:
// the publication follows the table, and schemadiff does not yet rename
// the table it names.
func refuseRenamedPublishedTables(d *differ) error {
	for _, r := range d.opts.Renames {
		if r.Kind != schema.KindTable && r.Kind != schema.KindSchema {
			continue
		}
		for _, name := range schema.SortedKeys(d.from.Publications) {
			for _, m := range d.from.Publications[name].Tables {
				if r.Kind == schema.KindTable && m.Table == (schema.QName{Schema: r.Schema, Name: r.From}) ||
					r.Kind == schema.KindSchema && m.Table.Schema == r.From {
					return fmt.Errorf("cannot rename %s %s to %s: publication %s lists table %s, and schemadiff does not rename the tables of publications yet; drop it from the publication in one migration and rename it in another",
						r.Kind, r.From, r.Name, schema.Ident(name), m.Table)
				}
			}
		}
	}
	return nil
}
