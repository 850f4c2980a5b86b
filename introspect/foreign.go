package introspect

import (
	"context"

	"github.com/schemadiff/schemadiff/schema"
)

// fdwOptions is a SQL expression turning the options array expr into an
// array of [name, value] pairs in their stored order.
func fdwOptions(expr string) string {
	return `ARRAY(SELECT ARRAY[o.option_name, o.option_value]::text[]
		FROM pg_catalog.pg_options_to_table(` + expr + `) WITH ORDINALITY o(option_name, option_value, n) ORDER BY o.n)`
}

// toFdwOptions converts [name, value] pairs; none is nil.
func toFdwOptions(pairs [][]string) []schema.FdwOption {
	var out []schema.FdwOption
	for _, p := range pairs {
		out = append(out, schema.FdwOption{Name: p[0], Value: p[1]})
	}
	return out
}

// servers reads the foreign servers that are not extension members, with
// the extension of their foreign-data wrapper as a dependency.
func (r *reader) servers(ctx context.Context) error {
	return r.query(ctx, `SELECT s.srvname, w.fdwname, COALESCE(s.srvtype, ''), COALESCE(s.srvversion, ''),
			`+fdwOptions("s.srvoptions")+`,
			COALESCE(pg_catalog.obj_description(s.oid, 'pg_foreign_server'), ''),
			COALESCE((SELECT e.extname FROM pg_catalog.pg_depend d
				JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
				WHERE d.classid = 'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass
					AND d.objid = w.oid AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
					AND d.deptype = 'e'), '')
		FROM pg_catalog.pg_foreign_server s
		JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw
		WHERE `+notExtensionMember("pg_foreign_server", "s.oid")+`
		ORDER BY 1`, func(rows scanner) error {
		var s schema.ForeignServer
		var opts [][]string
		var ext string
		if err := rows.Scan(&s.Name, &s.Wrapper, &s.Type, &s.Version, &opts, &s.Comment, &ext); err != nil {
			return err
		}
		s.Options = toFdwOptions(opts)
		if ext != "" {
			s.Deps = []schema.ID{{Kind: schema.KindExtension, Name: ext}}
		}
		r.cat.Servers[s.Name] = &s
		return nil
	})
}

// userMappings reads the user mappings of the servers read by servers.
// pg_user_mappings shows the options only to the mapped user and the
// server's owner (and superusers); other mappings are marked Hidden. The
// password option is never read: only whether there is one.
func (r *reader) userMappings(ctx context.Context) error {
	return r.query(ctx, `SELECT m.srvname, CASE WHEN m.umuser = 0 THEN 'PUBLIC' ELSE m.usename::text END,
			m.umoptions IS NULL AND NOT (
				(m.umuser <> 0 AND m.usename = CURRENT_USER AND (pg_catalog.pg_has_role(s.srvowner, 'USAGE')
					OR pg_catalog.has_server_privilege(s.oid, 'USAGE')))
				OR (m.umuser = 0 AND pg_catalog.pg_has_role(s.srvowner, 'USAGE'))
				OR (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = CURRENT_USER)),
			ARRAY(SELECT ARRAY[o.option_name, o.option_value]::text[]
				FROM pg_catalog.pg_options_to_table(m.umoptions) WITH ORDINALITY o(option_name, option_value, n)
				WHERE o.option_name <> '`+schema.PasswordOption+`' ORDER BY o.n),
			EXISTS (SELECT FROM pg_catalog.pg_options_to_table(m.umoptions) o
				WHERE o.option_name = '`+schema.PasswordOption+`')
		FROM pg_catalog.pg_user_mappings m
		JOIN pg_catalog.pg_foreign_server s ON s.oid = m.srvid
		WHERE `+notExtensionMember("pg_foreign_server", "s.oid")+`
		ORDER BY 1, 2`, func(rows scanner) error {
		var m schema.UserMapping
		var opts [][]string
		if err := rows.Scan(&m.Server, &m.User, &m.Hidden, &opts, &m.HasPassword); err != nil {
			return err
		}
		m.Options = toFdwOptions(opts)
		r.cat.UserMappings[m.UserMappingKey] = &m
		return nil
	})
}

// foreignTables reads the server and options of the foreign tables read by
// tables, and the options of their columns.
func (r *reader) foreignTables(ctx context.Context) error {
	err := r.query(ctx, `SELECT ft.ftrelid, s.srvname, `+fdwOptions("ft.ftoptions")+`
		FROM pg_catalog.pg_foreign_table ft JOIN pg_catalog.pg_foreign_server s ON s.oid = ft.ftserver
		ORDER BY 1`, func(rows scanner) error {
		var oid uint32
		var f schema.ForeignTable
		var opts [][]string
		if err := rows.Scan(&oid, &f.Server, &opts); err != nil {
			return err
		}
		f.Options = toFdwOptions(opts)
		if t := r.tableOIDs[oid]; t != nil {
			t.Foreign = &f
			// Foreign tables have REPLICA IDENTITY NOTHING, and no way
			// to change it.
			t.ReplicaIdentity = schema.ReplicaIdentity{}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return r.query(ctx, `SELECT a.attrelid, a.attname, `+fdwOptions("a.attfdwoptions")+`
		FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_foreign_table ft ON ft.ftrelid = a.attrelid
		WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attfdwoptions IS NOT NULL
		ORDER BY 1, 2`, func(rows scanner) error {
		var oid uint32
		var name string
		var opts [][]string
		if err := rows.Scan(&oid, &name, &opts); err != nil {
			return err
		}
		if t := r.tableOIDs[oid]; t != nil {
			if c := t.Column(name); c != nil {
				c.FdwOptions = toFdwOptions(opts)
			}
		}
		return nil
	})
}
