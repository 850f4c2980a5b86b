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
	pollInterval  = 20 * time.Millisecond
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
}

// Start initialises a cluster in a new temporary directory and starts a
// postgres server on it, returning once the server accepts connections.
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

func start(ctx context.Context, opts Options) (_ *Server, err error) {
	began := time.Now()
	bin, err := binDir(opts.BinDir)
	if err != nil {
		return nil, err
	}
	owner, err := pickRunAs(opts.logf)
	if err != nil {
		return nil, err
	}
	base := tempBase(owner)
	removeStaleDirs(base, opts)
	dir, err := os.MkdirTemp(base, tempPattern)
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

		superuser: opts.superuser(),
	}
	defer func() {
		if err != nil {
			_ = s.Stop()
		}
	}()
	for _, d := range []string{s.dataDir, s.sockDir} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return nil, fmt.Errorf("creating %s: %w", d, err)
		}
		// Only the server's user may reach the socket (and the data).
		if err := os.Chmod(d, 0o700); err != nil {
			return nil, fmt.Errorf("restricting %s: %w", d, err)
		}
	}
	logFile, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("creating server log: %w", err)
	}
	defer logFile.Close()
	if err := owner.chownTree(dir); err != nil {
		return nil, fmt.Errorf("handing %s to user %s: %w", dir, owner.name, err)
	}
	if owner != nil {
		opts.logf("running as root: PostgreSQL will run as user %q", owner.name)
	}
	opts.logf("using PostgreSQL binaries in %s, temporary directory %s", bin, dir)

	if err := s.initdb(ctx, bin, owner, opts); err != nil {
		return nil, err
	}
	opts.logf("initdb done after %s", time.Since(began).Round(time.Millisecond))

	args := []string{
		"-D", s.dataDir,
		"-k", s.sockDir,
		"-p", strconv.Itoa(port),
		"-c", "listen_addresses=",
		"-c", "fsync=off",
		"-c", "synchronous_commit=off",
		"-c", "full_page_writes=off",
		"-c", "max_connections=100",
		"-c", "max_locks_per_transaction=1024",
		"-c", "shared_buffers=32MB",
	}
	args = append(args, opts.extraArgs...)
	cmd := exec.Command(filepath.Join(bin, exeName("postgres")), args...)
	cmd.Dir = dir
	cmd.Env = childEnv()
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = procAttr(owner)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("running postgres: %w", err)
	}
	s.cmd = cmd
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()

	if err := s.waitReady(ctx); err != nil {
		return nil, err
	}
	opts.logf("embedded postgres ready after %s on %s", time.Since(began).Round(time.Millisecond), s.sockDir)
	return s, nil
}

// initdb creates the cluster, falling back to the C locale when C.UTF-8 is
// not available.
func (s *Server) initdb(ctx context.Context, bin string, owner *runAs, opts Options) error {
	var out []byte
	var err error
	for _, locale := range []string{"C.UTF-8", "C"} {
		cmd := exec.CommandContext(ctx, filepath.Join(bin, exeName("initdb")),
			"-D", s.dataDir, "-U", s.superuser, "--auth=trust", "-E", "UTF8",
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
			return nil
		}
		if ctx.Err() != nil || !bytes.Contains(bytes.ToLower(out), []byte("locale")) {
			break
		}
		opts.logf("initdb rejected --locale=%s, retrying: %s", locale, tail(out, 3))
		// initdb leaves the (pre-existing) data directory empty on failure.
	}
	return fmt.Errorf("initdb: %w\n%s", err, tail(out, 20))
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

// tempBase picks the parent for the temporary directory: os.TempDir, unless
// the socket path would be too long or, when dropping privileges, the
// unprivileged user could not reach it; then /tmp.
func tempBase(owner *runAs) string {
	base := os.TempDir()
	// <base>/schemadiff-pg-<10 digits>/sock/.s.PGSQL.5432
	if len(base)+len("/schemadiff-pg-0123456789/sock/.s.PGSQL.5432") > maxSocketPath {
		return "/tmp"
	}
	if owner != nil && !worldTraversable(base) {
		return "/tmp"
	}
	return base
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
