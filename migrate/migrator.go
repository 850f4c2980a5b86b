package migrate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultTable is the history table used when Options.Table is empty.
const DefaultTable = "schemadiff_migrations"

// DefaultLockTimeout is the lock wait used when Options.LockTimeout is zero.
const DefaultLockTimeout = 5 * time.Minute

// DefaultDDLLockTimeout is the lock_timeout of a migration's statements
// when neither Options.DDLLockTimeout nor Migration.LockTimeout sets one.
// While a DDL statement waits for its lock, every later query on the table
// queues behind it, so this bounds how long one attempt of a blocked
// migration stalls the application's traffic on that table: half a second,
// below the request and pool timeouts of typical applications and short
// enough that throughput measured per second never drops to zero, yet far
// longer than the milliseconds an ordinary OLTP transaction holds a
// conflicting lock, so on a healthy database the first attempt gets its
// lock. Longer blockers are outlasted by retries (DefaultDDLLockRetries),
// between which the queue drains.
const DefaultDDLLockTimeout = 500 * time.Millisecond

// DefaultDDLLockRetries is how many times a statement that gave up on its
// lock_timeout is tried again when Options.DDLLockRetries is zero. With
// DefaultDDLLockRetryWait, the six attempts span about 18-34s, during which
// the application's queries on the table wait at most DefaultDDLLockTimeout
// per attempt.
const DefaultDDLLockRetries = 5

// DefaultDDLLockRetryWait is the pause before the first retry when
// Options.DDLLockRetryWait is zero; later pauses double, up to 30s, and each
// is randomised between half and all of that.
const DefaultDDLLockRetryWait = time.Second

// Options configures a Migrator.
type Options struct {
	// Table is the history table, "table" (in schema public) or
	// "schema.table"; default "schemadiff_migrations". Failed and dirty
	// migrations are recorded next to it in the table of the same name with
	// "_failures" appended.
	Table string
	// LockTimeout is how long to wait for the migration lock; 0 means
	// DefaultLockTimeout.
	LockTimeout time.Duration
	// StatementTimeout is the statement_timeout each migration runs with,
	// unless it sets its own (Migration.StatementTimeout); 0 leaves the
	// session's setting alone, a negative value turns it off.
	//
	// DDLLockTimeout is the lock_timeout each migration runs with, unless it
	// sets its own (Migration.LockTimeout); 0 means DefaultDDLLockTimeout, a
	// negative value turns it off: statements then wait for their locks as
	// long as it takes, and are never retried.
	//
	// Both are set with SET LOCAL inside a migration's transaction, or for
	// the session and restored afterwards for a migration that runs without
	// a transaction.
	StatementTimeout, DDLLockTimeout time.Duration
	// DDLLockRetries is how many times a statement that gave up on the
	// lock_timeout the runner set is tried again, after a pause that grows
	// exponentially (DDLLockRetryWait, doubled each time, with jitter). 0
	// means DefaultDDLLockRetries, a negative value no retries; a
	// migration's own LockRetries wins. Only what rolled back entirely is
	// tried again: a migration that runs in a transaction is run again from
	// its start; in one without a transaction, a step made with SQL (it runs
	// in an implicit transaction of its own) or with
	// SQLCreateIndexConcurrently (once the INVALID index it left is dropped)
	// is run again, and nothing else.
	DDLLockRetries int
	// DDLLockRetryWait is the pause before the first retry; 0 means
	// DefaultDDLLockRetryWait.
	DDLLockRetryWait time.Duration
	// AllowOutOfOrder applies a pending migration even when a later one is
	// applied already (two branches merged after one was applied here);
	// without it Apply refuses and says how to go on.
	AllowOutOfOrder bool
	// AppliedBy is recorded in the history table as who applied each
	// migration (e.g. "alice@laptop" or a CI job); empty records the
	// database role (current_user).
	AppliedBy string
	// Logf receives progress messages; nil means silent, or Logger's when
	// Logger is set.
	Logf func(format string, args ...any)
	// Logger, when set, receives structured records: each statement with
	// its migration, direction, step, SQL (shortened) and duration_ms
	// ("statement", or "statement failed" at level Error with the error),
	// each migration's outcome ("migration applied", "migration rolled
	// back", with duration_ms), and, without Logf, the progress messages.
	Logger *slog.Logger
	// Hooks are called around each migration and each of its steps (see
	// Hooks), e.g. to make tracing spans.
	Hooks Hooks
}

// Migrator applies and rolls back the migrations of a Set on one connection.
// Apply and Rollback hold a session-level advisory lock on that connection for
// their whole run, so concurrent migrators on the same database take turns.
// A Migrator must not be used from several goroutines at once.
type Migrator struct {
	conn     *pgx.Conn
	set      *Set
	opts     Options
	table    string // quoted history table
	failures string // quoted failures table
	tableErr error
	// hasAppliedBy is whether the history table has the applied_by column,
	// as readHistory last found.
	hasAppliedBy bool
	// monitor is the connection lock waits are watched from, opened when
	// first needed (see watchLocks).
	monitor *pgx.Conn
}

// NewMigrator returns a Migrator for set on conn.
func NewMigrator(conn *pgx.Conn, set *Set, opts Options) *Migrator {
	m := &Migrator{conn: conn, set: set, opts: opts}
	m.table, m.failures, m.tableErr = tableIdents(opts.Table)
	return m
}

func (m *Migrator) logf(format string, args ...any) {
	switch {
	case m.opts.Logf != nil:
		m.opts.Logf(format, args...)
	case m.opts.Logger != nil:
		m.opts.Logger.Info(fmt.Sprintf(format, args...))
	}
}

// logMigration gives Options.Logger a migration's outcome.
func (m *Migrator) logMigration(ctx context.Context, msg string, mig Migration, down bool, d time.Duration) {
	if m.opts.Logger == nil {
		return
	}
	m.opts.Logger.LogAttrs(ctx, slog.LevelInfo, msg, slog.String("version", mig.Version), slog.String("name", mig.Name),
		slog.String("direction", direction(down)), slog.Float64("duration_ms", float64(d.Microseconds())/1000))
}

// check validates the migrator's configuration and its set.
func (m *Migrator) check() error {
	if m.conn == nil {
		return errors.New("migrator has no database connection")
	}
	if m.set == nil {
		return errors.New("migrator has no migration set")
	}
	if m.tableErr != nil {
		return m.tableErr
	}
	return m.set.Validate()
}

// Apply applies the pending migrations in version order, up to and including
// toVersion ("" means all), each in its own transaction. It returns the
// migrations it applied, also when it stops at an error; a failing step yields
// a *MigrationError.
//
// A failed migration is recorded in the failures table, which Status reads.
// Apply refuses to run when the set is invalid, when a migration is dirty
// (a *DirtyError: one without a transaction failed or was interrupted
// partway; see Resolve), when the database has a migration newer than every
// migration in the set (it was applied by a newer build), or when a pending
// migration is older than an applied one.
func (m *Migrator) Apply(ctx context.Context, toVersion string) (applied []Migration, err error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	if toVersion != "" {
		if _, ok := m.set.Lookup(toVersion); !ok {
			return nil, fmt.Errorf("applying up to %s: no migration has that version", toVersion)
		}
	}
	unlock, history, err := m.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer func() {
		if uerr := unlock(); uerr != nil {
			err = errors.Join(err, uerr)
		}
	}()
	pending, err := m.pending(history, toVersion)
	if err != nil {
		return nil, err
	}
	if len(pending) == 0 {
		m.logf("database is up to date")
		return nil, nil
	}
	for _, mig := range pending {
		m.logf("applying %s", mig)
		start := time.Now()
		if err := m.run(ctx, mig, false); err != nil {
			return applied, err
		}
		applied = append(applied, mig)
		m.logf("applied %s in %s", mig, roundDuration(time.Since(start)))
		m.logMigration(ctx, "migration applied", mig, false, time.Since(start))
	}
	return applied, nil
}

// pending works out which migrations Apply must run, given the history.
//
// A migration applied to the database but missing from the set is refused
// whatever its version: newer, it was applied from a newer checkout; older,
// its file was deleted or replaced after it was applied (typically
// regenerated after two branches merged), and applying the set would run
// its changes a second time. A pending migration older than an applied one
// is refused unless Options.AllowOutOfOrder.
func (m *Migrator) pending(history []historyRow, toVersion string) ([]Migration, error) {
	known := m.set.Migrations()
	done := map[string]historyRow{}
	var newest string
	for _, h := range history {
		done[h.version] = h
	}
	if len(known) > 0 {
		newest = known[len(known)-1].Version
	}
	for _, h := range history {
		if _, ok := m.set.Lookup(h.version); ok {
			continue
		}
		if h.version > newest {
			return nil, fmt.Errorf("the database has migration %s (%s), which is newer than this program's newest migration %s: it was applied from a newer checkout; update this one (or roll that migration back from the newer one) before applying",
				h.version, h.name, orNone(newest))
		}
		return nil, fmt.Errorf("the database has migration %s (%s) applied, but this program's migrations no longer include it: its file was deleted or replaced after it was applied (for example regenerated after two branches merged), and what replaced it would apply its changes again; roll it back with a checkout that still has it (schemadiff rollback), or restore its file, before applying",
			h.version, h.name)
	}
	var out []Migration
	var lastApplied string
	for _, k := range known {
		if h, ok := done[k.Version]; ok {
			lastApplied = k.Version
			if h.checksum != k.Checksum() {
				m.logf("warning: migration %s was modified after it was applied", k)
			}
		}
	}
	for _, k := range known {
		if _, ok := done[k.Version]; ok {
			continue
		}
		if toVersion != "" && k.Version > toVersion {
			break
		}
		if k.Version < lastApplied {
			if !m.opts.AllowOutOfOrder {
				later := appliedAfter(history, k.Version)
				return nil, fmt.Errorf("migration %s is not applied but the later %s %s: it comes from a branch merged after they were applied here. "+
					"Roll back to before it (schemadiff rollback --steps %d) and apply again, "+
					"or, if it does not touch what they changed, apply it after them with --allow-out-of-order",
					k, pluralWord(len(later), "migration", "migrations"), joinAnd(later)+isAre(len(later)), len(later))
			}
			m.logf("applying %s out of order: the later migration %s is applied already", k, lastApplied)
		}
		out = append(out, k)
	}
	return out, nil
}

// appliedAfter lists the applied versions later than version.
func appliedAfter(history []historyRow, version string) []string {
	var out []string
	for _, h := range history {
		if h.version > version {
			out = append(out, h.version)
		}
	}
	return out
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func isAre(n int) string {
	if n == 1 {
		return " is"
	}
	return " are"
}

// inApplyOrder returns the history in the order its migrations were
// applied (by time, then version): a migration applied out of order
// comes after the later versions applied before it, and is rolled back
// before them.
func inApplyOrder(history []historyRow) []historyRow {
	out := slices.Clone(history)
	slices.SortStableFunc(out, func(a, b historyRow) int {
		if c := a.appliedAt.Compare(b.appliedAt); c != 0 {
			return c
		}
		return strings.Compare(a.version, b.version)
	})
	return out
}

// Rollback reverts the last steps applied migrations, newest first, each in
// its own transaction, and returns the migrations it reverted. It checks
// before reverting anything that each of them is in the set and has Down
// steps. Like Apply, it refuses to run while a migration is dirty.
func (m *Migrator) Rollback(ctx context.Context, steps int) (reverted []Migration, err error) {
	if steps < 1 {
		return nil, fmt.Errorf("rolling back: the number of migrations to roll back must be at least 1, not %d", steps)
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	unlock, history, err := m.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer func() {
		if uerr := unlock(); uerr != nil {
			err = errors.Join(err, uerr)
		}
	}()
	todo, err := m.toRollBack(history, steps)
	if err != nil {
		return nil, err
	}
	for _, mig := range todo {
		m.logf("rolling back %s", mig)
		start := time.Now()
		if err := m.run(ctx, mig, true); err != nil {
			return reverted, err
		}
		reverted = append(reverted, mig)
		m.logf("rolled back %s in %s", mig, roundDuration(time.Since(start)))
		m.logMigration(ctx, "migration rolled back", mig, true, time.Since(start))
	}
	return reverted, nil
}

// toRollBack works out which migrations Rollback must revert, the last
// applied first, given the history.
func (m *Migrator) toRollBack(history []historyRow, steps int) ([]Migration, error) {
	if len(history) == 0 {
		return nil, errors.New("rolling back: no migrations are applied")
	}
	if steps > len(history) {
		return nil, fmt.Errorf("rolling back %d migrations: only %d are applied", steps, len(history))
	}
	history = inApplyOrder(history)
	var todo []Migration
	for i := len(history) - 1; i >= len(history)-steps; i-- {
		h := history[i]
		mig, ok := m.set.Lookup(h.version)
		if !ok {
			return nil, fmt.Errorf("rolling back: migration %s (%s) is applied but not in this program's migrations, so its Down steps are unknown", h.version, h.name)
		}
		if len(mig.Down) == 0 && len(mig.Up) > 0 {
			return nil, fmt.Errorf("rolling back: migration %s has no Down steps; write them in its file first", mig)
		}
		if h.checksum != mig.Checksum() {
			m.logf("warning: migration %s was modified after it was applied; its Down steps may not match what was applied", mig)
		}
		todo = append(todo, mig)
	}
	return todo, nil
}

func orNone(v string) string {
	if v == "" {
		return "(none)"
	}
	return v
}

func roundDuration(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(10 * time.Millisecond)
}

// begin takes the migration lock, makes sure the history tables exist,
// refuses a database with a dirty migration, and reads the history. The
// caller releases the lock with unlock.
func (m *Migrator) begin(ctx context.Context) (unlock func() error, history []historyRow, err error) {
	release, err := m.lock(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, release())
		}
	}()
	if err := m.ensureTables(ctx); err != nil {
		return nil, nil, err
	}
	if err := m.checkDirty(ctx); err != nil {
		return nil, nil, err
	}
	history, err = m.readHistory(ctx)
	if err != nil {
		return nil, nil, err
	}
	return release, history, nil
}
