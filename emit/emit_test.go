package emit

import (
	"bytes"
	"encoding/json"
	"flag"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func tableID(s, name string) schema.ID {
	return schema.ID{Kind: schema.KindTable, Schema: s, Name: name}
}

func stmt(sql string, hazards ...diff.Hazard) diff.Statement {
	return diff.Statement{SQL: sql, Hazards: hazards}
}

func plan(changes ...diff.Change) Plan { return Plan{Changes: changes} }

// testFiles are the migrations the golden and compile tests render. Their
// versions chain through Parent.
func testFiles() map[string]MigrationFile {
	users := tableID("public", "users")
	nickname := schema.ID{Kind: schema.KindColumn, Schema: "public", Table: "users", Name: "nickname"}
	orders := tableID("public", "orders")
	drop := diff.Hazard{Kind: diff.HazardDeletesData, Message: "drops column users.nickname and its data"}

	idx := schema.ID{Kind: schema.KindIndex, Schema: "public", Name: "orders_user_idx"}
	concurrently := diff.Statement{
		SQL:         "CREATE INDEX CONCURRENTLY orders_user_idx ON public.orders USING btree (user_id)",
		Transaction: diff.OutsideTransaction,
		BuildsIndex: &schema.QName{Schema: "public", Name: "orders_user_idx"},
		Hazards: []diff.Hazard{
			{Kind: diff.HazardMayFail, Message: "fails if run inside a transaction\nand leaves an INVALID index on error"},
			{Kind: diff.HazardLongLock, Message: "scans public.orders"},
		},
	}

	cafe := tableID("public", "café")
	fn := schema.ID{Kind: schema.KindFunction, Schema: "public", Name: "greet", Args: "text"}
	body := "CREATE FUNCTION public.greet(name text) RETURNS text\n" +
		"    LANGUAGE plpgsql\n" +
		"    AS $$\n" +
		"BEGIN\n" +
		"  -- say hello, \"quoted\" and 'single' and \\backslash\n" +
		"  RETURN 'héllo ' || name || ' 👋';\n" +
		"END\n" +
		"$$"

	status := schema.ID{Kind: schema.KindEnum, Schema: "public", Name: "status"}
	value := func(v string) schema.ID {
		return schema.ID{Kind: schema.KindEnumValue, Schema: "public", Table: "status", Name: v}
	}
	addValue := func(v, clause string) diff.Change {
		return diff.Change{Op: diff.OpCreate, Object: value(v), Statements: []diff.Statement{{
			SQL: "ALTER TYPE public.status ADD VALUE IF NOT EXISTS " + clause, Transaction: diff.CommitFirst}}}
	}
	ordersStatus := schema.ID{Kind: schema.KindColumn, Schema: "public", Table: "orders", Name: "status"}

	return map[string]MigrationFile{
		"commitfirst": {
			Package: "migrations", Version: "20261126000000", Name: "orders_status_shipped",
			Parent: "20261125000000", Source: "schema/",
			Up: plan(
				addValue("shipped", "'shipped' AFTER 'paid'"),
				addValue("returned", "'returned' AFTER 'shipped'"),
				diff.Change{Op: diff.OpAlter, Object: ordersStatus, Statements: []diff.Statement{
					stmt("ALTER TABLE public.orders ALTER COLUMN status SET DEFAULT 'shipped'::public.status")}},
			),
			Down: plan(
				diff.Change{Op: diff.OpAlter, Object: ordersStatus, Statements: []diff.Statement{
					stmt("ALTER TABLE public.orders ALTER COLUMN status DROP DEFAULT")}},
				diff.Change{Op: diff.OpAlter, Object: status, Statements: []diff.Statement{
					stmt("ALTER TYPE public.status RENAME TO status__old"),
					stmt("CREATE TYPE public.status AS ENUM ('new', 'paid')"),
					stmt("DROP TYPE public.status__old")}},
			),
		},
		"hazards": {
			Package: "migrations", Version: "20261122093000", Name: "add_orders",
			Parent: "20261121080000", Source: "schema/",
			Up: plan(
				diff.Change{Op: diff.OpCreate, Object: orders, Statements: []diff.Statement{
					stmt("CREATE TABLE public.orders (id bigint NOT NULL)")}},
				diff.Change{Op: diff.OpDrop, Object: nickname, Requires: []schema.ID{users}, Statements: []diff.Statement{
					stmt("ALTER TABLE public.users DROP COLUMN nickname", drop)}},
			),
			Down: plan(
				diff.Change{Op: diff.OpCreate, Object: nickname, Statements: []diff.Statement{
					stmt("ALTER TABLE public.users ADD COLUMN nickname text")}},
				diff.Change{Op: diff.OpDrop, Object: orders, Statements: []diff.Statement{
					stmt("DROP TABLE public.orders",
						diff.Hazard{Kind: diff.HazardDeletesData, Message: "drops table public.orders and its data"})}},
			),
		},
		"nontx": {
			Package: "migrations", Version: "20261123000000", Name: "index_orders_user",
			Parent: "20261122093000", Source: "schema/", Generator: "v0.9.0",
			Up: plan(diff.Change{Op: diff.OpCreate, Object: idx, Statements: []diff.Statement{concurrently}}),
			Down: plan(diff.Change{Op: diff.OpDrop, Object: idx, Statements: []diff.Statement{
				{SQL: "DROP INDEX CONCURRENTLY public.orders_user_idx", Transaction: diff.OutsideTransaction}}}),
		},
		"quoting": {
			Package: "migrations", Version: "20261124101500", Name: "cafe_and_greet",
			Parent: "20261123000000", Source: "db/schema.sql\nand more",
			Up: plan(
				diff.Change{Op: diff.OpCreate, Object: cafe, Statements: []diff.Statement{
					stmt("CREATE TABLE public.\"café\" (\"naïve\" text, \"日本\" integer)"),
					stmt("COMMENT ON TABLE public.\"café\" IS 'uses `backquotes`'"),
					stmt("COMMENT ON COLUMN public.\"café\".\"日本\" IS 'line one\r\nline two'"),
				}},
				diff.Change{Op: diff.OpCreate, Object: fn, Statements: []diff.Statement{stmt(body)}},
			),
		},
		"empty": {
			Package: "schema_migrations", Version: "20261125000000", Name: "migration",
			Parent: "20261124101500",
		},
	}
}

// The spec's example, verbatim: this guards the goldens against -update.
const wantHazardsGo = "// Code generated by schemadiff from schema/. Review it, edit it if needed, and commit it.\n" + `
package migrations

import "github.com/schemadiff/schemadiff/migrate"

func init() {
	Migrations.Add(migrate.Migration{
		Version: "20261122093000",
		Name:    "add_orders",
		Parent:  "20261121080000",
		Up: []migrate.Step{
			migrate.SQL(` + "`CREATE TABLE public.orders (id bigint NOT NULL)`" + `),
			// HAZARD deletes-data: drops column users.nickname and its data
			migrate.SQL(` + "`ALTER TABLE public.users DROP COLUMN nickname`" + `),
		},
		Down: []migrate.Step{
			migrate.SQL(` + "`ALTER TABLE public.users ADD COLUMN nickname text`" + `),
			// HAZARD deletes-data: drops table public.orders and its data
			migrate.SQL(` + "`DROP TABLE public.orders`" + `),
		},
	})
}
`

const wantPackageFile = `// Package migrations holds this project's schema migrations.
package migrations

import "github.com/schemadiff/schemadiff/migrate"

// Migrations is the set of this package's migrations, applied in version order.
var Migrations = migrate.NewSet()
`

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// checkGo verifies that src is gofmt-stable and parses.
func checkGo(t *testing.T, name string, src []byte) {
	t.Helper()
	formatted, err := format.Source(src)
	if err != nil {
		t.Fatalf("%s: format.Source: %v", name, err)
	}
	if !bytes.Equal(formatted, src) {
		t.Errorf("%s is not gofmt-stable:\n%s", name, formatted)
	}
	if _, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ParseComments); err != nil {
		t.Errorf("%s does not parse: %v", name, err)
	}
}

func TestGoMigration(t *testing.T) {
	for name, f := range testFiles() {
		t.Run(name, func(t *testing.T) {
			got, err := GoMigration(f)
			if err != nil {
				t.Fatal(err)
			}
			checkGo(t, f.FileName(), got)
			golden(t, name+".go", got)
			if name == "hazards" && string(got) != wantHazardsGo {
				t.Errorf("got\n%s\nwant\n%s", got, wantHazardsGo)
			}
		})
	}
}

func TestGoMigrationLiterals(t *testing.T) {
	got, err := GoMigration(testFiles()["quoting"])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"// Code generated by schemadiff from db/schema.sql and more. Review it",
		"migrate.SQL(`CREATE TABLE public.\"café\" (\"naïve\" text, \"日本\" integer)`)",
		`migrate.SQL("COMMENT ON TABLE public.\"café\" IS 'uses ` + "`backquotes`" + `'")`,
		`migrate.SQL("COMMENT ON COLUMN public.\"café\".\"日本\" IS 'line one\r\nline two'")`,
		"    AS $$\nBEGIN\n",
		"\t\t},\n\t\tDown: []migrate.Step{}, // no changes\n\t})\n",
	} {
		if !strings.Contains(string(got), want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}

	nontx, err := GoMigration(testFiles()["nontx"])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"// HAZARD may-fail: fails if run inside a transaction and leaves an INVALID index on error\n" +
			"\t\t\t// HAZARD long-lock: scans public.orders\n" +
			"\t\t\tmigrate.SQLCreateIndexConcurrently(\"public\", \"orders_user_idx\", `CREATE INDEX CONCURRENTLY",
		`Parent:  "20261122093000",`,
	} {
		if !strings.Contains(string(nontx), want) {
			t.Errorf("output lacks %q:\n%s", want, nontx)
		}
	}
}

func TestGoLiteralEdgeCases(t *testing.T) {
	for _, s := range []string{"a\x00b", "bom\uFEFF", "bad \xff utf8", "tick`", "cr\r", "del\x7f", "bell\a"} {
		if lit := goString(s); !strings.HasPrefix(lit, `"`) {
			t.Errorf("goString(%q) = %s, want a quoted literal", s, lit)
		}
	}
	for _, s := range []string{"", "plain", "multi\nline\twith tab", `back\slash "q"`} {
		if lit := goString(s); lit != "`"+s+"`" {
			t.Errorf("goString(%q) = %s, want a raw literal", s, lit)
		}
	}
}

func TestGoPackageFile(t *testing.T) {
	got, err := GoPackageFile("migrations")
	if err != nil {
		t.Fatal(err)
	}
	checkGo(t, "migrations.go", got)
	golden(t, "package.go", got)
	if string(got) != wantPackageFile {
		t.Errorf("got\n%s\nwant\n%s", got, wantPackageFile)
	}
}

func TestBadPackageName(t *testing.T) {
	for _, pkg := range []string{"", "my-migrations", "func", "_", "1st"} {
		if _, err := GoPackageFile(pkg); err == nil {
			t.Errorf("GoPackageFile(%q) succeeded", pkg)
		}
		if _, err := GoMigration(MigrationFile{Package: pkg, Version: "1", Name: "x"}); err == nil {
			t.Errorf("GoMigration with package %q succeeded", pkg)
		}
	}
}

func TestFileName(t *testing.T) {
	f := MigrationFile{Version: "20261122093000", Name: "add_orders"}
	if got := f.FileName(); got != "20261122093000_add_orders.go" {
		t.Errorf("FileName() = %q", got)
	}
}

func TestSQLAndJSON(t *testing.T) {
	for name, f := range testFiles() {
		for dir, p := range map[string]Plan{"up": f.Up, "down": f.Down} {
			t.Run(name+"_"+dir, func(t *testing.T) {
				var sql, js bytes.Buffer
				if err := SQL(&sql, p); err != nil {
					t.Fatal(err)
				}
				if err := JSON(&js, p); err != nil {
					t.Fatal(err)
				}
				if !json.Valid(js.Bytes()) {
					t.Errorf("invalid JSON:\n%s", js.Bytes())
				}
				if len(p.Changes) == 0 {
					if sql.Len() != 0 {
						t.Errorf("empty plan wrote %q", sql.String())
					}
					if js.String() != "{\n  \"changes\": []\n}\n" {
						t.Errorf("empty plan JSON = %q", js.String())
					}
					return
				}
				golden(t, name+"_"+dir+".sql", sql.Bytes())
				golden(t, name+"_"+dir+".json", js.Bytes())
			})
		}
	}
}

func TestSQLFormat(t *testing.T) {
	var b bytes.Buffer
	if err := SQL(&b, testFiles()["nontx"].Up); err != nil {
		t.Fatal(err)
	}
	want := "-- HAZARD may-fail: fails if run inside a transaction and leaves an INVALID index on error\n" +
		"-- HAZARD long-lock: scans public.orders\n" +
		"-- runs outside a transaction\n" +
		"CREATE INDEX CONCURRENTLY orders_user_idx ON public.orders USING btree (user_id);\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	// A change without statements writes nothing either.
	b.Reset()
	if err := SQL(&b, plan(diff.Change{Op: diff.OpAlter, Object: tableID("public", "t")})); err != nil || b.Len() != 0 {
		t.Errorf("statement-less plan wrote %q, %v", b.String(), err)
	}
}

func TestSanitizeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"add_orders", "add_orders"},
		{"Add orders", "add_orders"},
		{"AddOrders", "add_orders"},
		{"HTTPServerLogs", "http_server_logs"},
		{"  --Drop   the__old-column!! ", "drop_the_old_column"},
		{"Café naïve", "cafe_naive"},
		{"日本", "migration"},
		{"", "migration"},
		{"___", "migration"},
		{"v2 users", "v2_users"},
		{"add test", "add_test_migration"},
		{"drop windows", "drop_windows_migration"},
		{"linux amd64", "linux_amd64_migration"},
		{"testing", "testing"},
		{strings.Repeat("abc ", 30), "abc_abc_abc_abc_abc_abc_abc_abc_abc_abc_abc_abc_abc_abc_abc"},
		{strings.Repeat("a", 54) + " test", strings.Repeat("a", 50) + "_migration"},
	}
	for _, tt := range tests {
		got := SanitizeName(tt.in)
		if got != tt.want {
			t.Errorf("SanitizeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if len(got) > 60 || strings.Trim(got, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
			t.Errorf("SanitizeName(%q) = %q: not [a-z0-9_]{1,60}", tt.in, got)
		}
		if SanitizeName(got) != got {
			t.Errorf("SanitizeName is not idempotent on %q", got)
		}
	}
}

func TestStatementsCommitFirst(t *testing.T) {
	add := diff.Statement{SQL: "ALTER TYPE public.s ADD VALUE IF NOT EXISTS 'b' AFTER 'a'", Transaction: diff.CommitFirst}
	rename := stmt("ALTER TYPE public.old RENAME TO s")
	use := stmt("ALTER TABLE public.t ALTER COLUMN c SET DEFAULT 'b'::public.s")
	modes := func(p Plan) []diff.Transaction {
		var out []diff.Transaction
		for _, s := range p.Statements() {
			out = append(out, s.Transaction)
		}
		return out
	}
	change := func(ss ...diff.Statement) diff.Change {
		return diff.Change{Op: diff.OpAlter, Object: tableID("public", "t"), Statements: ss}
	}
	// First in the plan: kept.
	if got, want := modes(plan(change(add), change(use))), []diff.Transaction{diff.CommitFirst, diff.InTransaction}; !slices.Equal(got, want) {
		t.Errorf("leading commit-first: got %v, want %v", got, want)
	}
	// After another statement: the plan runs statement by statement.
	if got, want := modes(plan(change(rename), change(add), change(use))), []diff.Transaction{diff.InTransaction, diff.OutsideTransaction, diff.InTransaction}; !slices.Equal(got, want) {
		t.Errorf("commit-first after a rename: got %v, want %v", got, want)
	}
	var b bytes.Buffer
	if err := SQL(&b, plan(change(rename), change(add), change(use))); err != nil {
		t.Fatal(err)
	}
	if want := "ALTER TYPE public.old RENAME TO s;\n-- runs outside a transaction\nALTER TYPE public.s ADD VALUE"; !strings.HasPrefix(b.String(), want) {
		t.Errorf("got\n%s\nwant it to start with\n%s", b.String(), want)
	}
	// With a statement outside any transaction, the rest does not run in
	// one transaction.
	b.Reset()
	outside := diff.Statement{SQL: "CREATE INDEX CONCURRENTLY i ON public.t (c)", Transaction: diff.OutsideTransaction}
	if err := SQL(&b, plan(change(add), change(use), change(outside))); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), restComment) || !strings.Contains(b.String(), commitFirstComment) {
		t.Errorf("got\n%s", b.String())
	}
}
