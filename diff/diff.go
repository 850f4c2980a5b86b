package diff

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// Diff returns the changes that turn the catalog from into the catalog to,
// in a deterministic order (not yet ordered by dependency). An error means a
// difference that schemadiff cannot express yet; it names the object.
func Diff(from, to *schema.Catalog) ([]Change, error) {
	return DiffWith(from, to, Options{})
}

// Options change how differences are expressed.
type Options struct {
	// Online avoids long locks on tables that exist already: indexes are
	// built and dropped CONCURRENTLY (outside a transaction), foreign keys
	// and checks are added NOT VALID and validated in a second statement,
	// and SET NOT NULL relies on a validated CHECK instead of a scan under
	// an ACCESS EXCLUSIVE lock.
	Online bool
	// Renames are hints from the desired state: objects to rename rather
	// than drop and create again.
	Renames []schema.Rename
}

// DiffWith is Diff with options.
func DiffWith(from, to *schema.Catalog, opts Options) ([]Change, error) {
	d := &differ{from: from, to: to, opts: opts}
	if err := d.applyRenames(); err != nil {
		return nil, err
	}
	d.catalogsFinal = true
	for _, st := range planOrder {
		if err := st.run(d); err != nil {
			return nil, err
		}
	}
	d.grants()
	d.defaultPrivileges()
	d.recreateDependents()
	d.defaultPrivilegesLast()
	d.orderAroundCasts()
	if err := d.refusal(); err != nil {
		return nil, err
	}
	return d.changes, nil
}

// step is one pass of DiffWith: the walk of a registered kind, or a pass
// of its own for what the registry does not hold.
type step struct {
	kind kindEntry
	pass func(d *differ) error
}

func (s step) run(d *differ) error {
	if s.kind != nil {
		return s.kind.diff(d)
	}
	return s.pass(d)
}

// walk is the step of a registered kind.
func walk(k kindEntry) step { return step{kind: k} }

// pass is a step outside the registry that cannot fail.
func pass(f func(d *differ)) step {
	return step{pass: func(d *differ) error { f(d); return nil }}
}

// planOrder is the order DiffWith plans in, before the privileges, the
// recreation of dependents and the refusals: what others use first, so
// that ties in the dependency order (see dag.Order) keep plans in the
// familiar shape. Every registered kind is here but indexKind and
// constraintKind, walked with each table (and view) that stays.
var planOrder = []step{
	walk(schemaKind),
	walk(extensionKind), walk(collationKind),
	walk(enumKind), walk(domainKind), walk(compositeKind), walk(rangeKind),
	walk(sequenceKind), walk(serverKind), walk(userMappingKind),
	walk(tableKind), {pass: (*differ).tablesAfterWalk},
	walk(statisticsKind),
	walk(viewKind), pass((*differ).tablesReplacingViews),
	walk(functionKind), walk(castKind), walk(triggerKind), walk(ruleKind), walk(eventTriggerKind),
	pass((*differ).rowSecurityFlags),
	walk(policyKind), walk(publicationKind), walk(publicationTableKind),
}

type differ struct {
	from, to *schema.Catalog
	opts     Options
	changes  []Change
	// broken lists objects changed in a way that breaks their dependents.
	broken []schema.ID
	// detached lists partitions leaving their parent for good.
	detached []Ref
	// rebuilt lists tables rebuilt (see rebuildTable).
	rebuilt map[schema.QName]bool
	// retyped lists the columns ALTER COLUMN ... TYPE changes in place.
	retyped map[schema.ID]bool
	// refused lists the changes that cannot be planned (see refusal).
	refused []string
	// trees maps each table of a partition tree rebuilt as one to the
	// tree's root (see treesToRebuild).
	trees map[schema.QName]schema.QName
	// indexOwners caches, per catalog, which table holds each index name
	// (see indexOwner).
	indexOwners map[*schema.Catalog]map[schema.QName]*schema.Table
	// catalogsFinal is set once the rename hints are applied: the
	// catalogs do not change after that, and lookups keeps an index of
	// each (see index).
	catalogsFinal bool
	lookups       map[*schema.Catalog]*catalogIndex
}

func (d *differ) add(c Change) { d.changes = append(d.changes, c) }

// addAll appends cs to the plan. The changes are computed before the plan
// is read, so a create that itself edits d.changes (a view taking the place
// of a table's drop, say) is never overwritten by an append of the slice
// read before the call.
func (d *differ) addAll(cs []Change) { d.changes = append(d.changes, cs...) }

// schemaKind diffs schemas: created with their comment, dropped, and
// commented in place. Their privileges are the grants pass's.
var schemaKind = register(&kindDiffer[*schema.Schema]{
	kind: schema.KindSchema,
	create: func(_ *differ, s *schema.Schema) []Change {
		c := Change{Op: OpCreate, Object: s.ID(),
			Statements: []Statement{stmt("CREATE SCHEMA " + schema.Ident(s.Name))}}
		if s.Comment != "" {
			c.Statements = append(c.Statements, commentStmt("SCHEMA "+schema.Ident(s.Name), s.Comment))
		}
		return one(c)
	},
	drop: func(_ *differ, s *schema.Schema) Change {
		return Change{Op: OpDrop, Object: s.ID(),
			Statements: []Statement{stmt("DROP SCHEMA "+schema.Ident(s.Name),
				hazard(HazardDeletesData, "drops schema %s", s.Name))}}
	},
	alter: func(_ *differ, old, s *schema.Schema) ([]Change, bool) {
		if old.Comment == s.Comment {
			return nil, false
		}
		return one(Change{Op: OpAlter, Object: s.ID(),
			Statements: []Statement{commentStmt("SCHEMA "+schema.Ident(s.Name), s.Comment)}}), false
	},
	altered: func(old, s *schema.Schema) *schema.Schema {
		o := *old
		o.Comment, o.Grants = s.Comment, s.Grants
		return &o
	},
	acl: func(s *schema.Schema) aclObject {
		return aclObject{target: "SCHEMA " + schema.Ident(s.Name), grants: s.Grants}
	},
	find: func(cat *schema.Catalog, id schema.ID) (*schema.Schema, bool) {
		s, ok := cat.Schemas[id.Name]
		return s, ok
	},
})

// columnsLeaving lists the changes of columns that use id in the current
// catalog (their type comes from it): a column converted to another type
// stops using it, so id is dropped after that.
func (d *differ) columnsLeaving(id schema.ID) []Ref {
	var refs []Ref
	for _, q := range schema.SortedQNames(d.from.Tables) {
		for _, c := range d.from.Tables[q].Columns {
			if slices.Contains(c.Deps, id) {
				refs = append(refs, Ref{OpAlter, columnID(q, c.Name)}, Ref{OpDrop, columnID(q, c.Name)})
			}
		}
	}
	return refs
}

// extensionCreate creates an extension at its version, with its comment.
func extensionCreate(e *schema.Extension) Change {
	c := Change{Op: OpCreate, Object: extensionID(e.Name), Requires: []schema.ID{schemaID(e.Schema)},
		Statements: []Statement{stmt(fmt.Sprintf("CREATE EXTENSION %s WITH SCHEMA %s VERSION %s",
			schema.Ident(e.Name), schema.Ident(e.Schema), schema.Literal(e.Version)))}}
	if e.Comment != "" {
		c.Statements = append(c.Statements, commentStmt("EXTENSION "+schema.Ident(e.Name), e.Comment))
	}
	return c
}

func extensionID(name string) schema.ID { return schema.ID{Kind: schema.KindExtension, Name: name} }

// extensionAlter moves and updates an extension in place. Extensions ship
// upgrade scripts only: going back to an older version means installing
// it again, with every object that uses it.
func extensionAlter(old, e *schema.Extension) []Change {
	id := extensionID(e.Name)
	if versionLess(e.Version, old.Version) {
		return []Change{{Op: OpDrop, Object: id, Requires: []schema.ID{schemaID(old.Schema)},
			Statements: []Statement{stmt("DROP EXTENSION "+schema.Ident(e.Name),
				hazard(HazardDeletesData, "downgrading extension %s from %s to %s drops and re-creates it, with every object that uses it", e.Name, old.Version, e.Version))}},
			extensionCreate(e)}
	}
	c := Change{Op: OpAlter, Object: id, Requires: []schema.ID{schemaID(e.Schema)}}
	if old.Schema != e.Schema {
		c.Statements = append(c.Statements, stmt(fmt.Sprintf("ALTER EXTENSION %s SET SCHEMA %s",
			schema.Ident(e.Name), schema.Ident(e.Schema))))
	}
	if old.Version != e.Version {
		c.Statements = append(c.Statements, stmt(fmt.Sprintf("ALTER EXTENSION %s UPDATE TO %s",
			schema.Ident(e.Name), schema.Literal(e.Version))))
	}
	if old.Comment != e.Comment {
		c.Statements = append(c.Statements, commentStmt("EXTENSION "+schema.Ident(e.Name), e.Comment))
	}
	return ifAny(c)
}

// extensionKind diffs the extensions. One the desired state loses is
// dropped after the columns that stop using its types.
var extensionKind = register(&kindDiffer[*schema.Extension]{
	kind:   schema.KindExtension,
	create: func(_ *differ, e *schema.Extension) []Change { return one(extensionCreate(e)) },
	drop: func(d *differ, e *schema.Extension) Change {
		id := extensionID(e.Name)
		return Change{Op: OpDrop, Object: id,
			Requires: []schema.ID{schemaID(e.Schema)}, After: d.columnsLeaving(id),
			Statements: []Statement{stmt("DROP EXTENSION "+schema.Ident(e.Name),
				hazard(HazardDeletesData, "drops extension %s and every object it provides", e.Name))}}
	},
	alter: func(_ *differ, old, e *schema.Extension) ([]Change, bool) { return extensionAlter(old, e), false },
	altered: func(old, e *schema.Extension) *schema.Extension {
		o := *old
		o.Schema, o.Version, o.Comment = e.Schema, e.Version, e.Comment
		return &o
	},
})

// enumAddition is one value to add to an enum, and where.
type enumAddition struct {
	value  string
	clause string // "'v' AFTER 'u'" or "'v' BEFORE 'u'"
}

// enumAdditions returns the values to add that turn old into new, or false
// when new does not keep old's values in their order.
func enumAdditions(old, new []string) ([]enumAddition, bool) {
	pos := 0
	for _, v := range new {
		if pos < len(old) && old[pos] == v {
			pos++
		}
	}
	if pos != len(old) {
		return nil, false
	}
	var adds []enumAddition
	have := slices.Clone(old)
	for i, v := range new {
		if slices.Contains(have, v) {
			continue
		}
		var clause string
		if i > 0 {
			clause = fmt.Sprintf("%s AFTER %s", schema.Literal(v), schema.Literal(new[i-1]))
		} else {
			clause = fmt.Sprintf("%s BEFORE %s", schema.Literal(v), schema.Literal(have[0]))
		}
		adds = append(adds, enumAddition{v, clause})
		idx := slices.Index(have, new[max(i-1, 0)])
		if i == 0 {
			have = slices.Insert(have, 0, v)
		} else {
			have = slices.Insert(have, idx+1, v)
		}
	}
	return adds, true
}

func joinComma(s []string) string { return strings.Join(s, ", ") }
func joinSpace(s []string) string { return strings.Join(s, " ") }

// versionLess compares dotted version numbers ("1.3" < "1.10"); parts that
// are not numbers compare as text.
func versionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, errA := strconv.Atoi(pa[i])
		nb, errB := strconv.Atoi(pb[i])
		switch {
		case errA == nil && errB == nil && na != nb:
			return na < nb
		case (errA != nil || errB != nil) && pa[i] != pb[i]:
			return pa[i] < pb[i]
		}
	}
	return len(pa) < len(pb)
}
