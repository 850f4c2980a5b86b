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
// current state, and Up must work again after Down. The scratch database
// reproduces the target's role context: it is owned by, and the plans run
// as, a role without rights named like the role the current state was read
// as (see pgserver.Scratch.NewSandbox).
func Verify(ctx context.Context, scratch *pgserver.Scratch, current, desired *schema.Catalog, up, down emit.Plan, opts introspect.Options) error {
	sb, err := openSandbox(ctx, scratch, current.CurrentUser)
	if err != nil {
		return err
	}
	defer sb.close(ctx)

	// A new database already has the public schema (with its owner's
	// privileges) and plpgsql: start from what it really has.
	fresh, err := introspect.Inspect(ctx, sb.loader, opts)
	if err != nil {
		return &VerifyError{"rebuilding the current state", err}
	}
	build, err := Plan(fresh, current)
	if err != nil {
		return &VerifyError{"rebuilding the current state", err}
	}
	if err := sb.apply(ctx, build); err != nil {
		return &VerifyError{"rebuilding the current state", err}
	}
	if err := sameAs(ctx, sb.loader, current, opts); err != nil {
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
		if err := sb.apply(ctx, s.plan); err != nil {
			return &VerifyError{s.name, err}
		}
		if err := sameAs(ctx, sb.loader, s.want, opts); err != nil {
			return &VerifyError{s.name, err}
		}
	}
	return nil
}

// compareOptions leave out of the comparison the objects schemadiff does not
// manage (they are not part of any plan), Function.BodyError and
// Catalog.Sources and Catalog.Conversions (known only where a state was loaded from schema files),
// and the role a catalog was read as (see withoutCurrentUser).
var compareOptions = cmp.Options{
	cmpopts.IgnoreFields(schema.Catalog{}, "Unsupported", "Sources", "Conversions", "CurrentUser"),
	cmpopts.IgnoreFields(schema.Function{}, "BodyError"),
}

func sameAs(ctx context.Context, conn *pgx.Conn, want *schema.Catalog, opts introspect.Options) error {
	got, err := introspect.Inspect(ctx, conn, opts)
	if err != nil {
		return err
	}
	if d := cmp.Diff(withoutCurrentUser(want, got), withoutCurrentUser(got, want), compareOptions); d != "" {
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

// withoutCurrentUser returns a shallow copy of cat whose default privileges
// of its own reading role, or of other's, are keyed by the role "", as the
// differ compares them: a catalog read as "app" and one read as a sandbox
// role hold the same state when only that name differs.
func withoutCurrentUser(cat, other *schema.Catalog) *schema.Catalog {
	c := *cat
	c.DefaultPrivileges = make(map[schema.DefaultACL][]schema.Grant, len(cat.DefaultPrivileges))
	for k, gs := range cat.DefaultPrivileges {
		if k.Role != "" && (k.Role == cat.CurrentUser || k.Role == other.CurrentUser) {
			k.Role = ""
		}
		c.DefaultPrivileges[k] = gs
	}
	return &c
}

// apply runs a plan in the sandbox as ApplyPlan does, the statements
// classify sends to the administrator on its connection (on their own,
// between the transactions of the others).
func (s *sandbox) apply(ctx context.Context, p emit.Plan) error {
	for _, b := range p.Batches() {
		sqlOf := func(st *diff.Statement) *string { return &st.SQL }
		b.Statements = withOwnerRights(b.Statements, sqlOf, s.sb.Role)
		var err error
		if b.Statements, err = splitLeakproof(b.Statements, sqlOf); err != nil {
			return err
		}
		if !s.hasAdminStatements(b.Statements) {
			if err := applyBatch(ctx, s.loader, b); err != nil {
				return err
			}
			continue
		}
		for _, st := range b.Statements {
			if pr, ext := classify(st.SQL); pr != asLoader {
				if err := s.runAdmin(ctx, st.SQL, pr, ext); err != nil {
					return fmt.Errorf("statement failed: %s: %w", shorten(st.SQL), err)
				}
				continue
			}
			one := emit.Batch{Mode: emit.Autocommit, Statements: []diff.Statement{st}}
			if err := applyBatch(ctx, s.loader, one); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *sandbox) hasAdminStatements(stmts []diff.Statement) bool {
	for _, st := range stmts {
		if p, _ := classify(st.SQL); p != asLoader {
			return true
		}
	}
	return false
}

// ApplyPlan runs a plan's statements in order, as the migration runner runs
// a migration: in one transaction, after the statements that commit first,
// each in a transaction of its own; or, when a statement cannot run in a
// transaction block, every statement on its own. A failure names the
// statement.
func ApplyPlan(ctx context.Context, conn *pgx.Conn, p emit.Plan) error {
	for _, b := range p.Batches() {
		if err := applyBatch(ctx, conn, b); err != nil {
			return err
		}
	}
	return nil
}

// applyBatch runs one batch of a plan: in a transaction, or each statement
// on its own.
func applyBatch(ctx context.Context, conn *pgx.Conn, b emit.Batch) error {
	exec := func(db interface {
		Exec(context.Context, string, ...any) (pgconn.CommandTag, error)
	}, s diff.Statement) error {
		if _, err := db.Exec(ctx, s.SQL, pgx.QueryExecModeSimpleProtocol); err != nil {
			return fmt.Errorf("statement failed: %s: %w", shorten(s.SQL), err)
		}
		return nil
	}
	if b.Mode == emit.Autocommit {
		for _, s := range b.Statements {
			if err := exec(conn, s); err != nil {
				return err
			}
		}
		return nil
	}
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		for _, s := range b.Statements {
			if err := exec(tx, s); err != nil {
				return err
			}
		}
		return nil
	})
}

func shorten(sql string) string {
	sql = strings.Join(strings.Fields(sql), " ")
	if len(sql) > 300 {
		return sql[:300] + "..."
	}
	return sql
}
