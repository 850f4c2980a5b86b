package sqlfile_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
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
		stmts, err := sqlfile.Read(path)
		var se *sqlfile.SourceError
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
		sqlfile.Order(stmts)
		if _, err := sqlfile.ReadRenames(path); err != nil {
			var se *sqlfile.SourceError
			if errors.As(err, &se) && (se.Line < 1 || se.Line > strings.Count(src, "\n")+1) {
				t.Fatalf("rename error position outside the file: %v", err)
			}
		}
	})
}
