package migrate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// connectAs connects to url with the given application_name.
func connectAs(t *testing.T, url, app string) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["application_name"] = app
	conn, err := pgx.ConnectConfig(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// holdSnapshot opens, on a connection of its own named app, a REPEATABLE
// READ transaction that has read table, so it holds a snapshot (and an
// ACCESS SHARE lock on table) until release is called. It returns the
// backend's pid.
func holdSnapshot(t *testing.T, url, app, table string) (pid int, release func()) {
	t.Helper()
	conn := connectAs(t, url, app)
	if err := conn.QueryRow(t.Context(), "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	tx, err := conn.BeginTx(t.Context(), pgx.TxOptions{IsoLevel: pgx.RepeatableRead})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(t.Context(), "SELECT FROM "+pgx.Identifier{table}.Sanitize()+" LIMIT 1"); err != nil {
		t.Fatal(err)
	}
	released := false
	release = func() {
		if !released {
			released = true
			if err := tx.Commit(context.Background()); err != nil {
				t.Errorf("ending the long transaction: %v", err)
			}
		}
	}
	t.Cleanup(release)
	return pid, release
}

// indexState returns "missing", "valid" or "INVALID" for index name.
func indexState(t *testing.T, conn *pgx.Conn, name string) string {
	t.Helper()
	var valid bool
	err := conn.QueryRow(t.Context(), invalidIndexSQL, name).Scan(&valid)
	switch {
	case err == pgx.ErrNoRows:
		return "missing"
	case err != nil:
		t.Fatal(err)
	case valid:
		return "valid"
	}
	return "INVALID"
}

// TestProcessOnlineIndexRetried runs the runner on a migration whose only
// step builds an index CONCURRENTLY while another transaction holds an older
// snapshot, which the build waits for. With retries exhausted, the INVALID
// index is dropped and the migration stays pending, not dirty; when the
// transaction ends in time, a retry builds a valid index.
func TestProcessOnlineIndexRetried(t *testing.T) {
	t.Parallel()
	url := testDBURL(t)
	buildRunner(t)
	conn := connect(t, url)
	const v = "20260201000001"
	for _, q := range []string{
		"CREATE TABLE cic_t (v int)",
		"INSERT INTO cic_t SELECT g FROM generate_series(1, 1000) g",
		"CREATE TABLE cic_other (id int)",
	} {
		if _, err := conn.Exec(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}

	// Retries exhausted: the transaction outlives every attempt.
	holder, release := holdSnapshot(t, url, "snapshot-holder", "cic_other")
	began := time.Now()
	code, _, stderr := runRunner(t, "cic", "apply", "--db", url, "--ddl-lock-timeout", "300ms", "--ddl-lock-retries", "2")
	t.Logf("exhausted after %s (exit %d):\n%s", time.Since(began).Round(time.Millisecond), code, stderr)
	if code != ExitMigrationFailed {
		t.Errorf("apply with the snapshot held: exit %d, want %d", code, ExitMigrationFailed)
	}
	for _, want := range []string{
		"attempt 1/3 failed, next in", "attempt 2/3 failed, next in",
		"dropped the INVALID index \"public\".\"cic_t_v\" it left",
		"CREATE INDEX CONCURRENTLY waits for every transaction that was writing to the table or held a snapshot",
		"it waited for the end of virtual transaction",
		fmt.Sprintf(`held by pid %d (application "snapshot-holder"; idle in transaction`, holder),
		"(gave up after 3 attempts)",
		"step 1 left nothing behind: the INVALID index \"public\".\"cic_t_v\" it left was dropped; the migration stays pending",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	if strings.Contains(stderr, "another session held a conflicting lock") || strings.Contains(stderr, "is dirty") {
		t.Errorf("stderr blames a lock or reports a dirty migration")
	}
	if st := indexState(t, conn, "public.cic_t_v"); st != "missing" {
		t.Errorf("index cic_t_v is %s after the failed build, want it dropped", st)
	}
	code, stdout, stderr := runRunner(t, "cic", "status", "--db", url)
	if state := statusState(stdout, v); code != ExitMigrationFailed || state != "failed" { // status exits 1 for a failed migration
		t.Errorf("status after the failed build: state %q (want failed, not dirty), exit %d\n%s%s", state, code, stdout, stderr)
	}

	// The transaction ends during the retries: the build succeeds.
	release()
	_, release = holdSnapshot(t, url, "snapshot-holder", "cic_other")
	go func() {
		time.Sleep(2500 * time.Millisecond)
		release()
	}()
	began = time.Now()
	code, _, stderr = runRunner(t, "cic", "apply", "--db", url, "--ddl-lock-timeout", "500ms")
	took := time.Since(began)
	t.Logf("succeeded after %s (exit %d):\n%s", took.Round(time.Millisecond), code, stderr)
	if code != ExitOK || !strings.Contains(stderr, "dropped the INVALID index \"public\".\"cic_t_v\" it left; attempt 1/6 failed") ||
		!strings.Contains(stderr, "applied 1 migration") {
		t.Errorf("apply with a snapshot held for 2.5s: exit %d", code)
	}
	if took < 2500*time.Millisecond {
		t.Errorf("apply took %s, less than the snapshot was held", took)
	}
	if st := indexState(t, conn, "public.cic_t_v"); st != "valid" {
		t.Errorf("index cic_t_v is %s, want valid", st)
	}
	if got := historyVersions(t, conn); !slices.Equal(got, []string{v}) {
		t.Errorf("history = %v", got)
	}
	assertNoFailures(t, conn)
}

// cicSetup creates table cic_t with rows and table cic_other.
func cicSetup(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	for _, q := range []string{
		"CREATE TABLE cic_t (v int)",
		"INSERT INTO cic_t SELECT g FROM generate_series(1, 1000) g",
		"CREATE TABLE cic_other (id int)",
	} {
		if _, err := conn.Exec(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
}

// TestOnlineIndexLaterStep builds an index concurrently as step 2 of a
// migration without a transaction: when the build gives up, its INVALID
// index is dropped, but step 1 stayed applied, so the migration is dirty and
// its guidance says that step 2 left nothing behind.
func TestOnlineIndexLaterStep(t *testing.T) {
	t.Parallel()
	url := testDBURL(t)
	conn := connect(t, url)
	cicSetup(t, conn)
	ms := []Migration{{Version: v1, Name: "online",
		Up: []Step{
			SQL("CREATE TABLE cic_first (id int)"),
			SQLCreateIndexConcurrently("public", "cic_t_v", "CREATE INDEX CONCURRENTLY cic_t_v ON cic_t (v)"),
		}}}
	_, release := holdSnapshot(t, url, "snapshot-holder", "cic_other")
	_, err := NewMigrator(conn, newSet(ms...), Options{DDLLockTimeout: 200 * time.Millisecond, DDLLockRetries: 1,
		DDLLockRetryWait: 100 * time.Millisecond}).Apply(t.Context(), "")
	me, ok := errors.AsType[*MigrationError](err)
	if !ok || me.Step != 2 || me.Attempts != 2 || !me.LeftNothing || me.InvalidIndex != "" || !me.Dirty() {
		t.Fatalf("Apply = %v (%+v), want a dirty failure at step 2 after 2 attempts that left nothing behind", err, me)
	}
	wantIn(t, "error", err.Error(), "steps 1-1 stay applied and it is recorded as dirty",
		`step 2 left nothing behind: the INVALID index "public"."cic_t_v" it left was dropped`)
	if st := indexState(t, conn, "public.cic_t_v"); st != "missing" {
		t.Errorf("index is %s, want dropped", st)
	}
	release()
	_, err = NewMigrator(conn, newSet(ms...), Options{}).Apply(t.Context(), "")
	if _, ok := errors.AsType[*DirtyError](err); !ok {
		t.Fatalf("Apply after a dirty failure = %v, want a *DirtyError", err)
	}
	if strings.Contains(err.Error(), "INVALID index") {
		t.Errorf("guidance mentions an INVALID index that does not exist:\n%v", err)
	}
}

// TestOnlineIndexUndoBlocked has the old snapshot read the indexed table
// itself: DROP INDEX CONCURRENTLY then waits for it too, so the INVALID
// index stays and the migration is dirty, with guidance to drop it; the
// guidance, followed, leads to a successful apply.
func TestOnlineIndexUndoBlocked(t *testing.T) {
	t.Parallel()
	url := testDBURL(t)
	conn := connect(t, url)
	cicSetup(t, conn)
	ms := []Migration{{Version: v1, Name: "online",
		Up: []Step{SQLCreateIndexConcurrently("public", "cic_t_v", "CREATE INDEX CONCURRENTLY cic_t_v ON cic_t (v)")}}}
	var logs strings.Builder
	opts := Options{DDLLockTimeout: 200 * time.Millisecond, DDLLockRetries: 1, DDLLockRetryWait: 100 * time.Millisecond,
		Logf: func(format string, args ...any) { fmt.Fprintf(&logs, format+"\n", args...) }}
	_, release := holdSnapshot(t, url, "snapshot-holder", "cic_t")
	_, err := NewMigrator(conn, newSet(ms...), opts).Apply(t.Context(), "")
	me, ok := errors.AsType[*MigrationError](err)
	if !ok || !me.Dirty() || me.InvalidIndex != `"public"."cic_t_v"` {
		t.Fatalf("Apply = %v (%+v), want a dirty failure leaving the INVALID index", err, me)
	}
	wantIn(t, "log", logs.String(), `the INVALID index "public"."cic_t_v" it left could not be dropped yet; attempt 1/2 failed`)
	wantIn(t, "error", err.Error(), `step 1 left the INVALID index "public"."cic_t_v", which could not be dropped: drop it with DROP INDEX CONCURRENTLY IF EXISTS "public"."cic_t_v"`)
	if st := indexState(t, conn, "public.cic_t_v"); st != "INVALID" {
		t.Fatalf("index is %s, want INVALID", st)
	}
	release()

	m := NewMigrator(conn, newSet(ms...), opts)
	_, err = m.Apply(t.Context(), "")
	if _, ok := errors.AsType[*DirtyError](err); !ok {
		t.Fatalf("Apply after a dirty failure = %v, want a *DirtyError", err)
	}
	wantIn(t, "guidance", err.Error(), `first drop the INVALID index "public"."cic_t_v" that step 1's CREATE INDEX CONCURRENTLY left: DROP INDEX CONCURRENTLY IF EXISTS "public"."cic_t_v";`)
	st, err := m.Status(t.Context())
	if err != nil || st[0].Failure == nil || st[0].Failure.InvalidIndex != `"public"."cic_t_v"` {
		t.Errorf("Status = %+v, %v; want the INVALID index in the failure", st, err)
	}

	if _, err := conn.Exec(t.Context(), `DROP INDEX CONCURRENTLY IF EXISTS "public"."cic_t_v"`); err != nil {
		t.Fatal(err)
	}
	if err := m.Resolve(t.Context(), v1, false); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Apply(t.Context(), ""); err != nil {
		t.Fatalf("Apply after following the guidance: %v", err)
	}
	if st := indexState(t, conn, "public.cic_t_v"); st != "valid" {
		t.Errorf("index is %s, want valid", st)
	}
}

// TestOnlineIndexOtherFailure builds a unique index over duplicates: the
// build fails (not a timeout), its INVALID index is dropped, it is not
// retried, and the migration stays pending.
func TestOnlineIndexOtherFailure(t *testing.T) {
	t.Parallel()
	url := testDBURL(t)
	conn := connect(t, url)
	cicSetup(t, conn)
	if _, err := conn.Exec(t.Context(), "INSERT INTO cic_t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	ms := []Migration{{Version: v1, Name: "online",
		Up: []Step{SQLCreateIndexConcurrently("", "cic_t_v", "CREATE UNIQUE INDEX CONCURRENTLY cic_t_v ON cic_t (v)")}}}
	m := NewMigrator(conn, newSet(ms...), Options{})
	_, err := m.Apply(t.Context(), "")
	me, ok := errors.AsType[*MigrationError](err)
	if !ok || me.Dirty() || me.Attempts != 1 || !me.LeftNothing {
		t.Fatalf("Apply = %v (%+v), want a pending failure after one attempt", err, me)
	}
	wantIn(t, "error", err.Error(), "could not create unique index", `the INVALID index "cic_t_v" it left was dropped; the migration stays pending`)
	if st := indexState(t, conn, "cic_t_v"); st != "missing" {
		t.Errorf("index is %s, want dropped", st)
	}
	st, err := m.Status(t.Context())
	if err != nil || st[0].State() != "failed" {
		t.Errorf("Status = %+v, %v; want failed", st, err)
	}
}

// TestLockRetryPolicy checks how the runner's and a migration's settings
// combine, and the bounds of the backoff.
func TestLockRetryPolicy(t *testing.T) {
	m := NewMigrator(nil, NewSet(), Options{})
	p := m.retryPolicy(Migration{}, m.timeouts(Migration{}))
	if p.lockTimeout != DefaultDDLLockTimeout || p.retries != DefaultDDLLockRetries || p.firstWait != DefaultDDLLockRetryWait {
		t.Errorf("default policy = %+v", p)
	}
	for _, tc := range []struct {
		name    string
		opts    Options
		mig     Migration
		retries int
	}{
		{"runner off", Options{DDLLockTimeout: -1}, Migration{}, 0},
		{"migration off", Options{}, Migration{LockTimeout: -1}, 0},
		{"runner no retries", Options{DDLLockRetries: -1}, Migration{}, 0},
		{"migration wins", Options{DDLLockRetries: -1}, Migration{LockRetries: 2}, 2},
		{"migration no retries", Options{DDLLockRetries: 7}, Migration{LockRetries: -1}, 0},
		{"runner", Options{DDLLockRetries: 7}, Migration{}, 7},
	} {
		m := NewMigrator(nil, NewSet(), tc.opts)
		if p := m.retryPolicy(tc.mig, m.timeouts(tc.mig)); p.retries != tc.retries {
			t.Errorf("%s: retries = %d, want %d", tc.name, p.retries, tc.retries)
		}
	}
	for n := 1; n <= 8; n++ {
		full := min(p.firstWait<<(n-1), maxRetryWait)
		for range 20 {
			if w := p.wait(n); w < full/2 || w > full {
				t.Fatalf("wait(%d) = %s, want within [%s, %s]", n, w, full/2, full)
			}
		}
	}
}

// TestLockFlags checks the lock timeout and retry flags of apply and
// rollback: defaults, 0 meaning off, and misuse.
func TestLockFlags(t *testing.T) {
	env := func(string) string { return "postgres://x/y" }
	c, err := parseArgs([]string{"apply"}, env)
	if err != nil || c.ddlTimeout != DefaultDDLLockTimeout || c.ddlRetries != DefaultDDLLockRetries {
		t.Errorf("defaults = %s, %d, %v", c.ddlTimeout, c.ddlRetries, err)
	}
	c, err = parseArgs([]string{"rollback", "--ddl-lock-timeout", "0", "--ddl-lock-retries", "0"}, env)
	if err != nil || offIfZero(c.ddlTimeout) != -1 || offIfZero(c.ddlRetries) != -1 {
		t.Errorf("0 = %s, %d, %v; want both off", c.ddlTimeout, c.ddlRetries, err)
	}
	for _, args := range [][]string{
		{"status", "--ddl-lock-retries", "3"},
		{"apply", "--ddl-lock-retries", "-1"},
		{"apply", "--ddl-lock-timeout", "-1s"},
	} {
		if _, err := parseArgs(args, env); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
}
