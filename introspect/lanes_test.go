package introspect

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// laneSchema has rows for every query the second connection runs.
const laneSchema = `CREATE TYPE mood AS ENUM ('ok', 'sad');
CREATE TABLE parent (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text UNIQUE, m mood,
	CONSTRAINT name_len CHECK (length(name) < 100));
CREATE TABLE child (id bigint PRIMARY KEY, parent_id int REFERENCES parent (id) ON DELETE CASCADE,
	note text COLLATE "C", at timestamptz DEFAULT now());
CREATE INDEX child_parent_idx ON child (parent_id) WHERE note IS NOT NULL;
CREATE INDEX child_lower_idx ON child (lower(note));
CREATE VIEW named AS SELECT c.id, p.name FROM child c JOIN parent p ON p.id = c.parent_id;
COMMENT ON CONSTRAINT name_len ON parent IS 'short names';
COMMENT ON INDEX child_lower_idx IS 'case-blind';`

// TestHelperRowsEqualOwn reads a catalog over one connection, then over
// two with the first waiting until the second has read everything it
// runs, so that those rows come from memory: the catalogs must be equal.
func TestHelperRowsEqualOwn(t *testing.T) {
	url := pgtest.NewDB(t)
	pgtest.Exec(t, url, laneSchema)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	helper, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer helper.Close(ctx)
	want, err := Inspect(ctx, conn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Tables) != 2 || len(want.Views) != 1 {
		t.Fatalf("read %d tables and %d views, want 2 and 1", len(want.Tables), len(want.Views))
	}
	helperFirst = true
	defer func() { helperFirst = false }()
	for range 3 {
		got, err := InspectConcurrently(ctx, conn, helper, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("rows read by the second connection give another catalog (-one +two):\n%s", d)
		}
	}
}
