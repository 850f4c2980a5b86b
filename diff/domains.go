package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

func domainID(q schema.QName) schema.ID {
	return schema.ID{Kind: schema.KindDomain, Schema: q.Schema, Name: q.Name}
}

func domainConstraintID(q schema.QName, name string) schema.ID {
	return schema.ID{Kind: schema.KindDomainConstraint, Schema: q.Schema, Table: q.Name, Name: name}
}

func domainConstraintTarget(q schema.QName, name string) string {
	return "CONSTRAINT " + schema.Ident(name) + " ON DOMAIN " + q.Quoted()
}

func findDomainConstraint(list []*schema.DomainConstraint, name string) *schema.DomainConstraint {
	for _, c := range list {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// domainKind diffs domain types. One whose base type or collation
// changes, or whose collation or base domain is recreated, is rebuilt
// (see rebuildDomain); other changes are made in place (alterDomain).
var domainKind = register(&kindDiffer[*schema.Domain]{
	kind:   schema.KindDomain,
	create: func(d *differ, dm *schema.Domain) []Change { return one(d.createDomain(dm)) },
	drop:   (*differ).dropDomain,
	alter: func(d *differ, old, dm *schema.Domain) ([]Change, bool) {
		if d.domainRebuilt(dm.QName) {
			return d.rebuildDomain(old, dm), false
		}
		return d.alterDomain(old, dm), false
	},
	altered: func(old, dm *schema.Domain) *schema.Domain {
		o := *old
		// The base type and collation change by a rebuild, the rest in
		// place.
		o.BaseType, o.Collation = dm.BaseType, dm.Collation
		o.Default, o.NotNull, o.Constraints, o.Comment, o.Deps = dm.Default, dm.NotNull, dm.Constraints, dm.Comment, dm.Deps
		// Privileges are planned by the grants pass.
		o.Grants = dm.Grants
		return &o
	},
	find: func(cat *schema.Catalog, id schema.ID) (*schema.Domain, bool) {
		dm, ok := cat.Domains[qnameOf(id)]
		return dm, ok
	},
	acl: func(dm *schema.Domain) aclObject {
		return aclObject{target: "DOMAIN " + dm.Quoted(), grants: dm.Grants, defaults: usageByPublic()}
	},
})

// domainDefinition renders CREATE DOMAIN with the validated constraints,
// followed by the statements adding NOT VALID constraints and comments.
func domainDefinition(dm *schema.Domain) []Statement {
	var b strings.Builder
	b.WriteString("CREATE DOMAIN " + dm.Quoted() + " AS " + dm.BaseType)
	if dm.Collation != nil {
		b.WriteString(" COLLATE " + dm.Collation.Quoted())
	}
	if dm.Default != "" {
		b.WriteString(" DEFAULT " + dm.Default)
	}
	if dm.NotNull {
		b.WriteString(" NOT NULL")
	}
	var later []Statement
	for _, c := range dm.Constraints {
		if c.Validated {
			b.WriteString(" CONSTRAINT " + schema.Ident(c.Name) + " " + c.Definition)
		} else {
			later = append(later, stmt(addDomainConstraint(dm.QName, c)))
		}
	}
	stmts := append([]Statement{stmt(b.String())}, later...)
	if dm.Comment != "" {
		stmts = append(stmts, commentStmt("DOMAIN "+dm.Quoted(), dm.Comment))
	}
	for _, c := range dm.Constraints {
		if c.Comment != "" {
			stmts = append(stmts, commentStmt(domainConstraintTarget(dm.QName, c.Name), c.Comment))
		}
	}
	return stmts
}

func addDomainConstraint(q schema.QName, c *schema.DomainConstraint) string {
	return fmt.Sprintf("ALTER DOMAIN %s ADD CONSTRAINT %s %s", q.Quoted(), schema.Ident(c.Name), c.Definition)
}

func domainRequires(dm *schema.Domain) []schema.ID {
	ids := append([]schema.ID{schemaID(dm.Schema)}, dm.Deps...)
	if dm.Collation != nil {
		ids = append(ids, collationID(*dm.Collation))
	}
	return ids
}

func (d *differ) createDomain(dm *schema.Domain) Change {
	return Change{Op: OpCreate, Object: domainID(dm.QName),
		Requires: domainRequires(dm), Statements: domainDefinition(dm)}
}

func (d *differ) dropDomain(dm *schema.Domain) Change {
	c := Change{Op: OpDrop, Object: domainID(dm.QName), Requires: domainRequires(dm),
		Statements: []Statement{stmt("DROP DOMAIN " + dm.Quoted())}}
	c.After = append(c.After, d.typeUserRefs(dm.QName)...)
	return c
}

// typeUsers lists the columns of cat whose type is q or an array of it
// (their TypeDeps name it).
func (d *differ) typeUsers(cat *schema.Catalog, q schema.QName) []columnUse {
	return d.index(cat).columnsUsingType(q)
}

// typeUserRefs names the changes to the current catalog's columns,
// composite types and domains that use the type q: they change or go
// before q does.
func (d *differ) typeUserRefs(q schema.QName) []Ref {
	var refs []Ref
	for _, u := range d.typeUsers(d.from, q) {
		refs = append(refs, Ref{OpAlter, columnID(u.table.QName, u.col.Name)}, Ref{OpDrop, columnID(u.table.QName, u.col.Name)})
	}
	names := func(id schema.ID) bool { return id.Schema == q.Schema && id.Name == q.Name && id.Table == "" }
	for _, cq := range schema.SortedQNames(d.from.Composites) {
		if slices.ContainsFunc(d.from.Composites[cq].Deps, names) {
			refs = append(refs, Ref{OpAlter, compositeID(cq)}, Ref{OpDrop, compositeID(cq)})
		}
	}
	for _, dq := range schema.SortedQNames(d.from.Domains) {
		if dq != q && slices.ContainsFunc(d.from.Domains[dq].Deps, names) {
			refs = append(refs, Ref{OpCreate, domainID(dq)}, Ref{OpAlter, domainID(dq)}, Ref{OpDrop, domainID(dq)})
		}
	}
	return refs
}

// alterDomain returns the changes altering a domain in place: default,
// NOT NULL, constraints and comments.
func (d *differ) alterDomain(old, dm *schema.Domain) []Change {
	var changes []Change
	q := dm.QName
	prefix := "ALTER DOMAIN " + q.Quoted() + " "
	c := Change{Op: OpAlter, Object: domainID(q), Requires: domainRequires(dm)}
	if old.Default != dm.Default {
		if dm.Default == "" {
			c.Statements = append(c.Statements, stmt(prefix+"DROP DEFAULT"))
		} else {
			c.Statements = append(c.Statements, stmt(prefix+"SET DEFAULT "+dm.Default))
		}
	}
	if old.NotNull != dm.NotNull {
		if dm.NotNull {
			c.Statements = append(c.Statements, stmt(prefix+"SET NOT NULL",
				hazard(HazardMayFail, "SET NOT NULL on domain %s fails if a column of the domain holds NULL", q),
				hazard(HazardLongLock, "SET NOT NULL on domain %s scans every column that uses it", q)))
		} else {
			c.Statements = append(c.Statements, stmt(prefix+"DROP NOT NULL"))
		}
	}
	for _, con := range dm.Constraints {
		oc := findDomainConstraint(old.Constraints, con.Name)
		if oc == nil || strings.TrimSuffix(oc.Definition, notValid) != strings.TrimSuffix(con.Definition, notValid) ||
			oc.Validated && !con.Validated {
			if oc != nil {
				changes = append(changes, d.dropDomainConstraint(old, oc))
			}
			changes = append(changes, d.addDomainConstraintChange(dm, con))
			continue
		}
		if !oc.Validated && con.Validated {
			c.Statements = append(c.Statements, stmt(prefix+"VALIDATE CONSTRAINT "+schema.Ident(con.Name),
				hazard(HazardLongLock, "validating %s scans every column of domain %s", con.Name, q)))
		}
		if oc.Comment != con.Comment {
			c.Statements = append(c.Statements, commentStmt(domainConstraintTarget(q, con.Name), con.Comment))
		}
	}
	for _, oc := range old.Constraints {
		if findDomainConstraint(dm.Constraints, oc.Name) == nil {
			changes = append(changes, d.dropDomainConstraint(old, oc))
		}
	}
	if old.Comment != dm.Comment {
		c.Statements = append(c.Statements, commentStmt("DOMAIN "+q.Quoted(), dm.Comment))
	}
	return append(changes, ifAny(c)...)
}

func (d *differ) addDomainConstraintChange(dm *schema.Domain, con *schema.DomainConstraint) Change {
	var hz []Hazard
	if con.Validated {
		hz = append(hz, hazard(HazardMayFail, "adding %s to domain %s fails if a column of the domain holds a value it rejects", con.Name, dm.QName),
			hazard(HazardLongLock, "adding %s checks every column of domain %s", con.Name, dm.QName))
	}
	c := Change{Op: OpCreate, Object: domainConstraintID(dm.QName, con.Name),
		Requires:   append([]schema.ID{domainID(dm.QName)}, dm.Deps...),
		Statements: []Statement{stmt(addDomainConstraint(dm.QName, con), hz...)}}
	if con.Comment != "" {
		c.Statements = append(c.Statements, commentStmt(domainConstraintTarget(dm.QName, con.Name), con.Comment))
	}
	return c
}

// dropDomainConstraint drops a domain constraint before what the domain
// depended on (e.g. a function its CHECK called) goes.
func (d *differ) dropDomainConstraint(dm *schema.Domain, con *schema.DomainConstraint) Change {
	return Change{Op: OpDrop, Object: domainConstraintID(dm.QName, con.Name),
		Requires: slices.Clone(dm.Deps),
		Statements: []Statement{stmt(fmt.Sprintf("ALTER DOMAIN %s DROP CONSTRAINT %s",
			dm.Quoted(), schema.Ident(con.Name)))}}
}

// domainRebuilt reports whether the plan recreates the domain q: ALTER
// DOMAIN cannot change its base type or collation, its collation is
// recreated, or the domain it is based on is recreated.
func (d *differ) domainRebuilt(q schema.QName) bool {
	old, ok1 := d.from.Domains[q]
	dm, ok2 := d.to.Domains[q]
	if !ok1 || !ok2 {
		return false
	}
	if old.BaseType != dm.BaseType || !sameCollation(old.Collation, dm.Collation) || d.collationRebuilt(dm.Collation) {
		return true
	}
	return slices.ContainsFunc(dm.Deps, func(id schema.ID) bool {
		bq := schema.QName{Schema: id.Schema, Name: id.Name}
		return id.Kind == schema.KindDomain && bq != q && slices.Contains(old.Deps, id) && d.domainRebuilt(bq)
	})
}

// rebuildDomain replaces a domain that cannot be changed in place. Without
// columns or composite types that keep using it, the domain is dropped and
// created again. Otherwise the old domain is renamed, the new one created,
// every column and composite attribute that keeps using the domain
// converted to it, and the old domain dropped once everything using it
// moved (domains based on it are rebuilt by their own changes).
func (d *differ) rebuildDomain(old, dm *schema.Domain) []Change {
	q := dm.QName
	var kept []columnUse
	for _, u := range d.typeUsers(d.from, q) {
		nt, ok := d.to.Tables[u.table.QName]
		if !ok {
			continue
		}
		if nc := nt.Column(u.col.Name); nc != nil && nc.Type == u.col.Type && !nc.Inherited {
			kept = append(kept, columnUse{nt, nc})
		}
	}
	attrs := d.keptAttributes(q)
	drop := d.dropDomain(old)
	users := drop.After
	drop.After = d.withoutKeptUsers(slices.Clone(users), q)
	create := d.createDomain(dm)
	if len(kept) == 0 && len(attrs) == 0 && !d.hasDerivedDomains(q) {
		return []Change{drop, create}
	}
	oldName := schema.QName{Schema: q.Schema, Name: schema.TruncateIdent(q.Name + "__old")}
	drop.Statements = []Statement{stmt(fmt.Sprintf("ALTER DOMAIN %s RENAME TO %s", q.Quoted(), schema.Ident(oldName.Name)))}
	// The columns that keep the domain are converted by the create.
	for _, u := range kept {
		id := columnID(u.table.QName, u.col.Name)
		d.breaks(id)
		oc := d.from.Tables[u.table.QName].Column(u.col.Name)
		prefix := fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s ", u.table.Quoted(), schema.Ident(u.col.Name))
		if oc.Default != "" {
			create.Statements = append(create.Statements, stmt(prefix+"DROP DEFAULT"))
		}
		// Converted by assignment where the base types allow it, as a
		// column's type change is: an explicit cast to the new domain
		// would cut a too long string where the assignment fails.
		cv := d.convertColumn(u.table.QName, oc, u.col)
		if cv.guard != nil {
			create.Statements = append(create.Statements, *cv.guard)
		}
		sql := prefix + "TYPE " + u.col.Type
		if cv.using != "" {
			sql += " USING " + cv.using
		}
		create.Statements = append(create.Statements, stmt(sql, append([]Hazard{
			hazard(HazardRewritesTable, "converting %s.%s to the rebuilt domain %s rewrites the table", u.table.QName, u.col.Name, q),
			hazard(HazardMayFail, "values of %s.%s that do not convert to %s make this fail", u.table.QName, u.col.Name, dm.BaseType)},
			cv.hazards...)...))
		if oc.Default != "" && u.col.Default != "" {
			create.Statements = append(create.Statements, stmt(prefix+"SET DEFAULT "+u.col.Default))
		}
	}
	create.Statements = append(create.Statements, attrs...)
	return []Change{drop, create, {Op: OpDrop, Object: domainID(oldName),
		After:      append(append([]Ref{{OpCreate, domainID(q)}}, users...), d.derivedOldDrops(q)...),
		Statements: []Statement{stmt("DROP DOMAIN " + oldName.Quoted())}}}
}

// keptAttributes returns the statements moving the attributes of composite
// types that keep the type q (directly or as an array) to a recreated q.
// Composite types that table columns use cannot change attribute types;
// PostgreSQL rejects those.
func (d *differ) keptAttributes(q schema.QName) []Statement {
	var stmts []Statement
	for _, cq := range schema.SortedQNames(d.from.Composites) {
		oct, nct := d.from.Composites[cq], d.to.Composites[cq]
		if nct == nil {
			continue
		}
		for _, oa := range oct.Attributes {
			if oa.Type != q.Quoted() && oa.Type != q.Quoted()+"[]" {
				continue
			}
			if a := findAttribute(nct.Attributes, oa.Name); a != nil && a.Type == oa.Type {
				stmts = append(stmts, stmt(fmt.Sprintf("ALTER TYPE %s ALTER ATTRIBUTE %s SET DATA TYPE %s",
					cq.Quoted(), schema.Ident(a.Name), a.Type)))
			}
		}
	}
	return stmts
}

// derivedOldDrops names the drops of the renamed old versions of domains
// based on q, which must go before the old q.
func (d *differ) derivedOldDrops(q schema.QName) []Ref {
	var refs []Ref
	for _, dq := range schema.SortedQNames(d.from.Domains) {
		if slices.Contains(d.from.Domains[dq].Deps, domainID(q)) {
			refs = append(refs, Ref{OpDrop, domainID(schema.QName{Schema: dq.Schema, Name: schema.TruncateIdent(dq.Name + "__old")})})
		}
	}
	return refs
}

// hasDerivedDomains reports whether domains of both catalogs are based on
// the domain q.
func (d *differ) hasDerivedDomains(q schema.QName) bool {
	for _, dq := range schema.SortedQNames(d.from.Domains) {
		if _, ok := d.to.Domains[dq]; ok && slices.Contains(d.from.Domains[dq].Deps, domainID(q)) {
			return true
		}
	}
	return false
}

// withoutKeptUsers removes from refs the changes to objects that use q in
// the desired catalog too: when q is rebuilt they are converted to (or keep
// using) the new q, so they cannot also run before the old q goes.
func (d *differ) withoutKeptUsers(refs []Ref, q schema.QName) []Ref {
	names := func(id schema.ID) bool { return id.Schema == q.Schema && id.Name == q.Name && id.Table == "" }
	isQ := func(c *schema.QName) bool { return c != nil && *c == q }
	return slices.DeleteFunc(refs, func(r Ref) bool {
		id := r.Object
		oq := schema.QName{Schema: id.Schema, Name: id.Name}
		switch id.Kind {
		case schema.KindColumn:
			t, ok := d.to.Tables[schema.QName{Schema: id.Schema, Name: id.Table}]
			if !ok {
				return false
			}
			c := t.Column(id.Name)
			return c != nil && (slices.Contains(c.TypeDeps, q) || isQ(c.Collation) || slices.ContainsFunc(c.Deps, names))
		case schema.KindDomain:
			dm, ok := d.to.Domains[oq]
			return ok && (isQ(dm.Collation) || slices.ContainsFunc(dm.Deps, names))
		case schema.KindCompositeType:
			ct, ok := d.to.Composites[oq]
			return ok && (slices.ContainsFunc(ct.Deps, names) ||
				slices.ContainsFunc(ct.Attributes, func(a *schema.Attribute) bool { return isQ(a.Collation) }))
		}
		return false
	})
}
