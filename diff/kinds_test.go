package diff

import (
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/schema"
)

// eventTriggerCatalog is a catalog holding one event trigger.
func eventTriggerCatalog(e *schema.EventTrigger) *schema.Catalog {
	c := schema.NewCatalog()
	c.EventTriggers[e.Name] = e
	return c
}

func sampleEventTrigger() *schema.EventTrigger {
	return &schema.EventTrigger{Name: "audit", Event: "ddl_command_end",
		Function: schema.ID{Kind: schema.KindFunction, Schema: "public", Name: "audit", Args: ""}, Enabled: "O"}
}

// TestKindLeavesNoDifferenceUnplanned checks that the generic driver
// refuses an alteration that does not express every difference: a kind
// whose alter handles only comments, given a change of enabled state,
// fails naming the object and the field instead of planning nothing.
func TestKindLeavesNoDifferenceUnplanned(t *testing.T) {
	commentsOnly := *eventTriggerKind
	commentsOnly.alter = func(_ *differ, old, e *schema.EventTrigger) ([]Change, bool) {
		if old.Comment == e.Comment {
			return nil, false
		}
		return one(Change{Op: OpAlter, Object: e.ID(), Statements: []Statement{commentStmt("EVENT TRIGGER "+schema.Ident(e.Name), e.Comment)}}), false
	}
	commentsOnly.altered = func(old, e *schema.EventTrigger) *schema.EventTrigger {
		o := *old
		o.Comment = e.Comment
		return &o
	}
	from, to := sampleEventTrigger(), sampleEventTrigger()
	to.Enabled = "D"
	d := &differ{from: eventTriggerCatalog(from), to: eventTriggerCatalog(to)}
	err := commentsOnly.diff(d)
	if err == nil {
		t.Fatalf("a difference the kind does not alter was planned as %v, want an error", plannedStatements(d.changes))
	}
	t.Log(err)
	for _, want := range []string{"event trigger audit", "Enabled", `"O"`, `"D"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}

// TestKindAltersHandledFields checks that the registered event trigger
// kind alters its enabled state and comment in place, and recreates it
// for a new event.
func TestKindAltersHandledFields(t *testing.T) {
	from, to := sampleEventTrigger(), sampleEventTrigger()
	to.Enabled, to.Comment = "D", "audits"
	changes, err := Diff(eventTriggerCatalog(from), eventTriggerCatalog(to))
	if err != nil {
		t.Fatal(err)
	}
	got := plannedStatements(changes)
	if len(got) != 2 || got[0].sql != "ALTER EVENT TRIGGER audit DISABLE" ||
		got[1].sql != "COMMENT ON EVENT TRIGGER audit IS 'audits'" {
		t.Errorf("statements = %+v", got)
	}
	to.Event = "sql_drop"
	changes, err = Diff(eventTriggerCatalog(from), eventTriggerCatalog(to))
	if err != nil {
		t.Fatal(err)
	}
	if got := plannedStatements(changes); len(got) < 2 || got[0].op != OpDrop || got[1].op != OpCreate {
		t.Errorf("a new event planned %+v, want drop then create", got)
	}
}

// TestKindRefusesServerWrapperChange: a kind's refusal stops the plan
// with the object named, rather than dropping what depends on it.
func TestKindRefusesServerWrapperChange(t *testing.T) {
	cat := func(wrapper string) *schema.Catalog {
		c := schema.NewCatalog()
		c.Servers["remote"] = &schema.ForeignServer{Name: "remote", Wrapper: wrapper}
		return c
	}
	_, err := Diff(cat("postgres_fdw"), cat("file_fdw"))
	if err == nil || !strings.Contains(err.Error(), "foreign server remote") || !strings.Contains(err.Error(), "foreign-data wrapper") {
		t.Fatalf("err = %v, want the server's wrapper change refused", err)
	}
}

// TestPlanOrderWalksEveryKind: every registered kind is walked by DiffWith
// once, but the index and constraint kinds, walked with the tables (and
// views) that stay.
func TestPlanOrderWalksEveryKind(t *testing.T) {
	walked := map[schema.Kind]int{}
	for _, st := range planOrder {
		if st.kind != nil {
			walked[st.kind.firstKind()]++
		}
	}
	for k := range registered {
		withTables := k == schema.KindIndex || k == schema.KindConstraint
		switch n := walked[k]; {
		case withTables && n != 0:
			t.Errorf("planOrder walks kind %s on its own, besides with their tables", k)
		case !withTables && n != 1:
			t.Errorf("planOrder walks kind %s %d times, want once", k, n)
		}
	}
}
