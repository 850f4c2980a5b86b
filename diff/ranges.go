package diff

import (
	"fmt"
	"slices"
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
	for _, tq := range schema.SortedQNames(d.from.Tables) {
		for _, c := range d.from.Tables[tq].Columns {
			if !slices.Contains(c.TypeDeps, q) {
				continue
			}
			if t, ok := d.to.Tables[tq]; ok && t.Column(c.Name) != nil {
				out = append(out, tq.String()+"."+c.Name)
			}
		}
	}
	return out
}

// ranges diffs range types. A changed definition drops the type and
// creates it again, with the functions and views that use it; columns of
// the type would lose their data, so that is refused.
func (d *differ) ranges() error {
	for _, q := range schema.SortedQNames(d.to.Ranges) {
		rt := d.to.Ranges[q]
		old, ok := d.from.Ranges[q]
		switch {
		case !ok:
			d.add(d.createRange(rt))
		case rangeDefinition(old) != rangeDefinition(rt):
			if cols := d.rangeUsers(q); len(cols) > 0 {
				return fmt.Errorf("range type %s changes from %q to %q, but columns %s use it: changing a range type in use is not supported yet",
					q, rangeDefinition(old), rangeDefinition(rt), strings.Join(cols, ", "))
			}
			d.add(d.dropRange(old))
			d.add(d.createRange(rt))
			d.changes = append(d.changes, d.grantChanges(rangeID(q))...)
		case old.Comment != rt.Comment:
			d.add(Change{Op: OpAlter, Object: rangeID(q),
				Statements: []Statement{commentStmt("TYPE "+rt.Quoted(), rt.Comment)}})
		}
	}
	for _, q := range schema.SortedQNames(d.from.Ranges) {
		if _, ok := d.to.Ranges[q]; !ok {
			d.add(d.dropRange(d.from.Ranges[q]))
		}
	}
	return nil
}
