package migrate

import (
	"context"
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
	if state := statusState(stdout, v); code != ExitOK || state != "failed" {
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
