package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

// TestGenerateApplyEnumValueUsed: a migration that adds an enum value and
// uses it (a default, a check, a partial index) is verified by generate and
// applied by the runner, and so is its Down, which adds back a value the Up
// removed; the rows survive both ways.
func TestGenerateApplyEnumValueUsed(t *testing.T) {
	root, work := moduleWorkDir(t)
	migDir := filepath.Join(work, "migrations")
	caseDir := filepath.Join(root, "testdata/cases/enum_value_added_and_used")
	from, to := filepath.Join(caseDir, "from.sql"), filepath.Join(caseDir, "to.sql")
	db := pgtest.NewDB(t)

	if r := runCLI(t, "generate", "--schema", from, "--dir", migDir, "--name", "orders"); r.code != 0 {
		t.Fatalf("generate the first migration: exit %d: %s", r.code, r.stderr)
	}
	if r := runCLI(t, "apply", "--db", db, "--dir", migDir); r.code != 0 {
		t.Fatalf("apply the first migration: exit %d: %s", r.code, r.stderr)
	}
	pgtest.Exec(t, db, mustRead(t, filepath.Join(caseDir, "data.sql")))

	gen := runCLI(t, "generate", "--schema", to, "--dir", migDir, "--name", "shipped", "--allow-hazards", "all")
	if gen.code != 0 {
		t.Fatalf("generate: exit %d: %s", gen.code, gen.stderr)
	}
	src := mustRead(t, strings.TrimSpace(gen.stdout))
	for _, want := range []string{
		"migrate.SQLCommitFirst(`ALTER TYPE public.status ADD VALUE IF NOT EXISTS 'shipped' AFTER 'paid'`)",
		"migrate.SQLCommitFirst(`ALTER TYPE public.priority ADD VALUE IF NOT EXISTS 'urgent' AFTER 'high'`)",
		"// Verified in a scratch database",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("generated file lacks %q:\n%s", want, src)
		}
	}
	rows := `SELECT string_agg(id || ':' || s || ':' || p, ',' ORDER BY id) FROM orders`
	wantRows := func(want string) {
		t.Helper()
		if got := queryString(t, db, rows); got != want {
			t.Errorf("rows = %q, want %q", got, want)
		}
	}
	if r := runCLI(t, "apply", "--db", db, "--dir", migDir); r.code != 0 {
		t.Fatalf("apply: exit %d: %s", r.code, r.stderr)
	}
	if r := runCLI(t, "check", "--db", db, "--schema", to); r.code != 0 {
		t.Fatalf("check after apply: exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	pgtest.Exec(t, db, "INSERT INTO orders (id) VALUES (4)")
	wantRows("1:new:low,2:paid:normal,3:paid:high,4:shipped:normal")
	pgtest.Exec(t, db, "UPDATE orders SET s = 'paid' WHERE id = 4")

	if r := runCLI(t, "rollback", "--db", db, "--dir", migDir); r.code != 0 {
		t.Fatalf("rollback: exit %d: %s", r.code, r.stderr)
	}
	if r := runCLI(t, "check", "--db", db, "--schema", from); r.code != 0 {
		t.Fatalf("check after rollback: exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	pgtest.Exec(t, db, "INSERT INTO orders (id, s) VALUES (5, 'new')")
	wantRows("1:new:low,2:paid:normal,3:paid:high,4:paid:normal,5:new:urgent")
	pgtest.Exec(t, db, "DELETE FROM orders WHERE id = 5")
	if r := runCLI(t, "apply", "--db", db, "--dir", migDir); r.code != 0 {
		t.Fatalf("apply after rollback: exit %d: %s", r.code, r.stderr)
	}
}

func queryString(t *testing.T, url, sql string) string {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var s string
	if err := conn.QueryRow(t.Context(), sql).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}

// TestGenerateVerifiesOverloadReplacement: replacing next_sku() by
// next_sku(prefix text DEFAULT 'SKU'), called by a default, a check and a
// view, yields a migration that verifies, Up and Down, in one transaction.
func TestGenerateVerifiesOverloadReplacement(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	caseDir := filepath.Join(root, "testdata/cases/function_overload_ambiguous_default")
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, mustRead(t, filepath.Join(caseDir, "from.sql")))
	pgtest.Exec(t, db, mustRead(t, filepath.Join(caseDir, "data.sql")))
	migDir := filepath.Join(t.TempDir(), "migrations")
	r := runCLI(t, "generate", "--db", db, "--schema", filepath.Join(caseDir, "to.sql"), "--dir", migDir, "--allow-hazards", "all")
	if r.code != 0 {
		t.Fatalf("generate: exit %d: %s", r.code, r.stderr)
	}
	if src := mustRead(t, strings.TrimSpace(r.stdout)); !strings.Contains(src, "// Verified in a scratch database") {
		t.Errorf("generated file does not say it was verified:\n%s", src)
	}
}
