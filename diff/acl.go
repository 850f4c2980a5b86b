package diff

import (
	"slices"

	"github.com/schemadiff/schemadiff/schema"
)

// privilegesID identifies the privileges on the object id, which change
// separately from the object itself, e.g. "privileges on table public.t".
func privilegesID(id schema.ID) schema.ID {
	id.Kind, id.Of = schema.KindPrivileges, id.Kind
	return id
}

// aclObject is an object that privileges are granted on.
type aclObject struct {
	id schema.ID
	// target names the object in GRANT and REVOKE, e.g. "TABLE public.t".
	target string
	grants []schema.Grant
	// defaults are the privileges a new object gives others than its owner.
	defaults []schema.Grant
	// column is set for the privileges on one column of a table or view,
	// granted as "SELECT (column) ON TABLE t"; relation is that table's or
	// view's identity.
	column   string
	relation schema.ID
	// prefix comes before GRANT and REVOKE ("ALTER DEFAULT PRIVILEGES
	// IN SCHEMA s ").
	prefix string
}

// aclOf returns the object id of cat with its privileges: through the
// registry for the kinds it holds (see kindDiffer.acl), here for the kinds
// outside it: the columns of tables and views.
func aclOf(cat *schema.Catalog, id schema.ID) (aclObject, bool) {
	if e, ok := registry[id.Kind]; ok {
		return e.aclOf(cat, id)
	}
	if id.Kind == schema.KindColumn {
		return columnACLOf(cat, id)
	}
	return aclObject{id: id}, false
}

// columnACLOf returns the column id of a table or view of cat with its
// privileges.
func columnACLOf(cat *schema.Catalog, id schema.ID) (aclObject, bool) {
	q := schema.QName{Schema: id.Schema, Name: id.Table}
	o := aclObject{id: id, target: "TABLE " + q.Quoted(), column: id.Name}
	if t, ok := cat.Tables[q]; ok && t.Column(id.Name) != nil {
		o.relation, o.grants = tableID(q), t.ColumnGrants[id.Name]
		return o, true
	}
	if v, ok := cat.Views[q]; ok && slices.ContainsFunc(v.Columns, func(c schema.ViewColumn) bool { return c.Name == id.Name }) {
		o.relation, o.grants = v.ID(), v.ColumnGrants[id.Name]
		return o, true
	}
	return o, false
}

// columnACLIDs lists the columns of the relation q of to whose privileges
// may change: those with privileges in either catalog.
func columnACLIDs(from, to *schema.Catalog, q schema.QName) []schema.ID {
	names := map[string]bool{}
	for _, cat := range []*schema.Catalog{from, to} {
		if t, ok := cat.Tables[q]; ok {
			for c := range t.ColumnGrants {
				names[c] = true
			}
		}
		if v, ok := cat.Views[q]; ok {
			for c := range v.ColumnGrants {
				names[c] = true
			}
		}
	}
	var ids []schema.ID
	for _, c := range schema.SortedKeys(names) {
		if _, ok := columnACLOf(to, columnID(q, c)); ok {
			ids = append(ids, columnID(q, c))
		}
	}
	return ids
}

// aclIDs lists every object of cat that privileges may be granted on, in
// order: the objects of the registered kinds with privileges (see
// kindDiffer.acl) in privilegeOrder.
func aclIDs(cat *schema.Catalog) []schema.ID {
	var ids []schema.ID
	for _, k := range privilegeOrder() {
		ids = append(ids, registered[k].aclIDs(cat)...)
	}
	return ids
}

// grantsFirst are the registered kinds whose privileges the grants pass
// plans first, in this order, the order plans have always had; the other
// registered kinds follow, by kind.
var grantsFirst = []schema.Kind{schema.KindSchema, schema.KindTable, schema.KindView, schema.KindSequence, schema.KindFunction, schema.KindEnum,
	schema.KindDomain, schema.KindCompositeType, schema.KindRangeType, schema.KindForeignServer}

// privilegeOrder returns the registered kinds (by the first kind of each
// differ) in the order the grants pass plans their privileges.
func privilegeOrder() []schema.Kind {
	var out, rest []schema.Kind
	for _, k := range grantsFirst {
		if _, ok := registered[k]; ok {
			out = append(out, k)
		}
	}
	for k := range registered {
		if !slices.Contains(grantsFirst, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// grants diffs privileges on every modelled object of the desired catalog.
// An object the plan creates, or drops and creates again, starts with the
// default privileges of its kind; other objects keep their current ones.
// Objects whose privileges the plan already sets (a differ that recreates
// an object calls grantChanges itself) are left alone.
func (d *differ) grants() {
	dropped, planned := map[schema.ID]bool{}, map[schema.ID]bool{}
	for _, c := range d.changes {
		if c.Op == OpDrop {
			dropped[c.Object] = true
		}
		planned[c.Object] = true
	}
	ids := aclIDs(d.to)
	for _, q := range schema.SortedQNames(d.to.Tables) {
		ids = append(ids, columnACLIDs(d.from, d.to, q)...)
	}
	for _, q := range schema.SortedQNames(d.to.Views) {
		ids = append(ids, columnACLIDs(d.from, d.to, q)...)
	}
	for _, id := range ids {
		if planned[privilegesID(id)] {
			continue
		}
		o, _ := aclOf(d.to, id)
		current := d.creationGrants(o)
		old, ok := aclOf(d.from, id)
		var held []schema.Grant
		if ok {
			held = old.grants
		}
		switch {
		case !ok || dropped[id] || d.enumRebuilt(id):
		case o.column == "":
			current = old.grants
		case !dropped[o.relation] && old.relation == o.relation:
			current = d.afterRelationRevokes(o.relation, old.grants)
		}
		if c, ok := grantChange(o, current, held); ok {
			d.add(c)
		}
	}
}

// afterRelationRevokes returns the column privileges current that remain
// once the plan's change to the privileges on the table or view rel has
// run: revoking a privilege on a table revokes it on its columns too.
func (d *differ) afterRelationRevokes(rel schema.ID, current []schema.Grant) []schema.Grant {
	was, ok1 := aclOf(d.from, rel)
	is, ok2 := aclOf(d.to, rel)
	if !ok1 || !ok2 {
		return current
	}
	kept := toPrivSet(is.grants)
	had := toPrivSet(was.grants)
	var out []schema.Grant
	for _, g := range current {
		if _, revoked := had[g.Grantee][g.Privilege]; revoked {
			if _, still := kept[g.Grantee][g.Privilege]; !still {
				continue
			}
		}
		out = append(out, g)
	}
	return out
}

// enumRebuilt reports whether id is an enum that the plan rebuilds under
// the same name, which resets its privileges.
func (d *differ) enumRebuilt(id schema.ID) bool {
	if id.Kind != schema.KindEnum {
		return false
	}
	q := schema.QName{Schema: id.Schema, Name: id.Name}
	old, ok1 := d.from.Enums[q]
	e, ok2 := d.to.Enums[q]
	if !ok1 || !ok2 {
		return false
	}
	_, inPlace := enumAdditions(old.Values, e.Values)
	return !inPlace
}

// grantChanges returns the GRANT and REVOKE statements that give a
// (re)created object of the desired catalog its privileges, starting from
// the defaults of its kind. When the plan already changes the object's
// privileges (computed before the object was known to be recreated), that
// change is replaced in place and nothing is returned; d.changes keeps its
// length, so callers may append the result to it in one expression.
func (d *differ) grantChanges(id schema.ID) []Change {
	ids := []schema.ID{id}
	if id.Kind == schema.KindTable || id.Kind == schema.KindView || id.Kind == schema.KindMaterializedView {
		// A relation created again has no column privileges either.
		ids = append(ids, columnACLIDs(d.to, d.to, schema.QName{Schema: id.Schema, Name: id.Name})...)
	}
	var out []Change
	for _, id := range ids {
		o, ok := aclOf(d.to, id)
		if !ok {
			continue
		}
		var held []schema.Grant
		if old, ok := aclOf(d.from, id); ok {
			held = old.grants
		}
		c, ok := grantChange(o, d.creationGrants(o), held)
		pid := privilegesID(id)
		if i := slices.IndexFunc(d.changes, func(c Change) bool { return c.Object == pid }); i >= 0 {
			// The planned change revokes only what the recreated object
			// does not hold anyway; it is replaced when there is
			// something to grant.
			if ok {
				d.changes[i] = c
			}
			continue
		}
		if ok {
			out = append(out, c)
		}
	}
	return out
}

// privSet maps a grantee to its privileges and whether each is grantable.
type privSet map[string]map[string]bool

func toPrivSet(gs []schema.Grant) privSet {
	s := privSet{}
	for _, g := range gs {
		if s[g.Grantee] == nil {
			s[g.Grantee] = map[string]bool{}
		}
		s[g.Grantee][g.Privilege] = s[g.Grantee][g.Privilege] || g.Grantable
	}
	return s
}

// grantChange returns the change turning the privileges current of o into
// o's, one statement per grantee and kind of change, or false when they are
// the same. held are the privileges the object has in the current state
// (nil when it does not exist there); current differs from them when the
// plan creates the object again. A REVOKE carries a revokes-access hazard
// when it takes away a privilege, or a grant option, that a grantee holds
// now: one that only undoes a default of a re-created object restores its
// ACL and takes nothing from anyone.
func grantChange(o aclObject, current, held []schema.Grant) (Change, bool) {
	cur, want, had := toPrivSet(current), toPrivSet(o.grants), toPrivSet(held)
	grantees := map[string]bool{}
	for g := range cur {
		grantees[g] = true
	}
	for g := range want {
		grantees[g] = true
	}
	c := Change{Op: OpAlter, Object: privilegesID(o.id), Requires: []schema.ID{o.id}}
	privs := joinComma
	if o.column != "" {
		// After the relation's own privileges, whose revokes reach its
		// columns too.
		c.Requires = append(c.Requires, o.relation)
		c.After = []Ref{{OpAlter, privilegesID(o.relation)}}
		col := " (" + schema.Ident(o.column) + ")"
		privs = func(ps []string) string {
			out := make([]string, len(ps))
			for i, p := range ps {
				out[i] = p + col
			}
			return joinComma(out)
		}
	}
	for _, g := range schema.SortedKeys(grantees) {
		var revoke, revokeOption, grant, grantOption []string
		for _, p := range schema.SortedKeys(cur[g]) {
			wantOpt, kept := want[g][p]
			switch {
			case !kept:
				revoke = append(revoke, p)
			case cur[g][p] && !wantOpt:
				revokeOption = append(revokeOption, p)
			}
		}
		for _, p := range schema.SortedKeys(want[g]) {
			curOpt, had := cur[g][p]
			switch {
			case want[g][p] && !curOpt:
				grantOption = append(grantOption, p)
			case !had:
				grant = append(grant, p)
			}
		}
		role := roleName(g)
		if len(revoke) > 0 {
			c.Statements = append(c.Statements, stmt(o.prefix+"REVOKE "+privs(revoke)+" ON "+o.target+" FROM "+role,
				revokesAccess(o, had, g, revoke, revokePrivilege)...))
		}
		if len(revokeOption) > 0 {
			c.Statements = append(c.Statements, stmt(o.prefix+"REVOKE GRANT OPTION FOR "+privs(revokeOption)+" ON "+o.target+" FROM "+role,
				revokesAccess(o, had, g, revokeOption, revokeGrantOption)...))
		}
		if len(grant) > 0 {
			c.Statements = append(c.Statements, stmt(o.prefix+"GRANT "+privs(grant)+" ON "+o.target+" TO "+role))
		}
		if len(grantOption) > 0 {
			c.Statements = append(c.Statements, stmt(o.prefix+"GRANT "+privs(grantOption)+" ON "+o.target+" TO "+role+" WITH GRANT OPTION"))
		}
	}
	return c, len(c.Statements) > 0
}

// revocation is what a REVOKE takes away.
type revocation int

const (
	revokePrivilege   revocation = iota // REVOKE p
	revokeGrantOption                   // REVOKE GRANT OPTION FOR p
)

// revokesAccess returns the hazard of revoking privs (or their grant
// option) on o from grantee, naming those of them grantee holds now (in
// had); none when it holds none of them.
func revokesAccess(o aclObject, had privSet, grantee string, privs []string, r revocation) []Hazard {
	var lost []string
	for _, p := range privs {
		if opt, ok := had[grantee][p]; ok && (r == revokePrivilege || opt) {
			lost = append(lost, p)
		}
	}
	if len(lost) == 0 {
		return nil
	}
	what := joinComma(lost)
	if r == revokeGrantOption {
		what = "the grant option for " + what
	}
	if o.id.Kind == schema.KindDefaultPrivileges {
		return []Hazard{hazard(HazardRevokesAccess, "revokes %s from %s in the %s: objects created from now on no longer grant it",
			what, grantee, o.id)}
	}
	return []Hazard{hazard(HazardRevokesAccess, "revokes %s on %s from %s", what, o.id, grantee)}
}
