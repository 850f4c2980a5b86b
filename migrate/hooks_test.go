package migrate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// hookKey marks the contexts the Before hooks return.
type hookKey struct{}

// TestHooks: against a real server, the hooks are called around each
// migration and each statement, in order, with the step, its SQL or
// function, the error of a failed statement and migration, durations, and
// the context the Before hook returned.
func TestHooks(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	ms := threeMigrations()
	ms[1].Up = append(ms[1].Up, Func(func(ctx context.Context, db DB) error {
		if ctx.Value(hookKey{}) != "statement 2" {
			return errors.New("the step does not run with the context BeforeStatement returned")
		}
		return nil
	}))
	ms[2].Up = append(ms[2].Up, SQL("SELECT 1/0"))
	var events []string
	hooks := Hooks{
		BeforeMigration: func(ctx context.Context, m MigrationInfo) context.Context {
			events = append(events, fmt.Sprintf("before %s %s down=%v", m.Version, m.Name, m.Down))
			return context.WithValue(ctx, hookKey{}, "migration "+m.Version)
		},
		AfterMigration: func(ctx context.Context, m MigrationInfo, err error, d time.Duration) {
			events = append(events, fmt.Sprintf("after %s ctx=%v err=%v", m.Version, ctx.Value(hookKey{}), sqlState(err)))
			if d <= 0 {
				t.Errorf("migration %s: duration %s", m.Version, d)
			}
		},
		BeforeStatement: func(ctx context.Context, s StatementInfo) context.Context {
			if ctx.Value(hookKey{}) != "migration "+s.Migration.Version {
				t.Errorf("statement %d of %s: not under its migration's context", s.Step, s.Migration.Version)
			}
			what := s.SQL
			if s.Func != "" {
				what = "func"
			}
			events = append(events, fmt.Sprintf("  statement %d/%d %s", s.Step, s.Steps, strings.Fields(what)[0]))
			return context.WithValue(ctx, hookKey{}, fmt.Sprintf("statement %d", s.Step))
		},
		AfterStatement: func(ctx context.Context, s StatementInfo, err error, d time.Duration) {
			events = append(events, fmt.Sprintf("  done %d ctx=%v err=%v", s.Step, ctx.Value(hookKey{}), sqlState(err)))
			if d <= 0 {
				t.Errorf("statement %d of %s: duration %s", s.Step, s.Migration.Version, d)
			}
		},
	}
	m := NewMigrator(conn, newSet(ms...), Options{Hooks: hooks, DDLLockRetries: -1})
	if _, err := m.Apply(t.Context(), ""); err == nil {
		t.Fatal("apply with a failing third migration: no error")
	}
	if _, err := m.Rollback(t.Context(), 1); err != nil {
		t.Fatalf("rollback: %v", err)
	}
	want := []string{
		"before " + v1 + " create_users down=false", "  statement 1/1 CREATE", "  done 1 ctx=statement 1 err=<nil>", "after " + v1 + " ctx=migration " + v1 + " err=<nil>",
		"before " + v2 + " create_orders down=false", "  statement 1/2 CREATE", "  done 1 ctx=statement 1 err=<nil>",
		"  statement 2/2 func", "  done 2 ctx=statement 2 err=<nil>", "after " + v2 + " ctx=migration " + v2 + " err=<nil>",
		"before " + v3 + " add_nickname down=false", "  statement 1/2 ALTER", "  done 1 ctx=statement 1 err=<nil>",
		"  statement 2/2 SELECT", "  done 2 ctx=statement 2 err=22012", "after " + v3 + " ctx=migration " + v3 + " err=22012",
		"before " + v2 + " create_orders down=true", "  statement 1/1 DROP", "  done 1 ctx=statement 1 err=<nil>", "after " + v2 + " ctx=migration " + v2 + " err=<nil>",
	}
	if got := strings.Join(events, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("hook calls:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

// sqlState is the SQLSTATE of err, or err itself when it has none.
func sqlState(err error) any {
	if pe, ok := errors.AsType[*pgconn.PgError](err); ok {
		return pe.Code
	}
	return err
}
