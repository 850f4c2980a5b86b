package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/internal/pipeline"
	"github.com/schemadiff/schemadiff/introspect"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type result struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	code := run(ctx, args, &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func snapshot(t *testing.T, url string) any {
	t.Helper()
	cat, err := pipeline.InspectURL(context.Background(), url, introspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// desiredSQL is written out of dependency order on purpose.
const desiredSQL = `
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int REFERENCES customers (id), note text);
CREATE TABLE customers (id int PRIMARY KEY, "Display Name" text NOT NULL);
CREATE INDEX orders_customer_idx ON orders (customer_id);
`

func TestPlanCheckDeterminism(t *testing.T) {
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, `CREATE TABLE customers (id int PRIMARY KEY, legacy text)`)
	schemaFile := writeFile(t, t.TempDir(), "schema.sql", desiredSQL)

	first := runCLI(t, "plan", "--db", db, "--schema", schemaFile)
	if first.code != 0 {
		t.Fatalf("plan exit %d: %s", first.code, first.stderr)
	}
	for _, want := range []string{`CREATE TABLE public.orders`, `ADD COLUMN "Display Name" text NOT NULL`,
		`DROP COLUMN legacy`, `-- HAZARD deletes-data`} {
		if !strings.Contains(first.stdout, want) {
			t.Errorf("plan lacks %q:\n%s", want, first.stdout)
		}
	}
	second := runCLI(t, "plan", "--db", db, "--schema", schemaFile)
	if second.stdout != first.stdout {
		t.Fatalf("plan is not deterministic:\n%s", cmp.Diff(first.stdout, second.stdout))
	}
	js := runCLI(t, "plan", "--db", db, "--schema", schemaFile, "--format", "json")
	if js.code != 0 || !strings.Contains(js.stdout, `"hazards"`) {
		t.Fatalf("json plan exit %d: %s %s", js.code, js.stdout, js.stderr)
	}

	drift := runCLI(t, "check", "--db", db, "--schema", schemaFile)
	if drift.code != 1 || drift.stdout != first.stdout {
		t.Fatalf("check before applying: exit %d, want 1 with the plan printed; stderr %s", drift.code, drift.stderr)
	}
	pgtest.Exec(t, db, first.stdout)
	inSync := runCLI(t, "check", "--db", db, "--schema", schemaFile)
	if inSync.code != 0 || inSync.stdout != "" {
		t.Fatalf("check after applying: exit %d, stdout %q, stderr %s", inSync.code, inSync.stdout, inSync.stderr)
	}
}

func TestBadInputChangesNothing(t *testing.T) {
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, `CREATE TABLE keep (id int)`)
	before := snapshot(t, db)
	dir := t.TempDir()
	tests := []struct {
		name, file, content string
		args                []string
		want                string
	}{
		{name: "syntax error", file: "bad.sql", content: "CREATE TABLE a (id int);\n\nCREATE TABLE b (id int,, x int);\n",
			want: "bad.sql:3:"},
		{name: "copy", file: "copy.sql", content: "CREATE TABLE a (id int);\nCOPY a FROM '/etc/hostname';\n",
			want: "copy.sql:2:1: COPY is not allowed in schema files"},
		{name: "missing object", file: "missing.sql", content: "CREATE TABLE a (id int REFERENCES nowhere (id));\n",
			want: `missing.sql:1:1: creating table public.a: relation "nowhere" does not exist`},
		{name: "unsupported kind", file: "search.sql", content: "CREATE TABLE a (id int);\nCREATE TEXT SEARCH CONFIGURATION my_search (COPY = english);\n",
			want: "search.sql:2:1: text search configuration public.my_search"},
		{name: "publication of all tables", file: "pub.sql", content: "CREATE TABLE a (id int);\nCREATE PUBLICATION everything FOR ALL TABLES;\n",
			want: "pub.sql:2:1: publication everything: FOR ALL TABLES is not supported in schema files: it needs superuser rights"},
		{name: "server-wide object", file: "role.sql", content: "CREATE ROLE someone;\n",
			want: "role.sql:1:1: CREATE ROLE is not allowed in schema files"},
		{name: "schema path missing", args: []string{"plan", "--db", db, "--schema", filepath.Join(dir, "nope.sql")},
			want: "nope.sql"},
		{name: "unreachable database", file: "ok.sql", content: "CREATE TABLE a (id int);\n",
			args: []string{"plan", "--db", "postgres://nobody@127.0.0.1:1/none?connect_timeout=2", "--schema", "OK"},
			want: "connecting to database"},
		{name: "no database", file: "ok2.sql", content: "CREATE TABLE a (id int);\n",
			args: []string{"plan", "--schema", "OK", "--db", ""}, want: "no database"},
	}
	t.Setenv("DATABASE_URL", "")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var path string
			if tc.file != "" {
				path = writeFile(t, dir, tc.file, tc.content)
			}
			args := tc.args
			if args == nil {
				args = []string{"plan", "--db", db, "--schema", path}
			}
			for i, a := range args {
				if a == "OK" {
					args[i] = path
				}
			}
			for _, cmd := range []string{"plan", "check"} {
				args[0] = cmd
				r := runCLI(t, args...)
				if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
					t.Errorf("%s: exit %d, stderr %q; want exit 2 and %q", cmd, r.code, r.stderr, tc.want)
				}
			}
		})
	}
	if d := cmp.Diff(before, snapshot(t, db)); d != "" {
		t.Fatalf("bad input changed the database:\n%s", d)
	}
}

// Data statements in schema files run while the schema is loaded into the
// scratch database, in written order, and are reported; the plan holds only
// structure.
func TestDataStatementsRunOnlyInScratch(t *testing.T) {
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, `CREATE TABLE log (msg text); INSERT INTO log VALUES ('kept');`)
	path := writeFile(t, t.TempDir(), "seed.sql", `CREATE TABLE log (msg text, at timestamptz);
CREATE VIEW recent AS SELECT msg FROM log;
CREATE FUNCTION into_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO log (msg) VALUES (NEW.msg); RETURN NEW; END $$;
CREATE TRIGGER recent_insert INSTEAD OF INSERT ON recent FOR EACH ROW EXECUTE FUNCTION into_log();
INSERT INTO recent VALUES ('through the trigger');
DELETE FROM log WHERE msg = 'kept';
`)
	r := runCLI(t, "plan", "--db", db, "--schema", path, "--format", "sql")
	if r.code != 0 {
		t.Fatalf("plan: exit %d, stderr %s", r.code, r.stderr)
	}
	if want := "warning: 2 data statement(s)"; !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "seed.sql:6:1 (INSERT statement)") {
		t.Errorf("stderr %q; want %q naming seed.sql:6:1", r.stderr, want)
	}
	if strings.Contains(r.stdout, "INSERT INTO recent") || strings.Contains(r.stdout, "DELETE FROM") || !strings.Contains(r.stdout, "ADD COLUMN at") {
		t.Errorf("plan should add the column and hold no data statements:\n%s", r.stdout)
	}
}

func TestInspectRoundTrip(t *testing.T) {
	db := pgtest.NewDB(t)
	schemaFile := writeFile(t, t.TempDir(), "schema.sql", `
CREATE TABLE customers (id int PRIMARY KEY, "Display Name" text NOT NULL);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int REFERENCES customers (id), note text);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE SCHEMA "Sales Team";
CREATE TYPE "Sales Team".stage AS ENUM ('lead', 'won', 'it''s lost');
CREATE TABLE "Sales Team".deals (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, stage "Sales Team".stage, amount numeric(10,2) CHECK (amount > 0));
COMMENT ON COLUMN "Sales Team".deals.amount IS 'in EUR; never negative';
CREATE AGGREGATE total (int) (sfunc = int4pl, stype = int, initcond = '0');
CREATE TEXT SEARCH CONFIGURATION not_managed (COPY = english);
`)
	pgtest.Exec(t, db, mustRead(t, schemaFile))
	r := runCLI(t, "inspect", "--db", db)
	if r.code != 0 {
		t.Fatalf("inspect exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "text search configuration public.not_managed") {
		t.Errorf("inspect does not warn about the object it cannot print: %q", r.stderr)
	}
	fresh := pgtest.NewDB(t)
	pgtest.Exec(t, fresh, r.stdout)
	pgtest.Exec(t, fresh, `CREATE TEXT SEARCH CONFIGURATION not_managed (COPY = english)`)
	if d := cmp.Diff(snapshot(t, db), snapshot(t, fresh)); d != "" {
		t.Fatalf("inspect output does not rebuild the database (-orig +rebuilt):\n%s\n%s", d, r.stdout)
	}
}

func TestUnsupportedObjectsAreReportedAndKept(t *testing.T) {
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, `CREATE TABLE t (id int); CREATE TEXT SEARCH DICTIONARY my_dict (TEMPLATE = simple);
		CREATE FUNCTION same(int, int) RETURNS bool LANGUAGE sql AS 'SELECT $1 = $2';
		CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = same);
		CREATE TEXT SEARCH CONFIGURATION my_search (COPY = english);`)
	schemaFile := writeFile(t, t.TempDir(), "schema.sql", "CREATE TABLE t (id int);\n"+
		"CREATE FUNCTION same(int, int) RETURNS bool LANGUAGE sql AS 'SELECT $1 = $2';\n")
	r := runCLI(t, "plan", "--db", db, "--schema", schemaFile)
	if r.code != 0 {
		t.Fatalf("plan exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"text search dictionary public.my_dict", "operator public.===", "text search configuration public.my_search"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("warning lacks %q: %s", want, r.stderr)
		}
	}
	if strings.TrimSpace(r.stdout) != "" {
		t.Errorf("plan touches unsupported objects:\n%s", r.stdout)
	}
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestGenerateApplyRollback walks the whole path: generate a migration from
// an edited schema (current state replayed from the migrations directory),
// compile and apply the migrations package, check, status, roll back.
func TestGenerateApplyRollback(t *testing.T) {
	root, work := moduleWorkDir(t)
	if out, err := exec.Command("cp", "-r", filepath.Join(root, "examples/shop"), work).CombinedOutput(); err != nil {
		t.Fatalf("copying example: %v %s", err, out)
	}
	shop := filepath.Join(work, "shop")
	schemaDir, migDir := filepath.Join(shop, "schema"), filepath.Join(shop, "migrations")
	db := pgtest.NewDB(t)

	if r := runCLI(t, "apply", "--db", db, "--dir", migDir); r.code != 0 {
		t.Fatalf("apply committed migrations: exit %d: %s", r.code, r.stderr)
	}
	if r := runCLI(t, "generate", "--schema", schemaDir, "--dir", migDir); r.code != 0 || r.stdout != "" {
		t.Fatalf("generate without changes: exit %d, wrote %q: %s", r.code, r.stdout, r.stderr)
	}
	writeFile(t, schemaDir, "reviews.sql", mustRead(t, filepath.Join(root, "examples/shop/edit/reviews.sql")))
	gen := runCLI(t, "generate", "--schema", schemaDir, "--dir", migDir, "--name", "Add reviews!")
	if gen.code != 0 {
		t.Fatalf("generate: exit %d: %s", gen.code, gen.stderr)
	}
	file := strings.TrimSpace(gen.stdout)
	if !strings.HasSuffix(file, "_add_reviews.go") {
		t.Fatalf("generated file name %q", file)
	}
	src := mustRead(t, file)
	if out, err := exec.Command("gofmt", "-l", file).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("generated file is not gofmt-clean: %s %v", out, err)
	}
	for _, want := range []string{"Parent:  \"", "CREATE TABLE public.reviews", "// HAZARD deletes-data"} {
		if !strings.Contains(src, want) {
			t.Errorf("generated file lacks %q:\n%s", want, src)
		}
	}
	if r := runCLI(t, "check", "--dir", migDir, "--schema", schemaDir); r.code != 0 {
		t.Fatalf("check of the migrations directory after generate: exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, "check", "--db", db, "--schema", schemaDir); r.code != 1 {
		t.Fatalf("check before apply: exit %d, want 1", r.code)
	}
	if r := runCLI(t, "apply", "--db", db, "--dir", migDir); r.code != 0 {
		t.Fatalf("apply: exit %d: %s", r.code, r.stderr)
	}
	if r := runCLI(t, "check", "--db", db, "--schema", schemaDir); r.code != 0 {
		t.Fatalf("check after apply: exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	st := runCLI(t, "status", "--db", db, "--dir", migDir)
	if st.code != 0 || strings.Count(st.stdout, "applied") < 2 {
		t.Fatalf("status: exit %d:\n%s%s", st.code, st.stdout, st.stderr)
	}
	if r := runCLI(t, "rollback", "--db", db, "--dir", migDir, "--steps", "1"); r.code != 0 {
		t.Fatalf("rollback: exit %d: %s", r.code, r.stderr)
	}
	if r := runCLI(t, "check", "--db", db, "--schema", filepath.Join(root, "examples/shop/schema")); r.code != 0 {
		t.Fatalf("after rollback the database should match the original schema: exit %d: %s", r.code, r.stdout)
	}
	if r := runCLI(t, "apply", "--db", "postgres://nobody@127.0.0.1:1/x?connect_timeout=2", "--dir", migDir); r.code != 2 {
		t.Fatalf("apply to an unreachable database: exit %d, want 2", r.code)
	}
}

func TestGenerateRefusesHazardsAndUnverifiableMigrations(t *testing.T) {
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, `CREATE TABLE t (a int, c int, legacy text)`)
	dir := t.TempDir()
	migDir := filepath.Join(dir, "migrations")
	files := func() []string {
		m, _ := filepath.Glob(filepath.Join(migDir, "*_*.go"))
		return m
	}

	dropping := writeFile(t, dir, "drop.sql", "CREATE TABLE t (a int, c int);\n")
	r := runCLI(t, "generate", "--db", db, "--schema", dropping, "--dir", migDir)
	if r.code != 2 || !strings.Contains(r.stderr, "deletes-data: drops column public.t.legacy") ||
		!strings.Contains(r.stderr, "--allow-hazards deletes-data") || len(files()) != 0 {
		t.Fatalf("hazardous plan: exit %d, stderr %q, files %v", r.code, r.stderr, files())
	}
	r = runCLI(t, "generate", "--db", db, "--schema", dropping, "--dir", migDir, "--allow-hazards", "deletes-data")
	if r.code != 0 || len(files()) != 1 {
		t.Fatalf("allowed hazard: exit %d, stderr %q", r.code, r.stderr)
	}
	if src := mustRead(t, files()[0]); !strings.Contains(src, "// Verified in a scratch database") {
		t.Errorf("generated file does not say it was verified:\n%s", src)
	}
	os.Remove(files()[0])

	// A table others inherit from is not rebuilt, so a column cannot go
	// between its existing ones: the result never equals the desired schema,
	// and verification must refuse to write the file.
	pgtest.Exec(t, db, "CREATE TABLE base (a int, c int); CREATE TABLE child (x int) INHERITS (base)")
	middle := writeFile(t, dir, "middle.sql", "CREATE TABLE t (a int, c int, legacy text);\n"+
		"CREATE TABLE base (a int, b int, c int);\nCREATE TABLE child (x int) INHERITS (base);\n")
	r = runCLI(t, "generate", "--db", db, "--schema", middle, "--dir", migDir, "--allow-hazards", "all")
	if r.code != 2 || !strings.Contains(r.stderr, "verifying the migration: Up") || len(files()) != 0 {
		t.Fatalf("unverifiable plan: exit %d, stderr %q, files %v", r.code, r.stderr, files())
	}
	r = runCLI(t, "generate", "--db", db, "--schema", middle, "--dir", migDir, "--no-verify", "--allow-hazards", "all")
	if r.code != 0 || len(files()) != 1 || !strings.Contains(mustRead(t, files()[0]), "Not verified") {
		t.Fatalf("--no-verify: exit %d, stderr %q, files %v", r.code, r.stderr, files())
	}
}

// TestGoStructSchema plans from Go structs with schemadiff tags, applies the
// plan, and finds the database in sync afterwards.
func TestGoStructSchema(t *testing.T) {
	db := pgtest.NewDB(t)
	models := "../../examples/structs/models"
	r := runCLI(t, "plan", "--db", db, "--schema", models)
	if r.code != 0 {
		t.Fatalf("plan exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"CREATE TABLE public.orgs", "CREATE TABLE public.users", "REFERENCES public.orgs(id) ON DELETE CASCADE",
		"CREATE UNIQUE INDEX users_org_email_idx", "COMMENT ON TABLE public.orgs IS 'Organisations that own users'"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("plan lacks %q:\n%s", want, r.stdout)
		}
	}
	pgtest.Exec(t, db, r.stdout)
	if r := runCLI(t, "check", "--db", db, "--schema", models); r.code != 0 {
		t.Fatalf("check after applying: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestFiltersAndNoPrivileges: excluded schemas and tables, and privileges
// under --no-privileges, are neither planned nor touched.
func TestFiltersAndNoPrivileges(t *testing.T) {
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, `CREATE SCHEMA legacy; CREATE TABLE legacy.old (id int); CREATE VIEW legacy.v AS SELECT 1 AS one;
		CREATE TABLE t (id int); CREATE TABLE audit_log (id int); GRANT SELECT ON t TO PUBLIC;`)
	schemaFile := writeFile(t, t.TempDir(), "schema.sql", "CREATE TABLE t (id int);\n")
	r := runCLI(t, "plan", "--db", db, "--schema", schemaFile)
	for _, want := range []string{"DROP TABLE legacy.old", "DROP TABLE public.audit_log", "REVOKE SELECT ON TABLE public.t FROM PUBLIC"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("unfiltered plan lacks %q:\n%s", want, r.stdout)
		}
	}
	r = runCLI(t, "plan", "--db", db, "--schema", schemaFile, "--exclude-schema", "legacy", "--exclude", "audit_*", "--no-privileges")
	if r.code != 0 || strings.TrimSpace(r.stdout) != "" {
		t.Fatalf("filtered plan: exit %d, want an empty plan:\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestInjectionAttemptsStayData: names, comments and defaults written to
// break out of their quoting are created as data, never run as SQL.
func TestInjectionAttemptsStayData(t *testing.T) {
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, "CREATE TABLE keep (id int)")
	schemaFile := writeFile(t, t.TempDir(), "schema.sql", `CREATE TABLE keep (id int);
CREATE TABLE "x""; DROP TABLE keep; --" (
    "a'; DROP TABLE keep; --" text DEFAULT 'x''; DROP TABLE keep; --',
    "b\\" text DEFAULT E'back\\slash $$ dollar',
    c text DEFAULT $q$'); DROP TABLE keep; --$q$
);
COMMENT ON TABLE "x""; DROP TABLE keep; --" IS 'it''s; DROP TABLE keep; -- $$ \ ';
CREATE TYPE "e'; DROP TABLE keep; --" AS ENUM ('v''; DROP TABLE keep; --');
`)
	r := runCLI(t, "plan", "--db", db, "--schema", schemaFile)
	if r.code != 0 {
		t.Fatalf("plan: exit %d: %s", r.code, r.stderr)
	}
	pgtest.Exec(t, db, r.stdout)
	if c := runCLI(t, "check", "--db", db, "--schema", schemaFile); c.code != 0 {
		t.Fatalf("check after applying: exit %d:\n%s%s\nplan was:\n%s", c.code, c.stdout, c.stderr, r.stdout)
	}
	pgtest.Exec(t, db, "SELECT * FROM keep") // still there
}

func TestMigrationsDirProblems(t *testing.T) {
	db := pgtest.NewDB(t)
	dir := t.TempDir()
	writeFile(t, dir, "20260101000000_a.go", "package migrations\n")
	writeFile(t, dir, "20260101000000_b.go", "package migrations\n")
	r := runCLI(t, "apply", "--db", db, "--dir", dir)
	if r.code != 2 || !strings.Contains(r.stderr, "have the same version 20260101000000") {
		t.Fatalf("duplicate versions: exit %d, stderr %q", r.code, r.stderr)
	}
	outside := t.TempDir() // not inside any Go module
	writeFile(t, outside, "20260101000000_a.go", "package migrations\n")
	r = runCLI(t, "apply", "--db", db, "--dir", outside)
	if r.code != 2 || !strings.Contains(r.stderr, "go mod init") {
		t.Fatalf("outside a module: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestRebuildKeepsRows: reaching a column order PostgreSQL cannot reach in
// place rebuilds the table; its rows, identity and serial positions survive.
func TestRebuildKeepsRows(t *testing.T) {
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, `CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, n serial, name text NOT NULL);
		INSERT INTO t (name) VALUES ('a'), ('b'), ('c');`)
	schemaFile := writeFile(t, t.TempDir(), "schema.sql",
		"CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, n serial, note text, name text NOT NULL);\n")
	r := runCLI(t, "plan", "--db", db, "--schema", schemaFile)
	if r.code != 0 || !strings.Contains(r.stdout, "HAZARD rewrites-table: rebuilds table public.t") {
		t.Fatalf("plan: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	pgtest.Exec(t, db, r.stdout)
	if c := runCLI(t, "check", "--db", db, "--schema", schemaFile); c.code != 0 {
		t.Fatalf("check after the rebuild: exit %d:\n%s%s", c.code, c.stdout, c.stderr)
	}
	pgtest.Exec(t, db, `INSERT INTO t (name) VALUES ('d');
		DO $$ BEGIN
			IF (SELECT string_agg(id || ':' || n || ':' || name, ',' ORDER BY id) FROM t) <> '1:1:a,2:2:b,3:3:c,4:4:d' THEN
				RAISE EXCEPTION 'rows changed: %', (SELECT string_agg(id || ':' || n || ':' || name, ',' ORDER BY id) FROM t);
			END IF;
		END $$;`)
}

// TestRolesOfTheTargetAreKnown: schema files may grant to roles that exist
// on the target server; the embedded scratch server learns them.
func TestRolesOfTheTargetAreKnown(t *testing.T) {
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, `DO $$ BEGIN CREATE ROLE "Report Reader"; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
		CREATE TABLE t (id int);`)
	schemaFile := writeFile(t, t.TempDir(), "schema.sql", "CREATE TABLE t (id int);\nGRANT SELECT ON t TO \"Report Reader\";\n")
	r := runCLI(t, "plan", "--db", db, "--schema", schemaFile)
	if r.code != 0 || !strings.Contains(r.stdout, `GRANT SELECT ON TABLE public.t TO "Report Reader"`) {
		t.Fatalf("plan: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	missing := writeFile(t, t.TempDir(), "schema.sql", "CREATE TABLE t (id int);\nGRANT SELECT ON t TO nobody_has_this_role;\n")
	r = runCLI(t, "plan", "--db", db, "--schema", missing)
	if r.code != 2 || !strings.Contains(r.stderr, `role "nobody_has_this_role" does not exist`) {
		t.Fatalf("grant to a missing role: exit %d, stderr %q", r.code, r.stderr)
	}
}

// Without a database, the embedded server gets the roles the schema and
// the migrations name, so a schema with grants can be checked and
// generated against a migrations directory alone.
func TestRolesWithoutADatabase(t *testing.T) {
	schemaFile := writeFile(t, t.TempDir(), "schema.sql", "CREATE TABLE t (id int);\nGRANT SELECT ON t TO \"only in the schema\";\n")
	r := runCLI(t, "check", "--dir", t.TempDir(), "--schema", schemaFile)
	if r.code != 1 || !strings.Contains(r.stderr, "drift") {
		t.Fatalf("check --dir: exit %d, stderr %q; want exit 1 (drift)", r.code, r.stderr)
	}
}

// moduleWorkDir returns the module's root and a new directory inside it,
// removed after the test: migrations packages compile only inside the
// module. The go tool must be on PATH.
func moduleWorkDir(t *testing.T) (root, work string) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("the go tool is needed to compile migrations")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	work, err = os.MkdirTemp(root, ".e2e-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(work) })
	return root, work
}
