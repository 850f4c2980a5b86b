package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// eventTriggerDefinition returns the CREATE EVENT TRIGGER statement of e.
func eventTriggerDefinition(e *schema.EventTrigger) string {
	sql := "CREATE EVENT TRIGGER " + schema.Ident(e.Name) + " ON " + schema.Ident(e.Event)
	if len(e.Tags) > 0 {
		tags := make([]string, len(e.Tags))
		for i, t := range e.Tags {
			tags[i] = schema.Literal(t)
		}
		sql += "\n    WHEN TAG IN (" + strings.Join(tags, ", ") + ")"
	}
	return sql + "\n    EXECUTE FUNCTION " + schema.QualifiedIdent(e.Function.Schema, e.Function.Name) + "()"
}

// eventTriggerEnableStmt sets an event trigger's enabled state.
func eventTriggerEnableStmt(e *schema.EventTrigger) Statement {
	return stmt(fmt.Sprintf("ALTER EVENT TRIGGER %s %s", schema.Ident(e.Name), enableAction(e.Enabled)))
}

func eventTriggerCreate(e *schema.EventTrigger) Change {
	c := Change{Op: OpCreate, Object: e.ID(), Requires: []schema.ID{e.Function},
		Statements: []Statement{stmt(eventTriggerDefinition(e))}}
	if e.Enabled != "" && e.Enabled != "O" {
		c.Statements = append(c.Statements, eventTriggerEnableStmt(e))
	}
	if e.Comment != "" {
		c.Statements = append(c.Statements, commentStmt("EVENT TRIGGER "+schema.Ident(e.Name), e.Comment))
	}
	return c
}

func eventTriggerDrop(e *schema.EventTrigger) Change {
	return Change{Op: OpDrop, Object: e.ID(), Requires: []schema.ID{e.Function},
		Statements: []Statement{stmt("DROP EVENT TRIGGER " + schema.Ident(e.Name))}}
}

// eventTriggerKind diffs the database's event triggers. A new event, tag
// list or function drops the trigger and creates it again.
var eventTriggerKind = register(&kindDiffer[*schema.EventTrigger]{
	kind:   schema.KindEventTrigger,
	deps:   func(_ *schema.Catalog, e *schema.EventTrigger) []schema.ID { return []schema.ID{e.Function} },
	create: func(_ *differ, e *schema.EventTrigger) []Change { return one(eventTriggerCreate(e)) },
	drop:   func(_ *differ, e *schema.EventTrigger) Change { return eventTriggerDrop(e) },
	alter: func(_ *differ, old, e *schema.EventTrigger) ([]Change, bool) {
		if old.Event != e.Event || !slices.Equal(old.Tags, e.Tags) || old.Function != e.Function {
			return nil, true
		}
		c := Change{Op: OpAlter, Object: e.ID()}
		if old.Enabled != e.Enabled {
			c.Statements = append(c.Statements, eventTriggerEnableStmt(e))
		}
		if old.Comment != e.Comment {
			c.Statements = append(c.Statements, commentStmt("EVENT TRIGGER "+schema.Ident(e.Name), e.Comment))
		}
		return ifAny(c), false
	},
	altered: func(old, e *schema.EventTrigger) *schema.EventTrigger {
		o := *old
		o.Enabled, o.Comment = e.Enabled, e.Comment
		return &o
	},
})
