// Package pgtest gives tests real PostgreSQL databases: one server per test
// binary (embedded, or the server at SCHEMADIFF_TEST_DEV_URL), one fresh
// database per test; and, for tests that reproduce the command line's split
// between a target server and the scratch server, a second embedded server
// for target databases (Target).
//
// Use it from a package's TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// When no PostgreSQL binaries are installed, tests that need a database are
// skipped, except under CI=true where they fail.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemadiff/schemadiff/internal/pgserver"
)

// DevURLEnv names the environment variable that points tests at an existing
// server instead of an embedded one.
const DevURLEnv = "SCHEMADIFF_TEST_DEV_URL"

const startTimeout = 60 * time.Second

// TargetSuperuser is the bootstrap superuser of the Target server: the
// usual owner of a target database, as on a default installation.
const TargetSuperuser = "postgres"

// source is a lazily started scratch source.
type source struct {
	opts     pgserver.Options
	once     sync.Once
	scratch  *pgserver.Scratch
	startErr error
	mu       sync.Mutex // guards started
	started  bool
}

var (
	mainCalled bool

	scratchSource = &source{}
	targetSource  = &source{opts: pgserver.Options{Superuser: TargetSuperuser}}
)

// Main is called from a package's TestMain: it provides one embedded server
// for the package's tests (or uses SCHEMADIFF_TEST_DEV_URL if set), runs
// m.Run(), stops the server, and exits with the code. The server starts on
// the first test that asks for a database, so packages whose selected tests
// need none do not pay for it.
func Main(m *testing.M) { os.Exit(Run(m)) }

// Run is Main without the exit: it returns the exit code, so a TestMain can
// clean up its own things before exiting.
func Run(m *testing.M) int {
	mainCalled = true
	code := m.Run()
	for _, src := range []*source{scratchSource, targetSource} {
		code = src.close(code)
	}
	return code
}

// close stops the source's server if it was started, and returns code, or
// 1 when stopping failed or the server never started although tests
// needed it.
func (src *source) close(code int) int {
	src.mu.Lock()
	wasStarted := src.started
	src.mu.Unlock()
	if wasStarted && src.scratch != nil {
		if err := src.scratch.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
	}
	if wasStarted && src.startErr != nil && code == 0 && !skippable(src.startErr) {
		// Tests already failed on this; never let it pass silently.
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", src.startErr)
		code = 1
	}
	return code
}

// NewDB creates a fresh empty database for the test, dropped at t.Cleanup,
// and returns its URL.
func NewDB(t testing.TB) string {
	t.Helper()
	s := Scratch(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	url, err := s.NewDatabase(ctx)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.DropDatabase(ctx, url); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return url
}

// Scratch returns the package's shared *pgserver.Scratch, for tests that
// pass one to product code. It starts the server on first use; when that
// is impossible it skips the test, or fails it under CI=true or when
// PostgreSQL is installed but would not start.
func Scratch(t testing.TB) *pgserver.Scratch {
	t.Helper()
	return scratchSource.get(t)
}

// Target returns a second source of databases standing for target
// databases: an embedded server whose superuser is TargetSuperuser, so
// that a target's objects are owned by a role named like the one schema
// files are loaded as on the Scratch server, as when the command line
// plans against a default installation. With SCHEMADIFF_TEST_DEV_URL set it
// is the dev server, like Scratch.
func Target(t testing.TB) *pgserver.Scratch {
	t.Helper()
	if os.Getenv(DevURLEnv) != "" {
		return scratchSource.get(t)
	}
	return targetSource.get(t)
}

func (src *source) get(t testing.TB) *pgserver.Scratch {
	t.Helper()
	if !mainCalled {
		t.Fatalf("pgtest: call pgtest.Main(m) from TestMain in this package")
	}
	src.once.Do(src.start)
	if src.startErr != nil {
		if skippable(src.startErr) {
			t.Skipf("pgtest: %v (or set %s to an existing server's URL)", src.startErr, DevURLEnv)
		}
		t.Fatalf("pgtest: %v", src.startErr)
	}
	return src.scratch
}

// Exec runs sql, which may hold several statements, on the database at url
// using the simple query protocol, failing the test on error.
func Exec(t testing.TB, url, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := pgconn.Connect(ctx, url)
	if err != nil {
		t.Fatalf("pgtest: connecting: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql).ReadAll(); err != nil {
		t.Fatalf("pgtest: %v\nin SQL:\n%s", err, sql)
	}
}

func (src *source) start() {
	src.mu.Lock()
	src.started = true
	src.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	devURL := os.Getenv(DevURLEnv)
	src.scratch, src.startErr = pgserver.OpenScratch(ctx, devURL, src.opts)
	if src.startErr != nil && devURL != "" {
		src.startErr = fmt.Errorf("%s: %w", DevURLEnv, src.startErr)
	}
	if src.startErr != nil && !skippable(src.startErr) {
		// Every test needing a database fails with this; say it once up front.
		fmt.Fprintf(os.Stderr, "pgtest: PostgreSQL unavailable: %v\n", src.startErr)
	}
}

// skippable reports whether tests may skip for want of PostgreSQL: only
// when the binaries are missing, and never in CI.
func skippable(err error) bool {
	return errors.Is(err, pgserver.ErrNoBinaries) && !inCI()
}

func inCI() bool {
	ci, _ := strconv.ParseBool(os.Getenv("CI"))
	return ci
}
