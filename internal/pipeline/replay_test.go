package pipeline

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/introspect"
)

// replayMigration is the source of a migration of package replaymig
// running up (and down) as SQL.
func replayMigration(version, name, parent, up, down string) string {
	return fmt.Sprintf(`package replaymig

import "github.com/schemadiff/schemadiff/migrate"

func init() {
	Migrations.Add(migrate.Migration{
		Version: %q, Name: %q, Parent: %q,
		Up:   []migrate.Step{migrate.SQL(%q)},
		Down: []migrate.Step{migrate.SQL(%q)},
	})
}
`, version, name, parent, up, down)
}

// replayDir writes a migrations package inside this module (the runner
// compiles it against package migrate), removed when the test ends, and
// gives the test a runner cache of its own.
func replayDir(t *testing.T) string {
	t.Helper()
	t.Setenv(RunnerCacheEnv, t.TempDir())
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	work, err := os.MkdirTemp(root, ".e2e-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(work) })
	dir := filepath.Join(work, "replaymig")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeReplayFile(t, dir, "migrations.go", "package replaymig\n\nimport \"github.com/schemadiff/schemadiff/migrate\"\n\nvar Migrations = migrate.NewSet()\n")
	return dir
}

func writeReplayFile(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// historyRows reads the history table of the database at url, without
// the times and durations of the runs.
func historyRows(t *testing.T, ctx context.Context, url string) string {
	t.Helper()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var rows string
	err = conn.QueryRow(ctx, `SELECT coalesce(string_agg(version || ' ' || name || ' ' || checksum, E'\n' ORDER BY version), '')
		FROM public.schemadiff_migrations`).Scan(&rows)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// replayBoth replays dir with the cache on warm and in full on cold, and
// fails unless the introspected catalogs and the history rows are equal.
// It returns the cached replay's counts.
func replayBoth(t *testing.T, warm, cold *pgserver.Scratch, dir, label string) *Replayed {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	md, err := ReadMigrationsDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	read := func(s *pgserver.Scratch) (*Replayed, string, any) {
		t.Helper()
		r, err := Replay(ctx, s, ReplayOptions{Dir: md, Runner: Runner{Logf: t.Logf}, Output: io.Discard})
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		defer r.Close(ctx)
		cat, err := InspectURL(ctx, r.URL, introspect.Options{})
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		return r, historyRows(t, ctx, r.URL), cat
	}
	full, fullRows, fullCat := read(cold)
	if full.Restored != 0 || full.Applied != len(md.Versions) {
		t.Fatalf("%s: the full replay restored %d and applied %d, want 0 and %d", label, full.Restored, full.Applied, len(md.Versions))
	}
	got, rows, cat := read(warm)
	if d := cmp.Diff(fullCat, cat); d != "" {
		t.Errorf("%s: the cached replay's catalog differs from a full replay's (-full +cached):\n%s", label, d)
	}
	if rows != fullRows {
		t.Errorf("%s: history rows of the cached replay:\n%s\nof a full replay:\n%s", label, rows, fullRows)
	}
	if got.Restored+got.Applied != len(md.Versions) {
		t.Errorf("%s: restored %d and applied %d of %d migrations", label, got.Restored, got.Applied, len(md.Versions))
	}
	return got
}

// TestReplayFromCache replays a migrations directory from its cached
// states after adding a migration, editing the last one and editing a
// middle one: each time the result equals a full replay, and only the
// migrations after the longest unchanged cached prefix are applied.
func TestReplayFromCache(t *testing.T) {
	warm := warmScratch(t)
	cold := pgtest.Scratch(t)
	dir := replayDir(t)
	const v1, v2, v3, v4 = "20260101000001", "20260101000002", "20260101000003", "20260101000004"
	table := func(v, parent, name, cols string) {
		writeReplayFile(t, dir, v+"_create_"+name+".go", replayMigration(v, "create_"+name, parent,
			"CREATE TABLE "+name+" ("+cols+")", "DROP TABLE "+name))
	}
	table(v1, "", "a", "id int PRIMARY KEY")
	table(v2, v1, "b", "id int PRIMARY KEY, a_id int REFERENCES a")
	table(v3, v2, "c", "id int")
	steps := []struct {
		label             string
		change            func()
		restored, applied int
	}{
		{"first replay", func() {}, 0, 3},
		{"nothing changed", func() {}, 3, 0},
		{"a migration added", func() { table(v4, v3, "d", "id int, note text") }, 3, 1},
		{"the last migration edited", func() { table(v4, v3, "d", "id bigint, note text NOT NULL") }, 3, 1},
		{"a middle migration edited", func() {
			writeReplayFile(t, dir, v3+"_create_c.go", replayMigration(v3, "create_c", v2,
				"CREATE TABLE c (id int CHECK (id > 0)); CREATE INDEX ON b (a_id)", "DROP TABLE c; DROP INDEX b_a_id_idx"))
		}, 2, 2},
		{"nothing changed after the edit", func() {}, 4, 0},
	}
	for _, s := range steps {
		s.change()
		got := replayBoth(t, warm, cold, dir, s.label)
		if got.Restored != s.restored || got.Applied != s.applied {
			t.Errorf("%s: restored %d and applied %d, want %d and %d", s.label, got.Restored, got.Applied, s.restored, s.applied)
		}
	}
	states, err := warm.ReplayStates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(states) > maxReplayStates {
		t.Errorf("%d cached replay states kept, want at most %d: %s", len(states), maxReplayStates, strings.Join(states, ", "))
	}
}

// TestReplayKeys: a key covers its migration and every earlier one, and
// the other files of the directory.
func TestReplayKeys(t *testing.T) {
	dir := t.TempDir()
	writeReplayFile(t, dir, "migrations.go", "package replaymig\n")
	writeReplayFile(t, dir, "20260101000001_a.go", "package replaymig // a\n")
	writeReplayFile(t, dir, "20260101000002_b.go", "package replaymig // b\n")
	deps := "deps-1"
	keys := func(table string) []string {
		t.Helper()
		md, err := ReadMigrationsDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		k, err := ReplayKeys(md, table, deps)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	first := keys("")
	if len(first) != 2 || first[0] == first[1] {
		t.Fatalf("keys %v", first)
	}
	writeReplayFile(t, dir, "20260101000002_b.go", "package replaymig // b edited\n")
	if k := keys(""); k[0] != first[0] || k[1] == first[1] {
		t.Errorf("editing the second migration: keys %v, were %v", k, first)
	}
	writeReplayFile(t, dir, "20260101000001_a.go", "package replaymig // a edited\n")
	if k := keys(""); k[0] == first[0] || k[1] == first[1] {
		t.Errorf("editing the first migration: keys %v, were %v", k, first)
	}
	before := keys("")
	writeReplayFile(t, dir, "fill.sql", "INSERT INTO a VALUES (1)")
	if k := keys(""); k[0] == before[0] || k[1] == before[1] {
		t.Errorf("adding a shared file leaves keys %v", k)
	}
	if k, d := keys("ops.history"), keys(""); k[0] == d[0] {
		t.Errorf("another history table leaves key %s", k[0])
	}
	before = keys("")
	deps = "deps-2"
	if k := keys(""); k[0] == before[0] || k[1] == before[1] {
		t.Errorf("other dependencies leave keys %v", k)
	}
}

// TestDependencyKey: the key of what a migrations package imports changes
// with a package of the module it imports, not with its own files (which
// ReplayKeys hashes one by one).
func TestDependencyKey(t *testing.T) {
	t.Setenv(RunnerCacheEnv, "off")
	root := t.TempDir()
	writeReplayFile(t, root, "go.mod", "module example.com/m\n\ngo 1.22\n")
	if err := os.MkdirAll(filepath.Join(root, "helper"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeReplayFile(t, filepath.Join(root, "helper"), "helper.go", "package helper\n\nconst Table = \"a\"\n")
	dir := filepath.Join(root, "migrations")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeReplayFile(t, dir, "migrations.go", "package migrations\n\nimport \"example.com/m/helper\"\n\nvar _ = helper.Table\n")
	writeReplayFile(t, dir, "20260101000001_a.go", "package migrations // a\n")
	key := func() string {
		t.Helper()
		k, err := Runner{}.dependencyKey(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	first := key()
	writeReplayFile(t, dir, "20260101000001_a.go", "package migrations // a edited\n")
	if k := key(); k != first {
		t.Errorf("editing a migration changed the dependency key")
	}
	writeReplayFile(t, filepath.Join(root, "helper"), "helper.go", "package helper\n\nconst Table = \"b\"\n")
	if k := key(); k == first {
		t.Errorf("editing an imported package of the module left the dependency key")
	}
}

// TestReplayStatesLeaveRolesDroppable: a cached replay state granting to
// a role does not keep the next run on the kept cluster, which lacks that
// role, from loading the desired state incrementally: the states go, and
// the role with them.
func TestReplayStatesLeaveRolesDroppable(t *testing.T) {
	pgtest.Scratch(t)
	t.Setenv(pgserver.WarmEnv, "")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	key := "test " + t.Name() + " " + time.Now().String()
	open := func() *pgserver.Scratch {
		t.Helper()
		s, err := pgserver.OpenScratch(ctx, "", pgserver.Options{WarmKey: key})
		if err != nil {
			t.Fatal(err)
		}
		if s.Warm() == nil {
			t.Fatal("no kept cluster: the cluster cache is off or unusable")
		}
		return s
	}
	dir := replayDir(t)
	const v1 = "20260101000001"
	writeReplayFile(t, dir, v1+"_create_a.go", replayMigration(v1, "create_a", "",
		"CREATE TABLE a (id int); GRANT SELECT ON a TO replay_reader", "DROP TABLE a"))
	md, err := ReadMigrationsDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	first := open()
	if err := first.EnsureRoles(ctx, []string{"replay_reader"}); err != nil {
		t.Fatal(err)
	}
	r, err := Replay(ctx, first, ReplayOptions{Dir: md, Runner: Runner{Logf: t.Logf}, Output: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	r.Close(ctx)
	first.Close() //nolint:errcheck // the kept cluster stays for the next run
	next := open()
	t.Cleanup(func() {
		next.Warm().Discard()
		next.Close() //nolint:errcheck // cleanup
	})
	_, out, err := LoadDesiredReport(ctx, next, "", readSQL(t, "CREATE TABLE b (id int);"), introspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if out.Mode == WarmFallback {
		t.Errorf("the desired state was not loaded on the kept cluster: %s", out.Reason)
	}
	if states, err := next.ReplayStates(ctx); err != nil || len(states) != 0 {
		t.Errorf("replay states left: %v (%v)", states, err)
	}
}
