package diff

import "github.com/schemadiff/schemadiff/schema"

// policies diffs row-level security policies and tables' RLS flags.
func (d *differ) policies() {}

// policyDrop drops a policy of the current catalog.
func (d *differ) policyDrop(p *schema.Policy) Change { return Change{} }

// policyCreate creates a policy of the desired catalog.
func (d *differ) policyCreate(p *schema.Policy) []Change { return nil }

// grants diffs privileges on every modelled object.
func (d *differ) grants() {}

// grantChanges returns the GRANT statements that give a (re)created
// object of the desired catalog its privileges.
func (d *differ) grantChanges(id schema.ID) []Change { return nil }
