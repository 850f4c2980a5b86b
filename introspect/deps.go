package introspect

import (
	"context"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/schema"
)

// dependencyQuery maps both ends of every pg_depend row between user objects
// to schemadiff identities (kind, schema, name, table, args). The identities
// are built once for all objects (the objs CTE) and joined by hash, so the
// query's cost grows with the catalog, not with the catalog squared. Columns
// of views stand for their view, array types stand for their element type,
// the row type of a table or view stands for the relation (a domain over it
// or a function taking it needs the relation), rewrite rules for their view,
// defaults for their column, composite attributes and domain constraints for
// their type, and extension members for their extension.
var dependencyQuery = `WITH objs AS (
	SELECT 'pg_catalog.pg_class'::pg_catalog.regclass AS cls, c.oid, 0 AS sub,
		CASE c.relkind WHEN 'r' THEN ` + schema.KindTable.Literal() + ` WHEN 'p' THEN ` + schema.KindTable.Literal() + ` WHEN 'v' THEN ` + schema.KindView.Literal() + `
			WHEN 'm' THEN ` + schema.KindMaterializedView.Literal() + ` WHEN 'S' THEN ` + schema.KindSequence.Literal() + ` WHEN 'f' THEN ` + schema.KindTable.Literal() + `
			WHEN 'c' THEN ` + schema.KindCompositeType.Literal() + ` ELSE ` + schema.KindIndex.Literal() + ` END AS kind,
		n.nspname AS nsp, c.relname AS name, '' AS tbl, ''::text AS args
	FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	WHERE ` + userSchemas + `
	UNION ALL
	SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, c.oid, a.attnum,
		CASE c.relkind WHEN 'c' THEN ` + schema.KindCompositeType.Literal() + ` WHEN 'v' THEN ` + schema.KindView.Literal() + ` WHEN 'm' THEN ` + schema.KindMaterializedView.Literal() + `
			ELSE ` + schema.KindColumn.Literal() + ` END, n.nspname,
		CASE WHEN c.relkind IN ('c', 'v', 'm') THEN c.relname ELSE a.attname END,
		CASE WHEN c.relkind IN ('c', 'v', 'm') THEN '' ELSE c.relname END, ''
	FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
	JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	WHERE a.attnum > 0 AND c.relkind IN ('r', 'p', 'f', 'c', 'v', 'm') AND ` + userSchemas + `
	UNION ALL
	SELECT 'pg_catalog.pg_attrdef'::pg_catalog.regclass, ad.oid, 0, 'column', n.nspname, a.attname, c.relname, ''
	FROM pg_catalog.pg_attrdef ad JOIN pg_catalog.pg_class c ON c.oid = ad.adrelid
	JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
	WHERE ` + userSchemas + `
	UNION ALL
	SELECT 'pg_catalog.pg_rewrite'::pg_catalog.regclass, rw.oid, 0,
		CASE c.relkind WHEN 'm' THEN ` + schema.KindMaterializedView.Literal() + ` ELSE ` + schema.KindView.Literal() + ` END, n.nspname, c.relname, '', ''
	FROM pg_catalog.pg_rewrite rw JOIN pg_catalog.pg_class c ON c.oid = rw.ev_class
	JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	WHERE c.relkind IN ('v', 'm') AND rw.rulename = '_RETURN' AND ` + userSchemas + `
	UNION ALL
	SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass, p.oid, 0,
		CASE p.prokind WHEN 'p' THEN ` + schema.KindProcedure.Literal() + ` WHEN 'a' THEN ` + schema.KindAggregate.Literal() + ` ELSE ` + schema.KindFunction.Literal() + ` END,
		n.nspname, p.proname, '', pg_catalog.pg_get_function_identity_arguments(p.oid)
	FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
	WHERE ` + userSchemas + `
	UNION ALL
	SELECT 'pg_catalog.pg_type'::pg_catalog.regclass, t.oid, 0,
		CASE WHEN rc.relkind IN ('r', 'p') THEN ` + schema.KindTable.Literal() + ` WHEN rc.relkind = 'v' THEN ` + schema.KindView.Literal() + `
			WHEN rc.relkind = 'm' THEN ` + schema.KindMaterializedView.Literal() + ` WHEN rc.relkind = 'f' THEN ` + schema.KindForeignTable.Literal() + `
			ELSE CASE et.typtype WHEN 'e' THEN ` + schema.KindEnum.Literal() + ` WHEN 'd' THEN ` + schema.KindDomain.Literal() + ` WHEN 'c' THEN ` + schema.KindCompositeType.Literal() + `
			WHEN 'r' THEN ` + schema.KindRangeType.Literal() + ` ELSE ` + schema.KindType.Literal() + ` END END, n.nspname, COALESCE(rc.relname, et.typname), '', ''
	FROM pg_catalog.pg_type t
	JOIN pg_catalog.pg_type et ON et.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END
	JOIN pg_catalog.pg_namespace n ON n.oid = et.typnamespace
	LEFT JOIN pg_catalog.pg_class rc ON rc.oid = et.typrelid AND rc.relkind <> 'c'
	WHERE ` + userSchemas + `
	UNION ALL
	SELECT 'pg_catalog.pg_constraint'::pg_catalog.regclass, co.oid, 0,
		CASE WHEN co.contypid <> 0 THEN ` + schema.KindDomain.Literal() + ` ELSE ` + schema.KindConstraint.Literal() + ` END, n.nspname,
		CASE WHEN co.contypid <> 0 THEN dt.typname ELSE co.conname END, COALESCE(c.relname, ''), ''
	FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_namespace n ON n.oid = co.connamespace
	LEFT JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
	LEFT JOIN pg_catalog.pg_type dt ON dt.oid = co.contypid
	WHERE ` + userSchemas + `
	UNION ALL
	SELECT 'pg_catalog.pg_trigger'::pg_catalog.regclass, tg.oid, 0, 'trigger', n.nspname, tg.tgname, c.relname, ''
	FROM pg_catalog.pg_trigger tg JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
	JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	WHERE NOT tg.tgisinternal AND ` + userSchemas + `
	UNION ALL
	SELECT 'pg_catalog.pg_policy'::pg_catalog.regclass, po.oid, 0, 'policy', n.nspname, po.polname, c.relname, ''
	FROM pg_catalog.pg_policy po JOIN pg_catalog.pg_class c ON c.oid = po.polrelid
	JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	UNION ALL
	SELECT 'pg_catalog.pg_namespace'::pg_catalog.regclass, n.oid, 0, 'schema', '', n.nspname, '', ''
	FROM pg_catalog.pg_namespace n WHERE ` + userSchemas + `
	UNION ALL
	SELECT 'pg_catalog.pg_opclass'::pg_catalog.regclass, oc.oid, 0, 'operator class', n.nspname, oc.opcname, '', ''
	FROM pg_catalog.pg_opclass oc JOIN pg_catalog.pg_namespace n ON n.oid = oc.opcnamespace
	WHERE ` + userSchemas + `
	UNION ALL
	SELECT 'pg_catalog.pg_operator'::pg_catalog.regclass, op.oid, 0, 'operator', n.nspname, op.oprname, '', ''
	FROM pg_catalog.pg_operator op JOIN pg_catalog.pg_namespace n ON n.oid = op.oprnamespace
	WHERE ` + userSchemas + `
	UNION ALL
	SELECT 'pg_catalog.pg_collation'::pg_catalog.regclass, co.oid, 0, 'collation', n.nspname, co.collname, '', ''
	FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
	WHERE ` + userSchemas + `
), ext AS (
	SELECT e.classid, e.objid, x.extname
	FROM pg_catalog.pg_depend e JOIN pg_catalog.pg_extension x ON x.oid = e.refobjid
	WHERE e.deptype = 'e'
)
SELECT DISTINCT dep.kind, dep.nsp, dep.name, dep.tbl, dep.args,
	CASE WHEN rx.extname IS NULL THEN ref.kind ELSE ` + schema.KindExtension.Literal() + ` END,
	CASE WHEN rx.extname IS NULL THEN ref.nsp ELSE '' END,
	COALESCE(rx.extname, ref.name),
	CASE WHEN rx.extname IS NULL THEN ref.tbl ELSE '' END,
	CASE WHEN rx.extname IS NULL THEN ref.args ELSE '' END
FROM pg_catalog.pg_depend d
JOIN objs dep ON dep.cls = d.classid AND dep.oid = d.objid AND dep.sub = d.objsubid
JOIN objs ref ON ref.cls = d.refclassid AND ref.oid = d.refobjid AND ref.sub = d.refobjsubid
LEFT JOIN ext dx ON dx.classid = d.classid AND dx.objid = d.objid
LEFT JOIN ext rx ON rx.classid = d.refclassid AND rx.objid = d.refobjid
WHERE d.deptype IN ('n', 'a') AND ` + dependentFilter + ` AND d.refobjid >= 16384 AND dx.extname IS NULL`

// dependentFilter is the condition of dependencyQuery on the dependent
// object, which a read reusing tables narrows (see reused.sql).
const dependentFilter = "d.objid >= 16384"

// dependencies reads pg_depend once and returns, for every user object,
// the user objects it depends on, as identities: the second connection's
// reading when it did (see lane), or its own.
func (r *reader) dependencies(ctx context.Context) (map[schema.ID][]schema.ID, error) {
	if j := r.lane.take(dependencyQuery); j != nil {
		deps, err := j.wait(ctx)
		if err == nil {
			return deps.(map[schema.ID][]schema.ID), nil
		}
		if ctx.Err() != nil {
			return nil, err
		}
		// The second connection failed: read it here.
	}
	return readDependencies(ctx, r.tx, r.reuse.sql(dependencyQuery))
}

// readDependencies runs sql, dependencyQuery or a narrowing of it, on tx.
func readDependencies(ctx context.Context, tx pgx.Tx, sql string) (map[schema.ID][]schema.ID, error) {
	rows, err := tx.Query(ctx, sql, queryMode)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	deps := map[schema.ID][]schema.ID{}
	for rows.Next() {
		var a, b schema.ID
		var ak, bk string
		if err := rows.Scan(&ak, &a.Schema, &a.Name, &a.Table, &a.Args, &bk, &b.Schema, &b.Name, &b.Table, &b.Args); err != nil {
			return nil, err
		}
		if a.Kind, err = schema.ParseKind(ak); err != nil {
			return nil, err
		}
		if b.Kind, err = schema.ParseKind(bk); err != nil {
			return nil, err
		}
		if a == b || b.Kind == schema.KindColumn && a.Kind == schema.KindTable && a.Name == b.Table && a.Schema == b.Schema {
			continue
		}
		deps[a] = append(deps[a], b)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for k, v := range deps {
		slices.SortFunc(v, schema.ID.Compare)
		deps[k] = slices.Compact(v)
	}
	return deps, nil
}
