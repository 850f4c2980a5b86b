package pipeline

import (
	"strings"
	"testing"
)

// TestClassify: only CREATE EXTENSION, event trigger statements and
// comments on extensions and event triggers leave the loading role.
func TestClassify(t *testing.T) {
	cases := []struct {
		sql  string
		want privilege
		ext  string
	}{
		{`CREATE EXTENSION IF NOT EXISTS "uuid-ossp" SCHEMA public`, asAdminExtension, "uuid-ossp"},
		{`CREATE EXTENSION dblink CASCADE`, asAdminExtension, "dblink"},
		{`COMMENT ON EXTENSION dblink IS 'x'`, asAdmin, ""},
		{`CREATE EVENT TRIGGER e ON ddl_command_end EXECUTE FUNCTION f()`, asAdmin, ""},
		{`ALTER EVENT TRIGGER e DISABLE`, asAdmin, ""},
		{`COMMENT ON EVENT TRIGGER e IS 'x'`, asAdmin, ""},
		{`COMMENT ON TABLE t IS 'CREATE EXTENSION x'`, asLoader, ""},
		{`DO $$ BEGIN EXECUTE 'CREATE EXTENSION dblink'; END $$`, asLoader, ""},
		{`ALTER EXTENSION dblink UPDATE`, asLoader, ""},
		{`ALTER SYSTEM SET work_mem = '1MB'`, asLoader, ""},
		{`CREATE TABLE t (id int)`, asLoader, ""},
		{`CREATE EXTENSION a; CREATE EXTENSION b`, asLoader, ""},
		{`not sql`, asLoader, ""},
		{`ALTER FUNCTION s."f g"(integer, VARIADIC integer[]) LEAKPROOF`, asAdminLeakproof, `s."f g"(int, int[])`},
		{`ALTER FUNCTION f(a text) LEAKPROOF`, asAdminLeakproof, `f(text)`},
		{`ALTER FUNCTION f(text) LEAKPROOF SECURITY DEFINER`, asLoader, ""},
		{`ALTER FUNCTION f(text) NOT LEAKPROOF`, asLoader, ""},
		{`ALTER FUNCTION f LEAKPROOF`, asLoader, ""},
		{`CREATE FUNCTION f(a text) RETURNS bool LANGUAGE sql LEAKPROOF AS 'SELECT true'`, asLoader, ""},
	}
	for _, c := range cases {
		got, ext := classify(c.sql)
		if got != c.want || ext != c.ext {
			t.Errorf("classify(%q) = %v, %q; want %v, %q", c.sql, got, ext, c.want, c.ext)
		}
	}
}

// TestLeakproofParts: CREATE FUNCTION ... LEAKPROOF becomes the same
// statement without the mark, and an ALTER FUNCTION naming the function by
// its input argument types.
func TestLeakproofParts(t *testing.T) {
	create, alter, ok, err := leakproofParts(`CREATE OR REPLACE FUNCTION "S".f(a text, OUT b int, VARIADIC c int[]) LANGUAGE sql IMMUTABLE LEAKPROOF AS $$ SELECT 1 $$`)
	if err != nil || !ok {
		t.Fatalf("leakproofParts: ok=%v err=%v", ok, err)
	}
	if strings.Contains(strings.ToUpper(create), "LEAKPROOF") || !strings.Contains(create, "IMMUTABLE") || !strings.Contains(create, "SELECT 1") {
		t.Errorf("create = %q", create)
	}
	if want := `ALTER FUNCTION "S".f(text, int[]) LEAKPROOF`; alter != want {
		t.Errorf("alter = %q, want %q", alter, want)
	}
	for _, sql := range []string{
		`CREATE FUNCTION f() RETURNS int LANGUAGE sql NOT LEAKPROOF AS 'SELECT 1'`,
		`CREATE FUNCTION f() RETURNS text LANGUAGE sql AS 'SELECT ''leakproof'''`,
		`CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1'`,
	} {
		if _, _, ok, err := leakproofParts(sql); ok || err != nil {
			t.Errorf("leakproofParts(%q): ok=%v err=%v, want not split", sql, ok, err)
		}
	}
}

// TestUnloadablePublication: the publications the loading role cannot
// create are named with the reason; the others load.
func TestUnloadablePublication(t *testing.T) {
	cases := []struct {
		sql  string
		want string
	}{
		{`CREATE PUBLICATION p FOR TABLE t (a, b) WHERE (a > 0), u`, ""},
		{`ALTER PUBLICATION p ADD TABLE t`, ""},
		{`COMMENT ON PUBLICATION p IS 'x'`, ""},
		{`CREATE PUBLICATION p FOR ALL TABLES`, "FOR ALL TABLES"},
		{`CREATE PUBLICATION p FOR TABLE t, TABLES IN SCHEMA s`, "FOR TABLES IN SCHEMA"},
		{`CREATE PUBLICATION p FOR TABLES IN SCHEMA CURRENT_SCHEMA`, "FOR TABLES IN SCHEMA"},
		{`ALTER PUBLICATION p ADD TABLES IN SCHEMA s`, "FOR TABLES IN SCHEMA"},
		{`CREATE TABLE publication (id int)`, ""},
	}
	for _, c := range cases {
		got := unloadablePublication(c.sql)
		if c.want == "" && got != "" || !strings.HasPrefix(got, c.want) || c.want != "" && !strings.Contains(got, "superuser") {
			t.Errorf("unloadablePublication(%q) = %q; want it to start with %q", c.sql, got, c.want)
		}
	}
}
