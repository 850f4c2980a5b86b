package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/internal/pipeline"
)

// unreachableDB is a database URL nothing answers at: a command that used
// it would fail.
const unreachableDB = "postgres://nobody@127.0.0.1:1/nowhere?connect_timeout=2"

// buildCLI compiles the schemadiff command into a temporary directory and
// returns a function running it with extra environment variables (on top
// of the test's environment, without DATABASE_URL unless given).
func buildCLI(t *testing.T) func(env []string, args ...string) result {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "schemadiff")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building schemadiff: %v\n%s", err, out)
	}
	return func(env []string, args ...string) result {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, args...)
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, databaseURLEnv+"=") {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		cmd.Env = append(cmd.Env, env...)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		code := 0
		if ee, ok := errors.AsType[*exec.ExitError](err); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("running schemadiff %s: %v", strings.Join(args, " "), err)
		}
		return result{code, out.String(), errOut.String()}
	}
}

func withDB(url string) []string { return []string{databaseURLEnv + "=" + url} }

// migrationFiles lists the migration files of dir.
func migrationFiles(t *testing.T, dir string) []string {
	t.Helper()
	md, err := pipeline.ReadMigrationsDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return md.Versions
}

// TestDatabaseURLDoesNotChangeDir: with DATABASE_URL exported, generate
// and check --dir still compare with the migrations directory, whether the
// variable points nowhere or at a real database that differs; check
// without --dir and the runner commands still use it.
func TestDatabaseURLDoesNotChangeDir(t *testing.T) {
	cli := buildCLI(t)
	_, work := moduleWorkDir(t)
	migDir := filepath.Join(work, "migrations")
	dev := pgtest.NewDB(t) // scratch databases are made on the test server
	schemaDir := filepath.Join(work, "schema")
	writeFile(t, schemaDir, "a.sql", "CREATE TABLE a (id int PRIMARY KEY);\n")

	// A first migration, generated with DATABASE_URL pointing nowhere.
	r := cli(withDB(unreachableDB), "generate", "--schema", schemaDir, "--dir", migDir, "--name", "a", "--dev-url", dev)
	if r.code != 0 || len(migrationFiles(t, migDir)) != 1 {
		t.Fatalf("generate with an unreachable DATABASE_URL: exit %d, files %v:\n%s", r.code, migrationFiles(t, migDir), r.stderr)
	}
	if !strings.Contains(r.stderr, "generate does not use $DATABASE_URL") {
		t.Errorf("generate does not say it leaves $DATABASE_URL aside: %q", r.stderr)
	}
	if r := cli(withDB(unreachableDB), "check", "--dir", migDir, "--schema", schemaDir, "--dev-url", dev); r.code != 0 {
		t.Fatalf("check --dir with an unreachable DATABASE_URL: exit %d, want 0 (in sync):\n%s%s", r.code, r.stdout, r.stderr)
	}

	// A real database that differs from the directory: the migration
	// above is pending there, and it holds a table the schema lacks.
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, "CREATE TABLE other (x int)")
	if r := cli(withDB(db), "check", "--dir", migDir, "--schema", schemaDir, "--dev-url", dev); r.code != 0 {
		t.Fatalf("check --dir with DATABASE_URL at a differing database: exit %d, want 0 (the directory is in sync):\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := cli(withDB(db), "check", "--schema", schemaDir, "--dev-url", dev); r.code != 1 || !strings.Contains(r.stdout, "DROP TABLE public.other") {
		t.Fatalf("check without --dir must compare with $DATABASE_URL: exit %d, want 1:\n%s%s", r.code, r.stdout, r.stderr)
	}
	writeFile(t, schemaDir, "b.sql", "CREATE TABLE b (id int PRIMARY KEY);\n")
	r = cli(withDB(db), "generate", "--schema", schemaDir, "--dir", migDir, "--name", "b", "--dev-url", dev)
	if r.code != 0 || len(migrationFiles(t, migDir)) != 2 {
		t.Fatalf("generate with DATABASE_URL at a differing database: exit %d:\n%s", r.code, r.stderr)
	}
	src := mustRead(t, strings.TrimSpace(r.stdout))
	if !strings.Contains(src, "CREATE TABLE public.b") || strings.Contains(src, "CREATE TABLE public.a") || strings.Contains(src, "other") {
		t.Fatalf("the second migration must create b alone, planned from the directory:\n%s", src)
	}

	if r := cli(nil, "check", "--dir", migDir, "--db", db, "--schema", schemaDir); r.code != 2 || !strings.Contains(r.stderr, "not both") {
		t.Fatalf("check --dir --db: exit %d, stderr %q; want 2, --db or --dir", r.code, r.stderr)
	}
	// The runner commands still take the database from the variable.
	if r := cli(withDB(db), "status", "--dir", migDir); r.code != 0 || strings.Count(r.stdout, "pending") != 2 {
		t.Fatalf("status with DATABASE_URL: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestGenerateRefusesLaggingDatabase: generate --db against a database
// that has not applied every migration of --dir names the pending ones and
// writes nothing; once they are applied it generates.
func TestGenerateRefusesLaggingDatabase(t *testing.T) {
	cli := buildCLI(t)
	_, work := moduleWorkDir(t)
	migDir := filepath.Join(work, "migrations")
	dev := pgtest.NewDB(t)
	schemaDir := filepath.Join(work, "schema")
	writeFile(t, schemaDir, "a.sql", "CREATE TABLE a (id int PRIMARY KEY);\n")
	if r := cli(nil, "generate", "--schema", schemaDir, "--dir", migDir, "--name", "a", "--dev-url", dev); r.code != 0 {
		t.Fatalf("generate a: exit %d:\n%s", r.code, r.stderr)
	}
	writeFile(t, schemaDir, "b.sql", "CREATE TABLE b (id int PRIMARY KEY);\n")
	if r := cli(nil, "generate", "--schema", schemaDir, "--dir", migDir, "--name", "b", "--dev-url", dev); r.code != 0 {
		t.Fatalf("generate b: exit %d:\n%s", r.code, r.stderr)
	}
	versions := migrationFiles(t, migDir)
	if len(versions) != 2 {
		t.Fatalf("migrations %v, want 2", versions)
	}
	db := pgtest.NewDB(t)
	if r := cli(nil, "apply", "--db", db, "--dir", migDir, "--to", versions[0]); r.code != 0 {
		t.Fatalf("apply --to %s: exit %d:\n%s", versions[0], r.code, r.stderr)
	}
	writeFile(t, schemaDir, "c.sql", "CREATE TABLE c (id int PRIMARY KEY);\n")
	r := cli(withDB(unreachableDB), "generate", "--db", db, "--schema", schemaDir, "--dir", migDir, "--name", "c", "--dev-url", dev)
	if r.code != 2 || !strings.Contains(r.stderr, versions[1]+" b (pending)") || strings.Contains(r.stderr, versions[0]) ||
		!strings.Contains(r.stderr, "apply them first") {
		t.Fatalf("generate --db on a lagging database: exit %d, stderr %q; want 2 naming %s b (pending)", r.code, r.stderr, versions[1])
	}
	if got := migrationFiles(t, migDir); len(got) != 2 {
		t.Fatalf("a migration was written although the database lags: %v", got)
	}
	if r := cli(nil, "apply", "--db", db, "--dir", migDir); r.code != 0 {
		t.Fatalf("apply: exit %d:\n%s", r.code, r.stderr)
	}
	r = cli(nil, "generate", "--db", db, "--schema", schemaDir, "--dir", migDir, "--name", "c", "--dev-url", dev)
	if r.code != 0 || len(migrationFiles(t, migDir)) != 3 {
		t.Fatalf("generate --db once the database is up to date: exit %d:\n%s", r.code, r.stderr)
	}
	if src := mustRead(t, strings.TrimSpace(r.stdout)); !strings.Contains(src, "CREATE TABLE public.c") || strings.Contains(src, "CREATE TABLE public.b") {
		t.Fatalf("the migration must create c alone:\n%s", src)
	}
}

// TestSeveralSchemaSources: --schema may be repeated; SQL files,
// directories and Go files merge into one desired state, and a name
// defined in two of them is an error naming both places.
func TestSeveralSchemaSources(t *testing.T) {
	cli := buildCLI(t)
	dev := pgtest.NewDB(t)
	db := pgtest.NewDB(t)
	dir := t.TempDir()
	aFile := writeFile(t, dir, "a.sql", "CREATE TABLE customers (id int PRIMARY KEY);\n")
	more := filepath.Join(dir, "more")
	writeFile(t, more, "orders.sql", "CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers (id));\n")
	writeFile(t, more, "models.go", "package models\n\n// schemadiff:table invoices\ntype Invoice struct {\n\tID int `schemadiff:\"id,pk\"`\n}\n")

	r := cli(nil, "plan", "--db", db, "--schema", aFile, "--schema", more, "--dev-url", dev)
	if r.code != 0 {
		t.Fatalf("plan with two sources: exit %d:\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"CREATE TABLE public.customers", "CREATE TABLE public.orders", "CREATE TABLE public.invoices"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("plan lacks %q:\n%s", want, r.stdout)
		}
	}
	pgtest.Exec(t, db, r.stdout)
	if r := cli(withDB(db), "check", "--schema", more, "--schema", aFile, "--dev-url", dev); r.code != 0 {
		t.Fatalf("check with the sources in the other order: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}

	dup := writeFile(t, dir, "dup/customers.sql", "-- again\nCREATE TABLE customers (id int PRIMARY KEY, name text);\n")
	r = cli(nil, "plan", "--db", unreachableDB, "--schema", aFile, "--schema", filepath.Dir(dup))
	if r.code != 2 || !strings.Contains(r.stderr, dup+":2:1: table public.customers is defined twice: here and at "+aFile+":1:1") {
		t.Fatalf("a table in two sources: exit %d, stderr %q; want 2 naming %s:2 and %s:1", r.code, r.stderr, dup, aFile)
	}
	goDup := writeFile(t, dir, "godup/orders.go", "package m\n\n// schemadiff:table orders\ntype Order struct {\n\tID int `schemadiff:\"id,pk\"`\n}\n")
	r = cli(nil, "plan", "--db", unreachableDB, "--schema", more, "--schema", filepath.Dir(goDup))
	if r.code != 2 || !strings.Contains(r.stderr, goDup+":4:") || !strings.Contains(r.stderr, filepath.Join(more, "orders.sql")+":1:1") {
		t.Fatalf("a table in SQL and in Go: exit %d, stderr %q", r.code, r.stderr)
	}
	r = cli(nil, "plan", "--db", unreachableDB, "--schema", more, "--schema", filepath.Join(more, "orders.sql"))
	if r.code != 2 || !strings.Contains(r.stderr, "is read twice") {
		t.Fatalf("one file through two sources: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestRepeatedFlagsAreErrors: a single-valued flag given twice is an error
// naming it, before anything runs; flags that collect values may repeat.
func TestRepeatedFlagsAreErrors(t *testing.T) {
	cli := buildCLI(t)
	schemaFile := writeFile(t, t.TempDir(), "schema.sql", "CREATE TABLE t (id int);\n")
	for _, c := range []struct {
		flag string
		args []string
	}{
		{"--db", []string{"plan", "--db", unreachableDB, "--db", "postgres://elsewhere/db", "--schema", schemaFile}},
		{"--dir", []string{"generate", "--schema", schemaFile, "--dir", "a", "--dir", "b"}},
		{"--dir", []string{"status", "--db", unreachableDB, "--dir=a", "--dir=b"}},
		{"--format", []string{"check", "--db", unreachableDB, "--schema", schemaFile, "--format", "sql", "--format", "json"}},
		{"--name", []string{"generate", "--schema", schemaFile, "--dir", "a", "--name", "x", "--name", "y"}},
		{"--dev-url", []string{"plan", "--db", unreachableDB, "--schema", schemaFile, "--dev-url", "a", "--dev-url", "b"}},
		{"--steps", []string{"rollback", "--db", unreachableDB, "--dir", "a", "--steps", "1", "--steps", "2"}},
		{"--verbose", []string{"-v", "plan", "--verbose"}},
	} {
		r := cli(nil, c.args...)
		if r.code != 2 || !strings.Contains(r.stderr, c.flag+" is given more than once") {
			t.Errorf("schemadiff %s: exit %d, stderr %q; want 2 naming %s", strings.Join(c.args, " "), r.code, r.stderr, c.flag)
		}
	}
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, "CREATE TABLE t (id int); CREATE TABLE keep1 (x int); CREATE TABLE keep2 (x int)")
	r := cli(nil, "check", "--db", db, "--schema", schemaFile, "--exclude", "keep1", "--exclude", "keep2")
	if r.code != 0 {
		t.Fatalf("--exclude given twice collects both: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestVersionFlag: the compiled binary's `version` and `--version` print
// the same line, with the Go release; `version` works next to a broken
// project file. Built from a clone of the checkout's HEAD with VCS stamping
// on (as make install does in a clone), the line names that commit.
func TestVersionFlag(t *testing.T) {
	cli := buildCLI(t)
	line := regexp.MustCompile(`^schemadiff (v\S+|\(devel\)( [0-9a-f]+(-dirty)?)?) \(commit ([0-9a-f]{40}(, modified)?|unknown), built with go\S+\)\n$`)
	flag := cli(nil, "--version")
	if flag.code != 0 || !line.MatchString(flag.stdout) {
		t.Fatalf("--version: exit %d, stdout %q, stderr %q, want %s", flag.code, flag.stdout, flag.stderr, line)
	}
	broken := filepath.Join(t.TempDir(), "schemadiff.toml")
	if err := os.WriteFile(broken, []byte("no_such_key = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := cli(nil, "version", "--config", broken)
	if cmd.code != 0 || cmd.stdout != flag.stdout {
		t.Fatalf("version: exit %d, stdout %q, stderr %q, want %q as --version prints it", cmd.code, cmd.stdout, cmd.stderr, flag.stdout)
	}

	head := strings.TrimSpace(gitOutput(t, ".", "rev-parse", "HEAD"))
	clone := filepath.Join(t.TempDir(), "clone")
	gitOutput(t, ".", "clone", "-q", "--no-checkout", "../..", clone)
	gitOutput(t, clone, "checkout", "-q", head)
	bin := filepath.Join(t.TempDir(), "schemadiff")
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, "./cmd/schemadiff")
	build.Dir = clone
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building schemadiff in a clone: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if want := "(commit " + head + ", built with go"; err != nil || !strings.Contains(string(out), want) {
		t.Fatalf("version of a build of commit %s: %q (%v), want it to contain %q", head, out, err, want)
	}
}

// gitOutput runs git in dir and returns its standard output.
func gitOutput(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s: %v", strings.Join(args, " "), err)
	}
	return string(out)
}

// TestSeveralEmptySources: the empty-schema check names every source.
func TestSeveralEmptySources(t *testing.T) {
	dir := t.TempDir()
	empty := writeFile(t, dir, "empty.sql", "-- nothing yet\n")
	emptyDir := filepath.Join(dir, "none")
	if err := os.MkdirAll(emptyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "plan", "--db", unreachableDB, "--schema", empty, "--schema", emptyDir)
	if r.code != 2 || !strings.Contains(r.stderr, "what was read from "+empty+", "+emptyDir+" defines no object") ||
		!strings.Contains(r.stderr, "directory "+emptyDir+" holds no .sql or .go files") ||
		!strings.Contains(r.stderr, empty+": no statements") {
		t.Fatalf("two empty sources: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestEmptySchemaPathIsRefused(t *testing.T) {
	schemaFile := writeFile(t, t.TempDir(), "schema.sql", "CREATE TABLE t (id int);\n")
	r := runCLI(t, "plan", "--db", unreachableDB, "--schema", schemaFile, "--schema", "")
	if r.code != 2 || !strings.Contains(r.stderr, `--schema "" names no file`) {
		t.Fatalf("--schema \"\": exit %d, stderr %q", r.code, r.stderr)
	}
}
