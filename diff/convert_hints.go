package diff

import (
	"fmt"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// hintedConversion plans the conversion of column oc of table q to c's
// type with the USING expression of a conversion hint, when the schema
// files give one for this direction. Without a hint, a conversion for
// which PostgreSQL has no cast at all is refused (ok is true and the
// refusal recorded): it would fail when applied.
func (d *differ) hintedConversion(q schema.QName, oc, c *schema.Column) (conversion, bool) {
	id := schema.ID{Kind: schema.KindColumn, Schema: q.Schema, Table: q.Name, Name: c.Name}
	hint, where, up := d.conversionHint(id)
	if hint.expr != "" {
		return conversion{using: hint.expr, hazards: []Hazard{hazard(HazardMayFail,
			"converting %s.%s from %s to %s with USING %s (%s) fails on values that expression does not convert",
			q, c.Name, oc.Type, c.Type, hint.expr, hint.at)}}, true
	}
	from, to := d.resolveType(d.from, oc.Type), d.resolveType(d.to, c.Type)
	if d.assignable(from, to) || d.castable(from, to, d.castVia(oc)) {
		return conversion{}, false
	}
	prefix := ""
	if where != (schema.Position{}) {
		prefix = where.String() + ": "
	}
	directive := "-- schemadiff:using <expression>"
	plan := ""
	if !up {
		directive = "-- schemadiff:using-down <expression>"
		plan = " (in the plan back to the current state)"
	}
	d.refused = append(d.refused, fmt.Sprintf("%scannot convert column %s.%s from %s to %s%s: PostgreSQL has no cast between those types. "+
		"Say how to convert the values with a comment on a line of its own directly before the column: %s "+
		"(an expression of the column's %s value, as in ALTER COLUMN ... TYPE ... USING)",
		prefix, q, c.Name, oc.Type, c.Type, plan, directive, map[bool]string{true: "current", false: "desired"}[up]))
	return conversion{}, true
}

// conversionHint is the USING expression a hint gives for one direction.
type conversionHint struct {
	expr string
	// at locates the directive, for messages.
	at string
}

// conversionHint returns the hint for column id converted in this plan:
// the Using of a directive in the schema files of the state planned to, or
// else the UsingDown of one in those of the state planned from (the plan
// back). where locates the column in the schema files, and up tells
// whether they are those of the state planned to.
func (d *differ) conversionHint(id schema.ID) (h conversionHint, where schema.Position, up bool) {
	if c, ok := d.to.Conversions[id]; ok && c.Using != "" {
		h = conversionHint{c.Using, fmt.Sprintf("%s:%d", c.File, c.Line)}
	} else if c, ok := d.from.Conversions[id]; ok && c.UsingDown != "" {
		h = conversionHint{c.UsingDown, fmt.Sprintf("%s:%d", c.File, c.Line)}
	}
	if p, ok := d.to.Sources[id]; ok {
		return h, p, true
	}
	if p, ok := d.from.Sources[id]; ok {
		return h, p, false
	}
	return h, schema.Position{}, true
}

// castable reports whether an explicit cast converts values of resolved
// type from to resolved type to: a cast in pg_cast, the conversion through
// text that every type has from and to a string type, or the intermediate
// cast via (enums go through text).
func (d *differ) castable(from, to, via string) bool {
	if via != "" {
		return true
	}
	fe, fdims := splitArray(from)
	te, tdims := splitArray(to)
	fb, _ := typeName(fe)
	tb, _ := typeName(te)
	if fdims == 0 && stringType(fb) || tdims == 0 && stringType(tb) {
		return true // through text: '{a,b}'::text::text[] reads an array
	}
	if fdims != tdims {
		return false
	}
	if fb == tb || stringType(fb) || stringType(tb) || d.extensionBaseType(fb) || d.extensionBaseType(tb) {
		return true
	}
	_, ok := d.castContext(fb, tb)
	return ok
}

// extensionBaseType reports a base type that an extension defines (citext,
// hstore, ...): its type category, which decides whether PostgreSQL
// converts it through text as a string type, is not read, so a conversion
// to or from it is left to the server rather than refused.
func (d *differ) extensionBaseType(name string) bool {
	q, err := schema.ParseQName(name, "")
	if err != nil || q.Schema == "" || q.Schema == "pg_catalog" {
		return false
	}
	for _, c := range []*schema.Catalog{d.from, d.to} {
		if c.Enums[q] != nil || c.Domains[q] != nil || c.Composites[q] != nil || c.Ranges[q] != nil {
			return false
		}
	}
	return true
}

// refusal returns the error naming every change that cannot be planned.
func (d *differ) refusal() error {
	switch len(d.refused) {
	case 0:
		return nil
	case 1:
		return fmt.Errorf("%s", d.refused[0])
	}
	return fmt.Errorf("%d changes cannot be planned:\n  %s", len(d.refused), strings.Join(d.refused, "\n  "))
}
