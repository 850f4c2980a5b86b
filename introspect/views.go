package introspect

import (
	"context"
	"fmt"
	"slices"

	"github.com/schemadiff/schemadiff/schema"
)

// viewFilter restricts a query on relation oids to the views and
// materialized views read by views().
var viewFilter = `(SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	WHERE c.relkind IN ('v', 'm') AND ` + userSchemas + ` AND ` + notExtensionMember("pg_class", "c.oid") + `)`

// views reads views and materialized views with their columns, options,
// comments and (for materialized views) indexes. A column whose collation
// differs from its type's default has the collation appended to its type
// ("text COLLATE pg_catalog.\"C\""): CREATE OR REPLACE VIEW cannot change
// it either.
func (r *reader) views(ctx context.Context) error {
	byOID := map[uint32]*schema.View{}
	err := r.query(ctx, `SELECT c.oid, n.nspname, c.relname, c.relkind = 'm',
			pg_catalog.pg_get_viewdef(c.oid, false),
			COALESCE(c.reloptions, '{}'::text[]),
			COALESCE(dsc.description, ''),
			COALESCE(cols.names, '{}'), COALESCE(cols.types, '{}'), COALESCE(cols.comments, '{}'),
			COALESCE(cols.defaults, '{}')
		FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN LATERAL (
			SELECT array_agg(a.attname ORDER BY a.attnum) AS names,
				array_agg(pg_catalog.format_type(a.atttypid, a.atttypmod) ||
					CASE WHEN a.attcollation <> t.typcollation
						THEN ' COLLATE ' || pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
						ELSE '' END ORDER BY a.attnum) AS types,
				array_agg(COALESCE(adsc.description, '') ORDER BY a.attnum) AS comments,
				array_agg(COALESCE(pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), '') ORDER BY a.attnum) AS defaults
			FROM pg_catalog.pg_attribute a
			JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
			LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
			LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
			LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
			LEFT JOIN pg_catalog.pg_description adsc ON adsc.objoid = a.attrelid
				AND adsc.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND adsc.objsubid = a.attnum
			WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		) cols ON true
		LEFT JOIN pg_catalog.pg_description dsc ON dsc.objoid = c.oid
			AND dsc.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dsc.objsubid = 0
		WHERE c.oid IN `+viewFilter+`
		ORDER BY 2, 3`, func(rows scanner) error {
		var (
			oid                    uint32
			v                      schema.View
			names, types, comments []string
			defaults               []string
		)
		if err := rows.Scan(&oid, &v.Schema, &v.Name, &v.Materialized, &v.Definition, &v.Options,
			&v.Comment, &names, &types, &comments, &defaults); err != nil {
			return err
		}
		for i, name := range names {
			v.Columns = append(v.Columns, schema.ViewColumn{Name: name, Type: types[i], Comment: comments[i], Default: defaults[i]})
		}
		slices.Sort(v.Options)
		if len(v.Options) == 0 {
			v.Options = nil
		}
		r.cat.Views[v.QName] = &v
		byOID[oid] = &v
		return nil
	})
	if err != nil {
		return err
	}
	err = r.query(ctx, `SELECT i.indrelid, n.nspname, c.relname, pg_catalog.pg_get_indexdef(i.indexrelid),
			ARRAY(SELECT DISTINCT a.attname FROM pg_catalog.pg_depend d
				JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
				WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = i.indexrelid
					AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjsubid > 0
				ORDER BY 1),
			COALESCE(dsc.description, '')
		FROM pg_catalog.pg_index i
		JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
		JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN pg_catalog.pg_description dsc ON dsc.objoid = i.indexrelid
			AND dsc.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dsc.objsubid = 0
		WHERE i.indrelid IN `+viewFilter+`
		ORDER BY 2, 3`, func(rows scanner) error {
		var (
			oid uint32
			ix  schema.Index
			def string
		)
		if err := rows.Scan(&oid, &ix.Schema, &ix.Name, &def, &ix.Columns, &ix.Comment); err != nil {
			return err
		}
		if err := setIndexDefinition(&ix, def); err != nil {
			return err
		}
		v := byOID[oid]
		if v == nil {
			return nil
		}
		ix.Table = v.QName
		v.Indexes = append(v.Indexes, &ix)
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading materialized view indexes: %w", err)
	}
	return nil
}
