package introspect

import (
	"context"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// domains reads domain types with their CHECK constraints, one query for
// the domains and one for all their constraints.
func (r *reader) domains(ctx context.Context) error {
	oids := map[uint32]*schema.Domain{}
	err := r.query(ctx, `SELECT t.oid, n.nspname, t.typname,
			pg_catalog.format_type(t.typbasetype, t.typtypmod),
			cn.nspname, co.collname,
			COALESCE(pg_catalog.pg_get_expr(t.typdefaultbin, 0), t.typdefault, ''),
			t.typnotnull,
			COALESCE(pg_catalog.obj_description(t.oid, 'pg_type'), '')
		FROM pg_catalog.pg_type t
		JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
		JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
		LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation AND t.typcollation <> bt.typcollation
		LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
		WHERE t.typtype = 'd' AND `+userSchemas+` AND `+notExtensionMember("pg_type", "t.oid")+`
		ORDER BY 2, 3`, func(rows scanner) error {
		var (
			oid                  uint32
			d                    schema.Domain
			collSchema, collName *string
		)
		if err := rows.Scan(&oid, &d.Schema, &d.Name, &d.BaseType, &collSchema, &collName,
			&d.Default, &d.NotNull, &d.Comment); err != nil {
			return err
		}
		if collName != nil {
			d.Collation = &schema.QName{Schema: *collSchema, Name: *collName}
		}
		r.cat.Domains[d.QName] = &d
		oids[oid] = &d
		return nil
	})
	if err != nil {
		return err
	}
	// Domain NOT NULL is typnotnull; only CHECK constraints are listed.
	return r.query(ctx, `SELECT con.contypid, con.conname, pg_catalog.pg_get_constraintdef(con.oid),
			con.convalidated, COALESCE(pg_catalog.obj_description(con.oid, 'pg_constraint'), '')
		FROM pg_catalog.pg_constraint con
		WHERE con.contypid <> 0 AND con.contype = 'c'
		ORDER BY con.contypid, con.conname`, func(rows scanner) error {
		var (
			oid uint32
			c   schema.DomainConstraint
		)
		if err := rows.Scan(&oid, &c.Name, &c.Definition, &c.Validated, &c.Comment); err != nil {
			return err
		}
		if d := oids[oid]; d != nil {
			d.Constraints = append(d.Constraints, &c)
		}
		return nil
	})
}

// composites reads standalone composite types and their attributes.
func (r *reader) composites(ctx context.Context) error {
	return r.query(ctx, `SELECT n.nspname, t.typname,
			COALESCE(pg_catalog.obj_description(t.oid, 'pg_type'), ''),
			ARRAY(SELECT ARRAY[a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
					COALESCE(acn.nspname, ''), COALESCE(aco.collname, ''),
					COALESCE(pg_catalog.col_description(a.attrelid, a.attnum), '')]
				FROM pg_catalog.pg_attribute a
				JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
				LEFT JOIN pg_catalog.pg_collation aco ON aco.oid = a.attcollation AND a.attcollation <> at.typcollation
				LEFT JOIN pg_catalog.pg_namespace acn ON acn.oid = aco.collnamespace
				WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
				ORDER BY a.attnum)
		FROM pg_catalog.pg_type t
		JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
		JOIN pg_catalog.pg_class c ON c.oid = t.typrelid
		WHERE t.typtype = 'c' AND c.relkind = 'c' AND `+userSchemas+`
			AND `+notExtensionMember("pg_type", "t.oid")+`
		ORDER BY 1, 2`, func(rows scanner) error {
		var (
			ct    schema.CompositeType
			attrs [][]string
		)
		if err := rows.Scan(&ct.Schema, &ct.Name, &ct.Comment, &attrs); err != nil {
			return err
		}
		for _, a := range attrs {
			at := &schema.Attribute{Name: a[0], Type: a[1], Comment: a[4]}
			if a[3] != "" {
				at.Collation = &schema.QName{Schema: a[2], Name: a[3]}
			}
			ct.Attributes = append(ct.Attributes, at)
		}
		r.cat.Composites[ct.QName] = &ct
		return nil
	})
}

// collations reads user-defined collations. The ICU locale column is read
// through to_jsonb because its name changed across versions (colliculocale
// in 15 and 16, colllocale from 17).
func (r *reader) collations(ctx context.Context) error {
	return r.query(ctx, `SELECT n.nspname, co.collname, co.collprovider::text,
			COALESCE(co.collcollate, ''), COALESCE(co.collctype, ''),
			COALESCE(pg_catalog.to_jsonb(co) ->> 'colllocale', pg_catalog.to_jsonb(co) ->> 'colliculocale', ''),
			co.collisdeterministic,
			COALESCE(pg_catalog.obj_description(co.oid, 'pg_collation'), '')
		FROM pg_catalog.pg_collation co
		JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
		WHERE `+userSchemas+` AND `+notExtensionMember("pg_collation", "co.oid")+`
		ORDER BY 1, 2`, func(rows scanner) error {
		var c schema.Collation
		if err := rows.Scan(&c.Schema, &c.Name, &c.Provider, &c.Collate, &c.Ctype, &c.Locale,
			&c.Deterministic, &c.Comment); err != nil {
			return err
		}
		c.Provider = strings.Trim(c.Provider, "\x00")
		r.cat.Collations[c.QName] = &c
		return nil
	})
}
