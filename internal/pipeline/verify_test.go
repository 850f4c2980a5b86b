package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/emit"
	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/schema"
)

// verifyBase is a migration creating, as the runner does (a superuser),
// objects of most kinds a copy of a replay state hands to the loading
// role, with grants and a row of data.
const verifyBase = `CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('calm', 'busy');
CREATE DOMAIN app.posint AS integer CHECK (VALUE > 0);
CREATE TYPE app.pair AS (a integer, b text);
CREATE TYPE app.span AS RANGE (subtype = integer);
CREATE SEQUENCE app.counter;
CREATE TABLE app.items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, n app.posint, m app.mood, legacy serial, note text);
CREATE INDEX items_note_idx ON app.items (note);
CREATE TABLE app.parts (k integer NOT NULL, v text) PARTITION BY RANGE (k);
CREATE TABLE app.parts_low PARTITION OF app.parts FOR VALUES FROM (0) TO (100);
CREATE FUNCTION app.bump(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT x + 1 $$;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER items_touch BEFORE UPDATE ON app.items FOR EACH ROW EXECUTE FUNCTION app.touch();
CREATE VIEW app.item_notes AS SELECT id, note FROM app.items;
CREATE MATERIALIZED VIEW app.item_ids AS SELECT id FROM app.items;
CREATE AGGREGATE app.total(integer) (sfunc = int4pl, stype = integer, initcond = '0');
CREATE OPERATOR app.=== (leftarg = integer, rightarg = integer, function = int4eq);
CREATE STATISTICS app.items_stats ON n, note FROM app.items;
CREATE TEXT SEARCH CONFIGURATION app.simple_copy (COPY = pg_catalog.simple);
GRANT USAGE ON SCHEMA app TO verify_reader;
GRANT SELECT ON app.items TO verify_reader;
GRANT SELECT (note) ON app.item_notes TO PUBLIC;
`

// verifyDesired is the base schema with a column added, a table created
// and a view changed, as schema files say it.
var verifyDesired = strings.NewReplacer(
	"legacy serial, note text);", "legacy serial, note text, extra text);",
	"SELECT id, note FROM app.items;", "SELECT id, note, extra FROM app.items;",
).Replace(verifyBase) + "CREATE TABLE app.more (id integer);\n"

// replayedState replays a directory of one migration running sql on the
// kept cluster of warm and returns the cached state holding it and the
// catalog read from it.
func replayedState(t *testing.T, ctx context.Context, warm *pgserver.Scratch, sql string) (string, *schema.Catalog) {
	t.Helper()
	dir := replayDir(t)
	const v1 = "20260101000001"
	writeReplayFile(t, dir, v1+"_base.go", replayMigration(v1, "base", "", sql, "DROP SCHEMA app CASCADE"))
	md, err := ReadMigrationsDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Replay(ctx, warm, ReplayOptions{Dir: md, Runner: Runner{Logf: t.Logf}, Output: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(ctx)
	if r.State == "" {
		t.Fatal("the replay left no cached state")
	}
	cat, err := InspectURL(ctx, r.URL, introspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r.State, cat
}

// verifyFixture is a replayed current state, the desired one and the plans
// between them.
type verifyFixture struct {
	warm             *pgserver.Scratch
	state            string
	current, desired *schema.Catalog
	up, down         emit.Plan
}

func newVerifyFixture(t *testing.T, ctx context.Context, base, desired string) *verifyFixture {
	t.Helper()
	f := &verifyFixture{warm: warmScratch(t)}
	if err := f.warm.EnsureRoles(ctx, []string{"verify_reader"}); err != nil {
		t.Fatal(err)
	}
	f.state, f.current = replayedState(t, ctx, f.warm, base)
	var err error
	if f.desired, err = LoadDesired(ctx, f.warm, readSQL(t, desired), introspect.Options{}); err != nil {
		t.Fatal(err)
	}
	if f.up, err = Plan(f.current, f.desired); err != nil {
		t.Fatal(err)
	}
	if f.down, err = Plan(f.desired, f.current); err != nil {
		t.Fatal(err)
	}
	if len(f.up.Changes) == 0 || len(f.down.Changes) == 0 {
		t.Fatalf("nothing to verify: %d change(s) up, %d down", len(f.up.Changes), len(f.down.Changes))
	}
	return f
}

// verify runs Verify from a copy of the replay state (or, without one,
// from a rebuild) and returns what it logged and its error.
func (f *verifyFixture) verify(ctx context.Context, fromCopy bool, up, down emit.Plan) (string, error) {
	var mu sync.Mutex
	var log strings.Builder
	opts := VerifyOptions{Logf: func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(&log, format+"\n", args...)
	}}
	if fromCopy {
		opts.From = CopyReplayState(ctx, f.warm, f.current.CurrentUser, f.state)
	}
	err := Verify(ctx, f.warm, f.current, f.desired, up, down, opts)
	return log.String(), err
}

// TestVerifyFromReplayCopy verifies a migration starting from a copy of
// the cached replay state: the copy's catalog equals the current state,
// its objects belong to the loading role (no superuser-owned object left
// for a plan to run with), the right migration passes, and a hand-edited
// Up or Down that misses its target is refused with the stage named,
// without any rebuild.
func TestVerifyFromReplayCopy(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	f := newVerifyFixture(t, ctx, verifyBase+"INSERT INTO app.items (n, m, note) VALUES (1, 'calm', 'seed');\n", verifyDesired)

	t.Run("copy", func(t *testing.T) {
		c := CopyReplayState(ctx, f.warm, f.current.CurrentUser, f.state)
		sb, err := c.take()
		if err != nil {
			t.Fatal(err)
		}
		defer sb.close(ctx)
		got, err := introspect.Inspect(ctx, sb.loader, introspect.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := sameAs(got, f.current); err != nil {
			t.Errorf("the copy of the replay state is not the current state: %v", err)
		}
		var super bool
		if err := sb.loader.QueryRow(ctx, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user").Scan(&super); err != nil || super {
			t.Errorf("plans run in the copy as a superuser (%v)", err)
		}
		if owned := superuserOwned(t, ctx, sb.loader); owned != "" {
			t.Errorf("objects of the copy still owned by a superuser:\n%s", owned)
		}
	})

	t.Run("the migration", func(t *testing.T) {
		log, err := f.verify(ctx, true, f.up, f.down)
		if err != nil {
			t.Fatalf("%v\n%s", err, log)
		}
		if !strings.Contains(log, "verifying from a copy of the cached replay state "+f.state) {
			t.Errorf("the log does not say verification started from the copy:\n%s", log)
		}
	})

	wrongUp := editPlan(f.up, "extra text", "extra varchar(10)")
	wrongDown := emit.Plan{Changes: slicesWithout(f.down.Changes, "app.more")}
	for _, tc := range []struct {
		name     string
		up, down emit.Plan
		stage    string
	}{
		{"a wrong Up", wrongUp, f.down, "Up"},
		{"a Down that leaves a table", f.up, wrongDown, "Down"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log, err := f.verify(ctx, true, tc.up, tc.down)
			var verr *VerifyError
			if !errors.As(err, &verr) || verr.Stage != tc.stage {
				t.Fatalf("want a VerifyError at stage %s, got %v\n%s", tc.stage, err, log)
			}
			if !strings.Contains(log, "verifying from a copy") || strings.Contains(log, "rebuilt") {
				t.Errorf("verification did not start from the copy:\n%s", log)
			}
		})
	}

	t.Run("the same refusal when rebuilt", func(t *testing.T) {
		log, err := f.verify(ctx, false, wrongUp, f.down)
		var verr *VerifyError
		if !errors.As(err, &verr) || verr.Stage != "Up" {
			t.Fatalf("want a VerifyError at stage Up, got %v\n%s", err, log)
		}
		if !strings.Contains(log, "rebuilt from its catalog") {
			t.Errorf("the log does not say the current state was rebuilt:\n%s", log)
		}
	})
}

// TestVerifyFallsBackToRebuild: a replay state a copy cannot hand over
// (a superuser's default privileges) is not used; the log says why, and
// the migration is verified from the current state rebuilt.
func TestVerifyFallsBackToRebuild(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	base := "CREATE SCHEMA app; CREATE TABLE app.items (id integer, note text);\n"
	f := newVerifyFixture(t, ctx, base+"ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO verify_reader;\n",
		base+"ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO verify_reader;\nCREATE TABLE app.more (id integer);\n")
	log, err := f.verify(ctx, true, f.up, f.down)
	if err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	if !strings.Contains(log, "rebuilt from its catalog") || !strings.Contains(log, "default privileges") {
		t.Errorf("the log does not say why the copy was not used:\n%s", log)
	}
	if states, err := f.warm.ReplayStates(ctx); err != nil || len(states) != 1 {
		t.Errorf("cached replay states after verification: %v (%v), want the one", states, err)
	}
}

// superuserOwned lists the objects of the database conn is connected to,
// other than those every database has and extension members, that a
// superuser owns.
func superuserOwned(t *testing.T, ctx context.Context, conn *pgx.Conn) string {
	t.Helper()
	rows, err := conn.Query(ctx, `SELECT pg_describe_object(d.classid, d.objid, 0)
		FROM (SELECT 'pg_class'::regclass AS classid, oid AS objid, relowner AS owner FROM pg_class
			UNION ALL SELECT 'pg_type'::regclass, oid, typowner FROM pg_type
			UNION ALL SELECT 'pg_proc'::regclass, oid, proowner FROM pg_proc
			UNION ALL SELECT 'pg_namespace'::regclass, oid, nspowner FROM pg_namespace
			UNION ALL SELECT 'pg_operator'::regclass, oid, oprowner FROM pg_operator
			UNION ALL SELECT 'pg_statistic_ext'::regclass, oid, stxowner FROM pg_statistic_ext
			UNION ALL SELECT 'pg_ts_config'::regclass, oid, cfgowner FROM pg_ts_config) d
		JOIN pg_roles r ON r.oid = d.owner
		WHERE d.objid >= 16384 AND r.rolsuper
			AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = d.classid AND e.objid = d.objid AND e.deptype = 'e')
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(names, "\n")
}

// editPlan returns a copy of p with old replaced by new in its
// statements.
func editPlan(p emit.Plan, old, new string) emit.Plan {
	out := emit.Plan{Changes: make([]diff.Change, len(p.Changes))}
	for i, c := range p.Changes {
		c.Statements = append([]diff.Statement(nil), c.Statements...)
		for j := range c.Statements {
			c.Statements[j].SQL = strings.ReplaceAll(c.Statements[j].SQL, old, new)
		}
		out.Changes[i] = c
	}
	return out
}

// slicesWithout returns the changes not on the object named name.
func slicesWithout(changes []diff.Change, name string) []diff.Change {
	var out []diff.Change
	for _, c := range changes {
		if c.Object.Schema+"."+c.Object.Name != name {
			out = append(out, c)
		}
	}
	return out
}

// TestSameAsQuickAndExplained checks the comparison of verification on
// catalogs read twice from one database: equal ones pass through the quick
// comparison (diff.SameCatalog), a difference deep inside is reported with
// cmp's explanation, and what the comparison leaves out stays out.
func TestSameAsQuickAndExplained(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	scratch := pgtest.Scratch(t)
	read := func() *schema.Catalog {
		t.Helper()
		cat, err := LoadDesired(ctx, scratch, readSQL(t, `CREATE TYPE mood AS ENUM ('calm', 'busy');
CREATE TABLE a (id int PRIMARY KEY, m mood NOT NULL DEFAULT 'calm', note text);
CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));
CREATE INDEX b_a_idx ON b (a_id);
CREATE VIEW v AS SELECT a.id, b.id AS b_id FROM a JOIN b ON b.a_id = a.id;
COMMENT ON TABLE a IS 'ays';
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
`), introspect.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return cat
	}
	want, got := read(), read()
	if !diff.SameCatalog(forComparison(want), forComparison(got)) {
		t.Fatal("two reads of the same schema differ for diff.SameCatalog: the quick comparison never answers")
	}
	if err := sameAs(got, want); err != nil {
		t.Fatal(err)
	}
	// Left out: sources, the reading role, a body's error.
	for _, f := range got.Functions {
		f.BodyError = "relation does not exist"
	}
	got.Sources, got.CurrentUser = nil, "someone"
	if err := sameAs(got, want); err != nil {
		t.Fatalf("what the comparison leaves out made a difference: %v", err)
	}
	var tbl *schema.Table
	for _, tb := range got.Tables {
		if len(tb.Columns) > 0 {
			tbl = tb
			break
		}
	}
	if tbl == nil {
		t.Fatal("no table with columns")
	}
	tbl.Columns[0].NotNull = !tbl.Columns[0].NotNull
	err := sameAs(got, want)
	if err == nil || !strings.Contains(err.Error(), "differs from the expected schema") || !strings.Contains(err.Error(), "NotNull") {
		t.Fatalf("a column's NOT NULL changed: got %v", err)
	}
}
