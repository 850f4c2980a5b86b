package migrate

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/schemadiff/schemadiff/internal/pgserver"
)

// pgbenchPath returns the pgbench of the PostgreSQL installation the tests
// use; the test is skipped without it, or fails when CI=true.
func pgbenchPath(t *testing.T) string {
	t.Helper()
	dir, err := pgserver.FindBinDir()
	if err == nil {
		path := filepath.Join(dir, "pgbench")
		if _, err = os.Stat(path); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("pgbench not found: %v", err)
	}
	t.Skipf("pgbench not found: %v", err)
	return ""
}

// tpsSample is one line of pgbench --progress output: the throughput of
// the second that ended at At.
type tpsSample struct {
	At  time.Time
	TPS float64
}

// pgbenchRun is a pgbench process whose per-second progress is collected.
type pgbenchRun struct {
	cmd  *exec.Cmd
	mu   sync.Mutex
	tps  []tpsSample
	rest bytes.Buffer
	done chan struct{}
}

// startPgbench runs the TPC-B-like workload on url with a few clients,
// throttled so it leaves CPU for the rest, for at most d.
func startPgbench(t *testing.T, bin, url string, d time.Duration) *pgbenchRun {
	t.Helper()
	r := &pgbenchRun{done: make(chan struct{})}
	r.cmd = exec.Command(bin, "--client", "4", "--jobs", "2", "--rate", "200", "--time", strconv.Itoa(int(d.Seconds())),
		"--progress", "1", "--progress-timestamp", "--no-vacuum", url)
	stderr, err := r.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	r.cmd.Stdout = &r.rest
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("starting pgbench: %v", err)
	}
	go func() {
		defer close(r.done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if s, ok := parseProgress(sc.Text()); ok {
				r.mu.Lock()
				r.tps = append(r.tps, s)
				r.mu.Unlock()
			}
		}
		_ = r.cmd.Wait()
	}()
	t.Cleanup(func() {
		select {
		case <-r.done:
		default:
			_ = r.cmd.Process.Kill()
			<-r.done
		}
	})
	return r
}

// parseProgress parses "progress: 1764000000.123 s, 199.0 tps, lat ...".
func parseProgress(line string) (tpsSample, bool) {
	f := strings.Fields(line)
	if len(f) < 4 || f[0] != "progress:" || f[2] != "s," || f[4] != "tps," {
		return tpsSample{}, false
	}
	at, err1 := strconv.ParseFloat(f[1], 64)
	tps, err2 := strconv.ParseFloat(f[3], 64)
	if err1 != nil || err2 != nil {
		return tpsSample{}, false
	}
	return tpsSample{At: time.UnixMilli(int64(at * 1000)), TPS: tps}, true
}

// between returns the samples of the seconds that lie within [from, to].
func (r *pgbenchRun) between(from, to time.Time) []tpsSample {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []tpsSample
	for _, s := range r.tps {
		if !s.At.Add(-time.Second).Before(from) && !s.At.After(to) {
			out = append(out, s)
		}
	}
	return out
}

// waitSamples waits until pgbench reported the second ending after t.
func (r *pgbenchRun) waitSamples(tb testing.TB, after time.Time) {
	tb.Helper()
	if !poll(10*time.Second, func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		return len(r.tps) > 0 && r.tps[len(r.tps)-1].At.After(after)
	}) {
		tb.Fatalf("pgbench reported no progress after %s:\n%s", after.Format(time.TimeOnly), r.rest.String())
	}
}

// tpsList formats samples as "199 201 0 ...".
func tpsList(samples []tpsSample) string {
	parts := make([]string, len(samples))
	for i, s := range samples {
		parts[i] = strconv.FormatFloat(s.TPS, 'f', 0, 64)
	}
	return strings.Join(parts, " ")
}

// TestProcessLockTimeoutUnderLoad runs pgbench against a database while a
// long read transaction holds a lock on pgbench_accounts, and applies
// migrations that ALTER that table with the compiled runner. Without a lock
// timeout the ALTER queues every writer behind it and pgbench stalls; with
// the default one, it gives up, retries and finally succeeds once the reader
// is gone, while pgbench keeps making progress every second; with its
// retries exhausted it fails cleanly, naming the reader.
func TestProcessLockTimeoutUnderLoad(t *testing.T) {
	bin := pgbenchPath(t)
	url := testDBURL(t)
	buildRunner(t)
	conn := connect(t, url)
	if out, err := exec.Command(bin, "--initialize", "--scale", "1", "--quiet", url).CombinedOutput(); err != nil {
		t.Fatalf("pgbench --initialize: %v\n%s", err, out)
	}
	bench := startPgbench(t, bin, url, 58*time.Second)
	bench.waitSamples(t, time.Now().Add(time.Second))

	// hold runs a read transaction on pgbench_accounts for d in the
	// background.
	hold := func(d time.Duration) (pid int, ended <-chan time.Time) {
		pid, release := holdSnapshot(t, url, "long-reader", "pgbench_accounts")
		ch := make(chan time.Time, 1)
		go func() {
			time.Sleep(d)
			release()
			ch <- time.Now()
		}()
		return pid, ch
	}
	hasColumn := func(col string) bool {
		var ok bool
		err := conn.QueryRow(t.Context(), `SELECT EXISTS (SELECT FROM information_schema.columns
			WHERE table_name = 'pgbench_accounts' AND column_name = $1)`, col).Scan(&ok)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}

	// No lock timeout: the ALTER waits for the reader, and writers queue
	// behind it.
	_, ended := hold(5 * time.Second)
	began := time.Now()
	code, _, stderr := runRunner(t, "pgbench", "apply", "--db", url, "--to", "20260201000001", "--ddl-lock-timeout", "0")
	finished := time.Now()
	<-ended
	if code != ExitOK || !hasColumn("note1") {
		t.Fatalf("apply --ddl-lock-timeout 0: exit %d\n%s", code, stderr)
	}
	bench.waitSamples(t, finished)
	off := bench.between(began, finished)
	t.Logf("without a lock timeout: apply took %s; tps per second while it waited: %s", finished.Sub(began).Round(time.Millisecond), tpsList(off))
	if stalled := slices.IndexFunc(off, func(s tpsSample) bool { return s.TPS == 0 }); stalled < 0 {
		t.Errorf("pgbench never stalled while an ALTER without lock timeout waited (tps %s): the measurement cannot tell", tpsList(off))
	}

	// The default lock timeout: the reader holds for 15s; the ALTER gives
	// up every 500ms, pgbench goes on, and a retry succeeds after the
	// reader ends.
	reader, ended := hold(15 * time.Second)
	began = time.Now()
	code, _, stderr = runRunner(t, "pgbench", "apply", "--db", url, "--to", "20260201000002")
	finished = time.Now()
	readerEnd := <-ended
	t.Logf("default lock timeout: apply took %s (reader held 15s), exit %d:\n%s", finished.Sub(began).Round(time.Millisecond), code, stderr)
	if code != ExitOK || !hasColumn("note2") {
		t.Fatalf("apply with the default lock timeout: exit %d", code)
	}
	if finished.Before(readerEnd) {
		t.Errorf("apply finished before the reader ended")
	}
	for _, want := range []string{
		"migration 20260201000002 add_note2: step 1 of 1 hit lock_timeout (500ms): ALTER TABLE pgbench_accounts ADD COLUMN note2 text; " +
			`it waited for AccessExclusiveLock on pgbench_accounts, held by pid ` + strconv.Itoa(reader) + ` (application "long-reader"; idle in transaction`,
		"rolled back; attempt 1/6 failed, next in",
		"applied 1 migration",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	bench.waitSamples(t, finished)
	on := bench.between(began, finished)
	t.Logf("default lock timeout: tps per second while it retried: %s", tpsList(on))
	if len(on) < 10 {
		t.Errorf("only %d seconds of pgbench progress during a %s apply", len(on), finished.Sub(began))
	}
	if i := slices.IndexFunc(on, func(s tpsSample) bool { return s.TPS == 0 }); i >= 0 {
		t.Errorf("pgbench stalled (0 tps) in the second ending %s while the migration retried: %s", on[i].At.Format(time.TimeOnly), tpsList(on))
	}

	// Retries exhausted: exit 1, nothing applied, the reader named.
	reader, ended = hold(8 * time.Second)
	began = time.Now()
	code, _, stderr = runRunner(t, "pgbench", "apply", "--db", url, "--ddl-lock-timeout", "300ms", "--ddl-lock-retries", "2")
	t.Logf("retries exhausted after %s, exit %d:\n%s", time.Since(began).Round(time.Millisecond), code, stderr)
	want := fmt.Sprintf(`schemadiff: migration 20260201000003 (add_note3): step 1 failed: ALTER TABLE pgbench_accounts ADD COLUMN note3 text: lock_timeout (300ms) fired: another session held a conflicting lock longer than that; it waited for AccessExclusiveLock on pgbench_accounts, held by pid %d (application "long-reader"; idle in transaction`, reader)
	if code != ExitMigrationFailed || !strings.Contains(stderr, want) || !strings.Contains(stderr, "(gave up after 3 attempts)") {
		t.Errorf("apply with retries exhausted: exit %d, want %d and %q", code, ExitMigrationFailed, want)
	}
	if hasColumn("note3") || !slices.Equal(historyVersions(t, conn), []string{"20260201000001", "20260201000002"}) {
		t.Error("the migration whose retries ran out left changes")
	}
	<-ended
	code, stdout, _ := runRunner(t, "pgbench", "status", "--db", url)
	if state := statusState(stdout, "20260201000003"); code != ExitMigrationFailed || state != "failed" { // status exits 1 for a failed migration
		t.Errorf("status: state %q, exit %d\n%s", state, code, stdout)
	}
}
