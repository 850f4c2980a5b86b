package introspect

import (
	"context"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// rules reads the rewrite rules of tables and views, other than the
// _RETURN rule that defines a view.
func (r *reader) rules(ctx context.Context) error {
	return r.query(ctx, `SELECT rw.ev_class, n.nspname, c.relname, c.relkind::text, rw.rulename,
			pg_catalog.pg_get_ruledef(rw.oid), rw.ev_enabled::text,
			COALESCE(pg_catalog.obj_description(rw.oid, 'pg_rewrite'), ''),
			ARRAY(SELECT DISTINCT ARRAY[rn.nspname::text, rc.relname::text, COALESCE(a.attname::text, '')]
				FROM pg_catalog.pg_depend d
				JOIN pg_catalog.pg_class rc ON rc.oid = d.refobjid
				JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
				LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid AND d.refobjsubid > 0
				WHERE d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid = rw.oid
					AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass)
		FROM pg_catalog.pg_rewrite rw
		JOIN pg_catalog.pg_class c ON c.oid = rw.ev_class
		JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE rw.rulename <> '_RETURN' AND `+userSchemas+` AND `+notExtensionMember("pg_rewrite", "rw.oid")+`
			AND `+notExtensionMember("pg_class", "c.oid")+`
		ORDER BY 2, 3, 5`, func(rows scanner) error {
		var (
			oid     uint32
			relkind string
			ru      schema.Rule
			refs    [][]string
		)
		if err := rows.Scan(&oid, &ru.Table.Schema, &ru.Table.Name, &relkind, &ru.Name,
			&ru.Definition, &ru.Enabled, &ru.Comment, &refs); err != nil {
			return err
		}
		ru.Definition = strings.TrimSuffix(strings.TrimSpace(ru.Definition), ";")
		for _, ref := range refs {
			q := schema.QName{Schema: ref[0], Name: ref[1]}
			switch {
			case ref[2] != "":
				ru.Deps = appendNew(ru.Deps, schema.ID{Kind: schema.KindColumn, Schema: q.Schema, Table: q.Name, Name: ref[2]})
			case r.cat.Tables[q] != nil:
				ru.Deps = appendNew(ru.Deps, schema.ID{Kind: schema.KindTable, Schema: q.Schema, Name: q.Name})
			case r.cat.Views[q] != nil:
				ru.Deps = appendNew(ru.Deps, r.cat.Views[q].ID())
			}
		}
		if t := r.tableOIDs[oid]; t != nil && t.QName == ru.Table {
			ru.Deps = appendNew(ru.Deps, schema.ID{Kind: schema.KindTable, Schema: t.Schema, Name: t.Name})
			t.Rules = append(t.Rules, &ru)
			return nil
		}
		if v := r.cat.Views[ru.Table]; v != nil {
			ru.Deps = appendNew(ru.Deps, v.ID())
			v.Rules = append(v.Rules, &ru)
		}
		return nil
	})
}
