package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// tableSettings plans a table's storage parameters, replica identity,
// CLUSTER index and column settings (statistics target, storage,
// attribute options). old is nil for a table the plan creates (or
// rebuilds), which starts from the defaults.
func (d *differ) tableSettings(old, t *schema.Table) {
	q := t.Quoted()
	var oldOpts []string
	var oldReplica schema.ReplicaIdentity
	oldCluster := ""
	if old != nil {
		oldOpts, oldReplica, oldCluster = old.Options, old.ReplicaIdentity, old.ClusterOn
	}
	stmts := optionChanges("ALTER TABLE "+q, oldOpts, t.Options)
	var oldCols map[string]*schema.Column
	if old != nil {
		oldCols = columnsByName(old)
	}
	for _, col := range settingsColumns(t) {
		stmts = append(stmts, columnSettings(q, oldCols[col.Name], col)...)
	}
	var indexes []schema.ID
	if t.ReplicaIdentity != oldReplica {
		if t.ReplicaIdentity.Kind == schema.ReplicaIndex {
			indexes = append(indexes, indexID(schema.QName{Schema: t.Schema, Name: t.ReplicaIdentity.Index}))
		}
		stmts = append(stmts, stmt("ALTER TABLE "+q+" REPLICA IDENTITY "+replicaIdentity(t.ReplicaIdentity)))
	}
	if t.ClusterOn != oldCluster {
		if t.ClusterOn == "" {
			stmts = append(stmts, stmt("ALTER TABLE "+q+" SET WITHOUT CLUSTER"))
		} else {
			indexes = append(indexes, indexID(schema.QName{Schema: t.Schema, Name: t.ClusterOn}))
			stmts = append(stmts, stmt("ALTER TABLE "+q+" CLUSTER ON "+schema.Ident(t.ClusterOn)))
		}
	}
	if len(stmts) == 0 {
		return
	}
	c := Change{Op: OpAlter, Object: schema.ID{Kind: schema.KindTableSettings, Schema: t.Schema, Name: t.Name},
		Requires: []schema.ID{tableID(t.QName)}, Statements: stmts}
	for _, col := range settingsColumns(t) {
		c.Requires = append(c.Requires, columnID(t.QName, col.Name))
	}
	c.Requires = slices.Compact(append(c.Requires, indexes...))
	d.add(c)
}

// settingsColumns lists the columns of t whose settings the table's
// settings change plans: a partition's inherited columns are set on the
// parent, which passes them on.
func settingsColumns(t *schema.Table) []*schema.Column {
	if t.PartitionOf == nil {
		return t.Columns
	}
	return slices.DeleteFunc(slices.Clone(t.Columns), func(c *schema.Column) bool { return c.Inherited })
}

// columnsByName maps the columns of t by name, as Table.Column finds
// them.
func columnsByName(t *schema.Table) map[string]*schema.Column {
	out := make(map[string]*schema.Column, len(t.Columns))
	for _, c := range t.Columns {
		if _, dup := out[c.Name]; !dup {
			out[c.Name] = c
		}
	}
	return out
}

// columnSettings plans the statistics target, storage and attribute
// options of column col of the table named q (quoted); oc is the column
// as it is, nil for a new one, which starts from the defaults, as does
// one whose type changes.
func columnSettings(q string, oc, col *schema.Column) []Statement {
	oldTarget, oldStorage, oldOpts := -1, "", []string(nil)
	if oc != nil && oc.Type == col.Type {
		oldTarget, oldStorage, oldOpts = oc.StatsTarget, oc.Storage, oc.Options
	}
	if col.StatsTarget == oldTarget && col.Storage == oldStorage && len(oldOpts) == 0 && len(col.Options) == 0 {
		return nil
	}
	var out []Statement
	target := "ALTER TABLE " + q + " ALTER COLUMN " + schema.Ident(col.Name) + " "
	if col.StatsTarget != oldTarget {
		out = append(out, stmt(fmt.Sprintf("%sSET STATISTICS %d", target, col.StatsTarget)))
	}
	if col.Storage != oldStorage {
		storage := col.Storage
		if storage == "" {
			storage = col.TypeStorage
		}
		out = append(out, stmt(target+"SET STORAGE "+storage))
	}
	return append(out, optionChanges(strings.TrimSuffix(target, " "), oldOpts, col.Options)...)
}

// replicaIdentity renders what follows REPLICA IDENTITY.
func replicaIdentity(ri schema.ReplicaIdentity) string {
	switch ri.Kind {
	case schema.ReplicaDefault:
		return "DEFAULT"
	case schema.ReplicaIndex:
		return string(ri.Kind) + " " + schema.Ident(ri.Index)
	}
	return string(ri.Kind)
}
