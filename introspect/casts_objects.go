package introspect

import (
	"context"

	"github.com/schemadiff/schemadiff/schema"
)

// userCasts reads the casts created by CREATE CAST: those not built into
// PostgreSQL, not members of an extension and not made by PostgreSQL for
// another object (deptype 'i').
func (r *reader) userCasts(ctx context.Context) error {
	return r.query(ctx, `SELECT pg_catalog.format_type(x.castsource, NULL), pg_catalog.format_type(x.casttarget, NULL),
			x.castmethod::text, x.castcontext::text,
			COALESCE(fn.nspname, ''), COALESCE(p.proname, ''),
			COALESCE(pg_catalog.pg_get_function_identity_arguments(NULLIF(x.castfunc, 0)), ''),
			COALESCE(pg_catalog.obj_description(x.oid, 'pg_cast'), '')
		FROM pg_catalog.pg_cast x
		LEFT JOIN pg_catalog.pg_proc p ON p.oid = x.castfunc
		LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = p.pronamespace
		WHERE x.oid >= 16384 AND `+notExtensionMember("pg_cast", "x.oid")+`
			AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i
				WHERE i.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND i.objid = x.oid AND i.deptype = 'i')
		ORDER BY 1, 2`, func(rows scanner) error {
		var c schema.Cast
		var method, context string
		if err := rows.Scan(&c.Source, &c.Target, &method, &context,
			&c.Function.Schema, &c.Function.Name, &c.Function.Args, &c.Comment); err != nil {
			return err
		}
		c.Method, c.Context = schema.CastMethod(method), schema.CastContext(context)
		if c.Method == schema.CastWithFunction {
			c.Function.Kind = schema.KindFunction
			c.Deps = append(c.Deps, c.Function)
		} else {
			c.Function = schema.ID{}
		}
		for _, t := range []string{c.Source, c.Target} {
			if id, ok := r.userType(t); ok {
				c.Deps = appendNew(c.Deps, id)
			}
		}
		r.cat.UserCasts[schema.TypePair{From: c.Source, To: c.Target}] = &c
		return nil
	})
}

// userType returns the identity of the modelled type t names (an enum,
// domain, composite or range type), if it is one.
func (r *reader) userType(t string) (schema.ID, bool) {
	q, err := schema.ParseQName(t, "")
	if err != nil || q.Schema == "" {
		return schema.ID{}, false
	}
	id := schema.ID{Schema: q.Schema, Name: q.Name}
	switch {
	case r.cat.Enums[q] != nil:
		id.Kind = schema.KindEnum
	case r.cat.Domains[q] != nil:
		id.Kind = schema.KindDomain
	case r.cat.Composites[q] != nil:
		id.Kind = schema.KindCompositeType
	case r.cat.Ranges[q] != nil:
		id.Kind = schema.KindRangeType
	default:
		return schema.ID{}, false
	}
	return id, true
}
