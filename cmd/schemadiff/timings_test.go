package main

import (
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

// TestPlanTimings: SCHEMADIFF_TIMINGS=1 makes plan print the time of each
// phase to stderr and leaves the plan on stdout as it was; a value that is
// not a boolean is named in a warning.
func TestPlanTimings(t *testing.T) {
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, "CREATE TABLE a (id int)")
	schemaFile := writeFile(t, t.TempDir(), "schema.sql", "CREATE TABLE a (id int, b text);\n")
	plain := runCLI(t, "plan", "--db", db, "--schema", schemaFile)
	t.Setenv(timingsEnv, "1")
	timed := runCLI(t, "plan", "--db", db, "--schema", schemaFile)
	if plain.code != 0 || timed.code != 0 || timed.stdout != plain.stdout {
		t.Fatalf("plan with timings: exit %d, stdout %q; without: exit %d, stdout %q\n%s",
			timed.code, timed.stdout, plain.code, plain.stdout, timed.stderr)
	}
	if strings.Contains(plain.stderr, "timing:") {
		t.Errorf("plan prints timings without %s:\n%s", timingsEnv, plain.stderr)
	}
	for _, p := range []string{"parse", "introspect current", "scratch start", "load desired", "introspect desired",
		"diff", "order", "emit", "total"} {
		if !strings.Contains(timed.stderr, "timing: "+p+": ") {
			t.Errorf("no time for %s:\n%s", p, timed.stderr)
		}
	}
	t.Setenv(timingsEnv, "yes please")
	r := runCLI(t, "plan", "--db", db, "--schema", schemaFile)
	if r.code != 0 || !strings.Contains(r.stderr, timingsEnv+`="yes please" is not a boolean`) || strings.Contains(r.stderr, "timing:") {
		t.Errorf("%s=\"yes please\": exit %d\n%s", timingsEnv, r.code, r.stderr)
	}
}
