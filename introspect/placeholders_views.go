package introspect

import "context"

// views reads views and materialized views with their indexes.
func (r *reader) views(ctx context.Context) error { return nil }
