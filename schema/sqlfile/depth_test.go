package sqlfile

import (
	"errors"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/internal/pgparse"
)

// deepSum is a 30,000-term 1+1+...+1, which crashes pg_query unguarded.
var deepSum = "1" + strings.Repeat("+1", 29999)

// TestReadSQLTooDeep: an expression too deep to parse safely, in a
// statement or in a function body, is a *SourceError at its line naming
// the statement, not a crash, and the message does not quote it.
func TestReadSQLTooDeep(t *testing.T) {
	tests := []struct {
		name, sql, want string
	}{
		{"column default", "CREATE TABLE a (id int);\n\nCREATE TABLE t (\n  x int DEFAULT " + deepSum + "\n);\n", ":4:"},
		{"nested parentheses", "CREATE VIEW v AS SELECT " + strings.Repeat("(", 9000) + "1" + strings.Repeat(")", 9000) + ";\n", ":1:"},
		{"SQL body", "CREATE TABLE a (id int);\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT " + deepSum + "';\n", ":2:1: function public.f"},
		{"PL/pgSQL body", "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN " + deepSum + "; END $$;\n", ":1:1: function public.f"},
		{"nested PL/pgSQL blocks", "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$" + strings.Repeat("BEGIN ", 3000) + "RETURN 1;" + strings.Repeat(" END;", 3000) + "$$;\n", ":1:1: function public.f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, p, err := readOne(t, tt.sql)
			var se *SourceError
			var deep *pgparse.DepthError
			if !errors.As(err, &se) || !errors.As(err, &deep) {
				t.Fatalf("got %v, want a *SourceError wrapping a *pgparse.DepthError", err)
			}
			if got := err.Error(); !strings.HasPrefix(got, p+tt.want) || !strings.Contains(got, "nested too deeply") || len(got) > len(p)+300 {
				t.Errorf("error:\n got %.400s\nwant %s%s... nested too deeply", got, p, tt.want)
			}
		})
	}
	_, _, err := readOne(t, "CREATE TABLE a (id int);\nCREATE TABLE t (x int DEFAULT "+deepSum+");\n")
	if !strings.Contains(err.Error(), "in CREATE TABLE t") {
		t.Errorf("the error does not name the statement: %.300s", err)
	}
}
