package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/schema"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// warmScratch starts a scratch source on a kept cluster of its own, removed
// when the test ends.
func warmScratch(t *testing.T) *pgserver.Scratch {
	t.Helper()
	pgtest.Scratch(t) // skips or fails as the other tests do without PostgreSQL
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := pgserver.OpenScratch(ctx, "", pgserver.Options{WarmKey: "test " + t.Name() + " " + time.Now().String()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if w := s.Warm(); w != nil {
			w.Discard()
		}
		s.Close() //nolint:errcheck // cleanup
	})
	if s.Warm() == nil {
		t.Fatal("no kept cluster: the cluster cache is off or unusable")
	}
	return s
}

// readSQL reads the statements of sql, in loading order.
func readSQL(t *testing.T, sql string) []sqlfile.Statement {
	t.Helper()
	path := filepath.Join(t.TempDir(), "schema.sql")
	if err := os.WriteFile(path, []byte(sql), 0o644); err != nil {
		t.Fatal(err)
	}
	stmts, _, err := ReadSchema(path)
	if err != nil {
		t.Fatal(err)
	}
	return stmts
}

// coldLoad loads stmts into a new scratch database, after creating the
// roles they name on both scratch sources.
func coldLoad(t *testing.T, warm *pgserver.Scratch, stmts []sqlfile.Statement) (*schema.Catalog, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cold := pgtest.Scratch(t)
	roles, err := RolesNamed(stmts, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*pgserver.Scratch{cold, warm} {
		if err := s.EnsureRoles(ctx, roles); err != nil {
			t.Fatal(err)
		}
	}
	return LoadDesired(ctx, cold, stmts, introspect.Options{})
}

// warmStep loads stmts cold and warm and fails the test when the catalogs
// differ or only one of the loads fails. It returns how the warm load went.
func warmStep(t *testing.T, warm *pgserver.Scratch, label string, stmts []sqlfile.Statement) WarmOutcome {
	t.Helper()
	want, coldErr := coldLoad(t, warm, stmts)
	return warmCompare(t, warm, label, stmts, want, coldErr)
}

// warmCompare loads stmts warm and compares the result with a cold load's.
func warmCompare(t *testing.T, warm *pgserver.Scratch, label string, stmts []sqlfile.Statement, want *schema.Catalog, coldErr error) WarmOutcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	began := time.Now()
	got, out, warmErr := LoadDesiredReport(ctx, warm, "", stmts, introspect.Options{})
	t.Logf("%s: warm %s (%s, %d run, %d dropped, %d table(s) kept)", label, time.Since(began).Round(time.Millisecond), out.Mode, out.Ran, out.Dropped, out.TablesKept)
	switch {
	case coldErr != nil && warmErr != nil:
		return out
	case coldErr != nil:
		t.Errorf("%s: the cold load fails (%v), the warm one (%s) does not", label, coldErr, out.Mode)
		return out
	case warmErr != nil:
		t.Errorf("%s: the warm load (%s) fails: %v", label, out.Mode, warmErr)
		return out
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s: the warm load (%s, %d run, %d dropped) differs from a cold one (-cold +warm):\n%s", label, out.Mode, out.Ran, out.Dropped, d)
	}
	return out
}

// warmShards is how many kept clusters TestWarmCases spreads the cases
// over.
const warmShards = 3

// warmTally counts how the warm loads went.
type warmTally struct {
	mu        sync.Mutex
	modes     map[WarmMode]int
	fallbacks map[string]int
	// tablesKept counts the tables taken from a kept catalog.
	tablesKept int
}

func (w *warmTally) add(out WarmOutcome) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.modes[out.Mode]++
	w.tablesKept += out.TablesKept
	if out.Mode == WarmFallback {
		why := out.Reason
		if i := strings.LastIndex(why, ": "); i >= 0 {
			why = why[i+2:]
		}
		w.fallbacks[why]++
	}
}

// TestWarmCases loads, on kept clusters, every convergence case's
// from.sql, then its to.sql, then to.sql without one of its statements,
// then from.sql again, each time comparing the catalog with a cold load of
// the same statements. Each kept cluster goes from case to case, so the
// step from one case's last load to the next case's first is incremental
// too.
func TestWarmCases(t *testing.T) {
	t.Setenv(pgserver.WarmEnv, "")
	dirs, err := filepath.Glob("../../testdata/cases/*/to.sql")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	tally := &warmTally{modes: map[WarmMode]int{}, fallbacks: map[string]int{}}
	t.Run("shards", func(t *testing.T) {
		for k := range warmShards {
			t.Run(fmt.Sprint(k), func(t *testing.T) {
				t.Parallel()
				warm := warmScratch(t)
				for i, p := range dirs {
					if i%warmShards == k {
						warmCase(t, warm, p, tally)
					}
				}
			})
		}
	})
	t.Logf("warm loads: %v", tally.modes)
	t.Logf("fallbacks: %v", tally.fallbacks)
	t.Logf("tables taken from a kept catalog: %d", tally.tablesKept)
	if tally.modes[WarmIncremental] == 0 {
		t.Error("no load was incremental")
	}
	if tally.tablesKept == 0 {
		t.Error("no incremental load took a table from the kept catalog")
	}
}

// warmCase runs the steps of TestWarmCases for the case of to.sql.
func warmCase(t *testing.T, warm *pgserver.Scratch, toPath string, tally *warmTally) {
	dir := filepath.Dir(toPath)
	t.Run(filepath.Base(dir), func(t *testing.T) {
		from := readSQL(t, readFile(t, filepath.Join(dir, "from.sql")))
		to := readSQL(t, readFile(t, toPath))
		edited := withoutOne(to)
		fromCat, fromErr := coldLoad(t, warm, from)
		tally.add(warmCompare(t, warm, "from", from, fromCat, fromErr))
		tally.add(warmStep(t, warm, "to", to))
		editedCat, editedErr := coldLoad(t, warm, edited)
		first := warmCompare(t, warm, "to edited", edited, editedCat, editedErr)
		tally.add(first)
		again := warmCompare(t, warm, "to edited, unchanged", edited, editedCat, editedErr)
		tally.add(again)
		if first.Mode != WarmFallback && editedErr == nil && (again.Mode != WarmUnchanged || !again.CatalogKept) {
			t.Errorf("loading the same statements again: %s load, catalog kept %v; want an unchanged load and the kept catalog", again.Mode, again.CatalogKept)
		}
		tally.add(warmCompare(t, warm, "from again", from, fromCat, fromErr))
	})
}

// withoutOne returns stmts without its middle statement that is not a
// CREATE SCHEMA.
func withoutOne(stmts []sqlfile.Statement) []sqlfile.Statement {
	if len(stmts) < 2 {
		return stmts
	}
	i := len(stmts) / 2
	out := append([]sqlfile.Statement(nil), stmts[:i]...)
	return append(out, stmts[i+1:]...)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestWarmEdits checks single edits: a column added in the middle of the
// loading order, a table renamed, a view's table changed, a statement
// removed, and that every result equals a cold load.
func TestWarmEdits(t *testing.T) {
	t.Setenv(pgserver.WarmEnv, "")
	warm := warmScratch(t)
	base := `CREATE TYPE mood AS ENUM ('a', 'b');
CREATE TABLE a (id int PRIMARY KEY, m mood);
CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));
CREATE INDEX b_a_idx ON b (a_id);
CREATE VIEW v AS SELECT * FROM b;
ALTER TABLE a ADD COLUMN note text;
COMMENT ON TABLE b IS 'bees';
COMMENT ON CONSTRAINT b_a_id_fkey ON b IS 'to a';
CREATE TABLE d (id int PRIMARY KEY, b_id int);
ALTER TABLE d ADD CONSTRAINT d_b_fk FOREIGN KEY (b_id) REFERENCES b (id) NOT VALID;
CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'SELECT x + 1';
CREATE TABLE c (id int DEFAULT f(1));
`
	edits := []struct{ name, sql string }{
		{"base", base},
		{"unchanged", base},
		{"column added", strings.Replace(base, "a_id int REFERENCES", "extra text, a_id int REFERENCES", 1)},
		{"referenced table changed", strings.Replace(base, "m mood);", "m mood, extra int);", 1)},
		{"referenced table changed again", strings.Replace(base, "CREATE TABLE b (id int PRIMARY KEY,", "CREATE TABLE b (id int PRIMARY KEY, z int,", 1)},
		{"table renamed", strings.Replace(base, "TABLE c (", "TABLE cc (", 1)},
		{"enum changed", strings.Replace(base, "('a', 'b')", "('a', 'b', 'c')", 1)},
		{"function changed", strings.Replace(base, "x + 1", "x + 2", 1)},
		{"comment removed", strings.Replace(base, "COMMENT ON TABLE b IS 'bees';", "", 1)},
		{"alter added early", strings.Replace(base, "CREATE INDEX", "ALTER TABLE b ADD COLUMN early int;\nCREATE INDEX", 1)},
		{"grant added", base + "GRANT SELECT ON b TO PUBLIC;\n"},
		{"grant changed", base + "GRANT SELECT, INSERT ON b TO PUBLIC;\nREVOKE EXECUTE ON FUNCTION f(int) FROM PUBLIC;\n"},
		{"grant on a schema", base + "CREATE SCHEMA app;\nGRANT USAGE ON SCHEMA app TO PUBLIC;\nCREATE TABLE app.t (id int);\n"},
		{"base again", base},
	}
	var sawIncremental bool
	for _, e := range edits {
		out := warmStep(t, warm, e.name, readSQL(t, e.sql))
		t.Logf("%s: %s, %d run, %d dropped %s", e.name, out.Mode, out.Ran, out.Dropped, out.Reason)
		sawIncremental = sawIncremental || out.Mode == WarmIncremental
		if e.name == "unchanged" && out.Mode != WarmUnchanged {
			t.Errorf("unchanged schema: mode %s, want unchanged", out.Mode)
		}
	}
	if !sawIncremental {
		t.Error("no load was incremental")
	}
}

// TestWarmEditsKeepTables checks edits after which some tables are taken
// from the kept catalog and others must be read again because of what
// they use or descend from: each result equals a cold load, and the
// untouched table is always taken.
func TestWarmEditsKeepTables(t *testing.T) {
	t.Setenv(pgserver.WarmEnv, "")
	warm := warmScratch(t)
	base := `CREATE TYPE mood AS ENUM ('a', 'b');
CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x * 2';
CREATE SEQUENCE ids;
CREATE TABLE untouched (id int PRIMARY KEY, note text);
CREATE TABLE parent (id int, m mood, n int DEFAULT twice(2) CHECK (n < twice(100)));
CREATE TABLE child (extra text) INHERITS (parent);
CREATE TABLE grandchild (more text) INHERITS (child);
CREATE TABLE measures (id int NOT NULL DEFAULT nextval('ids'), at date NOT NULL, v int) PARTITION BY RANGE (at);
CREATE TABLE measures_2026 PARTITION OF measures FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY LIST (v);
CREATE TABLE measures_2026_a PARTITION OF measures_2026 FOR VALUES IN (1, 2);
CREATE TABLE target (id int PRIMARY KEY, code text UNIQUE);
CREATE TABLE holder (id int PRIMARY KEY, t_id int REFERENCES target (id), t_code text REFERENCES target (code));
CREATE TABLE holder2 (id int PRIMARY KEY, h_id int REFERENCES holder (id));
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER holder_touch BEFORE UPDATE ON holder FOR EACH ROW EXECUTE FUNCTION touch();
CREATE STATISTICS holder_stats ON id, t_id FROM holder;
ALTER TABLE holder ENABLE ROW LEVEL SECURITY;
CREATE POLICY holder_all ON holder USING (t_id > 0);
GRANT SELECT (id) ON holder TO PUBLIC;
CREATE VIEW holder_view AS SELECT id, t_id FROM holder;
`
	edits := []struct{ name, sql string }{
		{"base", base},
		{"column added to the root of an inheritance tree", strings.Replace(base, "(id int, m mood,", "(id int, m mood, added int,", 1)},
		{"partitioned root indexed", base + "CREATE INDEX measures_v_idx ON measures (v);\n"},
		{"sub-partition attached", base + "CREATE TABLE measures_2026_b (id int NOT NULL DEFAULT nextval('ids'), at date NOT NULL, v int);\nALTER TABLE measures_2026 ATTACH PARTITION measures_2026_b FOR VALUES IN (3);\n"},
		{"referenced table changed", strings.Replace(base, "code text UNIQUE);", "code text UNIQUE, extra int);", 1)},
		{"enum value added", base + "ALTER TYPE mood ADD VALUE 'c';\n"},
		{"function of a default and a check changed", strings.Replace(base, "'SELECT x * 2'", "'SELECT x * 3'", 1)},
		{"trigger function changed", strings.Replace(base, "RETURN NEW; END", "RETURN NEW; END;", 1)},
		{"column comment added", base + "COMMENT ON COLUMN holder.t_id IS 'the target';\n"},
		{"policy changed", strings.Replace(base, "USING (t_id > 0)", "USING (t_id > 1)", 1)},
		{"column grant changed", strings.Replace(base, "GRANT SELECT (id)", "GRANT SELECT (id, t_id)", 1)},
		{"sequence of a default changed", strings.Replace(base, "CREATE SEQUENCE ids;", "CREATE SEQUENCE ids START 10;", 1)},
		{"view changed", strings.Replace(base, "SELECT id, t_id FROM holder", "SELECT id FROM holder", 1)},
		{"base again", base},
	}
	for _, e := range edits {
		out := warmStep(t, warm, e.name, readSQL(t, e.sql))
		if e.name == "base" {
			continue
		}
		if out.Mode != WarmIncremental || out.TablesKept == 0 {
			t.Errorf("%s: %s load (%s), %d table(s) kept; want an incremental load keeping at least the untouched table", e.name, out.Mode, out.Reason, out.TablesKept)
		}
	}
}
