package sqlfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemadiff/schemadiff/schema"
)

const hintFixtures = "testdata/hints"

// hint builds an expected Rename; file is relative to hintFixtures.
func hint(kind schema.Kind, schemaName, table, name, from, file string, line int) schema.Rename {
	return schema.Rename{Kind: kind, Schema: schemaName, Table: table, Name: name, From: from,
		File: filepath.Join(hintFixtures, filepath.FromSlash(file)), Line: line}
}

func TestReadRenames(t *testing.T) {
	tests := []struct {
		name string
		path string
		want []schema.Rename
	}{
		{"every kind", "kinds.sql", []schema.Rename{
			hint(schema.KindTable, "public", "", "clients", "customers", "kinds.sql", 3),
			hint(schema.KindColumn, "public", "clients", "email_address", "email", "kinds.sql", 6),
			hint(schema.KindConstraint, "public", "clients", "positive_total", "orders_total_check", "kinds.sql", 9),
			hint(schema.KindIndex, "public", "", "clients_email_idx", "customers_email_idx", "kinds.sql", 12),
			hint(schema.KindEnumValue, "public", "status", "finished", "done", "kinds.sql", 16),
			hint(schema.KindSequence, "public", "", "new_seq", "Old Name", "kinds.sql", 19),
			hint(schema.KindSchema, "", "", "app", "old_app", "kinds.sql", 22),
			hint(schema.KindEnum, "app", "", "feeling", "mood", "kinds.sql", 25),
			hint(schema.KindView, "app", "", "names", "client_names", "kinds.sql", 28),
			hint(schema.KindMaterializedView, "app", "", "sums", "totals", "kinds.sql", 31),
			hint(schema.KindColumn, "app", "items", "name", "label", "kinds.sql", 35),
			hint(schema.KindConstraint, "app", "items", "qty_ok", "qty_positive", "kinds.sql", 38),
			hint(schema.KindTable, "app", "", "items_copy", "legacy_items", "kinds.sql", 42),
			hint(schema.KindConstraint, "app", "items", "items_pkey", "items_pkey_old", "kinds.sql", 46),
			hint(schema.KindColumn, "app", "items", "remark", "note", "kinds.sql", 51),
			hint(schema.KindColumn, "app", "items", "mass", "weight", "kinds.sql", 54),
			hint(schema.KindConstraint, "app", "items", "mass_positive", "mass_check", "kinds.sql", 56),
			hint(schema.KindEnumValue, "public", "enum", "it is", "it's", "kinds.sql", 61),
			hint(schema.KindEnumValue, "public", "enum", "plain", "Bare", "kinds.sql", 63),
			hint(schema.KindTable, "billing", "", "invoices", "bills", "kinds.sql", 68),
			hint(schema.KindColumn, "billing", "invoices", "total", "amount", "kinds.sql", 70),
			hint(schema.KindIndex, "billing", "", "invoices_total_idx", "bills_total_idx", "kinds.sql", 73),
		}},
		{"quoted and unicode names after multibyte text", "unicode.sql", []schema.Rename{
			hint(schema.KindTable, "public", "", "maße", "Größe", "unicode.sql", 5),
			hint(schema.KindColumn, "public", "maße", "Breite neu", `Breite "alt"`, "unicode.sql", 7),
			hint(schema.KindColumn, "public", "maße", "höhe_cm", "höhe", "unicode.sql", 9),
			hint(schema.KindEnumValue, "public", "farbe", "grün ✓", "grün", "unicode.sql", 14),
			hint(schema.KindSequence, "public", "", "Neue Folge", "alte_folge", "unicode.sql", 17),
		}},
		{"CRLF line endings", "crlf.sql", []schema.Rename{
			hint(schema.KindTable, "public", "", "clients", "customers", "crlf.sql", 2),
			hint(schema.KindColumn, "public", "clients", "email_address", "email", "crlf.sql", 4),
			hint(schema.KindEnumValue, "public", "status", "finished", "done", "crlf.sql", 8),
		}},
		{"blank lines and comments before the statement", "blank_line.sql", []schema.Rename{
			hint(schema.KindTable, "public", "", "clients", "customers", "blank_line.sql", 1),
		}},
		{"directory", "tree", []schema.Rename{
			hint(schema.KindTable, "public", "", "t1", "t1_old", "tree/a.sql", 1),
			hint(schema.KindColumn, "public", "t2", "id", "old_id", "tree/sub/b.sql", 2),
		}},
		{"no directives", "none.sql", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadRenames(filepath.Join(hintFixtures, tt.path))
			if err != nil {
				t.Fatalf("ReadRenames: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("renames (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadRenamesFixtureBytes guards the fixtures whose point is their
// bytes against editors and line-ending conversion.
func TestReadRenamesFixtureBytes(t *testing.T) {
	crlf, err := os.ReadFile(filepath.Join(hintFixtures, "crlf.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(crlf), "\r\n") != strings.Count(string(crlf), "\n") {
		t.Error("crlf.sql must have CRLF line endings only")
	}
	uni, err := os.ReadFile(filepath.Join(hintFixtures, "unicode.sql"))
	if err != nil {
		t.Fatal(err)
	}
	before, _, _ := strings.Cut(string(uni), "schemadiff:")
	if len(before) == len([]rune(before)) {
		t.Error("unicode.sql must have multibyte text before its first directive")
	}
}

func TestReadRenamesErrors(t *testing.T) {
	tests := []struct {
		file string
		pos  string // line:col
		msg  string // part of the message
	}{
		{"before_grant.sql", "2:1", `must directly precede CREATE TABLE, CREATE INDEX, CREATE TYPE ... AS ENUM, CREATE SEQUENCE, CREATE VIEW, CREATE MATERIALIZED VIEW, CREATE SCHEMA, a column or named constraint of CREATE TABLE or ALTER TABLE ... ADD, or an enum label, but it precedes "GRANT SELECT ON clients TO PUBLIC;" (line 3)`},
		{"end_of_file.sql", "3:1", "at the end of the file"},
		{"only_directive.sql", "1:1", "at the end of the file"},
		{"missing_name.sql", "1:1", "schemadiff:renamed-from needs the old name"},
		{"two_names.sql", "3:5", "takes one old name, found more: email mail"},
		{"unknown_directive.sql", "1:1", "unknown directive schemadiff:renamed_from"},
		{"same_line.sql", "2:13", "must be on a line of its own"},
		{"block_comment.sql", "1:1", "written as -- comments"},
		{"unnamed_constraint.sql", "3:5", "the constraint has no name"},
		{"unnamed_index.sql", "2:1", "the index has no name"},
		{"not_renameable.sql", "1:1", `it precedes "CREATE TYPE pair AS (a int, b int);"`},
		{"twice.sql", "2:1", "second renamed-from directive for table public.clients (the first is at line 1)"},
		{"self.sql", "1:1", "table public.clients is renamed from its own name"},
		{"qualified.sql", "1:1", "the old name old.customers_seq is qualified: give only the old name (only a table may move to another schema)"},
		{"single_quoted.sql", "1:1", "the old name 'customers' is an identifier"},
		{"unterminated.sql", "1:1", `unterminated quoted name "customers`},
		{"in_expression.sql", "3:9", `but it precedes "total > 0"`},
		{"partition_column.sql", "3:5", "the columns of a partition are renamed on the partitioned table"},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.file, ".sql"), func(t *testing.T) {
			p := filepath.Join(hintFixtures, "errors", tt.file)
			got, err := ReadRenames(p)
			if err == nil {
				t.Fatalf("ReadRenames: got %v, want an error", got)
			}
			var se *SourceError
			if !errors.As(err, &se) {
				t.Errorf("got %T, want a *SourceError", err)
			}
			if prefix := p + ":" + tt.pos + ": "; !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error:\n got %s\nwant %s...%s...", err, prefix, tt.msg)
			}
		})
	}
}

// TestReadRenamesTableMove checks that a table's old name may name its old
// schema, and that naming the same schema is no move.
func TestReadRenamesTableMove(t *testing.T) {
	p := filepath.Join(t.TempDir(), "move.sql")
	src := "CREATE SCHEMA finance;\n-- schemadiff:renamed-from Legacy.Customers\nCREATE TABLE finance.clients (id int);\n" +
		"-- schemadiff:renamed-from public.orders_old\nCREATE TABLE orders (id int);\n" +
		"-- schemadiff:renamed-from a.b.c\nCREATE TABLE c (id int);\n"
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := ReadRenames(p)
	if want := p + ":6:1: the old name a.b.c is not a plain schema.name"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("error %v, want %s...", err, want)
	}
	src = src[:strings.LastIndex(src, "-- schemadiff")]
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := ReadRenames(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []schema.Rename{
		{Kind: schema.KindTable, Schema: "finance", Name: "clients", From: "customers", FromSchema: "legacy", File: p, Line: 2},
		{Kind: schema.KindTable, Schema: "public", Name: "orders", From: "orders_old", File: p, Line: 4},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("ReadRenames (-want +got):\n%s", d)
	}
}

func TestReadRenamesConflict(t *testing.T) {
	dir := filepath.Join(hintFixtures, "conflict")
	_, err := ReadRenames(dir)
	want := filepath.Join(dir, "b.sql") + ":2: table public.clients and table public.buyers are both renamed from customers (the other directive is at " +
		filepath.Join(dir, "a.sql") + ":1)"
	if err == nil || err.Error() != want {
		t.Errorf("error:\n got %v\nwant %s", err, want)
	}
}

func TestReadRenamesFileErrors(t *testing.T) {
	if _, err := ReadRenames(filepath.Join(hintFixtures, "missing.sql")); err == nil {
		t.Error("missing path: got no error")
	}
	// A byte order mark does not shift positions, and prose mentioning
	// schemadiff: is not a directive.
	dir := writeSQL(t, map[string]string{"s.sql": "\ufeff-- schemadiff: managed file\n/* schemadiff: do not edit */\n" +
		"-- schemadiff:renamed-from a\nCREATE TABLE b (id int);\n"})
	got, err := ReadRenames(dir)
	want := []schema.Rename{{Kind: schema.KindTable, Schema: "public", Name: "b", From: "a", File: filepath.Join(dir, "s.sql"), Line: 3}}
	if diff := cmp.Diff(want, got); err != nil || diff != "" {
		t.Errorf("ReadRenames: error %v, renames (-want +got):\n%s", err, diff)
	}
	// A file Read rejects is rejected the same way.
	dir = writeSQL(t, map[string]string{"s.sql": "-- schemadiff:renamed-from a\nCREATE TABLE b (id int;\n"})
	_, err = ReadRenames(dir)
	var se *SourceError
	if !errors.As(err, &se) || se.Line != 2 {
		t.Errorf("syntax error: got %v, want a *SourceError on line 2", err)
	}
}

func TestSqldefRenameAnnotation(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.sql")
	src := "CREATE TABLE users ( -- @renamed from=people\n  id int,\n  user_name text NOT NULL UNIQUE, -- @renamed from=\"UserName\"\n  age int\n);\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadRenames(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []schema.Rename{
		{Kind: schema.KindTable, Schema: "public", Name: "users", From: "people", File: path, Line: 1},
		{Kind: schema.KindColumn, Schema: "public", Table: "users", Name: "user_name", From: "UserName", File: path, Line: 3},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("hint %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestMayHoldHints: the quick look for hints agrees with lower-casing the
// whole text.
func TestMayHoldHints(t *testing.T) {
	for _, src := range []string{
		"", ":", "@", "-- schemadiff:renamed-from a", "-- SchemaDiff:using x", "x::int", "-- @RENAMED from=a",
		"-- schemadİff:renamed-from a", "-- \u212a", "schemadiff", "@renamed", "@rename", "ſchemadiff:",
		strings.Repeat("é", 20) + "schemadiff:", "schemadiff :", "a@b",
	} {
		lower := strings.ToLower(src)
		want := strings.Contains(lower, "schemadiff:") || strings.Contains(lower, sqldefRenamed)
		if got := mayHoldHints(src); got != want {
			t.Errorf("mayHoldHints(%q) = %v, want %v", src, got, want)
		}
	}
}
