package diff

import (
	"slices"

	"github.com/schemadiff/schemadiff/schema"
)

// catalogIndex indexes one catalog of a diff by identity, and by the links
// the diff follows backwards (the foreign keys that reference a table, the
// sequences a table owns, the tables that inherit from one), so that
// planning one object looks up what concerns it instead of scanning the
// catalog: a diff stays linear in the size of the schemas. Each part is
// built on first use. The differ keeps one per catalog for the whole diff
// once the rename hints are applied, the only step that edits a catalog
// (see differ.index).
type catalogIndex struct {
	cat *schema.Catalog
	// tables are the tables' names in order.
	tables []schema.QName
	// indexes and statistics are the indexes of tables and materialized
	// views and the statistics objects, by name.
	indexes    map[schema.QName]*schema.Index
	statistics map[schema.QName]*schema.Statistics
	// foreignKeys are the foreign keys referencing each table, in table
	// and constraint order (see foreignKeysTo).
	foreignKeys map[schema.QName][]foreignKeyRef
	// ownedSequences are the sequences each table owns, in name order.
	ownedSequences map[schema.QName][]*schema.Sequence
	// sequenceUsers are the columns whose default uses each sequence, in
	// table and column order.
	sequenceUsers map[schema.QName][]tableColumnRef
	// typeUsers are the columns whose type is each type or an array of it
	// (their TypeDeps name it), in table and column order.
	typeUsers map[schema.QName][]typeUse
	// inheritors are the tables inheriting from each table, in name order.
	inheritors map[schema.QName][]*schema.Table
	// objects are the objects of the registered kinds without a find of
	// their own, by the kind's first kind and identity (see
	// kindDiffer.lookup).
	objects map[schema.Kind]map[schema.ID]schema.Object
}

// foreignKeyRef is a foreign key of a table; seq is its position among
// all the foreign keys of the catalog in table and constraint order.
type foreignKeyRef struct {
	table schema.QName
	con   *schema.Constraint
	seq   int
}

// typeUse is a column using a type; key is the name its table is held
// under in the catalog.
type typeUse struct {
	columnUse
	key schema.QName
}

// tableColumnRef is a column of a table.
type tableColumnRef struct {
	table schema.QName
	col   *schema.Column
}

// index returns the index of cat, one of the diff's two catalogs. Before
// the rename hints are applied, while the current catalog may still
// change, it is built afresh for the caller.
func (d *differ) index(cat *schema.Catalog) *catalogIndex {
	if !d.catalogsFinal {
		return &catalogIndex{cat: cat}
	}
	if ix, ok := d.lookups[cat]; ok {
		return ix
	}
	if d.lookups == nil {
		d.lookups = map[*schema.Catalog]*catalogIndex{}
	}
	ix := &catalogIndex{cat: cat}
	d.lookups[cat] = ix
	return ix
}

// sortedTables returns the names of the catalog's tables in order.
func (ix *catalogIndex) sortedTables() []schema.QName {
	if ix.tables == nil {
		ix.tables = schema.SortedQNames(ix.cat.Tables)
	}
	return ix.tables
}

// index returns the index of a table or materialized view named q, or nil.
func (ix *catalogIndex) index(q schema.QName) *schema.Index {
	if ix.indexes == nil {
		ix.indexes = map[schema.QName]*schema.Index{}
		add := func(i *schema.Index) {
			if _, dup := ix.indexes[i.QName]; !dup {
				ix.indexes[i.QName] = i
			}
		}
		for _, q := range ix.sortedTables() {
			for _, i := range ix.cat.Tables[q].Indexes {
				add(i)
			}
		}
		for _, q := range schema.SortedQNames(ix.cat.Views) {
			for _, i := range ix.cat.Views[q].Indexes {
				add(i)
			}
		}
	}
	return ix.indexes[q]
}

// statisticsObject returns the statistics object named q, or nil.
func (ix *catalogIndex) statisticsObject(q schema.QName) *schema.Statistics {
	if ix.statistics == nil {
		ix.statistics = map[schema.QName]*schema.Statistics{}
		for _, tq := range ix.sortedTables() {
			for _, s := range ix.cat.Tables[tq].Statistics {
				if _, dup := ix.statistics[s.QName]; !dup {
					ix.statistics[s.QName] = s
				}
			}
		}
	}
	return ix.statistics[q]
}

// foreignKeysTo returns the foreign keys referencing any of tables, in
// table and constraint order.
func (ix *catalogIndex) foreignKeysTo(tables ...schema.QName) []foreignKeyRef {
	if ix.foreignKeys == nil {
		ix.foreignKeys = map[schema.QName][]foreignKeyRef{}
		seq := 0
		for _, q := range ix.sortedTables() {
			for _, c := range ix.cat.Tables[q].Constraints {
				if c.Type == schema.ForeignKey && c.References != nil {
					ix.foreignKeys[*c.References] = append(ix.foreignKeys[*c.References], foreignKeyRef{q, c, seq})
					seq++
				}
			}
		}
	}
	if len(tables) == 1 {
		return ix.foreignKeys[tables[0]]
	}
	var out []foreignKeyRef
	for _, t := range tables {
		out = append(out, ix.foreignKeys[t]...)
	}
	slices.SortFunc(out, func(a, b foreignKeyRef) int { return a.seq - b.seq })
	return slices.CompactFunc(out, func(a, b foreignKeyRef) bool { return a.seq == b.seq })
}

// sequencesOwnedBy returns the sequences table t owns (those of its column
// col, when col is set), in name order.
func (ix *catalogIndex) sequencesOwnedBy(t schema.QName, col string) []*schema.Sequence {
	if ix.ownedSequences == nil {
		ix.ownedSequences = map[schema.QName][]*schema.Sequence{}
		for _, q := range schema.SortedQNames(ix.cat.Sequences) {
			s := ix.cat.Sequences[q]
			if s.OwnedBy != nil {
				ix.ownedSequences[s.OwnedBy.Table] = append(ix.ownedSequences[s.OwnedBy.Table], s)
			}
		}
	}
	owned := ix.ownedSequences[t]
	if col == "" {
		return owned
	}
	var out []*schema.Sequence
	for _, s := range owned {
		if s.OwnedBy.Column == col {
			out = append(out, s)
		}
	}
	return out
}

// usersOfSequence returns the columns whose default uses sequence q, in
// table and column order.
func (ix *catalogIndex) usersOfSequence(q schema.QName) []tableColumnRef {
	if ix.sequenceUsers == nil {
		ix.sequenceUsers = map[schema.QName][]tableColumnRef{}
		for _, tq := range ix.sortedTables() {
			for _, c := range ix.cat.Tables[tq].Columns {
				for _, sq := range c.SequenceDeps {
					users := ix.sequenceUsers[sq]
					if n := len(users); n > 0 && users[n-1].table == tq && users[n-1].col == c {
						continue // the column uses it twice
					}
					ix.sequenceUsers[sq] = append(users, tableColumnRef{tq, c})
				}
			}
		}
	}
	return ix.sequenceUsers[q]
}

// columnsOfType returns the columns whose type is q or an array of it,
// in table and column order. The caller does not modify the list.
func (ix *catalogIndex) columnsOfType(q schema.QName) []typeUse {
	if ix.typeUsers == nil {
		ix.typeUsers = map[schema.QName][]typeUse{}
		for _, tq := range ix.sortedTables() {
			t := ix.cat.Tables[tq]
			for _, c := range t.Columns {
				for _, dep := range c.TypeDeps {
					users := ix.typeUsers[dep]
					if n := len(users); n > 0 && users[n-1].col == c {
						continue // named twice
					}
					ix.typeUsers[dep] = append(users, typeUse{columnUse{t, c}, tq})
				}
			}
		}
	}
	return ix.typeUsers[q]
}

// columnsUsingType is columnsOfType without the tables' keys.
func (ix *catalogIndex) columnsUsingType(q schema.QName) []columnUse {
	uses := ix.columnsOfType(q)
	out := make([]columnUse, len(uses))
	for i, u := range uses {
		out[i] = u.columnUse
	}
	return out
}

// inheritorsOf returns the tables that inherit from table q, in name
// order.
func (ix *catalogIndex) inheritorsOf(q schema.QName) []*schema.Table {
	if ix.inheritors == nil {
		ix.inheritors = map[schema.QName][]*schema.Table{}
		for _, tq := range ix.sortedTables() {
			t := ix.cat.Tables[tq]
			for _, p := range t.Inherits {
				if !slices.Contains(ix.inheritors[p], t) {
					ix.inheritors[p] = append(ix.inheritors[p], t)
				}
			}
		}
	}
	return ix.inheritors[q]
}

// object returns the object of kind first (a registered kind, by its
// first kind) with identity id; list lists the kind's objects of the
// catalog.
func (ix *catalogIndex) object(first schema.Kind, id schema.ID, list func() []schema.Object) (schema.Object, bool) {
	byID, ok := ix.objects[first]
	if !ok {
		objs := list()
		byID = make(map[schema.ID]schema.Object, len(objs))
		for _, o := range objs {
			byID[o.ID()] = o
		}
		if ix.objects == nil {
			ix.objects = map[schema.Kind]map[schema.ID]schema.Object{}
		}
		ix.objects[first] = byID
	}
	o, ok := byID[id]
	return o, ok
}
