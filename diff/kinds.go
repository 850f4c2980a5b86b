package diff

import (
	"fmt"
	"slices"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/schemadiff/schemadiff/schema"
)

// kindDiffer says what is specific to one kind of object: how to list its
// objects, create, drop and alter one, and what one depends on. Its diff
// method does the rest, the same way for every kind: it walks the current and
// desired objects in a deterministic order, creates what is new, drops what
// is gone, alters or recreates (drop, then create) what changed, and checks
// that an alteration expresses the whole difference.
type kindDiffer[T schema.Object] struct {
	kind schema.Kind
	// alsoKinds are the other kinds whose objects the same differ plans
	// (a materialized view's with the views', a procedure's and an
	// aggregate's with the functions'): the registry holds it under each.
	alsoKinds []schema.Kind
	// list, when set, returns the objects of the kind in cat, in the order
	// changes are planned; by default they are those Catalog.Objects
	// lists for kind and alsoKinds, in that order (see objects).
	list func(cat *schema.Catalog) []T
	// match, when set, pairs the objects of the two catalogs instead of
	// id: objects with the same match and different identities (a view
	// that becomes a materialized view) are the same object, which alter
	// recreates in place of a drop at the end of the walk.
	match func(T) schema.ID
	// deps lists the objects of cat that an object depends on, for
	// recreateDependents (see reverseDeps); nil for a kind nothing is
	// recreated around.
	deps func(cat *schema.Catalog, o T) []schema.ID
	// create returns the changes creating an object of the desired catalog,
	// with its comment and the rest of its state.
	create func(d *differ, o T) []Change
	// drop returns the change dropping an object of the current catalog.
	drop func(d *differ, o T) Change
	// precheck, when set, returns an error for what the kind cannot plan
	// at all in this diff, before any object is looked at.
	precheck func(d *differ) error
	// refuse, when set, returns an error for a change the kind cannot
	// plan at all (not even by recreating the object), before alter.
	refuse func(d *differ, old, new T) error
	// alter returns the changes turning old into new in place (none when
	// they do not differ), or recreate when the kind cannot alter what
	// differs: old is then dropped and new created.
	alter func(d *differ, old, new T) (changes []Change, recreate bool)
	// alterErr, when set, replaces alter for a kind whose alteration may
	// fail (a table's, which plans its columns, constraints and indexes
	// too): it returns the changes turning old into new in place, or an
	// error naming what cannot be planned; it checks itself that it plans
	// every difference (altered is not used).
	alterErr func(d *differ, old, new T) ([]Change, error)
	// altered returns a copy of old with the fields alter expresses (and
	// those derived from the rest, like dependencies) taken from new.
	// Whatever still differs from new is a difference alter leaves out:
	// diff reports it as an error rather than plan nothing for it.
	altered func(old, new T) T
	// skip, when set, returns which objects another pass plans (those of a
	// table rebuilt or created with its dependents, say): fromSide reports
	// an object of the current catalog, and found whether the other
	// catalog has the same object.
	skip func(d *differ) func(o T, fromSide, found bool) bool
	// goesWith, when set, reports whether an object of the current catalog
	// goes with another object the plan drops for good (a publication's
	// table with the publication): it is then neither dropped on its own
	// nor created again as a dependent.
	goesWith func(d *differ, o T) bool
	// find, when set, returns the object of cat with identity id without
	// listing them all; a kind without one is looked up in the index the
	// differ keeps of each catalog, by the kind (see lookup).
	find func(cat *schema.Catalog, id schema.ID) (T, bool)
	// acl, when set, returns an object with its privileges: how GRANT
	// names it, what it holds and what a new one gives others than its
	// owner (see aclOf); the kind's objects have no privileges otherwise.
	acl func(o T) aclObject
}

// kindEntry is a kindDiffer of any object type, as the registry holds it.
type kindEntry interface {
	// diff plans the changes of every object of the kind.
	diff(d *differ) error
	// dropByID and createByID drop an object as the current catalog has
	// it and create it as the desired one has it, for recreateDependents;
	// found is false when that catalog has no such object.
	dropByID(d *differ, id schema.ID) (c Change, found bool)
	createByID(d *differ, id schema.ID) (cs []Change, found bool)
	// addDeps records what each object of cat depends on.
	addDeps(cat *schema.Catalog, add func(of schema.ID, deps []schema.ID))
	// goneWithOwner reports whether object id of the current catalog goes
	// with another object the plan drops (see kindDiffer.goesWith).
	goneWithOwner(d *differ, id schema.ID) bool
	// aclOf returns object id of cat with its privileges; found is false
	// when cat has no such object or the kind has no privileges.
	aclOf(cat *schema.Catalog, id schema.ID) (o aclObject, found bool)
	// aclIDs lists the objects of cat that privileges may be granted on,
	// in list order: none for a kind without privileges.
	aclIDs(cat *schema.Catalog) []schema.ID
	// firstKind is the kind the differ is registered by first (see
	// registered).
	firstKind() schema.Kind
}

// registry holds the kinds planned by kindDiffer.diff, by kind (a differ
// of several kinds is there under each, see kindDiffer.alsoKinds).
var registry = map[schema.Kind]kindEntry{}

// registered lists each differ of the registry once, by its first kind.
var registered = map[schema.Kind]kindEntry{}

// register adds a kind to the registry; it panics when the kind is there
// already, a programming error.
func register[T schema.Object](k *kindDiffer[T]) *kindDiffer[T] {
	for _, kind := range append([]schema.Kind{k.kind}, k.alsoKinds...) {
		if _, dup := registry[kind]; dup {
			panic(fmt.Sprintf("diff: kind %s registered twice", kind))
		}
		registry[kind] = k
	}
	registered[k.kind] = k
	return k
}

// objects returns the kind's objects of cat in the order changes are
// planned: list's, else Catalog.Objects', kind by kind.
func (k *kindDiffer[T]) objects(cat *schema.Catalog) []T {
	if k.list != nil {
		return k.list(cat)
	}
	return schema.ObjectsOf[T](cat, append([]schema.Kind{k.kind}, k.alsoKinds...)...)
}

// id is an object's identity: objects of the two catalogs with the same
// identity are the same object.
func (k *kindDiffer[T]) id(o T) schema.ID { return o.ID() }

// pairing returns what pairs objects of the two catalogs: match when the
// kind sets it, else id.
func (k *kindDiffer[T]) pairing() func(T) schema.ID {
	if k.match != nil {
		return k.match
	}
	return T.ID
}

// diff plans the kind's changes: desired objects in list order (created,
// altered or recreated), then the current objects the desired catalog does
// not have (dropped).
func (k *kindDiffer[T]) diff(d *differ) error {
	if k.precheck != nil {
		if err := k.precheck(d); err != nil {
			return err
		}
	}
	return k.walk(d, k.objects(d.from), k.objects(d.to))
}

// walk plans the changes turning the objects fromList of the current
// catalog into the objects to of the desired one (kindDiffer.diff with
// lists of its own: the indexes of one table, say).
func (k *kindDiffer[T]) walk(d *differ, fromList, to []T) error {
	skip := func(T, bool, bool) bool { return false }
	if k.skip != nil {
		skip = k.skip(d)
	}
	pair := k.pairing()
	from := make(map[schema.ID]T, len(fromList))
	for _, o := range fromList {
		from[pair(o)] = o
	}
	inTo := make(map[schema.ID]bool, len(to))
	for _, o := range to {
		id := pair(o)
		inTo[id] = true
		old, found := from[id]
		if skip(o, false, found) {
			continue
		}
		if !found {
			d.addAll(k.create(d, o))
			continue
		}
		if k.refuse != nil {
			if err := k.refuse(d, old, o); err != nil {
				return err
			}
		}
		if k.alterErr != nil {
			changes, err := k.alterErr(d, old, o)
			if err != nil {
				return err
			}
			d.changes = append(d.changes, changes...)
			continue
		}
		changes, recreate := k.alter(d, old, o)
		if recreate {
			d.add(k.drop(d, old))
			d.addAll(k.create(d, o))
			continue
		}
		if err := k.checkAltered(old, o); err != nil {
			return err
		}
		d.changes = append(d.changes, changes...)
	}
	for _, old := range fromList {
		if inTo[pair(old)] || skip(old, true, false) || k.goesWith != nil && k.goesWith(d, old) {
			continue
		}
		d.add(k.drop(d, old))
	}
	return nil
}

// checkAltered fails when altering old into new leaves a difference that
// the kind's alter does not express, naming the object and the fields.
func (k *kindDiffer[T]) checkAltered(old, new T) error {
	altered := k.altered(old, new)
	if sameState(altered, new) {
		return nil
	}
	// An empty list and none are the same state.
	if delta := cmp.Diff(altered, new, cmpopts.EquateEmpty()); delta != "" {
		return fmt.Errorf("cannot plan the change of %s: schemadiff does not alter what differs (-current +desired):\n%s", k.id(new), delta)
	}
	return nil
}

// byID maps the kind's objects of cat by identity.
func (k *kindDiffer[T]) byID(cat *schema.Catalog) map[schema.ID]T {
	objs := k.objects(cat)
	out := make(map[schema.ID]T, len(objs))
	for _, o := range objs {
		out[k.id(o)] = o
	}
	return out
}

// lookup returns the object of cat with identity id: through find when
// the kind sets it, else through the index d keeps of cat (see
// catalogIndex.object), or by listing the kind when d is nil.
func (k *kindDiffer[T]) lookup(d *differ, cat *schema.Catalog, id schema.ID) (T, bool) {
	if k.find != nil {
		return k.find(cat, id)
	}
	if d == nil {
		o, ok := k.byID(cat)[id]
		return o, ok
	}
	o, ok := d.index(cat).object(k.kind, id, func() []schema.Object {
		objs := k.objects(cat)
		out := make([]schema.Object, len(objs))
		for i, o := range objs {
			out[i] = o
		}
		return out
	})
	if !ok {
		var none T
		return none, false
	}
	return o.(T), true
}

func (k *kindDiffer[T]) dropByID(d *differ, id schema.ID) (Change, bool) {
	o, ok := k.lookup(d, d.from, id)
	if !ok {
		return Change{}, false
	}
	return k.drop(d, o), true
}

func (k *kindDiffer[T]) createByID(d *differ, id schema.ID) ([]Change, bool) {
	o, ok := k.lookup(d, d.to, id)
	if !ok {
		return nil, false
	}
	return k.create(d, o), true
}

func (k *kindDiffer[T]) goneWithOwner(d *differ, id schema.ID) bool {
	if k.goesWith == nil {
		return false
	}
	o, ok := k.lookup(d, d.from, id)
	return ok && k.goesWith(d, o)
}

func (k *kindDiffer[T]) aclOf(cat *schema.Catalog, id schema.ID) (aclObject, bool) {
	if k.acl == nil {
		return aclObject{id: id}, false
	}
	o, ok := k.lookup(nil, cat, id)
	if !ok {
		return aclObject{id: id}, false
	}
	a := k.acl(o)
	a.id = id
	return a, true
}

func (k *kindDiffer[T]) firstKind() schema.Kind { return k.kind }

func (k *kindDiffer[T]) aclIDs(cat *schema.Catalog) []schema.ID {
	if k.acl == nil {
		return nil
	}
	var ids []schema.ID
	for _, o := range k.objects(cat) {
		ids = append(ids, k.id(o))
	}
	return ids
}

// qnameOf returns the qualified name of an object of a kind named by
// schema and name.
func qnameOf(id schema.ID) schema.QName { return schema.QName{Schema: id.Schema, Name: id.Name} }

// usageByPublic returns the privileges a new type or domain gives others
// than its owner.
func usageByPublic() []schema.Grant { return []schema.Grant{{Grantee: "PUBLIC", Privilege: "USAGE"}} }

func (k *kindDiffer[T]) addDeps(cat *schema.Catalog, add func(schema.ID, []schema.ID)) {
	if k.deps == nil {
		return
	}
	for _, o := range k.objects(cat) {
		add(k.id(o), k.deps(cat, o))
	}
}

// collect returns the changes plan adds to d, taking them off d.changes,
// for a kind whose create or alter is written as a pass that adds its
// changes itself.
func (d *differ) collect(plan func()) []Change {
	before := len(d.changes)
	plan()
	out := slices.Clone(d.changes[before:])
	d.changes = d.changes[:before]
	return out
}

// one wraps a single change for kindDiffer.create.
func one(c Change) []Change { return []Change{c} }

// ifAny returns c as the changes of an alteration, none when it has no
// statements.
func ifAny(c Change) []Change {
	if len(c.Statements) == 0 {
		return nil
	}
	return []Change{c}
}
