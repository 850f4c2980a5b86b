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
	c := Change{Op: OpAlter, Object: schema.ID{Kind: schema.KindTableSettings, Schema: t.Schema, Name: t.Name},
		Requires: []schema.ID{tableID(t.QName)}}
	var oldOpts []string
	var oldReplica schema.ReplicaIdentity
	oldCluster := ""
	if old != nil {
		oldOpts, oldReplica, oldCluster = old.Options, old.ReplicaIdentity, old.ClusterOn
	}
	c.Statements = append(c.Statements, optionChanges("ALTER TABLE "+q, oldOpts, t.Options)...)
	for _, col := range t.Columns {
		if col.Inherited && t.PartitionOf != nil {
			continue // set on the parent, which passes them on
		}
		target := "ALTER TABLE " + q + " ALTER COLUMN " + schema.Ident(col.Name) + " "
		var oc *schema.Column
		if old != nil {
			oc = old.Column(col.Name)
		}
		oldTarget, oldStorage, oldOpts := -1, "", []string(nil)
		if oc != nil && oc.Type == col.Type {
			oldTarget, oldStorage, oldOpts = oc.StatsTarget, oc.Storage, oc.Options
		}
		if col.StatsTarget != oldTarget {
			c.Statements = append(c.Statements, stmt(fmt.Sprintf("%sSET STATISTICS %d", target, col.StatsTarget)))
		}
		if col.Storage != oldStorage {
			storage := col.Storage
			if storage == "" {
				storage = col.TypeStorage
			}
			c.Statements = append(c.Statements, stmt(target+"SET STORAGE "+storage))
		}
		c.Statements = append(c.Statements, optionChanges(strings.TrimSuffix(target, " "), oldOpts, col.Options)...)
		c.Requires = append(c.Requires, columnID(t.QName, col.Name))
	}
	if t.ReplicaIdentity != oldReplica {
		if t.ReplicaIdentity.Kind == schema.ReplicaIndex {
			c.Requires = append(c.Requires, indexID(schema.QName{Schema: t.Schema, Name: t.ReplicaIdentity.Index}))
		}
		c.Statements = append(c.Statements, stmt("ALTER TABLE "+q+" REPLICA IDENTITY "+replicaIdentity(t.ReplicaIdentity)))
	}
	if t.ClusterOn != oldCluster {
		if t.ClusterOn == "" {
			c.Statements = append(c.Statements, stmt("ALTER TABLE "+q+" SET WITHOUT CLUSTER"))
		} else {
			c.Requires = append(c.Requires, indexID(schema.QName{Schema: t.Schema, Name: t.ClusterOn}))
			c.Statements = append(c.Statements, stmt("ALTER TABLE "+q+" CLUSTER ON "+schema.Ident(t.ClusterOn)))
		}
	}
	if len(c.Statements) > 0 {
		c.Requires = slices.Compact(c.Requires)
		d.add(c)
	}
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
