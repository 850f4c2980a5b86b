package migrate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// lockKey is the advisory lock key every schemadiff migrator takes:
// hashtextextended('schemadiff_migrations', 0).
const lockKey int64 = -7376411141472370296

// lockPollInterval is how often a waiting migrator retries the lock.
const lockPollInterval = 200 * time.Millisecond

// LockTimeoutError is returned when the migration lock could not be taken
// within Options.LockTimeout.
type LockTimeoutError struct {
	Timeout time.Duration
	// PID is the backend process holding the lock, or 0 if unknown.
	PID int
}

// Error says how long it waited and who holds the lock.
func (e *LockTimeoutError) Error() string {
	holder := "another schemadiff apply is running?"
	if e.PID != 0 {
		holder = fmt.Sprintf("another schemadiff apply is running? pid %d holds it", e.PID)
	}
	return fmt.Sprintf("timed out after %s waiting for the migration lock (%s)", e.Timeout, holder)
}

// lock takes the session-level advisory lock on m.conn, polling until the
// lock timeout. The returned function releases it, even if ctx has been
// cancelled by then.
func (m *Migrator) lock(ctx context.Context) (unlock func() error, err error) {
	timeout := m.opts.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	deadline := time.Now().Add(timeout)
	logged := false
	for {
		var ok bool
		if err := m.conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", lockKey).Scan(&ok); err != nil {
			return nil, fmt.Errorf("taking the migration lock: %w", err)
		}
		if ok {
			break
		}
		if !logged {
			m.logf("waiting for migration lock held by another process")
			logged = true
		}
		wait := time.Until(deadline)
		if wait <= 0 {
			return nil, &LockTimeoutError{Timeout: timeout, PID: m.lockHolder(ctx)}
		}
		t := time.NewTimer(min(wait, lockPollInterval))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("waiting for the migration lock: %w", ctx.Err())
		case <-t.C:
		}
	}
	unlock = func() error {
		if m.conn.IsClosed() {
			// The server released the session's lock with the session.
			return nil
		}
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		var released bool
		if err := m.conn.QueryRow(uctx, "SELECT pg_advisory_unlock($1)", lockKey).Scan(&released); err != nil {
			return fmt.Errorf("releasing the migration lock: %w", err)
		}
		if !released {
			return errors.New("releasing the migration lock: it was not held")
		}
		return nil
	}
	return unlock, nil
}

// lockHolder returns the pid of a backend holding the migration lock, or 0.
func (m *Migrator) lockHolder(ctx context.Context) int {
	key := lockKey
	u := uint64(key)
	var pid int
	err := m.conn.QueryRow(ctx, `SELECT pid FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND objsubid = 1
		  AND classid::bigint = $1 AND objid::bigint = $2
		  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
		LIMIT 1`, int64(u>>32), int64(u&0xffffffff)).Scan(&pid)
	if err != nil {
		return 0
	}
	return pid
}

// historyRow is one row of the history table.
type historyRow struct {
	version   string
	name      string
	appliedAt time.Time
	duration  time.Duration
	checksum  string
}

// tableIdent returns the quoted history table name.
func (m *Migrator) tableIdent() (string, error) {
	name := m.opts.Table
	if name == "" {
		name = DefaultTable
	}
	parts := strings.Split(name, ".")
	if len(parts) == 1 {
		parts = []string{"public", parts[0]}
	}
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return "", fmt.Errorf("invalid history table name %q: want \"table\" or \"schema.table\"", m.opts.Table)
	}
	return pgx.Identifier(parts).Sanitize(), nil
}

// ensureTable creates the history table if it does not exist.
func (m *Migrator) ensureTable(ctx context.Context) error {
	_, err := m.conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+m.table+` (
	version text PRIMARY KEY,
	name text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now(),
	duration_ms bigint NOT NULL,
	checksum text NOT NULL
)`)
	if err != nil {
		return fmt.Errorf("creating history table %s: %w", m.table, err)
	}
	return nil
}

// readHistory returns the history rows sorted by version. A missing history
// table reads as empty.
func (m *Migrator) readHistory(ctx context.Context) ([]historyRow, error) {
	var exists bool
	if err := m.conn.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", m.table).Scan(&exists); err != nil {
		return nil, fmt.Errorf("reading history table %s: %w", m.table, err)
	}
	if !exists {
		return nil, nil
	}
	rows, err := m.conn.Query(ctx, "SELECT version, name, applied_at, duration_ms, checksum FROM "+m.table+" ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("reading history table %s: %w", m.table, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (historyRow, error) {
		var h historyRow
		var ms int64
		err := r.Scan(&h.version, &h.name, &h.appliedAt, &ms, &h.checksum)
		h.duration = time.Duration(ms) * time.Millisecond
		return h, err
	})
	if err != nil {
		return nil, fmt.Errorf("reading history table %s: %w", m.table, err)
	}
	return out, nil
}

// run applies (down=false) or reverts (down=true) mig and records it in the
// history table. Without SQLNoTx steps everything happens in one transaction.
func (m *Migrator) run(ctx context.Context, mig Migration, down bool) error {
	steps := mig.Up
	if down {
		steps = mig.Down
	}
	fail := func(step int, s Step, noTx bool, err error) error {
		return &MigrationError{Version: mig.Version, Name: mig.Name, Step: step, SQL: s.sql, Down: down, NoTx: noTx, Err: err}
	}
	start := time.Now()
	record := func(db DB) error {
		var err error
		if down {
			_, err = db.Exec(ctx, "DELETE FROM "+m.table+" WHERE version = $1", mig.Version)
		} else {
			_, err = db.Exec(ctx, "INSERT INTO "+m.table+" (version, name, duration_ms, checksum) VALUES ($1, $2, $3, $4)",
				mig.Version, mig.Name, time.Since(start).Milliseconds(), mig.Checksum())
		}
		return err
	}

	if needsNoTx(steps) {
		for i, s := range steps {
			if err := s.run(ctx, m.conn); err != nil {
				return fail(i+1, s, true, err)
			}
		}
		if err := record(m.conn); err != nil {
			return fail(0, Step{}, true, err)
		}
		return nil
	}

	tx, err := m.conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("starting transaction for migration %s: %w", mig, err)
	}
	defer func() {
		// A no-op after Commit; after a failure it discards everything.
		_ = tx.Rollback(context.WithoutCancel(ctx))
	}()
	for i, s := range steps {
		if err := s.run(ctx, tx); err != nil {
			return fail(i+1, s, false, err)
		}
	}
	if err := record(tx); err != nil {
		return fail(0, Step{}, false, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fail(0, Step{}, false, err)
	}
	return nil
}
