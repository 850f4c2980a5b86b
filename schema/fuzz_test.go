package schema_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/schema"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// FuzzReadSQL feeds arbitrary text to the schema-file reader: it must never
// panic, and every error it reports must point inside the file.
func FuzzReadSQL(f *testing.F) {
	for _, seed := range []string{
		"CREATE TABLE t (id int);",
		"CREATE TABLE \"ü\" (a text DEFAULT 'x;y');\nCREATE VIEW v AS SELECT * FROM t;",
		"CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;",
		"INSERT INTO t VALUES (1);",
		"CREATE TABLE (",
		"-- schemadiff:renamed-from x\nCREATE TABLE y ();",
		"\xef\xbb\xbfCREATE TABLE a ();\r\nCOMMENT ON TABLE a IS 'b';",
	} {
		f.Add(seed)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, src string) {
		path := filepath.Join(dir, "fuzz.sql")
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		stmts, err := schema.ReadSQL(path)
		var se *schema.SourceError
		if errors.As(err, &se) {
			lines := strings.Count(src, "\n") + 1
			if se.Line < 1 || se.Line > lines || se.Col < 1 {
				t.Fatalf("error position %d:%d outside the file (%d lines): %v", se.Line, se.Col, lines, err)
			}
			return
		}
		if err != nil {
			return
		}
		for _, s := range stmts {
			if !strings.Contains(src, s.SQL) {
				t.Fatalf("statement text %q is not part of the file", s.SQL)
			}
		}
		schema.OrderStatements(stmts)
		if _, err := schema.ReadRenames(path); err != nil {
			var se *schema.SourceError
			if errors.As(err, &se) && (se.Line < 1 || se.Line > strings.Count(src, "\n")+1) {
				t.Fatalf("rename error position outside the file: %v", err)
			}
		}
	})
}

// FuzzQuoting round-trips identifiers and literals through the server: a
// quoted identifier names exactly the object it was made from, and a quoted
// literal reads back as the same string, whatever the input holds (quotes,
// backslashes, semicolons, $$, unicode).
func FuzzQuoting(f *testing.F) {
	for _, seed := range []string{"plain", "Mixed Case", `quo"te`, `back\slash`, "semi;colon", "$$dollar$$",
		"select", "ünïcödé", "it's", "--comment", "a\nb", ""} {
		f.Add(seed)
	}
	url := pgtest.NewDB(f)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { conn.Close(ctx) })
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			t.Skip("PostgreSQL text cannot hold invalid UTF-8 or NUL")
		}
		var got string
		if err := conn.QueryRow(ctx, "SELECT "+schema.Literal(s), pgx.QueryExecModeSimpleProtocol).Scan(&got); err != nil {
			t.Fatalf("literal %s: %v", schema.Literal(s), err)
		}
		if got != s {
			t.Fatalf("literal round trip: %q became %q", s, got)
		}
		if s == "" {
			return // zero-length identifiers do not exist
		}
		name := s
		for len(name) > 63 { // PostgreSQL truncates identifiers to 63 bytes
			_, size := utf8.DecodeLastRuneInString(name)
			name = name[:len(name)-size]
		}
		// A column, not a table: a table also creates types whose derived
		// names can collide for some inputs, which is not about quoting.
		sql := "CREATE TEMP TABLE fuzz_quoting (" + schema.Ident(s) + " int)"
		if _, err := conn.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		defer conn.Exec(ctx, "DROP TABLE fuzz_quoting") //nolint:errcheck
		var col string
		if err := conn.QueryRow(ctx, `SELECT a.attname FROM pg_attribute a
			WHERE a.attrelid = 'fuzz_quoting'::regclass AND a.attnum = 1`).Scan(&col); err != nil {
			t.Fatal(err)
		}
		if col != name {
			t.Fatalf("identifier %s names column %q, want %q", schema.Ident(s), col, name)
		}
	})
}
