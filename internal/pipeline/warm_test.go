package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// warmScratch starts a scratch source on a kept cluster of its own, removed
// when the test ends.
func warmScratch(t *testing.T) *pgserver.Scratch {
	t.Helper()
	pgtest.Scratch(t) // skips or fails as the other tests do without PostgreSQL
	t.Setenv(pgserver.WarmEnv, "")
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

// warmStep loads stmts cold and warm and fails the test when the catalogs
// differ or only one of the loads fails. It returns how the warm load went.
func warmStep(t *testing.T, warm *pgserver.Scratch, label string, stmts []sqlfile.Statement) WarmOutcome {
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
	began := time.Now()
	want, coldErr := LoadDesired(ctx, cold, stmts, introspect.Options{})
	coldTook := time.Since(began)
	began = time.Now()
	got, out, warmErr := LoadDesiredReport(ctx, warm, "", stmts, introspect.Options{})
	t.Logf("%s: cold %s, warm %s (%s, %d run, %d dropped)", label, coldTook.Round(time.Millisecond),
		time.Since(began).Round(time.Millisecond), out.Mode, out.Ran, out.Dropped)
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

// TestWarmCases loads, on one kept cluster, every convergence case's
// from.sql, then its to.sql, then to.sql without one of its statements,
// then from.sql again, each time comparing the catalog with a cold load of
// the same statements.
func TestWarmCases(t *testing.T) {
	warm := warmScratch(t)
	dirs, err := filepath.Glob("../../testdata/cases/*/to.sql")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	modes := map[WarmMode]int{}
	fallbacks := map[string]int{}
	for _, p := range dirs {
		dir := filepath.Dir(p)
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			from := readSQL(t, readFile(t, filepath.Join(dir, "from.sql")))
			to := readSQL(t, readFile(t, p))
			steps := []struct {
				label string
				stmts []sqlfile.Statement
			}{
				{"from", from}, {"to", to}, {"to edited", withoutOne(to)}, {"from again", from},
			}
			for _, s := range steps {
				out := warmStep(t, warm, s.label, s.stmts)
				modes[out.Mode]++
				if out.Mode == WarmFallback {
					why := out.Reason
					if i := strings.LastIndex(why, ": "); i >= 0 {
						why = why[i+2:]
					}
					fallbacks[why]++
				}
			}
		})
	}
	t.Logf("warm loads: %v", modes)
	t.Logf("fallbacks: %v", fallbacks)
	if modes[WarmIncremental] == 0 {
		t.Error("no load was incremental")
	}
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
	warm := warmScratch(t)
	base := `CREATE TYPE mood AS ENUM ('a', 'b');
CREATE TABLE a (id int PRIMARY KEY, m mood);
CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));
CREATE INDEX b_a_idx ON b (a_id);
CREATE VIEW v AS SELECT * FROM b;
ALTER TABLE a ADD COLUMN note text;
COMMENT ON TABLE b IS 'bees';
CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'SELECT x + 1';
CREATE TABLE c (id int DEFAULT f(1));
`
	edits := []struct{ name, sql string }{
		{"base", base},
		{"unchanged", base},
		{"column added", strings.Replace(base, "a_id int REFERENCES", "extra text, a_id int REFERENCES", 1)},
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
