package diff

import (
	"fmt"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

func rangeID(q schema.QName) schema.ID {
	return schema.ID{Kind: schema.KindRangeType, Schema: q.Schema, Name: q.Name}
}

// rangeDefinition returns the CREATE TYPE statement of a range type.
func rangeDefinition(rt *schema.RangeType) string {
	opts := []string{"SUBTYPE = " + rt.Subtype}
	if rt.Opclass != "" {
		opts = append(opts, "SUBTYPE_OPCLASS = "+rt.Opclass)
	}
	if rt.Collation != nil {
		opts = append(opts, "COLLATION = "+rt.Collation.Quoted())
	}
	if rt.Canonical != "" {
		opts = append(opts, "CANONICAL = "+rt.Canonical)
	}
	if rt.SubtypeDiff != "" {
		opts = append(opts, "SUBTYPE_DIFF = "+rt.SubtypeDiff)
	}
	if rt.Multirange != "" {
		opts = append(opts, "MULTIRANGE_TYPE_NAME = "+rt.Multirange)
	}
	return fmt.Sprintf("CREATE TYPE %s AS RANGE (%s)", rt.Quoted(), strings.Join(opts, ", "))
}

func (d *differ) createRange(rt *schema.RangeType) Change {
	requires := append([]schema.ID{schemaID(rt.Schema)}, rt.Deps...)
	if rt.Collation != nil {
		requires = append(requires, collationID(*rt.Collation))
	}
	c := Change{Op: OpCreate, Object: rangeID(rt.QName), Requires: requires,
		Statements: []Statement{stmt(rangeDefinition(rt))}}
	if rt.Comment != "" {
		c.Statements = append(c.Statements, commentStmt("TYPE "+rt.Quoted(), rt.Comment))
	}
	return c
}

func (d *differ) dropRange(rt *schema.RangeType) Change {
	return Change{Op: OpDrop, Object: rangeID(rt.QName), Requires: rt.Deps,
		Statements: []Statement{stmt("DROP TYPE " + rt.Quoted())}}
}

// rangeUsers lists the table columns of the range type q that the plan
// keeps (those it drops go before the type).
func (d *differ) rangeUsers(q schema.QName) []string {
	var out []string
	for _, u := range d.index(d.from).columnsOfType(q) {
		if t, ok := d.to.Tables[u.key]; ok && t.Column(u.col.Name) != nil {
			out = append(out, u.key.String()+"."+u.col.Name)
		}
	}
	return out
}

// rangeKind diffs range types. A changed definition drops the type and
// creates it again, with the functions and views that use it and its
// privileges; columns of the type would lose their data, so that is
// refused.
var rangeKind = register(&kindDiffer[*schema.RangeType]{
	kind:   schema.KindRangeType,
	create: func(d *differ, rt *schema.RangeType) []Change { return one(d.createRange(rt)) },
	drop:   (*differ).dropRange,
	refuse: func(d *differ, old, rt *schema.RangeType) error {
		if rangeDefinition(old) == rangeDefinition(rt) {
			return nil
		}
		if cols := d.rangeUsers(rt.QName); len(cols) > 0 {
			return fmt.Errorf("range type %s changes from %q to %q, but columns %s use it: changing a range type in use is not supported yet",
				rt.QName, rangeDefinition(old), rangeDefinition(rt), strings.Join(cols, ", "))
		}
		return nil
	},
	alter: func(d *differ, old, rt *schema.RangeType) ([]Change, bool) {
		if rangeDefinition(old) != rangeDefinition(rt) {
			changes := []Change{d.dropRange(old), d.createRange(rt)}
			return append(changes, d.grantChanges(rangeID(rt.QName))...), false
		}
		if old.Comment == rt.Comment {
			return nil, false
		}
		return one(Change{Op: OpAlter, Object: rangeID(rt.QName),
			Statements: []Statement{commentStmt("TYPE "+rt.Quoted(), rt.Comment)}}), false
	},
	altered: func(old, rt *schema.RangeType) *schema.RangeType {
		o := *old
		// The definition is altered by creating the type again.
		o.Subtype, o.Opclass, o.Collation, o.Canonical, o.SubtypeDiff, o.Multirange = rt.Subtype, rt.Opclass, rt.Collation, rt.Canonical, rt.SubtypeDiff, rt.Multirange
		o.Comment, o.Deps = rt.Comment, rt.Deps
		// Privileges are planned by the grants pass, or with the type
		// created again.
		o.Grants = rt.Grants
		return &o
	},
	find: func(cat *schema.Catalog, id schema.ID) (*schema.RangeType, bool) {
		rt, ok := cat.Ranges[qnameOf(id)]
		return rt, ok
	},
	acl: func(rt *schema.RangeType) aclObject {
		return aclObject{target: "TYPE " + rt.Quoted(), grants: rt.Grants, defaults: usageByPublic()}
	},
})
