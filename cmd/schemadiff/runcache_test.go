package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/internal/pipeline"
)

// cacheEntries lists the runner cache entries (compiled runners) in dir.
func cacheEntries(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && e.Name() != "index" {
			out = append(out, e.Name())
		}
	}
	return out
}

// runnerMtime returns the modification time of the runner in entry.
func runnerMtime(t *testing.T, cache, entry string) time.Time {
	t.Helper()
	info, err := os.Stat(filepath.Join(cache, entry, "migrations-runner"))
	if err != nil {
		t.Fatal(err)
	}
	return info.ModTime()
}

// runProc runs the schemadiff binary to its end and returns its exit code.
func runProc(t *testing.T, bin, tmp string, args ...string) (*cliProc, int) {
	t.Helper()
	p := startSchemadiff(t, bin, tmp, args...)
	return p, p.wait(t)
}

const (
	compiledMsg = "compiling migrations package"
	cachedMsg   = "using the cached migrations runner"
)

// expectRun runs the binary with --verbose and checks its exit code and
// whether it compiled the migrations or took the cached runner.
func expectRun(t *testing.T, bin, tmp string, compiles bool, args ...string) *cliProc {
	t.Helper()
	return expectRunCode(t, bin, tmp, exitOK, compiles, args...)
}

// expectRunCode is expectRun for a run exiting with code want.
func expectRunCode(t *testing.T, bin, tmp string, want int, compiles bool, args ...string) *cliProc {
	t.Helper()
	p, code := runProc(t, bin, tmp, append([]string{"--verbose"}, args...)...)
	if code != want {
		t.Fatalf("%v: exit %d, want %d\n%s%s", args, code, want, p.stdout.String(), p.stderr.String())
	}
	stderr := p.stderr.String()
	if compiled := strings.Contains(stderr, compiledMsg); compiled != compiles || !compiles && !strings.Contains(stderr, cachedMsg) {
		t.Fatalf("%v: compiled=%v, want %v:\n%s", args, compiled, compiles, stderr)
	}
	return p
}

// TestRunnerCache runs the real binary and runner: the second run takes
// the compiled runner from the cache, and an added migration, an edited
// migration, an edited embedded file and a corrupt runner make it compile
// again.
func TestRunnerCache(t *testing.T) {
	bin := buildSchemadiff(t)
	_, work := moduleWorkDir(t)
	cache := t.TempDir()
	t.Setenv(pipeline.RunnerCacheEnv, cache)
	tmp := t.TempDir()
	db := pgtest.NewDB(t)
	const pkg = "cachemig"
	files := map[string]string{
		v1 + "_create_a.go": simpleMigration(pkg, v1, "", "a"),
		"embedded.go":       "package " + pkg + "\n\nimport _ \"embed\"\n\n//go:embed sql/fill.sql\nvar fillSQL string\n",
		"sql/fill.sql":      "INSERT INTO a VALUES (1)",
		v2 + "_fill_a.go":   migrationSource(pkg, v2, "fill_a", v1, "", "migrate.SQL(fillSQL)", "migrate.SQL(`DELETE FROM a`)"),
	}
	dir := writeMigrationsPackage(t, work, pkg, files)

	expectRun(t, bin, tmp, true, "status", "--db", db, "--dir", dir)
	entries := cacheEntries(t, cache)
	if len(entries) != 1 {
		t.Fatalf("cache holds %v, want one runner", entries)
	}
	built := runnerMtime(t, cache, entries[0])
	expectRun(t, bin, tmp, false, "apply", "--db", db, "--dir", dir)
	if got := cacheEntries(t, cache); len(got) != 1 || !runnerMtime(t, cache, entries[0]).Equal(built) {
		t.Fatalf("the second run changed the cache: %v", got)
	}
	if got := queryString(t, db, "SELECT count(*)::text FROM a"); got != "1" {
		t.Fatalf("a has %s rows after apply, want 1", got)
	}

	t.Run("an added migration compiles again", func(t *testing.T) {
		writeFile(t, dir, "20260401000003_create_b.go", simpleMigration(pkg, "20260401000003", v2, "b"))
		p := expectRun(t, bin, tmp, true, "status", "--db", db, "--dir", dir)
		if !strings.Contains(p.stdout.String(), "create_b") {
			t.Errorf("status does not list the added migration:\n%s", p.stdout.String())
		}
		expectRun(t, bin, tmp, false, "status", "--db", db, "--dir", dir)
	})
	t.Run("an edited migration compiles again", func(t *testing.T) {
		writeFile(t, dir, "20260401000003_create_b.go", simpleMigration(pkg, "20260401000003", v2, "b2"))
		expectRun(t, bin, tmp, true, "apply", "--db", db, "--dir", dir)
		if got := queryString(t, db, "SELECT coalesce(to_regclass('b2')::text, 'none')"); got != "b2" {
			t.Errorf("the edited migration did not run: table b2 is %s", got)
		}
	})
	t.Run("an edited embedded file compiles again", func(t *testing.T) {
		writeFile(t, dir, "sql/fill.sql", "INSERT INTO a VALUES (2)")
		p := expectRunCode(t, bin, tmp, 1, true, "status", "--db", db, "--dir", dir)
		if !strings.Contains(p.stdout.String(), "modified") {
			t.Errorf("status does not see the edited embedded SQL as a modified migration:\n%s", p.stdout.String())
		}
		// Back to the applied content: the runner compiled for it is used.
		writeFile(t, dir, "sql/fill.sql", "INSERT INTO a VALUES (1)")
		expectRun(t, bin, tmp, false, "status", "--db", db, "--dir", dir)
	})
	t.Run("a corrupt runner is rebuilt", func(t *testing.T) {
		before := cacheEntries(t, cache)
		for _, e := range before {
			runner := filepath.Join(cache, e, "migrations-runner")
			if err := os.WriteFile(runner, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		p := expectRun(t, bin, tmp, true, "status", "--db", db, "--dir", dir)
		if !strings.Contains(p.stderr.String(), "does not match its checksum") {
			t.Errorf("the corrupt runner is not named:\n%s", p.stderr.String())
		}
		if !strings.Contains(p.stdout.String(), "fill_a") {
			t.Errorf("status after the rebuild:\n%s", p.stdout.String())
		}
		expectRun(t, bin, tmp, false, "status", "--db", db, "--dir", dir)
	})
	if d := runDirs(t, tmp); len(d) != 0 {
		t.Errorf("run directories left behind: %v", d)
	}
}

// TestRunnerCacheConcurrent starts two applies on an empty cache at once:
// both compile, both succeed, and one runner is stored.
func TestRunnerCacheConcurrent(t *testing.T) {
	bin := buildSchemadiff(t)
	_, work := moduleWorkDir(t)
	cache := t.TempDir()
	t.Setenv(pipeline.RunnerCacheEnv, cache)
	tmp := t.TempDir()
	const pkg = "concmig"
	dir := writeMigrationsPackage(t, work, pkg, map[string]string{v1 + "_create_a.go": simpleMigration(pkg, v1, "", "a")})
	dbs := []string{pgtest.NewDB(t), pgtest.NewDB(t)}
	var procs []*cliProc
	for _, db := range dbs {
		procs = append(procs, startSchemadiff(t, bin, tmp, "apply", "--db", db, "--dir", dir))
	}
	for i, p := range procs {
		if code := p.wait(t); code != exitOK {
			t.Errorf("apply %d: exit %d\n%s", i, code, p.stderr.String())
		}
		if got := queryString(t, dbs[i], "SELECT coalesce(to_regclass('a')::text, 'none')"); got != "a" {
			t.Errorf("apply %d did not create a", i)
		}
	}
	if got := cacheEntries(t, cache); len(got) != 1 {
		t.Errorf("cache holds %v, want one runner and no temporary directory", got)
	}
	expectRun(t, bin, tmp, false, "status", "--db", dbs[0], "--dir", dir)
}
