package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

func serverID(name string) schema.ID { return schema.ID{Kind: schema.KindForeignServer, Name: name} }

// optionsAlter returns the OPTIONS clause of an ALTER statement that turns
// the options old into opts, or "" when they are equal. Where adding and
// setting alone would leave the options in another order than opts, every
// option is dropped and added again, so that both read the same.
func optionsAlter(old, opts []schema.FdwOption) string {
	if slices.Equal(old, opts) {
		return ""
	}
	var parts []string
	var result []schema.FdwOption
	for _, o := range old {
		i := slices.IndexFunc(opts, func(n schema.FdwOption) bool { return n.Name == o.Name })
		switch {
		case i < 0:
			parts = append(parts, "DROP "+schema.Ident(o.Name))
		case opts[i].Value != o.Value:
			parts = append(parts, "SET "+schema.Ident(o.Name)+" "+schema.Literal(opts[i].Value))
			result = append(result, opts[i])
		default:
			result = append(result, o)
		}
	}
	for _, o := range opts {
		if !slices.ContainsFunc(old, func(n schema.FdwOption) bool { return n.Name == o.Name }) {
			parts = append(parts, "ADD "+schema.Ident(o.Name)+" "+schema.Literal(o.Value))
			result = append(result, o)
		}
	}
	if !slices.Equal(result, opts) {
		parts = parts[:0]
		for _, o := range old {
			parts = append(parts, "DROP "+schema.Ident(o.Name))
		}
		for _, o := range opts {
			parts = append(parts, "ADD "+schema.Ident(o.Name)+" "+schema.Literal(o.Value))
		}
	}
	return "OPTIONS (" + strings.Join(parts, ", ") + ")"
}

// withOptions appends the OPTIONS clause of opts, if any, to sql.
func withOptions(sql string, opts []schema.FdwOption) string {
	if o := schema.RenderFdwOptions(opts); o != "" {
		return sql + " " + o
	}
	return sql
}

func serverCreate(s *schema.ForeignServer) Change {
	sql := "CREATE SERVER " + schema.Ident(s.Name)
	if s.Type != "" {
		sql += " TYPE " + schema.Literal(s.Type)
	}
	if s.Version != "" {
		sql += " VERSION " + schema.Literal(s.Version)
	}
	sql = withOptions(sql+" FOREIGN DATA WRAPPER "+schema.Ident(s.Wrapper), s.Options)
	c := Change{Op: OpCreate, Object: s.ID(), Requires: s.Deps,
		Statements: []Statement{stmt(sql)}}
	if s.Comment != "" {
		c.Statements = append(c.Statements, commentStmt("SERVER "+schema.Ident(s.Name), s.Comment))
	}
	return c
}

func serverDrop(s *schema.ForeignServer) Change {
	return Change{Op: OpDrop, Object: s.ID(), Requires: s.Deps,
		Statements: []Statement{stmt("DROP SERVER " + schema.Ident(s.Name))}}
}

// serverKind diffs the foreign servers. A server cannot change its
// wrapper or type in place, and dropping it would drop its foreign tables
// and user mappings: such a change is refused. Its privileges are the
// grants pass's.
var serverKind = register(&kindDiffer[*schema.ForeignServer]{
	kind:   schema.KindForeignServer,
	create: func(_ *differ, s *schema.ForeignServer) []Change { return one(serverCreate(s)) },
	drop:   func(_ *differ, s *schema.ForeignServer) Change { return serverDrop(s) },
	refuse: func(d *differ, old, s *schema.ForeignServer) error {
		if old.Wrapper != s.Wrapper || old.Type != s.Type {
			return fmt.Errorf("foreign server %s%s changes its foreign-data wrapper or TYPE, which PostgreSQL cannot alter; drop it (with its user mappings and foreign tables) in one migration and create it in another",
				schema.Ident(s.Name), at(d.to, s.ID()))
		}
		return nil
	},
	alter: func(_ *differ, old, s *schema.ForeignServer) ([]Change, bool) {
		c := Change{Op: OpAlter, Object: s.ID()}
		target := "SERVER " + schema.Ident(s.Name)
		if old.Version != s.Version {
			v := "NULL"
			if s.Version != "" {
				v = schema.Literal(s.Version)
			}
			c.Statements = append(c.Statements, stmt("ALTER "+target+" VERSION "+v))
		}
		if o := optionsAlter(old.Options, s.Options); o != "" {
			c.Statements = append(c.Statements, stmt("ALTER "+target+" "+o))
		}
		if old.Comment != s.Comment {
			c.Statements = append(c.Statements, commentStmt(target, s.Comment))
		}
		return ifAny(c), false
	},
	altered: func(old, s *schema.ForeignServer) *schema.ForeignServer {
		o := *old
		o.Version, o.Options, o.Comment, o.Deps = s.Version, s.Options, s.Comment, s.Deps
		// Privileges are planned by the grants pass.
		o.Grants = s.Grants
		return &o
	},
	find: func(cat *schema.Catalog, id schema.ID) (*schema.ForeignServer, bool) {
		s, ok := cat.Servers[id.Name]
		return s, ok
	},
	acl: func(s *schema.ForeignServer) aclObject {
		return aclObject{target: "FOREIGN SERVER " + schema.Ident(s.Name), grants: s.Grants}
	},
})

// mappingTarget names a user mapping in its statements: "FOR role SERVER s".
func mappingTarget(k schema.UserMappingKey) string {
	user := "PUBLIC"
	if k.User != "PUBLIC" {
		user = schema.Ident(k.User)
	}
	return "FOR " + user + " SERVER " + schema.Ident(k.Server)
}

// userMappingKind diffs the user mappings. Their password option is never
// part of a plan (see schema.UserMapping), and the options of a mapping the
// reading role may not see are left alone; Warnings names both.
var userMappingKind = register(&kindDiffer[*schema.UserMapping]{
	kind: schema.KindUserMapping,
	create: func(_ *differ, m *schema.UserMapping) []Change {
		return one(Change{Op: OpCreate, Object: m.ID(), Requires: []schema.ID{serverID(m.Server)},
			Statements: []Statement{stmt(withOptions("CREATE USER MAPPING "+mappingTarget(m.UserMappingKey), m.Options))}})
	},
	drop: func(_ *differ, m *schema.UserMapping) Change {
		return Change{Op: OpDrop, Object: m.ID(), Requires: []schema.ID{serverID(m.Server)},
			Statements: []Statement{stmt("DROP USER MAPPING " + mappingTarget(m.UserMappingKey))}}
	},
	alter: func(_ *differ, old, m *schema.UserMapping) ([]Change, bool) {
		o := optionsAlter(old.Options, m.Options)
		if old.Hidden || m.Hidden || o == "" {
			return nil, false
		}
		return one(Change{Op: OpAlter, Object: m.ID(), Requires: []schema.ID{serverID(m.Server)},
			Statements: []Statement{stmt("ALTER USER MAPPING " + mappingTarget(m.UserMappingKey) + " " + o)}}), false
	},
	altered: func(old, m *schema.UserMapping) *schema.UserMapping {
		o := *old
		// Hidden options and the password are left alone on purpose.
		o.Options, o.HasPassword, o.Hidden = m.Options, m.HasPassword, m.Hidden
		return &o
	},
})

// fdwWarnings names the user mappings whose password a plan leaves alone
// and those whose options the reading role may not see.
func fdwWarnings(from, to *schema.Catalog) []string {
	var out []string
	for k, m := range to.UserMappings {
		old := from.UserMappings[k]
		if m.HasPassword && (old == nil || !old.HasPassword) {
			out = append(out, fmt.Sprintf("user mapping %s%s has a password option, which plans never hold (schemadiff does not print or compare passwords): set it outside the migrations with ALTER USER MAPPING %s OPTIONS (ADD password '...')",
				mappingTarget(k), at(to, m.ID()), mappingTarget(k)))
		}
		if old != nil && (old.Hidden || m.Hidden) {
			out = append(out, fmt.Sprintf("user mapping %s: its options are not visible to the role that reads the database (only the mapped role and the server's owner see them), so plans leave them alone", mappingTarget(k)))
		}
	}
	slices.Sort(out)
	return out
}

// foreignTableSuffix is the SERVER and OPTIONS clause of CREATE FOREIGN
// TABLE.
func foreignTableSuffix(f *schema.ForeignTable) string {
	return withOptions(" SERVER "+schema.Ident(f.Server), f.Options)
}

// relationKeyword is the keyword naming t in COMMENT ON and DROP.
func relationKeyword(t *schema.Table) string {
	if t.Foreign != nil {
		return "FOREIGN TABLE"
	}
	return "TABLE"
}

// foreignTableRecreated says whether a foreign table changes in a way
// ALTER cannot do (becoming or ceasing to be a foreign table, another
// server, another column order): it is dropped and created again, which
// loses no rows, as a foreign table holds none.
func foreignTableRecreated(from, to *schema.Catalog, old, t *schema.Table) bool {
	if old.Foreign == nil && t.Foreign == nil {
		return false
	}
	if (old.Foreign == nil) != (t.Foreign == nil) || old.Foreign.Server != t.Foreign.Server {
		return true
	}
	got, want := columnOrderAfterAlter(old, t)
	return !slices.Equal(got, want)
}

// foreignTableOptions alters the options of a foreign table that stays.
func (d *differ) foreignTableOptions(old, t *schema.Table) {
	if t.Foreign == nil {
		return
	}
	if o := optionsAlter(old.Foreign.Options, t.Foreign.Options); o != "" {
		d.add(Change{Op: OpAlter, Object: tableID(t.QName),
			Statements: []Statement{stmt("ALTER FOREIGN TABLE " + t.Quoted() + " " + o)}})
	}
}

// foreignColumnOptions returns the statement altering the options of a
// foreign table's column, if they change.
func foreignColumnOptions(t *schema.Table, oc, c *schema.Column) []Statement {
	o := optionsAlter(oc.FdwOptions, c.FdwOptions)
	if t.Foreign == nil || o == "" {
		return nil
	}
	return []Statement{stmt(fmt.Sprintf("ALTER FOREIGN TABLE %s ALTER COLUMN %s %s", t.Quoted(), schema.Ident(c.Name), o))}
}
