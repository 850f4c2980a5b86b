package convergence

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/emit"
	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/schema"
)

func TestBatches(t *testing.T) {
	st := func(sql string, tx diff.Transaction) diff.Statement { return diff.Statement{SQL: sql, Transaction: tx} }
	plan := func(stmts ...diff.Statement) emit.Plan {
		return emit.Plan{Changes: []diff.Change{{Statements: stmts[:1]}, {Statements: stmts[1:]}}}
	}
	for _, tc := range []struct {
		name string
		plan emit.Plan
		want []emit.TxMode
	}{
		{"empty", emit.Plan{}, nil},
		{"transactional", plan(st("a", diff.InTransaction), st("b", diff.InTransaction)), []emit.TxMode{emit.InTransaction}},
		{"one statement outside a transaction", plan(st("a", diff.InTransaction), st("b", diff.OutsideTransaction)), []emit.TxMode{emit.Autocommit}},
		{"commit-first statements lead", plan(st("a", diff.CommitFirst), st("b", diff.CommitFirst), st("c", diff.InTransaction)),
			[]emit.TxMode{emit.InTransaction, emit.InTransaction, emit.InTransaction}},
		{"a commit-first statement after another", plan(st("a", diff.InTransaction), st("b", diff.CommitFirst)), []emit.TxMode{emit.Autocommit}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.plan.Batches()
			var modes []emit.TxMode
			n := 0
			for _, b := range got {
				modes = append(modes, b.Mode)
				n += len(b.Statements)
			}
			if !slices.Equal(modes, tc.want) {
				t.Fatalf("modes = %v, want %v", modes, tc.want)
			}
			want := 0
			for _, c := range tc.plan.Changes {
				want += len(c.Statements)
			}
			if n != want {
				t.Fatalf("batches hold %d statements, want %d", n, want)
			}
		})
	}
}

func TestSortACLs(t *testing.T) {
	in := []string{"CREATE TABLE t ();", "REVOKE ALL ON TABLE t FROM a;", "GRANT SELECT ON TABLE t TO c;",
		"GRANT INSERT ON TABLE t TO b;", "CREATE VIEW v;", "GRANT SELECT ON v TO b;", "GRANT SELECT ON v TO a;"}
	want := []string{"CREATE TABLE t ();", "GRANT INSERT ON TABLE t TO b;", "GRANT SELECT ON TABLE t TO c;",
		"REVOKE ALL ON TABLE t FROM a;", "CREATE VIEW v;", "GRANT SELECT ON v TO a;", "GRANT SELECT ON v TO b;"}
	if got := sortACLs(in); !slices.Equal(got, want) {
		t.Fatalf("sortACLs:\n got %q\nwant %q", got, want)
	}
}

func TestPairTablesFollowsRenames(t *testing.T) {
	from := tableColumns{
		{Schema: "old", Name: "customers"}: {{Name: "id", Sequence: "old.customers_id_seq"}, {Name: "email"}, {Name: "g", Generated: true}, {Name: "n"}},
		{Schema: "public", Name: "gone"}:   {{Name: "id"}},
	}
	to := tableColumns{
		{Schema: "new", Name: "clients"}: {{Name: "id"}, {Name: "email_address"}, {Name: "g", Generated: true}, {Name: "n", Sequence: "new.clients_n_seq"}},
	}
	renames := []schema.Rename{
		{Kind: schema.KindSchema, Name: "new", From: "old"},
		{Kind: schema.KindTable, Schema: "new", Name: "clients", From: "customers"},
		{Kind: schema.KindColumn, Schema: "new", Table: "clients", Name: "email_address", From: "email"},
	}
	got := pairTables(from, to, renames)
	if len(got) != 1 {
		t.Fatalf("pairs = %+v, want one", got)
	}
	p := got[0]
	if p.To != (schema.QName{Schema: "new", Name: "clients"}) ||
		!slices.Equal(p.Cols, []colPair{{From: "id", To: "id", Serial: true}, {From: "email", To: "email_address"},
			{From: "n", To: "n", GainsSequence: true}}) {
		t.Fatalf("pair = %+v", p)
	}
}

// TestDataCheckReportsChanges checks that the data check names what changed:
// a lost row, a changed value and a sequence moved back.
func TestDataCheckReportsChanges(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ddl := `CREATE TABLE t (id serial PRIMARY KEY, name text, note text);`
	work, want := pgtest.NewDB(t), pgtest.NewDB(t)
	pgtest.Exec(t, work, ddl+`INSERT INTO t (name, note) VALUES ('a', NULL), ('b', 'x'), ('c', 'it''s');`)
	pgtest.Exec(t, want, ddl)
	snap, err := takeSnapshot(ctx, work, want, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := snap.compare(ctx, work, toState, checkRows); err != nil {
		t.Fatalf("unchanged rows reported: %v", err)
	}
	pgtest.Exec(t, work, `DELETE FROM t WHERE name = 'a'; UPDATE t SET note = 'y' WHERE name = 'b';
		SELECT setval('t_id_seq', 1);`)
	err = snap.compare(ctx, work, toState, checkRows)
	if err == nil {
		t.Fatal("changed rows not reported")
	}
	for _, w := range []string{"3 rows before, 2 after", `column note: values before [NULL, 'x'], after ['y']`,
		`row (id='1', name='a', note=NULL) before is gone`, "column id: the sequence is no longer ahead"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error does not say %q:\n%v", w, err)
		}
	}
}

func TestRunCheck(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	work := pgtest.NewDB(t)
	pgtest.Exec(t, work, `CREATE TABLE t (a int, b text); INSERT INTO t VALUES (1, NULL), (2, 'x|y');`)
	check := []byte("SELECT a, b FROM t ORDER BY a;\nSELECT true, 1.50::numeric(4,2);\n")
	if err := runCheck(ctx, work, &dataFiles{check: check, expected: []byte("1|<null>\n2|x|y\nt|1.50\n")}); err != nil {
		t.Fatal(err)
	}
	err := runCheck(ctx, work, &dataFiles{check: check, expected: []byte("1|<null>\n2|x\nt|1.50\n")})
	if err == nil || !strings.Contains(err.Error(), `line 2: want "2|x", got "2|x|y"`) {
		t.Fatalf("err = %v", err)
	}
}

// TestCaseDataFiles checks the data files of the cases are complete.
func TestCaseDataFiles(t *testing.T) {
	dirs, err := filepath.Glob("../../testdata/cases/*/to.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range dirs {
		dir := filepath.Dir(p)
		f, err := readDataFiles(dir)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(dir), err)
			continue
		}
		if f == nil {
			for _, name := range []string{CheckFile, ExpectedFile, NoDownDataFile} {
				if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
					t.Errorf("%s: %s without %s", filepath.Base(dir), name, DataFile)
				}
			}
		}
	}
}

// TestApplyTransactionModes checks that a plan runs in one transaction (a
// failure leaves nothing applied) unless a statement must run outside one.
func TestApplyTransactionModes(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url := pgtest.NewDB(t)
	pgtest.Exec(t, url, `CREATE TABLE t (id int)`)
	st := func(sql string, tx diff.Transaction) diff.Statement { return diff.Statement{SQL: sql, Transaction: tx} }
	count := func() string {
		conn, err := pgconn.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		res, err := conn.Exec(ctx, `SELECT count(*) FROM t`).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return string(res[0].Rows[0][0])
	}
	failing := emit.Plan{Changes: []diff.Change{{Statements: []diff.Statement{
		st("INSERT INTO t VALUES (1)", diff.InTransaction), st("INSERT INTO t VALUES ('x')", diff.InTransaction)}}}}
	if err := Apply(ctx, url, failing); err == nil || !strings.Contains(err.Error(), "in one transaction") {
		t.Fatalf("Apply = %v, want a failure in one transaction", err)
	}
	if n := count(); n != "0" {
		t.Fatalf("%s rows after a failed transactional plan, want 0", n)
	}
	failing.Changes = append(failing.Changes, diff.Change{Statements: []diff.Statement{
		st("CREATE INDEX CONCURRENTLY t_id ON t (id)", diff.OutsideTransaction)}})
	if err := Apply(ctx, url, failing); err == nil || !strings.Contains(err.Error(), "in autocommit") {
		t.Fatalf("Apply = %v, want a failure in autocommit", err)
	}
	if n := count(); n != "1" {
		t.Fatalf("%s rows after a failed autocommit plan, want 1 (the statement before the failure)", n)
	}
}
