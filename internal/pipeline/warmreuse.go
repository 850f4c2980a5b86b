package pipeline

import (
	"github.com/schemadiff/schemadiff/introspect"
)

// warmChanges are what an incremental load changed in the kept database.
type warmChanges struct {
	// old is the state the load started from.
	old *warmState
	// graph is the dependency graph the load left.
	graph *depGraph
	// touched are the objects the statements run created or altered
	// (every object they created again after a drop among them), and
	// the tables whose foreign keys were added back.
	touched []objectRef
}

// changedRoots returns the roots whose catalog may differ from before the
// load: the roots of what was touched, the roots depending on one of them
// (a table printed with the name of a type, a function or a sequence it
// uses), the tables whose foreign keys reference one of them, and the
// relations depending on any of those, again and again (inheritance and
// partitions: a column added to a parent reaches every descendant).
// Something depending on an object that merely depends on a changed one
// prints only that object's name, which has not changed (renaming is never
// loaded incrementally). What was dropped and not created again is gone;
// what was created again has new OIDs.
func (c *warmChanges) changedRoots() map[objectRef]bool {
	g := c.graph
	in := map[objectRef]bool{}
	var relations []objectRef
	add := func(r objectRef) {
		if !in[r] {
			in[r] = true
			if r[0] == classOfClass {
				relations = append(relations, r)
			}
		}
	}
	touched := map[objectRef]bool{}
	for _, o := range c.touched {
		touched[g.root(o)] = true
	}
	for r := range touched {
		add(r)
		for _, d := range g.dependents[r] {
			add(d)
		}
		for _, fk := range g.foreignKeys[r] {
			add(g.root(objectRef{classOfConstraint, fk}))
		}
	}
	for len(relations) > 0 {
		r := relations[len(relations)-1]
		relations = relations[:len(relations)-1]
		for _, d := range g.dependents[r] {
			if d[0] == classOfClass {
				add(d)
			}
		}
	}
	return in
}

// unchanged returns the tables of before that the load did not change.
func (c *warmChanges) unchanged(before introspect.TableOIDs) introspect.TableOIDs {
	changed := c.changedRoots()
	out := make(introspect.TableOIDs, len(before))
	for oid, q := range before {
		if !changed[objectRef{classOfClass, oid}] {
			out[oid] = q
		}
	}
	return out
}

// keptTables returns the tables of the catalog file at path that an
// incremental load left unchanged, when the file describes the state the
// load started from; nil (saying why through logf) when there are none to
// take.
func keptTables(path string, changes *warmChanges, opts introspect.Options, logf func(string, ...any)) *introspect.Reuse {
	if changes == nil || changes.graph == nil {
		return nil
	}
	key, err := warmCatalogKey(changes.old, opts)
	if err != nil {
		logf("kept desired state: reading every table: %v", err)
		return nil
	}
	cat, oids, err := readWarmCatalog(path, key)
	if err != nil {
		logf("kept desired state: reading every table: %v", err)
		return nil
	}
	return &introspect.Reuse{Catalog: cat, Unchanged: changes.unchanged(oids)}
}
