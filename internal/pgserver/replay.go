package pgserver

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
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

// NewSandboxFrom is NewSandbox starting from a copy of the cached replay
// state state instead of an empty database: the copy (CREATE DATABASE ...
// TEMPLATE state) is owned by the loading role, and so is every object the
// replayed migrations created as a superuser (see handOverSQL), so that
// plans run on it as they would on a database built by the loading role.
// It fails, having dropped the copy, when the state holds what cannot be
// handed over (default privileges of a superuser, an object whose owner
// must stay a superuser that is not one of those NewSandbox's databases
// leave to the administrator too).
func (s *Scratch) NewSandboxFrom(ctx context.Context, role, state string) (*Sandbox, error) {
	s.opMu.RLock()
	defer s.opMu.RUnlock()
	if s.closed || s.Warm() == nil {
		return nil, errNoKeptCluster
	}
	if !strings.HasPrefix(state, ReplayPrefix) {
		return nil, fmt.Errorf("%q is not a cached replay state", state)
	}
	if role == "" || role == SuperuserName {
		role = DefaultLoaderRole
	}
	if role == s.server.superuser {
		return nil, fmt.Errorf("the embedded server's superuser %q cannot run plans in a scratch database", role)
	}
	if err := s.prepareLoader(ctx, role); err != nil {
		return nil, fmt.Errorf("preparing role %q to run plans in the scratch database: %w", role, err)
	}
	name, err := randomName(scratchPrefix)
	if err != nil {
		return nil, err
	}
	sql := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize() + " OWNER " + pgx.Identifier{role}.Sanitize() +
		" TEMPLATE " + pgx.Identifier{state}.Sanitize() + s.copyStrategy(ctx)
	if err := s.execWhenUnused(ctx, sql); err != nil {
		return nil, fmt.Errorf("copying the cached replay state %s: %w", state, err)
	}
	s.mu.Lock()
	s.created[name] = true
	s.mu.Unlock()
	sb := &Sandbox{name: name, Restricted: true, Role: role}
	if err := s.handOver(ctx, sb); err != nil {
		s.dropSandbox(context.WithoutCancel(ctx), sb) //nolint:errcheck // failure path
		return nil, fmt.Errorf("copying the cached replay state %s: %w", state, err)
	}
	return sb, nil
}

// handOver sets the URLs of sb, a copy of a cached replay state, and hands
// the objects of the copy to its loading role.
func (s *Scratch) handOver(ctx context.Context, sb *Sandbox) error {
	var err error
	if sb.AdminURL, err = withDatabase(s.adminURL, sb.name); err != nil {
		return err
	}
	if sb.URL, err = withUser(sb.AdminURL, sb.Role, ""); err != nil {
		return err
	}
	c, err := connectAdmin(ctx, sb.AdminURL)
	if err != nil {
		return fmt.Errorf("connecting to the copy: %w", err)
	}
	defer closeConn(c)
	// Event triggers the migrations created do not fire on the
	// administrator's statements.
	if _, err := c.Exec(ctx, "SET session_replication_role = replica; SET search_path = pg_catalog").ReadAll(); err != nil {
		return fmt.Errorf("preparing the administrator session: %w", err)
	}
	if _, err := c.Exec(ctx, handOverSQL(sb.Role)).ReadAll(); err != nil {
		return fmt.Errorf("handing its objects to %s: %w", sb.Role, err)
	}
	return nil
}

// handOverSQL returns the DO block that hands to role every object of the
// database owned by a superuser that the database's own statements
// created (OID from FirstNormalObjectId on: not those every new database
// has), except extension members (they stay the extension's, as when an
// extension is created in a sandbox) and the objects whose owner must be
// a superuser (event triggers, foreign-data wrappers), which stay the
// administrator's as in a sandbox. Objects that follow another's owner
// (indexes, the row types of tables, array types, sequences owned by a
// column) change with it; multirange types are handed over on their own. It raises an error when a superuser has default
// privileges, which a copy cannot give to role.
func handOverSQL(role string) string {
	objects := `
	WITH supers AS (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolsuper),
	members AS (SELECT d.classid, d.objid FROM pg_catalog.pg_depend d WHERE d.deptype OPERATOR(pg_catalog.=) 'e')
	SELECT pg_catalog.format('ALTER SCHEMA %I OWNER TO %I', n.nspname, new_owner) AS stmt
		FROM pg_catalog.pg_namespace n
		WHERE n.oid OPERATOR(pg_catalog.>=) 16384 AND n.nspowner IN (SELECT oid FROM supers)
			AND (('pg_catalog.pg_namespace'::pg_catalog.regclass, n.oid) NOT IN (SELECT * FROM members))
	UNION ALL
	SELECT pg_catalog.format('ALTER %s %I.%I OWNER TO %I',
			CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
				WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'c' THEN 'TYPE' ELSE 'TABLE' END,
			n.nspname, c.relname, new_owner)
		FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
		WHERE c.oid OPERATOR(pg_catalog.>=) 16384 AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')
			AND c.relowner IN (SELECT oid FROM supers)
			AND (('pg_catalog.pg_class'::pg_catalog.regclass, c.oid) NOT IN (SELECT * FROM members))
			AND NOT (c.relkind OPERATOR(pg_catalog.=) 'S' AND EXISTS (SELECT FROM pg_catalog.pg_depend d
				WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid OPERATOR(pg_catalog.=) c.oid
					AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype IN ('a', 'i')))
	UNION ALL
	SELECT pg_catalog.format('ALTER %s %I.%I OWNER TO %I', CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END,
			n.nspname, t.typname, new_owner)
		FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) t.typnamespace
		WHERE t.oid OPERATOR(pg_catalog.>=) 16384 AND t.typtype IN ('b', 'd', 'e', 'r', 'm') AND t.typisdefined
			AND t.typowner IN (SELECT oid FROM supers)
			AND (('pg_catalog.pg_type'::pg_catalog.regclass, t.oid) NOT IN (SELECT * FROM members))
			-- A multirange type depends on its range type, which does not
			-- hand it over (PostgreSQL 14 and 15).
			AND (t.typtype OPERATOR(pg_catalog.=) 'm' OR NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
				WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objid OPERATOR(pg_catalog.=) t.oid
					AND d.deptype OPERATOR(pg_catalog.=) 'i'))
	UNION ALL
	SELECT pg_catalog.format('ALTER ROUTINE %s OWNER TO %I', p.oid::pg_catalog.regprocedure, new_owner)
		FROM pg_catalog.pg_proc p
		WHERE p.oid OPERATOR(pg_catalog.>=) 16384 AND p.proowner IN (SELECT oid FROM supers)
			AND (('pg_catalog.pg_proc'::pg_catalog.regclass, p.oid) NOT IN (SELECT * FROM members))
	UNION ALL
	SELECT pg_catalog.format('ALTER OPERATOR %s OWNER TO %I', o.oid::pg_catalog.regoperator, new_owner)
		FROM pg_catalog.pg_operator o
		WHERE o.oid OPERATOR(pg_catalog.>=) 16384 AND o.oprowner IN (SELECT oid FROM supers)
			AND (('pg_catalog.pg_operator'::pg_catalog.regclass, o.oid) NOT IN (SELECT * FROM members))
	UNION ALL
	SELECT pg_catalog.format('ALTER OPERATOR FAMILY %I.%I USING %I OWNER TO %I', n.nspname, f.opfname, a.amname, new_owner)
		FROM pg_catalog.pg_opfamily f JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) f.opfnamespace
		JOIN pg_catalog.pg_am a ON a.oid OPERATOR(pg_catalog.=) f.opfmethod
		WHERE f.oid OPERATOR(pg_catalog.>=) 16384 AND f.opfowner IN (SELECT oid FROM supers)
			AND (('pg_catalog.pg_opfamily'::pg_catalog.regclass, f.oid) NOT IN (SELECT * FROM members))
	UNION ALL
	SELECT pg_catalog.format('ALTER OPERATOR CLASS %I.%I USING %I OWNER TO %I', n.nspname, c.opcname, a.amname, new_owner)
		FROM pg_catalog.pg_opclass c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.opcnamespace
		JOIN pg_catalog.pg_am a ON a.oid OPERATOR(pg_catalog.=) c.opcmethod
		WHERE c.oid OPERATOR(pg_catalog.>=) 16384 AND c.opcowner IN (SELECT oid FROM supers)
			AND (('pg_catalog.pg_opclass'::pg_catalog.regclass, c.oid) NOT IN (SELECT * FROM members))
	UNION ALL
	SELECT pg_catalog.format('ALTER COLLATION %I.%I OWNER TO %I', n.nspname, c.collname, new_owner)
		FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.collnamespace
		WHERE c.oid OPERATOR(pg_catalog.>=) 16384 AND c.collowner IN (SELECT oid FROM supers)
			AND (('pg_catalog.pg_collation'::pg_catalog.regclass, c.oid) NOT IN (SELECT * FROM members))
	UNION ALL
	SELECT pg_catalog.format('ALTER CONVERSION %I.%I OWNER TO %I', n.nspname, c.conname, new_owner)
		FROM pg_catalog.pg_conversion c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.connamespace
		WHERE c.oid OPERATOR(pg_catalog.>=) 16384 AND c.conowner IN (SELECT oid FROM supers)
			AND (('pg_catalog.pg_conversion'::pg_catalog.regclass, c.oid) NOT IN (SELECT * FROM members))
	UNION ALL
	SELECT pg_catalog.format('ALTER TEXT SEARCH CONFIGURATION %I.%I OWNER TO %I', n.nspname, c.cfgname, new_owner)
		FROM pg_catalog.pg_ts_config c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.cfgnamespace
		WHERE c.oid OPERATOR(pg_catalog.>=) 16384 AND c.cfgowner IN (SELECT oid FROM supers)
			AND (('pg_catalog.pg_ts_config'::pg_catalog.regclass, c.oid) NOT IN (SELECT * FROM members))
	UNION ALL
	SELECT pg_catalog.format('ALTER TEXT SEARCH DICTIONARY %I.%I OWNER TO %I', n.nspname, d.dictname, new_owner)
		FROM pg_catalog.pg_ts_dict d JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) d.dictnamespace
		WHERE d.oid OPERATOR(pg_catalog.>=) 16384 AND d.dictowner IN (SELECT oid FROM supers)
			AND (('pg_catalog.pg_ts_dict'::pg_catalog.regclass, d.oid) NOT IN (SELECT * FROM members))
	UNION ALL
	SELECT pg_catalog.format('ALTER STATISTICS %I.%I OWNER TO %I', n.nspname, x.stxname, new_owner)
		FROM pg_catalog.pg_statistic_ext x JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) x.stxnamespace
		WHERE x.oid OPERATOR(pg_catalog.>=) 16384 AND x.stxowner IN (SELECT oid FROM supers)
	UNION ALL
	SELECT pg_catalog.format('ALTER SERVER %I OWNER TO %I', s.srvname, new_owner)
		FROM pg_catalog.pg_foreign_server s
		WHERE s.oid OPERATOR(pg_catalog.>=) 16384 AND s.srvowner IN (SELECT oid FROM supers)
			AND (('pg_catalog.pg_foreign_server'::pg_catalog.regclass, s.oid) NOT IN (SELECT * FROM members))
	UNION ALL
	SELECT pg_catalog.format('ALTER PUBLICATION %I OWNER TO %I', p.pubname, new_owner)
		FROM pg_catalog.pg_publication p
		WHERE p.oid OPERATOR(pg_catalog.>=) 16384 AND p.pubowner IN (SELECT oid FROM supers)
	UNION ALL
	SELECT pg_catalog.format('ALTER LANGUAGE %I OWNER TO %I', l.lanname, new_owner)
		FROM pg_catalog.pg_language l
		WHERE l.oid OPERATOR(pg_catalog.>=) 16384 AND l.lanowner IN (SELECT oid FROM supers)
			AND (('pg_catalog.pg_language'::pg_catalog.regclass, l.oid) NOT IN (SELECT * FROM members))`
	body := `
DECLARE
	new_owner pg_catalog.text := ` + schema.Literal(role) + `;
	sd_object record;
BEGIN
	IF EXISTS (SELECT FROM pg_catalog.pg_default_acl a JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) a.defaclrole WHERE r.rolsuper) THEN
		RAISE EXCEPTION 'a superuser has default privileges (ALTER DEFAULT PRIVILEGES): they cannot be given to %', new_owner;
	END IF;
	FOR sd_object IN ` + objects + `
	LOOP
		EXECUTE sd_object.stmt;
	END LOOP;
END
`
	tag := "$sd_hand_over$"
	for n := 0; strings.Contains(body, tag); n++ {
		tag = "$sd_hand_over" + strconv.Itoa(n) + "$"
	}
	return "DO " + tag + body + tag
}
