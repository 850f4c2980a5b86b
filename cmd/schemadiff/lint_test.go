package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files of testdata/")

// lintTestdata is the directory of migrations the lint package's golden
// test reads: every rule fires in it.
const lintTestdata = "../../internal/lint/testdata/migrations"

// TestLintExitCodes: 1 with findings at error severity, 0 with warnings
// only, 2 for what cannot be linted; each format writes what it documents.
func TestLintExitCodes(t *testing.T) {
	r := runCLI(t, "lint", "--dir", lintTestdata)
	if r.code != exitDrift || !strings.Contains(r.stdout, "error [index-not-concurrent]") {
		t.Errorf("lint of the unsafe migrations: exit %d, want 1 with index-not-concurrent\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, "lint", "--dir", lintTestdata, "--format", "github")
	if r.code != exitDrift || !strings.Contains(r.stdout, "::error file="+lintTestdata+"/20260101000002_unsafe.go,line=11,col=17,title=schemadiff lint index-not-concurrent::") {
		t.Errorf("lint --format github: exit %d, want 1 with an annotation at line 11\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, "lint", "--dir", lintTestdata, "--format", "json")
	if r.code != exitDrift || !strings.Contains(r.stdout, `"rule": "data-loss-unmarked"`) {
		t.Errorf("lint --format json: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	clean := t.TempDir()
	writeFile(t, clean, "20260101000001_rename.go", migrationSource("m", "20260101000001", "rename", "", "",
		"migrate.SQL(`ALTER TABLE t ALTER COLUMN c TYPE text`)", ""))
	if r := runCLI(t, "lint", "--dir", clean); r.code != exitOK || !strings.Contains(r.stdout, "warning [column-type-change]") {
		t.Errorf("lint with a warning only: exit %d, want 0 with the warning\n%s%s", r.code, r.stdout, r.stderr)
	}

	broken := t.TempDir()
	writeFile(t, broken, "20260101000001_broken.go", "package m\nfunc {")
	for _, args := range [][]string{
		{"lint"},
		{"lint", "--dir", clean, "--format", "xml"},
		{"lint", "--dir", broken},
	} {
		if r := runCLI(t, args...); r.code != exitError {
			t.Errorf("%v: exit %d, want 2\n%s", args, r.code, r.stderr)
		}
	}
}

// TestCheckGitHubAnnotations: check --format github writes one error
// annotation per drifting object, at the schema file and line that define
// it (its table's for an object of a table); a table only the database has
// gets one without a file.
func TestCheckGitHubAnnotations(t *testing.T) {
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, `CREATE TABLE users (id bigint PRIMARY KEY, name text);
CREATE TABLE legacy (id int)`)
	dir := t.TempDir()
	writeFile(t, dir, "schema.sql", `-- users and orders
CREATE TABLE users (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    email text
);

CREATE TABLE orders (
    id bigint PRIMARY KEY,
    user_id bigint REFERENCES users (id)
);
`)
	t.Chdir(dir)
	r := runCLI(t, "check", "--db", db, "--schema", "schema.sql", "--format", "github")
	if r.code != exitDrift {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
	}
	golden := filepath.Join(testdataDir(t), "check.github")
	compareGolden(t, golden, r.stdout)
}

// testdataDir is this package's testdata directory, found before a test
// changes the working directory.
var testdataAbs, _ = filepath.Abs("testdata")

func testdataDir(t *testing.T) string {
	t.Helper()
	if testdataAbs == "" {
		t.Fatal("no testdata directory")
	}
	return testdataAbs
}

// compareGolden compares got with the golden file, rewriting it with
// -update.
func compareGolden(t *testing.T, golden, got string) {
	t.Helper()
	if *updateGolden {
		writeFile(t, filepath.Dir(golden), filepath.Base(golden), got)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (-update rewrites it):\ngot:\n%s\nwant:\n%s", golden, got, want)
	}
}

// TestCheckDirLints: check --dir reports lint findings as warnings, and
// fails on them only with --lint-errors, even when in sync.
func TestCheckDirLints(t *testing.T) {
	_, work := moduleWorkDir(t)
	const pkg = "lintmig"
	dir := writeMigrationsPackage(t, work, pkg, map[string]string{
		v1 + "_create_a.go": simpleMigration(pkg, v1, "", "a"),
		v2 + "_index_a.go": migrationSource(pkg, v2, "index_a", v1, "",
			"migrate.SQL(`CREATE INDEX a_id ON a (id)`)", "migrate.SQL(`DROP INDEX a_id`)"),
	})
	schemaFile := writeFile(t, work, "schema.sql", "CREATE TABLE a (id int);\nCREATE INDEX a_id ON a (id);\n")
	t.Setenv(databaseURLEnv, "")

	r := runCLI(t, "check", "--dir", dir, "--schema", schemaFile)
	if r.code != exitOK || !strings.Contains(r.stderr, "warning [index-not-concurrent]") {
		t.Errorf("check --dir: exit %d, want 0 with the lint warning\n%s", r.code, r.stderr)
	}
	r = runCLI(t, "check", "--dir", dir, "--schema", schemaFile, "--lint-errors")
	if r.code != exitDrift || !strings.Contains(r.stderr, "error [index-not-concurrent]") || !strings.Contains(r.stderr, "in sync") {
		t.Errorf("check --dir --lint-errors: exit %d, want 1 with the lint error while in sync\n%s", r.code, r.stderr)
	}
	r = runCLI(t, "check", "--dir", dir, "--schema", schemaFile, "--format", "github")
	if r.code != exitOK || !strings.Contains(r.stdout, "::warning file=") || !strings.Contains(r.stdout, v2+"_index_a.go,line=") {
		t.Errorf("check --dir --format github: exit %d, want 0 with a warning annotation on the migration\n%s%s", r.code, r.stdout, r.stderr)
	}
}
