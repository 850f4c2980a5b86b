package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// partitionTree lists the partitions below root in cat, each after its
// parent, in name order among siblings.
func partitionTree(cat *schema.Catalog, root schema.QName) []*schema.Table {
	children := map[schema.QName][]schema.QName{}
	for _, q := range schema.SortedQNames(cat.Tables) {
		if p := cat.Tables[q].PartitionOf; p != nil {
			children[*p] = append(children[*p], q)
		}
	}
	var out []*schema.Table
	var walk func(schema.QName)
	walk = func(q schema.QName) {
		for _, c := range children[q] {
			out = append(out, cat.Tables[c])
			walk(c)
		}
	}
	walk(root)
	return out
}

// treesToRebuild returns the tables of the desired catalog whose partition
// tree must be rebuilt, with the members of each tree (old and new
// partitions) mapped to their root: PostgreSQL adds a column at the end of
// a partitioned table and of every partition, so a column wanted elsewhere
// means a new tree, and it cannot change a table's partitioning in place.
func (d *differ) treesToRebuild() map[schema.QName]schema.QName {
	members := map[schema.QName]schema.QName{}
	for _, q := range schema.SortedQNames(d.to.Tables) {
		t := d.to.Tables[q]
		old, ok := d.from.Tables[q]
		if !ok || t.PartitionOf != nil || old.PartitionOf != nil || t.PartitionKey == "" && old.PartitionKey == "" {
			continue
		}
		// A table whose partitioning changes (a plain table becoming
		// partitioned or the reverse included) is rebuilt with its rows.
		repartitioned := old.PartitionKey != t.PartitionKey
		if !repartitioned && !d.treeOutOfOrder(q) && !retypedPartitionKey(old, t) && len(retypedUnderGenerated(old, t)) == 0 ||
			!d.treeRebuildable(q) {
			continue
		}
		members[q] = q
		for _, p := range partitionTree(d.from, q) {
			members[p.QName] = q
		}
		for _, p := range partitionTree(d.to, q) {
			members[p.QName] = q
		}
	}
	return members
}

// treeOutOfOrder reports whether altering the tree of root in place leaves
// a table of it with its columns in another order than desired.
func (d *differ) treeOutOfOrder(root schema.QName) bool {
	tables := append([]*schema.Table{d.to.Tables[root]}, partitionTree(d.to, root)...)
	for _, t := range tables {
		if old, ok := d.from.Tables[t.QName]; ok {
			got, want := columnOrderAfterAlter(old, t)
			if !slices.Equal(got, want) {
				return true
			}
		}
	}
	return false
}

// treeRebuildable reports whether the tree of root can be rebuilt as a
// whole: no table joins or leaves it from or to elsewhere, each partition
// has its parent's columns in its parent's order (as PARTITION OF creates
// it), and no other table inherits from a member.
func (d *differ) treeRebuildable(root schema.QName) bool {
	oldTree, newTree := partitionTree(d.from, root), partitionTree(d.to, root)
	inOld, inNew := map[schema.QName]bool{root: true}, map[schema.QName]bool{root: true}
	for _, t := range oldTree {
		inOld[t.QName] = true
	}
	for _, t := range newTree {
		inNew[t.QName] = true
		if _, ok := d.from.Tables[t.QName]; ok && !inOld[t.QName] {
			return false // a table that becomes a partition
		}
		parent := d.to.Tables[*t.PartitionOf]
		if !slices.Equal(columnNames(t), columnNames(parent)) {
			return false
		}
	}
	for _, t := range oldTree {
		if _, ok := d.to.Tables[t.QName]; ok && !inNew[t.QName] {
			return false // a partition that becomes a table of its own
		}
	}
	for _, cat := range []*schema.Catalog{d.from, d.to} {
		for _, other := range cat.Tables {
			for _, p := range other.Inherits {
				if inOld[p] || inNew[p] {
					return false
				}
			}
		}
	}
	return true
}

func columnNames(t *schema.Table) []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}

// rebuildTmp is the name a table has while it is rebuilt.
func rebuildTmp(q schema.QName) schema.QName {
	return schema.QName{Schema: q.Schema, Name: schema.TruncateIdent(q.Name[:len(schema.TruncateIdent(q.Name+"__rebuild"))-len("__rebuild")]) + "__rebuild"}
}

// partitionRebuild returns the statements creating the partitions of the
// rebuilt tree of t below its temporary parent, and those giving them their
// names once the old tree is gone.
func (d *differ) partitionRebuild(t *schema.Table) (create, rename []Statement) {
	for _, p := range partitionTree(d.to, t.QName) {
		kw := "TABLE"
		if p.Unlogged {
			kw = "UNLOGGED TABLE"
		}
		sql := fmt.Sprintf("CREATE %s %s PARTITION OF %s %s", kw, rebuildTmp(p.QName).Quoted(), rebuildTmp(*p.PartitionOf).Quoted(), p.PartitionBound)
		if p.PartitionKey != "" {
			sql += " PARTITION BY " + p.PartitionKey
		}
		create = append(create, stmt(sql))
		create = append(create, partitionColumnOptions(rebuildTmp(p.QName), p, d.to.Tables[*p.PartitionOf])...)
		rename = append(rename, stmt(fmt.Sprintf("ALTER TABLE %s RENAME TO %s", rebuildTmp(p.QName).Quoted(), schema.Ident(p.Name))))
	}
	return create, rename
}

// droppedPartitions lists the leaf partitions of the old tree of t that
// the desired state no longer has: their rows are not copied.
func (d *differ) droppedPartitions(t *schema.Table) []schema.QName {
	var out []schema.QName
	for _, p := range partitionTree(d.from, t.QName) {
		if _, kept := d.to.Tables[p.QName]; !kept && p.PartitionKey == "" {
			out = append(out, p.QName)
		}
	}
	return out
}

// rowFilter returns the WHERE clause leaving out the rows of partitions
// that the rebuilt tree does not have, or "".
func rowFilter(dropped []schema.QName) string {
	if len(dropped) == 0 {
		return ""
	}
	var lits []string
	for _, q := range dropped {
		lits = append(lits, schema.Literal(q.Quoted())+"::pg_catalog.regclass")
	}
	return " WHERE tableoid <> ALL (ARRAY[" + strings.Join(lits, ", ") + "])"
}

// rebuildPartitions plans what the partitions of a rebuilt tree need
// around the root's rebuild: the old ones are dropped with the old root
// (their dependents first), and each new one gets its comments, row
// security, constraints, indexes, triggers and policies.
func (d *differ) rebuildPartitions(old, t *schema.Table) (oldDrops []Ref) {
	for _, p := range partitionTree(d.from, old.QName) {
		d.rebuilt[p.QName] = true
		// The old root's DROP TABLE takes them; this change only orders
		// their dependents before it.
		d.add(Change{Op: OpDrop, Object: tableID(p.QName), Aspect: AspectRebuild, Requires: []schema.ID{schemaID(p.Schema)}})
		oldDrops = append(oldDrops, Ref{OpDrop, tableID(p.QName)})
		for _, con := range p.Constraints {
			if con.Type == schema.ForeignKey && con.References != nil {
				d.add(d.dropConstraint(p, con, false))
			}
		}
	}
	for _, p := range partitionTree(d.to, t.QName) {
		d.rebuilt[p.QName] = true
		d.refill(d.from.Tables[p.QName], p, []schema.ID{tableID(t.QName), tableID(*p.PartitionOf)})
	}
	return oldDrops
}
