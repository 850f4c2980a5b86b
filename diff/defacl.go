package diff

import (
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// defaultACLID names a set of default privileges, e.g. `default privileges
// on tables in schema app for role owner`.
func defaultACLID(k schema.DefaultACL) schema.ID {
	name := "on " + strings.ToLower(k.Objects)
	if k.Schema != "" {
		name += " in schema " + k.Schema
	}
	if k.Role != "" {
		name += " for role " + k.Role
	}
	return schema.ID{Kind: schema.KindDefaultPrivileges, Name: name}
}

// defaultACLs returns the default privileges of cat with the role that
// read either catalog (the one running the migrations, and the one that
// loaded the desired schema) as "".
func (d *differ) defaultACLs(cat *schema.Catalog) map[schema.DefaultACL][]schema.Grant {
	out := map[schema.DefaultACL][]schema.Grant{}
	for k, gs := range cat.DefaultPrivileges {
		if k.Role != "" && (k.Role == d.from.CurrentUser || k.Role == d.to.CurrentUser) {
			k.Role = ""
		}
		out[k] = gs
	}
	return out
}

// defaultPrivileges diffs ALTER DEFAULT PRIVILEGES. Those of a schema the
// plan drops go with it.
func (d *differ) defaultPrivileges() {
	from, to := d.defaultACLs(d.from), d.defaultACLs(d.to)
	keys := map[schema.DefaultACL]bool{}
	for k := range from {
		keys[k] = true
	}
	for k := range to {
		keys[k] = true
	}
	sorted := slices.SortedFunc(func(yield func(schema.DefaultACL) bool) {
		for k := range keys {
			if !yield(k) {
				return
			}
		}
	}, func(a, b schema.DefaultACL) int {
		return strings.Compare(a.Role+"\x00"+a.Schema+"\x00"+a.Objects, b.Role+"\x00"+b.Schema+"\x00"+b.Objects)
	})
	for _, k := range sorted {
		if _, ok := d.to.Schemas[k.Schema]; k.Schema != "" && !ok {
			continue
		}
		var builtin []schema.Grant
		if k.Schema == "" {
			builtin = schema.BuiltinDefaultGrants(k.Objects)
		}
		current, ok := from[k]
		if !ok {
			current = builtin
		}
		want, ok := to[k]
		if !ok {
			want = builtin
		}
		prefix := "ALTER DEFAULT PRIVILEGES "
		if k.Role != "" {
			prefix += "FOR ROLE " + schema.Ident(k.Role) + " "
		}
		if k.Schema != "" {
			prefix += "IN SCHEMA " + schema.Ident(k.Schema) + " "
		}
		o := aclObject{id: defaultACLID(k), target: k.Objects, grants: want, prefix: prefix}
		c, ok := grantChange(o, current, current)
		if !ok {
			continue
		}
		c.Object, c.Requires = o.id, nil
		if k.Schema != "" {
			c.Requires = []schema.ID{schemaID(k.Schema)}
		}
		d.add(c)
	}
}

// defaultPrivilegesLast makes changes to default privileges run after every
// object the plan creates: those objects get exactly the privileges the
// plan gives them, as they have in the desired state, whose schema files
// may have changed them after the defaults applied.
func (d *differ) defaultPrivilegesLast() {
	var creates []Ref
	for _, c := range d.changes {
		if c.Op == OpCreate {
			creates = append(creates, Ref{c.Op, c.Object})
		}
	}
	for i := range d.changes {
		if d.changes[i].Object.Kind == schema.KindDefaultPrivileges {
			d.changes[i].After = append(d.changes[i].After, creates...)
		}
	}
}

// creationGrants returns the privileges o has when the plan creates it: the
// built-in defaults of its kind, as the current default privileges of the
// role running the plan change them (changes to those run after every
// create).
func (d *differ) creationGrants(o aclObject) []schema.Grant {
	objects := schema.DefaultACLObjectsOfKind(o.id.Kind)
	if objects == "" || o.column != "" {
		return o.defaults
	}
	current := d.defaultACLs(d.from)
	grants := o.defaults
	if gs, ok := current[schema.DefaultACL{Objects: objects}]; ok {
		grants = gs
	}
	if objects != "SCHEMAS" {
		if gs, ok := current[schema.DefaultACL{Schema: o.id.Schema, Objects: objects}]; ok {
			grants = append(slices.Clone(grants), gs...)
		}
	}
	return grants
}
