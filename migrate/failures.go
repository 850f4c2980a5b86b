package migrate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Failure is the last failed attempt to apply or roll back a migration, as
// recorded in the failures table (the history table's name with "_failures"
// appended). A later success of the migration clears it.
type Failure struct {
	Version string
	Name    string
	// Down is true when the failure happened while rolling back.
	Down bool
	// At is when the step failed, or when it started if the run was
	// interrupted.
	At time.Time
	// Step is the 1-based step that failed or was running; 0 when every
	// step succeeded and recording the migration failed.
	Step int
	// Steps is the number of steps the migration has in that direction.
	Steps int
	// Statement is the step's SQL; "" for a Func step.
	Statement string
	// Error is the error message; "" when Interrupted.
	Error string
	// Interrupted is true when the runner stopped during Step without
	// recording an error: it was killed or lost its connection.
	Interrupted bool
	// Dirty is true when the migration runs without a transaction, so it
	// may be partly applied: Apply and Rollback refuse to run until it is
	// resolved with Migrator.Resolve.
	Dirty bool
	// PID is the backend process id of the runner's connection.
	PID int
	// InvalidIndex is the quoted name of the INVALID index that Step, a
	// CREATE INDEX CONCURRENTLY (SQLCreateIndexConcurrently), left behind,
	// when one exists; else "".
	InvalidIndex string
}

// direction returns "up" or "down".
func (f *Failure) direction() string {
	if f.Down {
		return "down"
	}
	return "up"
}

func (f *Failure) label() string {
	if f.Name == "" {
		return f.Version
	}
	return f.Version + " (" + f.Name + ")"
}

// Summary describes the failure on one line, without instructions.
func (f *Failure) Summary() string {
	verb := "applying it"
	if f.Down {
		verb = "rolling it back"
	}
	at := f.At.UTC().Format("2006-01-02 15:04:05 MST")
	stmt := "(go function)"
	if f.Statement != "" {
		stmt = shorten(f.Statement, maxSQLInError)
	}
	switch {
	case f.Step == 0:
		return fmt.Sprintf("%s ran all %d steps but recording it failed at %s: %s", verb, f.Steps, at, f.Error)
	case f.Interrupted:
		return fmt.Sprintf("%s was interrupted during step %d of %d, started at %s (the runner was killed or lost its connection): %s", verb, f.Step, f.Steps, at, stmt)
	}
	return fmt.Sprintf("%s failed at step %d of %d at %s: %s: %s", verb, f.Step, f.Steps, at, stmt, f.Error)
}

// steps formats the step range a..b: "step 2", "steps 2-4" or "none".
func stepRange(a, b int) string {
	switch {
	case a > b:
		return "none"
	case a == b:
		return fmt.Sprintf("step %d", a)
	}
	return fmt.Sprintf("steps %d-%d", a, b)
}

// Guidance explains a dirty migration: what succeeded, what failed, what
// did not run, and how to resolve it.
func (f *Failure) Guidance() string {
	var b strings.Builder
	fmt.Fprintf(&b, "migration %s is dirty: it runs without a transaction and %s\n", f.label(), f.Summary())
	last := f.Step - 1
	if f.Step == 0 {
		last = f.Steps
	}
	done := "succeeded and stayed applied"
	if f.Down {
		done = "succeeded (what they undo is undone)"
	}
	fmt.Fprintf(&b, "  %s: %s\n", done, stepRange(1, last))
	switch {
	case f.Step == 0:
		fmt.Fprintf(&b, "  failed: recording it in the history table\n")
	case f.Interrupted:
		fmt.Fprintf(&b, "  interrupted: step %d (it may have partly or fully run)\n", f.Step)
	default:
		fmt.Fprintf(&b, "  failed: step %d\n", f.Step)
	}
	if f.Step > 0 {
		fmt.Fprintf(&b, "  not run: %s\n", stepRange(f.Step+1, f.Steps))
	}
	b.WriteString("apply and rollback refuse to run until it is resolved: fix the database by hand, then record what you did:\n")
	if f.InvalidIndex != "" {
		fmt.Fprintf(&b, "  - first drop the INVALID index %s that step %d's CREATE INDEX CONCURRENTLY left: DROP INDEX CONCURRENTLY IF EXISTS %s;\n", f.InvalidIndex, f.Step, f.InvalidIndex)
	}
	rest := stepRange(f.Step, f.Steps)
	switch {
	case f.Step == 0 && f.Down:
		fmt.Fprintf(&b, "  - nothing is left to do: resolve --version %s --pending\n", f.Version)
	case f.Step == 0:
		fmt.Fprintf(&b, "  - nothing is left to do: resolve --version %s --applied\n", f.Version)
	case f.Down:
		fmt.Fprintf(&b, "  - if you finished rolling it back (%s of its Down steps): resolve --version %s --pending\n", rest, f.Version)
		redo := fmt.Sprintf("redid what Down %s and part of step %d undid", stepRange(1, last), f.Step)
		if f.Step == 1 {
			redo = "redid whatever Down step 1 undid, if anything"
		}
		fmt.Fprintf(&b, "  - if you restored it (%s): resolve --version %s --applied\n", redo, f.Version)
	default:
		fmt.Fprintf(&b, "  - if you finished it (ran %s by hand): resolve --version %s --applied\n", rest, f.Version)
		undo := fmt.Sprintf("reverted %s and whatever step %d left behind", stepRange(1, last), f.Step)
		if f.Step == 1 {
			undo = "removed whatever step 1 left behind, if anything"
		}
		fmt.Fprintf(&b, "  - if you undid it (%s): resolve --version %s --pending (apply then runs it again from step 1)\n", undo, f.Version)
	}
	b.WriteString("  (resolve is a command of the migrations program, `schemadiff resolve --dir DIR ...`; from Go, call Migrator.Resolve)")
	return b.String()
}

// DirtyError is returned by Apply and Rollback when a migration that runs
// without a transaction failed or was interrupted partway, so the database
// may hold part of it. Main exits with ExitMigrationFailed for it.
type DirtyError struct {
	Failures []Failure
}

// Error explains each dirty migration and how to resolve it.
func (e *DirtyError) Error() string {
	parts := make([]string, len(e.Failures))
	for i := range e.Failures {
		parts[i] = e.Failures[i].Guidance()
	}
	return strings.Join(parts, "\n")
}

// readFailures returns the rows of the failures table by version; a missing
// table reads as empty.
func (m *Migrator) readFailures(ctx context.Context) (map[string]*Failure, error) {
	exists, err := m.relExists(ctx, m.failures)
	if err != nil || !exists {
		return nil, err
	}
	rows, err := m.conn.Query(ctx, "SELECT version, name, direction, failed_at, step, steps, statement, error, dirty, pid FROM "+m.failures+" ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("reading failures table %s: %w", m.failures, err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*Failure, error) {
		var f Failure
		var dir string
		var msg *string
		err := r.Scan(&f.Version, &f.Name, &dir, &f.At, &f.Step, &f.Steps, &f.Statement, &msg, &f.Dirty, &f.PID)
		f.Down = dir == "down"
		if msg == nil {
			f.Interrupted = true
		} else {
			f.Error = *msg
		}
		return &f, err
	})
	if err != nil {
		return nil, fmt.Errorf("reading failures table %s: %w", m.failures, err)
	}
	out := make(map[string]*Failure, len(list))
	for _, f := range list {
		out[f.Version] = f
		if f.Dirty {
			if err := m.findInvalidIndex(ctx, f); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// findInvalidIndex sets f.InvalidIndex when f's step is a
// SQLCreateIndexConcurrently step whose index exists and is INVALID.
func (m *Migrator) findInvalidIndex(ctx context.Context, f *Failure) error {
	mig, ok := m.set.Lookup(f.Version)
	if !ok || f.Step < 1 {
		return nil
	}
	steps := mig.Up
	if f.Down {
		steps = mig.Down
	}
	if f.Step > len(steps) || steps[f.Step-1].index == nil {
		return nil
	}
	ix := *steps[f.Step-1].index
	invalid, err := m.invalidIndex(ctx, ix)
	if err != nil {
		return fmt.Errorf("migration %s: %w", f.label(), err)
	}
	if invalid {
		f.InvalidIndex = ix.quoted()
	}
	return nil
}

// checkDirty returns a *DirtyError if any migration is dirty.
func (m *Migrator) checkDirty(ctx context.Context) error {
	failures, err := m.readFailures(ctx)
	if err != nil {
		return err
	}
	var dirty []Failure
	for _, f := range failures {
		if f.Dirty {
			dirty = append(dirty, *f)
		}
	}
	if len(dirty) == 0 {
		return nil
	}
	slices.SortFunc(dirty, func(a, b Failure) int { return strings.Compare(a.Version, b.Version) })
	return &DirtyError{Failures: dirty}
}

// upsertFailureSQL writes a failures row; a NULL error marks a step that is
// running.
const upsertFailureSQL = `INSERT INTO %s AS f (version, name, direction, failed_at, step, steps, statement, error, dirty, pid)
VALUES ($1, $2, $3, now(), $4, $5, $6, $7, $8, pg_backend_pid())
ON CONFLICT (version) DO UPDATE SET name = excluded.name, direction = excluded.direction,
	failed_at = excluded.failed_at, step = excluded.step, steps = excluded.steps,
	statement = excluded.statement, error = excluded.error, dirty = excluded.dirty, pid = excluded.pid`

// writeFailure upserts f; an Interrupted f records a running step.
func (m *Migrator) writeFailure(ctx context.Context, db DB, f *Failure) error {
	var msg *string
	if !f.Interrupted {
		msg = &f.Error
	}
	_, err := db.Exec(ctx, fmt.Sprintf(upsertFailureSQL, m.failures),
		f.Version, f.Name, f.direction(), f.Step, f.Steps, f.Statement, msg, f.Dirty)
	return err
}

// failure returns the Failure that e records.
func (e *MigrationError) failure() *Failure {
	f := &Failure{Version: e.Version, Name: e.Name, Down: e.Down, At: time.Now(), Step: e.Step, Steps: e.Steps,
		Statement: e.SQL, Error: e.Err.Error(), Dirty: e.Dirty(), InvalidIndex: e.InvalidIndex}
	if e.Timeout != "" {
		f.Error = strings.TrimSuffix(e.timeoutText(), ": ") + ": " + f.Error
	}
	if e.Attempts > 1 {
		f.Error += fmt.Sprintf(" (gave up after %d attempts)", e.Attempts)
	}
	if e.NoTx && e.LeftNothing {
		f.Error += fmt.Sprintf(" (step %d left nothing behind)", e.Step)
	}
	return f
}

// saveFailure records the failure of a migration after the fact, outside
// its transaction and even when ctx has been cancelled. A failure to record
// it is logged, not returned: the migration's own error matters more.
func (m *Migrator) saveFailure(ctx context.Context, me *MigrationError) {
	f := me.failure()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if m.conn.IsClosed() {
		m.logf("warning: could not record the failure of migration %s in %s: the connection is closed", me.Version, m.failures)
		return
	}
	if err := m.writeFailure(sctx, m.conn, f); err != nil {
		m.logf("warning: could not record the failure of migration %s in %s: %v", me.Version, m.failures, err)
	}
}

// Resolve records by hand the outcome of a migration, typically a dirty one
// (see DirtyError) after the database was fixed by hand: applied=true records
// it as applied, applied=false as not applied (pending). Either way its
// failure record is cleared, so Apply and Rollback run again. It takes the
// migration lock and runs no step of the migration.
func (m *Migrator) Resolve(ctx context.Context, version string, applied bool) (err error) {
	if err := m.check(); err != nil {
		return err
	}
	unlock, err := m.lock(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if uerr := unlock(); uerr != nil {
			err = errors.Join(err, uerr)
		}
	}()
	if err := m.ensureTables(ctx); err != nil {
		return err
	}
	history, err := m.readHistory(ctx)
	if err != nil {
		return err
	}
	failures, err := m.readFailures(ctx)
	if err != nil {
		return err
	}
	var recorded *historyRow
	for i := range history {
		if history[i].version == version {
			recorded = &history[i]
		}
	}
	mig, known := m.set.Lookup(version)
	failure := failures[version]
	if !known && recorded == nil && failure == nil {
		return fmt.Errorf("resolving %s: no migration has that version", version)
	}
	if applied && recorded == nil && !known {
		return fmt.Errorf("resolving %s: it is not in this program's migrations, so it cannot be recorded as applied", version)
	}

	tx, err := m.conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("resolving %s: %w", version, err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	switch {
	case applied && recorded == nil:
		err = m.insertHistory(ctx, tx, mig, 0)
	case !applied && recorded != nil:
		_, err = tx.Exec(ctx, "DELETE FROM "+m.table+" WHERE version = $1", version)
	}
	if err != nil {
		return fmt.Errorf("resolving %s: writing the history table: %w", version, err)
	}
	if _, err := tx.Exec(ctx, "DELETE FROM "+m.failures+" WHERE version = $1", version); err != nil {
		return fmt.Errorf("resolving %s: clearing its failure: %w", version, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("resolving %s: %w", version, err)
	}
	state := "pending"
	if applied {
		state = "applied"
	}
	was := ""
	if failure != nil {
		was = "; it was "
		if failure.Dirty {
			was += "dirty: "
		} else {
			was += "failed: "
		}
		was += failure.Summary()
	}
	m.logf("recorded migration %s as %s%s", version, state, was)
	return nil
}
