package source

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

func writeSchemaFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReadSourcesMerges: several sources, SQL and Go, files and
// directories, give one list of statements in the order given.
func TestReadSourcesMerges(t *testing.T) {
	dir := t.TempDir()
	a := writeSchemaFile(t, dir, "a.sql", "CREATE TABLE a (id int);\n")
	writeSchemaFile(t, dir, "more/b.sql", "CREATE VIEW b AS SELECT id FROM a;\n")
	writeSchemaFile(t, dir, "more/c.go", "package m\n\n// schemadiff:table\ntype C struct {\n\tID int `schemadiff:\"id\"`\n}\n")
	stmts, _, err := Read(a, filepath.Join(dir, "more"))
	if err != nil {
		t.Fatal(err)
	}
	var objects []string
	for _, s := range stmts {
		objects = append(objects, s.Object)
	}
	if got, want := strings.Join(objects, "; "), "table public.a; view public.b; table public.c"; got != want {
		t.Fatalf("objects %q, want %q", got, want)
	}
}

func TestReadSourcesDefinedTwice(t *testing.T) {
	for _, c := range []struct {
		name       string
		a, b       string // the two files' contents
		aName      string // a's file name (default a.sql)
		bName      string // b's file name (default b.sql)
		wantInErr  string // "" when no error is expected
		secondLine int
	}{
		{name: "table", a: "CREATE TABLE t (id int);\n", b: "\n\nCREATE TABLE t (id int, x int);\n",
			wantInErr: "table public.t is defined twice", secondLine: 3},
		{name: "table and view", a: "CREATE TABLE t (id int);\n", b: "CREATE VIEW t AS SELECT 1 AS id;\n",
			wantInErr: "view public.t is defined twice", secondLine: 1},
		{name: "qualified and not", a: "CREATE TABLE public.t (id int);\n", b: "CREATE TABLE IF NOT EXISTS t (id int);\n",
			wantInErr: "table public.t is defined twice", secondLine: 1},
		{name: "replaced view", a: "CREATE VIEW v AS SELECT 1 AS a;\n", b: "CREATE OR REPLACE VIEW v AS SELECT 2 AS a;\n",
			wantInErr: "view public.v is defined twice", secondLine: 1},
		{name: "type", a: "CREATE TYPE s AS ENUM ('a');\n", b: "CREATE TYPE s AS ENUM ('b');\n",
			wantInErr: "type public.s is defined twice", secondLine: 1},
		{name: "function same signature", a: "CREATE FUNCTION f(a integer) RETURNS int LANGUAGE sql AS 'SELECT 1';\n",
			b:         "CREATE OR REPLACE FUNCTION f(b int4, OUT r int) LANGUAGE sql AS 'SELECT 2';\n",
			wantInErr: "function public.f(int4) is defined twice", secondLine: 1},
		{name: "function overloads", a: "CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'SELECT 1';\n",
			b: "CREATE FUNCTION f(text) RETURNS int LANGUAGE sql AS 'SELECT 2';\n"},
		{name: "function and table of one name", a: "CREATE FUNCTION t() RETURNS int LANGUAGE sql AS 'SELECT 1';\n",
			b: "CREATE TABLE t (id int);\n"},
		{name: "index", a: "CREATE TABLE t (id int);\nCREATE INDEX i ON t (id);\n", b: "CREATE INDEX i ON t (id DESC);\n",
			wantInErr: "index public.i is defined twice", secondLine: 1},
		{name: "trigger", a: "CREATE TABLE t (id int);\nCREATE FUNCTION g() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';\nCREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION g();\n",
			b: "CREATE OR REPLACE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION g();\n", wantInErr: "trigger tr on public.t is defined twice", secondLine: 1},
		{name: "same trigger name on two tables", a: "CREATE TRIGGER tr BEFORE INSERT ON t1 FOR EACH ROW EXECUTE FUNCTION g();\n",
			b: "CREATE TRIGGER tr BEFORE INSERT ON t2 FOR EACH ROW EXECUTE FUNCTION g();\n"},
		{name: "schema if not exists", a: "CREATE SCHEMA IF NOT EXISTS app;\nCREATE TABLE app.a (id int);\n",
			b: "CREATE SCHEMA IF NOT EXISTS app;\nCREATE TABLE app.b (id int);\n"},
		{name: "schema", a: "CREATE SCHEMA app;\n", b: "CREATE SCHEMA app;\n", wantInErr: "schema app is defined twice", secondLine: 1},
		{name: "table inside create schema", a: "CREATE SCHEMA app CREATE TABLE t (id int);\n", b: "CREATE TABLE app.t (id int);\n",
			wantInErr: "table app.t is defined twice", secondLine: 1},
		{name: "dropped in between", a: "CREATE VIEW v AS SELECT 1 AS a;\n", b: "DROP VIEW v;\nCREATE VIEW v AS SELECT 2 AS a;\n"},
		{name: "function dropped by name", a: "CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'SELECT 1';\n",
			b: "DROP FUNCTION f;\nCREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'SELECT 2';\n"},
		{name: "Go struct and SQL table", a: "CREATE TABLE invoices (id int);\n", bName: "b.go",
			b:         "package m\n\n// schemadiff:table invoices\ntype Invoice struct {\n\tID int `schemadiff:\"id\"`\n}\n",
			wantInErr: "table public.invoices is defined twice", secondLine: 4},
		{name: "Go structs in two sources", aName: "a.go", bName: "b.go",
			a:         "package m\n\n// schemadiff:table invoices\ntype Invoice struct {\n\tID int `schemadiff:\"id\"`\n}\n",
			b:         "package m\n\n\n// schemadiff:table invoices\ntype Bill struct {\n\tID int `schemadiff:\"id\"`\n}\n",
			wantInErr: "table public.invoices is defined twice", secondLine: 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			aName := c.aName
			if aName == "" {
				aName = "a.sql"
			}
			a := writeSchemaFile(t, dir, "one/"+aName, c.a)
			bName := c.bName
			if bName == "" {
				bName = "b.sql"
			}
			b := writeSchemaFile(t, dir, "two/"+bName, c.b)
			_, _, err := Read(a, filepath.Dir(b))
			if c.wantInErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", c.wantInErr)
			}
			msg := err.Error()
			wantAt := b + ":" + strconv.Itoa(c.secondLine) + ":"
			if !strings.Contains(msg, c.wantInErr) || !strings.Contains(msg, wantAt) || !strings.Contains(msg, a+":") {
				t.Fatalf("error %q; want %q naming %s and %s", msg, c.wantInErr, wantAt, a)
			}
		})
	}
}

// Within one file, statements run as a script: a redefinition there is the
// database's to judge, as before.
func TestDefinedTwiceInOneFileIsAScript(t *testing.T) {
	dir := t.TempDir()
	f := writeSchemaFile(t, dir, "s.sql", "CREATE OR REPLACE VIEW v AS SELECT 1 AS a;\nCREATE OR REPLACE VIEW v AS SELECT 2 AS a;\n")
	if _, _, err := Read(f); err != nil {
		t.Fatal(err)
	}
}

func TestReadSourcesSameFileTwice(t *testing.T) {
	dir := t.TempDir()
	f := writeSchemaFile(t, dir, "s/a.sql", "CREATE TABLE a (id int);\n")
	_, _, err := Read(filepath.Join(dir, "s"), f)
	if err == nil || !strings.Contains(err.Error(), f+" is read twice") {
		t.Fatalf("error %v; want it to say %s is read twice", err, f)
	}
}

// The files of one directory follow the same rule as several sources.
func TestDefinedTwiceInOneDirectory(t *testing.T) {
	dir := t.TempDir()
	writeSchemaFile(t, dir, "a.sql", "CREATE TABLE t (id int);\n")
	writeSchemaFile(t, dir, "b.sql", "CREATE TABLE t (id int);\n")
	_, _, err := Read(dir)
	if err == nil || !strings.Contains(err.Error(), "b.sql:1:1: table public.t is defined twice: here and at "+filepath.Join(dir, "a.sql")+":1:1") {
		t.Fatalf("error %v", err)
	}
}

// Rename hints of every source are kept, and two hints from one old name
// are an error across sources as within one directory.
func TestReadSourcesRenameHints(t *testing.T) {
	dir := t.TempDir()
	a := writeSchemaFile(t, dir, "a.sql", "-- schemadiff:renamed-from customers\nCREATE TABLE clients (id int);\n")
	b := writeSchemaFile(t, dir, "b.sql", "-- schemadiff:renamed-from customers\nCREATE TABLE buyers (id int);\n")
	_, renames, err := Read(a)
	if err != nil || len(renames) != 1 {
		t.Fatalf("one source: renames %v, err %v", renames, err)
	}
	_, _, err = Read(a, b)
	if err == nil || !strings.Contains(err.Error(), "both renamed from customers") {
		t.Fatalf("hints from one old name in two sources: err %v", err)
	}
}

// writeTree writes files (by slash-separated path) below a new directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		writeSchemaFile(t, dir, filepath.FromSlash(name), content)
	}
	return dir
}

func TestReadPath(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"schema.sql": "CREATE SCHEMA billing;\n-- schemadiff:renamed-from old_v\nCREATE VIEW v AS SELECT id FROM billing.invoices;\n",
		"models/invoice.go": "package models\n\n// schemadiff:table billing.invoices\n// schemadiff:renamed-from bills\n" +
			"type Invoice struct{ ID int64 `schemadiff:\"id,pk\"` }\n",
	})
	stmts, renames, _, err := readPath(Options{NoCache: true}, dir)
	if err != nil {
		t.Fatal(err)
	}
	var objects []string
	for _, s := range stmts {
		objects = append(objects, s.Object)
	}
	if want := []string{"schema billing", "view public.v", "table billing.invoices"}; !slices.Equal(objects, want) {
		t.Errorf("objects %q, want %q", objects, want)
	}
	ordered := sqlfile.Order(stmts)
	if ordered[1].Object != "table billing.invoices" {
		t.Errorf("sqlfile.Order should put the table before the view: %v", ordered)
	}
	if len(renames) != 2 || renames[0].From != "old_v" || renames[1].From != "bills" {
		t.Errorf("renames %+v", renames)
	}

	// A .go file is read as Go only, an .sql file as SQL only.
	if s, _, _, err := readPath(Options{NoCache: true}, filepath.Join(dir, "models", "invoice.go")); err != nil || len(s) != 1 || s[0].Object != "table billing.invoices" {
		t.Errorf("readPath(invoice.go) = %v, %v", s, err)
	}
	if s, r, _, err := readPath(Options{NoCache: true}, filepath.Join(dir, "schema.sql")); err != nil || len(s) != 2 || len(r) != 1 {
		t.Errorf("readPath(schema.sql) = %v, %v, %v", s, r, err)
	}

	// Two rename hints from the same old name conflict across both kinds.
	conflict := writeTree(t, map[string]string{
		"a.sql": "-- schemadiff:renamed-from old\nCREATE TABLE a ();\n",
		"b.go":  "package m\n\n// schemadiff:table b\n// schemadiff:renamed-from old\ntype B struct{}\n",
	})
	_, _, _, err = readPath(Options{NoCache: true}, conflict)
	if err == nil || !strings.Contains(err.Error(), "are both renamed from old") {
		t.Errorf("conflict: got %v", err)
	}
}
