package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

func compositeID(q schema.QName) schema.ID {
	return schema.ID{Kind: schema.KindCompositeType, Schema: q.Schema, Name: q.Name}
}

func collationID(q schema.QName) schema.ID {
	return schema.ID{Kind: schema.KindCollation, Schema: q.Schema, Name: q.Name}
}

// collationKind diffs user-defined collations. A collation cannot be
// changed in place: it is dropped and created again, and the columns that
// use it are moved to the new one (rebuildCollation).
var collationKind = register(&kindDiffer[*schema.Collation]{
	kind:   schema.KindCollation,
	create: func(d *differ, c *schema.Collation) []Change { return one(d.createCollation(c)) },
	drop:   (*differ).dropCollation,
	alter: func(d *differ, old, c *schema.Collation) ([]Change, bool) {
		if collationDefinition(old) != collationDefinition(c) {
			return d.rebuildCollation(old, c), false
		}
		if old.Comment == c.Comment {
			return nil, false
		}
		return one(Change{Op: OpAlter, Object: collationID(c.QName),
			Statements: []Statement{commentStmt("COLLATION "+c.Quoted(), c.Comment)}}), false
	},
	altered: func(old, c *schema.Collation) *schema.Collation {
		if collationDefinition(old) != collationDefinition(c) {
			return c // rebuilt from the desired definition
		}
		// Fields rendered the same define the same collation.
		o := *old
		o.Provider, o.Collate, o.Ctype, o.Locale, o.Deterministic = c.Provider, c.Collate, c.Ctype, c.Locale, c.Deterministic
		o.Comment = c.Comment
		return &o
	},
})

// collationDefinition renders CREATE COLLATION with the options that
// round-trip through pg_collation.
func collationDefinition(c *schema.Collation) string {
	var opts []string
	switch c.Provider {
	case "i":
		opts = append(opts, "provider = icu", "locale = "+schema.Literal(c.Locale))
	default:
		opts = append(opts, "provider = libc")
		if c.Collate == c.Ctype {
			opts = append(opts, "locale = "+schema.Literal(c.Collate))
		} else {
			opts = append(opts, "lc_collate = "+schema.Literal(c.Collate), "lc_ctype = "+schema.Literal(c.Ctype))
		}
	}
	if !c.Deterministic {
		opts = append(opts, "deterministic = false")
	}
	return fmt.Sprintf("CREATE COLLATION %s (%s)", c.Quoted(), joinComma(opts))
}

func (d *differ) createCollation(c *schema.Collation) Change {
	ch := Change{Op: OpCreate, Object: collationID(c.QName),
		Requires: []schema.ID{schemaID(c.Schema)}, Statements: []Statement{stmt(collationDefinition(c))}}
	if c.Comment != "" {
		ch.Statements = append(ch.Statements, commentStmt("COLLATION "+c.Quoted(), c.Comment))
	}
	return ch
}

func (d *differ) dropCollation(c *schema.Collation) Change {
	return Change{Op: OpDrop, Object: collationID(c.QName),
		Requires:   []schema.ID{schemaID(c.Schema)},
		After:      d.collationUserRefs(c.QName),
		Statements: []Statement{stmt("DROP COLLATION " + c.Quoted())}}
}

// collationUsers lists the columns of cat whose collation is q.
func collationUsers(cat *schema.Catalog, q schema.QName) []columnUse {
	var uses []columnUse
	for _, tq := range schema.SortedQNames(cat.Tables) {
		t := cat.Tables[tq]
		for _, c := range t.Columns {
			if c.Collation != nil && *c.Collation == q {
				uses = append(uses, columnUse{t, c})
			}
		}
	}
	return uses
}

// collationUserRefs names the changes to the current catalog's columns,
// domains and composite types that use the collation q: they run before q
// is dropped.
func (d *differ) collationUserRefs(q schema.QName) []Ref {
	var refs []Ref
	for _, u := range collationUsers(d.from, q) {
		refs = append(refs, Ref{OpAlter, columnID(u.table.QName, u.col.Name)}, Ref{OpDrop, columnID(u.table.QName, u.col.Name)})
	}
	for _, dq := range schema.SortedQNames(d.from.Domains) {
		if c := d.from.Domains[dq].Collation; c != nil && *c == q {
			refs = append(refs, Ref{OpCreate, domainID(dq)}, Ref{OpAlter, domainID(dq)}, Ref{OpDrop, domainID(dq)})
		}
	}
	for _, cq := range schema.SortedQNames(d.from.Composites) {
		if slices.ContainsFunc(d.from.Composites[cq].Attributes, func(a *schema.Attribute) bool {
			return a.Collation != nil && *a.Collation == q
		}) {
			refs = append(refs, Ref{OpCreate, compositeID(cq)}, Ref{OpAlter, compositeID(cq)}, Ref{OpDrop, compositeID(cq)})
		}
	}
	return refs
}

// rebuildCollation replaces a collation whose definition changes. Without
// users that keep it, it is dropped and created again. Otherwise the old
// one is renamed, the new one created, the columns that keep it altered
// (domains and composite types using it are rebuilt by their own changes),
// and the old one dropped once they all moved. Indexes and other
// dependents are recreated around it.
func (d *differ) rebuildCollation(old, c *schema.Collation) []Change {
	q := c.QName
	drop := d.dropCollation(old)
	users := drop.After
	drop.After = d.withoutKeptUsers(slices.Clone(users), q)
	create := d.createCollation(c)
	if len(drop.After) == len(users) {
		return []Change{drop, create}
	}
	oldName := schema.QName{Schema: q.Schema, Name: schema.TruncateIdent(q.Name + "__old")}
	drop.Statements = []Statement{stmt(fmt.Sprintf("ALTER COLLATION %s RENAME TO %s", q.Quoted(), schema.Ident(oldName.Name)))}
	for _, u := range collationUsers(d.to, q) {
		ot, ok := d.from.Tables[u.table.QName]
		if !ok || u.col.Inherited {
			continue
		}
		if oc := ot.Column(u.col.Name); oc != nil && oc.Type == u.col.Type && sameCollation(oc.Collation, u.col.Collation) {
			d.breaks(columnID(u.table.QName, u.col.Name))
			create.Statements = append(create.Statements, stmt(fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s TYPE %s COLLATE %s",
				u.table.Quoted(), schema.Ident(u.col.Name), u.col.Type, q.Quoted()),
				hazard(HazardLongLock, "moving %s.%s to the recreated collation %s rebuilds its indexes under lock", u.table.QName, u.col.Name, q)))
		}
	}
	return []Change{drop, create, {Op: OpDrop, Object: collationID(oldName),
		After:      append([]Ref{{OpCreate, collationID(q)}}, users...),
		Statements: []Statement{stmt("DROP COLLATION " + oldName.Quoted())}}}
}

// collationRebuilt reports whether the plan recreates the collation q
// (its definition changes), so that what uses it must move to the new one.
func (d *differ) collationRebuilt(q *schema.QName) bool {
	if q == nil {
		return false
	}
	old, ok1 := d.from.Collations[*q]
	c, ok2 := d.to.Collations[*q]
	return ok1 && ok2 && collationDefinition(old) != collationDefinition(c)
}

// compositeKind diffs standalone composite types. One whose attributes
// cannot change in place is rebuilt (see rebuildComposite).
var compositeKind = register(&kindDiffer[*schema.CompositeType]{
	kind:   schema.KindCompositeType,
	create: func(d *differ, ct *schema.CompositeType) []Change { return one(d.createComposite(ct)) },
	drop:   (*differ).dropComposite,
	alter: func(d *differ, old, ct *schema.CompositeType) ([]Change, bool) {
		return d.alterComposite(old, ct), false
	},
	altered: func(old, ct *schema.CompositeType) *schema.CompositeType {
		o := *old
		// Attributes are altered in place, or the type rebuilt.
		o.Attributes, o.Comment, o.Deps = ct.Attributes, ct.Comment, ct.Deps
		// Privileges are planned by the grants pass.
		o.Grants = ct.Grants
		return &o
	},
	find: func(cat *schema.Catalog, id schema.ID) (*schema.CompositeType, bool) {
		ct, ok := cat.Composites[qnameOf(id)]
		return ct, ok
	},
	acl: func(ct *schema.CompositeType) aclObject {
		return aclObject{target: "TYPE " + ct.Quoted(), grants: ct.Grants, defaults: usageByPublic()}
	},
})

func attributeDefinition(a *schema.Attribute) string {
	s := schema.Ident(a.Name) + " " + a.Type
	if a.Collation != nil {
		s += " COLLATE " + a.Collation.Quoted()
	}
	return s
}

func attributeTarget(q schema.QName, name string) string {
	return "COLUMN " + q.Quoted() + "." + schema.Ident(name)
}

func compositeRequires(ct *schema.CompositeType) []schema.ID {
	ids := append([]schema.ID{schemaID(ct.Schema)}, ct.Deps...)
	for _, a := range ct.Attributes {
		if a.Collation != nil {
			ids = append(ids, collationID(*a.Collation))
		}
	}
	return ids
}

func (d *differ) createComposite(ct *schema.CompositeType) Change {
	attrs := make([]string, len(ct.Attributes))
	for i, a := range ct.Attributes {
		attrs[i] = attributeDefinition(a)
	}
	c := Change{Op: OpCreate, Object: compositeID(ct.QName), Requires: compositeRequires(ct),
		Statements: []Statement{stmt(fmt.Sprintf("CREATE TYPE %s AS (%s)", ct.Quoted(), joinComma(attrs)))}}
	if ct.Comment != "" {
		c.Statements = append(c.Statements, commentStmt("TYPE "+ct.Quoted(), ct.Comment))
	}
	for _, a := range ct.Attributes {
		if a.Comment != "" {
			c.Statements = append(c.Statements, commentStmt(attributeTarget(ct.QName, a.Name), a.Comment))
		}
	}
	return c
}

func (d *differ) dropComposite(ct *schema.CompositeType) Change {
	return Change{Op: OpDrop, Object: compositeID(ct.QName), Requires: compositeRequires(ct),
		After:      d.typeUserRefs(ct.QName),
		Statements: []Statement{stmt("DROP TYPE " + ct.Quoted())}}
}

func findAttribute(list []*schema.Attribute, name string) *schema.Attribute {
	for _, a := range list {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// compositeInPlace returns the ALTER TYPE actions turning old's attributes
// into ct's, or false when that needs a rebuild: the desired order cannot
// be reached by appending, or an attribute's type changes while a column
// uses the type (PostgreSQL refuses that even with CASCADE). An attribute
// whose collation is recreated counts as retyped.
func (d *differ) compositeInPlace(old, ct *schema.CompositeType, used bool) ([]string, bool) {
	var actions, order []string
	for _, oa := range old.Attributes {
		a := findAttribute(ct.Attributes, oa.Name)
		if a == nil {
			actions = append(actions, "DROP ATTRIBUTE "+schema.Ident(oa.Name))
			continue
		}
		order = append(order, a.Name)
		if a.Type != oa.Type || !sameCollation(a.Collation, oa.Collation) || d.collationRebuilt(a.Collation) {
			if used {
				return nil, false
			}
			s := "ALTER ATTRIBUTE " + schema.Ident(a.Name) + " SET DATA TYPE " + a.Type
			if a.Collation != nil {
				s += " COLLATE " + a.Collation.Quoted()
			}
			actions = append(actions, s)
		}
	}
	for _, a := range ct.Attributes {
		if findAttribute(old.Attributes, a.Name) == nil {
			actions = append(actions, "ADD ATTRIBUTE "+attributeDefinition(a))
			order = append(order, a.Name)
		}
	}
	for i, a := range ct.Attributes {
		if order[i] != a.Name {
			return nil, false
		}
	}
	return actions, true
}

// alterComposite returns the changes altering a composite type in place
// when it can; otherwise those recreating it (see rebuildComposite).
func (d *differ) alterComposite(old, ct *schema.CompositeType) []Change {
	q := ct.QName
	users := d.typeUsers(d.from, q)
	actions, ok := d.compositeInPlace(old, ct, len(users) > 0)
	if !ok {
		return d.rebuildComposite(old, ct, users)
	}
	c := Change{Op: OpAlter, Object: compositeID(q), Requires: compositeRequires(ct)}
	if len(actions) > 0 {
		var hz []Hazard
		if slices.ContainsFunc(actions, func(a string) bool { return strings.HasPrefix(a, "DROP ") }) {
			hz = append(hz, hazard(HazardDeletesData, "dropping attributes of %s deletes their values from columns of the type", q))
		}
		c.Statements = append(c.Statements, stmt("ALTER TYPE "+q.Quoted()+" "+joinComma(actions), hz...))
	}
	if old.Comment != ct.Comment {
		c.Statements = append(c.Statements, commentStmt("TYPE "+q.Quoted(), ct.Comment))
	}
	for _, a := range ct.Attributes {
		oa := findAttribute(old.Attributes, a.Name)
		if oa == nil && a.Comment != "" || oa != nil && oa.Comment != a.Comment {
			c.Statements = append(c.Statements, commentStmt(attributeTarget(q, a.Name), a.Comment))
		}
	}
	return ifAny(c)
}

// rebuildComposite replaces a composite type whose attributes cannot be
// changed in place. Without columns using it, it is dropped and created
// again (functions and views using it are recreated around it). Otherwise
// the old type is renamed, the new one created, each column converted
// attribute by attribute, and the old type dropped.
func (d *differ) rebuildComposite(old, ct *schema.CompositeType, users []columnUse) []Change {
	q := ct.QName
	drop := d.dropComposite(old)
	drop.After = d.withoutKeptUsers(drop.After, q)
	create := d.createComposite(ct)
	var kept []columnUse
	for _, u := range users {
		nt, ok := d.to.Tables[u.table.QName]
		if !ok {
			continue
		}
		if nc := nt.Column(u.col.Name); nc != nil && nc.Type == u.col.Type && !nc.Inherited {
			kept = append(kept, columnUse{nt, nc})
		}
	}
	if len(kept) == 0 {
		return []Change{drop, create}
	}
	oldName := schema.QName{Schema: q.Schema, Name: schema.TruncateIdent(q.Name + "__old")}
	drop.Statements = []Statement{stmt(fmt.Sprintf("ALTER TYPE %s RENAME TO %s", q.Quoted(), schema.Ident(oldName.Name)))}
	for _, u := range kept {
		d.breaks(columnID(u.table.QName, u.col.Name))
		oc := d.from.Tables[u.table.QName].Column(u.col.Name)
		col := schema.Ident(u.col.Name)
		prefix := fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s ", u.table.Quoted(), col)
		if oc.Default != "" {
			create.Statements = append(create.Statements, stmt(prefix+"DROP DEFAULT"))
		}
		hz := []Hazard{hazard(HazardRewritesTable, "converting %s.%s to the rebuilt type %s rewrites the table", u.table.QName, u.col.Name, q)}
		var using string
		switch {
		case !strings.HasSuffix(u.col.Type, "[]"):
			fields, guards, attrHazards := d.convertAttributes(u.table.QName, u.col.Name, old, ct, storedScalar)
			create.Statements = append(create.Statements, guards...)
			hz = append(hz, attrHazards...)
			using = fmt.Sprintf("CASE WHEN %s::text IS NULL THEN NULL ELSE ROW(%s)::%s END", col, joinComma(fields), u.col.Type)
		case sameAttributeNames(old, ct):
			// An array converts through its text: each attribute is
			// read by its type's input function, which fails on a too
			// long string as an assignment does.
			_, guards, attrHazards := d.convertAttributes(u.table.QName, u.col.Name, old, ct, storedArray)
			create.Statements = append(create.Statements, guards...)
			hz = append(hz, attrHazards...)
			using = col + "::text::" + u.col.Type
		default:
			// No cast between the old and the new array type exists, and
			// an expression converting each element (a subquery) is not
			// allowed in USING: this fails, changing nothing.
			using = col + "::" + u.col.Type
			hz = append(hz, hazard(HazardMayFail, "%s.%s, an array of %s, cannot be converted when attributes are added, dropped or reordered: this fails", u.table.QName, u.col.Name, q))
		}
		hz = append(hz, hazard(HazardMayFail, "values of %s.%s whose attributes do not convert make this fail", u.table.QName, u.col.Name))
		create.Statements = append(create.Statements, stmt(fmt.Sprintf("%sTYPE %s USING %s", prefix, u.col.Type, using), hz...))
		if oc.Default != "" && u.col.Default != "" {
			create.Statements = append(create.Statements, stmt(prefix+"SET DEFAULT "+u.col.Default))
		}
	}
	create.Statements = append(create.Statements, stmt("DROP TYPE "+oldName.Quoted()))
	return []Change{drop, create}
}

// compositeStore says how a column holds values of a composite type.
type compositeStore int

const (
	// storedScalar: the column holds the values, converted with
	// ROW(...)::type.
	storedScalar compositeStore = iota
	// storedArray: the column holds arrays of them, converted through
	// text.
	storedArray
)

// sameAttributeNames reports whether two composite types have the same
// attributes in the same order (the text of a value of one is then read
// as a value of the other).
func sameAttributeNames(old, ct *schema.CompositeType) bool {
	return slices.EqualFunc(old.Attributes, ct.Attributes, func(a, b *schema.Attribute) bool { return a.Name == b.Name })
}

// convertAttributes returns the fields of the ROW(...) that converts a
// value of column col of table t from composite type old to ct, with the
// guards that fail, naming a value, where the conversion of an attribute
// would change it. ROW(...)::type casts each attribute explicitly, which
// cuts a too long string where an assignment fails; the elements of an
// array are read through their text, which fails on it.
func (d *differ) convertAttributes(t schema.QName, col string, old, ct *schema.CompositeType, store compositeStore) (fields []string, guards []Statement, hazards []Hazard) {
	value, rows, use, name := "("+schema.Ident(col)+")", "", byExplicitCast, col
	if store == storedArray {
		value, use, name = "(element)", byAssignment, col+"[]"
		rows = fmt.Sprintf("(SELECT pg_catalog.unnest(%s) AS element FROM %s) AS elements", schema.Ident(col), t.Quoted())
	}
	for _, a := range ct.Attributes {
		oa := findAttribute(old.Attributes, a.Name)
		if oa == nil {
			fields = append(fields, "NULL::"+a.Type)
			continue
		}
		v := storedValue{table: t, name: name + "." + a.Name, rows: rows,
			expr:     value + "." + schema.Ident(a.Name),
			target:   schema.Ident(col) + "." + schema.Ident(a.Name),
			fromType: oa.Type, toType: a.Type}
		if store == storedArray {
			v.target = schema.Ident(col)
		}
		if oa.Type != a.Type {
			v.via = d.typeVia(oa.Type)
		}
		cv := d.convertValue(v, use)
		fields = append(fields, cv.using)
		if cv.guard != nil {
			guards = append(guards, *cv.guard)
		}
		hazards = append(hazards, cv.hazards...)
	}
	return fields, guards, hazards
}
