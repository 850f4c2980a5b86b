package introspect

import (
	"slices"

	"github.com/schemadiff/schemadiff/schema"
)

// attachDeps gives every object the dependencies pg_depend records for it.
// Dependencies of a table-owned object on its own table's columns are left
// out: the owning table's definition already implies them. Tables reused
// from an earlier read keep theirs.
func attachDeps(cat *schema.Catalog, deps map[schema.ID][]schema.ID, reused func(schema.QName) bool) {
	for _, q := range schema.SortedQNames(cat.Tables) {
		if reused(q) {
			continue
		}
		t := cat.Tables[q]
		own := func(ids []schema.ID) []schema.ID {
			return orNil(slices.DeleteFunc(slices.Clone(ids), func(id schema.ID) bool {
				return id.Schema == q.Schema && (id.Table == q.Name && id.Kind == schema.KindColumn ||
					id.Name == q.Name && id.Kind == schema.KindTable)
			}))
		}
		// Columns and constraints keep the table's other columns they use
		// (a generated column's base columns, a constraint's predicate),
		// which order their drops before those columns'.
		ownTable := func(ids []schema.ID, self schema.ID) []schema.ID {
			return orNil(slices.DeleteFunc(slices.Clone(ids), func(id schema.ID) bool {
				return id == self || id.Schema == q.Schema && id.Name == q.Name && id.Kind == schema.KindTable
			}))
		}
		for _, c := range t.Columns {
			id := schema.ID{Kind: schema.KindColumn, Schema: q.Schema, Table: q.Name, Name: c.Name}
			c.Deps = ownTable(deps[id], id)
		}
		for _, c := range t.Constraints {
			id := schema.ID{Kind: schema.KindConstraint, Schema: q.Schema, Table: q.Name, Name: c.Name}
			c.Deps = ownTable(deps[id], id)
		}
		for _, ix := range t.Indexes {
			ix.Deps = own(deps[schema.ID{Kind: schema.KindIndex, Schema: ix.Schema, Name: ix.Name}])
		}
		for _, tr := range t.Triggers {
			tr.Deps = appendNew(tr.Deps, own(deps[tr.ID()])...)
		}
		for _, p := range t.Policies {
			p.Deps = appendNew(p.Deps, own(deps[p.ID()])...)
		}
	}
	for _, v := range cat.Views {
		v.Deps = appendNew(v.Deps, deps[v.ID()]...)
		for _, ix := range v.Indexes {
			ix.Deps = deps[schema.ID{Kind: schema.KindIndex, Schema: ix.Schema, Name: ix.Name}]
		}
	}
	for _, f := range cat.Functions {
		f.Deps = appendNew(f.Deps, deps[f.ID()]...)
	}
	for q, d := range cat.Domains {
		d.Deps = appendNew(d.Deps, deps[schema.ID{Kind: schema.KindDomain, Schema: q.Schema, Name: q.Name}]...)
	}
	for q, c := range cat.Composites {
		c.Deps = appendNew(c.Deps, deps[schema.ID{Kind: schema.KindCompositeType, Schema: q.Schema, Name: q.Name}]...)
	}
	for q, rt := range cat.Ranges {
		rt.Deps = appendNew(rt.Deps, deps[schema.ID{Kind: schema.KindRangeType, Schema: q.Schema, Name: q.Name}]...)
	}
}

// orNil returns list, or nil when it is empty: a catalog holds no empty
// lists, so that it survives encoding (see the kept desired catalog in
// internal/pipeline) unchanged.
func orNil[T any](list []T) []T {
	if len(list) == 0 {
		return nil
	}
	return list
}

// appendNew appends the ids not in list yet, keeping the result sorted.
func appendNew(list []schema.ID, ids ...schema.ID) []schema.ID {
	for _, id := range ids {
		if !slices.Contains(list, id) {
			list = append(list, id)
		}
	}
	slices.SortFunc(list, schema.ID.Compare)
	return list
}

// pruneUnsupported removes from the unsupported list the objects that the
// catalog models: those it holds by identity (Catalog.Lookup), a view
// whichever its kind, a range type's multirange, and row level security
// flags a table holds.
func pruneUnsupported(cat *schema.Catalog) {
	defer func() { cat.Unsupported = orNil(cat.Unsupported) }()
	cat.Unsupported = slices.DeleteFunc(cat.Unsupported, func(id schema.ID) bool {
		q := schema.QName{Schema: id.Schema, Name: id.Name}
		switch id.Kind {
		case schema.KindView, schema.KindMaterializedView:
			_, ok := cat.Views[q]
			return ok
		case schema.KindMultirangeType:
			for _, rt := range cat.Ranges {
				if rt.Schema == q.Schema && (rt.Multirange == "" && derivedMultirangeName(rt.Name) == q.Name ||
					rt.Multirange == schema.QualifiedIdent(q.Schema, q.Name)) {
					return true
				}
			}
			return false
		case schema.KindRowLevelSecurity:
			t, ok := cat.Tables[q]
			return ok && (t.RowSecurity || t.ForceRowSecurity)
		}
		_, ok := cat.Lookup(id)
		return ok
	})
}
