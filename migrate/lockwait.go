package migrate

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// LockWait is what a migration's statement was waiting for when its
// lock_timeout fired, as another connection saw it shortly before.
type LockWait struct {
	// Lock describes the lock the statement waited for, such as
	// "AccessExclusiveLock on public.accounts" or "the end of virtual
	// transaction 4/17" (CREATE INDEX CONCURRENTLY waiting for an older
	// transaction).
	Lock string
	// Blockers are the sessions it waited for (pg_blocking_pids).
	Blockers []Blocker
}

// Blocker is a session that held up a migration's statement.
type Blocker struct {
	PID         int
	Application string
	// State is pg_stat_activity.state, such as "idle in transaction".
	State string
	// Query is the session's current or last query.
	Query string
	// XactAge is how long its transaction had been open; zero when unknown.
	XactAge time.Duration
}

// maxQueryInWait is how much of a blocker's query a message shows.
const maxQueryInWait = 120

// String describes the blocker on one line.
func (b Blocker) String() string {
	var parts []string
	if b.Application != "" {
		parts = append(parts, "application "+strconv.Quote(b.Application))
	}
	if b.State != "" {
		s := b.State
		if b.XactAge > 0 {
			s += fmt.Sprintf(", transaction open for %s", roundDuration(b.XactAge))
		}
		parts = append(parts, s)
	}
	if b.Query != "" {
		parts = append(parts, "query: "+shorten(b.Query, maxQueryInWait))
	}
	if len(parts) == 0 {
		return fmt.Sprintf("pid %d", b.PID)
	}
	return fmt.Sprintf("pid %d (%s)", b.PID, strings.Join(parts, "; "))
}

// text is ": waited for LOCK held by BLOCKERS", or "" for a nil or empty
// wait.
func (w *LockWait) text() string {
	if w == nil || (w.Lock == "" && len(w.Blockers) == 0) {
		return ""
	}
	var b strings.Builder
	b.WriteString("; it waited for ")
	if w.Lock != "" {
		b.WriteString(w.Lock)
	} else {
		b.WriteString("a lock")
	}
	if len(w.Blockers) > 0 {
		names := make([]string, len(w.Blockers))
		for i, bl := range w.Blockers {
			names[i] = bl.String()
		}
		b.WriteString(", held by " + strings.Join(names, ", "))
	}
	return b.String()
}

// waitingLockSQL describes the lock a backend waits for.
const waitingLockSQL = `SELECT CASE l.locktype
	WHEN 'relation' THEN l.mode || ' on ' || l.relation::regclass::text
	WHEN 'virtualxid' THEN 'the end of virtual transaction ' || l.virtualxid
	WHEN 'transactionid' THEN 'the end of transaction ' || l.transactionid::text
	ELSE l.mode || ' on a ' || l.locktype || ' lock' END
FROM pg_locks l WHERE l.pid = $1 AND NOT l.granted LIMIT 1`

// blockersSQL lists the sessions a backend waits for.
const blockersSQL = `SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.state, ''), coalesce(a.query, ''),
	coalesce(extract(epoch FROM now() - a.xact_start), 0)::float8
FROM pg_stat_activity a WHERE a.pid = ANY (pg_blocking_pids($1)) ORDER BY a.pid`

// lockWatch polls, from a second connection, what the migrator's backend
// waits for while one statement runs, so that a lock_timeout can say what
// blocked it.
type lockWatch struct {
	cancel context.CancelFunc
	done   chan struct{}
	last   *LockWait
}

// watchLocks starts watching the migrator's backend until the returned
// function is called, which returns the last wait seen (nil if none). It
// polls from halfway through lockTimeout on, so that statements that get
// their locks at once cost nothing; a zero or negative lockTimeout disables
// it. Watching is best effort: errors only mean the wait stays unknown.
func (m *Migrator) watchLocks(ctx context.Context, lockTimeout time.Duration) (stop func() *LockWait) {
	if lockTimeout <= 0 {
		return func() *LockWait { return nil }
	}
	wctx, cancel := context.WithCancel(ctx)
	w := &lockWatch{cancel: cancel, done: make(chan struct{})}
	pid := m.conn.PgConn().PID()
	// Any wait that ends in the timeout lasts lockTimeout, so polling every
	// two thirds of it sees each one, without querying often while a long
	// statement merely works.
	interval := max(lockTimeout*2/3, 20*time.Millisecond)
	go func() {
		defer close(w.done)
		timer := time.NewTimer(lockTimeout / 2)
		defer timer.Stop()
		for {
			select {
			case <-wctx.Done():
				return
			case <-timer.C:
			}
			if wait := m.lockWaitOf(wctx, pid); wait != nil {
				w.last = wait
			}
			timer.Reset(interval)
		}
	}()
	return func() *LockWait {
		w.cancel()
		<-w.done
		return w.last
	}
}

// lockWaitOf returns what backend pid waits for, or nil when it waits for
// no lock or the monitor connection fails.
func (m *Migrator) lockWaitOf(ctx context.Context, pid uint32) *LockWait {
	conn, err := m.monitorConn(ctx)
	if err != nil {
		return nil
	}
	var lock string
	err = conn.QueryRow(ctx, waitingLockSQL, pid).Scan(&lock)
	if err != nil {
		return nil
	}
	rows, err := conn.Query(ctx, blockersSQL, pid)
	if err != nil {
		return nil
	}
	blockers, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Blocker, error) {
		var b Blocker
		var age float64
		err := r.Scan(&b.PID, &b.Application, &b.State, &b.Query, &age)
		b.XactAge = time.Duration(age * float64(time.Second))
		return b, err
	})
	if err != nil {
		return nil
	}
	return &LockWait{Lock: lock, Blockers: blockers}
}

// monitorConn returns the connection lock waits are watched from, opening
// it the first time with the migrator connection's settings.
func (m *Migrator) monitorConn(ctx context.Context) (*pgx.Conn, error) {
	if m.monitor != nil && !m.monitor.IsClosed() {
		return m.monitor, nil
	}
	cfg := m.conn.Config()
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["application_name"] = "schemadiff lock monitor"
	if cfg.ConnectTimeout == 0 || cfg.ConnectTimeout > 5*time.Second {
		cfg.ConnectTimeout = 5 * time.Second
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	m.monitor = conn
	return conn, nil
}

// closeMonitor closes the monitor connection, if open.
func (m *Migrator) closeMonitor(ctx context.Context) {
	if m.monitor != nil {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = m.monitor.Close(cctx)
		m.monitor = nil
	}
}

// retryPolicy is how often, and after what pause, a statement that gave up
// on its lock_timeout is tried again.
type retryPolicy struct {
	// lockTimeout is the lock_timeout the runner set; zero or negative when
	// it set none, which disables retries.
	lockTimeout time.Duration
	// retries is how many times to try again after the first attempt.
	retries int
	// firstWait is the pause before the first retry; it doubles for each
	// later one, up to maxRetryWait.
	firstWait time.Duration
}

// maxRetryWait caps the pause between two attempts.
const maxRetryWait = 30 * time.Second

// retryPolicy returns the lock retry policy for mig.
func (m *Migrator) retryPolicy(mig Migration, settings []timeoutSetting) retryPolicy {
	p := retryPolicy{firstWait: m.opts.DDLLockRetryWait}
	if p.firstWait <= 0 {
		p.firstWait = DefaultDDLLockRetryWait
	}
	for _, s := range settings {
		if s.name == "lock_timeout" {
			p.lockTimeout = s.value
		}
	}
	p.retries = mig.LockRetries
	if p.retries == 0 {
		p.retries = m.opts.DDLLockRetries
	}
	if p.retries == 0 {
		p.retries = DefaultDDLLockRetries
	}
	if p.retries < 0 || p.lockTimeout <= 0 {
		p.retries = 0
	}
	return p
}

// attempts is the total number of attempts allowed.
func (p retryPolicy) attempts() int { return p.retries + 1 }

// wait returns the pause before retry n (1-based): exponential backoff
// with jitter, between half and all of firstWait·2^(n-1) (capped), so that
// several runners that gave up together do not come back together.
func (p retryPolicy) wait(n int) time.Duration {
	d := p.firstWait
	for i := 1; i < n && d < maxRetryWait; i++ {
		d *= 2
	}
	d = min(d, maxRetryWait)
	half := d / 2
	return half + rand.N(half+1)
}

// sleep waits for d or until ctx is done, and returns ctx's error then.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// isDuplicateRelation reports whether err is PostgreSQL's duplicate_table
// (42P07), which CREATE INDEX raises when the index name is taken: then the
// index that exists is not one the failing statement built.
func isDuplicateRelation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "42P07"
}

// invalidIndexSQL reads whether an index exists and is valid.
const invalidIndexSQL = `SELECT i.indisvalid FROM pg_index i WHERE i.indexrelid = to_regclass($1)`

// invalidIndex reports whether ix exists and is INVALID.
func (m *Migrator) invalidIndex(ctx context.Context, ix indexName) (bool, error) {
	var valid bool
	err := m.conn.QueryRow(ctx, invalidIndexSQL, ix.quoted()).Scan(&valid)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("checking whether index %s is valid: %w", ix.quoted(), err)
	}
	return !valid, nil
}

// dropInvalidIndex drops ix with DROP INDEX CONCURRENTLY if it exists and is
// INVALID, as a failed CREATE INDEX CONCURRENTLY leaves it, on the
// migrator's connection (outside any transaction, with the migration's
// timeouts). It reports whether it dropped one.
func (m *Migrator) dropInvalidIndex(ctx context.Context, ix indexName) (dropped bool, err error) {
	invalid, err := m.invalidIndex(ctx, ix)
	if err != nil || !invalid {
		return false, err
	}
	if _, err := m.conn.Exec(ctx, "DROP INDEX CONCURRENTLY IF EXISTS "+ix.quoted()); err != nil {
		return false, fmt.Errorf("dropping the INVALID index %s: %w", ix.quoted(), err)
	}
	return true, nil
}
