//go:build unix

package pgserver

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// requireBinaries skips the test when PostgreSQL is not installed, unless
// running in CI where a missing server is a failure.
func requireBinaries(t *testing.T) {
	t.Helper()
	if _, err := FindBinDir(); err != nil {
		if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
			t.Fatalf("%v", err)
		}
		t.Skipf("%v", err)
	}
}

func queryString(t *testing.T, url, sql string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connecting to %s: %v", url, err)
	}
	defer conn.Close(ctx)
	var s string
	if err := conn.QueryRow(ctx, sql).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}

func processGone(pid int) bool {
	// The postmaster leads its own process group: no member may survive.
	err := syscall.Kill(-pid, 0)
	return errors.Is(err, syscall.ESRCH)
}

func TestScratchOnEmbeddedServer(t *testing.T) {
	requireBinaries(t)
	ctx := context.Background()
	began := time.Now()
	sc, err := OpenScratch(ctx, "", Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("embedded server started in %s", time.Since(began).Round(time.Millisecond))
	srv := sc.server
	dir, pid := srv.dir, srv.cmd.Process.Pid
	defer sc.Close()

	if os.Geteuid() == 0 {
		fi, err := os.Stat(filepath.Join(dir, "data", "PG_VERSION"))
		if err != nil {
			t.Fatal(err)
		}
		if uid := fi.Sys().(*syscall.Stat_t).Uid; uid == 0 {
			t.Errorf("data directory owned by root: server should run unprivileged")
		}
		status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
		if err == nil && strings.Contains(string(status), "\nUid:\t0\t") {
			t.Errorf("postgres runs as root")
		}
	}

	var urls []string
	for i := 0; i < 2; i++ {
		u, err := sc.NewDatabase(ctx)
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, u)
	}
	if urls[0] == urls[1] {
		t.Fatalf("two scratch databases share a URL: %s", urls[0])
	}
	for _, u := range urls {
		name, err := databaseName(u)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(name, scratchPrefix) {
			t.Errorf("database %q lacks prefix %q", name, scratchPrefix)
		}
		if got := queryString(t, u, "SELECT current_database()"); got != name {
			t.Errorf("connected to %q, want %q", got, name)
		}
		if got := queryString(t, u, "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()"); got != "UTF8" {
			t.Errorf("encoding %s, want UTF8", got)
		}
	}

	if err := sc.DropDatabase(ctx, urls[0]); err != nil {
		t.Fatal(err)
	}
	if err := sc.DropDatabase(ctx, srv.URL("postgres")); err == nil {
		t.Errorf("DropDatabase accepted a database it did not create")
	}

	if err := sc.Close(); err != nil {
		t.Fatal(err)
	}
	if err := sc.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("temporary directory %s still exists (%v)", dir, err)
	}
	if !processGone(pid) {
		t.Errorf("postgres (pid %d) or one of its children is still running", pid)
	}
	if _, err := sc.NewDatabase(ctx); err == nil {
		t.Errorf("NewDatabase succeeded after Close")
	}
}

func TestScratchOnDevURL(t *testing.T) {
	requireBinaries(t)
	ctx := context.Background()
	srv, err := Start(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	admin := srv.URL("postgres")

	sc, err := OpenScratch(ctx, admin, Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	if sc.server != nil {
		t.Fatalf("OpenScratch with a dev URL started an embedded server")
	}

	exists := func(name string) bool {
		return queryString(t, admin, "SELECT count(*)::text FROM pg_database WHERE datname = '"+name+"'") == "1"
	}
	kept, err := sc.NewDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dropped, err := sc.NewDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	keptName, _ := databaseName(kept)
	droppedName, _ := databaseName(dropped)
	if got := queryString(t, kept, "WITH t(x) AS (VALUES (42)) SELECT x::text FROM t"); got != "42" {
		t.Errorf("query in %s returned %q", keptName, got)
	}

	// A connection left open must not stop the drop.
	conn, err := pgx.Connect(ctx, dropped)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := sc.DropDatabase(ctx, dropped); err != nil {
		t.Fatal(err)
	}
	if exists(droppedName) {
		t.Errorf("%s still exists after DropDatabase", droppedName)
	}
	if !exists(keptName) {
		t.Fatalf("%s does not exist", keptName)
	}

	if err := sc.Close(); err != nil {
		t.Fatal(err)
	}
	if exists(keptName) {
		t.Errorf("%s still exists after Close", keptName)
	}
	if srv.cmd.ProcessState != nil {
		t.Errorf("Close stopped a server it did not start")
	}
	if got := queryString(t, admin, "SELECT 'alive'"); got != "alive" {
		t.Errorf("dev server unusable after Close: %q", got)
	}

	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := srv.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if _, err := os.Stat(srv.dir); !os.IsNotExist(err) {
		t.Errorf("temporary directory %s still exists (%v)", srv.dir, err)
	}
	if !processGone(srv.cmd.Process.Pid) {
		t.Errorf("postgres still running after Stop")
	}
}

func TestStartReportsServerLog(t *testing.T) {
	requireBinaries(t)
	_, err := Start(context.Background(), Options{extraArgs: []string{"-c", "shared_buffers=bogus"}})
	if err == nil {
		t.Fatal("Start succeeded with an invalid setting")
	}
	if !strings.Contains(err.Error(), "starting embedded postgres") ||
		!strings.Contains(err.Error(), "shared_buffers") {
		t.Errorf("error lacks context or server log:\n%v", err)
	}
}

func TestOpenScratchBadDevURL(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := OpenScratch(ctx, "mysql://localhost/db", Options{}); err == nil {
		t.Error("OpenScratch accepted a non-postgres URL")
	}
	sock := t.TempDir()
	if _, err := OpenScratch(ctx, "postgres://postgres@/x?host="+sock, Options{}); err == nil {
		t.Error("OpenScratch succeeded with no server listening")
	}
}

func TestFindBinDir(t *testing.T) {
	requireBinaries(t)
	dir, err := FindBinDir()
	if err != nil {
		t.Fatal(err)
	}
	if !hasServerBinaries(dir) {
		t.Errorf("FindBinDir returned %s, which lacks initdb or postgres", dir)
	}
	if _, err := binDir(t.TempDir()); !errors.Is(err, ErrNoBinaries) {
		t.Errorf("binDir(empty dir) = %v, want ErrNoBinaries", err)
	}
	if got, err := binDir(dir); err != nil || got != dir {
		t.Errorf("binDir(%s) = %q, %v", dir, got, err)
	}
}

func TestErrNoBinariesMessage(t *testing.T) {
	for _, want := range []string{"apt-get install postgresql", "--dev-url", "pg_config --bindir"} {
		if !strings.Contains(ErrNoBinaries.Error(), want) {
			t.Errorf("ErrNoBinaries message lacks %q", want)
		}
	}
}

func TestWithDatabase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://user@host:5433/db?sslmode=disable", "postgres://user@host:5433/schemadiff_scratch_x?sslmode=disable"},
		{"postgresql://u:p%40ss@h/db", "postgresql://u:p%40ss@h/schemadiff_scratch_x"},
		{"postgres://postgres@/postgres?host=%2Ftmp%2Fsock&port=5432", "postgres://postgres@/schemadiff_scratch_x?host=%2Ftmp%2Fsock&port=5432"},
		{"postgres:///?host=/run/postgresql", "postgres:///schemadiff_scratch_x?host=/run/postgresql"},
		{"postgres://h/db?dbname=other&sslmode=require", "postgres://h/schemadiff_scratch_x?sslmode=require"},
		{"postgres://h", "postgres://h/schemadiff_scratch_x"},
	}
	for _, tt := range tests {
		got, err := withDatabase(tt.in, "schemadiff_scratch_x")
		if err != nil || got != tt.want {
			t.Errorf("withDatabase(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			continue
		}
		if name, err := databaseName(got); err != nil || name != "schemadiff_scratch_x" {
			t.Errorf("databaseName(%q) = %q, %v", got, name, err)
		}
	}
	if _, err := withDatabase("host=/tmp dbname=x", "y"); err == nil {
		t.Error("withDatabase accepted a keyword/value string")
	}
}

// TestDropWithServer: the databases of an embedded server opened with
// DropWithServer stay until the server stops, and go with it; without the
// option each is dropped when its user is done.
func TestDropWithServer(t *testing.T) {
	requireBinaries(t)
	ctx := context.Background()
	for _, deferDrops := range []bool{false, true} {
		sc, err := OpenScratch(ctx, "", Options{Logf: t.Logf, DropWithServer: deferDrops})
		if err != nil {
			t.Fatal(err)
		}
		dir := sc.server.dir
		u, err := sc.NewDatabase(ctx)
		if err != nil {
			t.Fatal(err)
		}
		name, err := databaseName(u)
		if err != nil {
			t.Fatal(err)
		}
		sb, err := sc.NewSandbox(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := sc.DropDatabase(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := sc.DropSandbox(ctx, sb); err != nil {
			t.Fatal(err)
		}
		if err := sc.DropDatabase(ctx, u); err == nil {
			t.Errorf("DropWithServer=%v: a database dropped once was dropped again", deferDrops)
		}
		left := queryString(t, sc.server.URL("postgres"),
			"SELECT count(*) FROM pg_database WHERE datname IN ('"+name+"', '"+sb.name+"')")
		if want := map[bool]string{false: "0", true: "2"}[deferDrops]; left != want {
			t.Errorf("DropWithServer=%v: %s databases left after the drops, want %s", deferDrops, left, want)
		}
		if err := sc.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("DropWithServer=%v: temporary directory %s still exists (%v)", deferDrops, dir, err)
		}
	}
}
