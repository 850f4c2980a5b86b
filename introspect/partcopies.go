package introspect

import (
	"context"

	"github.com/schemadiff/schemadiff/schema"
)

// parentConstraints reads the constraints partitions hold as copies of
// their parents' (not local to them), which detaching a partition leaves
// on it.
func (r *reader) parentConstraints(ctx context.Context) error {
	return r.query(ctx, `SELECT con.conrelid, con.conname, con.contype,
			pg_catalog.pg_get_constraintdef(con.oid),
			ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
				JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i),
			fn.nspname, fc.relname,
			ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
				JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i),
			con.convalidated
		FROM pg_catalog.pg_constraint con
		JOIN pg_catalog.pg_class rc ON rc.oid = con.conrelid
		LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
		LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
		WHERE con.contype IN ('p', 'u', 'c', 'f', 'x') AND NOT con.conislocal AND rc.relispartition
			AND con.conrelid IN `+tableFilter+`
		ORDER BY con.conrelid, con.conname`, func(rows scanner) error {
		var (
			oid              uint32
			c                schema.Constraint
			contype          string
			refSchema, refNm *string
		)
		if err := rows.Scan(&oid, &c.Name, &contype, &c.Definition, &c.Columns, &refSchema, &refNm,
			&c.RefColumns, &c.Validated); err != nil {
			return err
		}
		t := r.tableOIDs[oid]
		if t == nil || t.PartitionOf == nil {
			return nil
		}
		c.Type = schema.ConstraintType(contype)
		if refSchema != nil {
			c.References = &schema.QName{Schema: *refSchema, Name: *refNm}
		}
		if len(c.RefColumns) == 0 {
			c.RefColumns = nil
		}
		t.ParentConstraints = append(t.ParentConstraints, &c)
		return nil
	})
}
