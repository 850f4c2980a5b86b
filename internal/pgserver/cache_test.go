//go:build unix

package pgserver

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// logRecorder keeps the progress lines and warnings of a start.
type logRecorder struct {
	t     *testing.T
	mu    sync.Mutex
	lines []string
}

func (r *logRecorder) logf(format string, args ...any) {
	r.t.Helper()
	r.t.Logf(format, args...)
	r.mu.Lock()
	r.lines = append(r.lines, formatLine(format, args...))
	r.mu.Unlock()
}

func formatLine(format string, args ...any) string {
	return strings.TrimSpace(strings.ReplaceAll(fmt.Sprintf(format, args...), "\n", " "))
}

// has reports whether a recorded line contains s.
func (r *logRecorder) has(s string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, l := range r.lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

func (r *logRecorder) options() Options { return Options{Logf: r.logf, Warnf: r.logf} }

// useCache points the cluster cache at a new directory for this test.
func useCache(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "clusters")
	t.Setenv(CacheEnv, dir)
	return dir
}

// startLogged starts a server, recording its log lines.
func startLogged(t *testing.T) (*Server, *logRecorder) {
	t.Helper()
	rec := &logRecorder{t: t}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := Start(ctx, rec.options())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Stop() })
	return s, rec
}

// requireInitdb fails unless the start ran initdb (true) or started from
// the cache without running it (false).
func requireInitdb(t *testing.T, s *Server, rec *logRecorder, want bool) {
	t.Helper()
	ran := rec.has("initdb done")
	if ran != want || s.fromCache == want {
		t.Fatalf("initdb ran: %v, started from the cache: %v; want initdb %v", ran, s.fromCache, want)
	}
	if !want && !rec.has("copied the cached cluster") {
		t.Fatalf("no log line says the cached cluster was copied")
	}
}

// entryOf returns the only cache entry in dir.
func entryOf(t *testing.T, dir string) string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(dir, "pg*-*"))
	if err != nil {
		t.Fatal(err)
	}
	var entries []string
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && fi.IsDir() && !strings.Contains(m, ".tmp-") {
			entries = append(entries, m)
		}
	}
	if len(entries) != 1 {
		t.Fatalf("cache %s holds entries %v, want one", dir, entries)
	}
	return entries[0]
}

// TestClusterCacheReuse: the first start runs initdb and stores the
// cluster; the next one starts from a copy without initdb, and sees none of
// the roles and databases made on the first.
func TestClusterCacheReuse(t *testing.T) {
	requireBinaries(t)
	dir := useCache(t)
	first, rec := startLogged(t)
	requireInitdb(t, first, rec, true)
	if !rec.has("stored the new cluster in the cache") {
		t.Fatalf("the new cluster was not stored in the cache")
	}
	execSQL(t, first.URL("postgres"), "CREATE ROLE leftover_role LOGIN SUPERUSER")
	execSQL(t, first.URL("postgres"), "CREATE DATABASE leftover_db")
	if err := first.Stop(); err != nil {
		t.Fatal(err)
	}

	second, rec := startLogged(t)
	requireInitdb(t, second, rec, false)
	state := queryString(t, second.URL("postgres"),
		`SELECT (SELECT count(*) FROM pg_roles WHERE rolname = 'leftover_role')::text || ' ' ||
			(SELECT count(*) FROM pg_database WHERE datname = 'leftover_db')::text || ' ' || current_user ||
			' ' || current_setting('fsync') || ' ' || current_setting('wal_level') || ' ' || current_setting('autovacuum')`)
	if want := "0 0 " + SuperuserName + " off minimal off"; state != want {
		t.Errorf("server started from the cache: got %q, want %q (roles, databases, user, settings)", state, want)
	}

	// The cache is private to us; the running copy belongs to the server's
	// user.
	entry := entryOf(t, dir)
	for _, p := range []string{dir, entry, filepath.Join(entry, "data")} {
		if err := checkPrivateDir(p); err != nil {
			t.Errorf("cache: %v", err)
		}
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("cache directory mode %v (%v), want 0700", fi.Mode().Perm(), err)
	}
	if _, err := os.Lstat(filepath.Join(entry, "data", "postmaster.pid")); err == nil {
		t.Errorf("a server ran on the cached template")
	}
	if os.Geteuid() == 0 {
		fi, err := os.Stat(filepath.Join(second.dataDir, "PG_VERSION"))
		if err != nil {
			t.Fatal(err)
		}
		if uid := fi.Sys().(*syscall.Stat_t).Uid; uid == 0 {
			t.Errorf("copied data directory owned by root: the server must run unprivileged")
		}
	}
}

// TestClusterCacheRebuildsCorruptEntries: an entry without PG_VERSION,
// with a garbage marker or on which the server does not start is replaced
// by a new cluster, and used again afterwards.
func TestClusterCacheRebuildsCorruptEntries(t *testing.T) {
	requireBinaries(t)
	dir := useCache(t)
	s, _ := startLogged(t)
	_ = s.Stop()
	entry := entryOf(t, dir)
	corruptions := []struct {
		name     string
		corrupt  func(t *testing.T)
		logLine  string
		warnLine string
	}{
		{"missing PG_VERSION", func(t *testing.T) {
			if err := os.Remove(filepath.Join(entry, "data", "PG_VERSION")); err != nil {
				t.Fatal(err)
			}
		}, "reading PG_VERSION", ""},
		{"garbage marker", func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(entry, markerName), []byte("garbage"), 0o600); err != nil {
				t.Fatal(err)
			}
		}, "reading its marker", ""},
		{"foreign marker", func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(entry, markerName), []byte(`{"key":{"format":1,"pg_version":"other"},"locale":"C"}`), 0o600); err != nil {
				t.Fatal(err)
			}
		}, "does not match", ""},
		{"missing marker", func(t *testing.T) {
			if err := os.Remove(filepath.Join(entry, markerName)); err != nil {
				t.Fatal(err)
			}
		}, "reading its marker", ""},
		{"garbage control file", func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(entry, "data", "global", "pg_control"), []byte(strings.Repeat("garbage", 1200)), 0o600); err != nil {
				t.Fatal(err)
			}
		}, "could not start a server on a copy of the cached cluster", "replaced the cached cluster"},
	}
	for _, c := range corruptions {
		t.Run(c.name, func(t *testing.T) {
			c.corrupt(t)
			s, rec := startLogged(t)
			requireInitdb(t, s, rec, true)
			if !rec.has(c.logLine) {
				t.Errorf("no log line says %q", c.logLine)
			}
			if c.warnLine != "" && !rec.has(c.warnLine) {
				t.Errorf("no warning says %q", c.warnLine)
			}
			_ = s.Stop()
			if got := entryOf(t, dir); got != entry {
				t.Fatalf("rebuilt entry %s, want %s", got, entry)
			}
			s, rec = startLogged(t)
			requireInitdb(t, s, rec, false)
			_ = s.Stop()
		})
	}
}

// TestClusterCacheConcurrentScratches: concurrent runs, on an empty cache
// and then on a filled one, each get a server of their own.
func TestClusterCacheConcurrentScratches(t *testing.T) {
	requireBinaries(t)
	dir := useCache(t)
	for _, round := range []string{"empty cache", "filled cache"} {
		t.Run(round, func(t *testing.T) {
			const n = 2
			var wg sync.WaitGroup
			scratches := make([]*Scratch, n)
			recs := make([]*logRecorder, n)
			errs := make([]error, n)
			for i := range scratches {
				recs[i] = &logRecorder{t: t}
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					scratches[i], errs[i] = OpenScratch(context.Background(), "", recs[i].options())
				}(i)
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("OpenScratch %d: %v", i, err)
				}
				defer scratches[i].Close()
			}
			if scratches[0].server.dataDir == scratches[1].server.dataDir {
				t.Fatalf("two servers share the data directory %s", scratches[0].server.dataDir)
			}
			for i, sc := range scratches {
				if round == "filled cache" && !sc.server.fromCache {
					t.Errorf("server %d did not start from the cache", i)
				}
				u, err := sc.NewDatabase(context.Background())
				if err != nil {
					t.Fatalf("server %d: %v", i, err)
				}
				if got := queryString(t, u, "SELECT 'ok'"); got != "ok" {
					t.Errorf("server %d: %q", i, got)
				}
			}
			entryOf(t, dir)
		})
	}
}

// TestClusterCacheOff: with the cache turned off no cache directory is
// made and every start runs initdb.
func TestClusterCacheOff(t *testing.T) {
	requireBinaries(t)
	home := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", home)
	t.Setenv("HOME", home)
	t.Setenv(CacheEnv, "off")
	for i := 0; i < 2; i++ {
		s, rec := startLogged(t)
		requireInitdb(t, s, rec, true)
		if !rec.has("cluster cache turned off") {
			t.Errorf("no log line says the cache is turned off")
		}
		_ = s.Stop()
	}
	if entries, _ := os.ReadDir(home); len(entries) != 0 {
		t.Errorf("%s holds %d entries with the cache turned off", home, len(entries))
	}
}

// TestClusterCacheNotPrivate: a cache directory other users may write to
// is not used.
func TestClusterCacheNotPrivate(t *testing.T) {
	requireBinaries(t)
	dir := useCache(t)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	s, rec := startLogged(t)
	requireInitdb(t, s, rec, true)
	if !rec.has("writable by other users") {
		t.Errorf("no warning says the cache is writable by others")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the cache %s writable by others was filled", dir)
	}
}

func execSQL(t *testing.T, url, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func TestMajorVersion(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres (PostgreSQL) 15.4 (Debian 15.4-1.pgdg120+1)", "15"},
		{"postgres (PostgreSQL) 17beta1", "17"},
		{"postgres (PostgreSQL) 16.0", "16"},
		{"postgres (PostgreSQL) 9.6.24", "9.6"},
		{"postgres (PostgreSQL) 12", "12"},
	}
	for _, tt := range tests {
		if got, err := majorVersion(tt.in); err != nil || got != tt.want {
			t.Errorf("majorVersion(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "postgres", "postgres (PostgreSQL) beta"} {
		if got, err := majorVersion(bad); err == nil {
			t.Errorf("majorVersion(%q) = %q, want an error", bad, got)
		}
	}
}

// TestClusterCachePrune: entries of other versions unused for long, and
// half-written entries of runs that are gone, are removed; recent entries,
// the entry in use and the files of live runs stay.
func TestClusterCachePrune(t *testing.T) {
	root := t.TempDir()
	c := &clusterCache{root: root, name: "pg15-current"}
	mkEntry := func(name string, age time.Duration) string {
		t.Helper()
		dir := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Join(dir, "data"), 0o700); err != nil {
			t.Fatal(err)
		}
		m := filepath.Join(dir, markerName)
		if err := os.WriteFile(m, []byte("{}"), 0o600); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-age)
		if err := os.Chtimes(m, old, old); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	// A process id that is surely gone: a child that has exited.
	gone := deadPID(t)
	current := mkEntry("pg15-current", 2*staleEntryAge)
	old := mkEntry("pg14-old", staleEntryAge+time.Hour)
	recent := mkEntry("pg14-recent", time.Hour)
	orphan := mkEntry("pg15-current.tmp-"+strconv.Itoa(gone)+"-123", 0)
	live := mkEntry("pg15-current.tmp-"+strconv.Itoa(os.Getpid())+"-456", 0)
	foreign := mkEntry("notes", 2*staleEntryAge)
	c.prune(Options{Logf: t.Logf})
	for dir, wantKept := range map[string]bool{current: true, old: false, recent: true, orphan: false, live: true, foreign: true} {
		_, err := os.Stat(dir)
		if kept := err == nil; kept != wantKept {
			t.Errorf("%s kept: %v, want %v", filepath.Base(dir), kept, wantKept)
		}
	}
}

// deadPID returns the process id of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}
