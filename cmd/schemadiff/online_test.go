package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

// TestOnlineIndexNeedsNoHazardAndIsRetried generates an online migration
// that adds an index to an existing table: it carries no hazard, so it is
// written without --allow-hazards. Applied while an older transaction holds
// a snapshot the build waits for, it fails cleanly and stays pending (its
// INVALID index dropped); applied again once that transaction ended, it
// builds a valid index.
func TestOnlineIndexNeedsNoHazardAndIsRetried(t *testing.T) {
	_, work := moduleWorkDir(t)
	migDir := filepath.Join(work, "migrations")
	dir := t.TempDir()
	db := pgtest.NewDB(t)
	table := writeFile(t, dir, "table.sql", "CREATE TABLE t (v int);\nCREATE TABLE other (id int);\n")
	if r := runCLI(t, "generate", "--schema", table, "--dir", migDir, "--name", "t", "--no-verify"); r.code != 0 {
		t.Fatalf("generate the table: exit %d: %s", r.code, r.stderr)
	}
	if r := runCLI(t, "apply", "--db", db, "--dir", migDir); r.code != 0 {
		t.Fatalf("apply the table: exit %d: %s", r.code, r.stderr)
	}
	pgtest.Exec(t, db, "INSERT INTO t SELECT g FROM generate_series(1, 1000) g")

	indexed := writeFile(t, dir, "indexed.sql", "CREATE TABLE t (v int);\nCREATE INDEX t_v ON t (v);\nCREATE TABLE other (id int);\n")
	gen := runCLI(t, "generate", "--online", "--schema", indexed, "--dir", migDir, "--name", "index_t")
	if gen.code != 0 {
		t.Fatalf("generate --online without --allow-hazards: exit %d: %s", gen.code, gen.stderr)
	}
	src := mustRead(t, strings.TrimSpace(gen.stdout))
	if !strings.Contains(src, "migrate.SQLCreateIndexConcurrently(\"public\", \"t_v\", `CREATE INDEX CONCURRENTLY t_v ON public.t USING btree (v)`)") ||
		strings.Contains(src, "HAZARD") {
		t.Errorf("generated online migration:\n%s", src)
	}

	holder, err := pgx.Connect(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close(context.Background())
	tx, err := holder.BeginTx(t.Context(), pgx.TxOptions{IsoLevel: pgx.RepeatableRead})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(t.Context(), "SELECT FROM other"); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "apply", "--db", db, "--dir", migDir, "--ddl-lock-timeout", "300ms", "--ddl-lock-retries", "1")
	if r.code != 1 || !strings.Contains(r.stderr, "attempt 1/2 failed") || !strings.Contains(r.stderr, "the migration stays pending") {
		t.Errorf("apply while a snapshot is held: exit %d, want 1:\n%s", r.code, r.stderr)
	}
	if got := queryString(t, db, "SELECT count(*)::text FROM pg_class WHERE relname = 't_v'"); got != "0" {
		t.Errorf("%s indexes t_v after the failed build, want none", got)
	}
	if err := tx.Commit(t.Context()); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, "apply", "--db", db, "--dir", migDir); r.code != 0 {
		t.Fatalf("apply after the snapshot ended: exit %d: %s", r.code, r.stderr)
	}
	if got := queryString(t, db, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'public.t_v'::regclass"); got != "true" {
		t.Errorf("index t_v valid = %s", got)
	}
}
