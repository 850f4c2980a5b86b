package introspect

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/schemadiff/schemadiff/schema"
)

// identityOf is a LATERAL subquery giving the schemadiff identity (kind,
// schema, name, table, args) of the object (%[1]s, %[2]s,
// %[3]s). Array types stand for their element type, rewrite rules for
// their view, defaults for their column, domain constraints for their
// domain, and extension members for their extension.
const identityOf = `LEFT JOIN LATERAL (
	SELECT 'extension' AS kind, '' AS nsp, x.extname AS name, '' AS tbl, '' AS args
	FROM pg_catalog.pg_depend e JOIN pg_catalog.pg_extension x ON x.oid = e.refobjid
	WHERE e.classid = %[1]s AND e.objid = %[2]s AND e.deptype = 'e'
	UNION ALL
	SELECT CASE WHEN c.relkind IN ('r', 'p', 'f') AND %[3]s > 0 THEN 'column'
			WHEN c.relkind IN ('r', 'p') THEN 'table' WHEN c.relkind = 'v' THEN 'view'
			WHEN c.relkind = 'm' THEN 'materialized view' WHEN c.relkind = 'S' THEN 'sequence'
			WHEN c.relkind = 'f' THEN 'foreign table' WHEN c.relkind IN ('i', 'I') THEN 'index'
			WHEN c.relkind = 'c' THEN 'composite type' END,
		n.nspname,
		CASE WHEN c.relkind IN ('r', 'p', 'f') AND %[3]s > 0 THEN a.attname ELSE c.relname END,
		CASE WHEN c.relkind IN ('r', 'p', 'f') AND %[3]s > 0 THEN c.relname ELSE '' END, ''
	FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = %[3]s
	WHERE %[1]s = 'pg_catalog.pg_class'::pg_catalog.regclass AND c.oid = %[2]s
	UNION ALL
	SELECT 'column', n.nspname, a.attname, c.relname, ''
	FROM pg_catalog.pg_attrdef ad JOIN pg_catalog.pg_class c ON c.oid = ad.adrelid
	JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
	WHERE %[1]s = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND ad.oid = %[2]s
	UNION ALL
	SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
		n.nspname, p.proname, '', pg_catalog.pg_get_function_identity_arguments(p.oid)
	FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
	WHERE %[1]s = 'pg_catalog.pg_proc'::pg_catalog.regclass AND p.oid = %[2]s
	UNION ALL
	SELECT CASE et.typtype WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' WHEN 'c' THEN 'composite type'
			WHEN 'r' THEN 'range type' ELSE 'type' END, n.nspname, et.typname, '', ''
	FROM pg_catalog.pg_type t
	JOIN pg_catalog.pg_type et ON et.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END
	JOIN pg_catalog.pg_namespace n ON n.oid = et.typnamespace
	WHERE %[1]s = 'pg_catalog.pg_type'::pg_catalog.regclass AND t.oid = %[2]s
	UNION ALL
	SELECT CASE WHEN co.contypid <> 0 THEN 'domain' ELSE 'constraint' END, n.nspname,
		CASE WHEN co.contypid <> 0 THEN dt.typname ELSE co.conname END, COALESCE(c.relname, ''), ''
	FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_namespace n ON n.oid = co.connamespace
	LEFT JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
	LEFT JOIN pg_catalog.pg_type dt ON dt.oid = co.contypid
	WHERE %[1]s = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND co.oid = %[2]s
	UNION ALL
	SELECT 'trigger', n.nspname, tg.tgname, c.relname, ''
	FROM pg_catalog.pg_trigger tg JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
	JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	WHERE %[1]s = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND tg.oid = %[2]s
	UNION ALL
	SELECT 'policy', n.nspname, po.polname, c.relname, ''
	FROM pg_catalog.pg_policy po JOIN pg_catalog.pg_class c ON c.oid = po.polrelid
	JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	WHERE %[1]s = 'pg_catalog.pg_policy'::pg_catalog.regclass AND po.oid = %[2]s
	UNION ALL
	SELECT 'schema', '', n.nspname, '', ''
	FROM pg_catalog.pg_namespace n
	WHERE %[1]s = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND n.oid = %[2]s
	UNION ALL
	SELECT 'collation', n.nspname, co.collname, '', ''
	FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
	WHERE %[1]s = 'pg_catalog.pg_collation'::pg_catalog.regclass AND co.oid = %[2]s
	LIMIT 1
) %[4]s ON true`

// dependencies reads pg_depend once and returns, for every user object,
// the user objects it depends on, as identities.
func (r *reader) dependencies(ctx context.Context) (map[schema.ID][]schema.ID, error) {
	deps := map[schema.ID][]schema.ID{}
	sql := `WITH d AS (
			SELECT CASE WHEN d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass
					THEN 'pg_catalog.pg_class'::pg_catalog.regclass ELSE d.classid END AS cls,
				CASE WHEN d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass
					THEN (SELECT rw.ev_class FROM pg_catalog.pg_rewrite rw WHERE rw.oid = d.objid) ELSE d.objid END AS oid,
				CASE WHEN d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass THEN 0 ELSE d.objsubid END AS sub,
				d.refclassid, d.refobjid, d.refobjsubid
			FROM pg_catalog.pg_depend d
			WHERE d.deptype IN ('n', 'a') AND d.objid >= 16384 AND d.refobjid >= 16384
		), r AS (SELECT refclassid AS cls, refobjid AS oid, refobjsubid AS sub, d.cls AS dcls, d.oid AS doid, d.sub AS dsub FROM d)
		SELECT DISTINCT dep.kind, dep.nsp, dep.name, dep.tbl, dep.args, ref.kind, ref.nsp, ref.name, ref.tbl, ref.args
		FROM r
		` + fmt.Sprintf(identityOf, "r.cls", "r.oid", "r.sub", "ref") + `
		` + fmt.Sprintf(identityOf, "r.dcls", "r.doid", "r.dsub", "dep") + `
		WHERE dep.kind IS NOT NULL AND ref.kind IS NOT NULL`
	err := r.query(ctx, sql, func(rows pgx.Rows) error {
		var a, b schema.ID
		var ak, bk string
		if err := rows.Scan(&ak, &a.Schema, &a.Name, &a.Table, &a.Args, &bk, &b.Schema, &b.Name, &b.Table, &b.Args); err != nil {
			return err
		}
		a.Kind, b.Kind = schema.Kind(ak), schema.Kind(bk)
		if a == b || a.Kind == schema.KindExtension || b.Kind == schema.KindColumn && a.Kind == schema.KindTable && a.Name == b.Table && a.Schema == b.Schema {
			return nil
		}
		deps[a] = append(deps[a], b)
		return nil
	})
	for k, v := range deps {
		slices.SortFunc(v, schema.ID.Compare)
		deps[k] = slices.Compact(v)
	}
	return deps, err
}
