package diff

import (
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/schema"
)

// TestColumnInTheMiddleAdvice checks that a table rebuilt for a column
// added in the middle of its CREATE TABLE is explained where it is
// reported (the warning and the rebuild's hazard): the table, the column,
// its file:line, that PostgreSQL only appends columns, and the way to
// avoid the rebuild.
func TestColumnInTheMiddleAdvice(t *testing.T) {
	q := schema.QName{Schema: "public", Name: "accounts"}
	table := func(cols ...string) *schema.Table {
		tb := &schema.Table{QName: q}
		for _, c := range cols {
			tb.Columns = append(tb.Columns, &schema.Column{Name: c, Type: "text"})
		}
		return tb
	}
	from, to := schema.NewCatalog(), schema.NewCatalog()
	from.Tables[q] = table("id", "name")
	to.Tables[q] = table("id", "email", "name")
	to.Sources = map[schema.ID]schema.Position{
		tableID(q):           {File: "schema/accounts.sql", Line: 1},
		columnID(q, "email"): {File: "schema/accounts.sql", Line: 3},
		columnID(q, "name"):  {File: "schema/accounts.sql", Line: 4},
		columnID(q, "id"):    {File: "schema/accounts.sql", Line: 2},
	}
	want := []string{"public.accounts", "email (schema/accounts.sql:3)", "PostgreSQL can only append columns",
		"add email at the end of the CREATE TABLE"}

	warnings := Warnings(from, to)
	if len(warnings) != 1 {
		t.Fatalf("warnings: %q, want one", warnings)
	}
	changes, err := Diff(from, to)
	if err != nil {
		t.Fatal(err)
	}
	var hazards []string
	for _, c := range changes {
		for _, s := range c.Statements {
			for _, h := range s.Hazards {
				if h.Kind == HazardRewritesTable {
					hazards = append(hazards, h.Message)
				}
			}
		}
	}
	if len(hazards) != 1 {
		t.Fatalf("rewrites-table hazards: %q, want one", hazards)
	}
	for _, msg := range []string{warnings[0], hazards[0]} {
		for _, w := range want {
			if !strings.Contains(msg, w) {
				t.Errorf("%q does not say %q", msg, w)
			}
		}
	}
}
