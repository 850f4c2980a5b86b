package sqlfile

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const fixtures = "testdata/sqlfiles"

// writeSQL writes files (name -> content) into a temporary directory and
// returns its path.
func writeSQL(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// readOne reads SQL text as one file and returns its statements.
func readOne(t *testing.T, sql string) ([]Statement, string, error) {
	t.Helper()
	p := filepath.Join(writeSQL(t, map[string]string{"s.sql": sql}), "s.sql")
	stmts, err := Read(p)
	return stmts, p, err
}

func TestReadSQLSyntaxError(t *testing.T) {
	p := filepath.Join(fixtures, "syntax", "bad.sql")
	_, err := Read(p)
	var se *SourceError
	if !errors.As(err, &se) {
		t.Fatalf("ReadSQL: got %v, want a *SourceError", err)
	}
	// Line 7 is `    ü int, näme text,, x int`: the second comma is the
	// 22nd character but the 24th byte, since ü and ä take two bytes each.
	want := p + `:7:22: syntax error at or near ","`
	if err.Error() != want {
		t.Errorf("error:\n got %s\nwant %s", err, want)
	}
}

func TestReadSQLErrors(t *testing.T) {
	tests := []struct {
		name string
		sql  string
		want string // error text after "<path>:"
	}{
		{"syntax error on a later line", "CREATE TABLE a (id int);\n\nCREATE TABLE b (id int,);\n", `3:24: syntax error at or near ")"`},
		{"syntax error after CRLF and multibyte", "-- ÄÖÜ\r\nCREATE TABLE \"ä\" (x int);\r\nCREATE TABLE b (ö int, ,);\r\n", `3:24: syntax error at or near ","`},
		{"unterminated dollar quote", "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$\nSELECT 1;\n", `1:49: unterminated dollar-quoted string at or near "$$`},
		{"copy", "COPY a FROM STDIN;", "1:1: COPY is not allowed in schema files: it reads rows from outside them; use INSERT"},
		{"psql meta-command", "CREATE TABLE a (id int);\n\\connect other\n", "2:1: psql meta-command \\connect is not SQL: schema files hold SQL statements only"},
		{"invalid UTF-8", "CREATE TABLE a (id int);\n  -- \xff\n", "2:6: invalid UTF-8"},
		{"savepoint", "BEGIN;\nSAVEPOINT s;\nCOMMIT;", "2:1: SAVEPOINT is not allowed in schema files: the schema is loaded as a whole"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, p, err := readOne(t, tt.sql)
			var se *SourceError
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want a *SourceError", err)
			}
			if got := err.Error(); !strings.HasPrefix(got, p+":"+tt.want) {
				t.Errorf("error:\n got %s\nwant %s:%s", got, p, tt.want)
			}
		})
	}
}

func TestReadSQLMissingPath(t *testing.T) {
	p := filepath.Join(t.TempDir(), "nope")
	_, err := Read(p)
	if err == nil || !strings.Contains(err.Error(), p) || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("got %v, want a not-exist error naming %s", err, p)
	}
}

func TestReadSQLEmpty(t *testing.T) {
	for name, sql := range map[string]string{
		"empty":         "",
		"comments only": "-- nothing here\n/* nor /* nested */ here */\n",
		"transactions":  "BEGIN;\nCOMMIT;\nSTART TRANSACTION;\nROLLBACK;\n",
		"semicolons":    ";;\n;",
	} {
		t.Run(name, func(t *testing.T) {
			stmts, _, err := readOne(t, sql)
			if err != nil || len(stmts) != 0 {
				t.Fatalf("got %v, %v; want no statements and no error", stmts, err)
			}
		})
	}
	stmts, err := Read(writeSQL(t, map[string]string{"notes.txt": "not sql"}))
	if err != nil || len(stmts) != 0 {
		t.Fatalf("empty directory: got %v, %v", stmts, err)
	}
}

type pos struct {
	File      string
	Line, Col int
	SQL       string
}

func positions(stmts []Statement) []pos {
	out := make([]pos, len(stmts))
	for i, s := range stmts {
		out[i] = pos{filepath.ToSlash(s.File), s.Line, s.Col, s.SQL}
	}
	return out
}

func TestReadSQLStatements(t *testing.T) {
	tests := []struct {
		name string
		sql  string
		want []pos // File is left empty
	}{
		{
			name: "transaction control is dropped",
			sql:  "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n",
			want: []pos{{"", 2, 1, "CREATE TABLE a (id int)"}},
		},
		{
			name: "comments before, between and after",
			sql:  "-- a\n/* b\n c */  CREATE TABLE a (id int) -- d\n;\n\t/* e */ CREATE TABLE b (id int); -- f\n",
			want: []pos{
				{"", 3, 8, "CREATE TABLE a (id int)"},
				{"", 5, 10, "CREATE TABLE b (id int)"},
			},
		},
		{
			name: "CRLF line endings are kept in the text",
			sql:  "-- x\r\nCREATE TABLE a (\r\n  id int\r\n);\r\n\r\n  CREATE INDEX a_id ON a (id);\r\n",
			want: []pos{
				{"", 2, 1, "CREATE TABLE a (\r\n  id int\r\n)"},
				{"", 6, 3, "CREATE INDEX a_id ON a (id)"},
			},
		},
		{
			name: "columns count characters",
			sql:  "/* äöü */ CREATE TABLE \"ä\" (x int); /* ß */ CREATE TABLE b (x int)",
			want: []pos{
				{"", 1, 11, `CREATE TABLE "ä" (x int)`},
				{"", 1, 45, "CREATE TABLE b (x int)"},
			},
		},
		{
			name: "no final semicolon",
			sql:  "CREATE TABLE a (id int);\nCREATE TABLE b (id int)\n-- end\n",
			want: []pos{
				{"", 1, 1, "CREATE TABLE a (id int)"},
				{"", 2, 1, "CREATE TABLE b (id int)"},
			},
		},
		{
			name: "byte order mark",
			sql:  "\ufeffCREATE TABLE a (id int);",
			want: []pos{{"", 1, 1, "CREATE TABLE a (id int)"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmts, _, err := readOne(t, tt.sql)
			if err != nil {
				t.Fatal(err)
			}
			got := positions(stmts)
			for i := range got {
				got[i].File = ""
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("statements:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestReadSQLDollarQuotedBodies(t *testing.T) {
	p := filepath.Join(fixtures, "bodies.sql")
	stmts, err := Read(p)
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		line, col int
		object    string
		prefix    string
		suffix    string
	}{
		{2, 1, "function public.bump", "CREATE FUNCTION public.bump(n int)", "END;\n$fn$"},
		{12, 1, "function public.twice", "CREATE FUNCTION public.twice(n int)", "SELECT n * 2;\nEND"},
		{18, 11, `table public."Ünïcode Table"`, `CREATE TABLE "Ünïcode Table"`, "DEFAULT public.bump(1))"},
		{19, 1, "table public.mixedcase_name", "CREATE TABLE MixedCase_Name", "(id int)"},
		{20, 1, `view public."My View"`, `CREATE VIEW "My View"`, "ON true"},
	}
	if len(stmts) != len(want) {
		t.Fatalf("got %d statements, want %d: %+v", len(stmts), len(want), positions(stmts))
	}
	for i, w := range want {
		s := stmts[i]
		if s.Line != w.line || s.Col != w.col || s.Object != w.object || s.File != p {
			t.Errorf("statement %d: got %s:%d:%d %q, want %s:%d:%d %q", i, s.File, s.Line, s.Col, s.Object, p, w.line, w.col, w.object)
		}
		if !strings.HasPrefix(s.SQL, w.prefix) || !strings.HasSuffix(s.SQL, w.suffix) {
			t.Errorf("statement %d: text %q should run from %q to %q", i, s.SQL, w.prefix, w.suffix)
		}
		if !strings.Contains(string(src), s.SQL) {
			t.Errorf("statement %d: text %q is not verbatim from the file", i, s.SQL)
		}
	}
}

func TestReadSQLDirectory(t *testing.T) {
	dir := filepath.Join(fixtures, "ordered")
	stmts, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	type at struct {
		File string
		Line int
	}
	var got []at
	for _, s := range stmts {
		rel, err := filepath.Rel(dir, s.File)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, at{filepath.ToSlash(rel), s.Line})
	}
	want := []at{
		{"00_views.sql", 2},
		{"00_views.sql", 5},
		{"00_views.sql", 7},
		{"10_tables/orders.sql", 1},
		{"10_tables/orders.sql", 8},
		{"10_tables/users.sql", 1},
		{"20_types.sql", 1},
		{"30_functions.sql", 1},
		{"30_functions.sql", 6},
		{"30_functions.sql", 14},
		{"40_extra/nested/grants.sql", 1},
		{"99_schema.sql", 1},
	}
	if !slices.Equal(got, want) {
		t.Errorf("statements:\n got %v\nwant %v", got, want)
	}

	// Sorting is by whole path, not directory by directory.
	dir = writeSQL(t, map[string]string{
		"a/x.sql": "CREATE TABLE ax (id int);",
		"a.sql":   "CREATE TABLE a (id int);",
		"a-b.sql": "CREATE TABLE ab (id int);",
		"b.SQL":   "CREATE TABLE b (id int);",
	})
	stmts, err = Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	var objects []string
	for _, s := range stmts {
		objects = append(objects, s.Object)
	}
	if want := []string{"table public.ab", "table public.a", "table public.ax", "table public.b"}; !slices.Equal(objects, want) {
		t.Errorf("objects:\n got %q\nwant %q", objects, want)
	}
}

func TestStatementKinds(t *testing.T) {
	tests := []struct {
		sql  string
		kind StatementKind
	}{
		{"CREATE TABLE t (id int)", StmtCreate},
		{"CREATE INDEX ON t (id)", StmtCreate},
		{"CREATE VIEW v AS SELECT 1", StmtCreate},
		{"CREATE MATERIALIZED VIEW m AS SELECT 1", StmtCreate},
		{"CREATE TYPE shell", StmtCreate},
		{"CREATE TYPE c AS (a int)", StmtCreate},
		{"CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING", StmtCreate},
		{"ALTER TABLE t ADD COLUMN x int", StmtAlter},
		{"ALTER TABLE t RENAME TO u", StmtAlter},
		{"ALTER TABLE t OWNER TO bob", StmtAlter},
		{"ALTER TYPE mood ADD VALUE 'meh'", StmtAlter},
		{"COMMENT ON TABLE t IS 'x'", StmtComment},
		{"GRANT SELECT ON t TO bob", StmtGrant},
		{"REVOKE ALL ON t FROM bob", StmtGrant},
		{"ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO bob", StmtGrant},
		{"DROP TABLE IF EXISTS t", StmtDrop},
		{"SET search_path = app", StmtSet},
		{"RESET ALL", StmtSet},
		{"SELECT pg_catalog.set_config('search_path', '', false)", StmtSet},
		{"SELECT 1", StmtOther},
		{"REFRESH MATERIALIZED VIEW m", StmtOther},
		{"INSERT INTO t VALUES (1)", StmtData},
		{"UPDATE t SET id = 2", StmtData},
		{"DELETE FROM t", StmtData},
		{"TRUNCATE t", StmtData},
		{"MERGE INTO a USING b ON a.id = b.id WHEN MATCHED THEN DELETE", StmtData},
		{"CALL p()", StmtData},
		{"DO $$ BEGIN PERFORM 1; END $$", StmtData},
		{"WITH x AS (INSERT INTO a VALUES (1) RETURNING id) SELECT * FROM x", StmtData},
	}
	for _, tt := range tests {
		stmts, _, err := readOne(t, tt.sql)
		if err != nil {
			t.Fatalf("%s: %v", tt.sql, err)
		}
		if len(stmts) != 1 || stmts[0].Kind != tt.kind {
			t.Errorf("%s: got %v, want kind %v", tt.sql, stmts, tt.kind)
		}
	}
}

// fakeDB records statements and fails the ones containing failOn.
type fakeDB struct {
	ran    []string
	failOn string
	err    error
}

func (f *fakeDB) Exec(_ context.Context, sql string) error {
	if f.failOn != "" && strings.Contains(sql, f.failOn) {
		return f.err
	}
	f.ran = append(f.ran, sql)
	return nil
}

func TestLoadStatements(t *testing.T) {
	dbErr := errors.New(`ERROR: relation "customers" does not exist (SQLSTATE 42P01)`)
	sql := "CREATE SCHEMA app;\n\n-- orders\nCREATE TABLE app.orders (\n  customer_id int REFERENCES customers\n);\nCOMMENT ON TABLE app.orders IS 'x';\n"
	stmts, p, err := readOne(t, sql)
	if err != nil {
		t.Fatal(err)
	}
	db := &fakeDB{failOn: "REFERENCES customers", err: dbErr}
	err = Load(context.Background(), db, stmts)
	want := p + `:4:1: creating table app.orders: relation "customers" does not exist`
	if err == nil || err.Error() != want {
		t.Fatalf("error:\n got %v\nwant %s", err, want)
	}
	var se *SourceError
	if !errors.As(err, &se) || !errors.Is(err, dbErr) || se.Line != 4 || se.File != p {
		t.Errorf("error %#v should be a *SourceError wrapping the database error", err)
	}
	if !slices.Equal(db.ran, []string{"CREATE SCHEMA app"}) {
		t.Errorf("ran %q, want only the first statement", db.ran)
	}

	db = &fakeDB{}
	if err := Load(context.Background(), db, stmts); err != nil {
		t.Fatal(err)
	}
	if len(db.ran) != 3 || db.ran[2] != "COMMENT ON TABLE app.orders IS 'x'" {
		t.Errorf("ran %q", db.ran)
	}
}

func TestLoadStatementsMessages(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		sql  string
		want string
	}{
		{"ALTER TABLE t ADD COLUMN x int", "altering table public.t: boom"},
		{"COMMENT ON COLUMN app.t.x IS 'x'", "commenting on column app.t.x: boom"},
		{"GRANT SELECT ON t, u TO bob", "setting privileges on table public.t, public.u: boom"},
		{"DROP VIEW IF EXISTS v", "dropping view public.v: boom"},
		{"SET search_path = app", "setting parameter search_path: boom"},
		{"CREATE INDEX t_x_idx ON t (x)", "creating index t_x_idx: boom"},
		{"CREATE TRIGGER trg AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()", "creating trigger trg on public.t: boom"},
		{"CREATE OR REPLACE FUNCTION app.f() RETURNS int LANGUAGE sql AS 'SELECT 1'", "creating function app.f: boom"},
		{"REFRESH MATERIALIZED VIEW m", "running materialized view public.m: boom"},
		{"ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO bob", "granting default privileges in schema app: boom"},
		{"GRANT reader TO bob", "granting role reader: boom"},
	}
	for _, tt := range tests {
		stmts, p, err := readOne(t, tt.sql)
		if err != nil {
			t.Fatal(err)
		}
		err = Load(context.Background(), &fakeDB{failOn: tt.sql, err: boom}, stmts)
		if want := p + ":1:1: " + tt.want; err == nil || err.Error() != want {
			t.Errorf("%s:\n got %v\nwant %s", tt.sql, err, want)
		}
	}
}

// pg_dump (15.14 and later) wraps its output in \restrict lines, which
// psql reads and schema files may hold.
func TestReadSQLPgDumpRestrict(t *testing.T) {
	stmts, _, err := readOne(t, "\\restrict abc123\n\nCREATE TABLE t (id int);\n\n\\unrestrict abc123\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) != 1 || stmts[0].SQL != "CREATE TABLE t (id int)" || stmts[0].Line != 3 {
		t.Fatalf("got %+v, want CREATE TABLE t on line 3", stmts)
	}
}
