package diff

import (
	"fmt"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// Warnings describes differences a plan cannot reproduce exactly. PostgreSQL
// only appends columns, so a column added (or recreated) anywhere but after
// all kept columns ends up in another position than the desired state has.
func Warnings(from, to *schema.Catalog) []string {
	var out []string
	for _, q := range schema.SortedQNames(to.Tables) {
		t := to.Tables[q]
		old, ok := from.Tables[q]
		if !ok {
			continue
		}
		// The order after the plan: kept columns in their old order, then
		// new or recreated ones in desired order.
		var kept, appended []string
		for _, oc := range old.Columns {
			if c := t.Column(oc.Name); c != nil && !(c.Generated != "" && c.Generated != oc.Generated) {
				kept = append(kept, oc.Name)
			}
		}
		for _, c := range t.Columns {
			if !containsString(kept, c.Name) {
				appended = append(appended, c.Name)
			}
		}
		var want []string
		for _, c := range t.Columns {
			want = append(want, c.Name)
		}
		got := append(kept, appended...)
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
			out = append(out, fmt.Sprintf("table %s: columns will be in the order (%s), not (%s): PostgreSQL adds columns at the end and cannot reorder them",
				q, strings.Join(got, ", "), strings.Join(want, ", ")))
		}
	}
	return out
}
