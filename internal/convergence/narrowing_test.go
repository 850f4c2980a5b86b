package convergence

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/internal/pipeline"
	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/schema"
)

// TestConversionFailsLoudly applies, as the migration runner does (one
// transaction), plans that change a column's type on a table holding a
// value the conversion would alter. The plan must fail, naming the value,
// and leave the row and the column as they were.
func TestConversionFailsLoudly(t *testing.T) {
	for _, tc := range []struct {
		name, from, to, value, want string
	}{
		{"text to shorter varchar", "text UNIQUE", "varchar(63) UNIQUE", "repeat('x', 70)", strings.Repeat("x", 70)},
		{"varchar trailing spaces", "varchar(10)", "varchar(3)", "'abc   '", "abc   "},
		{"numeric scale", "numeric(10,2)", "numeric(10,1)", "1.25", "1.25"},
		{"numeric to integer", "numeric", "integer", "2.5", "2.5"},
		{"double to integer", "double precision", "bigint", "0.5", "0.5"},
		{"timestamp to date", "timestamp", "date", "'2024-03-01 10:00'", "2024-03-01 10:00:00"},
		{"timestamp precision", "timestamp(6)", "timestamp(0)", "'2024-03-01 10:00:00.4'", "2024-03-01 10:00:00.4"},
		{"text to numeric with scale", "text", "numeric(6,1)", "'1.25'", "1.25"},
		{"interval fields", "interval", "interval year to month", "'1 year 2 days'", "1 year 2 days"},
		{"inet to cidr", "inet", "cidr", "'192.168.1.5/24'", "192.168.1.5/24"},
		{"integer to bits", "integer", "bit(8)", "300", "300"},
		{"varchar array", "varchar(10)[]", "varchar(2)[]", "ARRAY['ab', 'abc']", "{ab,abc}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			work := pgtest.NewDB(t)
			pgtest.Exec(t, work, "CREATE TABLE pages (id int PRIMARY KEY, v "+tc.from+");\n"+
				"INSERT INTO pages VALUES (1, "+tc.value+")")
			current, plan := planTo(ctx, t, work, "CREATE TABLE pages (id int PRIMARY KEY, v "+tc.to+");\n")
			typeBefore := current.Tables[pagesQName].Column("v").Type
			for _, c := range plan.Changes {
				for _, s := range c.Statements {
					if strings.Contains(s.SQL, "DROP CONSTRAINT") {
						t.Errorf("the plan drops a constraint PostgreSQL keeps: %s", s.SQL)
					}
				}
			}
			conn, err := pipeline.Connect(ctx, work)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(context.WithoutCancel(ctx))
			err = pipeline.ApplyPlan(ctx, conn, plan)
			if err == nil || !strings.Contains(err.Error(), "would change the value") {
				t.Fatalf("applying the plan: got error %v, want one naming the value that would change", err)
			}
			var got string
			if err := conn.QueryRow(ctx, "SELECT v::text FROM pages WHERE id = 1").Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("value after the failed plan: %q, want %q", got, tc.want)
			}
			after, err := pipeline.InspectURL(ctx, work, introspect.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if typ := after.Tables[pagesQName].Column("v").Type; typ != typeBefore {
				t.Errorf("column type after the failed plan: %s, want %s", typ, typeBefore)
			}
		})
	}
}

var pagesQName = schema.QName{Schema: "public", Name: "pages"}
