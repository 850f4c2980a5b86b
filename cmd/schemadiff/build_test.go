package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

// TestBuildRunsWithoutToolchain builds the runner of a migrations package
// with schemadiff build and runs it with no go command on PATH and GOROOT
// unset: apply, status and rollback work against a real server.
func TestBuildRunsWithoutToolchain(t *testing.T) {
	_, work := moduleWorkDir(t)
	const pkg = "buildmig"
	dir := writeMigrationsPackage(t, work, pkg, map[string]string{
		v1 + "_create_a.go": simpleMigration(pkg, v1, "", "a"),
		v2 + "_create_b.go": simpleMigration(pkg, v2, v1, "b"),
	})
	bin := filepath.Join(t.TempDir(), "bin", "migrate")
	start := time.Now()
	if r := runCLI(t, "build", "--dir", dir, "-o", bin); r.code != 0 {
		t.Fatalf("build: exit %d\n%s", r.code, r.stderr)
	}
	t.Logf("build: %s", time.Since(start).Round(time.Millisecond))
	db := pgtest.NewDB(t)

	empty := t.TempDir() // a PATH where no go command is found
	runBin := func(args ...string) (int, string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = withoutToolchain(empty)
		cmd.Dir = empty
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), out.String()
		}
		if err != nil {
			t.Fatalf("running %s: %v", bin, err)
		}
		return 0, out.String()
	}

	if code, out := runBin("apply", "--db", db); code != 0 {
		t.Fatalf("apply: exit %d\n%s", code, out)
	}
	if got := queryString(t, db, "SELECT string_agg(version, ',' ORDER BY version) FROM schemadiff_migrations"); got != v1+","+v2 {
		t.Errorf("applied %q, want %s,%s", got, v1, v2)
	}
	code, out := runBin("status", "--db", db)
	if code != 0 || !strings.Contains(out, v2) {
		t.Errorf("status: exit %d, want 0 naming %s\n%s", code, v2, out)
	}
	if code, out := runBin("rollback", "--db", db); code != 0 {
		t.Fatalf("rollback: exit %d\n%s", code, out)
	}
	if got := queryString(t, db, "SELECT (to_regclass('b') IS NULL)::text || ',' || (to_regclass('a') IS NULL)::text"); got != "true,false" {
		t.Errorf("after rollback, b dropped and a kept: got %q, want true,false", got)
	}
}

// withoutToolchain is the environment without GOROOT and with PATH set to
// dir alone, so that no go command can be found.
func withoutToolchain(dir string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PATH=") || strings.HasPrefix(kv, "GOROOT=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "PATH="+dir)
}

// TestBuildNeedsDirAndOutput names the missing flag.
func TestBuildNeedsDirAndOutput(t *testing.T) {
	if r := runCLI(t, "build", "-o", "x"); r.code != exitError || !strings.Contains(r.stderr, "--dir") {
		t.Errorf("without --dir: exit %d, want 2 naming --dir\n%s", r.code, r.stderr)
	}
	if r := runCLI(t, "build", "--dir", "x"); r.code != exitError || !strings.Contains(r.stderr, "-o FILE") {
		t.Errorf("without -o: exit %d, want 2 naming -o\n%s", r.code, r.stderr)
	}
}
