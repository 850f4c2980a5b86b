package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// Warnings describes what a plan does beyond the changes one reads in the
// schema files, and differences it cannot reproduce exactly. PostgreSQL
// only appends columns; plans rebuild a table (or a whole partition tree)
// whose desired column order cannot be reached otherwise, copying every
// row under lock, and say how to avoid it. Where tables join or leave a
// partition tree, a partition's columns are not in its parent's order, or
// other tables inherit from the table, it cannot be rebuilt: there the
// order differs from the desired state.
func Warnings(from, to *schema.Catalog) []string {
	var out []string
	trees := (&differ{from: from, to: to}).treesToRebuild()
	for _, q := range schema.SortedQNames(to.Tables) {
		t := to.Tables[q]
		old, ok := from.Tables[q]
		if !ok || t.Foreign != nil || old.Foreign != nil {
			continue // foreign tables are created again (foreignTableRecreated)
		}
		if root, inTree := trees[q]; inTree {
			if root == q {
				out = append(out, "the plan "+rebuildReason(to, old, t))
			}
			continue
		}
		if needsRebuild(from, to, old, t) {
			out = append(out, "the plan "+rebuildReason(to, old, t))
			continue
		}
		got, want := columnOrderAfterAlter(old, t)
		if slices.Equal(got, want) {
			continue
		}
		out = append(out, fmt.Sprintf("table %s%s: columns will be in the order (%s), not (%s): PostgreSQL adds columns at the end, and this table cannot be rebuilt (it joins or leaves a partition tree, its columns are not in its parent's order, or other tables inherit from it); write new columns at the end of its CREATE TABLE to match",
			q, at(to, tableID(q)), strings.Join(got, ", "), strings.Join(want, ", ")))
	}
	out = append(out, fdwWarnings(from, to)...)
	return out
}

// rebuildReason says why table old is rebuilt into t (to is the desired
// catalog), naming what causes it and where the desired state defines it,
// and how to avoid the rebuild where one can.
func rebuildReason(to *schema.Catalog, old, t *schema.Table) string {
	q := t.QName
	if old.PartitionKey != t.PartitionKey {
		from, into := "a plain table", "a table partitioned by "+t.PartitionKey
		if old.PartitionKey != "" {
			from = "a table partitioned by " + old.PartitionKey
		}
		if t.PartitionKey == "" {
			into = "a plain table"
		}
		return fmt.Sprintf("rebuilds table %s%s to turn it from %s into %s, which PostgreSQL cannot do in place: every row is copied into the new table under an ACCESS EXCLUSIVE lock, and a row that no partition accepts makes this fail",
			q, at(to, tableID(q)), from, into)
	}
	got, want := columnOrderAfterAlter(old, t)
	if slices.Equal(got, want) {
		return fmt.Sprintf("rebuilds table %s to change the type of columns PostgreSQL cannot alter in place (used by a generated column or the partition key), copying every row under an ACCESS EXCLUSIVE lock", q)
	}
	// Altering in place keeps the old columns in their order and appends
	// the new ones.
	kept := got[:len(got)-countAppended(old, t)]
	var middle []string
	for i, name := range want {
		if slices.Contains(kept, name) {
			continue
		}
		// A new column is in the middle when a kept one follows it.
		if slices.ContainsFunc(want[i+1:], func(n string) bool { return slices.Contains(kept, n) }) {
			middle = append(middle, name)
		}
	}
	var order []string
	for _, name := range want {
		if slices.Contains(kept, name) {
			order = append(order, name)
		}
	}
	reordered := !slices.Equal(order, kept)
	var why, avoid []string
	if len(middle) > 0 {
		var named []string
		for _, name := range middle {
			named = append(named, schema.Ident(name)+at(to, columnID(q, name)))
		}
		noun := "column " + strings.Join(named, ", ")
		if len(named) > 1 {
			noun = "columns " + strings.Join(named, ", ")
		}
		why = append(why, noun+" is added in the middle of its CREATE TABLE")
		avoid = append(avoid, "add "+strings.Join(quoteAll(middle), ", ")+" at the end of the CREATE TABLE instead")
	}
	if reordered {
		why = append(why, fmt.Sprintf("its existing columns are wanted in the order (%s) instead of (%s)", strings.Join(order, ", "), strings.Join(kept, ", ")))
		avoid = append(avoid, fmt.Sprintf("keep the existing columns in their order (%s)", strings.Join(kept, ", ")))
	}
	if len(why) == 0 {
		why = append(why, fmt.Sprintf("its columns are wanted in the order (%s) instead of (%s)", strings.Join(want, ", "), strings.Join(got, ", ")))
	}
	msg := fmt.Sprintf("rebuilds table %s, copying every row into a new table under an ACCESS EXCLUSIVE lock, because %s: PostgreSQL can only append columns",
		q, strings.Join(why, ", and "))
	if len(avoid) > 0 {
		msg += "; to avoid the rebuild, " + strings.Join(avoid, ", and ")
	}
	return msg
}

// countAppended counts the columns altering old into t in place appends.
func countAppended(old, t *schema.Table) int {
	n := 0
	for _, c := range t.Columns {
		if oc := old.Column(c.Name); oc == nil || c.Generated != "" && c.Generated != oc.Generated {
			n++
		}
	}
	return n
}

// at returns " (file:line)" where the desired state defines id, or "".
func at(to *schema.Catalog, id schema.ID) string {
	if p, ok := to.Sources[id]; ok {
		return " (" + p.String() + ")"
	}
	return ""
}

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = schema.Ident(n)
	}
	return out
}
