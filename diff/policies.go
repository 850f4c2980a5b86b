package diff

import (
	"fmt"
	"slices"

	"github.com/schemadiff/schemadiff/schema"
)

func rowSecurityID(q schema.QName) schema.ID {
	return schema.ID{Kind: schema.KindRowLevelSecurity, Schema: q.Schema, Name: q.Name}
}

// rowSecurityFlags turns tables' RLS flags into the desired ones, those
// of the tables the plan creates too.
func (d *differ) rowSecurityFlags() {
	for _, q := range schema.SortedQNames(d.to.Tables) {
		d.rowSecurity(d.from.Tables[q], d.to.Tables[q])
	}
}

// policyKind diffs row-level security policies. Tables that the plan
// creates get their policies here too; policies of tables that the plan
// drops go with their table, those of a rebuilt table are dropped and
// created again with it.
var policyKind = register(&kindDiffer[*schema.Policy]{
	kind:   schema.KindPolicy,
	deps:   func(_ *schema.Catalog, p *schema.Policy) []schema.ID { return p.Deps },
	create: (*differ).policyCreate,
	drop:   (*differ).policyDrop,
	alter: func(d *differ, old, p *schema.Policy) ([]Change, bool) {
		if policyNeedsRecreate(old, p) {
			return nil, true
		}
		c, ok := d.policyAlter(old, p)
		if !ok {
			return nil, false
		}
		return one(c), false
	},
	altered: func(old, p *schema.Policy) *schema.Policy {
		o := *old
		o.Roles, o.Using, o.Check, o.Comment, o.Deps = p.Roles, p.Using, p.Check, p.Comment, p.Deps
		return &o
	},
	skip: func(d *differ) func(*schema.Policy, bool, bool) bool {
		return func(p *schema.Policy, fromSide, found bool) bool {
			_, kept := d.to.Tables[p.Table]
			return d.rebuilt[p.Table] && (fromSide || found) || fromSide && !kept
		}
	},
})

// rowSecurity turns a table's RLS flags from old (nil for a new table) into
// t's.
func (d *differ) rowSecurity(old, t *schema.Table) {
	var enabled, forced bool
	if old != nil {
		enabled, forced = old.RowSecurity, old.ForceRowSecurity
	}
	c := Change{Op: OpAlter, Object: rowSecurityID(t.QName),
		Requires: []schema.ID{tableID(t.QName)}}
	prefix := "ALTER TABLE " + t.Quoted() + " "
	if enabled != t.RowSecurity {
		if t.RowSecurity {
			c.Statements = append(c.Statements, stmt(prefix+"ENABLE ROW LEVEL SECURITY"))
		} else {
			c.Statements = append(c.Statements, stmt(prefix+"DISABLE ROW LEVEL SECURITY"))
		}
	}
	if forced != t.ForceRowSecurity {
		if t.ForceRowSecurity {
			c.Statements = append(c.Statements, stmt(prefix+"FORCE ROW LEVEL SECURITY"))
		} else {
			c.Statements = append(c.Statements, stmt(prefix+"NO FORCE ROW LEVEL SECURITY"))
		}
	}
	if len(c.Statements) > 0 {
		d.add(c)
	}
}

// policyNeedsRecreate reports whether ALTER POLICY cannot turn old into p:
// it changes neither the command nor PERMISSIVE/RESTRICTIVE, and cannot
// remove a USING or WITH CHECK expression.
func policyNeedsRecreate(old, p *schema.Policy) bool {
	return old.Command != p.Command || old.Permissive != p.Permissive ||
		old.Using != "" && p.Using == "" || old.Check != "" && p.Check == ""
}

func policyTarget(p *schema.Policy) string {
	return schema.Ident(p.Name) + " ON " + p.Table.Quoted()
}

// roleList renders role names for TO clauses; PUBLIC is a keyword.
func roleList(roles []string) string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = roleName(r)
	}
	return joinComma(out)
}

func roleName(r string) string {
	if r == "PUBLIC" {
		return r
	}
	return schema.Ident(r)
}

// policyDrop drops a policy of the current catalog.
func (d *differ) policyDrop(p *schema.Policy) Change {
	return Change{Op: OpDrop, Object: p.ID(),
		Requires:   append([]schema.ID{tableID(p.Table)}, p.Deps...),
		Statements: []Statement{stmt("DROP POLICY " + policyTarget(p))}}
}

// policyCreate creates a policy of the desired catalog, with its comment.
func (d *differ) policyCreate(p *schema.Policy) []Change {
	kind := "PERMISSIVE"
	if !p.Permissive {
		kind = "RESTRICTIVE"
	}
	sql := fmt.Sprintf("CREATE POLICY %s AS %s FOR %s TO %s", policyTarget(p), kind, p.Command, roleList(p.Roles))
	if p.Using != "" {
		sql += " USING (" + p.Using + ")"
	}
	if p.Check != "" {
		sql += " WITH CHECK (" + p.Check + ")"
	}
	c := Change{Op: OpCreate, Object: p.ID(),
		Requires:   append([]schema.ID{tableID(p.Table)}, p.Deps...),
		Statements: []Statement{stmt(sql)}}
	if p.Comment != "" {
		c.Statements = append(c.Statements, commentStmt("POLICY "+policyTarget(p), p.Comment))
	}
	return []Change{c}
}

// policyAlter changes roles, expressions and comment of a policy in place.
func (d *differ) policyAlter(old, p *schema.Policy) (Change, bool) {
	c := Change{Op: OpAlter, Object: p.ID(),
		Requires: append([]schema.ID{tableID(p.Table)}, p.Deps...)}
	sql := "ALTER POLICY " + policyTarget(p)
	changed := false
	if !slices.Equal(old.Roles, p.Roles) {
		sql += " TO " + roleList(p.Roles)
		changed = true
	}
	if old.Using != p.Using {
		sql += " USING (" + p.Using + ")"
		changed = true
	}
	if old.Check != p.Check {
		sql += " WITH CHECK (" + p.Check + ")"
		changed = true
	}
	if changed {
		c.Statements = append(c.Statements, stmt(sql))
	}
	if old.Comment != p.Comment {
		c.Statements = append(c.Statements, commentStmt("POLICY "+policyTarget(p), p.Comment))
	}
	return c, len(c.Statements) > 0
}
