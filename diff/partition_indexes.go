package diff

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

func attachedID(t schema.QName, name string) schema.ID {
	return schema.ID{Kind: schema.KindAttachedIndex, Schema: t.Schema, Table: t.Name, Name: name}
}

// indexOwner returns the table of cat holding index q: as an index, as the
// index of a constraint, or as an index attached to its parent's. Where
// several tables hold the name (attached indexes), the first in name order
// wins. The lookup table of each catalog is built on first use: the diff
// does not change which indexes a catalog's tables hold once the renames
// are applied.
func (d *differ) indexOwner(cat *schema.Catalog, q schema.QName) *schema.Table {
	owners, ok := d.indexOwners[cat]
	if !ok {
		owners = indexOwners(cat)
		if d.indexOwners == nil {
			d.indexOwners = map[*schema.Catalog]map[schema.QName]*schema.Table{}
		}
		d.indexOwners[cat] = owners
	}
	return owners[q]
}

// indexOwners maps the name of every index of cat's tables (their own, their
// constraints', those attached to a parent's) to the first table, in name
// order, that holds it.
func indexOwners(cat *schema.Catalog) map[schema.QName]*schema.Table {
	owners := map[schema.QName]*schema.Table{}
	add := func(q schema.QName, t *schema.Table) {
		if _, ok := owners[q]; !ok {
			owners[q] = t
		}
	}
	for _, tq := range schema.SortedQNames(cat.Tables) {
		t := cat.Tables[tq]
		for _, ix := range t.Indexes {
			if ix.QName.Schema == tq.Schema {
				add(ix.QName, t)
			}
		}
		for _, c := range t.Constraints {
			if c.Type == schema.PrimaryKey || c.Type == schema.Unique || c.Type == schema.Exclusion {
				add(schema.QName{Schema: tq.Schema, Name: c.Name}, t)
			}
		}
		for _, a := range t.AttachedIndexes {
			add(schema.QName{Schema: tq.Schema, Name: a.Name}, t)
		}
	}
	return owners
}

// plans reports whether the plan holds a change op of object id.
func (d *differ) plans(op Op, id schema.ID) bool {
	for _, c := range d.changes {
		if c.Op == op && c.Object == id {
			return true
		}
	}
	return false
}

// indexRemade reports whether index q of the current catalog does not
// survive the plan as it is: it is new, dropped or made again (with its
// table), so the indexes of partitions attached to it are made again too.
func (d *differ) indexRemade(q schema.QName) bool {
	owner := d.indexOwner(d.from, q)
	if owner == nil || d.rebuilt[owner.QName] || d.plans(OpDrop, tableID(owner.QName)) ||
		d.plans(OpDrop, indexID(q)) || d.plans(OpDrop, constraintID(owner.QName, q.Name)) {
		return true
	}
	for _, a := range owner.AttachedIndexes {
		if a.Name == q.Name {
			// An attached index goes when its parent's goes.
			return d.indexRemade(a.Parent) || d.plans(OpDrop, schema.ID{Kind: schema.KindPartition, Schema: owner.Schema, Name: owner.Name})
		}
	}
	return false
}

// madeByHand reports whether index q of the desired catalog is created ON
// ONLY its partitioned table, its partitions' indexes created and attached
// one by one: an index some partition has no index attached to (INVALID).
func (d *differ) madeByHand(q schema.QName) bool {
	owner := d.indexOwner(d.to, q)
	if owner == nil || owner.PartitionKey == "" {
		return false
	}
	for _, ix := range owner.Indexes {
		if ix.QName == q {
			return ix.Invalid
		}
	}
	return false
}

// keptPartition reports whether partition t of the desired catalog stays
// in the same parent through the plan, with the indexes attached to it.
func (d *differ) keptPartition(t *schema.Table) (*schema.Table, bool) {
	old, ok := d.from.Tables[t.QName]
	if !ok || d.rebuilt[t.QName] || d.plans(OpDrop, tableID(t.QName)) || old.PartitionOf == nil || t.PartitionOf == nil ||
		*old.PartitionOf != *t.PartitionOf {
		return old, false
	}
	return old, true
}

// standaloneIndex reports whether table t has an index (or a constraint's
// index) called name that is not attached to another index.
func standaloneIndex(t *schema.Table, name string) bool {
	if t == nil {
		return false
	}
	for _, ix := range t.Indexes {
		if ix.Name == name {
			return true
		}
	}
	c := t.Constraint(name)
	return c != nil && (c.Type == schema.PrimaryKey || c.Type == schema.Unique || c.Type == schema.Exclusion)
}

// attachedNamed returns t's attached index called name, or nil.
func attachedNamed(t *schema.Table, name string) *schema.AttachedIndex {
	for _, a := range t.AttachedIndexes {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// attachedIndexes plans the indexes of partitions attached to their
// parent's indexes: their names (PostgreSQL names those it makes after the
// partition), which of them are attached, and attaching one that was not.
// PostgreSQL cannot detach an index from its parent's: a partition's index
// that stops being attached makes the parent's index be built again.
func (d *differ) attachedIndexes() error {
	if err := d.remakeForDetachedIndexes(); err != nil {
		return err
	}
	for _, q := range schema.SortedQNames(d.to.Tables) {
		t := d.to.Tables[q]
		if t.PartitionOf == nil {
			continue
		}
		old, kept := d.keptPartition(t)
		for _, a := range t.AttachedIndexes {
			remade, byHand := d.indexRemade(a.Parent), d.madeByHand(a.Parent)
			var oa *schema.AttachedIndex
			if kept && !remade {
				oa = old.AttachedIndex(a.Parent)
			}
			switch {
			case oa != nil:
				if oa.Name != a.Name {
					d.add(d.renameAttached(t, oa.Name, a))
				}
			case kept && !remade || byHand && remade:
				d.add(d.attachIndex(t, old, a))
			case standaloneIndex(old, a.Name) && !attachedNamedIn(old, a.Name):
				// PostgreSQL attaches the table's own matching index.
			default:
				if made := d.generatedIndexName(t, a); made != a.Name {
					d.add(d.renameAttached(t, made, a))
				}
			}
		}
	}
	return nil
}

func attachedNamedIn(t *schema.Table, name string) bool {
	return t != nil && attachedNamed(t, name) != nil
}

// remakeForDetachedIndexes builds again the parent's indexes that an index
// of a kept partition stops being attached to.
func (d *differ) remakeForDetachedIndexes() error {
	for _, q := range schema.SortedQNames(d.to.Tables) {
		t := d.to.Tables[q]
		old, kept := d.keptPartition(t)
		if !kept {
			continue
		}
		for _, oa := range old.AttachedIndexes {
			if t.AttachedIndex(oa.Parent) != nil || d.indexRemade(oa.Parent) {
				continue
			}
			owner := d.indexOwner(d.to, oa.Parent)
			var ix, oix *schema.Index
			if owner != nil {
				for _, i := range owner.Indexes {
					if i.QName == oa.Parent {
						ix = i
					}
				}
			}
			if oldOwner := d.indexOwner(d.from, oa.Parent); oldOwner != nil {
				for _, i := range oldOwner.Indexes {
					if i.QName == oa.Parent {
						oix = i
					}
				}
			}
			if ix == nil || oix == nil {
				return fmt.Errorf("index %s of partition %s stops being attached to %s, which PostgreSQL cannot undo in place and schemadiff builds again only for a plain index of the parent, not a constraint's or a partition's",
					schema.QName{Schema: t.Schema, Name: oa.Name}, t.QName, oa.Parent)
			}
			drop := d.dropIndex(oix)
			drop.Statements[0].Hazards = append(drop.Statements[0].Hazards, hazard(HazardBlocksWrites,
				"index %s is built again so that %s stops being attached to it", oa.Parent, schema.QName{Schema: t.Schema, Name: oa.Name}))
			d.add(drop)
			d.add(d.createIndex(ix, true))
		}
	}
	return nil
}

// parentIndexRefs names the changes that make index q (and its table).
func (d *differ) parentIndexRefs(q schema.QName) []Ref {
	refs := []Ref{{OpCreate, indexID(q)}}
	if owner := d.indexOwner(d.to, q); owner != nil {
		refs = append(refs, Ref{OpCreate, tableID(owner.QName)}, Ref{OpCreate, constraintID(owner.QName, q.Name)},
			Ref{OpCreate, attachedID(owner.QName, q.Name)}, Ref{OpAlter, attachedID(owner.QName, q.Name)})
	}
	return refs
}

// renameAttached gives partition t's index attached to a.Parent, called
// from now, its desired name.
func (d *differ) renameAttached(t *schema.Table, from string, a *schema.AttachedIndex) Change {
	target := schema.QName{Schema: t.Schema, Name: a.Name}
	after := append(d.parentIndexRefs(a.Parent), Ref{OpCreate, tableID(t.QName)},
		Ref{OpCreate, schema.ID{Kind: schema.KindPartition, Schema: t.Schema, Name: t.Name}},
		Ref{OpDrop, indexID(target)}, Ref{OpDrop, constraintID(t.QName, a.Name)})
	return Change{Op: OpAlter, Object: attachedID(t.QName, a.Name),
		Requires: []schema.ID{tableID(t.QName)}, After: after,
		Statements: []Statement{stmt(fmt.Sprintf("ALTER INDEX %s RENAME TO %s",
			schema.QName{Schema: t.Schema, Name: from}.Quoted(), schema.Ident(a.Name)))}}
}

// attachIndex attaches partition t's index a to its parent's, making it
// first unless the table has it already on its own.
func (d *differ) attachIndex(t, old *schema.Table, a *schema.AttachedIndex) Change {
	target := schema.QName{Schema: t.Schema, Name: a.Name}
	var stmts []Statement
	if !standaloneIndex(old, a.Name) || attachedNamedIn(old, a.Name) {
		switch a.Constraint {
		case "":
			stmts = append(stmts, stmt(a.Definition, hazard(HazardBlocksWrites, "building index %s blocks writes to %s", a.Name, t.QName)))
		default:
			def := ""
			if owner := d.indexOwner(d.to, a.Parent); owner != nil {
				if c := owner.Constraint(a.Parent.Name); c != nil {
					def = c.Definition
				}
			}
			only := ""
			if t.PartitionKey != "" {
				only = "ONLY "
			}
			stmts = append(stmts, stmt(fmt.Sprintf("ALTER TABLE %s%s ADD CONSTRAINT %s %s", only, t.Quoted(), schema.Ident(a.Name), def),
				hazard(HazardBlocksWrites, "adding %s builds an index on %s, blocking writes", a.Name, t.QName)))
		}
	}
	stmts = append(stmts, stmt(fmt.Sprintf("ALTER INDEX %s ATTACH PARTITION %s", a.Parent.Quoted(), target.Quoted())))
	requires := []schema.ID{tableID(t.QName)}
	for _, c := range t.Columns {
		requires = append(requires, columnID(t.QName, c.Name))
	}
	return Change{Op: OpCreate, Object: attachedID(t.QName, a.Name), Requires: requires,
		After: append(d.parentIndexRefs(a.Parent), Ref{OpCreate, schema.ID{Kind: schema.KindPartition, Schema: t.Schema, Name: t.Name}},
			Ref{OpDrop, indexID(target)}, Ref{OpDrop, constraintID(t.QName, a.Name)}),
		Statements: stmts}
}

// generatedIndexName returns the name PostgreSQL gives the index it makes
// on partition t for its parent's index (ChooseIndexName): the table's
// name, the parent index's column names and a label, cut to fit, with a
// number added while the name is taken.
func (d *differ) generatedIndexName(t *schema.Table, a *schema.AttachedIndex) string {
	label, addition := "idx", indexNameAddition(a.ParentColumns)
	switch a.Constraint {
	case schema.PrimaryKey:
		label, addition = "pkey", ""
	case schema.Unique:
		label = "key"
	case schema.Exclusion:
		label = "excl"
	}
	taken := d.relationNames(t.Schema)
	delete(taken, a.Name)
	for pass := 0; ; pass++ {
		l := label
		if pass > 0 {
			l += strconv.Itoa(pass)
		}
		name := schema.ObjectName(t.Name, addition, l)
		if !taken[name] {
			return name
		}
	}
}

// relationNames lists the names of relations (and of constraints with an
// index) in schema s, in the current and desired catalogs.
func (d *differ) relationNames(s string) map[string]bool {
	names := map[string]bool{}
	for _, cat := range []*schema.Catalog{d.from, d.to} {
		for q, t := range cat.Tables {
			if q.Schema != s {
				continue
			}
			names[q.Name] = true
			for _, ix := range t.Indexes {
				names[ix.Name] = true
			}
			for _, c := range t.Constraints {
				names[c.Name] = true
			}
			for _, a := range t.AttachedIndexes {
				names[a.Name] = true
			}
		}
		for q, v := range cat.Views {
			if q.Schema == s {
				names[q.Name] = true
				for _, ix := range v.Indexes {
					names[ix.Name] = true
				}
			}
		}
		for q := range cat.Sequences {
			if q.Schema == s {
				names[q.Name] = true
			}
		}
		for q := range cat.Composites {
			if q.Schema == s {
				names[q.Name] = true
			}
		}
	}
	return names
}

// indexNameAddition joins column names with underscores as PostgreSQL's
// ChooseIndexNameAddition does.
func indexNameAddition(cols []string) string {
	var b strings.Builder
	for _, c := range cols {
		if b.Len() > 0 {
			b.WriteByte('_')
		}
		b.WriteString(c)
		if b.Len() > schema.MaxIdentLen {
			break
		}
	}
	return schema.TruncateIdent(b.String())
}
