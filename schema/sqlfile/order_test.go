package sqlfile

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// labels renders statements as "kind object" for comparisons.
func labels(stmts []Statement) []string {
	out := make([]string, len(stmts))
	for i, s := range stmts {
		out[i] = fmt.Sprintf("%v %s", s.Kind, s.Object)
	}
	return out
}

func diffLabels(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("order:\n got\t%s\nwant\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

func TestOrderStatementsFixture(t *testing.T) {
	stmts, err := Read(filepath.Join(fixtures, "ordered"))
	if err != nil {
		t.Fatal(err)
	}
	diffLabels(t, labels(Order(stmts)), []string{
		"create schema app",                         // 99_schema.sql: everything is in app
		"create table app.users",                    // 10_tables/users.sql
		"create view public.active_users",           // 00_views.sql, written before its table
		"comment table app.users",                   // 00_views.sql
		"create index users_email_idx",              // 00_views.sql
		"create type app.order_status",              // 20_types.sql, used by app.orders
		"create function app.make_code",             // 30_functions.sql, used by a default
		"create table app.orders",                   // 10_tables/orders.sql, FK to a later file
		"create table app.audit_log",                // 30_functions.sql, used by app.audit's body
		"create function app.audit",                 // 30_functions.sql, used by the trigger
		"create trigger orders_audit on app.orders", // 10_tables/orders.sql
		"grant table app.orders",                    // 40_extra/nested/grants.sql
	})
}

func TestOrderStatements(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name:  "statistics before their table",
			files: map[string]string{"a.sql": "CREATE STATISTICS s ON a, b FROM t;\nCREATE TABLE t (a int, b int);"},
			want:  []string{"create table public.t", "create statistics public.s"},
		},
		{
			name:  "view before its table",
			files: map[string]string{"a.sql": "CREATE VIEW v AS SELECT id FROM t;\nCREATE TABLE t (id int);"},
			want:  []string{"create table public.t", "create view public.v"},
		},
		{
			name: "foreign key to a table in a later file",
			files: map[string]string{
				"a.sql": "CREATE TABLE orders (customer_id int REFERENCES customers);",
				"b.sql": "CREATE TABLE customers (id int PRIMARY KEY);",
			},
			want: []string{"create table public.customers", "create table public.orders"},
		},
		{
			name: "foreign key waits for the primary key added by ALTER",
			files: map[string]string{
				"a.sql": "CREATE TABLE b (a_id int REFERENCES a (id));",
				"b.sql": "CREATE TABLE a (id int);\nALTER TABLE a ADD PRIMARY KEY (id);",
			},
			want: []string{"create table public.a", "alter table public.a", "create table public.b"},
		},
		{
			name: "index and comment before their table",
			files: map[string]string{
				"a.sql": "CREATE INDEX t_x_idx ON t (x);\nCOMMENT ON TABLE t IS 'x';\nCOMMENT ON INDEX t_x_idx IS 'y';",
				"b.sql": "CREATE TABLE t (x int);",
			},
			want: []string{"create table public.t", "create index t_x_idx", "comment table public.t", "comment index public.t_x_idx"},
		},
		{
			name: "functions used by a default and a trigger, defined later",
			files: map[string]string{
				"a.sql": "CREATE TABLE t (code text DEFAULT make_code());\n" +
					"CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();",
				"b.sql": "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n" +
					"CREATE FUNCTION make_code() RETURNS text LANGUAGE sql AS $$ SELECT 'x'; $$;",
			},
			want: []string{"create function public.touch", "create function public.make_code", "create table public.t", "create trigger t_touch on public.t"},
		},
		{
			name: "enum and domain used before their definition",
			files: map[string]string{
				"a.sql": "CREATE TABLE t (m mood[], e email);",
				"b.sql": "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');\nCREATE TYPE mood AS ENUM ('ok');",
			},
			want: []string{"create domain public.email", "create type public.mood", "create table public.t"},
		},
		{
			name: "schema created in a later file",
			files: map[string]string{
				"a.sql": "CREATE TABLE app.t (id int);\nCREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS 'SELECT 1';",
				"z.sql": "CREATE SCHEMA app;",
			},
			want: []string{"create schema app", "create table app.t", "create function app.f"},
		},
		{
			name:  "objects created inside CREATE SCHEMA",
			files: map[string]string{"a.sql": "CREATE VIEW app.v AS SELECT * FROM app.t;\nCREATE SCHEMA app CREATE TABLE t (id int);"},
			want:  []string{"create schema app", "create view app.v"},
		},
		{
			name: "partitions and inheritance",
			files: map[string]string{"a.sql": "CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);\n" +
				"ALTER TABLE p ATTACH PARTITION p2 FOR VALUES IN (2);\n" +
				"CREATE TABLE child () INHERITS (base);\n" +
				"CREATE TABLE p2 (k int);\n" +
				"CREATE TABLE p (k int) PARTITION BY LIST (k);\n" +
				"CREATE TABLE base (id int);"},
			want: []string{"create table public.p2", "create table public.p", "create table public.p1", "alter table public.p", "create table public.base", "create table public.child"},
		},
		{
			name: "sequences: OWNED BY and nextval",
			files: map[string]string{"a.sql": "CREATE SEQUENCE s OWNED BY t.id;\n" +
				"CREATE TABLE u (id int DEFAULT nextval('App.\"U Seq\"'::regclass));\n" +
				"CREATE TABLE t (id int);\n" +
				"CREATE SEQUENCE app.\"U Seq\";\n" +
				"CREATE SCHEMA app;"},
			want: []string{"create table public.t", "create sequence public.s", "create schema app", `create sequence app."U Seq"`, "create table public.u"},
		},
		{
			name:  "extensions come first",
			files: map[string]string{"a.sql": "CREATE TABLE t (e citext);\nCREATE EXTENSION citext SCHEMA ext;\nCREATE SCHEMA ext;"},
			want:  []string{"create schema ext", "create extension citext", "create table public.t"},
		},
		{
			name:  "grants after their objects",
			files: map[string]string{"a.sql": "GRANT SELECT ON t TO reader;\nCREATE TABLE t (id int);"},
			want:  []string{"create table public.t", "grant table public.t"},
		},
		{
			name: "grants on all tables of a schema wait for its tables",
			files: map[string]string{
				"a.sql": "GRANT SELECT ON ALL TABLES IN SCHEMA app TO PUBLIC;",
				"b.sql": "CREATE SCHEMA app;\nCREATE TABLE app.t (id int);\nCREATE VIEW app.v AS SELECT * FROM app.t;\nCREATE TABLE public.u (id int);",
			},
			want: []string{"create schema app", "create table app.t", "create view app.v", "grant all tables in schema app", "create table public.u"},
		},
		{
			name: "default privileges come before the objects they apply to",
			files: map[string]string{
				"a.sql": "CREATE TABLE app.t (id int);",
				"b.sql": "CREATE SCHEMA app;\nALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO PUBLIC;",
			},
			want: []string{"create schema app", "grant default privileges in schema app", "create table app.t"},
		},
		{
			name:  "drop before re-creating keeps its place",
			files: map[string]string{"a.sql": "DROP VIEW IF EXISTS v;\nCREATE VIEW v AS SELECT id FROM t;\nCREATE TABLE t (id int);"},
			want:  []string{"drop view public.v", "create table public.t", "create view public.v"},
		},
		{
			name:  "renamed table",
			files: map[string]string{"a.sql": "CREATE VIEW v AS SELECT id FROM b;\nCREATE TABLE a (id int);\nALTER TABLE a RENAME TO b;"},
			want:  []string{"create table public.a", "alter table public.a", "create view public.v"},
		},
		{
			name: "other statements keep their written order",
			files: map[string]string{"a.sql": "ALTER TABLE t ADD COLUMN m mood;\n" +
				"ALTER TABLE t ALTER COLUMN m SET NOT NULL;\n" +
				"CREATE TABLE t (id int);\n" +
				"CREATE TYPE mood AS ENUM ('ok');"},
			want: []string{"create table public.t", "create type public.mood", "alter table public.t", "alter table public.t"},
		},
		{
			name: "a dependency overrides written order of other statements",
			files: map[string]string{"a.sql": "COMMENT ON COLUMN t.c IS 'x';\n" +
				"CREATE TABLE t (id int);\n" +
				"ALTER TABLE t ADD COLUMN c int;"},
			want: []string{"create table public.t", "alter table public.t", "comment column public.t.c"},
		},
		{
			name: "PL/pgSQL body references give way in a cycle",
			files: map[string]string{"a.sql": "CREATE TABLE t (n int DEFAULT next_n());\n" +
				"CREATE FUNCTION next_n() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN (SELECT coalesce(max(n), 0) + 1 FROM t); END $$;"},
			want: []string{"create function public.next_n", "create table public.t"},
		},
		{
			name: "a cycle of required references keeps written order",
			files: map[string]string{"a.sql": "CREATE TABLE z (id int);\n" +
				"CREATE VIEW b AS SELECT * FROM a;\n" +
				"CREATE VIEW a AS SELECT * FROM b;\n" +
				"CREATE VIEW c AS SELECT * FROM a, y;\n" +
				"CREATE TABLE y (id int);"},
			want: []string{"create table public.z", "create view public.b", "create view public.a", "create table public.y", "create view public.c"},
		},
		{
			name: "settings come first",
			files: map[string]string{"a.sql": "CREATE TABLE t (id int);\n" +
				"SET check_function_bodies = false;\n" +
				"SELECT pg_catalog.set_config('search_path', '', false);"},
			want: []string{"set parameter check_function_bodies", "set parameter search_path", "create table public.t"},
		},
		{
			name: "quoted and unquoted names",
			files: map[string]string{"a.sql": "CREATE VIEW \"My View\" AS SELECT * FROM \"Ünïcode Table\", MixedCase, \"MixedCase\";\n" +
				"COMMENT ON TABLE \"Ünïcode Table\" IS 'x';\n" +
				"CREATE TABLE \"MixedCase\" (id int);\n" +
				"CREATE TABLE mixedcase (id int);\n" +
				"CREATE TABLE \"Ünïcode Table\" (\"Col A\" int);"},
			want: []string{"create table public.\"MixedCase\"", "create table public.mixedcase", "create table public.\"Ünïcode Table\"", "create view public.\"My View\"", "comment table public.\"Ünïcode Table\""},
		},
		{
			name:  "independent statements keep written order",
			files: map[string]string{"b.sql": "CREATE TABLE c (id int);\nCREATE TABLE a (id int);", "a.sql": "CREATE TABLE b (id int);"},
			want:  []string{"create table public.b", "create table public.c", "create table public.a"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmts, err := Read(writeSQL(t, tt.files))
			if err != nil {
				t.Fatal(err)
			}
			diffLabels(t, labels(Order(stmts)), tt.want)
		})
	}
}

func TestOrderStatementsDeterministic(t *testing.T) {
	dir := filepath.Join(fixtures, "ordered")
	a, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("reading the same files twice gave different statements")
	}
	first := Order(a)
	for range 5 {
		if again := Order(b); !reflect.DeepEqual(first, again) {
			t.Fatalf("ordering is not deterministic:\n%q\n%q", labels(first), labels(again))
		}
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("OrderStatements changed its input")
	}
	if again := Order(first); !reflect.DeepEqual(first, again) {
		t.Errorf("ordering an ordered list changed it:\n%q\n%q", labels(first), labels(again))
	}
}

func TestStatementNames(t *testing.T) {
	tests := []struct {
		sql      string
		object   string
		provides []string // each must be in Provides
		refs     []string // each must be in References
		notRefs  []string // none may be in References
	}{
		{
			sql:      `CREATE TABLE "Ünïcode Table" ("Col A" int, b mood[], id serial)`,
			object:   `table public."Ünïcode Table"`,
			provides: []string{"public.Ünïcode Table", "column:public.Ünïcode Table.Col A", "public.Ünïcode Table_id_seq"},
			refs:     []string{"public.mood"},
			notRefs:  []string{"public.serial", "public.Ünïcode Table"},
		},
		{
			sql:      `CREATE TABLE App.Users (Id int PRIMARY KEY, Email text UNIQUE)`,
			object:   "table app.users",
			provides: []string{"app.users", "column:app.users.id", "key:app.users", "app.users_pkey", "app.users_email_key"},
			refs:     []string{"schema:app"},
		},
		{
			sql:      `CREATE TABLE "App"."Users" (id int)`,
			object:   `table "App"."Users"`,
			provides: []string{"App.Users"},
			refs:     []string{"schema:App"},
		},
		{
			sql:    `CREATE VIEW v AS SELECT * FROM "MixedCase", MixedCase, app.t`,
			object: "view public.v",
			refs:   []string{"public.MixedCase", "public.mixedcase", "app.t", "schema:app"},
		},
		{
			sql:  `CREATE TABLE t (a int DEFAULT nextval('"My Seq"'), b int DEFAULT nextval('App.S'::regclass), c int REFERENCES o)`,
			refs: []string{"public.My Seq", "app.s", "public.o", "key:public.o"},
		},
		{
			sql:      `CREATE UNIQUE INDEX i ON app.t (x)`,
			object:   "index i",
			provides: []string{"app.i"},
			refs:     []string{"app.t"},
		},
		{
			sql:      `CREATE TRIGGER trg AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION app.f()`,
			object:   "trigger trg on public.t",
			provides: []string{"trigger:public.t.trg"},
			refs:     []string{"public.t", "app.f"},
		},
		{
			sql:      `CREATE POLICY p ON t USING (owner = current_user)`,
			provides: []string{"policy:public.t.p"},
			refs:     []string{"public.t"},
		},
		{
			sql:    `COMMENT ON COLUMN app.t.c IS 'x'`,
			object: "column app.t.c",
			refs:   []string{"app.t", "column:app.t.c"},
		},
		{
			sql:  `ALTER TABLE p ATTACH PARTITION app.c FOR VALUES IN (1)`,
			refs: []string{"public.p", "app.c"},
		},
		{sql: `CREATE TABLE c PARTITION OF p FOR VALUES IN (1)`, refs: []string{"public.p"}},
		{sql: `CREATE TABLE c () INHERITS (p)`, refs: []string{"public.p"}},
		{
			sql:      `CREATE EXTENSION IF NOT EXISTS hstore SCHEMA ext`,
			object:   "extension hstore",
			provides: []string{"ext:hstore"},
			refs:     []string{"schema:ext"},
		},
		{sql: `CREATE TYPE shell`, object: "type public.shell", provides: []string{"public.shell"}},
		{sql: `CREATE TYPE c AS (a mood)`, object: "type public.c", provides: []string{"public.c"}, refs: []string{"public.mood"}},
		{sql: `CREATE DOMAIN d AS mood CHECK (VALUE IS NOT NULL)`, object: "domain public.d", provides: []string{"public.d"}, refs: []string{"public.mood"}},
		{sql: `CREATE SEQUENCE s OWNED BY t.id`, provides: []string{"public.s"}, refs: []string{"public.t", "column:public.t.id"}},
		{
			sql:  `CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT count(*) FROM app.t; $$`,
			refs: []string{"app.t"},
		},
		{
			sql:  `CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM app.t; END`,
			refs: []string{"app.t"},
		},
		{
			sql: `CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r app.t%ROWTYPE; m mood;
BEGIN
  IF EXISTS (SELECT 1 FROM a) THEN UPDATE b SET x = 1; END IF;
  r := (SELECT g());
  RETURN NEW;
END $$`,
			refs: []string{"app.t", "public.mood", "public.a", "public.b", "public.g"},
		},
		{
			sql:      `CREATE MATERIALIZED VIEW m AS SELECT * FROM t`,
			object:   "materialized view public.m",
			provides: []string{"public.m"},
			refs:     []string{"public.t"},
		},
		{
			sql:      `ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY (id), ADD COLUMN c int`,
			provides: []string{"key:public.t", "public.t_pk", "constraint:public.t.t_pk", "column:public.t.c"},
			refs:     []string{"public.t"},
		},
		{sql: `DROP TABLE a, app.b`, object: "table public.a, app.b", refs: []string{"public.a", "app.b"}},
		{sql: `GRANT USAGE ON SCHEMA app TO bob`, object: "schema app", refs: []string{"schema:app", "role:bob"}},
		{sql: `ALTER TABLE app.t SET SCHEMA other`, provides: []string{"other.t"}, refs: []string{"app.t", "schema:other"}},
	}
	for _, tt := range tests {
		stmts, _, err := readOne(t, tt.sql)
		if err != nil {
			t.Fatalf("%s: %v", tt.sql, err)
		}
		if len(stmts) != 1 {
			t.Fatalf("%s: got %d statements", tt.sql, len(stmts))
		}
		s := stmts[0]
		if tt.object != "" && s.Object != tt.object {
			t.Errorf("%s: Object = %q, want %q", tt.sql, s.Object, tt.object)
		}
		for _, p := range tt.provides {
			if !slices.Contains(s.Provides, p) {
				t.Errorf("%s: Provides %q lacks %q", tt.sql, s.Provides, p)
			}
		}
		for _, r := range tt.refs {
			if !slices.Contains(s.References, r) {
				t.Errorf("%s: References %q lack %q", tt.sql, s.References, r)
			}
		}
		for _, r := range tt.notRefs {
			if slices.Contains(s.References, r) {
				t.Errorf("%s: References %q should not have %q", tt.sql, s.References, r)
			}
		}
		if !slices.IsSorted(s.Provides) || !slices.IsSorted(s.References) {
			t.Errorf("%s: Provides and References should be sorted", tt.sql)
		}
	}
}

// TestOrderStatementsShuffled splits a schema written in a working order
// into one file per statement, in shuffled order, and checks that ordering
// puts every statement after the statements creating what it references.
func TestOrderStatementsShuffled(t *testing.T) {
	stmts, err := Read(filepath.Join(fixtures, "rich.sql"))
	if err != nil {
		t.Fatal(err)
	}
	for seed := range 20 {
		shuffled := slices.Clone(stmts)
		rand.New(rand.NewPCG(uint64(seed), 1)).Shuffle(len(shuffled), func(i, j int) {
			shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
		})
		files := map[string]string{}
		for i, s := range shuffled {
			files[fmt.Sprintf("%03d.sql", i)] = s.SQL + ";\n"
		}
		read, err := Read(writeSQL(t, files))
		if err != nil {
			t.Fatal(err)
		}
		ordered := Order(read)
		if len(ordered) != len(stmts) {
			t.Fatalf("seed %d: got %d statements, want %d", seed, len(ordered), len(stmts))
		}
		created := map[string]bool{}
		for _, s := range ordered {
			for _, r := range s.References {
				for _, p := range stmts {
					needed := slices.Contains(p.Provides, r) ||
						slices.Contains(p.Provides, "columns:"+r) && !slices.Contains(s.Provides, "columns:"+r)
					if needed && p.SQL != s.SQL && !created[p.SQL] {
						t.Errorf("seed %d: %s %s comes before %s %s, which creates %s", seed, s.Kind, s.Object, p.Kind, p.Object, r)
					}
				}
			}
			created[s.SQL] = true
		}
	}
}

// TestScriptsKeepWrittenOrder: input that creates something twice is a
// script; reordering it would change its meaning.
func TestScriptsKeepWrittenOrder(t *testing.T) {
	in := []Statement{
		{SQL: "CREATE VIEW v AS SELECT 1 AS a", Kind: StmtCreate, Provides: []string{"public.v"}},
		{SQL: "DROP VIEW v", Kind: StmtDrop},
		{SQL: "CREATE TABLE t (id int)", Kind: StmtCreate, Provides: []string{"public.t"}},
		{SQL: "CREATE VIEW v AS SELECT id AS a FROM t", Kind: StmtCreate, Provides: []string{"public.v"}, References: []string{"public.t"}},
	}
	got := Order(in)
	for i := range in {
		if got[i].SQL != in[i].SQL {
			t.Fatalf("statement %d is %q, want the written order", i, got[i].SQL)
		}
	}
}

func TestDataStatementsMakeAScript(t *testing.T) {
	// Dependency order would put the view (which the INSERT names only
	// through its trigger) anywhere; the written order is what the rows need.
	in := []Statement{
		{SQL: "CREATE TABLE t (id int)", Kind: StmtCreate, Provides: []string{"public.t"}},
		{SQL: "INSERT INTO t VALUES (1)", Kind: StmtData, Object: "INSERT statement"},
		{SQL: "ALTER TABLE t ADD COLUMN x int NOT NULL DEFAULT 0", Kind: StmtAlter, Provides: []string{"columns:public.t"}, References: []string{"public.t"}},
	}
	got := Order(in)
	for i := range in {
		if got[i].SQL != in[i].SQL {
			t.Fatalf("statement %d is %q, want the written order", i, got[i].SQL)
		}
	}
}
