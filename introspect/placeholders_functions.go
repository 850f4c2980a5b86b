package introspect

import "context"

// functions reads functions and procedures.
func (r *reader) functions(ctx context.Context) error { return nil }

// triggers reads triggers of tables and views.
func (r *reader) triggers(ctx context.Context) error { return nil }
