package pipeline

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/emit"
	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/phase"
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

// VerifyOptions says where Verify starts and how it reads catalogs.
type VerifyOptions struct {
	// From is the copy of the cached replay state the current state was
	// read from (see CopyReplayState), or nil: verification then starts
	// from it instead of rebuilding the current state from its catalog.
	// Verify takes it over.
	From *ReplayCopy
	// Introspect filters the catalogs read, as the current and desired
	// states were read.
	Introspect introspect.Options
	// Logf, when set, says which start was taken (for -v).
	Logf func(format string, args ...any)
}

func (o VerifyOptions) logf(format string, args ...any) {
	if o.Logf != nil {
		o.Logf(format, args...)
	}
}

// Verify proves a migration in a scratch database before it is written:
// starting from the current state, Up must reach the desired state with
// nothing left to plan, Down must return to the current state, and Up must
// work again after Down, each result read and compared with the state it
// must equal. The start is opts.From, a copy of the cached replay state
// the current state was read from (its catalog is the current state),
// when there is one and it could be made; else the current state rebuilt
// from its catalog in a new database and compared with it. The scratch
// database reproduces the target's role context: it is owned by, and the
// plans run as, a role without rights named like the role the current
// state was read as (see pgserver.Scratch.NewSandbox).
//
// Each comparison runs while the next plan is applied and its result
// read: a state read is never read again, and a failure is reported for
// the first stage that failed.
func Verify(ctx context.Context, scratch *pgserver.Scratch, current, desired *schema.Catalog, up, down emit.Plan, opts VerifyOptions) error {
	v := &verification{opts: opts.Introspect}
	defer v.close(ctx)
	if err := v.start(ctx, scratch, current, opts); err != nil {
		return err
	}
	steps := []verifyStep{
		{"Up", up, desired},
		{"Down", down, current},
		{"Up after Down", up, desired},
	}
	for _, s := range steps {
		if err := v.run(ctx, s); err != nil {
			return err
		}
	}
	defer phase.Start(ctx, "verify: wait for the comparison")()
	return v.wait()
}

// ReplayCopy is a copy of a cached replay state made in the background
// for Verify (see CopyReplayState). Close it unless Verify took it.
type ReplayCopy struct {
	state string
	done  chan struct{} // closed once sb and err are set
	sb    *sandbox
	err   error
	taken bool
}

// CopyReplayState starts copying the cached replay state (see
// Replayed.State), which holds the current state read as role, into a
// sandbox for Verify: the copy belongs to the loading role named like role
// (see pgserver.Scratch.NewSandboxFrom), and the extensions in it are
// closed to other servers as in a sandbox where the loading role's
// statements created them. The copy is made while the caller goes on (it
// needs nobody connected to the state).
func CopyReplayState(ctx context.Context, scratch *pgserver.Scratch, role, state string) *ReplayCopy {
	c := &ReplayCopy{state: state, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		defer phase.Start(ctx, "verify: copy replay state")()
		c.sb, c.err = copyReplayState(ctx, scratch, role, state)
	}()
	return c
}

// take waits for the copy and returns its sandbox, which the caller
// closes.
func (c *ReplayCopy) take() (*sandbox, error) {
	<-c.done
	c.taken = true
	return c.sb, c.err
}

// Close waits for the copy and drops it unless Verify took it. It may be
// called on nil.
func (c *ReplayCopy) Close(ctx context.Context) {
	if c == nil {
		return
	}
	<-c.done
	if !c.taken && c.sb != nil {
		c.sb.close(ctx)
	}
	c.taken = true
}

func copyReplayState(ctx context.Context, scratch *pgserver.Scratch, role, state string) (*sandbox, error) {
	sb, err := scratch.NewSandboxFrom(ctx, role, state)
	if err != nil {
		return nil, err
	}
	conn, err := Connect(ctx, sb.URL)
	if err != nil {
		scratch.DropSandbox(context.WithoutCancel(ctx), sb) //nolint:errcheck // failure path
		return nil, err
	}
	s := &sandbox{scratch: scratch, sb: sb, loader: conn}
	admin, err := s.adminConn(ctx)
	if err == nil {
		err = s.closeNetworkExtensions(ctx, admin)
	}
	if err == nil {
		err = s.openForeignDataWrappers(ctx, admin)
	}
	if err != nil {
		s.close(ctx)
		return nil, fmt.Errorf("closing the copy of %s to other servers: %w", state, err)
	}
	return s, nil
}

// verifyStep is a plan verification applies and the state it must reach.
type verifyStep struct {
	name string
	plan emit.Plan
	want *schema.Catalog
}

// verification is one run of Verify: its sandbox and the comparison of
// the last state read, running in the background.
type verification struct {
	opts introspect.Options
	sb   *sandbox
	// compared gets the result of the comparison in progress, if any.
	compared <-chan error
}

// start opens the sandbox holding the current state: the copy of the
// replay state, or else (or when copying it failed, which is logged) the
// current state rebuilt from its catalog.
func (v *verification) start(ctx context.Context, scratch *pgserver.Scratch, current *schema.Catalog, opts VerifyOptions) error {
	if opts.From == nil {
		opts.logf("verifying from the current state rebuilt from its catalog (no cached replay state holds it)")
		return v.rebuild(ctx, scratch, current)
	}
	endWait := phase.Start(ctx, "verify: wait for the copy")
	sb, err := opts.From.take()
	endWait()
	if err != nil {
		opts.logf("verifying from the current state rebuilt from its catalog: %v", err)
		return v.rebuild(ctx, scratch, current)
	}
	v.sb = sb
	opts.logf("verifying from a copy of the cached replay state %s, which holds the current state", opts.From.state)
	return nil
}

// rebuild opens a new sandbox and builds the current state in it from
// its catalog; the result is compared with it while Up is applied.
func (v *verification) rebuild(ctx context.Context, scratch *pgserver.Scratch, current *schema.Catalog) error {
	const stage = "rebuilding the current state"
	build, err := v.openEmpty(ctx, scratch, current)
	if err != nil {
		return &VerifyError{stage, err}
	}
	return v.run(ctx, verifyStep{stage, build, current})
}

// openEmpty opens a new sandbox and plans building the current state in
// it.
func (v *verification) openEmpty(ctx context.Context, scratch *pgserver.Scratch, current *schema.Catalog) (emit.Plan, error) {
	defer phase.Start(ctx, "verify: new database")()
	sb, err := openSandbox(ctx, scratch, current.CurrentUser)
	if err != nil {
		return emit.Plan{}, err
	}
	v.sb = sb
	// A new database already has the public schema (with its owner's
	// privileges) and plpgsql: start from what it really has.
	fresh, err := introspect.Inspect(ctx, sb.loader, v.opts)
	if err != nil {
		return emit.Plan{}, err
	}
	return Plan(fresh, current)
}

// run applies s's plan and reads the state it left, while the
// comparison of the state before it goes on; it then waits for that
// comparison (whose failure comes first) and starts comparing the state
// read with s.want.
func (v *verification) run(ctx context.Context, s verifyStep) error {
	endApply := phase.Start(ctx, "verify: apply")
	err := v.sb.apply(ctx, s.plan)
	endApply()
	var got *schema.Catalog
	if err == nil {
		endRead := phase.Start(ctx, "verify: introspect")
		got, err = inspectConcurrently(ctx, v.sb.loader, v.sb.sb.URL, v.opts)
		endRead()
	}
	endWait := phase.Start(ctx, "verify: wait for the comparison")
	werr := v.wait()
	endWait()
	if werr != nil {
		return werr
	}
	if err != nil {
		return &VerifyError{s.name, err}
	}
	done := make(chan error, 1)
	v.compared = done
	go func() {
		defer phase.Start(ctx, "verify: compare")()
		if err := sameAs(got, s.want); err != nil {
			done <- &VerifyError{s.name, err}
			return
		}
		done <- nil
	}()
	return nil
}

// wait returns the result of the comparison in progress, if any.
func (v *verification) wait() error {
	if v.compared == nil {
		return nil
	}
	err := <-v.compared
	v.compared = nil
	return err
}

// close waits for the comparison in progress and drops the sandbox.
func (v *verification) close(ctx context.Context) {
	_ = v.wait()
	if v.sb != nil {
		v.sb.close(ctx)
		v.sb = nil
	}
}

// compareOptions leave out of the comparison the objects schemadiff does not
// manage (they are not part of any plan), Function.BodyError and
// Catalog.Sources and Catalog.Conversions (known only where a state was loaded from schema files),
// and the role a catalog was read as (see withoutCurrentUser).
var compareOptions = cmp.Options{
	cmpopts.IgnoreFields(schema.Catalog{}, "Unsupported", "Sources", "Conversions", "CurrentUser"),
	cmpopts.IgnoreFields(schema.Function{}, "BodyError"),
}

// sameAs compares got, a state read after a plan, with the state want it
// must equal: the catalogs must be equal, and planning from one to the
// other must find nothing to do.
func sameAs(got, want *schema.Catalog) error {
	w, g := withoutCurrentUser(want, got), withoutCurrentUser(got, want)
	// cmp explains a difference but takes seconds on large catalogs: it
	// runs only when the quick comparison finds one (or cannot tell).
	if !diff.SameCatalog(forComparison(w), forComparison(g)) {
		if d := cmp.Diff(w, g, compareOptions); d != "" {
			return fmt.Errorf("the result differs from the expected schema (-want +got):\n%s", d)
		}
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

// forComparison returns a shallow copy of cat without what compareOptions
// leave out of the comparison.
func forComparison(cat *schema.Catalog) *schema.Catalog {
	var zero schema.Catalog
	c := *cat
	c.Unsupported, c.Sources, c.Conversions, c.CurrentUser = zero.Unsupported, zero.Sources, zero.Conversions, zero.CurrentUser
	cloned := false
	for id, f := range cat.Functions {
		if f.BodyError == "" {
			continue
		}
		if !cloned {
			c.Functions, cloned = maps.Clone(cat.Functions), true
		}
		without := *f
		without.BodyError = ""
		c.Functions[id] = &without
	}
	return &c
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
