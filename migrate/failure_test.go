package migrate

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
)

// statusJSONOf runs status --format json and decodes it.
func statusJSONOf(t *testing.T, set *Set, url string) []map[string]any {
	t.Helper()
	code, stdout, stderr := runMain(t, set, url, "status", "--format", "json")
	if code != ExitOK && code != ExitMigrationFailed {
		t.Fatalf("status --format json: exit %d\n%s", code, stderr)
	}
	var js []map[string]any
	if err := json.Unmarshal([]byte(stdout), &js); err != nil {
		t.Fatalf("status json: %v\n%s", err, stdout)
	}
	return js
}

// wantIn reports each of wants missing from text.
func wantIn(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

func TestMainRecordsFailedMigration(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	ms := threeMigrations()
	ms[1].Up = []Step{SQL("CREATE TABLE orders (id bigint)"), SQL("INSERT INTO no_such_table VALUES (1)")}
	set := newSet(ms...)

	code, _, stderr := runMain(t, set, url, "apply")
	if code != ExitMigrationFailed {
		t.Fatalf("apply: exit %d, want %d\n%s", code, ExitMigrationFailed, stderr)
	}
	wantIn(t, "apply stderr", stderr, "schemadiff: migration "+v2+" (create_orders): step 2 failed: INSERT INTO no_such_table VALUES (1)")
	if relExists(t, conn, "orders") || !relExists(t, conn, "users") {
		t.Error("want users kept and the failed migration's orders gone")
	}
	if got := historyVersions(t, conn); !slices.Equal(got, []string{v1}) {
		t.Errorf("history = %v", got)
	}

	code, stdout, stderr := runMain(t, set, url, "status")
	if code != ExitMigrationFailed || statusState(stdout, v2) != "failed" || statusState(stdout, v3) != "pending" {
		t.Errorf("status: exit %d, want %d\n%s%s", code, ExitMigrationFailed, stdout, stderr)
	}
	wantIn(t, "status stdout", stdout, "migration "+v2+" (create_orders) failed: applying it failed at step 2 of 2 at ",
		`INSERT INTO no_such_table VALUES (1): ERROR: relation "no_such_table" does not exist (SQLSTATE 42P01)`)
	wantIn(t, "status stderr", stderr, "3 migrations, 2 pending, 1 failed", "needs attention: "+v2+" (failed)")

	js := statusJSONOf(t, set, url)
	f, _ := js[1]["failure"].(map[string]any)
	if js[1]["state"] != "failed" || f == nil || f["step"] != 2.0 || f["dirty"] != false || f["direction"] != "up" ||
		!strings.Contains(f["error"].(string), `relation "no_such_table" does not exist`) {
		t.Errorf("status json entry = %v", js[1])
	}
	if _, ok := js[0]["failure"]; ok {
		t.Errorf("applied migration has a failure: %v", js[0])
	}

	st, err := NewMigrator(conn, set, Options{}).Status(t.Context())
	if err != nil || st[1].State() != "failed" || st[1].Failure == nil || st[1].Failure.Step != 2 || st[1].Failure.Dirty ||
		!strings.Contains(st[1].Failure.Error, "no_such_table") {
		t.Fatalf("Status = %+v, %v", st, err)
	}

	// A transactional migration is not dirty: apply simply tries again.
	if code, _, stderr = runMain(t, set, url, "apply"); code != ExitMigrationFailed || strings.Contains(stderr, "dirty") {
		t.Errorf("second apply: exit %d\n%s", code, stderr)
	}

	// A failed rollback of an applied migration is shown, but it stays applied.
	ms[1].Up = threeMigrations()[1].Up
	ms[2].Down = []Step{SQL("ALTER TABLE users DROP COLUMN nope")}
	set = newSet(ms...)
	if code, _, stderr = runMain(t, set, url, "apply"); code != ExitOK || !strings.Contains(stderr, "applied 2 migrations") {
		t.Fatalf("apply of the fixed migration: exit %d\n%s", code, stderr)
	}
	if code, _, stderr = runMain(t, set, url, "rollback"); code != ExitMigrationFailed {
		t.Fatalf("failing rollback: exit %d\n%s", code, stderr)
	}
	code, stdout, _ = runMain(t, set, url, "status")
	if code != ExitOK || statusState(stdout, v2) != "applied" || statusState(stdout, v3) != "applied" {
		t.Errorf("status after the fix and a failed rollback:\n%s", stdout)
	}
	wantIn(t, "status stdout", stdout, "migration "+v3+" (add_nickname) failed: rolling it back failed at step 1 of 1")
	if strings.Contains(stdout, "migration "+v2) {
		t.Errorf("status still shows the old failure of %s:\n%s", v2, stdout)
	}
	var n int
	if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM schemadiff_migrations_failures WHERE version = $1", v2).Scan(&n); err != nil || n != 0 {
		t.Errorf("the success of %s did not clear its failure (%d rows, %v)", v2, n, err)
	}
}

// dirtyMigrations returns v1 and a v2 whose steps run without a transaction
// and whose step 2 fails until a table gate exists.
func dirtyMigrations() []Migration {
	ms := threeMigrations()
	ms[1].Up = []Step{
		SQLNoTx("CREATE TABLE orders (id bigint)"),
		SQLNoTx("INSERT INTO gate VALUES (1)"),
		SQLNoTx("CREATE INDEX CONCURRENTLY orders_id ON orders (id)"),
	}
	return ms
}

func TestDirtyMigrationResolvedAsApplied(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	ctx := t.Context()
	set := newSet(dirtyMigrations()...)

	code, _, stderr := runMain(t, set, url, "apply")
	if code != ExitMigrationFailed {
		t.Fatalf("apply: exit %d\n%s", code, stderr)
	}
	wantIn(t, "apply stderr", stderr,
		"schemadiff: migration "+v2+" (create_orders): step 2 failed: INSERT INTO gate VALUES (1): ERROR: relation \"gate\" does not exist",
		"steps 1-1 stay applied and it is recorded as dirty",
		"succeeded and stayed applied: step 1\n", "failed: step 2\n", "not run: step 3\n",
		"resolve --version "+v2+" --applied", "resolve --version "+v2+" --pending")
	if !relExists(t, conn, "orders") || relExists(t, conn, "orders_id") {
		t.Error("want step 1's table and not step 3's index")
	}
	if got := historyVersions(t, conn); !slices.Equal(got, []string{v1}) {
		t.Errorf("history = %v", got)
	}

	code, stdout, stderr := runMain(t, set, url, "status")
	if code != ExitMigrationFailed || statusState(stdout, v2) != "dirty" {
		t.Errorf("status: exit %d, want %d\n%s%s", code, ExitMigrationFailed, stdout, stderr)
	}
	wantIn(t, "status stdout", stdout, "is dirty: it runs without a transaction and applying it failed at step 2 of 3",
		`relation "gate" does not exist`, "resolve --version "+v2+" --applied")
	js := statusJSONOf(t, set, url)
	if f, _ := js[1]["failure"].(map[string]any); js[1]["state"] != "dirty" || f == nil || f["dirty"] != true || f["step"] != 2.0 || f["steps"] != 3.0 {
		t.Errorf("status json entry = %v", js[1])
	}

	// Apply and rollback refuse to run.
	_, err := NewMigrator(conn, set, Options{}).Apply(ctx, "")
	var de *DirtyError
	if !errors.As(err, &de) || len(de.Failures) != 1 || de.Failures[0].Version != v2 || de.Failures[0].Step != 2 || !de.Failures[0].Dirty {
		t.Fatalf("Apply = %v, want a *DirtyError for %s step 2", err, v2)
	}
	for _, cmd := range []string{"apply", "rollback"} {
		code, _, stderr = runMain(t, set, url, cmd)
		if code != ExitMigrationFailed {
			t.Errorf("%s of a dirty database: exit %d, want %d\n%s", cmd, code, ExitMigrationFailed, stderr)
		}
		wantIn(t, cmd+" stderr", stderr, "schemadiff: migration "+v2+" (create_orders) is dirty", "apply and rollback refuse to run until it is resolved")
	}
	if got := historyVersions(t, conn); !slices.Equal(got, []string{v1}) || !relExists(t, conn, "users") {
		t.Errorf("history = %v after refusals", got)
	}

	// Finish the migration by hand and record it as applied.
	for _, q := range []string{"CREATE TABLE gate (x int)", "INSERT INTO gate VALUES (1)", "CREATE INDEX orders_id ON orders (id)"} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	code, _, stderr = runMain(t, set, url, "resolve", "--version", v2, "--applied")
	if code != ExitOK {
		t.Fatalf("resolve: exit %d\n%s", code, stderr)
	}
	wantIn(t, "resolve stderr", stderr, "recorded migration "+v2+" as applied; it was dirty: applying it failed at step 2 of 3")
	code, stdout, _ = runMain(t, set, url, "status")
	if code != ExitOK || statusState(stdout, v2) != "applied" || statusState(stdout, v3) != "pending" {
		t.Errorf("status after resolve:\n%s", stdout)
	}
	if code, _, stderr = runMain(t, set, url, "apply"); code != ExitOK || !strings.Contains(stderr, "applied 1 migration\n") {
		t.Fatalf("apply after resolve: exit %d\n%s", code, stderr)
	}
	if got := historyVersions(t, conn); !slices.Equal(got, []string{v1, v2, v3}) {
		t.Errorf("history = %v", got)
	}
	assertNoFailures(t, conn)
}

func TestDirtyMigrationResolvedAsPending(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	ctx := t.Context()
	ms := dirtyMigrations()[:2]
	ms[1].Down = []Step{SQLNoTx("DROP INDEX CONCURRENTLY orders_id"), SQLNoTx("DROP TABLE no_such_table"), SQLNoTx("DROP TABLE orders")}
	set := newSet(ms...)
	exec := func(q string) {
		t.Helper()
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}

	if code, _, stderr := runMain(t, set, url, "apply"); code != ExitMigrationFailed {
		t.Fatalf("apply: exit %d\n%s", code, stderr)
	}
	// Undo step 1 by hand and record the migration as pending: apply then
	// runs it from the start.
	exec("DROP TABLE orders")
	code, _, stderr := runMain(t, set, url, "resolve", "--version", v2, "--pending")
	if code != ExitOK || !strings.Contains(stderr, "recorded migration "+v2+" as pending; it was dirty") {
		t.Fatalf("resolve --pending: exit %d\n%s", code, stderr)
	}
	if code, stdout, _ := runMain(t, set, url, "status"); code != ExitOK || statusState(stdout, v2) != "pending" {
		t.Errorf("status after resolve:\n%s", stdout)
	}
	exec("CREATE TABLE gate (x int)")
	if code, _, stderr = runMain(t, set, url, "apply"); code != ExitOK {
		t.Fatalf("apply after resolve: exit %d\n%s", code, stderr)
	}
	if got := historyVersions(t, conn); !slices.Equal(got, []string{v1, v2}) || !relExists(t, conn, "orders_id") {
		t.Fatalf("history = %v, or the index is missing", got)
	}
	assertNoFailures(t, conn)

	// A rollback without a transaction that fails partway is dirty too.
	code, _, stderr = runMain(t, set, url, "rollback")
	if code != ExitMigrationFailed {
		t.Fatalf("rollback: exit %d\n%s", code, stderr)
	}
	wantIn(t, "rollback stderr", stderr, "rolling back migration "+v2+" (create_orders): step 2 failed: DROP TABLE no_such_table",
		"succeeded (what they undo is undone): step 1\n", "if you finished rolling it back (steps 2-3 of its Down steps): resolve --version "+v2+" --pending")
	js := statusJSONOf(t, set, url)
	if f, _ := js[1]["failure"].(map[string]any); js[1]["state"] != "dirty" || js[1]["applied"] != true || f == nil || f["direction"] != "down" {
		t.Errorf("status json entry = %v", js[1])
	}
	if code, _, _ = runMain(t, set, url, "apply"); code != ExitMigrationFailed {
		t.Errorf("apply with a dirty rollback: exit %d", code)
	}
	exec("DROP TABLE orders")
	if err := NewMigrator(conn, set, Options{}).Resolve(ctx, v2, false); err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	if got := historyVersions(t, conn); !slices.Equal(got, []string{v1}) {
		t.Errorf("history = %v", got)
	}
	assertNoFailures(t, conn)

	if code, _, stderr = runMain(t, set, url, "resolve", "--version", "20991231000000", "--pending"); code != ExitError ||
		!strings.Contains(stderr, "no migration has that version") {
		t.Errorf("resolve of an unknown version: exit %d\n%s", code, stderr)
	}
	assertUnlocked(t, conn)
}

// TestOldHistoryTable checks that a history table written before failures
// were recorded keeps working: status reads it, apply adds the failures
// table.
func TestOldHistoryTable(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	ms := threeMigrations()
	for _, q := range []string{
		"CREATE TABLE public.schemadiff_migrations (version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), duration_ms bigint NOT NULL, checksum text NOT NULL)",
		"CREATE TABLE users (id bigint PRIMARY KEY)",
	} {
		if _, err := conn.Exec(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.Exec(t.Context(), "INSERT INTO schemadiff_migrations (version, name, duration_ms, checksum) VALUES ($1, $2, 1, $3)",
		v1, ms[0].Name, ms[0].Checksum()); err != nil {
		t.Fatal(err)
	}
	m := NewMigrator(conn, newSet(ms...), Options{})
	st, err := m.Status(t.Context())
	if err != nil || st[0].State() != "applied" || st[1].State() != "pending" {
		t.Fatalf("Status = %+v, %v", st, err)
	}
	if applied, err := m.Apply(t.Context(), ""); err != nil || len(applied) != 2 {
		t.Fatalf("Apply = %v, %v", versions(applied), err)
	}
	if !relExists(t, conn, "schemadiff_migrations_failures") {
		t.Error("Apply did not create the failures table")
	}
}
