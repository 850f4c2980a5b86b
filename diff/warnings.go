package diff

import (
	"fmt"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// Warnings describes differences a plan cannot reproduce exactly.
// PostgreSQL only appends columns; plans rebuild a table whose desired
// column order cannot be reached otherwise, except for tables in
// partitioning or inheritance, whose columns come from their parents: there
// the order differs from the desired state.
func Warnings(from, to *schema.Catalog) []string {
	var out []string
	for _, q := range schema.SortedQNames(to.Tables) {
		t := to.Tables[q]
		old, ok := from.Tables[q]
		if !ok {
			continue
		}
		got, want := columnOrderAfterAlter(old, t)
		if strings.Join(got, "\x00") == strings.Join(want, "\x00") || needsRebuild(from, to, old, t) {
			continue
		}
		out = append(out, fmt.Sprintf("table %s: columns will be in the order (%s), not (%s): PostgreSQL adds columns at the end, and partitioned tables, partitions and tables other tables inherit from are not rebuilt",
			q, strings.Join(got, ", "), strings.Join(want, ", ")))
	}
	return out
}
