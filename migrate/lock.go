package migrate

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// lockKey is the advisory lock key every schemadiff migrator takes:
// hashtextextended('schemadiff_migrations', 0). Advisory locks are scoped to
// the current database, so migrators of different databases never wait for
// each other.
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
// lock timeout, and logs once that it is waiting and for whom. The returned
// function releases it, even if ctx has been cancelled by then.
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
			logged = true
			pid, app := m.lockHolder(ctx)
			holder := "another session"
			if pid != 0 {
				holder = fmt.Sprintf("pid %d", pid)
				if app != "" {
					holder += fmt.Sprintf(" (application %q)", app)
				}
			}
			m.logf("waiting for the migration lock held by %s; giving up after %s", holder, timeout)
		}
		wait := time.Until(deadline)
		if wait <= 0 {
			pid, _ := m.lockHolder(ctx)
			return nil, &LockTimeoutError{Timeout: timeout, PID: pid}
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

// lockHolderSQL finds the backend holding the migration lock in the current
// database. A bigint advisory key is stored as classid (high 32 bits), objid
// (low 32 bits) and objsubid 1.
const lockHolderSQL = `SELECT l.pid, coalesce(a.application_name, '')
	FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
	WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
	  AND l.classid::bigint = $1 AND l.objid::bigint = $2
	  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
	LIMIT 1`

// lockKeyParts returns the classid and objid under which pg_locks shows
// lockKey.
func lockKeyParts() (classid, objid int64) {
	key := lockKey
	u := uint64(key)
	return int64(u >> 32), int64(u & 0xffffffff)
}

// lockHolder returns the pid and application name of the backend holding the
// migration lock, or 0 and "" when nobody holds it or it cannot be read.
func (m *Migrator) lockHolder(ctx context.Context) (pid int, app string) {
	classid, objid := lockKeyParts()
	if err := m.conn.QueryRow(ctx, lockHolderSQL, classid, objid).Scan(&pid, &app); err != nil {
		return 0, ""
	}
	return pid, app
}
