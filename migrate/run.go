package migrate

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// timeoutSetting is a PostgreSQL timeout the runner sets for a migration.
type timeoutSetting struct {
	name  string        // "statement_timeout" or "lock_timeout"
	value time.Duration // negative: turned off
}

// text is the setting's value for set_config: milliseconds, "0" when off.
func (s timeoutSetting) text() string {
	if s.value < 0 {
		return "0"
	}
	return fmt.Sprintf("%dms", max(s.value.Milliseconds(), 1))
}

// timeouts returns the timeouts to set for mig: its own, or the runner's
// defaults. A timeout that is zero in both is left as the session has it.
func (m *Migrator) timeouts(mig Migration) []timeoutSetting {
	var out []timeoutSetting
	for _, t := range []struct {
		name      string
		own, dflt time.Duration
	}{
		{"statement_timeout", mig.StatementTimeout, m.opts.StatementTimeout},
		{"lock_timeout", mig.LockTimeout, cmp.Or(m.opts.DDLLockTimeout, DefaultDDLLockTimeout)},
	} {
		v := cmp.Or(t.own, t.dflt)
		if v != 0 {
			out = append(out, timeoutSetting{t.name, v})
		}
	}
	return out
}

// classifyTimeout works out whether err is a statement or lock timeout and,
// if so, returns which and its value as the runner set it (zero when it came
// from elsewhere).
func classifyTimeout(ctx context.Context, err error, settings []timeoutSetting) (string, time.Duration) {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || ctx.Err() != nil {
		return "", 0
	}
	var name string
	switch pgErr.Code {
	case "57014": // query_canceled: statement_timeout, or a cancel request
		if strings.Contains(pgErr.Message, "user request") {
			return "", 0
		}
		name = "statement_timeout"
	case "55P03": // lock_not_available: lock_timeout, or NOWAIT
		name = "lock_timeout"
	default:
		return "", 0
	}
	for _, s := range settings {
		if s.name == name && s.value > 0 {
			return name, s.value
		}
	}
	if strings.Contains(pgErr.Message, strings.ReplaceAll(name, "_", " ")) {
		return name, 0
	}
	return "", 0
}

// run applies (down=false) or reverts (down=true) mig and records it in the
// history table. Without SQLNoTx steps, the SQLCommitFirst steps at the start
// each commit in a transaction of their own, then everything else happens in
// one transaction; a failure is then recorded in the failures table after the
// rollback. A migration in a transaction whose statement gave up on the
// lock_timeout the runner set is run again from the start, up to the retry
// policy's limit: its transaction rolled back entirely, and what committed
// first is safe to run again.
func (m *Migrator) run(ctx context.Context, mig Migration, down bool) (err error) {
	defer m.closeMonitor(ctx)
	steps := mig.Up
	if down {
		steps = mig.Down
	}
	settings := m.timeouts(mig)
	r := &runner{m: m, mig: mig, down: down, steps: steps, settings: settings,
		retry: m.retryPolicy(mig, settings), start: time.Now()}
	ctx, done := m.opts.Hooks.aroundMigration(ctx, r.info())
	defer func() { done(err) }()
	if needsNoTx(steps) {
		return r.noTx(ctx)
	}
	for attempt := 1; ; attempt++ {
		r.committed = 0
		err := r.tx(ctx)
		me, ok := errors.AsType[*MigrationError](err)
		if !ok || ctx.Err() != nil {
			return err
		}
		me.Attempts = attempt
		if r.retryable(me) && attempt < r.retry.attempts() {
			if err := r.pauseBeforeRetry(ctx, me, attempt, "rolled back"); err != nil {
				m.saveFailure(ctx, me)
				return errors.Join(me, err)
			}
			continue
		}
		m.saveFailure(ctx, me)
		return me
	}
}

// runner runs one migration in one direction.
type runner struct {
	m        *Migrator
	mig      Migration
	down     bool
	steps    []Step
	settings []timeoutSetting
	retry    retryPolicy
	start    time.Time
	// committed counts the SQLCommitFirst steps committed so far.
	committed int
	// wait is what the last step run waited for when it ended, if known.
	wait *LockWait
}

// retryable reports whether me is a lock_timeout the runner set, so that
// the policy allows retrying what rolled back.
func (r *runner) retryable(me *MigrationError) bool {
	return me.Timeout == "lock_timeout" && me.TimeoutValue > 0 && r.retry.retries > 0
}

// pauseBeforeRetry logs that attempt (1-based) failed with me and when the
// next one starts, then waits for it. undone says what became of the
// failed attempt.
func (r *runner) pauseBeforeRetry(ctx context.Context, me *MigrationError, attempt int, undone string) error {
	wait := r.retry.wait(attempt)
	what := "(go function)"
	if me.SQL != "" {
		what = shorten(me.SQL, maxSQLInError)
	}
	r.m.logf("migration %s: step %d of %d hit lock_timeout (%s): %s%s; %s; attempt %d/%d failed, next in %s",
		r.mig, me.Step, me.Steps, me.TimeoutValue, what, me.Wait.text(), undone, attempt, r.retry.attempts(), roundDuration(wait))
	return sleep(ctx, wait)
}

// exec runs step i (0-based) on db, watching what it waits for.
func (r *runner) exec(ctx context.Context, i int, db DB) error {
	ctx, done := r.m.opts.Hooks.aroundStatement(ctx, r.statementInfo(i))
	stop := r.m.watchLocks(ctx, r.retry.lockTimeout)
	start := time.Now()
	err := r.steps[i].run(ctx, db)
	d := time.Since(start)
	r.wait = stop()
	r.logStatement(ctx, i, d, err)
	done(err, d)
	return err
}

// logStatement gives Options.Logger the outcome of step i (0-based).
func (r *runner) logStatement(ctx context.Context, i int, d time.Duration, err error) {
	l := r.m.opts.Logger
	if l == nil {
		return
	}
	s := r.steps[i]
	attrs := []slog.Attr{
		slog.String("version", r.mig.Version), slog.String("direction", direction(r.down)),
		slog.Int("step", i+1), slog.Int("steps", len(r.steps)),
		slog.Float64("duration_ms", float64(d.Microseconds())/1000),
	}
	if s.fn != nil {
		attrs = append(attrs, slog.String("func", funcName(s.fn)))
	} else {
		attrs = append(attrs, slog.String("sql", shorten(s.sql, maxSQLInError)))
	}
	if err != nil {
		l.LogAttrs(ctx, slog.LevelError, "statement failed", append(attrs, slog.String("error", err.Error()))...)
		return
	}
	l.LogAttrs(ctx, slog.LevelInfo, "statement", attrs...)
}

// direction names a direction in log records: "up" or "down".
func direction(down bool) string {
	if down {
		return "down"
	}
	return "up"
}

// fail builds the error for a failure at step (1-based; 0 = recording).
func (r *runner) fail(ctx context.Context, step int, noTx bool, err error) *MigrationError {
	me := &MigrationError{Version: r.mig.Version, Name: r.mig.Name, Step: step, Steps: len(r.steps),
		Down: r.down, NoTx: noTx, Committed: r.committed, Attempts: 1, Err: err}
	if step > 0 {
		s := r.steps[step-1]
		me.SQL = s.sql
		if s.index != nil {
			me.Index = s.index.quoted()
		}
		me.Timeout, me.TimeoutValue = classifyTimeout(ctx, err, r.settings)
		if me.Timeout == "lock_timeout" {
			me.Wait = r.wait
		}
	}
	return me
}

// record writes the outcome to the history table and clears any failure of
// the migration, on db (the migration's transaction or a new one).
func (r *runner) record(ctx context.Context, db DB) error {
	var err error
	if r.down {
		_, err = db.Exec(ctx, "DELETE FROM "+r.m.table+" WHERE version = $1", r.mig.Version)
	} else {
		err = r.m.insertHistory(ctx, db, r.mig, time.Since(r.start))
	}
	if err != nil {
		return err
	}
	_, err = db.Exec(ctx, "DELETE FROM "+r.m.failures+" WHERE version = $1", r.mig.Version)
	return err
}

// tx runs the migration's SQLCommitFirst steps each in a transaction of its
// own, then the other steps and its bookkeeping in one transaction, with its
// timeouts set by SET LOCAL.
func (r *runner) tx(ctx context.Context) error {
	first := commitFirstSteps(r.steps)
	for i := range first {
		if err := r.commitFirst(ctx, i); err != nil {
			return err
		}
	}
	if first > 0 && first < len(r.steps) {
		// Until the main transaction commits, a killed runner leaves a
		// trace: the steps that committed first stay applied.
		if err := r.markRunning(ctx, first+1); err != nil {
			return err
		}
	}
	tx, err := r.begin(ctx)
	if err != nil {
		return err
	}
	defer func() {
		// A no-op after Commit; after a failure it discards everything.
		_ = tx.Rollback(context.WithoutCancel(ctx))
	}()
	for i := first; i < len(r.steps); i++ {
		if err := r.exec(ctx, i, tx); err != nil {
			return r.fail(ctx, i+1, false, err)
		}
	}
	if err := r.record(ctx, tx); err != nil {
		return r.fail(ctx, 0, false, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return r.fail(ctx, 0, false, err)
	}
	return nil
}

// begin starts a transaction with the migration's timeouts set by SET LOCAL.
func (r *runner) begin(ctx context.Context) (pgx.Tx, error) {
	tx, err := r.m.conn.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("starting transaction for migration %s: %w", r.mig, err)
	}
	for _, s := range r.settings {
		if _, err := tx.Exec(ctx, "SELECT set_config($1, $2, true)", s.name, s.text()); err != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
			return nil, fmt.Errorf("setting %s for migration %s: %w", s.name, r.mig, err)
		}
	}
	return tx, nil
}

// markRunning records in the failures table, committed at once, that step
// (1-based) is running. Unlike a step of a migration without a transaction,
// it does not make the migration dirty: what committed first is safe to run
// again, and the rest rolls back.
func (r *runner) markRunning(ctx context.Context, step int) error {
	f := &Failure{Version: r.mig.Version, Name: r.mig.Name, Down: r.down, Steps: len(r.steps),
		Step: step, Statement: r.steps[step-1].sql, Interrupted: true}
	if err := r.m.writeFailure(ctx, r.m.conn, f); err != nil {
		return fmt.Errorf("migration %s: recording that step %d is running: %w", r.mig, step, err)
	}
	return nil
}

// commitFirst runs step i (0-based), an SQLCommitFirst step, in a
// transaction of its own and commits it.
func (r *runner) commitFirst(ctx context.Context, i int) error {
	if err := r.markRunning(ctx, i+1); err != nil {
		return err
	}
	tx, err := r.begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := r.exec(ctx, i, tx); err != nil {
		return r.fail(ctx, i+1, false, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return r.fail(ctx, i+1, false, err)
	}
	r.committed++
	return nil
}

// noTx runs the steps one by one on the connection. Before each step it
// records in the failures table which step is running, so that a runner
// killed midway leaves the migration marked dirty rather than silently half
// applied; the outcome and the removal of that mark commit together.
func (r *runner) noTx(ctx context.Context) error {
	conn := r.m.conn
	restore, err := r.m.setSessionTimeouts(ctx, r.settings)
	if err != nil {
		return fmt.Errorf("setting timeouts for migration %s: %w", r.mig, err)
	}
	running := &Failure{Version: r.mig.Version, Name: r.mig.Name, Down: r.down, Steps: len(r.steps),
		Interrupted: true, Dirty: true}
	for i, s := range r.steps {
		running.Step, running.Statement = i+1, s.sql
		if err := r.m.writeFailure(ctx, conn, running); err != nil {
			restore()
			return fmt.Errorf("migration %s: recording that step %d is running: %w", r.mig, i+1, err)
		}
		if me := r.noTxStep(ctx, i); me != nil {
			restore()
			r.m.saveFailure(ctx, me)
			return me
		}
	}
	restore()
	tx, err := conn.Begin(ctx)
	if err == nil {
		defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
		if err = r.record(ctx, tx); err == nil {
			err = tx.Commit(ctx)
		}
	}
	if err != nil {
		me := r.fail(ctx, 0, true, err)
		r.m.saveFailure(ctx, me)
		return me
	}
	return nil
}

// noTxStep runs step i (0-based) of a migration without a transaction on
// the connection. When it fails, it undoes what the step left if it can: a
// step made with SQL ran in an implicit transaction of its own that rolled
// back, and the INVALID index of a failed SQLCreateIndexConcurrently step is
// dropped. Such a step that gave up on its lock_timeout is tried again,
// within the retry policy, once undone (an INVALID index that could not be
// dropped yet is dropped first); any other step that may have partly run is
// never retried.
func (r *runner) noTxStep(ctx context.Context, i int) *MigrationError {
	s := r.steps[i]
	var me *MigrationError
	for attempt := 1; ; attempt++ {
		undone := ""
		if me != nil && me.InvalidIndex != "" {
			undone = r.undoNoTxStep(ctx, s, me)
		}
		if me == nil || me.InvalidIndex == "" {
			err := r.exec(ctx, i, r.m.conn)
			if err == nil {
				return nil
			}
			me = r.fail(ctx, i+1, true, err)
			if ctx.Err() != nil {
				me.Attempts = attempt
				return me
			}
			undone = r.undoNoTxStep(ctx, s, me)
		}
		me.Attempts = attempt
		if !r.retryable(me) || attempt >= r.retry.attempts() || (undone == "" && me.InvalidIndex == "") {
			return me
		}
		if undone == "" {
			undone = "the INVALID index " + me.InvalidIndex + " it left could not be dropped yet"
		}
		if err := r.pauseBeforeRetry(ctx, me, attempt, undone); err != nil {
			return me
		}
	}
}

// undoNoTxStep makes sure the failed step s left nothing behind, and says
// how ("" when it cannot tell, or could not undo it). It records the outcome
// in me.
func (r *runner) undoNoTxStep(ctx context.Context, s Step, me *MigrationError) string {
	switch {
	case s.fn != nil:
		return ""
	case s.mode != noTx:
		me.LeftNothing = true
		return "it rolled back"
	case s.index == nil || isDuplicateRelation(me.Err):
		return ""
	}
	dropped, err := r.m.dropInvalidIndex(ctx, *s.index)
	if err != nil {
		r.m.logf("warning: migration %s: step %d: %v", r.mig, me.Step, err)
		me.InvalidIndex = s.index.quoted()
		return ""
	}
	me.LeftNothing, me.InvalidIndex = true, ""
	if !dropped {
		return "it left no index behind"
	}
	return "dropped the INVALID index " + s.index.quoted() + " it left"
}

// setSessionTimeouts sets settings for the session and returns a function
// that restores their previous values, also after ctx is cancelled. Restoring
// is best effort: if the connection is gone, so are the settings.
func (m *Migrator) setSessionTimeouts(ctx context.Context, settings []timeoutSetting) (restore func(), err error) {
	if len(settings) == 0 {
		return func() {}, nil
	}
	saved := make([]string, len(settings))
	for i, s := range settings {
		if err := m.conn.QueryRow(ctx, "SELECT current_setting($1)", s.name).Scan(&saved[i]); err != nil {
			return nil, fmt.Errorf("reading %s: %w", s.name, err)
		}
	}
	restore = func() {
		if m.conn.IsClosed() {
			return
		}
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		for i, s := range settings {
			if _, err := m.conn.Exec(rctx, "SELECT set_config($1, $2, false)", s.name, saved[i]); err != nil {
				m.logf("warning: restoring %s after a migration: %v", s.name, err)
			}
		}
	}
	for _, s := range settings {
		if _, err := m.conn.Exec(ctx, "SELECT set_config($1, $2, false)", s.name, s.text()); err != nil {
			restore()
			return nil, fmt.Errorf("setting %s: %w", s.name, err)
		}
	}
	return restore, nil
}
