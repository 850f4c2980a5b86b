package pgserver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemadiff/schemadiff/internal/appname"
)

// scratchPrefix starts the name of every database a Scratch creates.
const scratchPrefix = "schemadiff_scratch_"

// maxIdleAdmin bounds the maintenance connections a Scratch keeps open.
const maxIdleAdmin = 4

// Scratch is a source of throwaway databases, on an embedded server or on
// an existing server. It is safe for concurrent use.
type Scratch struct {
	server   *Server // nil when using an existing server
	adminURL string  // where CREATE/DROP DATABASE run
	idle     chan *pgconn.PgConn

	opMu     sync.RWMutex // held shared by operations, exclusively by Close
	closed   bool
	closeErr error

	mu        sync.Mutex
	created   map[string]bool
	tempRoles map[string]bool // loading roles created on a dev server
	ensured   map[string]bool // roles EnsureRoles was asked for

	roleMu sync.Mutex // serialises preparing loading roles
	opts   Options

	// On a dev server: the dev URL's user, whether it is a superuser and
	// whether it may create the temporary roles sandboxes load as.
	devUser           string
	devSuperuser      bool
	devCanCreateRoles bool
}

// OpenScratch returns a source of throwaway databases: on the server at
// devURL when it is non-empty (databases are created there and dropped
// afterwards), else on a newly started embedded server. The caller must call
// Close.
func OpenScratch(ctx context.Context, devURL string, opts Options) (*Scratch, error) {
	s := &Scratch{
		idle:      make(chan *pgconn.PgConn, maxIdleAdmin),
		created:   map[string]bool{},
		tempRoles: map[string]bool{},
		ensured:   map[string]bool{},
		opts:      opts,
	}
	if devURL == "" {
		srv, err := Start(ctx, opts)
		if err != nil {
			return nil, err
		}
		s.server = srv
		s.adminURL = srv.URL("postgres")
		return s, nil
	}
	u, err := parseURL(devURL)
	if err != nil {
		return nil, fmt.Errorf("dev database URL: %w", err)
	}
	s.adminURL = devURL
	c, err := s.acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("connecting to dev database %s: %w", u.Redacted(), err)
	}
	s.release(c)
	opts.logf("using dev database server %s for scratch databases", u.Redacted())
	if err := s.probeDevRights(ctx); err != nil {
		return nil, fmt.Errorf("dev database %s: %w", u.Redacted(), err)
	}
	return s, nil
}

// probeDevRights reads what the dev URL's user may do, and warns when it
// cannot create the role-less roles schema files are loaded as.
func (s *Scratch) probeDevRights(ctx context.Context) error {
	rows, err := s.query(ctx, `SELECT current_user || ' ' || r.rolsuper::text || ' ' || (r.rolsuper OR r.rolcreaterole)::text
		FROM pg_catalog.pg_roles r WHERE r.rolname = current_user`)
	if err != nil {
		return fmt.Errorf("reading the rights of the dev URL's user: %w", err)
	}
	if len(rows) != 1 {
		return errors.New("reading the rights of the dev URL's user: no such role")
	}
	var super, create string
	i := strings.LastIndexByte(rows[0], ' ')
	create = rows[0][i+1:]
	j := strings.LastIndexByte(rows[0][:i], ' ')
	s.devUser, super = rows[0][:j], rows[0][j+1:i]
	s.devSuperuser, s.devCanCreateRoles = super == "true", create == "true"
	if !s.devCanCreateRoles {
		s.warnUnrestricted("it may not create roles")
	}
	return nil
}

// warnUnrestricted says that schema files run with the dev URL user's
// rights, and why.
func (s *Scratch) warnUnrestricted(why string) {
	s.opts.warnf("--dev-url: schema files are loaded on the dev server as its user %q, with all of that user's rights (%s; with CREATEROLE, schemadiff loads them as a temporary role without rights)",
		s.devUser, why)
}

// NewDatabase creates an empty database (CREATE DATABASE
// schemadiff_scratch_<random hex> TEMPLATE template0) and returns its URL.
func (s *Scratch) NewDatabase(ctx context.Context) (string, error) {
	s.opMu.RLock()
	defer s.opMu.RUnlock()
	if s.closed {
		return "", errors.New("creating scratch database: scratch source is closed")
	}
	return s.createDatabase(ctx, "template0", "")
}

// createDatabase creates a scratch database from template, with the
// options clause (e.g. " STRATEGY FILE_COPY"), and returns its URL. The
// caller holds opMu.
func (s *Scratch) createDatabase(ctx context.Context, template, clause string) (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("creating scratch database: %w", err)
	}
	name := scratchPrefix + hex.EncodeToString(b[:])
	dbURL, err := withDatabase(s.adminURL, name)
	if err != nil {
		return "", fmt.Errorf("creating scratch database: %w", err)
	}
	sql := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize() + " TEMPLATE " + pgx.Identifier{template}.Sanitize() + clause
	if err := s.exec(ctx, sql); err != nil {
		return "", fmt.Errorf("creating scratch database %s: %w", name, err)
	}
	s.mu.Lock()
	s.created[name] = true
	s.mu.Unlock()
	return dbURL, nil
}

// DropDatabase drops (WITH (FORCE)) a database that NewDatabase returned.
// It refuses databases this Scratch did not create.
func (s *Scratch) DropDatabase(ctx context.Context, dbURL string) error {
	s.opMu.RLock()
	defer s.opMu.RUnlock()
	if s.closed {
		return errors.New("dropping scratch database: scratch source is closed")
	}
	name, err := databaseName(dbURL)
	if err != nil {
		return fmt.Errorf("dropping scratch database: %w", err)
	}
	s.mu.Lock()
	ours := s.created[name]
	s.mu.Unlock()
	if !ours {
		return fmt.Errorf("dropping scratch database: %q was not created by this scratch source", name)
	}
	if err := s.drop(ctx, name); err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.created, name)
	s.mu.Unlock()
	return nil
}

// Close drops every database still created and stops the embedded server
// if any. On an embedded server the databases go away with the server. It
// is safe to call more than once.
func (s *Scratch) Close() error {
	s.opMu.Lock()
	defer s.opMu.Unlock()
	if s.closed {
		return s.closeErr
	}
	s.closed = true
	var errs []error
	// A kept cluster outlives the server: its scratch databases are
	// dropped like a dev server's.
	if s.server == nil || s.server.warm != nil {
		s.mu.Lock()
		names := make([]string, 0, len(s.created))
		for name := range s.created {
			names = append(names, name)
		}
		s.mu.Unlock()
		sort.Strings(names)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		for _, name := range names {
			if err := s.drop(ctx, name); err != nil {
				errs = append(errs, err)
				continue
			}
			s.mu.Lock()
			delete(s.created, name)
			s.mu.Unlock()
		}
		s.mu.Lock()
		roles := make([]string, 0, len(s.tempRoles))
		for r := range s.tempRoles {
			roles = append(roles, r)
		}
		s.mu.Unlock()
		sort.Strings(roles)
		for _, r := range roles {
			if err := s.dropRole(ctx, &Sandbox{Role: r, tempRole: true}); err != nil {
				errs = append(errs, err)
			}
		}
		cancel()
	}
	s.closeIdle()
	if s.server != nil {
		if err := s.server.Stop(); err != nil {
			errs = append(errs, err)
		}
	}
	s.closeErr = errors.Join(errs...)
	return s.closeErr
}

func (s *Scratch) drop(ctx context.Context, name string) error {
	if s.server != nil && s.opts.DropWithServer && s.server.warm == nil {
		return nil // goes with the server's data directory (see DropWithServer)
	}
	sql := "DROP DATABASE IF EXISTS " + pgx.Identifier{name}.Sanitize() + " WITH (FORCE)"
	if err := s.exec(ctx, sql); err != nil {
		return fmt.Errorf("dropping scratch database %s: %w", name, err)
	}
	return nil
}

// exec runs sql on a maintenance connection, retrying once on a fresh
// connection when a pooled one turns out to be dead before sending.
func (s *Scratch) exec(ctx context.Context, sql string) error {
	for attempt := 0; ; attempt++ {
		c, err := s.acquire(ctx)
		if err != nil {
			return err
		}
		_, err = c.Exec(ctx, sql).ReadAll()
		s.release(c)
		if err != nil && attempt == 0 && pgconn.SafeToRetry(err) && ctx.Err() == nil {
			continue
		}
		return err
	}
}

func (s *Scratch) acquire(ctx context.Context) (*pgconn.PgConn, error) {
	for {
		select {
		case c := <-s.idle:
			if !c.IsClosed() {
				return c, nil
			}
		default:
			return connectAdmin(ctx, s.adminURL)
		}
	}
}

// connectAdmin opens an administrative connection, named "schemadiff" in
// pg_stat_activity unless the URL names it.
func connectAdmin(ctx context.Context, url string) (*pgconn.PgConn, error) {
	cfg, err := pgconn.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	appname.Set(cfg, appname.CLI)
	return pgconn.ConnectConfig(ctx, cfg)
}

func (s *Scratch) release(c *pgconn.PgConn) {
	if c.IsClosed() {
		return
	}
	select {
	case s.idle <- c:
	default:
		closeConn(c)
	}
}

func (s *Scratch) closeIdle() {
	for {
		select {
		case c := <-s.idle:
			closeConn(c)
		default:
			return
		}
	}
}

func closeConn(c *pgconn.PgConn) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = c.Close(ctx)
}

// parseURL parses a postgres:// or postgresql:// URL.
func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return nil, fmt.Errorf("%s: want a postgres:// or postgresql:// URL", u.Redacted())
	}
	return u, nil
}

// withDatabase returns raw with its database replaced by name. Any dbname
// or database query parameter, which would override the path, is removed.
func withDatabase(raw, name string) (string, error) {
	u, err := parseURL(raw)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	u.RawPath = ""
	if q := u.Query(); q.Has("dbname") || q.Has("database") {
		q.Del("dbname")
		q.Del("database")
		u.RawQuery = q.Encode()
	}
	return u.String(), nil
}

// databaseName returns the database a URL names.
func databaseName(raw string) (string, error) {
	u, err := parseURL(raw)
	if err != nil {
		return "", err
	}
	name := strings.TrimPrefix(u.Path, "/")
	if q := u.Query(); q.Get("dbname") != "" {
		name = q.Get("dbname")
	} else if q.Get("database") != "" {
		name = q.Get("database")
	}
	if name == "" {
		return "", fmt.Errorf("%s names no database", u.Redacted())
	}
	return name, nil
}

// EnsureRoles creates, as NOLOGIN roles without any right, those of names
// the embedded server does not have, so that schema files granting to roles
// of the target database load in a scratch database too. On an existing
// server (devURL) it does nothing: roles there are the operator's business.
// Names are quoted as identifiers, never spliced into other SQL, so any
// role name works.
func (s *Scratch) EnsureRoles(ctx context.Context, names []string) error {
	if s.server == nil {
		return nil
	}
	for _, name := range names {
		s.mu.Lock()
		s.ensured[name] = true
		s.mu.Unlock()
		if err := s.createRole(ctx, name, "NOLOGIN"); err != nil {
			return fmt.Errorf("creating role %q in the scratch server: %w", name, err)
		}
	}
	return nil
}

// createRole runs CREATE ROLE name with the given options; a role that
// exists already (or is created meanwhile by a concurrent caller) is fine.
func (s *Scratch) createRole(ctx context.Context, name, options string) error {
	err := s.exec(ctx, "CREATE ROLE "+pgx.Identifier{name}.Sanitize()+" "+options)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "42710" || pgErr.Code == "23505") {
		return nil
	}
	return err
}

// MemoryBacked returns the data directory of the embedded server when it
// is on a memory-backed file system (see ScratchDirEnv), else "".
func (s *Scratch) MemoryBacked() string {
	if s.server == nil || !memoryBacked(s.server.dataDir) {
		return ""
	}
	return s.server.dataDir
}
