package pipeline

import "testing"

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
	}
	for _, c := range cases {
		got, ext := classify(c.sql)
		if got != c.want || ext != c.ext {
			t.Errorf("classify(%q) = %v, %q; want %v, %q", c.sql, got, ext, c.want, c.ext)
		}
	}
}
