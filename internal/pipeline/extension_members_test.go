package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/introspect"
)

// extensionWithMembers makes a database whose extension owns a view with a
// rule of its own and a table with a trigger, a policy and row level
// security, as PostGIS's geometry_columns view owns its rules: the rule,
// trigger and policy are not extension members themselves, but the
// relations they belong to are.
const extensionWithMembers = `
CREATE EXTENSION pg_buffercache;
CREATE VIEW public.ext_view AS SELECT 1 AS x;
CREATE RULE ext_view_insert AS ON INSERT TO public.ext_view DO INSTEAD NOTHING;
ALTER EXTENSION pg_buffercache ADD VIEW public.ext_view;
CREATE TABLE public.ext_table (a integer);
CREATE FUNCTION public.ext_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER ext_table_trigger BEFORE INSERT ON public.ext_table FOR EACH ROW EXECUTE FUNCTION public.ext_trigger();
ALTER TABLE public.ext_table ENABLE ROW LEVEL SECURITY;
CREATE POLICY ext_table_policy ON public.ext_table USING (a > 0);
CREATE RULE ext_table_rule AS ON DELETE TO public.ext_table DO INSTEAD NOTHING;
ALTER EXTENSION pg_buffercache ADD FUNCTION public.ext_trigger();
ALTER EXTENSION pg_buffercache ADD TABLE public.ext_table;
`

// TestExtensionMembersNotUnsupported: the objects of an extension, and
// those owned by its relations, are the extension's: none is reported as
// unsupported, and a schema that creates the extension plans nothing.
func TestExtensionMembersNotUnsupported(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, extensionWithMembers)
	cat, err := InspectURL(ctx, db, introspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Unsupported) > 0 {
		t.Errorf("extension members reported as unsupported: %v", cat.Unsupported)
	}
	p := planFrom(t, extensionWithMembers, "CREATE EXTENSION pg_buffercache;\n")
	for _, c := range p.Changes {
		for _, s := range c.Statements {
			t.Errorf("planned for an extension's own objects: %s", s.SQL)
		}
	}
}

// TestCastBetweenBuiltinTypesRefused: a cast between built-in types cannot
// be created by the role the schema files are loaded as; the error names
// the file:line and why.
func TestCastBetweenBuiltinTypesRefused(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	path := filepath.Join(t.TempDir(), "schema.sql")
	src := "CREATE FUNCTION int_to_bool(bigint) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1 <> 0 $$;\n" +
		"CREATE CAST (bigint AS boolean) WITH FUNCTION int_to_bool(bigint);\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	stmts, _, err := ReadSchema(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = LoadDesired(ctx, pgtest.Scratch(t), stmts, introspect.Options{})
	if err == nil {
		t.Fatal("a cast between built-in types loaded")
	}
	for _, want := range []string{path + ":2:", "must be owner of type bigint", "casts between built-in types are not managed"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
}
