package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

const escape = "\x1b["

// TestColorOutput: piped output of plan, lint and status is plain, NO_COLOR
// keeps it plain, --color always colours hazards, lint errors and the
// status header, and an unknown --color is an error (exit 2).
func TestColorOutput(t *testing.T) {
	cli := buildCLI(t)
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, "CREATE TABLE t (id int, gone text)")
	schemaFile := writeFile(t, t.TempDir(), "schema.sql", "CREATE TABLE t (id int);\n")
	_, work := moduleWorkDir(t)
	migDir := filepath.Join(work, "migrations")
	writeFile(t, migDir, "migrations.go", "package migrations\n\nimport \"github.com/schemadiff/schemadiff/migrate\"\n\nvar Migrations = migrate.NewSet()\n")
	writeFile(t, migDir, "20260101000001_a.go", migrationSource("migrations", "20260101000001", "a", "", "",
		"migrate.SQL(`CREATE TABLE a (id int)`)", "migrate.SQL(`DROP TABLE a`)"))

	for _, tc := range []struct {
		name  string
		args  []string
		color string // what --color always writes
	}{
		{"plan", []string{"plan", "--db", db, "--schema", schemaFile}, "\x1b[31m-- HAZARD deletes-data"},
		{"lint", []string{"lint", "--dir", lintTestdata}, "\x1b[31m" + lintTestdata},
		{"status", []string{"status", "--db", db, "--dir", migDir}, "\x1b[1mVERSION"},
	} {
		piped := cli(nil, tc.args...)
		if strings.Contains(piped.stdout, escape) || piped.code == exitError {
			t.Errorf("%s piped: exit %d, want plain output:\n%q\n%s", tc.name, piped.code, piped.stdout, piped.stderr)
		}
		always := cli(nil, append(tc.args, "--color", "always")...)
		if !strings.Contains(always.stdout, tc.color) || always.code != piped.code {
			t.Errorf("%s --color always: exit %d, want %d and %q in:\n%q\n%s", tc.name, always.code, piped.code, tc.color, always.stdout, always.stderr)
		}
		if plain := strings.ReplaceAll(strings.ReplaceAll(always.stdout, "\x1b[0m", ""), tc.color[:strings.Index(tc.color, "m")+1], ""); !strings.Contains(plain, strings.SplitN(piped.stdout, "\n", 2)[0]) {
			t.Errorf("%s --color always: the text differs from the plain output:\n%q\n%q", tc.name, always.stdout, piped.stdout)
		}
		noColor := cli([]string{"NO_COLOR=1"}, append(tc.args, "--color", "auto")...)
		if strings.Contains(noColor.stdout, escape) {
			t.Errorf("%s with NO_COLOR=1: coloured:\n%q", tc.name, noColor.stdout)
		}
		if bad := cli(nil, append(tc.args, "--color", "sometimes")...); bad.code != exitError || !strings.Contains(bad.stderr, "auto, always or never") {
			t.Errorf("%s --color sometimes: exit %d, want 2 naming the values:\n%s", tc.name, bad.code, bad.stderr)
		}
	}
}
