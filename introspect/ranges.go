package introspect

import (
	"context"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// ranges reads range types. Options at their defaults (the subtype's
// default operator class and collation, the derived multirange name) are
// left empty.
func (r *reader) ranges(ctx context.Context) error {
	return r.query(ctx, `SELECT n.nspname, t.typname, pg_catalog.format_type(rg.rngsubtype, NULL),
			CASE WHEN oc.opcdefault THEN '' ELSE pg_catalog.quote_ident(ocn.nspname) || '.' || pg_catalog.quote_ident(oc.opcname) END,
			COALESCE(CASE WHEN rg.rngcollation <> 0 AND rg.rngcollation <> st.typcollation THEN cn.nspname END, ''),
			COALESCE(CASE WHEN rg.rngcollation <> 0 AND rg.rngcollation <> st.typcollation THEN co.collname END, ''),
			CASE WHEN rg.rngcanonical <> 0 THEN rg.rngcanonical::pg_catalog.regproc::text ELSE '' END,
			CASE WHEN rg.rngsubdiff <> 0 THEN rg.rngsubdiff::pg_catalog.regproc::text ELSE '' END,
			mn.nspname, mt.typname,
			COALESCE(pg_catalog.obj_description(t.oid, 'pg_type'), '')
		FROM pg_catalog.pg_range rg
		JOIN pg_catalog.pg_type t ON t.oid = rg.rngtypid
		JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
		JOIN pg_catalog.pg_type st ON st.oid = rg.rngsubtype
		JOIN pg_catalog.pg_opclass oc ON oc.oid = rg.rngsubopc
		JOIN pg_catalog.pg_namespace ocn ON ocn.oid = oc.opcnamespace
		LEFT JOIN pg_catalog.pg_collation co ON co.oid = rg.rngcollation
		LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
		JOIN pg_catalog.pg_type mt ON mt.oid = rg.rngmultitypid
		JOIN pg_catalog.pg_namespace mn ON mn.oid = mt.typnamespace
		WHERE `+userSchemas+` AND `+notExtensionMember("pg_type", "t.oid")+`
		ORDER BY 1, 2`, func(rows scanner) error {
		var (
			rt                 schema.RangeType
			collSchema, coll   string
			multiSchema, multi string
		)
		if err := rows.Scan(&rt.Schema, &rt.Name, &rt.Subtype, &rt.Opclass, &collSchema, &coll,
			&rt.Canonical, &rt.SubtypeDiff, &multiSchema, &multi, &rt.Comment); err != nil {
			return err
		}
		if coll != "" {
			rt.Collation = &schema.QName{Schema: collSchema, Name: coll}
		}
		if multiSchema != rt.Schema || multi != derivedMultirangeName(rt.Name) {
			rt.Multirange = schema.QualifiedIdent(multiSchema, multi)
		}
		r.cat.Ranges[rt.QName] = &rt
		return nil
	})
}

// derivedMultirangeName is the name PostgreSQL gives a range type's
// multirange type when CREATE TYPE does not name it.
func derivedMultirangeName(rangeName string) string {
	if i := strings.Index(rangeName, "range"); i >= 0 {
		return rangeName[:i] + "multirange" + rangeName[i+len("range"):]
	}
	return rangeName + "_multirange"
}
