package diff

import "github.com/schemadiff/schemadiff/schema"

// functions diffs functions and procedures.
func (d *differ) functions() {}

// functionDrop drops a function or procedure of the current catalog.
func (d *differ) functionDrop(f *schema.Function) Change { return Change{} }

// functionCreate creates a function or procedure of the desired catalog,
// with its comment.
func (d *differ) functionCreate(f *schema.Function) []Change { return nil }

// triggers diffs triggers of tables and views.
func (d *differ) triggers() {}

// triggerDrop drops a trigger of the current catalog.
func (d *differ) triggerDrop(t *schema.Trigger) Change { return Change{} }

// triggerCreate creates a trigger of the desired catalog.
func (d *differ) triggerCreate(t *schema.Trigger) []Change { return nil }
