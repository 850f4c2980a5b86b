package introspect

import (
	"context"

	"github.com/schemadiff/schemadiff/schema"
)

// casts reads pg_cast: whether PostgreSQL converts a column's values to a
// new type on its own (assignment) or needs an explicit USING.
func (r *reader) casts(ctx context.Context) error {
	return r.query(ctx, `SELECT pg_catalog.format_type(c.castsource, NULL), pg_catalog.format_type(c.casttarget, NULL),
			c.castcontext::text
		FROM pg_catalog.pg_cast c
		ORDER BY 1, 2`, func(rows scanner) error {
		var p schema.TypePair
		var context string
		if err := rows.Scan(&p.From, &p.To, &context); err != nil {
			return err
		}
		r.cat.Casts[p] = schema.CastContext(context)
		return nil
	})
}
