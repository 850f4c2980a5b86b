package diff

import "github.com/schemadiff/schemadiff/schema"

// views diffs views and materialized views.
func (d *differ) views() {}

// viewDrop drops a view or materialized view of the current catalog.
func (d *differ) viewDrop(v *schema.View) Change { return Change{} }

// viewCreate creates a view or materialized view of the desired catalog
// with everything attached to it (indexes, comments, triggers excepted).
func (d *differ) viewCreate(v *schema.View) []Change { return nil }
