package schema_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/schema"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

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
