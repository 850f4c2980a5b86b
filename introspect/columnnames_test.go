package introspect

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/schema"
)

// TestConstraintColumnNames checks the columns of constraints, which are
// named from the columns already read, in the cases where they are not:
// a CHECK on a system column and a foreign key to a typed table (which
// the catalog leaves out), as well as constraints on no column.
func TestConstraintColumnNames(t *testing.T) {
	url := pgtest.NewDB(t)
	pgtest.Exec(t, url, `CREATE TYPE pair AS (a int, b int);
CREATE TABLE typed OF pair (PRIMARY KEY (b, a));
CREATE TABLE t (x int, y int, z int, CONSTRAINT own CHECK (tableoid <> 0 AND z > 0),
	CONSTRAINT always CHECK (true),
	CONSTRAINT fk FOREIGN KEY (z, y) REFERENCES typed (b, a),
	CONSTRAINT gone UNIQUE (y, x));
ALTER TABLE t DROP COLUMN x CASCADE;
ALTER TABLE t ADD COLUMN x int CONSTRAINT positive CHECK (x > 0), ADD CONSTRAINT u UNIQUE (x, y);`)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	cat, err := Inspect(ctx, conn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	table := cat.Tables[schema.QName{Schema: "public", Name: "t"}]
	if table == nil {
		t.Fatal("table t was not read")
	}
	want := map[string][2][]string{
		"always":   {{}, nil},
		"own":      {{"tableoid", "z"}, nil},
		"fk":       {{"z", "y"}, {"b", "a"}},
		"positive": {{"x"}, nil},
		"u":        {{"x", "y"}, nil},
	}
	if len(table.Constraints) != len(want) {
		t.Errorf("read %d constraints, want %d", len(table.Constraints), len(want))
	}
	for _, c := range table.Constraints {
		w, ok := want[c.Name]
		if !ok {
			t.Errorf("unexpected constraint %s", c.Name)
			continue
		}
		if c.Columns == nil || !slices.Equal(c.Columns, w[0]) {
			t.Errorf("%s: columns %#v, want %#v", c.Name, c.Columns, w[0])
		}
		if (c.RefColumns == nil) != (w[1] == nil) || !slices.Equal(c.RefColumns, w[1]) {
			t.Errorf("%s: referenced columns %#v, want %#v", c.Name, c.RefColumns, w[1])
		}
	}
}
