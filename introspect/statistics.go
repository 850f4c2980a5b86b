package introspect

import (
	"context"

	"github.com/schemadiff/schemadiff/schema"
)

// statistics reads the extended statistics objects of tables. Those on
// materialized views and foreign tables are listed as unsupported.
func (r *reader) statistics(ctx context.Context) error {
	return r.query(ctx, `SELECT s.stxrelid, n.nspname, s.stxname, pg_catalog.pg_get_statisticsobjdef(s.oid),
			COALESCE(s.stxstattarget::int, -1),
			COALESCE(pg_catalog.obj_description(s.oid, 'pg_statistic_ext'), ''),
			ARRAY(SELECT DISTINCT a.attname::text FROM pg_catalog.pg_depend d
				JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
				WHERE d.classid = 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass AND d.objid = s.oid
					AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjsubid > 0
				ORDER BY 1),
			rn.nspname, rc.relname, rc.relkind::text
		FROM pg_catalog.pg_statistic_ext s
		JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace
		JOIN pg_catalog.pg_class rc ON rc.oid = s.stxrelid
		JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
		WHERE rn.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
			AND rn.nspname NOT LIKE 'pg\_temp\_%' AND rn.nspname NOT LIKE 'pg\_toast\_temp\_%'
			AND `+notExtensionMember("pg_statistic_ext", "s.oid")+`
		ORDER BY n.nspname, s.stxname`, func(rows scanner) error {
		var (
			oid     uint32
			st      schema.Statistics
			cols    []string
			relkind string
			rel     schema.QName
		)
		if err := rows.Scan(&oid, &st.Schema, &st.Name, &st.Definition, &st.Target, &st.Comment, &cols,
			&rel.Schema, &rel.Name, &relkind); err != nil {
			return err
		}
		t := r.tableOIDs[oid]
		if t == nil {
			if relkind != "r" && relkind != "p" {
				r.cat.Unsupported = append(r.cat.Unsupported, schema.ID{Kind: schema.KindStatistics, Schema: st.Schema, Name: st.Name})
			}
			return nil
		}
		st.Table = t.QName
		for _, c := range cols {
			st.Deps = append(st.Deps, schema.ID{Kind: schema.KindColumn, Schema: t.Schema, Table: t.Name, Name: c})
		}
		t.Statistics = append(t.Statistics, &st)
		return nil
	})
}
