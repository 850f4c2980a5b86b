package pgserver

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemadiff/schemadiff/schema"
)

// ReplayCacheEnv names the environment variable that turns the cached
// replay states off ("off", "0", "false", "no"): every replay of a
// migrations directory then applies every migration. $SCHEMADIFF_WARM=off
// turns them off too, since they live on the kept cluster.
const ReplayCacheEnv = "SCHEMADIFF_REPLAY_CACHE"

// ReplayPrefix starts the names of the databases of a kept cluster that
// hold cached replay states (the state after replaying a prefix of a
// migrations directory).
const ReplayPrefix = "schemadiff_replay_"

// ReplayCacheDisabled reports whether $SCHEMADIFF_REPLAY_CACHE turns the
// cached replay states off.
func ReplayCacheDisabled() bool {
	switch strings.ToLower(os.Getenv(ReplayCacheEnv)) {
	case "off", "0", "false", "no", "none":
		return true
	}
	return false
}

// errNoKeptCluster is returned when replay states are asked of a Scratch
// that does not run on a kept cluster.
var errNoKeptCluster = errors.New("no kept cluster")

// ReplayStates returns the names of the cached replay state databases of
// the kept cluster, oldest first.
func (s *Scratch) ReplayStates(ctx context.Context) ([]string, error) {
	s.opMu.RLock()
	defer s.opMu.RUnlock()
	if s.closed || s.Warm() == nil {
		return nil, errNoKeptCluster
	}
	names, err := s.query(ctx, "SELECT datname::text FROM pg_catalog.pg_database WHERE pg_catalog.starts_with(datname::text, "+
		schema.Literal(ReplayPrefix)+") ORDER BY oid")
	if err != nil {
		return nil, fmt.Errorf("listing the cached replay states: %w", err)
	}
	return names, nil
}

// NewDatabaseFrom is NewDatabase with the cached replay state state as the
// template instead of template0: the new database starts as a copy of it.
func (s *Scratch) NewDatabaseFrom(ctx context.Context, state string) (string, error) {
	s.opMu.RLock()
	defer s.opMu.RUnlock()
	if s.closed || s.Warm() == nil {
		return "", errNoKeptCluster
	}
	if !strings.HasPrefix(state, ReplayPrefix) {
		return "", fmt.Errorf("%q is not a cached replay state", state)
	}
	return s.createDatabase(ctx, state, s.copyStrategy(ctx))
}

// copyStrategy returns the clause that copies a database file by file
// (STRATEGY FILE_COPY, PostgreSQL 15 and later; the only way before): on
// a server without durability it is faster than logging every block, the
// default since PostgreSQL 15.
func (s *Scratch) copyStrategy(ctx context.Context) string {
	if num, _, err := s.ServerVersion(ctx); err == nil && num >= 150000 {
		return " STRATEGY FILE_COPY"
	}
	return ""
}

// StateSaving says how SaveReplayState keeps a scratch database.
type StateSaving int

const (
	// CopyState copies the scratch database, which stays.
	CopyState StateSaving = iota
	// MoveState renames the scratch database: it is no longer dropped
	// with the Scratch.
	MoveState
)

// SaveReplayState keeps the scratch database at dbURL, which nobody may be
// connected to, as the cached replay state name, unless that exists
// already. It returns the URL of the state.
func (s *Scratch) SaveReplayState(ctx context.Context, dbURL, name string, how StateSaving) (string, error) {
	s.opMu.RLock()
	defer s.opMu.RUnlock()
	if s.closed || s.Warm() == nil {
		return "", errNoKeptCluster
	}
	if !strings.HasPrefix(name, ReplayPrefix) {
		return "", fmt.Errorf("%q is not named as a cached replay state", name)
	}
	from, err := databaseName(dbURL)
	if err != nil {
		return "", fmt.Errorf("keeping a replay state: %w", err)
	}
	s.mu.Lock()
	ours := s.created[from]
	s.mu.Unlock()
	if !ours {
		return "", fmt.Errorf("keeping a replay state: %q was not created by this scratch source", from)
	}
	stateURL, err := withDatabase(s.adminURL, name)
	if err != nil {
		return "", fmt.Errorf("keeping a replay state: %w", err)
	}
	exists, err := s.query(ctx, "SELECT 1 FROM pg_catalog.pg_database WHERE datname = "+schema.Literal(name))
	if err != nil {
		return "", fmt.Errorf("looking for the replay state %s: %w", name, err)
	}
	if len(exists) > 0 {
		return stateURL, nil
	}
	sql := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize() + " TEMPLATE " + pgx.Identifier{from}.Sanitize() + s.copyStrategy(ctx)
	if how == MoveState {
		sql = "ALTER DATABASE " + pgx.Identifier{from}.Sanitize() + " RENAME TO " + pgx.Identifier{name}.Sanitize()
	}
	if err := s.execWhenUnused(ctx, sql); err != nil {
		return "", fmt.Errorf("keeping the replay state %s: %w", name, err)
	}
	if how == MoveState {
		s.mu.Lock()
		delete(s.created, from)
		s.mu.Unlock()
	}
	return stateURL, nil
}

// ReplayStateURL returns the URL of the cached replay state name, to be
// read, never changed.
func (s *Scratch) ReplayStateURL(name string) (string, error) {
	if s.Warm() == nil {
		return "", errNoKeptCluster
	}
	if !strings.HasPrefix(name, ReplayPrefix) {
		return "", fmt.Errorf("%q is not a cached replay state", name)
	}
	return withDatabase(s.adminURL, name)
}

// DropReplayState drops the cached replay state name.
func (s *Scratch) DropReplayState(ctx context.Context, name string) error {
	s.opMu.RLock()
	defer s.opMu.RUnlock()
	if s.closed || s.Warm() == nil {
		return errNoKeptCluster
	}
	if !strings.HasPrefix(name, ReplayPrefix) {
		return fmt.Errorf("%q is not a cached replay state", name)
	}
	if err := s.exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("dropping the cached replay state %s: %w", name, err)
	}
	return nil
}

// unusedWait bounds how long execWhenUnused waits for the sessions of a
// database that just ended (a runner that exited) to go away.
const unusedWait = 5 * time.Second

// execWhenUnused runs sql, which needs a database nobody is connected to,
// again while it fails because a session that just ended is still going
// away (SQLSTATE 55006), for up to unusedWait.
func (s *Scratch) execWhenUnused(ctx context.Context, sql string) error {
	deadline := time.Now().Add(unusedWait)
	for {
		err := s.exec(ctx, sql)
		var pgErr *pgconn.PgError
		if err == nil || !errors.As(err, &pgErr) || pgErr.Code != "55006" || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(50 * time.Millisecond):
		}
	}
}
