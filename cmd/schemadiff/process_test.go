package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/internal/pipeline"
)

// migrationSource renders a migration file of package pkg.
func migrationSource(pkg, version, name, parent, imports, up, down string) string {
	return fmt.Sprintf(`package %s

import (
	%s
	"github.com/schemadiff/schemadiff/migrate"
)

func init() {
	Migrations.Add(migrate.Migration{
		Version: %q, Name: %q, Parent: %q,
		Up: []migrate.Step{%s},
		Down: []migrate.Step{%s},
	})
}
`, pkg, imports, version, name, parent, up, down)
}

// writeMigrationsPackage writes a migrations package named pkg in work
// with the given migration files, replacing what was there, and returns
// its directory.
func writeMigrationsPackage(t *testing.T, work, pkg string, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(work, pkg)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "migrations.go", "package "+pkg+"\n\nimport \"github.com/schemadiff/schemadiff/migrate\"\n\nvar Migrations = migrate.NewSet()\n")
	for name, src := range files {
		writeFile(t, dir, name, src)
	}
	return dir
}

const slowVersion = "20260301000001"

// slowMigration creates two tables around a pg_sleep(4).
func slowMigration(pkg string) map[string]string {
	return map[string]string{slowVersion + "_slow.go": migrationSource(pkg, slowVersion, "slow", "", "",
		"migrate.SQL(`CREATE TABLE slow_first (id int)`), migrate.SQL(`SELECT pg_sleep(4)`), migrate.SQL(`CREATE TABLE slow_last (id int)`)",
		"migrate.SQL(`DROP TABLE slow_first, slow_last`)")}
}

// buildSchemadiff builds the command into a temporary directory.
func buildSchemadiff(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "schemadiff")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building schemadiff: %v\n%s", err, out)
	}
	return bin
}

// cliProc is a running schemadiff process.
type cliProc struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan struct{}
	err            error
}

// startSchemadiff starts the binary with TMPDIR set to tmp.
func startSchemadiff(t *testing.T, bin, tmp string, args ...string) *cliProc {
	t.Helper()
	p := &cliProc{cmd: exec.Command(bin, args...), done: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "DATABASE_URL=")
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	p.cmd.WaitDelay = 60 * time.Second
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { defer close(p.done); p.err = p.cmd.Wait() }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// wait returns the exit code, or -1 when a signal killed the process.
func (p *cliProc) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(3 * time.Minute):
		t.Fatalf("schemadiff %v did not exit within 3 minutes\n%s", p.cmd.Args[1:], p.stderr.String())
	}
	return p.cmd.ProcessState.ExitCode()
}

// waitForSleep waits until a backend of conn's database runs pg_sleep and
// returns its application_name.
func waitForSleep(t *testing.T, conn *pgx.Conn, p *cliProc) string {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			t.Fatalf("schemadiff exited before the migration ran:\n%s", p.stderr.String())
		default:
		}
		var app string
		err := conn.QueryRow(context.Background(), `SELECT application_name FROM pg_stat_activity
			WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()
			  AND strpos(query, 'pg_sleep(4)') > 0`).Scan(&app)
		if err == nil {
			return app
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the migration did not start within 3 minutes")
	return ""
}

// childOf returns the pid of pid's child process.
func childOf(t *testing.T, pid int) int {
	t.Helper()
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so split after ")".
		f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			return child
		}
	}
	t.Fatalf("process %d has no child", pid)
	return 0
}

// exited reports whether pid is gone or a zombie.
func exited(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	return len(f) > 0 && f[0] == "Z"
}

// assertSlowRolledBack checks that the slow migration left nothing behind.
func assertSlowRolledBack(t *testing.T, db string) {
	t.Helper()
	for _, rel := range []string{"slow_first", "slow_last"} {
		if got := queryString(t, db, "SELECT coalesce(to_regclass('"+rel+"')::text, 'none')"); got != "none" {
			t.Errorf("table %s exists after the interrupted migration", rel)
		}
	}
	if got := queryString(t, db, "SELECT count(*)::text FROM schemadiff_migrations"); got != "0" {
		t.Errorf("history has %s rows, want 0", got)
	}
	if got := queryString(t, db, "SELECT count(*)::text FROM pg_locks WHERE locktype = 'advisory'"); got != "0" {
		t.Errorf("%s advisory locks still held", got)
	}
}

// runDirs lists the runner build directories in tmp.
func runDirs(t *testing.T, tmp string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(tmp, "schemadiff-run-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestApplySignals runs the schemadiff binary and interrupts apply in the
// middle of a slow migration: SIGTERM to schemadiff, SIGKILL to schemadiff,
// SIGKILL to the runner, and a runner exiting with an unknown code.
func TestApplySignals(t *testing.T) {
	bin := buildSchemadiff(t)
	_, work := moduleWorkDir(t)
	migDir := writeMigrationsPackage(t, work, "slowmig", slowMigration("slowmig"))
	tmp := t.TempDir()

	t.Run("SIGTERM is forwarded and the migration rolls back", func(t *testing.T) {
		db := pgtest.NewDB(t)
		conn := connect(t, db)
		p := startSchemadiff(t, bin, tmp, "apply", "--db", db, "--dir", migDir)
		if app := waitForSleep(t, conn, p); app != "schemadiff-runner apply" {
			t.Errorf("application_name of the runner = %q, want %q", app, "schemadiff-runner apply")
		}
		signalled := time.Now()
		if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		code := p.wait(t)
		took := time.Since(signalled)
		if code != exitError {
			t.Errorf("exit %d, want %d\n%s", code, exitError, p.stderr.String())
		}
		want := "interrupted by SIGTERM: migration " + slowVersion + " was rolled back (its transaction did not commit), so it is not applied"
		if !strings.Contains(p.stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, p.stderr.String())
		}
		if took > 3*time.Second {
			t.Errorf("apply took %s to stop after SIGTERM", took)
		}
		assertSlowRolledBack(t, db)
		if d := runDirs(t, tmp); len(d) != 0 {
			t.Errorf("run directories left behind: %v", d)
		}
		t.Logf("stopped %s after SIGTERM; stderr:\n%s", took.Round(time.Millisecond), p.stderr.String())
	})

	t.Run("kill -9 of schemadiff stops the runner", func(t *testing.T) {
		// Without the runner cache, the runner runs from the run
		// directory, which the killed run leaves behind.
		t.Setenv(pipeline.RunnerCacheEnv, "off")
		db := pgtest.NewDB(t)
		conn := connect(t, db)
		p := startSchemadiff(t, bin, tmp, "apply", "--db", db, "--dir", migDir)
		waitForSleep(t, conn, p)
		runner := childOf(t, p.cmd.Process.Pid)
		killed := time.Now()
		if err := p.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		p.wait(t)
		deadline := time.Now().Add(10 * time.Second)
		for !exited(runner) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		took := time.Since(killed)
		if !exited(runner) {
			t.Fatalf("runner %d still running 10s after schemadiff was killed", runner)
		}
		if took > 3*time.Second {
			t.Errorf("the runner outlived schemadiff by %s", took)
		}
		if !strings.Contains(p.stderr.String(), "rolled back") {
			t.Errorf("the runner did not report the rollback:\n%s", p.stderr.String())
		}
		time.Sleep(time.Until(killed.Add(6 * time.Second))) // past the end of pg_sleep(4)
		assertSlowRolledBack(t, db)
		stale := runDirs(t, tmp)
		if len(stale) != 1 {
			t.Fatalf("want the killed run's directory left behind, have %v", stale)
		}
		owner, _ := os.ReadFile(filepath.Join(stale[0], "owner.pid"))
		if strings.TrimSpace(string(owner)) != strconv.Itoa(p.cmd.Process.Pid) {
			t.Errorf("owner.pid = %q, want %d", owner, p.cmd.Process.Pid)
		}
		st := startSchemadiff(t, bin, tmp, "status", "--db", db, "--dir", migDir)
		if code := st.wait(t); code != exitOK {
			t.Errorf("status after the kill: exit %d\n%s%s", code, st.stdout.String(), st.stderr.String())
		}
		if d := runDirs(t, tmp); len(d) != 0 {
			t.Errorf("the next run left the stale directories: %v", d)
		}
		t.Logf("runner stopped %s after schemadiff was killed; stderr:\n%s", took.Round(time.Millisecond), p.stderr.String())
	})

	t.Run("a runner killed by a signal is named", func(t *testing.T) {
		db := pgtest.NewDB(t)
		conn := connect(t, db)
		p := startSchemadiff(t, bin, tmp, "apply", "--db", db, "--dir", migDir)
		waitForSleep(t, conn, p)
		if err := syscall.Kill(childOf(t, p.cmd.Process.Pid), syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		code := p.wait(t)
		want := "schemadiff: the migrations runner was killed by SIGKILL (signal 9)"
		if code != exitError || !strings.Contains(p.stderr.String(), want) {
			t.Errorf("exit %d, want %d and %q:\n%s", code, exitError, want, p.stderr.String())
		}
	})

	t.Run("an unknown runner exit code is named", func(t *testing.T) {
		db := pgtest.NewDB(t)
		exitDir := writeMigrationsPackage(t, work, "exitmig", map[string]string{
			slowVersion + "_exit.go": migrationSource("exitmig", slowVersion, "exit", "", `"context"; "os"`,
				"migrate.Func(func(context.Context, migrate.DB) error { os.Exit(7); return nil })", "")})
		p := startSchemadiff(t, bin, tmp, "apply", "--db", db, "--dir", exitDir)
		code := p.wait(t)
		want := "schemadiff: the migrations runner exited with code 7, which it never returns by itself"
		if code != exitError || !strings.Contains(p.stderr.String(), want) {
			t.Errorf("exit %d, want %d and %q:\n%s", code, exitError, want, p.stderr.String())
		}
	})
}

// connect opens a connection closed at the end of the test.
func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// Versions of the small migrations of the status and dry-run tests.
const (
	v1 = "20260401000001"
	v2 = "20260401000002"
)

// simpleMigration creates table name.
func simpleMigration(pkg, version, parent, table string) string {
	return migrationSource(pkg, version, "create_"+table, parent, "",
		"migrate.SQL(`CREATE TABLE "+table+" (id int)`)", "migrate.SQL(`DROP TABLE "+table+"`)")
}

// TestStatusExitCodes gives status each state a migration can be in, with
// the real runner: 0 when nothing needs attention, 1 for failed, dirty,
// modified and unknown migrations, 3 for pending ones with
// --fail-on-pending.
func TestStatusExitCodes(t *testing.T) {
	_, work := moduleWorkDir(t)
	const pkg = "statusmig"
	first := map[string]string{v1 + "_create_a.go": simpleMigration(pkg, v1, "", "a")}
	with := func(name, src string) map[string]string {
		return map[string]string{v1 + "_create_a.go": first[v1+"_create_a.go"], name: src}
	}
	failing := with(v2+"_fail.go", migrationSource(pkg, v2, "fail", v1, "", "migrate.SQL(`SELECT 1/0`)", ""))
	dirty := with(v2+"_dirty.go", migrationSource(pkg, v2, "dirty", v1, "",
		"migrate.SQLNoTx(`CREATE TABLE b (id int)`), migrate.SQLNoTx(`SELECT 1/0`)", "migrate.SQL(`DROP TABLE b`)"))
	second := with(v2+"_create_b.go", simpleMigration(pkg, v2, v1, "b"))
	modified := map[string]string{v1 + "_create_a.go": migrationSource(pkg, v1, "create_a", "", "",
		"migrate.SQL(`CREATE TABLE a (id bigint)`)", "migrate.SQL(`DROP TABLE a`)")}

	tests := []struct {
		name          string
		applied       map[string]string // the files apply runs with first, if any
		applyCode     int
		files         map[string]string // the files status runs with
		want, pending int               // exit codes without and with --fail-on-pending
		state         string
	}{
		{name: "pending", files: first, want: exitOK, pending: 3, state: "pending"},
		{name: "applied", applied: first, files: first, want: exitOK, pending: exitOK, state: "applied"},
		{name: "failed", applied: failing, applyCode: 1, files: failing, want: 1, pending: 1, state: "failed"},
		{name: "dirty", applied: dirty, applyCode: 1, files: dirty, want: 1, pending: 1, state: "dirty"},
		{name: "modified", applied: first, files: modified, want: 1, pending: 1, state: "modified"},
		{name: "unknown", applied: second, files: first, want: 1, pending: 1, state: "unknown"},
		{name: "applied and pending", applied: first, files: second, want: exitOK, pending: 3, state: "pending"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := pgtest.NewDB(t)
			if tc.applied != nil {
				dir := writeMigrationsPackage(t, work, pkg, tc.applied)
				if r := runCLI(t, "apply", "--db", db, "--dir", dir); r.code != tc.applyCode {
					t.Fatalf("apply: exit %d, want %d\n%s", r.code, tc.applyCode, r.stderr)
				}
			}
			dir := writeMigrationsPackage(t, work, pkg, tc.files)
			r := runCLI(t, "status", "--db", db, "--dir", dir)
			if r.code != tc.want || !strings.Contains(r.stdout, tc.state) {
				t.Errorf("status: exit %d, want %d with a %s migration\n%s%s", r.code, tc.want, tc.state, r.stdout, r.stderr)
			}
			if tc.want == 1 && !strings.Contains(r.stderr, "("+tc.state+")") {
				t.Errorf("status does not say what needs attention:\n%s", r.stderr)
			}
			r = runCLI(t, "status", "--db", db, "--dir", dir, "--fail-on-pending")
			if r.code != tc.pending {
				t.Errorf("status --fail-on-pending: exit %d, want %d\n%s%s", r.code, tc.pending, r.stdout, r.stderr)
			}
		})
	}
}

// TestApplyRollbackDryRun prints what apply and rollback would run and
// checks that the database did not change.
func TestApplyRollbackDryRun(t *testing.T) {
	_, work := moduleWorkDir(t)
	const pkg = "drymig"
	dir := writeMigrationsPackage(t, work, pkg, map[string]string{
		v1 + "_create_a.go": migrationSource(pkg, v1, "create_a", "", `"context"`,
			"migrate.SQL(`CREATE TABLE a (id int)`), migrate.Func(backfill)", "migrate.SQL(`DROP TABLE a`)") +
			"\nfunc backfill(ctx context.Context, db migrate.DB) error {\n\t_, err := db.Exec(ctx, `INSERT INTO a VALUES (1)`)\n\treturn err\n}\n",
		v2 + "_index_a.go": migrationSource(pkg, v2, "index_a", v1, "",
			"migrate.SQLNoTx(`CREATE INDEX CONCURRENTLY a_id ON a (id)`)", "migrate.SQLNoTx(`DROP INDEX CONCURRENTLY a_id`)"),
	})
	db := pgtest.NewDB(t)
	tables := func() string {
		return queryString(t, db, "SELECT coalesce(string_agg(relname, ',' ORDER BY relname), '') FROM pg_class WHERE relnamespace = 'public'::regnamespace")
	}

	r := runCLI(t, "apply", "--db", db, "--dir", dir, "--dry-run")
	if r.code != exitOK {
		t.Fatalf("apply --dry-run: exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{
		"-- migration " + v1 + " create_a: Up, 2 step(s), in one transaction\n",
		"-- step 1 of 2: SQL, in the migration's transaction\nCREATE TABLE a (id int);\n",
		"-- step 2 of 2: Go function github.com/schemadiff/schemadiff/",
		"/" + pkg + ".backfill (its code is not shown), in the migration's transaction\n",
		"-- migration " + v2 + " index_a: Up, 1 step(s), without a transaction",
		"-- step 1 of 1: SQL, outside any transaction\nCREATE INDEX CONCURRENTLY a_id ON a (id);\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("apply --dry-run lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "dry run: 2 migrations would be applied; nothing was changed") {
		t.Errorf("apply --dry-run stderr:\n%s", r.stderr)
	}
	if got := tables(); got != "" {
		t.Errorf("apply --dry-run created %s", got)
	}

	if r := runCLI(t, "apply", "--db", db, "--dir", dir); r.code != exitOK {
		t.Fatalf("apply: exit %d\n%s", r.code, r.stderr)
	}
	before := tables()
	r = runCLI(t, "rollback", "--db", db, "--dir", dir, "--steps", "2", "--dry-run")
	if r.code != exitOK {
		t.Fatalf("rollback --dry-run: exit %d\n%s", r.code, r.stderr)
	}
	iv2, iv1 := strings.Index(r.stdout, "-- migration "+v2+" index_a: Down"), strings.Index(r.stdout, "-- migration "+v1+" create_a: Down")
	if iv2 < 0 || iv1 < iv2 || !strings.Contains(r.stdout, "DROP INDEX CONCURRENTLY a_id;") || !strings.Contains(r.stdout, "DROP TABLE a;") {
		t.Errorf("rollback --dry-run output:\n%s", r.stdout)
	}
	if got := tables(); got != before {
		t.Errorf("rollback --dry-run changed the tables from %s to %s", before, got)
	}
	if r := runCLI(t, "apply", "--db", db, "--dir", dir, "--dry-run"); r.code != exitOK ||
		!strings.Contains(r.stderr, "nothing would be applied") {
		t.Errorf("apply --dry-run when up to date: exit %d\n%s", r.code, r.stderr)
	}
}

// TestMigrationVersionMustMatchFileName: a Version literal that differs
// from the file name is refused before compiling, naming file:line and both
// versions; one the file cannot show (a constant) is refused by the runner.
func TestMigrationVersionMustMatchFileName(t *testing.T) {
	_, work := moduleWorkDir(t)
	db := pgtest.NewDB(t)
	const pkg = "vermig"
	dir := writeMigrationsPackage(t, work, pkg, map[string]string{v1 + "_create_a.go": simpleMigration(pkg, v2, "", "a")})
	r := runCLI(t, "apply", "--db", db, "--dir", dir)
	want := v1 + `_create_a.go:10:12: Version "` + v2 + `" does not match the version ` + v1 + " in the file name"
	if r.code != exitError || !strings.Contains(r.stderr, want) {
		t.Errorf("apply: exit %d, want %d and %q\n%s", r.code, exitError, want, r.stderr)
	}

	src := strings.Replace(simpleMigration(pkg, v2, "", "a"), `Version: "`+v2+`"`, "Version: version", 1) +
		"\nconst version = \"" + v2 + "\"\n"
	dir = writeMigrationsPackage(t, work, pkg, map[string]string{v1 + "_create_a.go": src})
	for _, cmd := range []string{"apply", "status"} {
		r = runCLI(t, cmd, "--db", db, "--dir", dir)
		want = "migration file " + v1 + `_create_a.go declares Version "` + v2 + `" but its name says ` + v1
		if r.code != exitError || !strings.Contains(r.stderr, want) {
			t.Errorf("%s: exit %d, want %d and %q\n%s", cmd, r.code, exitError, want, r.stderr)
		}
	}
	if got := queryString(t, db, "SELECT coalesce(to_regclass('a')::text, 'none')"); got != "none" {
		t.Error("table a was created")
	}
}
