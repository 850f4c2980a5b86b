package introspect

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/schemadiff/schemadiff/schema"
)

// publicationRel is one row of pg_publication_rel as publications reads it.
type publicationRel struct {
	Schema  string   `json:"schema"`
	Table   string   `json:"table"`
	Columns []string `json:"columns"`
	Where   *string  `json:"where"`
	// Uses are the columns the column list and the row filter use.
	Uses []string `json:"uses"`
}

// publications reads the publications with the tables they list, their
// column lists and row filters, and the schemas of FOR TABLES IN SCHEMA.
func (r *reader) publications(ctx context.Context) error {
	return r.query(ctx, `SELECT p.pubname, p.puballtables, p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate,
			p.pubviaroot, COALESCE(pg_catalog.obj_description(p.oid, 'pg_publication'), ''),
			ARRAY(SELECT n.nspname::text FROM pg_catalog.pg_publication_namespace pn
				JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid
				WHERE pn.pnpubid = p.oid ORDER BY 1),
			COALESCE((SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
					'schema', n.nspname, 'table', c.relname,
					'columns', (SELECT pg_catalog.json_agg(a.attname ORDER BY a.attnum)
						FROM pg_catalog.pg_attribute a
						WHERE a.attrelid = pr.prrelid AND a.attnum = ANY (pr.prattrs::pg_catalog.int2[])),
					'where', pg_catalog.pg_get_expr(pr.prqual, pr.prrelid),
					'uses', (SELECT pg_catalog.json_agg(DISTINCT a.attname)
						FROM pg_catalog.pg_depend d
						JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
						WHERE d.classid = 'pg_catalog.pg_publication_rel'::pg_catalog.regclass AND d.objid = pr.oid
							AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
							AND d.refobjid = pr.prrelid AND d.refobjsubid > 0))
					ORDER BY n.nspname, c.relname)
				FROM pg_catalog.pg_publication_rel pr
				JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid
				JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
				WHERE pr.prpubid = p.oid), '[]')
		FROM pg_catalog.pg_publication p
		ORDER BY 1`, func(rows scanner) error {
		var p schema.Publication
		var rels []byte
		if err := rows.Scan(&p.Name, &p.AllTables, &p.Publish.Insert, &p.Publish.Update, &p.Publish.Delete,
			&p.Publish.Truncate, &p.ViaPartitionRoot, &p.Comment, &p.Schemas, &rels); err != nil {
			return err
		}
		if len(p.Schemas) == 0 {
			p.Schemas = nil
		}
		var list []publicationRel
		if err := json.Unmarshal(rels, &list); err != nil {
			return fmt.Errorf("reading the tables of publication %s: %w", p.Name, err)
		}
		for _, rel := range list {
			p.Tables = append(p.Tables, publicationTable(p.Name, rel))
		}
		r.cat.Publications[p.Name] = &p
		return nil
	})
}

// publicationTable models one table of publication pub.
func publicationTable(pub string, rel publicationRel) *schema.PublicationTable {
	q := schema.QName{Schema: rel.Schema, Name: rel.Table}
	m := &schema.PublicationTable{Publication: pub, Table: q, Columns: rel.Columns,
		Deps: []schema.ID{{Kind: schema.KindTable, Schema: q.Schema, Name: q.Name}}}
	if rel.Where != nil {
		m.Where = *rel.Where
	}
	for _, col := range rel.Uses {
		m.Deps = append(m.Deps, schema.ID{Kind: schema.KindColumn, Schema: q.Schema, Table: q.Name, Name: col})
	}
	return m
}
