package pgserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

const (
	// port only names the socket file: the server listens on no TCP port.
	port          = 5432
	startTimeout  = 30 * time.Second
	stopTimeout   = 5 * time.Second
	pollInterval  = 5 * time.Millisecond
	maxSocketPath = 100 // sun_path is 104 to 108 bytes depending on the OS
)

// SuperuserName is the embedded server's bootstrap superuser. It is not
// "postgres", so that a role of that name (the usual owner of target
// databases) can be reproduced on the embedded server without superuser
// rights.
const SuperuserName = "schemadiff_superuser"

// Options configure Start.
type Options struct {
	// BinDir overrides binary discovery.
	BinDir string
	// Logf, when non-nil, receives progress lines (e.g. for --verbose).
	Logf func(format string, args ...any)
	// Warnf, when non-nil, receives warnings the user must see.
	Warnf func(format string, args ...any)
	// Superuser names the bootstrap superuser; empty means SuperuserName.
	// A server whose superuser is named like a loading role (e.g.
	// "postgres", to stand for a target database) gives no sandboxes.
	Superuser string
	// DropWithServer leaves the scratch databases of an embedded server in
	// place until the server stops, instead of dropping each one when its
	// user is done with it: DROP DATABASE forces a checkpoint and removes
	// the database's files one by one (tens of seconds for thousands of
	// tables), which a process that stops the server next, as the command
	// line does, need not wait for. It has no effect on a dev server.
	DropWithServer bool
	// WarmKey, when not empty, names the desired schema source (e.g. its
	// absolute paths): the server then runs on the cluster kept for it
	// between runs (see Warm), unless $SCHEMADIFF_WARM is "off", the
	// cluster cache is off or another run uses that cluster. Databases
	// other than WarmDatabase are dropped as usual, DropWithServer
	// notwithstanding: the data directory outlives the server.
	WarmKey string

	// extraArgs are appended to the postgres command line (tests only).
	extraArgs []string
}

func (o Options) superuser() string {
	if o.Superuser == "" {
		return SuperuserName
	}
	return o.Superuser
}

func (o Options) warnf(format string, args ...any) {
	if o.Warnf != nil {
		o.Warnf(format, args...)
	}
}

func (o Options) logf(format string, args ...any) {
	if o.Logf != nil {
		o.Logf(format, args...)
	}
}

// Server is a private PostgreSQL running in a temporary directory on a Unix
// socket. It listens on no TCP port and trusts every local connection.
type Server struct {
	dir     string // temporary directory holding everything below
	dataDir string
	sockDir string
	logPath string
	// superuser is the bootstrap superuser's name.
	superuser string

	cmd     *exec.Cmd
	exited  chan struct{} // closed once cmd.Wait returns
	waitErr error         // cmd.Wait's result, valid after exited is closed

	stopOnce sync.Once
	stopErr  error

	fromCache bool  // the cluster is a copy of a cached template
	warm      *Warm // the kept cluster the server runs on, if any
}

// Start initialises a cluster in a new temporary directory and starts a
// postgres server on it, returning once the server accepts connections.
// The cluster is a copy of a template kept in the cluster cache (see
// CacheEnv), made by initdb on first use; each server runs on its own
// copy, so nothing done on one server is seen by the next.
// When running as root the server runs as the dedicated system user
// RunAsUser.
// The caller must call Stop.
func Start(ctx context.Context, opts Options) (*Server, error) {
	s, err := start(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("starting embedded postgres: %w", err)
	}
	return s, nil
}

func start(ctx context.Context, opts Options) (*Server, error) {
	began := time.Now()
	bin, err := binDir(opts.BinDir)
	if err != nil {
		return nil, err
	}
	owner, err := pickRunAs(opts.logf)
	if err != nil {
		return nil, err
	}
	if owner != nil {
		opts.logf("running as root: PostgreSQL will run as user %q", owner.name)
	}
	opts.logf("using PostgreSQL binaries in %s", bin)
	base := tempBase(owner, opts)
	removeStaleDirs(base, opts)
	l := launch{bin: bin, base: base, owner: owner, opts: opts, began: began}
	cache := openClusterCache(ctx, bin, opts)
	if cache == nil {
		return l.fresh(ctx, nil, nil)
	}
	if opts.WarmKey != "" && !WarmDisabled() {
		s, err := l.warm(ctx, cache, opts.WarmKey)
		if err == nil {
			return s, nil
		}
		if ctx.Err() != nil {
			return nil, err
		}
		opts.logf("not using a kept cluster: %v", err)
	}
	s, err := l.fromCache(ctx, cache)
	if err == nil {
		return s, nil
	}
	if ctx.Err() != nil {
		return nil, err
	}
	if errors.Is(err, errNoTemplate) {
		opts.logf("cluster cache %s: %v: running initdb", cache.entryDir(), err)
		return l.fresh(ctx, cache, nil)
	}
	opts.logf("could not start a server on a copy of the cached cluster %s, trying a new cluster: %v", cache.entryDir(), err)
	return l.fresh(ctx, cache, err)
}

// launch holds what starting a server needs.
type launch struct {
	bin   string
	base  string // parent of the temporary directory
	owner *runAs // nil unless running as root
	opts  Options
	began time.Time
}

// fresh starts a server on a cluster that initdb makes. When cache is not
// nil, a copy of the cluster made before the server first runs on it
// becomes the cached template once the server is up, replacing the one
// that failed with cachedErr when that is not nil.
func (l *launch) fresh(ctx context.Context, cache *clusterCache, cachedErr error) (_ *Server, err error) {
	s, err := l.newServer()
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			_ = s.Stop()
		}
	}()
	if err := os.Mkdir(s.dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("creating %s: %w", s.dataDir, err)
	}
	// Only the server's user may reach the data.
	if err := os.Chmod(s.dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("restricting %s: %w", s.dataDir, err)
	}
	if err := l.owner.chown(s.dataDir); err != nil {
		return nil, fmt.Errorf("handing %s to user %s: %w", s.dataDir, l.owner.name, err)
	}
	locale, err := s.initdb(ctx, l.bin, l.owner, l.opts)
	if err != nil {
		return nil, err
	}
	l.opts.logf("initdb done after %s", time.Since(l.began).Round(time.Millisecond))
	var pending *pendingEntry
	if cache != nil {
		if pending, err = cache.prepare(s.dataDir, locale); err != nil {
			l.opts.warnf("not caching the embedded server's cluster: %v", err)
		}
	}
	if err := s.run(ctx, l.bin, l.owner, l.opts); err != nil {
		if pending != nil {
			pending.discard()
		}
		return nil, err
	}
	if pending != nil {
		if err := pending.commit(cachedErr != nil, l.opts); err != nil {
			l.opts.warnf("not caching the embedded server's cluster: %v", err)
		} else if cachedErr != nil {
			l.opts.warnf("replaced the cached cluster %s, on a copy of which no server could start: %v", cache.entryDir(), cachedErr)
		}
	}
	l.opts.logf("embedded postgres ready after %s on %s", time.Since(l.began).Round(time.Millisecond), s.sockDir)
	return s, nil
}

// fromCache starts a server on a copy of the cached template cluster. The
// error wraps errNoTemplate when the cache holds no usable template.
func (l *launch) fromCache(ctx context.Context, cache *clusterCache) (_ *Server, err error) {
	s, err := l.newServer()
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			_ = s.Stop()
		}
	}()
	if _, err := cache.copyTemplate(s.dataDir, l.owner); err != nil {
		return nil, err
	}
	s.fromCache = true
	l.opts.logf("copied the cached cluster %s after %s", cache.entryDir(), time.Since(l.began).Round(time.Millisecond))
	if err := s.run(ctx, l.bin, l.owner, l.opts); err != nil {
		return nil, err
	}
	l.opts.logf("embedded postgres ready after %s on %s", time.Since(l.began).Round(time.Millisecond), s.sockDir)
	return s, nil
}

// newServer creates the temporary directory of a server, with everything
// but the data directory.
func (l *launch) newServer() (_ *Server, err error) {
	dir, err := os.MkdirTemp(l.base, tempPattern)
	if err != nil {
		return nil, fmt.Errorf("creating temporary directory: %w", err)
	}
	if err := writeOwnerPID(dir); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	s := &Server{
		dir:     dir,
		dataDir: filepath.Join(dir, "data"),
		sockDir: filepath.Join(dir, "sock"),
		logPath: filepath.Join(dir, "postgres.log"),
		exited:  make(chan struct{}),

		superuser: l.opts.superuser(),
	}
	defer func() {
		if err != nil {
			_ = s.Stop()
		}
	}()
	// Only the server's user may reach the socket.
	if err := os.Mkdir(s.sockDir, 0o700); err != nil {
		return nil, fmt.Errorf("creating %s: %w", s.sockDir, err)
	}
	if err := os.Chmod(s.sockDir, 0o700); err != nil {
		return nil, fmt.Errorf("restricting %s: %w", s.sockDir, err)
	}
	logFile, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("creating server log: %w", err)
	}
	logFile.Close()
	if err := l.owner.chownTree(dir); err != nil {
		return nil, fmt.Errorf("handing %s to user %s: %w", dir, l.owner.name, err)
	}
	l.opts.logf("temporary directory %s", dir)
	return s, nil
}

// serverSettings tune the server for scratch databases that hold no data
// worth keeping: no durability, no replication, no background work.
var serverSettings = []string{
	"listen_addresses=",
	"fsync=off",
	"synchronous_commit=off",
	"full_page_writes=off",
	"wal_level=minimal",
	"max_wal_senders=0",
	"autovacuum=off",
	"jit=off",
	"max_connections=100",
	"max_locks_per_transaction=1024",
	"shared_buffers=32MB",
}

// run starts postgres on the server's data directory and waits until it
// accepts connections.
func (s *Server) run(ctx context.Context, bin string, owner *runAs, opts Options) error {
	logFile, err := os.OpenFile(s.logPath, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("opening server log: %w", err)
	}
	defer logFile.Close()
	args := []string{"-D", s.dataDir, "-k", s.sockDir, "-p", strconv.Itoa(port)}
	for _, setting := range serverSettings {
		args = append(args, "-c", setting)
	}
	args = append(args, opts.extraArgs...)
	cmd := exec.Command(filepath.Join(bin, exeName("postgres")), args...)
	cmd.Dir = s.dir
	cmd.Env = childEnv()
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = procAttr(owner)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("running postgres: %w", err)
	}
	s.cmd = cmd
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	return s.waitReady(ctx)
}

// initdb creates the cluster, falling back to the C locale when C.UTF-8 is
// not available, and returns the locale it was made with.
func (s *Server) initdb(ctx context.Context, bin string, owner *runAs, opts Options) (string, error) {
	cfg := clusterConfig(opts)
	var out []byte
	var err error
	for _, locale := range cfg.locales {
		cmd := exec.CommandContext(ctx, filepath.Join(bin, exeName("initdb")),
			"-D", s.dataDir, "-U", cfg.superuser, "--auth="+cfg.auth, "-E", cfg.encoding,
			"--locale="+locale, "--no-sync")
		cmd.Dir = s.dir
		cmd.Env = childEnv()
		cmd.SysProcAttr = procAttr(owner)
		// initdb runs postgres in single-user mode: cancel the whole group.
		cmd.Cancel = func() error {
			_ = killGroup(cmd.Process.Pid)
			return cmd.Process.Kill()
		}
		cmd.WaitDelay = stopTimeout
		out, err = cmd.CombinedOutput()
		if err == nil {
			return locale, nil
		}
		if ctx.Err() != nil || !bytes.Contains(bytes.ToLower(out), []byte("locale")) {
			break
		}
		opts.logf("initdb rejected --locale=%s, retrying: %s", locale, tail(out, 3))
		// initdb leaves the (pre-existing) data directory empty on failure.
	}
	return "", fmt.Errorf("initdb: %w\n%s", err, tail(out, 20))
}

// waitReady polls until a connection succeeds, the postmaster exits, or the
// timeout or ctx expires.
func (s *Server) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	connString := s.URL("postgres")
	var lastErr error
	for {
		attemptCtx, attemptCancel := context.WithTimeout(ctx, 2*time.Second)
		conn, err := pgconn.Connect(attemptCtx, connString)
		attemptCancel()
		if err == nil {
			return conn.Close(ctx)
		}
		lastErr = err
		select {
		case <-s.exited:
			return fmt.Errorf("postgres exited during startup (%v):\n%s", s.waitErr, s.logTail())
		case <-ctx.Done():
			return fmt.Errorf("postgres not accepting connections after %s (%v): %w\n%s",
				startTimeout, lastErr, ctx.Err(), s.logTail())
		case <-time.After(pollInterval):
		}
	}
}

// URL returns a pgx-compatible connection URL for database dbname over the
// server's Unix socket, as the bootstrap superuser (see Options.Superuser).
func (s *Server) URL(dbname string) string {
	q := url.Values{}
	q.Set("host", s.sockDir)
	q.Set("port", strconv.Itoa(port))
	q.Set("sslmode", "disable")
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User(s.superuser),
		Path:     "/" + dbname,
		RawQuery: q.Encode(),
	}
	return u.String()
}

// Stop shuts the server down (fast shutdown, then SIGKILL after a few
// seconds) and removes its temporary directory. It is safe to call more
// than once; later calls return the first call's result.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() { s.stopErr = s.stop() })
	return s.stopErr
}

func (s *Server) stop() error {
	var errs []error
	if s.cmd != nil && s.cmd.Process != nil {
		pid := s.cmd.Process.Pid
		select {
		case <-s.exited:
		default:
			_ = interrupt(s.cmd.Process)
			select {
			case <-s.exited:
			case <-time.After(stopTimeout):
				if err := killGroup(pid); err != nil {
					errs = append(errs, err)
				}
				_ = s.cmd.Process.Kill()
				select {
				case <-s.exited:
				case <-time.After(stopTimeout):
					errs = append(errs, fmt.Errorf("postgres (pid %d) did not exit after SIGKILL", pid))
				}
			}
		}
		// Backends exit with the postmaster; make sure none lingers.
		if err := killGroup(pid); err != nil {
			errs = append(errs, err)
		}
	}
	if s.warm != nil {
		s.warm.release()
	}
	if s.dir != "" {
		if err := os.RemoveAll(s.dir); err != nil {
			errs = append(errs, fmt.Errorf("removing %s: %w", s.dir, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("stopping embedded postgres: %w", err)
	}
	return nil
}

// logTail returns the last lines of the server log.
func (s *Server) logTail() string {
	f, err := os.Open(s.logPath)
	if err != nil {
		return fmt.Sprintf("(no server log: %v)", err)
	}
	defer f.Close()
	const maxBytes = 8 << 10
	if fi, err := f.Stat(); err == nil && fi.Size() > maxBytes {
		_, _ = f.Seek(-maxBytes, io.SeekEnd)
	}
	b, _ := io.ReadAll(f)
	return tail(b, 20)
}

// tail returns the last n lines of b.
func tail(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// ScratchDirEnv names the environment variable that says where the embedded
// server's files go: an absolute directory, or "tmp" for the temporary
// directory. By default they go to a memory-backed directory shared by all
// users (/dev/shm on Linux, when it has room and $TMPDIR is not set): the
// server holds no data worth keeping, and creating, copying and removing
// the thousands of files of a large schema costs more on a disk than
// anything else the server does.
const ScratchDirEnv = "SCHEMADIFF_SCRATCH_DIR"

// minRAMDirFree is the room a memory-backed directory must have left to be
// used by default: a 1,000-table schema takes about 200 MB.
const minRAMDirFree = 1 << 30

// tempBase picks the parent for the temporary directory (see
// ScratchDirEnv), falling back to /tmp when the socket path would be too
// long or, when dropping privileges, the unprivileged user could not reach
// it.
func tempBase(owner *runAs, opts Options) string {
	base, why := scratchBase(opts)
	// <base>/schemadiff-pg-<10 digits>/sock/.s.PGSQL.5432
	if len(base)+len("/schemadiff-pg-0123456789/sock/.s.PGSQL.5432") > maxSocketPath {
		base, why = "/tmp", "the socket path below "+base+" would be too long"
	}
	if owner != nil && !worldTraversable(base) {
		base, why = "/tmp", "user "+owner.name+" cannot reach "+base
	}
	opts.logf("server files go to %s (%s)", base, why)
	return base
}

// scratchBase returns the directory ScratchDirEnv or the default picks,
// and why.
func scratchBase(opts Options) (dir, why string) {
	switch v := os.Getenv(ScratchDirEnv); {
	case v == "tmp":
		return os.TempDir(), "$" + ScratchDirEnv + "=tmp: the temporary directory"
	case v != "" && filepath.IsAbs(v):
		return filepath.Clean(v), "$" + ScratchDirEnv
	case v != "":
		opts.warnf("$%s=%q: want an absolute directory or \"tmp\"; using the default", ScratchDirEnv, v)
	}
	if os.Getenv("TMPDIR") != "" {
		return os.TempDir(), "$TMPDIR"
	}
	if ram := ramDir(); ram != "" {
		return ram, "memory-backed"
	}
	return os.TempDir(), "the temporary directory"
}

// worldTraversable reports whether every directory from / down to dir can be
// searched by any user.
func worldTraversable(dir string) bool {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	for {
		fi, err := os.Stat(dir)
		if err != nil || fi.Mode().Perm()&0o001 == 0 {
			return false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return true
		}
		dir = parent
	}
}

// childEnv is our environment without libpq/server variables that could
// redirect initdb or postgres.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PG") {
			continue
		}
		env = append(env, kv)
	}
	return env
}
