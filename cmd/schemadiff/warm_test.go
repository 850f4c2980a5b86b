package main

import (
	"os"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/pgtest"
)

// TestPlanKeptDesiredState: plan after plan on one schema file brings the
// kept desired state up to date instead of loading it anew (the -v log
// says how), and prints what plan prints with $SCHEMADIFF_WARM=off, edit
// after edit; a schema the kept state cannot follow (a materialized view,
// whose query runs) is loaded as before.
func TestPlanKeptDesiredState(t *testing.T) {
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, "CREATE TABLE customers (id int PRIMARY KEY)")
	dir := t.TempDir()
	schemaFile := writeFile(t, dir, "schema.sql", desiredSQL)
	t.Setenv(pgserver.WarmEnv, "")
	plan := func(label string, want string) string {
		t.Helper()
		r := runCLI(t, "plan", "-v", "--db", db, "--schema", schemaFile)
		t.Setenv(pgserver.WarmEnv, "off")
		off := runCLI(t, "plan", "--db", db, "--schema", schemaFile)
		t.Setenv(pgserver.WarmEnv, "")
		if r.code != 0 || off.code != 0 || r.stdout != off.stdout {
			t.Fatalf("%s: exit %d, off %d; plan differs from %s=off:\n%s\n---\n%s\n%s", label, r.code, off.code, pgserver.WarmEnv, r.stdout, off.stdout, r.stderr)
		}
		if !strings.Contains(r.stderr, want) {
			t.Errorf("%s: the log does not say %q:\n%s", label, want, r.stderr)
		}
		return r.stdout
	}
	plan("first", "kept desired state: full load")
	plan("unchanged", "kept desired state: unchanged load")
	plan("unchanged, catalog kept", "kept desired state: catalog read from")
	writeFile(t, dir, "schema.sql", strings.Replace(desiredSQL, "note text", "note text, total numeric(10,2) CHECK (total >= 0)", 1))
	out := plan("column added", "kept desired state: incremental load")
	if !strings.Contains(out, "total") {
		t.Errorf("the added column is not planned:\n%s", out)
	}
	writeFile(t, dir, "schema.sql", desiredSQL+"CREATE VIEW big_orders AS SELECT * FROM orders;\n")
	plan("view added, column removed", "kept desired state: incremental load")
	writeFile(t, dir, "schema.sql", desiredSQL+"GRANT SELECT ON orders TO PUBLIC;\n")
	plan("grant", "kept desired state: incremental load")
	writeFile(t, dir, "schema.sql", desiredSQL+"CREATE MATERIALIZED VIEW order_ids AS SELECT id FROM orders;\n")
	plan("materialized view", "not using the kept desired state")
	if err := os.Remove(schemaFile); err != nil {
		t.Fatal(err)
	}
}
