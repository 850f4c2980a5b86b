package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemadiff/schemadiff/internal/bench"
	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/schema"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

func TestLoadLevels(t *testing.T) {
	stmts := readSQL(t, `CREATE TYPE mood AS ENUM ('a', 'b');
CREATE TABLE a (id int PRIMARY KEY, m mood);
CREATE TABLE b (id int PRIMARY KEY, m mood);
CREATE TABLE a_x (id int PRIMARY KEY);
CREATE TABLE c (id int PRIMARY KEY, a_id int REFERENCES a (id));
CREATE TABLE d (id int PRIMARY KEY, a_id int REFERENCES a (id));
CREATE INDEX ON b (m);
ALTER TABLE b ADD COLUMN note text;
COMMENT ON COLUMN b.note IS 'n';
GRANT SELECT ON ALL TABLES IN SCHEMA public TO PUBLIC;
CREATE TABLE e (id int);
`)
	levels, ok := loadLevels(stmts)
	if !ok {
		t.Fatal("not spread")
	}
	level, pos := map[string]int{}, map[string]int{}
	for l, ids := range levels {
		for _, i := range ids {
			key, _, _ := strings.Cut(stmts[i].SQL, "(")
			level[key], pos[key] = l+1, i
		}
	}
	// Pairs of statements; the one later in loading order must come at a
	// later level, or the same one when same is set.
	for _, c := range []struct {
		one, other string
		same       bool
	}{
		{"CREATE TYPE mood AS ENUM ", "CREATE TABLE a ", false},
		{"CREATE TABLE a ", "CREATE TABLE b ", true},    // both only use the type
		{"CREATE TABLE a ", "CREATE TABLE a_x ", false}, // names start alike
		{"CREATE TABLE a ", "CREATE TABLE c ", false},   // c references a
		{"CREATE TABLE c ", "CREATE TABLE d ", false},   // both change a
		{"CREATE TABLE b ", "CREATE INDEX ON b ", false},
		{"CREATE INDEX ON b ", "ALTER TABLE b ADD COLUMN note text", false},
		{"ALTER TABLE b ADD COLUMN note text", "COMMENT ON COLUMN b.note IS 'n'", false},
		{"COMMENT ON COLUMN b.note IS 'n'", "GRANT SELECT ON ALL TABLES IN SCHEMA public TO PUBLIC", false},
		{"CREATE TABLE d ", "GRANT SELECT ON ALL TABLES IN SCHEMA public TO PUBLIC", false},
		{"GRANT SELECT ON ALL TABLES IN SCHEMA public TO PUBLIC", "CREATE TABLE e ", false},
	} {
		first, second := c.one, c.other
		if pos[first] > pos[second] {
			first, second = second, first
		}
		b, a := level[first], level[second]
		if b == 0 || a == 0 {
			t.Fatalf("no level for %q or %q in %v", first, second, level)
		}
		if c.same && a != b || !c.same && a <= b {
			t.Errorf("%q at level %d, then %q at %d: want %s", first, b, second, a, map[bool]string{true: "the same level", false: "the second later"}[c.same])
		}
	}
	for _, c := range []struct {
		n, levels int
		want      bool
	}{{300, 75, true}, {300, 76, false}, {299, 10, false}, {4000, 1000, true}} {
		if got := worthSpreading(c.n, make([][]int, c.levels)); got != c.want {
			t.Errorf("%d statements in %d levels: worth spreading %v, want %v", c.n, c.levels, got, c.want)
		}
	}
	for object, want := range map[string][]string{
		"statistics orders_amount":              {"orders_amount"},
		`statistics "Line Items stats"`:         {"Line Items stats"},
		"column public.t.c":                     {"t", "c"},
		`index on "my schema"."Odd ""name"" t"`: {`Odd "name" t`},
		"publication billing":                   {"billing"},
	} {
		if got := objectNames(object); !cmp.Equal(got, want) {
			t.Errorf("names of %q: %q, want %q", object, got, want)
		}
	}
	for _, sql := range []string{"SET search_path = app", "INSERT INTO a VALUES (1)", "DROP TABLE a", "CREATE INDEX CONCURRENTLY ON a (id)"} {
		if _, ok := loadLevels(readSQL(t, "CREATE TABLE a (id int);\n"+sql+";\n")); ok {
			t.Errorf("spread with %q", sql)
		}
	}
}

// TestParallelLoadEqualsInOrder loads every convergence case's from.sql
// and to.sql, and a generated schema of 400 tables, in order and over two
// connections, and requires equal catalogs. A case the two connections
// cannot load (a reference sqlfile does not see) must load in order, as
// the fallback does.
func TestParallelLoadEqualsInOrder(t *testing.T) {
	t.Setenv(pgserver.WarmEnv, "off")
	paths, err := filepath.Glob("../../testdata/cases/*/*.sql")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	scratch := pgtest.Scratch(t)
	type source struct{ name, sql string }
	var sources []source
	for _, p := range paths {
		if b := filepath.Base(p); b == "from.sql" || b == "to.sql" {
			sources = append(sources, source{filepath.Base(filepath.Dir(p)) + "/" + b, readFile(t, p)})
		}
	}
	sources = append(sources, source{"generated 400 tables", bench.Generate(400).Desired})
	var spread, fellBack int
	for _, src := range sources {
		stmts := readSQL(t, src.sql)
		want, wantErr := loadWith(t, scratch, stmts, loadInOrder)
		got, gotErr := loadWith(t, scratch, stmts, loadSpreadAlways)
		switch {
		case errors.Is(gotErr, errParallel):
			fellBack++
			t.Logf("%s: over two connections: %v", src.name, gotErr)
			continue
		case wantErr != nil && gotErr != nil:
			continue
		case wantErr != nil || gotErr != nil:
			t.Errorf("%s: in order: %v; over two connections: %v", src.name, wantErr, gotErr)
			continue
		}
		if levels, ok := loadLevels(stmts); ok && len(levels) < len(stmts) {
			spread++
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s: over two connections differs from in order (-in order +two):\n%s", src.name, d)
		}
	}
	t.Logf("%d of %d schemas spread over two connections; %d failed there and load in order", spread, len(sources), fellBack)
	if spread < len(sources)/4 {
		t.Errorf("only %d of %d schemas had statements to run at the same time", spread, len(sources))
	}
	if fellBack > 0 {
		t.Errorf("%d of %d schemas failed over two connections", fellBack, len(sources))
	}
}

// loadWith loads stmts into a new sandbox as how says and reads its
// catalog.
func loadWith(t *testing.T, scratch *pgserver.Scratch, stmts []sqlfile.Statement, how loadMode) (*schema.Catalog, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	roles, err := RolesNamed(stmts, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := scratch.EnsureRoles(ctx, roles); err != nil {
		t.Fatal(err)
	}
	sb, err := openSandbox(ctx, scratch, "")
	if err != nil {
		t.Fatal(err)
	}
	defer sb.close(ctx)
	if err := sb.load(ctx, stmts, how); err != nil {
		return nil, err
	}
	cat, err := inspectDesired(ctx, sb, introspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return cat, nil
}

// TestWarmSpreadEqualsCold loads, on a kept cluster whose full loads all
// run over two connections, a generated schema with grants and a sample
// of the convergence cases, each followed by an incremental load without
// one statement: every catalog equals a cold load's, so what the full
// loads recorded over two connections is what an incremental load needs.
func TestWarmSpreadEqualsCold(t *testing.T) {
	t.Setenv(pgserver.WarmEnv, "")
	saved := warmSpread
	warmSpread = loadSpreadAlways
	t.Cleanup(func() { warmSpread = saved })
	warm := warmScratch(t)
	paths, err := filepath.Glob("../../testdata/cases/*/to.sql")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	gen := bench.Generate(300).Desired
	gen += "GRANT SELECT ON t00010, t00020 TO PUBLIC;\nREVOKE ALL ON t00030 FROM PUBLIC;\nCOMMENT ON TABLE t00040 IS 'forty';\n"
	sources := map[string]string{"generated": gen}
	for i := 0; i < len(paths); i += 8 {
		sources[filepath.Base(filepath.Dir(paths[i]))] = readFile(t, paths[i])
	}
	spread := 0
	for name, sql := range sources {
		stmts := readSQL(t, sql)
		warm.DropWarmDatabase(context.Background()) //nolint:errcheck // the next load is then a full one
		out := warmStep(t, warm, name, stmts)
		if out.Mode == WarmFull && out.Levels > 0 {
			spread++
		}
		if strings.Contains(out.Reason, "again over one connection") {
			t.Errorf("%s: %s", name, out.Reason)
		}
		edited := withoutOne(stmts)
		if name == "generated" {
			// Without an index, which nothing depends on.
			i := len(stmts) / 2
			for !strings.HasPrefix(stmts[i].Object, "index ") {
				i++
			}
			edited = append(append([]sqlfile.Statement(nil), stmts[:i]...), stmts[i+1:]...)
		}
		next := warmStep(t, warm, name+" without a statement", edited)
		if name == "generated" && next.Mode != WarmIncremental {
			t.Errorf("generated without an index: %s load (%s), want incremental", next.Mode, next.Reason)
		}
		if next.Reason != "" {
			t.Logf("%s without a statement: %s", name, next.Reason)
		}
	}
	if spread < len(sources)/2 {
		t.Errorf("only %d of %d full loads ran over two connections", spread, len(sources))
	}
}

func TestExplainDiskFull(t *testing.T) {
	scratch := pgtest.Scratch(t)
	full := fmt.Errorf("loading: %w", &pgconn.PgError{Code: "53100", Message: `could not extend file "base/1/2": No space left on device`})
	got := explainDiskFull(scratch, full)
	var pgErr *pgconn.PgError
	if !errors.As(got, &pgErr) || pgErr.Code != "53100" {
		t.Errorf("the server's error is lost: %v", got)
	}
	if dir := scratch.MemoryBacked(); dir != "" {
		if !strings.Contains(got.Error(), dir) || !strings.Contains(got.Error(), pgserver.ScratchDirEnv+"=tmp") {
			t.Errorf("files in memory (%s): %v", dir, got)
		}
	} else if got != full {
		t.Errorf("files not in memory: %v", got)
	}
	other := &pgconn.PgError{Code: "42P07"}
	if got := explainDiskFull(scratch, other); got != error(other) {
		t.Errorf("another error changed: %v", got)
	}
	t.Logf("memory-backed: %q", scratch.MemoryBacked())
}
