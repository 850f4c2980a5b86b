package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

// TestTypeChangeWithoutCastRefused: a column type change PostgreSQL has no
// cast for is refused by plan, check and generate (exit 2), naming the
// schema file:line, the column, both types and the hint that would give
// the conversion; the database is left as it was.
func TestTypeChangeWithoutCastRefused(t *testing.T) {
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, "CREATE TABLE events (id integer PRIMARY KEY, created_at bigint NOT NULL)")
	before := snapshot(t, db)
	dir := t.TempDir()
	schemaFile := writeFile(t, dir, "schema.sql", `CREATE TABLE events (
    id integer PRIMARY KEY,
    created_at timestamp NOT NULL
);
`)
	for _, args := range [][]string{
		{"plan", "--db", db, "--schema", schemaFile},
		{"check", "--db", db, "--schema", schemaFile},
		{"generate", "--db", db, "--schema", schemaFile, "--dir", filepath.Join(dir, "migrations")},
	} {
		r := runCLI(t, args...)
		if r.code != 2 {
			t.Errorf("%s: exit %d, want 2; stdout %s stderr %s", args[0], r.code, r.stdout, r.stderr)
		}
		for _, want := range []string{schemaFile + ":3: ", "public.events.created_at", "from bigint to timestamp without time zone",
			"no cast", "-- schemadiff:using <expression>"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", args[0], want, r.stderr)
			}
		}
	}
	if d := cmp.Diff(before, snapshot(t, db)); d != "" {
		t.Errorf("the database changed:\n%s", d)
	}
}

// TestGenerateConversionHints: generate uses schemadiff:using for Up and
// schemadiff:using-down for Down; the rows are converted both ways. Without
// using-down, generate refuses, asking for it.
func TestGenerateConversionHints(t *testing.T) {
	_, work := moduleWorkDir(t)
	migDir := filepath.Join(work, "migrations")
	db := pgtest.NewDB(t)
	from := writeFile(t, work, "from.sql", "CREATE TABLE events (id integer PRIMARY KEY, created_at bigint NOT NULL);\n")
	if r := runCLI(t, "generate", "--schema", from, "--dir", migDir, "--name", "events"); r.code != 0 {
		t.Fatalf("generate the first migration: exit %d: %s", r.code, r.stderr)
	}
	if r := runCLI(t, "apply", "--db", db, "--dir", migDir); r.code != 0 {
		t.Fatalf("apply the first migration: exit %d: %s", r.code, r.stderr)
	}
	pgtest.Exec(t, db, "INSERT INTO events VALUES (1, 1700000000), (2, 0)")

	upOnly := writeFile(t, work, "up-only/schema.sql", `CREATE TABLE events (
    id integer PRIMARY KEY,
    -- schemadiff:using to_timestamp(created_at) AT TIME ZONE 'UTC'
    created_at timestamp NOT NULL
);
`)
	r := runCLI(t, "generate", "--schema", upOnly, "--dir", migDir, "--name", "timestamps", "--allow-hazards", "all")
	if r.code != 2 || !strings.Contains(r.stderr, "-- schemadiff:using-down <expression>") || !strings.Contains(r.stderr, upOnly+":4: ") {
		t.Fatalf("generate without using-down: exit %d, want 2 asking for using-down at %s:4: %s", r.code, upOnly, r.stderr)
	}

	to := writeFile(t, work, "to/schema.sql", `CREATE TABLE events (
    id integer PRIMARY KEY,
    -- schemadiff:using to_timestamp(created_at) AT TIME ZONE 'UTC'
    -- schemadiff:using-down extract(epoch FROM created_at)::bigint
    created_at timestamp NOT NULL
);
`)
	if r := runCLI(t, "generate", "--schema", to, "--dir", migDir, "--name", "timestamps", "--allow-hazards", "all"); r.code != 0 {
		t.Fatalf("generate: exit %d: %s", r.code, r.stderr)
	}
	if r := runCLI(t, "apply", "--db", db, "--dir", migDir); r.code != 0 {
		t.Fatalf("apply: exit %d: %s", r.code, r.stderr)
	}
	if r := runCLI(t, "check", "--db", db, "--schema", to); r.code != 0 {
		t.Fatalf("check after apply: exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	rows := `SELECT string_agg(id || '=' || created_at, ',' ORDER BY id) FROM events`
	if got, want := queryString(t, db, rows), "1=2023-11-14 22:13:20,2=1970-01-01 00:00:00"; got != want {
		t.Errorf("rows after apply = %q, want %q", got, want)
	}
	if r := runCLI(t, "rollback", "--db", db, "--dir", migDir); r.code != 0 {
		t.Fatalf("rollback: exit %d: %s", r.code, r.stderr)
	}
	if got, want := queryString(t, db, rows), "1=1700000000,2=0"; got != want {
		t.Errorf("rows after rollback = %q, want %q", got, want)
	}
}
