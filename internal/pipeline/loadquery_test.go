package pipeline

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/schema"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

func TestQueryRuns(t *testing.T) {
	stmts := []sqlfile.Statement{
		{SQL: "CREATE TABLE a ()", Kind: sqlfile.StmtCreate},
		{SQL: "COMMENT ON TABLE a IS 'x'", Kind: sqlfile.StmtComment},
		{SQL: "SET standard_conforming_strings = off", Kind: sqlfile.StmtSet},
		{SQL: "CREATE TABLE b ()", Kind: sqlfile.StmtCreate},
		{SQL: "GRANT SELECT ON b TO PUBLIC", Kind: sqlfile.StmtGrant},
		{SQL: "ALTER TABLE b ADD c int", Kind: sqlfile.StmtAlter},
		{SQL: "INSERT INTO b VALUES (1)", Kind: sqlfile.StmtData},
		{SQL: "DROP TABLE a", Kind: sqlfile.StmtDrop},
		{SQL: "CREATE TABLE " + strings.Repeat("x", maxQueryBytes-10) + " ()", Kind: sqlfile.StmtCreate},
		{SQL: "CREATE TABLE d ()", Kind: sqlfile.StmtCreate},
		{SQL: "VACUUM", Kind: sqlfile.StmtOther},
	}
	grants := func(i int) bool { return stmts[i].Kind == sqlfile.StmtGrant }
	got := queryRuns(stmts, sequence(len(stmts)), grants)
	want := [][]int{{0, 1}, {2}, {3, 4}, {5}, {6}, {7}, {8}, {9}, {10}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("runs (-want +got):\n%s", d)
	}
	// Numbers other than 0..n-1 are kept as given.
	if got := queryRuns(stmts, []int{5, 7, 8, 9}, nil); !cmp.Equal(got, [][]int{{5, 7}, {8}, {9}}) {
		t.Errorf("runs of 5, 7, 8, 9: %v", got)
	}
	if got := joinQuery(stmts, []int{0, 1}, func(i int) string { return fmt.Sprintf("SET x = %d;\n", i) }); got != "SET x = 0;\nCREATE TABLE a ();\nSET x = 1;\nCOMMENT ON TABLE a IS 'x'" {
		t.Errorf("joined: %q", got)
	}
}

// TestJoinedLoadIsSequential loads, cold and on a kept cluster, schema
// files whose statements are sent several per query: a setting that
// changes how later statements are read still applies to them, and a
// failing statement in the middle of a query is named with its line, with
// nothing of its transaction left.
func TestJoinedLoadIsSequential(t *testing.T) {
	t.Setenv(pgserver.WarmEnv, "")
	warm := warmScratch(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// With standard_conforming_strings off, 'c\\d' is c\d.
	// The INSERT makes the file a script, run in its written order.
	settings := readSQL(t, `CREATE TABLE a (id int);
INSERT INTO a VALUES (1);
SET standard_conforming_strings = off;
COMMENT ON TABLE a IS 'c\\d';
RESET standard_conforming_strings;
COMMENT ON COLUMN a.id IS 'e\\f';
`)
	for _, load := range []struct {
		name string
		run  func() (string, string, error)
	}{
		{"cold", func() (string, string, error) {
			cat, err := coldLoad(t, warm, settings)
			if err != nil {
				return "", "", err
			}
			tbl := cat.Tables[schema.QName{Schema: "public", Name: "a"}]
			return tbl.Comment, tbl.Columns[0].Comment, nil
		}},
		{"kept", func() (string, string, error) {
			cat, _, err := LoadDesiredReport(ctx, warm, "", settings, introspect.Options{})
			if err != nil {
				return "", "", err
			}
			tbl := cat.Tables[schema.QName{Schema: "public", Name: "a"}]
			return tbl.Comment, tbl.Columns[0].Comment, nil
		}},
	} {
		table, column, err := load.run()
		if err != nil {
			t.Fatalf("%s: %v", load.name, err)
		}
		if table != `c\d` || column != `e\\f` {
			t.Errorf("%s: comments %q and %q, want %q (standard_conforming_strings off) and %q (on)", load.name, table, column, `c\d`, `e\\f`)
		}
	}

	var b strings.Builder
	for i := range 20 {
		fmt.Fprintf(&b, "CREATE TABLE t%d (id int);\n", i)
	}
	b.WriteString("CREATE TABLE t3 (id int);\n") // line 21
	b.WriteString("CREATE TABLE t99 (id int);\n")
	failing := readSQL(t, b.String())
	if _, err := coldLoad(t, warm, failing); err == nil || !strings.Contains(err.Error(), ":21:") || !strings.Contains(err.Error(), `"t3" already exists`) {
		t.Errorf("cold: want the duplicate table on line 21 named, got %v", err)
	}
	warm.DropWarmDatabase(ctx) //nolint:errcheck // the next load starts over anyway
	if _, _, err := LoadDesiredReport(ctx, warm, "", failing, introspect.Options{}); err == nil || !strings.Contains(err.Error(), ":21:") || !strings.Contains(err.Error(), `"t3" already exists`) {
		t.Errorf("kept: want the duplicate table on line 21 named, got %v", err)
	}
}
