package introspect

import "context"

// domains reads domain types.
func (r *reader) domains(ctx context.Context) error { return nil }

// composites reads standalone composite types.
func (r *reader) composites(ctx context.Context) error { return nil }

// collations reads user-defined collations.
func (r *reader) collations(ctx context.Context) error { return nil }
