package diff

import (
	"fmt"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// relationRules maps every rule of cat's tables and views to it.
func relationRules(cat *schema.Catalog) map[schema.ID]*schema.Rule {
	out := map[schema.ID]*schema.Rule{}
	for _, t := range cat.Tables {
		for _, ru := range t.Rules {
			out[ru.ID()] = ru
		}
	}
	for _, v := range cat.Views {
		for _, ru := range v.Rules {
			out[ru.ID()] = ru
		}
	}
	return out
}

func findRule(cat *schema.Catalog, id schema.ID) *schema.Rule {
	return relationRules(cat)[id]
}

// ruleTarget names a rule in COMMENT ON and DROP.
func ruleTarget(ru *schema.Rule) string {
	return "RULE " + schema.Ident(ru.Name) + " ON " + ru.Table.Quoted()
}

// ruleEnableStmt sets a table rule's enabled state as ev_enabled has it.
func ruleEnableStmt(ru *schema.Rule) Statement {
	return stmt(fmt.Sprintf("ALTER TABLE %s %s RULE %s", ru.Table.Quoted(), enableAction(ru.Enabled), schema.Ident(ru.Name)))
}

// ruleCreate creates (or, with replace, replaces) a rule of the desired
// catalog with its enabled state and comment.
func (d *differ) ruleCreate(ru *schema.Rule, replace bool) Change {
	def := ru.Definition
	if replace {
		def = strings.Replace(def, "CREATE RULE", "CREATE OR REPLACE RULE", 1)
	}
	c := Change{Op: OpCreate, Object: ru.ID(), Requires: ru.Deps,
		Statements: []Statement{stmt(def)}}
	if replace {
		c.Op = OpAlter
	}
	if ru.Enabled != "" && ru.Enabled != "O" {
		c.Statements = append(c.Statements, ruleEnableStmt(ru))
	}
	if ru.Comment != "" {
		c.Statements = append(c.Statements, commentStmt(ruleTarget(ru), ru.Comment))
	}
	return c
}

func (d *differ) ruleDrop(ru *schema.Rule) Change {
	return Change{Op: OpDrop, Object: ru.ID(), Requires: ru.Deps,
		Statements: []Statement{stmt("DROP " + ruleTarget(ru))}}
}

// rules diffs rewrite rules. Those of a rebuilt table are dropped and
// created again with it.
func (d *differ) rules() {
	from, to := relationRules(d.from), relationRules(d.to)
	rebuilt := func(id schema.ID) bool { return d.rebuilt[schema.QName{Schema: id.Schema, Name: id.Table}] }
	for _, id := range schema.SortedIDs(to) {
		ru := to[id]
		old, ok := from[id]
		switch {
		case ok && rebuilt(id):
		case !ok:
			d.add(d.ruleCreate(ru, false))
		case old.Definition != ru.Definition:
			c := d.ruleCreate(ru, true)
			if old.Comment != "" && ru.Comment == "" {
				c.Statements = append(c.Statements, commentStmt(ruleTarget(ru), ""))
			}
			if old.Enabled != ru.Enabled && (ru.Enabled == "" || ru.Enabled == "O") {
				c.Statements = append(c.Statements, ruleEnableStmt(ru))
			}
			d.add(c)
		default:
			c := Change{Op: OpAlter, Object: id, Requires: ru.Deps}
			if old.Enabled != ru.Enabled {
				c.Statements = append(c.Statements, ruleEnableStmt(ru))
			}
			if old.Comment != ru.Comment {
				c.Statements = append(c.Statements, commentStmt(ruleTarget(ru), ru.Comment))
			}
			if len(c.Statements) > 0 {
				d.add(c)
			}
		}
	}
	for _, id := range schema.SortedIDs(from) {
		if _, ok := to[id]; !ok && !rebuilt(id) {
			d.add(d.ruleDrop(from[id]))
		}
	}
}
