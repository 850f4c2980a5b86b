package diff

import (
	"fmt"

	"github.com/schemadiff/schemadiff/schema"
)

// triggerKind diffs triggers of tables and views. A trigger whose
// definition changes is dropped and created again; its enabled state and
// comment are altered in place. Those of a rebuilt table are dropped and
// created again with it. A trigger the desired state loses is dropped even
// when its table goes too, so that it is gone before the function it calls
// is dropped.
var triggerKind = register(&kindDiffer[*schema.Trigger]{
	kind: schema.KindTrigger,
	deps: func(cat *schema.Catalog, tr *schema.Trigger) []schema.ID {
		if v, ok := cat.Views[tr.Table]; ok {
			return append([]schema.ID{v.ID()}, tr.Deps...)
		}
		return tr.Deps
	},
	create: (*differ).triggerCreate,
	drop:   (*differ).triggerDrop,
	alter: func(d *differ, old, tr *schema.Trigger) ([]Change, bool) {
		if old.Definition != tr.Definition {
			return nil, true
		}
		c := Change{Op: OpAlter, Object: tr.ID(), Requires: d.triggerRequires(d.to, tr)}
		if old.Enabled != tr.Enabled {
			c.Statements = append(c.Statements, triggerEnableStmt(tr))
		}
		if old.Comment != tr.Comment {
			c.Statements = append(c.Statements, commentStmt(triggerTarget(tr), tr.Comment))
		}
		return ifAny(c), false
	},
	altered: func(old, tr *schema.Trigger) *schema.Trigger {
		o := *old
		o.Enabled, o.Comment, o.Deps = tr.Enabled, tr.Comment, tr.Deps
		return &o
	},
	skip: skipOfRebuiltTables[*schema.Trigger],
})

// triggerTarget names a trigger in COMMENT ON.
func triggerTarget(tr *schema.Trigger) string {
	return "TRIGGER " + schema.Ident(tr.Name) + " ON " + tr.Table.Quoted()
}

// enableAction renders an enabled state as the catalogs hold it for
// triggers, rules and event triggers (O, D, R, A) as its ALTER keywords.
func enableAction(state string) string {
	switch state {
	case "D":
		return "DISABLE"
	case "R":
		return "ENABLE REPLICA"
	case "A":
		return "ENABLE ALWAYS"
	}
	return "ENABLE"
}

// triggerEnableStmt sets a trigger's enabled state as pg_trigger.tgenabled
// has it.
func triggerEnableStmt(tr *schema.Trigger) Statement {
	return stmt(fmt.Sprintf("ALTER TABLE %s %s TRIGGER %s", tr.Table.Quoted(), enableAction(tr.Enabled), schema.Ident(tr.Name)))
}

// triggerRequires lists what a trigger needs: its table or view and its
// dependencies (the function it executes, the columns it watches).
func (d *differ) triggerRequires(cat *schema.Catalog, tr *schema.Trigger) []schema.ID {
	rel := tableID(tr.Table)
	if v, ok := cat.Views[tr.Table]; ok {
		rel = v.ID()
	}
	return append([]schema.ID{rel}, tr.Deps...)
}

// triggerDrop drops a trigger of the current catalog.
func (d *differ) triggerDrop(tr *schema.Trigger) Change {
	return Change{Op: OpDrop, Object: tr.ID(), Requires: d.triggerRequires(d.from, tr),
		Statements: []Statement{stmt("DROP TRIGGER " + schema.Ident(tr.Name) + " ON " + tr.Table.Quoted())}}
}

// triggerCreate creates a trigger of the desired catalog, with its enabled
// state and comment.
func (d *differ) triggerCreate(tr *schema.Trigger) []Change {
	c := Change{Op: OpCreate, Object: tr.ID(), Requires: d.triggerRequires(d.to, tr),
		Statements: []Statement{stmt(tr.Definition)}}
	if tr.Enabled != "" && tr.Enabled != "O" {
		c.Statements = append(c.Statements, triggerEnableStmt(tr))
	}
	if tr.Comment != "" {
		c.Statements = append(c.Statements, commentStmt(triggerTarget(tr), tr.Comment))
	}
	return []Change{c}
}
