package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/internal/project"
)

// fleetSize is how many tenant databases the fleet test works on.
const fleetSize = 20

// TestFleetApply applies two migrations to a fleet of databases on one
// server, one of which already has a table the second migration creates,
// so that it fails there. Without --continue-on-error no database starts
// after the failure; with it every other database is migrated. The failing
// migration is rolled back whole on its database. The runner is compiled
// once per command, not once per database.
func TestFleetApply(t *testing.T) {
	_, work := moduleWorkDir(t)
	const pkg = "fleetmig"
	writeMigrationsPackage(t, work, pkg, map[string]string{
		v1 + "_create_a.go": simpleMigration(pkg, v1, "", "a"),
		v2 + "_create_c_b.go": migrationSource(pkg, v2, "create_c_b", v1, "",
			"migrate.SQL(`CREATE TABLE c (id int)`), migrate.SQL(`CREATE TABLE b (id int)`)", "migrate.SQL(`DROP TABLE b, c`)"),
	})
	tenants := make([]string, fleetSize)
	for i := range tenants {
		tenants[i] = pgtest.NewDB(t)
	}
	main := pgtest.NewDB(t)
	const bad = 10 // the tenant where the second migration fails
	pgtest.Exec(t, tenants[bad], "CREATE TABLE b (conflicting text)")
	quoted := make([]string, len(tenants))
	for i, u := range tenants {
		quoted[i] = strconv.Quote(u)
	}
	writeFile(t, work, "schemadiff.toml", fmt.Sprintf("migrations = %q\n\n[targets.main]\nurl = %q\n\n[targets.tenants]\nurls = [%s]\n",
		pkg, main, strings.Join(quoted, ", ")))
	t.Setenv(databaseURLEnv, "")
	t.Chdir(work)
	badLabel := "tenants/" + project.DatabaseName(tenants[bad])

	versions := func(url string) string {
		if queryString(t, url, "SELECT (to_regclass('schemadiff_migrations') IS NULL)::text") == "true" {
			return "none"
		}
		return queryString(t, url, "SELECT coalesce(string_agg(version, ',' ORDER BY version), '') FROM schemadiff_migrations")
	}
	checkBad := func() {
		t.Helper()
		if got := versions(tenants[bad]); got != v1 {
			t.Errorf("%s: applied %q, want %s only", badLabel, got, v1)
		}
		if got := queryString(t, tenants[bad], "SELECT (to_regclass('c') IS NULL)::text"); got != "true" {
			t.Errorf("%s: table c of the failed migration exists: the migration was half-applied", badLabel)
		}
	}

	// stop at the first failure, one database at a time: the order is known
	start := time.Now()
	r := runCLI(t, "apply", "--target", "tenants", "--parallel", "1", "--verbose")
	t.Logf("apply --target tenants --parallel 1: exit %d in %s\n%s", r.code, time.Since(start).Round(time.Millisecond), r.stdout)
	if r.code != exitDrift {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
	}
	if n := strings.Count(r.stderr, "compiling migrations package") + strings.Count(r.stderr, "using the cached migrations runner"); n != 1 {
		t.Errorf("the runner was compiled or looked up %d times, want once:\n%s", n, r.stderr)
	}
	for i, u := range tenants {
		want := v1 + "," + v2
		switch {
		case i == bad:
			continue
		case i > bad:
			want = "none"
		}
		if got := versions(u); got != want {
			t.Errorf("tenant %d: applied %q, want %q", i, got, want)
		}
	}
	checkBad()
	if !strings.Contains(r.stderr, "["+badLabel+"] ") || !strings.Contains(r.stdout, badLabel) {
		t.Errorf("the failing database is not named in the progress and summary:\n%s\n%s", r.stderr, r.stdout)
	}
	if got := strings.Count(r.stdout, "not started"); got != fleetSize-bad-1 {
		t.Errorf("%d databases not started in the summary, want %d:\n%s", got, fleetSize-bad-1, r.stdout)
	}

	// go on after the failure, four at a time, on every target
	start = time.Now()
	r = runCLI(t, "apply", "--all-targets", "--continue-on-error")
	t.Logf("apply --all-targets --continue-on-error: exit %d in %s\n%s", r.code, time.Since(start).Round(time.Millisecond), r.stdout)
	if r.code != exitDrift {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
	}
	for i, u := range append(tenants, main) {
		if i != bad {
			if got := versions(u); got != v1+","+v2 {
				t.Errorf("database %d: applied %q, want both", i, got)
			}
		}
	}
	checkBad()
	if !strings.Contains(r.stdout, "TARGET") || !containsRow(r.stdout, badLabel, "failed", "0") || !containsRow(r.stdout, "main", "ok", "2") {
		t.Errorf("summary table:\n%s", r.stdout)
	}

	// where each database stands
	r = runCLI(t, "status", "--all-targets")
	if r.code != exitDrift || !containsRow(r.stdout, badLabel, "1", "1", v1, v2+" failed") || !containsRow(r.stdout, "main", "2", "0", v2, "-") {
		t.Errorf("status --all-targets: exit %d, want 1 with the failed migration named\n%s%s", r.code, r.stdout, r.stderr)
	}

	// fixed by hand, the fleet converges
	pgtest.Exec(t, tenants[bad], "DROP TABLE b")
	if r = runCLI(t, "apply", "--target", "tenants"); r.code != exitOK {
		t.Fatalf("apply after the fix: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r = runCLI(t, "status", "--all-targets", "--fail-on-pending"); r.code != exitOK {
		t.Errorf("status --all-targets --fail-on-pending after the fix: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, "status", "--all-targets", "--format", "json")
	var positions []fleetPosition
	if err := json.Unmarshal([]byte(r.stdout), &positions); r.code != exitOK || err != nil || len(positions) != fleetSize+1 {
		t.Fatalf("status --all-targets --format json: exit %d, %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	for _, p := range positions {
		if p.ExitCode != 0 || p.Error != "" || len(p.Status) != 2 || p.Status[1].State != "applied" {
			t.Errorf("status of %s: %+v", p.Target, p)
		}
	}
}

// containsRow reports whether a line of table holds the fields in order,
// separated by white space.
func containsRow(table string, fields ...string) bool {
	for _, line := range strings.Split(table, "\n") {
		if strings.Join(strings.Fields(line), " ") == strings.Join(fields, " ") ||
			strings.HasPrefix(strings.Join(strings.Fields(line), " "), strings.Join(fields, " ")+" ") {
			return true
		}
	}
	return false
}
