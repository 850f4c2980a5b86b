package migrate

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

// runnerBuild is the test program of testdata/runner, built once per test
// run by buildRunner and removed by TestMain.
var runnerBuild struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := pgtest.Run(m)
	if runnerBuild.dir != "" {
		os.RemoveAll(runnerBuild.dir)
	}
	os.Exit(code)
}

// buildRunner builds testdata/runner (once) and returns the binary's path.
func buildRunner(t *testing.T) string {
	t.Helper()
	runnerBuild.once.Do(func() {
		goBin, err := exec.LookPath("go")
		if err != nil {
			runnerBuild.err = fmt.Errorf("finding the go command: %w", err)
			return
		}
		runnerBuild.dir, runnerBuild.err = os.MkdirTemp("", "migrate-runner-")
		if runnerBuild.err != nil {
			return
		}
		runnerBuild.path = filepath.Join(runnerBuild.dir, "runner")
		out, err := exec.Command(goBin, "build", "-o", runnerBuild.path, "./testdata/runner").CombinedOutput()
		if err != nil {
			runnerBuild.err = fmt.Errorf("building testdata/runner: %v\n%s", err, out)
		}
	})
	if runnerBuild.err != nil {
		t.Fatal(runnerBuild.err)
	}
	return runnerBuild.path
}

// proc is a running runner process.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan struct{}
	code           int
}

// startRunner starts the runner with the given scenario and arguments; the
// process is killed when the test ends if it is still running.
func startRunner(t *testing.T, scenario string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(buildRunner(t), args...), done: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), "RUNNER_SCENARIO="+scenario, "DATABASE_URL=")
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting runner: %v", err)
	}
	go func() {
		defer close(p.done)
		err := p.cmd.Wait()
		var ee *exec.ExitError
		switch {
		case err == nil:
		case errors.As(err, &ee):
			p.code = ee.ExitCode() // -1 when killed by a signal
		default:
			p.code = -2
		}
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// wait waits for the process to exit and returns its exit code.
func (p *proc) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(60 * time.Second):
		t.Fatalf("runner %v did not exit within 60s", p.cmd.Args[1:])
	}
	return p.code
}

// runRunner runs the runner to completion.
func runRunner(t *testing.T, scenario string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	p := startRunner(t, scenario, args...)
	code = p.wait(t)
	return code, p.stdout.String(), p.stderr.String()
}

// poll calls cond every 50ms until it returns true or timeout passes.
func poll(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// migrationLockHolders counts the backends holding the migration lock in
// conn's database.
func migrationLockHolders(t *testing.T, conn *pgx.Conn) int {
	t.Helper()
	classid, objid := lockKeyParts()
	var n int
	err := conn.QueryRow(t.Context(), `SELECT count(*) FROM pg_locks
		WHERE locktype = 'advisory' AND objsubid = 1 AND classid::bigint = $1 AND objid::bigint = $2
		  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`, classid, objid).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// waitForSleep waits until a backend of conn's database runs the query
// containing text, and returns its pid.
func waitForQuery(t *testing.T, conn *pgx.Conn, p *proc, text string) int {
	t.Helper()
	var pid int
	ok := poll(20*time.Second, func() bool {
		select {
		case <-p.done:
			t.Fatalf("runner exited (%d) before running %q:\n%s", p.code, text, p.stderr.String())
		default:
		}
		err := conn.QueryRow(t.Context(), `SELECT pid FROM pg_stat_activity
			WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()
			  AND strpos(query, $1) > 0`, text).Scan(&pid)
		return err == nil
	})
	if !ok {
		t.Fatalf("no backend ran %q within 20s", text)
	}
	return pid
}

// killAndWaitForBackend kills the runner with SIGKILL and waits until the
// server has ended its backend and released the migration lock. It returns
// how long that took after the kill.
func killAndWaitForBackend(t *testing.T, conn *pgx.Conn, p *proc, backend int) time.Duration {
	t.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatalf("kill -9: %v", err)
	}
	killed := time.Now()
	if code := p.wait(t); code != -1 {
		t.Fatalf("runner exited with %d, want killed by a signal", code)
	}
	gone := poll(20*time.Second, func() bool {
		var alive bool
		if err := conn.QueryRow(t.Context(), "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE pid = $1)", backend).Scan(&alive); err != nil {
			t.Fatal(err)
		}
		return !alive && migrationLockHolders(t, conn) == 0
	})
	if !gone {
		t.Fatalf("backend %d still alive or the migration lock still held 20s after the kill", backend)
	}
	return time.Since(killed)
}

// TestProcessesRaceToApply starts 8 runner processes at once on one
// database: each migration must run exactly once and every process succeed.
func TestProcessesRaceToApply(t *testing.T) {
	t.Parallel()
	url := testDBURL(t)
	buildRunner(t)
	const n = 8
	procs := make([]*proc, n)
	for i := range procs {
		procs[i] = startRunner(t, "race", "apply", "--db", url, "--lock-timeout", "60s")
	}
	appliedAll := 0
	for i, p := range procs {
		if code := p.wait(t); code != ExitOK {
			t.Errorf("process %d: exit %d\n%s", i, code, p.stderr.String())
		}
		switch errText := p.stderr.String(); {
		case strings.Contains(errText, "applied 3 migrations"):
			appliedAll++
		case strings.Contains(errText, "database is up to date"):
		default:
			t.Errorf("process %d neither applied everything nor found the database up to date:\n%s", i, errText)
		}
	}
	if appliedAll != 1 {
		t.Errorf("%d processes applied the migrations, want exactly 1", appliedAll)
	}

	conn := connect(t, url)
	want := []string{"20260201000001", "20260201000002", "20260201000003"}
	if got := historyVersions(t, conn); !slices.Equal(got, want) {
		t.Errorf("history = %v, want %v", got, want)
	}
	var counter int
	if err := conn.QueryRow(t.Context(), "SELECT n FROM counter").Scan(&counter); err != nil || counter != 3 {
		t.Errorf("counter = %d, %v; want 3 (one increment per migration)", counter, err)
	}
	rows, err := conn.Query(t.Context(), "SELECT version || ':' || count(*) FROM ups GROUP BY version ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	runs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if w := []string{want[0] + ":1", want[1] + ":1", want[2] + ":1"}; !slices.Equal(runs, w) {
		t.Errorf("Up runs per version = %v, want %v", runs, w)
	}
	var distinctPIDs int
	if err := conn.QueryRow(t.Context(), "SELECT count(DISTINCT pid) FROM ups").Scan(&distinctPIDs); err != nil || distinctPIDs != 1 {
		t.Errorf("migrations ran on %d backends (%v), want 1", distinctPIDs, err)
	}
	if migrationLockHolders(t, conn) != 0 {
		t.Error("migration lock still held")
	}
}

// TestProcessKilledDuringMigration kills -9 a runner in the middle of a
// transactional migration: the database keeps none of it, the lock goes
// with the backend, and the next apply completes it.
func TestProcessKilledDuringMigration(t *testing.T) {
	t.Parallel()
	url := testDBURL(t)
	conn := connect(t, url)
	p := startRunner(t, "kill", "apply", "--db", url)
	backend := waitForQuery(t, conn, p, "pg_sleep(5)")
	if !relExists(t, conn, "schemadiff_migrations") || migrationLockHolders(t, conn) != 1 {
		t.Fatal("the runner does not hold the lock while migrating")
	}
	took := killAndWaitForBackend(t, conn, p, backend)
	// The runner asks the server to check every second that its client is
	// still there, so the backend ends long before pg_sleep(5) would.
	if took > 4*time.Second {
		t.Errorf("the backend outlived its killed client by %s", took)
	}
	if relExists(t, conn, "kill_first") {
		t.Error("the first step of the killed migration was kept")
	}
	if got := historyVersions(t, conn); len(got) != 0 {
		t.Errorf("history = %v, want empty", got)
	}
	code, stdout, stderr := runRunner(t, "kill", "status", "--db", url)
	if code != ExitOK || statusState(stdout, "20260201000001") != "pending" {
		t.Errorf("status after the kill: exit %d\n%s%s", code, stdout, stderr)
	}

	code, _, stderr = runRunner(t, "kill", "apply", "--db", url)
	if code != ExitOK || !strings.Contains(stderr, "applied 1 migration") {
		t.Fatalf("apply after the kill: exit %d\n%s", code, stderr)
	}
	if got := historyVersions(t, conn); !slices.Equal(got, []string{"20260201000001"}) {
		t.Errorf("history = %v", got)
	}
	if !relExists(t, conn, "kill_first") || !relExists(t, conn, "kill_last") {
		t.Error("the migration's tables are missing after the second apply")
	}
}

// TestProcessKilledDuringNoTxMigration kills -9 a runner in the middle of a
// migration without a transaction: status shows it running, then dirty;
// apply refuses until it is resolved, and then completes it.
func TestProcessKilledDuringNoTxMigration(t *testing.T) {
	t.Parallel()
	url := testDBURL(t)
	conn := connect(t, url)
	const v = "20260201000001"
	p := startRunner(t, "killnotx", "apply", "--db", url)
	backend := waitForQuery(t, conn, p, "pg_sleep(5)")

	code, stdout, stderr := runRunner(t, "killnotx", "status", "--db", url)
	if code != ExitOK || statusState(stdout, v) != "running" || !strings.Contains(stdout, "is running step 2 of 3") {
		t.Errorf("status during the migration: exit %d\n%s%s", code, stdout, stderr)
	}
	killAndWaitForBackend(t, conn, p, backend)

	code, stdout, stderr = runRunner(t, "killnotx", "status", "--db", url)
	if state := statusState(stdout, v); code != ExitMigrationFailed || state != "dirty" {
		t.Errorf("status after the kill: state %q, exit %d\n%s%s", state, code, stdout, stderr)
	}
	for _, want := range []string{"interrupted during step 2 of 3", "SELECT pg_sleep(5)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("status after the kill lacks %q: exit %d\n%s%s", want, code, stdout, stderr)
		}
	}
	code, _, stderr = runRunner(t, "killnotx", "apply", "--db", url)
	for _, want := range []string{"is dirty", "succeeded and stayed applied: step 1\n", "interrupted: step 2", "not run: step 3",
		"resolve --version " + v + " --pending"} {
		if code != ExitMigrationFailed || !strings.Contains(stderr, want) {
			t.Errorf("apply of a dirty database lacks %q: exit %d\n%s", want, code, stderr)
		}
	}
	if !relExists(t, conn, "kill_first") || relExists(t, conn, "kill_last") {
		t.Error("want step 1's table and not step 3's")
	}

	if _, err := conn.Exec(t.Context(), "DROP TABLE kill_first"); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr = runRunner(t, "killnotx", "resolve", "--db", url, "--version", v, "--pending"); code != ExitOK ||
		!strings.Contains(stderr, "recorded migration "+v+" as pending; it was dirty") {
		t.Fatalf("resolve: exit %d\n%s", code, stderr)
	}
	if code, _, stderr = runRunner(t, "killnotx", "apply", "--db", url); code != ExitOK {
		t.Fatalf("apply after resolve: exit %d\n%s", code, stderr)
	}
	if got := historyVersions(t, conn); !slices.Equal(got, []string{v}) {
		t.Errorf("history = %v", got)
	}
	if !relExists(t, conn, "kill_last") {
		t.Error("the migration did not complete")
	}
	assertNoFailures(t, conn)
}

// TestProcessLockTimeout holds the migration lock from the test's own
// session: the runner says once whom it waits for, then gives up.
func TestProcessLockTimeout(t *testing.T) {
	t.Parallel()
	url := testDBURL(t)
	buildRunner(t)
	holder := connect(t, url)
	var pid int
	if err := holder.QueryRow(t.Context(), "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := holder.Exec(t.Context(), "SELECT pg_advisory_lock($1)", lockKey); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	code, _, stderr := runRunner(t, "race", "apply", "--db", url, "--lock-timeout", "1s")
	elapsed := time.Since(began)
	if code != ExitError {
		t.Errorf("exit %d, want %d\n%s", code, ExitError, stderr)
	}
	waiting := fmt.Sprintf("waiting for the migration lock held by pid %d; giving up after 1s\n", pid)
	if n := strings.Count(stderr, waiting); n != 1 {
		t.Errorf("stderr has %d waiting lines, want 1 %q:\n%s", n, waiting, stderr)
	}
	if want := fmt.Sprintf("schemadiff: timed out after 1s waiting for the migration lock (another schemadiff apply is running? pid %d holds it)", pid); !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	if elapsed < time.Second || elapsed > 10*time.Second {
		t.Errorf("runner took %s, want about 1s", elapsed)
	}
	if relExists(t, holder, "schemadiff_migrations") || relExists(t, holder, "counter") {
		t.Error("the runner changed the database without the lock")
	}
}

// assertNoFailures checks that the failures table is empty.
func assertNoFailures(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	var n int
	if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM public.schemadiff_migrations_failures").Scan(&n); err != nil || n != 0 {
		t.Errorf("failures table has %d rows (%v), want none", n, err)
	}
}

// statusState returns the STATE column of version's line in a status table.
func statusState(table, version string) string {
	for _, line := range strings.Split(table, "\n") {
		if f := strings.Fields(line); len(f) >= 3 && f[0] == version {
			return f[2]
		}
	}
	return ""
}
