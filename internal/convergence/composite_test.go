package convergence

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/internal/pipeline"
	"github.com/schemadiff/schemadiff/introspect"
)

// TestCompositeConversionFailsLoudly applies, as the migration runner does
// (one transaction), plans that rebuild a composite type or a domain a
// column holds a value of, where converting the value would alter it (an
// explicit cast of an attribute cuts a too long string). The plan must
// fail, naming the value, and leave the row and the column as they were.
func TestCompositeConversionFailsLoudly(t *testing.T) {
	for _, tc := range []struct {
		name, from, to, value, want, named string
		array                              bool // the column holds arrays of money_amt
	}{
		{name: "attribute cut to varchar",
			from:  "CREATE TYPE money_amt AS (amount numeric(10,2), currency text)",
			to:    "CREATE TYPE money_amt AS (amount numeric(10,2), currency varchar(3))",
			value: `ROW(1.50, 'a "q", b')`,
			want:  `(1.50,"a ""q"", b")`, named: `'a "q", b'`},
		{name: "attribute reordered and cut",
			from:  "CREATE TYPE money_amt AS (amount numeric(10,2), currency text)",
			to:    "CREATE TYPE money_amt AS (currency varchar(3), amount numeric(12,2), note text)",
			value: `ROW(99999999.99, 'Zoë''s')`,
			want:  `(99999999.99,Zoë's)`, named: `'Zoë''s'`},
		{name: "attribute trailing spaces",
			from:  "CREATE TYPE money_amt AS (amount numeric(10,2), currency varchar(10))",
			to:    "CREATE TYPE money_amt AS (amount numeric(10,2), currency varchar(3))",
			value: `ROW(1, 'abc   ')`,
			want:  `(1.00,"abc   ")`, named: `'abc   '`},
		{name: "attribute numeric scale",
			from:  "CREATE TYPE money_amt AS (amount numeric(10,2), currency text)",
			to:    "CREATE TYPE money_amt AS (amount numeric(10,1), currency text)",
			value: `ROW(1.25, 'USD')`,
			want:  `(1.25,USD)`, named: `'1.25'`},
		{name: "attribute integer to varchar",
			from:  "CREATE TYPE money_amt AS (amount numeric(10,2), ref integer)",
			to:    "CREATE TYPE money_amt AS (amount numeric(10,2), ref varchar(3))",
			value: `ROW(1, 12345)`,
			want:  `(1.00,12345)`, named: `'12345'`},
		{name: "enum attribute to varchar",
			from:  "CREATE TYPE mood AS ENUM ('happy', 'sad');\nCREATE TYPE money_amt AS (amount numeric(10,2), m mood)",
			to:    "CREATE TYPE mood AS ENUM ('happy', 'sad');\nCREATE TYPE money_amt AS (amount numeric(10,2), m varchar(3))",
			value: `ROW(1, 'happy')`,
			want:  `(1.00,happy)`, named: `'happy'`},
		{name: "attribute bit string",
			from:  "CREATE TYPE money_amt AS (amount numeric(10,2), flags bit(8))",
			to:    "CREATE TYPE money_amt AS (amount numeric(10,2), flags bit(4))",
			value: `ROW(1, B'10101010')`,
			want:  `(1.00,10101010)`, named: `'10101010'`},
		{name: "array element cut to varchar",
			from:  "CREATE TYPE money_amt AS (amount numeric(10,2), currency text)",
			to:    "CREATE TYPE money_amt AS (amount numeric(10,2), currency varchar(3))",
			value: `ARRAY[ROW(1, 'USD'), NULL, ROW(2.50, 'a "q", b')]::money_amt[]`,
			want:  `{"(1.00,USD)",NULL,"(2.50,\"a \"\"q\"\", b\")"}`, named: `'a "q", b'`, array: true},
		{name: "array element trailing spaces",
			from:  "CREATE TYPE money_amt AS (amount numeric(10,2), currency varchar(10))",
			to:    "CREATE TYPE money_amt AS (amount numeric(10,2), currency varchar(3))",
			value: `ARRAY[ROW(1, 'abc   ')]::money_amt[]`,
			want:  `{"(1.00,\"abc   \")"}`, named: `'abc   '`, array: true},
		{name: "array element numeric scale",
			from:  "CREATE TYPE money_amt AS (amount numeric(10,2), currency text)",
			to:    "CREATE TYPE money_amt AS (amount numeric(10,1), currency text)",
			value: `ARRAY[ROW(1.25, 'USD')]::money_amt[]`,
			want:  `{"(1.25,USD)"}`, named: `'1.25'`, array: true},
		{name: "domain over a shorter varchar",
			from:  "CREATE DOMAIN money_amt AS varchar(10)",
			to:    "CREATE DOMAIN money_amt AS varchar(3)",
			value: `'abc   '`,
			want:  `abc   `, named: `'abc   '`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			colType := "money_amt"
			if tc.array {
				colType += "[]"
			}
			table := "CREATE TABLE pages (id int PRIMARY KEY, v " + colType + ");\n"
			work := pgtest.NewDB(t)
			pgtest.Exec(t, work, tc.from+";\n"+table+"INSERT INTO pages VALUES (1, "+tc.value+")")
			current, plan := planTo(ctx, t, work, tc.to+";\n"+table)
			conn, err := pipeline.Connect(ctx, work)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(context.WithoutCancel(ctx))
			err = pipeline.ApplyPlan(ctx, conn, plan)
			if err == nil || !strings.Contains(err.Error(), "would change the value "+tc.named) {
				t.Fatalf("applying the plan: got error %v, want one naming the value %s", err, tc.named)
			}
			var got, typ string
			if err := conn.QueryRow(ctx, "SELECT v::text, pg_typeof(v)::text FROM pages WHERE id = 1").Scan(&got, &typ); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("value after the failed plan: %q, want %q", got, tc.want)
			}
			if typ != colType {
				t.Errorf("column type after the failed plan: %s, want %s", typ, colType)
			}
			after, err := pipeline.InspectURL(ctx, work, introspect.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if again, err := pipeline.Plan(current, after); err != nil || len(again.Changes) != 0 {
				t.Errorf("the failed plan changed the schema (%v): %v", err, again)
			}
		})
	}
}
