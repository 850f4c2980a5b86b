//go:build unix

package pgserver

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/schema"
)

// staleHelperEnv makes the test binary a schemadiff run that starts an
// embedded server, prints its directory and waits to be killed.
const staleHelperEnv = "SCHEMADIFF_PGSERVER_STALE_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(staleHelperEnv) == "1" {
		srv, err := Start(context.Background(), Options{})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Println(srv.dir)
		time.Sleep(10 * time.Minute)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestStaleDirectoriesOfKilledRunsAreRemoved: a run killed with SIGKILL
// cannot remove its temporary directory; the next run does, and never
// removes the directory of a run that is alive.
func TestStaleDirectoriesOfKilledRunsAreRemoved(t *testing.T) {
	requireBinaries(t)
	helper := exec.Command(os.Args[0], "-test.run=^$")
	helper.Env = append(os.Environ(), staleHelperEnv+"=1")
	helper.Stderr = os.Stderr
	out, err := helper.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	defer helper.Process.Kill() //nolint:errcheck // killed below already
	dir, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the helper's directory: %v", err)
	}
	dir = strings.TrimSpace(dir)
	if pid, ok := readPID(filepath.Join(dir, ownerFile)); !ok || pid != helper.Process.Pid {
		t.Fatalf("owner record of %s: %d, want %d", dir, pid, helper.Process.Pid)
	}

	removeStaleDirs(filepath.Dir(dir), Options{Logf: t.Logf})
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("the directory of a live run was removed: %v", err)
	}

	if err := helper.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = helper.Wait()
	// The postmaster dies with its parent (PR_SET_PDEATHSIG).
	pm, _ := readPID(filepath.Join(dir, "data", "postmaster.pid"))
	deadline := time.Now().Add(15 * time.Second)
	for pm > 0 && processAlive(pm) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("the killed run's directory is already gone: %v", err)
	}

	srv, err := Start(context.Background(), Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the killed run's directory %s is still there (%v)", dir, err)
	}
	if _, err := os.Stat(srv.dir); err != nil {
		t.Errorf("the new run's directory: %v", err)
	}
}

// TestServerIsPrivate: the server listens on its socket only, in a
// directory only its user may enter, and, when we are root, runs as the
// dedicated system user, not as the owner of the machine's clusters.
func TestServerIsPrivate(t *testing.T) {
	requireBinaries(t)
	srv, err := Start(context.Background(), Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	if got := queryString(t, srv.URL("postgres"), "SHOW listen_addresses"); got != "" {
		t.Errorf("listen_addresses = %q, want none", got)
	}
	for _, d := range []string{srv.dir, srv.sockDir, srv.dataDir} {
		fi, err := os.Stat(d)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o700 {
			t.Errorf("%s has mode %o, want 700", d, perm)
		}
	}
	if os.Geteuid() != 0 {
		return
	}
	u, err := user.Lookup(RunAsUser)
	if err != nil {
		t.Fatal(err)
	}
	status, err := os.ReadFile("/proc/" + strconv.Itoa(srv.cmd.Process.Pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	if want := "\nUid:\t" + u.Uid + "\t"; !strings.Contains(string(status), want) {
		t.Errorf("postgres does not run as %s (uid %s):\n%s", RunAsUser, u.Uid, status)
	}
	if pg, err := user.Lookup("postgres"); err == nil && pg.Uid == u.Uid {
		t.Errorf("%s shares its uid with postgres", RunAsUser)
	}
}

// TestSandboxRoleHasNoRights: the role a sandbox connects as owns the
// database and has no right beyond that: not superuser, no CREATEROLE or
// CREATEDB, none of PostgreSQL's pg_* roles; it may use the roles the
// target's schema grants to.
func TestSandboxRoleHasNoRights(t *testing.T) {
	requireBinaries(t)
	ctx := context.Background()
	sc, err := OpenScratch(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	names := []string{`r$sd$x`, `it's`, `with space`, `"quoted"`, `ünïcødé`, `app`, `reader`}
	for i := 0; i < 2; i++ { // a second call finds them all
		if err := sc.EnsureRoles(ctx, names); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range names {
		if got := queryString(t, sc.adminURL, "SELECT count(*)::text FROM pg_roles WHERE rolname = "+schema.Literal(n)+" AND NOT rolcanlogin AND NOT rolsuper"); got != "1" {
			t.Errorf("role %q: %s NOLOGIN roles", n, got)
		}
	}
	sb, err := sc.NewSandbox(ctx, "app")
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string]string{
		"SELECT current_user::text": "app",
		"SELECT pg_catalog.pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = current_database()":                                  "app",
		"SELECT (rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls)::text FROM pg_roles WHERE rolname = current_user": "false",
		`SELECT count(*)::text FROM pg_roles r WHERE pg_has_role(current_user, r.oid, 'USAGE')
			AND r.rolname <> current_user AND (r.rolsuper OR r.rolname ~ '^pg_' AND r.rolname <> 'pg_database_owner')`: "0",
		`SELECT pg_has_role(current_user, 'r$sd$x', 'USAGE')::text`: "true",
	}
	for sql, want := range checks {
		if got := queryString(t, sb.URL, sql); got != want {
			t.Errorf("%s = %s, want %s", sql, got, want)
		}
	}
	conn, err := pgx.Connect(ctx, sb.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, sql := range []string{
		"SET ROLE " + SuperuserName,
		"SET SESSION AUTHORIZATION " + SuperuserName,
		"ALTER ROLE app SUPERUSER",
		"GRANT pg_execute_server_program TO app",
		"CREATE ROLE other",
	} {
		if _, err := conn.Exec(ctx, sql); err == nil {
			t.Errorf("%s: succeeded as the sandbox role", sql)
		}
	}
	if err := sc.DropSandbox(ctx, sb); err != nil {
		t.Fatal(err)
	}
}
