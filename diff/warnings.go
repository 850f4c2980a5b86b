package diff

import (
	"fmt"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// Warnings describes differences a plan cannot reproduce exactly.
// PostgreSQL only appends columns; plans rebuild a table (or a whole
// partition tree) whose desired column order cannot be reached otherwise,
// except where tables join or leave a partition tree, a partition's columns
// are not in its parent's order, or other tables inherit from the table:
// there the order differs from the desired state.
func Warnings(from, to *schema.Catalog) []string {
	var out []string
	trees := (&differ{from: from, to: to}).treesToRebuild()
	for _, q := range schema.SortedQNames(to.Tables) {
		if _, rebuilt := trees[q]; rebuilt {
			continue
		}
		t := to.Tables[q]
		old, ok := from.Tables[q]
		if !ok {
			continue
		}
		got, want := columnOrderAfterAlter(old, t)
		if strings.Join(got, "\x00") == strings.Join(want, "\x00") || needsRebuild(from, to, old, t) {
			continue
		}
		out = append(out, fmt.Sprintf("table %s: columns will be in the order (%s), not (%s): PostgreSQL adds columns at the end, and this table cannot be rebuilt (it joins or leaves a partition tree, its columns are not in its parent's order, or other tables inherit from it)",
			q, strings.Join(got, ", "), strings.Join(want, ", ")))
	}
	return out
}
