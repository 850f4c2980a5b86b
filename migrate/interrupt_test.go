package migrate

import (
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// assertRolledBack checks that the "kill" scenario's migration left nothing
// behind: no table, no history row, no lock.
func assertRolledBack(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	if relExists(t, conn, "kill_first") || relExists(t, conn, "kill_last") {
		t.Error("the interrupted migration's tables exist")
	}
	if got := historyVersions(t, conn); len(got) != 0 {
		t.Errorf("history = %v, want empty", got)
	}
	if !poll(5*time.Second, func() bool { return migrationLockHolders(t, conn) == 0 }) {
		t.Error("the migration lock is still held")
	}
}

// TestProcessSignalRollsBack sends SIGTERM (or SIGHUP, SIGINT) to a runner
// in the middle of a transactional migration: the statement is cancelled on
// the server, the transaction rolls back, the lock is released, and the
// runner says so and exits with ExitError. Its connection is named in
// pg_stat_activity.
func TestProcessSignalRollsBack(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT} {
		t.Run(signalName(sig), func(t *testing.T) {
			t.Parallel()
			testSignalRollsBack(t, sig)
		})
	}
}

func testSignalRollsBack(t *testing.T, sig syscall.Signal) {
	url := testDBURL(t)
	conn := connect(t, url)
	p := startRunner(t, "kill", "apply", "--db", url)
	backend := waitForQuery(t, conn, p, "pg_sleep(5)")
	var app string
	if err := conn.QueryRow(t.Context(), "SELECT application_name FROM pg_stat_activity WHERE pid = $1", backend).Scan(&app); err != nil || app != "schemadiff-runner apply" {
		t.Errorf("application_name = %q (%v), want %q", app, err, "schemadiff-runner apply")
	}
	signalled := time.Now()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	code := p.wait(t)
	took := time.Since(signalled)
	if code != ExitError {
		t.Errorf("exit %d, want %d\n%s", code, ExitError, p.stderr.String())
	}
	if took > 3*time.Second {
		t.Errorf("the runner took %s to stop after %s", took, signalName(sig))
	}
	want := "interrupted by " + signalName(sig) + ": migration 20260201000001 was rolled back (its transaction did not commit), so it is not applied"
	if !strings.Contains(p.stderr.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, p.stderr.String())
	}
	assertRolledBack(t, conn)
	t.Logf("stopped %s after %s", took.Round(time.Millisecond), signalName(sig))
}

// TestProcessParentDeathRollsBack runs the runner under a shell that is
// killed with SIGKILL mid-migration. No parent-death signal is set up, so
// it is the runner's own watch of $SCHEMADIFF_PARENT_PID that stops it: the
// migration rolls back instead of completing.
func TestProcessParentDeathRollsBack(t *testing.T) {
	t.Parallel()
	url := testDBURL(t)
	conn := connect(t, url)
	bin := buildRunner(t)
	p := &proc{cmd: exec.Command("sh", "-c", ParentPIDEnv+`=$$ "$0" "$@" & wait`, bin, "apply", "--db", url), done: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), "RUNNER_SCENARIO=kill", "DATABASE_URL=")
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	p.cmd.WaitDelay = 30 * time.Second
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { defer close(p.done); _ = p.cmd.Wait() }()
	t.Cleanup(func() { _ = p.cmd.Process.Kill(); <-p.done })
	waitForQuery(t, conn, p, "pg_sleep(5)")
	killed := time.Now()
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	p.wait(t) // returns once the runner, which shares the output pipes, exited too
	took := time.Since(killed)
	if took > 3*time.Second {
		t.Errorf("the runner outlived its parent by %s", took)
	}
	if want := "interrupted by the death of its parent process"; !strings.Contains(p.stderr.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, p.stderr.String())
	}
	time.Sleep(time.Until(killed.Add(6 * time.Second))) // past the end of pg_sleep(5)
	assertRolledBack(t, conn)
	t.Logf("runner stopped %s after its parent was killed", took.Round(time.Millisecond))
}
