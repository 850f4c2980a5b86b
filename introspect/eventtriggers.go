package introspect

import (
	"context"

	"github.com/schemadiff/schemadiff/schema"
)

// eventTriggers reads the database's event triggers.
func (r *reader) eventTriggers(ctx context.Context) error {
	return r.query(ctx, `SELECT e.evtname, e.evtevent, COALESCE(e.evttags, '{}'), e.evtenabled::text,
			COALESCE(pg_catalog.obj_description(e.oid, 'pg_event_trigger'), ''),
			n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)
		FROM pg_catalog.pg_event_trigger e
		JOIN pg_catalog.pg_proc p ON p.oid = e.evtfoid
		JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
		WHERE `+notExtensionMember("pg_event_trigger", "e.oid")+`
		ORDER BY 1`, func(rows scanner) error {
		var e schema.EventTrigger
		if err := rows.Scan(&e.Name, &e.Event, &e.Tags, &e.Enabled, &e.Comment,
			&e.Function.Schema, &e.Function.Name, &e.Function.Args); err != nil {
			return err
		}
		e.Function.Kind = schema.KindFunction
		if len(e.Tags) == 0 {
			e.Tags = nil
		}
		r.cat.EventTriggers[e.Name] = &e
		return nil
	})
}
