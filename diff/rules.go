package diff

import (
	"fmt"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// ruleTarget names a rule in COMMENT ON and DROP.
func ruleTarget(ru *schema.Rule) string {
	return "RULE " + schema.Ident(ru.Name) + " ON " + ru.Table.Quoted()
}

// ruleEnableStmt sets a table rule's enabled state as ev_enabled has it.
func ruleEnableStmt(ru *schema.Rule) Statement {
	return stmt(fmt.Sprintf("ALTER TABLE %s %s RULE %s", ru.Table.Quoted(), enableAction(ru.Enabled), schema.Ident(ru.Name)))
}

// ruleStatement renders a rule's CREATE RULE statement, or with replace
// its CREATE OR REPLACE RULE statement; false when the definition does not
// start as pg_get_ruledef's does.
func ruleStatement(ru *schema.Rule, replace bool) (string, bool) {
	rest, ok := strings.CutPrefix(ru.Definition, "CREATE RULE ")
	if !ok {
		return "", false
	}
	verb := "CREATE RULE "
	if replace {
		verb = "CREATE OR REPLACE RULE "
	}
	return verb + rest, true
}

// ruleCreate creates a rule of the desired catalog with its enabled state
// and comment.
func (d *differ) ruleCreate(ru *schema.Rule) Change {
	return ruleChange(ru, OpCreate, stmt(ru.Definition))
}

// ruleChange creates or replaces (op) a rule with def, then sets its
// enabled state and comment.
func ruleChange(ru *schema.Rule, op Op, def Statement) Change {
	c := Change{Op: op, Object: ru.ID(), Requires: ru.Deps,
		Statements: []Statement{def}}
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

// ruleAlter replaces a rule whose definition changes (CREATE OR REPLACE
// RULE), else alters its enabled state and comment in place.
func ruleAlter(old, ru *schema.Rule) ([]Change, bool) {
	if old.Definition != ru.Definition {
		def, ok := ruleStatement(ru, true)
		if !ok {
			return nil, true
		}
		c := ruleChange(ru, OpAlter, stmt(def))
		if old.Comment != "" && ru.Comment == "" {
			c.Statements = append(c.Statements, commentStmt(ruleTarget(ru), ""))
		}
		if old.Enabled != ru.Enabled && (ru.Enabled == "" || ru.Enabled == "O") {
			c.Statements = append(c.Statements, ruleEnableStmt(ru))
		}
		return one(c), false
	}
	c := Change{Op: OpAlter, Object: ru.ID(), Requires: ru.Deps}
	if old.Enabled != ru.Enabled {
		c.Statements = append(c.Statements, ruleEnableStmt(ru))
	}
	if old.Comment != ru.Comment {
		c.Statements = append(c.Statements, commentStmt(ruleTarget(ru), ru.Comment))
	}
	return ifAny(c), false
}

// ruleKind diffs rewrite rules. Those of a rebuilt table are dropped and
// created again with it.
var ruleKind = register(&kindDiffer[*schema.Rule]{
	kind:   schema.KindRule,
	deps:   func(_ *schema.Catalog, ru *schema.Rule) []schema.ID { return ru.Deps },
	create: func(d *differ, ru *schema.Rule) []Change { return one(d.ruleCreate(ru)) },
	drop:   (*differ).ruleDrop,
	alter:  func(_ *differ, old, ru *schema.Rule) ([]Change, bool) { return ruleAlter(old, ru) },
	altered: func(old, ru *schema.Rule) *schema.Rule {
		o := *old
		o.Definition, o.Enabled, o.Comment, o.Deps = ru.Definition, ru.Enabled, ru.Comment, ru.Deps
		return &o
	},
	skip: skipOfRebuiltTables[*schema.Rule],
})

// skipOfRebuiltTables leaves the objects of a rebuilt table that both
// catalogs have, and those it loses, to the rebuild, which drops and
// creates them again with the table.
func skipOfRebuiltTables[T interface{ ID() schema.ID }](d *differ) func(T, bool, bool) bool {
	return func(o T, fromSide, found bool) bool {
		id := o.ID()
		rebuilt := d.rebuilt[schema.QName{Schema: id.Schema, Name: id.Table}]
		return rebuilt && (fromSide || found)
	}
}
