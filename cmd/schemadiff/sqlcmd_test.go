package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/migrate"
)

// TestSQLCommand prints the SQL of a migrations package whose steps are of
// every kind, with the hazards its files note beside their statements,
// without any database.
func TestSQLCommand(t *testing.T) {
	_, work := moduleWorkDir(t)
	const pkg = "sqlmig"
	dir := writeMigrationsPackage(t, work, pkg, map[string]string{
		v1 + "_first.go": migrationSource(pkg, v1, "first", "", `"context"`,
			"migrate.SQLCommitFirst(`CREATE TYPE mood AS ENUM ('ok')`),\n"+
				"// HAZARD rewrites-table: rewrites table a\n"+
				"migrate.SQL(`CREATE TABLE a (id int)`),\n"+
				"migrate.Func(func(context.Context, migrate.DB) error { return nil }),\n",
			"// HAZARD deletes-data: drops table public.a and all its rows\nmigrate.SQL(`DROP TABLE a`), migrate.SQL(`DROP TYPE mood`)"),
		v2 + "_second.go": migrationSource(pkg, v2, "second", v1, "",
			"migrate.SQLNoTx(`CREATE INDEX CONCURRENTLY a_id ON a (id)`)", "migrate.SQLNoTx(`DROP INDEX CONCURRENTLY a_id`)"),
	})
	t.Setenv(databaseURLEnv, "")

	r := runCLI(t, "sql", "--dir", dir)
	if r.code != exitOK {
		t.Fatalf("sql: exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{
		"-- WARNING: 1 step(s) are Go functions",
		"BEGIN;\n-- step 1 of 3, in a transaction of its own, committed before the rest; safe to run again\nCREATE TYPE mood AS ENUM ('ok');\nCOMMIT;\nBEGIN;\n" +
			"-- HAZARD rewrites-table: rewrites table a\nCREATE TABLE a (id int);\n-- step 3 of 3: Go function ",
		"-- runs WITHOUT a transaction",
		"CREATE INDEX CONCURRENTLY a_id ON a (id);\nINSERT INTO \"public\".\"schemadiff_migrations\"",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("sql output lacks %q:\n%s", want, r.stdout)
		}
	}

	r = runCLI(t, "sql", "--dir", dir, "--down", "--to", v1, "--format", "json")
	if r.code != exitOK {
		t.Fatalf("sql --down --format json: exit %d\n%s", r.code, r.stderr)
	}
	var sc migrate.Script
	if err := json.Unmarshal([]byte(r.stdout), &sc); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if len(sc.Migrations) != 1 || sc.Migrations[0].Version != v1 || len(sc.Migrations[0].Steps) != 2 ||
		strings.Join(sc.Migrations[0].Steps[0].Hazards, ";") != "deletes-data: drops table public.a and all its rows" {
		t.Errorf("sql --down --to %s: %+v", v1, sc)
	}

	r = runCLI(t, "sql", "--dir", dir, "--from", "20990101000000")
	if r.code != exitError || !strings.Contains(r.stderr, "--from 20990101000000: no migration has that version") {
		t.Errorf("unknown --from: exit %d\n%s", r.code, r.stderr)
	}
}
