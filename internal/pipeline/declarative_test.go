package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/emit"
	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/schema"
)

// generatedSchemas are the desired states a run of generates goes through:
// quoted and non-ASCII identifiers, hazards (drops), an index built
// CONCURRENTLY (a step without a transaction), and an enum value added
// (a step that commits first).
var generatedSchemas = []string{
	`CREATE TYPE "Mood" AS ENUM ('ok', 'sad');
CREATE TABLE "Odd ""Name""" (id int PRIMARY KEY, "größe" text, mood "Mood");
CREATE TABLE drop_me (id int, note text);
COMMENT ON TABLE "Odd ""Name""" IS 'it''s odd: ` + "`" + `back` + "`" + `quotes` + "`" + `';`,
	`CREATE TYPE "Mood" AS ENUM ('ok', 'sad', 'glad');
CREATE TABLE "Odd ""Name""" (id int PRIMARY KEY, "größe" text, mood "Mood" DEFAULT 'glad');
CREATE TABLE drop_me (id int);`,
	`CREATE TYPE "Mood" AS ENUM ('ok', 'sad', 'glad');
CREATE TABLE "Odd ""Name""" (id int PRIMARY KEY, "größe" text, mood "Mood" DEFAULT 'glad');
CREATE INDEX "größe_idx" ON "Odd ""Name""" ("größe");`,
	`CREATE TYPE "Mood" AS ENUM ('ok', 'sad', 'glad');
CREATE TABLE "Odd ""Name""" (id int PRIMARY KEY, "größe" text, mood "Mood" DEFAULT 'glad', n bigint NOT NULL DEFAULT 0);
CREATE INDEX "größe_idx" ON "Odd ""Name""" ("größe");
CREATE SCHEMA "ünï";
CREATE TABLE "ünï".t (id int, CONSTRAINT pos CHECK (id > 0));`,
}

// generateDir writes into dir the migrations that generate would write
// going through schemas in turn, each planned (online, so that indexes
// are built CONCURRENTLY) from the previous state, with its Down, and
// rendered by emit.GoMigration.
func generateDir(t *testing.T, scratch *pgserver.Scratch, dir string, schemas []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	prev, err := LoadDesired(ctx, scratch, nil, introspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	parent := ""
	for i, sql := range schemas {
		desired, err := LoadDesired(ctx, scratch, readSQL(t, sql), introspect.Options{})
		if err != nil {
			t.Fatalf("schema %d: %v", i, err)
		}
		up := plan(t, ctx, prev, desired)
		down := plan(t, ctx, desired, prev)
		version := fmt.Sprintf("202601010000%02d", i+1)
		src, err := emit.GoMigration(emit.MigrationFile{Package: "replaymig", Version: version,
			Name: fmt.Sprintf("step_%d", i+1), Parent: parent, Source: "schema.sql", Up: up, Down: down})
		if err != nil {
			t.Fatal(err)
		}
		writeReplayFile(t, dir, fmt.Sprintf("%s_step_%d.go", version, i+1), string(src))
		prev, parent = desired, version
	}
}

// plan plans from to to online.
func plan(t *testing.T, ctx context.Context, from, to *schema.Catalog) emit.Plan {
	t.Helper()
	p, err := PlanWithContext(ctx, from, to, diff.Options{Online: true})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// logLines collects a runner's progress messages.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

// find returns the first message starting with prefix, or "".
func (l *logLines) find(prefix string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range l.lines {
		if strings.HasPrefix(s, prefix) {
			return s
		}
	}
	return ""
}

// replayed is what a replay produced: the catalog, the history and
// failures rows without times, and the progress messages.
type replayed struct {
	Catalog  *schema.Catalog
	History  [][]string
	Failures int
	log      *logLines
	r        *Replayed
}

// replayWith replays dir on scratch with the policy given.
func replayWith(t *testing.T, scratch *pgserver.Scratch, dir string, policy ApplyPolicy) replayed {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	md, err := ReadMigrationsDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	log := &logLines{}
	r, err := Replay(ctx, scratch, ReplayOptions{Dir: md, Runner: Runner{Logf: log.logf}, Output: io.Discard, Apply: policy})
	if err != nil {
		t.Fatalf("replay: %v\n%s", err, strings.Join(log.lines, "\n"))
	}
	defer r.Close(ctx)
	cat, err := InspectURL(ctx, r.URL, introspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := replayed{Catalog: cat, log: log, r: r}
	out.History, out.Failures = bookkeeping(t, ctx, r.URL)
	return out
}

// bookkeeping reads the history rows (without applied_at and
// duration_ms) and counts the failures rows of the database at url.
func bookkeeping(t *testing.T, ctx context.Context, url string) ([][]string, int) {
	t.Helper()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT version, name, checksum, coalesce(applied_by, '<null>')
		FROM public.schemadiff_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	history, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([]string, error) {
		var a, b, c, d string
		err := r.Scan(&a, &b, &c, &d)
		return []string{a, b, c, d}, err
	})
	if err != nil {
		t.Fatal(err)
	}
	var failures int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM public.schemadiff_migrations_failures`).Scan(&failures); err != nil {
		t.Fatal(err)
	}
	return history, failures
}

// sameReplay fails unless a and b hold the same catalog and bookkeeping.
func sameReplay(t *testing.T, label string, a, b replayed) {
	t.Helper()
	if d := cmp.Diff(a.Catalog, b.Catalog); d != "" {
		t.Errorf("%s: catalogs differ (-compiled +in process):\n%s", label, d)
	}
	if d := cmp.Diff(a.History, b.History); d != "" {
		t.Errorf("%s: history rows differ (-compiled +in process):\n%s", label, d)
	}
	if a.Failures != b.Failures {
		t.Errorf("%s: %d failures rows compiled, %d in process", label, a.Failures, b.Failures)
	}
}

// TestReplayInProcessEquivalence replays directories written by the
// generator (every step kind, hazards, quoted and non-ASCII identifiers,
// several migrations) in process and with the compiled runner: the
// catalogs, the history rows and the failures tables are equal. The
// in-process replays compile nothing (the test fails if they do), also
// when they start from a cached state.
func TestReplayInProcessEquivalence(t *testing.T) {
	cold := pgtest.Scratch(t)
	warm := warmScratch(t)
	dir := replayDir(t)
	generateDir(t, cold, dir, generatedSchemas)
	src := readAll(t, dir)
	for _, want := range []string{"migrate.SQLCreateIndexConcurrently(", "migrate.SQLCommitFirst(", "// HAZARD deletes-data", "größe", `\"Name\"`} {
		if !strings.Contains(src, want) {
			t.Fatalf("the generated migrations lack %s:\n%s", want, src)
		}
	}
	compiled := replayWith(t, cold, dir, ApplyCompiled)
	if compiled.log.find("compiling the runner: applying migrations without compiling them is turned off") == "" {
		t.Errorf("the compiled replay did not say it compiles:\n%s", strings.Join(compiled.log.lines, "\n"))
	}
	inProcess := replayWith(t, cold, dir, applyTrustSource)
	sameReplay(t, "all migrations", compiled, inProcess)
	assertInProcess(t, inProcess)
	if len(inProcess.History) != len(generatedSchemas) {
		t.Errorf("%d history rows, want %d", len(inProcess.History), len(generatedSchemas))
	}

	// From a cached state: the first replay on the kept cluster stops
	// after the last but one migration, the next restores it after one
	// more migration is added.
	first := replayWith(t, warm, dir, applyTrustSource)
	sameReplay(t, "first cached replay", compiled, first)
	assertInProcess(t, first)
	more := append(append([]string(nil), generatedSchemas...),
		generatedSchemas[len(generatedSchemas)-1]+"\nALTER TYPE \"Mood\" ADD VALUE 'mad';")
	generateDir(t, cold, dir, more)
	compiledMore := replayWith(t, cold, dir, ApplyCompiled)
	next := replayWith(t, warm, dir, applyTrustSource)
	sameReplay(t, "replay from the cached state", compiledMore, next)
	assertInProcess(t, next)
	if next.r.Restored != len(generatedSchemas) || next.r.Applied != 1 {
		t.Errorf("restored %d and applied %d, want %d and 1", next.r.Restored, next.r.Applied, len(generatedSchemas))
	}
}

// assertInProcess fails unless the replay said it applies in process and
// never that it compiles.
func assertInProcess(t *testing.T, r replayed) {
	t.Helper()
	if r.log.find("replaying in process without compiling the runner") == "" || r.log.find("compiling") != "" {
		t.Errorf("the replay was not in process:\n%s", strings.Join(r.log.lines, "\n"))
	}
}

// readAll returns the Go files of dir, concatenated.
func readAll(t *testing.T, dir string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, f := range files {
		b.WriteString(readFile(t, f))
	}
	return b.String()
}

// goodMigration is a declarative migration file of package replaymig.
const goodMigration = `// Code generated by schemadiff. Review it, edit it if needed, and commit it.

package replaymig

import "github.com/schemadiff/schemadiff/migrate"

func init() {
	Migrations.Add(migrate.Migration{
		Version: "20260101000001",
		Name:    "create_a",
		Parent:  "",
		Up: []migrate.Step{
			// HAZARD long-lock: a comment
			migrate.SQL(` + "`CREATE TABLE a (id int)`" + `),
			migrate.SQLNoTx("CREATE INDEX CONCURRENTLY a_id ON a (id)"),
		},
		Down: []migrate.Step{migrate.SQL("DROP TABLE a" + " CASCADE")},
	})
}
`

// notDeclarative are edits of a declarative directory that make it not
// declarative: the file written, its content, and the reason expected
// (with its line).
var notDeclarative = []struct {
	name, file, content, reason string
}{
	{"helper function", "20260101000001_create_a.go", goodMigration + "\nfunc helper() string { return \"x\" }\n",
		":21: a second declaration"},
	{"Go step", "20260101000001_create_a.go", strings.Replace(goodMigration, `migrate.SQL("DROP TABLE a" + " CASCADE")`,
		`migrate.Func(func(ctx context.Context, db migrate.DB) error { _, err := db.Exec(ctx, "DROP TABLE a"); return err })`, 1),
		":17: a Go step (migrate.Func)"},
	{"extra import", "20260101000001_create_a.go", strings.Replace(goodMigration, `import "github.com/schemadiff/schemadiff/migrate"`,
		"import (\n\t\"github.com/schemadiff/schemadiff/migrate\"\n\t_ \"embed\"\n)", 1), ":7: imports \"embed\""},
	{"variable", "migrations.go", "package replaymig\n\nimport \"github.com/schemadiff/schemadiff/migrate\"\n\nvar Migrations = migrate.NewSet()\n\nvar table = \"a\"\n",
		":7: a second declaration"},
	{"variable in a migration", "20260101000001_create_a.go", strings.Replace(goodMigration, "func init() {", "var table = \"a\"\n\nfunc init() {", 1),
		":9: a second declaration"},
	{"build tag", "20260101000001_create_a.go", "//go:build linux\n\n" + goodMigration, ":1: directive //go:build"},
	{"old build tag", "20260101000001_create_a.go", "// +build linux\n\n" + goodMigration, ":1: build constraint"},
	{"non-literal SQL", "20260101000001_create_a.go", strings.Replace(goodMigration, `migrate.SQL("DROP TABLE a" + " CASCADE")`,
		`migrate.SQL(migrate.SQL("x").Statement())`, 1), ":17: a value that is not a string literal"},
	{"hook registration", "hooks.go", "package replaymig\n\nimport \"github.com/schemadiff/schemadiff/migrate\"\n\nfunc init() { _ = migrate.Hooks{} }\n",
		":5: function init in a file not named like a migration"},
	{"go directive", "20260101000001_create_a.go", strings.Replace(goodMigration, "func init() {", "//go:noinline\nfunc init() {", 1),
		":7: directive //go:noinline"},
	{"timeout field", "20260101000001_create_a.go", strings.Replace(goodMigration, `Parent:  "",`, `Parent: "", LockRetries: 3,`, 1),
		":11: field LockRetries"},
	{"cgo", "20260101000001_create_a.go", strings.Replace(goodMigration, `import "github.com/schemadiff/schemadiff/migrate"`,
		"import \"C\"\nimport \"github.com/schemadiff/schemadiff/migrate\"", 1), ":5: imports \"C\""},
	{"assembly", "stub.s", "", "stub.s: go build compiles this file"},
	{"platform file name", "extra_windows.go", "package replaymig\n", "extra_windows.go: the file name is a build constraint"},
	{"other package", "other.go", "package other\n", ":1: package other, but other files are package replaymig"},
	{"renamed migrate", "20260101000001_create_a.go", strings.Replace(goodMigration, `import "github.com/schemadiff/schemadiff/migrate"`,
		`import migrate "github.com/schemadiff/schemadiff/migrate"`, 1), ":5: imports github.com/schemadiff/schemadiff/migrate as migrate"},
	{"version mismatch", "20260101000001_create_a.go", strings.Replace(goodMigration, `Version: "20260101000001"`, `Version: "20260101000009"`, 1),
		"Version \"20260101000009\" differs"},
	{"unused import", "extra.go", "package replaymig\n\nimport \"github.com/schemadiff/schemadiff/migrate\"\n",
		":3: imports github.com/schemadiff/schemadiff/migrate without using it"},
	{"missing import", "20260101000001_create_a.go", strings.Replace(goodMigration, `import "github.com/schemadiff/schemadiff/migrate"`, "", 1),
		":7: uses package migrate without importing it"},
	{"two sets", "more.go", "package replaymig\n\nimport \"github.com/schemadiff/schemadiff/migrate\"\n\nvar Migrations = migrate.NewSet()\n",
		"2 files declare the Migrations set"},
}

// TestReadDeclarative: a generated directory is declarative and reads as
// the migrations it adds; each edit of notDeclarative makes it not, with
// the file, line and reason.
func TestReadDeclarative(t *testing.T) {
	dir := t.TempDir()
	writeReplayFile(t, dir, "migrations.go", "// Package replaymig holds migrations.\npackage replaymig\n\nimport \"github.com/schemadiff/schemadiff/migrate\"\n\n// Migrations is the set.\nvar Migrations = migrate.NewSet()\n")
	writeReplayFile(t, dir, "20260101000001_create_a.go", goodMigration)
	writeReplayFile(t, dir, "doc.go", "// Package replaymig.\npackage replaymig\n")
	writeReplayFile(t, dir, "notes.sql", "-- not Go\n")
	writeReplayFile(t, dir, "x_test.go", "package replaymig\n\nimport \"testing\"\n\nfunc TestX(t *testing.T) {}\n")
	md, err := ReadMigrationsDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	migs, err := ReadDeclarative(md)
	if err != nil {
		t.Fatal(err)
	}
	if len(migs) != 1 {
		t.Fatalf("%d migrations", len(migs))
	}
	m := migs[0]
	got := []string{m.Version, m.Name, m.Parent}
	for _, s := range m.Migration().Up {
		got = append(got, fmt.Sprintf("%s notx=%v", s.Statement(), s.NoTx()))
	}
	for _, s := range m.Migration().Down {
		got = append(got, fmt.Sprintf("%s notx=%v", s.Statement(), s.NoTx()))
	}
	want := []string{"20260101000001", "create_a", "", "CREATE TABLE a (id int) notx=false",
		"CREATE INDEX CONCURRENTLY a_id ON a (id) notx=true", "DROP TABLE a CASCADE notx=false"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("read (-want +got):\n%s", d)
	}
	for _, c := range notDeclarative {
		t.Run(c.name, func(t *testing.T) {
			d := t.TempDir()
			writeReplayFile(t, d, "migrations.go", "package replaymig\n\nimport \"github.com/schemadiff/schemadiff/migrate\"\n\nvar Migrations = migrate.NewSet()\n")
			writeReplayFile(t, d, "20260101000001_create_a.go", goodMigration)
			writeReplayFile(t, d, c.file, c.content)
			md := &MigrationsDir{Dir: d, Versions: []string{"20260101000001"}}
			_, err := ReadDeclarative(md)
			var nd *NotDeclarativeError
			if !errors.As(err, &nd) {
				t.Fatalf("got %v, want a NotDeclarativeError", err)
			}
			if !strings.Contains(err.Error(), c.reason) {
				t.Errorf("got %q, want it to hold %q", err, c.reason)
			}
		})
	}
}

// TestReplayNotDeclarativeCompiles: a directory that is not declarative
// (here a Go step, a helper building SQL, a hook registered from init) is
// replayed by the compiled runner even when the in-process path is
// allowed, says why, and its Go code runs: a replay in process could not
// have created what it creates.
func TestReplayNotDeclarativeCompiles(t *testing.T) {
	cold := pgtest.Scratch(t)
	dir := replayDir(t)
	writeReplayFile(t, dir, "20260101000001_create_a.go", goodMigration)
	writeReplayFile(t, dir, "20260101000002_fill.go", `package replaymig

import (
	"context"

	"github.com/schemadiff/schemadiff/migrate"
)

func table() string { return "from_" + "go" }

func init() {
	Migrations.Add(migrate.Migration{
		Version: "20260101000002", Name: "fill", Parent: "20260101000001",
		Up: []migrate.Step{
			migrate.SQL("CREATE TABLE " + table() + " (id int)"),
			migrate.Func(func(ctx context.Context, db migrate.DB) error {
				_, err := db.Exec(ctx, "INSERT INTO from_go VALUES (42)")
				return err
			}),
		},
		Down: []migrate.Step{migrate.SQL("DROP TABLE from_go")},
	})
}
`)
	r := replayWith(t, cold, dir, applyTrustSource)
	reason := r.log.find("compiling the runner: ")
	if !strings.Contains(reason, "20260101000002_fill.go:4: imports \"context\"") {
		t.Errorf("the replay did not say why it compiles: %q\n%s", reason, strings.Join(r.log.lines, "\n"))
	}
	if r.log.find("replaying in process") != "" {
		t.Errorf("a directory with Go code was replayed in process")
	}
	if _, ok := r.Catalog.Tables[schema.QName{Schema: "public", Name: "from_go"}]; !ok {
		t.Errorf("the table the Go code creates is missing")
	}
	if len(r.History) != 2 {
		t.Errorf("history: %v", r.History)
	}
	compiled := replayWith(t, cold, dir, ApplyCompiled)
	sameReplay(t, "not declarative", compiled, r)
}

// TestSameMigrateRefusesSourceTree: a test binary is built from this
// module's source tree, so it cannot prove its package migrate is the one
// a project's runner compiles, and says so; ApplyAuto then compiles.
func TestSameMigrateRefusesSourceTree(t *testing.T) {
	dir := replayDir(t)
	writeReplayFile(t, dir, "20260101000001_create_a.go", goodMigration)
	_, err := Runner{}.SameMigrate(context.Background(), dir)
	if err == nil || !strings.Contains(err.Error(), "cannot prove") {
		t.Fatalf("got %v, want an error saying it cannot prove it", err)
	}
}

// TestReplayDeclarativeRunner: when this binary cannot prove its package
// migrate is the project's (a test binary is built from a source tree), a
// declarative directory is applied by the declarative runner, compiled
// once: after a migration is added it comes from the runner cache, and
// nothing compiles. Both replays equal the compiled runner's.
func TestReplayDeclarativeRunner(t *testing.T) {
	cold := pgtest.Scratch(t)
	dir := replayDir(t)
	generateDir(t, cold, dir, generatedSchemas[:2])
	first := replayWith(t, cold, dir, ApplyAuto)
	if first.log.find("replaying with the declarative runner") == "" || first.log.find("compiling the declarative runner") == "" {
		t.Errorf("the first replay did not compile the declarative runner:\n%s", strings.Join(first.log.lines, "\n"))
	}
	sameReplay(t, "first", replayWith(t, cold, dir, ApplyCompiled), first)
	generateDir(t, cold, dir, generatedSchemas)
	next := replayWith(t, cold, dir, ApplyAuto)
	if next.log.find("using the cached declarative runner") == "" || next.log.find("compiling") != "" {
		t.Errorf("the next replay compiled:\n%s", strings.Join(next.log.lines, "\n"))
	}
	sameReplay(t, "after a migration was added", replayWith(t, cold, dir, ApplyCompiled), next)
	if len(next.History) != len(generatedSchemas) {
		t.Errorf("%d history rows, want %d", len(next.History), len(generatedSchemas))
	}
}

// TestReplayNotDeclarativeVariants: each edit of notDeclarative that
// still compiles makes the replay compile the migrations runner, saying
// why, and the replay applies the migration.
func TestReplayNotDeclarativeVariants(t *testing.T) {
	cold := pgtest.Scratch(t)
	compiles := map[string]bool{"helper function": true, "variable": true, "variable in a migration": true,
		"build tag": true, "old build tag": true, "non-literal SQL": true, "hook registration": true,
		"go directive": true, "timeout field": true}
	for _, c := range notDeclarative {
		if !compiles[c.name] {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			dir := replayDir(t)
			writeReplayFile(t, dir, "20260101000001_create_a.go", goodMigration)
			writeReplayFile(t, dir, c.file, c.content)
			r := replayWith(t, cold, dir, applyTrustSource)
			if reason := r.log.find("compiling the runner: "); !strings.Contains(reason, c.reason) {
				t.Errorf("got %q, want the reason %q", reason, c.reason)
			}
			if r.log.find("replaying in process") != "" || len(r.History) != 1 {
				t.Errorf("history %v; log:\n%s", r.History, strings.Join(r.log.lines, "\n"))
			}
		})
	}
}

// TestSameModule: a module of the project's build is this binary's only
// when it is the same module version with the same checksum; a directory
// (the project's own module, a replace by a path, a binary built from a
// source tree) never is.
func TestSameModule(t *testing.T) {
	binary := &debug.BuildInfo{
		Main: debug.Module{Path: schemadiffModule, Version: "v1.2.0", Sum: "h1:sd"},
		Deps: []*debug.Module{{Path: "github.com/jackc/pgx/v5", Version: "v5.12.0", Sum: "h1:pgx"}},
	}
	pkg := func(m listedModule) modulePackage {
		return modulePackage{ImportPath: m.Path + "/p", DepOnly: true, Module: &m}
	}
	same := []listedModule{
		{Path: schemadiffModule, Version: "v1.2.0", Sum: "h1:sd"},
		{Path: "github.com/jackc/pgx/v5", Version: "v5.12.0", Sum: "h1:pgx"},
		{Path: "github.com/jackc/pgx/v5", Version: "v5.12.0"},
	}
	for _, m := range same {
		if err := sameModule(binary, pkg(m)); err != nil {
			t.Errorf("%+v: %v", m, err)
		}
	}
	differ := map[string]listedModule{
		"v1.1.0, this schemadiff was built": {Path: schemadiffModule, Version: "v1.1.0", Sum: "h1:old"},
		"cannot prove":                      {Path: schemadiffModule, Main: true, Dir: "/src"},
		"replaced by the directory ../sd":   {Path: schemadiffModule, Version: "v1.2.0", Replace: &listedModule{Path: "../sd"}},
		"this schemadiff was built with":    {Path: "github.com/jackc/pgx/v5", Version: "v5.12.0", Sum: "h1:other"},
		"is not part of this schemadiff":    {Path: "example.com/other", Version: "v1.0.0"},
	}
	for want, m := range differ {
		if err := sameModule(binary, pkg(m)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: got %v, want an error holding %q", m, err, want)
		}
	}
	if err := checkBinaryModule(binary); err != nil {
		t.Errorf("a module version: %v", err)
	}
	for _, v := range []string{"(devel)", "", "v1.2.0+dirty"} {
		devel := &debug.BuildInfo{Main: debug.Module{Path: schemadiffModule, Version: v}}
		if err := checkBinaryModule(devel); err == nil || !strings.Contains(err.Error(), "source tree") {
			t.Errorf("version %q: got %v", v, err)
		}
	}
}
