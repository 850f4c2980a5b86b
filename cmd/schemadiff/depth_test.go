package main

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

// deepSum is an expression of n terms, 1+1+...+1: a chain that overflows
// pg_query's stack when parsed unguarded (from about 23,800 terms with an
// 8 MB stack).
func deepSum(n int) string { return "1" + strings.Repeat("+1", n-1) }

// buildBinary compiles the command once for the test: a crash inside cgo
// kills the process, so only a real process shows that none happens.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "schemadiff")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building schemadiff: %v\n%s", err, out)
	}
	return bin
}

// runBinary runs the compiled command. A Go crash exits with 2 too, so the
// result says whether the output is a crash's.
func runBinary(t *testing.T, bin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.Env = append(cmd.Environ(), "DATABASE_URL=")
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("running schemadiff %s: %v", args[0], err)
	}
	r := result{code, out.String(), errOut.String()}
	for _, crash := range []string{"SIGSEGV", "signal arrived during cgo execution", "goroutine 1 ["} {
		if strings.Contains(r.stderr, crash) {
			t.Fatalf("schemadiff %s crashed:\n%.2000s", args[0], r.stderr)
		}
	}
	return r
}

// TestDeepExpressionInSchemaFile: a schema file holding an expression too
// deep to parse safely is an error naming the file, the line and the
// statement (exit 2), before any database is touched.
func TestDeepExpressionInSchemaFile(t *testing.T) {
	bin := buildBinary(t)
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, `CREATE TABLE keep (id int)`)
	before := snapshot(t, db)
	dir := t.TempDir()
	tests := []struct {
		name, content, want string
	}{
		{"column default", "CREATE TABLE keep (id int);\n\nCREATE TABLE t (\n  x int DEFAULT " + deepSum(30000) + "\n);\n",
			"deep.sql:4:"},
		{"nested parentheses", "CREATE TABLE keep (id int);\nCREATE VIEW v AS SELECT " + strings.Repeat("(", 9000) + "1" + strings.Repeat(")", 9000) + ";\n",
			"deep.sql:2:"},
		{"SQL function body", "CREATE TABLE keep (id int);\nCREATE FUNCTION deep() RETURNS int LANGUAGE sql AS 'SELECT " + deepSum(30000) + "';\n",
			"deep.sql:2:1: function public.deep"},
		{"PL/pgSQL function body", "CREATE TABLE keep (id int);\nCREATE FUNCTION deep() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN " + deepSum(30000) + ";\nEND\n$$;\n",
			"deep.sql:2:1: function public.deep"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := writeFile(t, dir, "deep.sql", tc.content)
			for _, cmd := range []string{"plan", "check"} {
				r := runBinary(t, bin, cmd, "--db", db, "--schema", file)
				if r.code != 2 || !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stderr, "nested too deeply") {
					t.Errorf("%s: exit %d, stderr %.500q; want exit 2 and %q", cmd, r.code, r.stderr, tc.want)
				}
				if len(r.stderr) > 2000 {
					t.Errorf("%s: the error quotes the expression (%d bytes)", cmd, len(r.stderr))
				}
			}
		})
	}
	if !t.Failed() {
		r := runBinary(t, bin, "plan", "--db", db, "--schema", filepath.Join(dir, "deep.sql"))
		if !strings.Contains(r.stderr, "CREATE FUNCTION deep") && !strings.Contains(r.stderr, "function public.deep") {
			t.Errorf("the error does not name the statement: %.500s", r.stderr)
		}
	}
	if d := cmp.Diff(before, snapshot(t, db)); d != "" {
		t.Fatalf("the deep schema changed the database:\n%s", d)
	}
}

// TestDeepFunctionBodyInDatabase: functions in the target database whose
// bodies are too deep to parse safely do not stop inspect, plan or check:
// each is named in a warning, and the plan's changes to it carry an
// untracked-dependency hazard.
func TestDeepFunctionBodyInDatabase(t *testing.T) {
	bin := buildBinary(t)
	db := pgtest.NewDB(t)
	// PostgreSQL itself refuses to analyse so deep a body: it is created
	// without the check, as anyone who can create a function may.
	pgtest.Exec(t, db, `CREATE TABLE keep (id int);
SET check_function_bodies = off;
CREATE FUNCTION deep_sql() RETURNS int LANGUAGE sql AS 'SELECT `+deepSum(30000)+`';
CREATE FUNCTION deep_plpgsql() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
	RETURN `+deepSum(30000)+`;
END
$$;`)
	before := snapshot(t, db)
	warnings := []string{"warning: the body of function public.deep_sql() could not be analysed",
		"warning: the body of function public.deep_plpgsql() could not be analysed"}

	r := runBinary(t, bin, "inspect", "--db", db)
	if r.code != 0 {
		t.Fatalf("inspect: exit %d: %.1000s", r.code, r.stderr)
	}
	for _, w := range warnings {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("inspect does not warn %q: %.1000s", w, r.stderr)
		}
	}
	for _, want := range []string{"CREATE OR REPLACE FUNCTION public.deep_sql()", "CREATE OR REPLACE FUNCTION public.deep_plpgsql()", "CREATE TABLE public.keep"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("inspect output lacks %q", want)
		}
	}

	dir := t.TempDir()
	drops := writeFile(t, dir, "keep.sql", "CREATE TABLE keep (id int);\n")
	r = runBinary(t, bin, "plan", "--db", db, "--schema", drops)
	if r.code != 0 {
		t.Fatalf("plan: exit %d: %.1000s", r.code, r.stderr)
	}
	for _, w := range warnings {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("plan does not warn %q: %.1000s", w, r.stderr)
		}
	}
	for _, fn := range []string{"public.deep_sql()", "public.deep_plpgsql()"} {
		if !hasHazardOn(r.stdout, "DROP FUNCTION "+fn, "untracked-dependency") {
			t.Errorf("plan: the drop of %s has no untracked-dependency hazard:\n%s", fn, r.stdout)
		}
	}

	r = runBinary(t, bin, "check", "--db", db, "--schema", drops)
	if r.code != 1 || !strings.Contains(r.stdout, "untracked-dependency") {
		t.Errorf("check: exit %d (want 1 for drift), stdout %.1000s, stderr %.1000s", r.code, r.stdout, r.stderr)
	}
	r = runBinary(t, bin, "check", "--db", db, "--schema", drops, "--format", "json")
	if r.code != 1 || !strings.Contains(r.stdout, `"untracked-dependency"`) {
		t.Errorf("check --format json: exit %d, stdout %.1000s", r.code, r.stdout)
	}

	// A desired state that keeps other functions: the deep ones are
	// still read, warned about and dropped with the hazard; unrelated
	// functions are analysed as usual.
	keepFn := writeFile(t, dir, "fn.sql", "CREATE TABLE keep (id int);\nCREATE FUNCTION n() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM keep';\n")
	r = runBinary(t, bin, "plan", "--db", db, "--schema", keepFn)
	if r.code != 0 || !strings.Contains(r.stdout, "CREATE OR REPLACE FUNCTION public.n()") || hasHazardOn(r.stdout, "CREATE OR REPLACE FUNCTION public.n()", "untracked-dependency") {
		t.Errorf("plan with another function: exit %d\n%s\n%.1000s", r.code, r.stdout, r.stderr)
	}

	if d := cmp.Diff(before, snapshot(t, db)); d != "" {
		t.Fatalf("inspect, plan or check changed the database:\n%s", d)
	}
}

// hasHazardOn reports whether the SQL plan carries a hazard of kind on the
// statement starting with stmt (hazards are comments right before it).
func hasHazardOn(plan, stmt, kind string) bool {
	lines := strings.Split(plan, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, stmt) {
			continue
		}
		for j := i - 1; j >= 0 && strings.HasPrefix(lines[j], "--"); j-- {
			if strings.Contains(lines[j], kind) {
				return true
			}
		}
	}
	return false
}

// TestDeepFunctionBodyInMigrations: a migration creating a function whose
// body is too deep to parse safely neither crashes the replay of the
// migrations nor the reading of their SQL for roles: check --dir warns
// and shows the hazard.
func TestDeepFunctionBodyInMigrations(t *testing.T) {
	bin := buildBinary(t)
	root, work := moduleWorkDir(t)
	if out, err := exec.Command("cp", "-r", filepath.Join(root, "examples/shop"), work).CombinedOutput(); err != nil {
		t.Fatalf("copying example: %v %s", err, out)
	}
	shop := filepath.Join(work, "shop")
	migDir := filepath.Join(shop, "migrations")
	writeFile(t, migDir, "20261201000000_deep.go", `package migrations

import "github.com/schemadiff/schemadiff/migrate"

func init() {
	Migrations.Add(migrate.Migration{
		Version: "20261201000000",
		Name:    "deep",
		Parent:  "20261122011326",
		Up: []migrate.Step{
			migrate.SQL(`+"`SET check_function_bodies = off`"+`),
			migrate.SQL(`+"`CREATE FUNCTION public.deep_sql() RETURNS int LANGUAGE sql AS 'SELECT "+deepSum(30000)+"'`"+`),
		},
		Down: []migrate.Step{
			migrate.SQL(`+"`DROP FUNCTION public.deep_sql()`"+`),
		},
	})
}
`)
	r := runBinary(t, bin, "check", "--dir", migDir, "--schema", filepath.Join(shop, "schema"))
	if r.code != 1 || !strings.Contains(r.stderr, "warning: the body of function public.deep_sql() could not be analysed") ||
		!hasHazardOn(r.stdout, "DROP FUNCTION public.deep_sql()", "untracked-dependency") {
		t.Errorf("check --dir: exit %d (want 1)\nstdout:\n%.2000s\nstderr:\n%.2000s", r.code, r.stdout, r.stderr)
	}
}
