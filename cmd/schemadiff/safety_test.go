package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

const ormModels = `package models

type User struct {
	ID   int64  ` + "`gorm:\"primaryKey\" json:\"id\"`" + `
	Name string ` + "`gorm:\"size:100\"`" + `
}

type Post struct {
	ID int64 ` + "`bun:\"id,pk\"`" + `
}

type Plain struct{ A int }
`

// TestEmptyDesiredSchemaIsRefused: a desired schema that defines no object
// would plan dropping everything; plan, check and generate refuse it (exit
// 2), say what was read, and leave the database alone, unless
// --allow-empty asks for it.
func TestEmptyDesiredSchemaIsRefused(t *testing.T) {
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, `CREATE TABLE t (id int); CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';`)
	before := snapshot(t, db)
	root := t.TempDir()
	migDir := filepath.Join(root, "migrations")
	emptyDir := filepath.Join(root, "emptydir")
	if err := os.Mkdir(emptyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path string
		// want are in the error, beside "the desired schema is empty".
		want []string
	}{
		{"empty file", writeFile(t, root, "empty.sql", ""), []string{"empty.sql: no statements"}},
		{"comments only", writeFile(t, root, "comments/a.sql", "-- nothing yet\n/* later */\n"), []string{"a.sql: no statements"}},
		{"empty directory", emptyDir, []string{"directory " + emptyDir + " holds no .sql or .go files"}},
		{"SET and data statements", filepath.Dir(writeFile(t, root, "setdata/b.sql", "INSERT INTO t VALUES (1);\n")),
			[]string{"a.sql: 2 statement(s): SET", "b.sql: 1 statement(s): INSERT"}},
		{"structs for an ORM", filepath.Dir(writeFile(t, root, "orm/models.go", ormModels)),
			[]string{"models.go declares no table: its structs User (tags gorm, json), Post (tags bun), Plain (no struct tags) have no schemadiff:table directive"}},
		{"created and dropped", writeFile(t, root, "dropped.sql", "CREATE TABLE zz (id int);\nDROP TABLE zz;\n"),
			[]string{"dropped.sql: 2 statement(s): create, drop"}},
	}
	writeFile(t, root, "setdata/a.sql", "SET search_path = public;\nSELECT pg_catalog.set_config('search_path', '', false);\n")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, args := range [][]string{
				{"plan", "--db", db, "--schema", c.path},
				{"check", "--db", db, "--schema", c.path},
				{"generate", "--db", db, "--schema", c.path, "--dir", migDir, "--allow-hazards", "all"},
			} {
				r := runCLI(t, args...)
				if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "the desired schema is empty") ||
					!strings.Contains(r.stderr, "pass --allow-empty") {
					t.Fatalf("%s: exit %d, want 2 and the error; stdout %q, stderr %q", args[0], r.code, r.stdout, r.stderr)
				}
				for _, w := range c.want {
					if !strings.Contains(r.stderr, w) {
						t.Errorf("%s: error lacks %q:\n%s", args[0], w, r.stderr)
					}
				}
			}
		})
	}
	if m, _ := filepath.Glob(filepath.Join(migDir, "*.go")); len(m) != 0 {
		t.Errorf("generate wrote %v", m)
	}

	missing := filepath.Join(root, "shcema.sql")
	r := runCLI(t, "plan", "--db", db, "--schema", missing)
	if r.code != 2 || !strings.Contains(r.stderr, missing+" does not exist") {
		t.Fatalf("missing path: exit %d, stderr %q", r.code, r.stderr)
	}

	filtered := writeFile(t, root, "other.sql", "CREATE SCHEMA other;\nCREATE TABLE other.t (id int);\n")
	r = runCLI(t, "plan", "--db", db, "--schema", filtered, "--exclude-schema", "other")
	if r.code != 2 || !strings.Contains(r.stderr, "the desired schema is empty: --exclude-schema other leave none of the objects") {
		t.Fatalf("filtered to nothing: exit %d, stderr %q", r.code, r.stderr)
	}
	if diff := cmp.Diff(before, snapshot(t, db)); diff != "" {
		t.Fatalf("refused commands changed the database:\n%s", diff)
	}

	// A schema alone is not empty.
	r = runCLI(t, "plan", "--db", db, "--schema", writeFile(t, root, "schema_only.sql", "CREATE SCHEMA x;\n"))
	if r.code != 0 || !strings.Contains(r.stdout, "CREATE SCHEMA x") || !strings.Contains(r.stdout, "DROP TABLE public.t") {
		t.Fatalf("a schema alone: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}

	// Asked for explicitly, it plans dropping everything.
	r = runCLI(t, "plan", "--db", db, "--schema", cases[1].path, "--allow-empty")
	if r.code != 0 || !strings.Contains(r.stdout, "DROP TABLE public.t") || !strings.Contains(r.stdout, "DROP FUNCTION public.f()") ||
		strings.Count(r.stderr, "defines no object (allowed by --allow-empty") != 1 {
		t.Fatalf("plan --allow-empty: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, "check", "--db", db, "--schema", emptyDir, "--allow-empty"); r.code != 1 {
		t.Fatalf("check --allow-empty: exit %d, want 1 (drift): %s", r.code, r.stderr)
	}
	r = runCLI(t, "generate", "--db", db, "--schema", emptyDir, "--dir", migDir, "--allow-empty", "--allow-hazards", "deletes-data")
	if r.code != 0 {
		t.Fatalf("generate --allow-empty: exit %d: %s", r.code, r.stderr)
	}
	if src := mustRead(t, strings.TrimSpace(r.stdout)); !strings.Contains(src, "DROP TABLE public.t") {
		t.Errorf("generated migration does not drop the table:\n%s", src)
	}
}

// TestGoFilesWithoutTablesAreNamed: Go files that declare structs but no
// table are named with their structs, beside a schema that is not empty.
func TestGoFilesWithoutTablesAreNamed(t *testing.T) {
	db := pgtest.NewDB(t)
	dir := t.TempDir()
	writeFile(t, dir, "schema.sql", "CREATE TABLE t (id int);\n")
	writeFile(t, dir, "models/orm.go", ormModels)
	writeFile(t, dir, "models/doc.go", "// Package models is the data model.\npackage models\n")
	r := runCLI(t, "plan", "--db", db, "--schema", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "CREATE TABLE public.t") {
		t.Fatalf("plan: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	want := "warning: " + filepath.Join(dir, "models/orm.go") +
		" declares no table: its structs User (tags gorm, json), Post (tags bun), Plain (no struct tags) have no schemadiff:table directive\n"
	if !strings.Contains(r.stderr, want) || strings.Contains(r.stderr, "doc.go") {
		t.Fatalf("warnings:\n%s\nwant:\n%s", r.stderr, want)
	}
}

// TestGenerateRefusesRevokingAccess: a plan that takes a privilege away
// from a role that holds it carries revokes-access, which generate refuses
// unless it is allowed.
func TestGenerateRefusesRevokingAccess(t *testing.T) {
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, `DO $$ BEGIN CREATE ROLE app_ro; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
		CREATE TABLE t (id int); GRANT SELECT ON t TO app_ro;`)
	before := snapshot(t, db)
	dir := t.TempDir()
	migDir := filepath.Join(dir, "migrations")
	files := func() []string {
		m, _ := filepath.Glob(filepath.Join(migDir, "*_*.go"))
		return m
	}
	schemaFile := writeFile(t, dir, "schema.sql", "CREATE TABLE t (id int);\n")

	r := runCLI(t, "plan", "--db", db, "--schema", schemaFile)
	if r.code != 0 || !strings.Contains(r.stdout,
		"-- HAZARD revokes-access: revokes SELECT on table public.t from app_ro\nREVOKE SELECT ON TABLE public.t FROM app_ro;") {
		t.Fatalf("plan: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, "generate", "--db", db, "--schema", schemaFile, "--dir", migDir)
	if r.code != 2 || !strings.Contains(r.stderr, "revokes-access: revokes SELECT on table public.t from app_ro") ||
		!strings.Contains(r.stderr, "--allow-hazards revokes-access") || len(files()) != 0 {
		t.Fatalf("generate without allowing the hazard: exit %d, stderr %q, files %v", r.code, r.stderr, files())
	}
	r = runCLI(t, "generate", "--db", db, "--schema", schemaFile, "--dir", migDir, "--allow-hazards", "revoke-access")
	if r.code != 2 || !strings.Contains(r.stderr, `unknown hazard "revoke-access"`) || len(files()) != 0 {
		t.Fatalf("misspelt hazard: exit %d, stderr %q, files %v", r.code, r.stderr, files())
	}
	r = runCLI(t, "generate", "--db", db, "--schema", schemaFile, "--dir", migDir, "--allow-hazards", "revokes-access")
	if r.code != 0 || len(files()) != 1 {
		t.Fatalf("generate allowing the hazard: exit %d, stderr %q, files %v", r.code, r.stderr, files())
	}
	if src := mustRead(t, files()[0]); !strings.Contains(src, "// HAZARD revokes-access: revokes SELECT on table public.t from app_ro") {
		t.Errorf("generated file lacks the hazard:\n%s", src)
	}
	if diff := cmp.Diff(before, snapshot(t, db)); diff != "" {
		t.Fatalf("generate changed the database:\n%s", diff)
	}
}

// TestAllowEmptyFromEnvironment: $SCHEMADIFF_ALLOW_EMPTY stands for
// --allow-empty, and a value that is not a boolean is an error.
func TestAllowEmptyFromEnvironment(t *testing.T) {
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, `CREATE TABLE t (id int)`)
	empty := writeFile(t, t.TempDir(), "empty.sql", "-- nothing yet\n")
	before := snapshot(t, db)
	t.Setenv(allowEmptyEnv, "")
	if r := runCLI(t, "plan", "--db", db, "--schema", empty); r.code != 2 || !strings.Contains(r.stderr, "SCHEMADIFF_ALLOW_EMPTY=true") {
		t.Fatalf("plan without the variable: exit %d, want 2 naming the variable: %s", r.code, r.stderr)
	}
	t.Setenv(allowEmptyEnv, "maybe")
	if r := runCLI(t, "plan", "--db", db, "--schema", empty); r.code != 2 || !strings.Contains(r.stderr, `SCHEMADIFF_ALLOW_EMPTY="maybe"`) {
		t.Fatalf("plan with SCHEMADIFF_ALLOW_EMPTY=maybe: exit %d, want 2 naming the value: %s", r.code, r.stderr)
	}
	t.Setenv(allowEmptyEnv, "false")
	if r := runCLI(t, "plan", "--db", db, "--schema", empty); r.code != 2 {
		t.Fatalf("plan with SCHEMADIFF_ALLOW_EMPTY=false: exit %d, want 2: %s", r.code, r.stderr)
	}
	t.Setenv(allowEmptyEnv, "true")
	r := runCLI(t, "plan", "--db", db, "--schema", empty)
	if r.code != 0 || !strings.Contains(r.stdout, "DROP TABLE public.t") || !strings.Contains(r.stderr, "$SCHEMADIFF_ALLOW_EMPTY") {
		t.Fatalf("plan with SCHEMADIFF_ALLOW_EMPTY=true: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	if d := cmp.Diff(before, snapshot(t, db)); d != "" {
		t.Fatalf("plan changed the database (-before +after):\n%s", d)
	}
}
