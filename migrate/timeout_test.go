package migrate

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// showSetting returns the session's value of a setting.
func showSetting(t *testing.T, conn *pgx.Conn, name string) string {
	t.Helper()
	var v string
	if err := conn.QueryRow(t.Context(), "SELECT current_setting($1)", name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// wantTimeoutError checks that err is a *MigrationError at step with the
// given timeout and SQLSTATE.
func wantTimeoutError(t *testing.T, err error, step int, timeout string, value time.Duration, code string) {
	t.Helper()
	var me *MigrationError
	if !errors.As(err, &me) || me.Step != step || me.Timeout != timeout || me.TimeoutValue != value {
		t.Fatalf("error = %v (%+v), want a %s of %s at step %d", err, me, timeout, value, step)
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != code {
		t.Errorf("error does not unwrap to SQLSTATE %s: %v", code, err)
	}
}

func TestStatementTimeout(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	ctx := t.Context()
	slow := Migration{Version: v1, Name: "slow",
		Up:   []Step{SQL("CREATE TABLE slow_a (id int)"), SQL("SELECT pg_sleep(1)")},
		Down: []Step{SQL("DROP TABLE slow_a")}}

	began := time.Now()
	_, err := NewMigrator(conn, newSet(slow), Options{StatementTimeout: 100 * time.Millisecond}).Apply(ctx, "")
	if elapsed := time.Since(began); elapsed > 900*time.Millisecond {
		t.Errorf("Apply took %s; the statement timeout did not stop pg_sleep(1)", elapsed)
	}
	wantTimeoutError(t, err, 2, "statement_timeout", 100*time.Millisecond, "57014")
	wantIn(t, "error", err.Error(), "migration "+v1+" (slow): step 2 failed: SELECT pg_sleep(1): statement_timeout (100ms) fired")
	if relExists(t, conn, "slow_a") || len(historyVersions(t, conn)) != 0 {
		t.Error("the timed out migration left changes")
	}
	if got := showSetting(t, conn, "statement_timeout"); got != "0" {
		t.Errorf("statement_timeout leaked out of the transaction: %s", got)
	}
	st, err := NewMigrator(conn, newSet(slow), Options{}).Status(ctx)
	if err != nil || st[0].State() != "failed" || !strings.Contains(st[0].Failure.Error, "statement_timeout (100ms) fired") {
		t.Errorf("Status = %+v, %v", st, err)
	}

	// Through Main.
	code, _, stderr := runMain(t, newSet(slow), url, "apply", "--statement-timeout", "100ms")
	if code != ExitMigrationFailed || !strings.Contains(stderr, "step 2 failed: SELECT pg_sleep(1): statement_timeout (100ms) fired") {
		t.Errorf("apply --statement-timeout 100ms: exit %d\n%s", code, stderr)
	}

	// The migration's own timeout wins over the runner's, and a negative one
	// turns it off.
	ms := []Migration{slow, {Version: v2, Name: "slower", Parent: v1,
		Up: []Step{SQL("SELECT pg_sleep(0.3)")}, StatementTimeout: -1}}
	ms[0].StatementTimeout = 5 * time.Second
	if _, err := NewMigrator(conn, newSet(ms...), Options{StatementTimeout: 100 * time.Millisecond}).Apply(ctx, ""); err != nil {
		t.Fatalf("Apply with the migrations' own timeouts: %v", err)
	}

	// Without a transaction the timeout is set for the session and restored.
	if _, err := conn.Exec(ctx, "SET statement_timeout = '7s'"); err != nil {
		t.Fatal(err)
	}
	ms = append(ms, Migration{Version: v3, Name: "notx", Parent: v2, StatementTimeout: 100 * time.Millisecond,
		Up: []Step{SQLNoTx("SELECT pg_sleep(0.01)"), SQLNoTx("SELECT pg_sleep(1)")}})
	_, err = NewMigrator(conn, newSet(ms...), Options{}).Apply(ctx, "")
	wantTimeoutError(t, err, 2, "statement_timeout", 100*time.Millisecond, "57014")
	if got := showSetting(t, conn, "statement_timeout"); got != "7s" {
		t.Errorf("statement_timeout after a migration without a transaction = %s, want 7s restored", got)
	}
}

func TestDDLLockTimeout(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	ms := threeMigrations()
	if _, err := NewMigrator(conn, newSet(ms[0]), Options{}).Apply(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	holder := connect(t, url)
	tx, err := holder.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.Background())
	if _, err := tx.Exec(t.Context(), "LOCK TABLE users IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	ms[1].Up = []Step{SQL("CREATE TABLE t2 (id int)"), SQL("ALTER TABLE users ADD COLUMN x int")}
	// Without the lock timeout Apply would wait for the holder: bound it.
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()

	for _, tc := range []struct {
		name string
		own  time.Duration
		opts Options
	}{
		{"migration", 200 * time.Millisecond, Options{DDLLockTimeout: time.Hour, DDLLockRetries: -1}},
		{"runner", 0, Options{DDLLockTimeout: 200 * time.Millisecond, DDLLockRetries: -1}},
	} {
		ms[1].LockTimeout = tc.own
		began := time.Now()
		_, err := NewMigrator(conn, newSet(ms[:2]...), tc.opts).Apply(ctx, "")
		if elapsed := time.Since(began); elapsed > 3*time.Second {
			t.Errorf("%s: Apply waited %s for the lock", tc.name, elapsed)
		}
		wantTimeoutError(t, err, 2, "lock_timeout", 200*time.Millisecond, "55P03")
		wantIn(t, tc.name+" error", err.Error(),
			"migration "+v2+" (create_orders): step 2 failed: ALTER TABLE users ADD COLUMN x int: lock_timeout (200ms) fired: another session held a conflicting lock")
		if relExists(t, conn, "t2") {
			t.Errorf("%s: step 1 of the timed out migration was kept", tc.name)
		}
		if got := showSetting(t, conn, "lock_timeout"); got != "0" {
			t.Errorf("%s: lock_timeout leaked out of the transaction: %s", tc.name, got)
		}
	}
	ms[1].LockTimeout = 0
	code, _, stderr := runMain(t, newSet(ms[:2]...), url, "apply", "--ddl-lock-timeout", "200ms", "--ddl-lock-retries", "0", "--lock-timeout", "10s")
	if code != ExitMigrationFailed || !strings.Contains(stderr, "ALTER TABLE users ADD COLUMN x int: lock_timeout (200ms) fired") {
		t.Errorf("apply --ddl-lock-timeout 200ms: exit %d\n%s", code, stderr)
	}

	if err := tx.Rollback(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := NewMigrator(conn, newSet(ms[:2]...), Options{DDLLockTimeout: 200 * time.Millisecond}).Apply(ctx, ""); err != nil {
		t.Fatalf("Apply once the lock is free: %v", err)
	}
}
