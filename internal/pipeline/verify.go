package pipeline

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/emit"
	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/schema"
)

// VerifyError reports a generated migration that does not do what it
// should; Stage says which run failed.
type VerifyError struct {
	Stage string
	Err   error
}

func (e *VerifyError) Error() string {
	return "verifying the migration: " + e.Stage + ": " + e.Err.Error()
}
func (e *VerifyError) Unwrap() error { return e.Err }

// Verify proves a migration in a scratch database before it is written:
// starting from the current state (rebuilt from its catalog), Up must reach
// the desired state with nothing left to plan, Down must return to the
// current state, and Up must work again after Down.
func Verify(ctx context.Context, scratch *pgserver.Scratch, current, desired *schema.Catalog, up, down emit.Plan, opts introspect.Options) error {
	url, err := scratch.NewDatabase(ctx)
	if err != nil {
		return fmt.Errorf("creating scratch database: %w", err)
	}
	defer scratch.DropDatabase(context.WithoutCancel(ctx), url) //nolint:errcheck // Close drops it too
	conn, err := Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))

	build, err := Plan(Baseline(current), current)
	if err != nil {
		return &VerifyError{"rebuilding the current state", err}
	}
	if err := ApplyPlan(ctx, conn, build); err != nil {
		return &VerifyError{"rebuilding the current state", err}
	}
	if err := sameAs(ctx, conn, current, opts); err != nil {
		return &VerifyError{"rebuilding the current state", err}
	}
	steps := []struct {
		name string
		plan emit.Plan
		want *schema.Catalog
	}{
		{"Up", up, desired},
		{"Down", down, current},
		{"Up after Down", up, desired},
	}
	for _, s := range steps {
		if err := ApplyPlan(ctx, conn, s.plan); err != nil {
			return &VerifyError{s.name, err}
		}
		if err := sameAs(ctx, conn, s.want, opts); err != nil {
			return &VerifyError{s.name, err}
		}
	}
	return nil
}

// compareOptions leave out of the comparison the objects schemadiff does not
// manage (they are not part of any plan), and Function.BodyError and
// Catalog.Sources (known only where a state was loaded from schema files).
var compareOptions = cmp.Options{
	cmpopts.IgnoreFields(schema.Catalog{}, "Unsupported", "Sources"),
	cmpopts.IgnoreFields(schema.Function{}, "BodyError"),
}

func sameAs(ctx context.Context, conn *pgx.Conn, want *schema.Catalog, opts introspect.Options) error {
	got, err := introspect.Inspect(ctx, conn, opts)
	if err != nil {
		return err
	}
	if d := cmp.Diff(want, got, compareOptions); d != "" {
		return fmt.Errorf("the result differs from the expected schema (-want +got):\n%s", d)
	}
	again, err := Plan(got, want)
	if err != nil {
		return err
	}
	if len(again.Changes) > 0 {
		return fmt.Errorf("planning again is not empty: %d change(s), first %s", len(again.Changes), again.Changes[0].Object)
	}
	return nil
}

// ApplyPlan runs a plan's statements in order, as the migration runner runs
// a migration: in one transaction, after the statements that commit first,
// each in a transaction of its own; or, when a statement cannot run in a
// transaction block, every statement on its own. A failure names the
// statement.
func ApplyPlan(ctx context.Context, conn *pgx.Conn, p emit.Plan) error {
	exec := func(db interface {
		Exec(context.Context, string, ...any) (pgconn.CommandTag, error)
	}, s diff.Statement) error {
		if _, err := db.Exec(ctx, s.SQL, pgx.QueryExecModeSimpleProtocol); err != nil {
			return fmt.Errorf("statement failed: %s: %w", shorten(s.SQL), err)
		}
		return nil
	}
	for _, b := range p.Batches() {
		if b.Mode == emit.Autocommit {
			for _, s := range b.Statements {
				if err := exec(conn, s); err != nil {
					return err
				}
			}
			continue
		}
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			for _, s := range b.Statements {
				if err := exec(tx, s); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func shorten(sql string) string {
	sql = strings.Join(strings.Fields(sql), " ")
	if len(sql) > 300 {
		return sql[:300] + "..."
	}
	return sql
}
