// Package pgtest gives tests real PostgreSQL databases: one server per test
// binary (embedded, or the server at SCHEMADIFF_TEST_DEV_URL), one fresh
// database per test.
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

var (
	mainCalled bool

	once     sync.Once
	scratch  *pgserver.Scratch
	startErr error
	mu       sync.Mutex // guards started
	started  bool
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
	mu.Lock()
	wasStarted := started
	mu.Unlock()
	if wasStarted && scratch != nil {
		if err := scratch.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
	}
	if wasStarted && startErr != nil && code == 0 && !skippable(startErr) {
		// Tests already failed on this; never let it pass silently.
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", startErr)
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
	if !mainCalled {
		t.Fatalf("pgtest: call pgtest.Main(m) from TestMain in this package")
	}
	once.Do(start)
	if startErr != nil {
		if skippable(startErr) {
			t.Skipf("pgtest: %v (or set %s to an existing server's URL)", startErr, DevURLEnv)
		}
		t.Fatalf("pgtest: %v", startErr)
	}
	return scratch
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

func start() {
	mu.Lock()
	started = true
	mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	devURL := os.Getenv(DevURLEnv)
	scratch, startErr = pgserver.OpenScratch(ctx, devURL, pgserver.Options{})
	if startErr != nil && devURL != "" {
		startErr = fmt.Errorf("%s: %w", DevURLEnv, startErr)
	}
	if startErr != nil && !skippable(startErr) {
		// Every test needing a database fails with this; say it once up front.
		fmt.Fprintf(os.Stderr, "pgtest: PostgreSQL unavailable: %v\n", startErr)
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
