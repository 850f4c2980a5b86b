package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/internal/pipeline"
	"github.com/schemadiff/schemadiff/schema"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// schemadiffBinary builds the command once per test run.
func schemadiffBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "schemadiff-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "schemadiff")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// markerDir returns a directory anyone may write to, on a path anyone may
// traverse: an attack that reached a shell or the file system as the
// server's user would be able to leave a file there.
func markerDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("/tmp", "schemadiff-marker-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func queryText(t *testing.T, dbURL, sql string, args ...any) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatalf("connecting: %v", err)
	}
	defer conn.Close(ctx)
	var s string
	if err := conn.QueryRow(ctx, sql, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}

// urlParts returns the socket directory and database of a pgtest URL.
func urlParts(t *testing.T, dbURL string) (host, port, user, dbname string) {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("host"), u.Query().Get("port"), u.User.Username(), strings.TrimPrefix(u.Path, "/")
}

// requireExtension fails (under CI=true) or skips when the server lacks
// an extension.
func requireExtension(t *testing.T, dbURL, name string) {
	t.Helper()
	if queryText(t, dbURL, "SELECT EXISTS (SELECT FROM pg_available_extensions WHERE name = $1)::text", name) == "true" {
		return
	}
	if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
		t.Fatalf("extension %s is not installed (install postgresql-contrib)", name)
	}
	t.Skipf("extension %s is not installed", name)
}

// attack is a schema file that tries to leave the scratch database.
type attack struct {
	name string
	// sql is the schema file; {marker} is a file path the attack tries to
	// create, {target} a libpq connection string to the target database
	// and {host}, {port}, {user}, {dbname} its parts.
	sql string
	// line is the line of the statement that must fail.
	line int
	// extension the attack needs, if any.
	extension string
}

var attacks = []attack{
	{name: "LEAKPROOF on a function the schema files do not own", line: 2, sql: `CREATE TABLE t (id int);
ALTER FUNCTION pg_catalog.int4pl(integer, integer) LEAKPROOF;
`},
	{name: "COPY TO PROGRAM in a function called from DO", line: 5, sql: `CREATE TABLE t (id int);
CREATE FUNCTION shell() RETURNS void LANGUAGE plpgsql AS $f$
BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''id > {marker}'''; END
$f$;
DO $$ BEGIN PERFORM shell(); END $$;
`},
	{name: "COPY TO PROGRAM in DO", line: 2, sql: `CREATE TABLE t (id int);
DO $$ BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''id > {marker}'''; END $$;
`},
	{name: "COPY TO PROGRAM running psql against the target", line: 2, sql: `CREATE TABLE t (id int);
DO $$ BEGIN EXECUTE format('COPY (SELECT 1) TO PROGRAM %L', 'psql "{target}" -c "CREATE TABLE pwned (id int)" > {marker} 2>&1'); END $$;
`},
	{name: "pg_read_file into a comment", line: 2, sql: `CREATE TABLE t (id int);
DO $$ BEGIN EXECUTE format('COMMENT ON TABLE t IS %L', pg_read_file('/etc/passwd')); END $$;
`},
	{name: "adminpack pg_file_write", line: 3, extension: "adminpack", sql: `CREATE TABLE t (id int);
CREATE EXTENSION adminpack;
DO $$ BEGIN PERFORM pg_catalog.pg_file_write('{marker}', 'pwned', false); END $$;
`},
	{name: "lo_export", line: 2, sql: `CREATE TABLE t (id int);
DO $$ BEGIN PERFORM lo_export(lo_from_bytea(0, 'pwned'), '{marker}'); END $$;
`},
	{name: "dblink to the target over its socket", line: 3, extension: "dblink", sql: `CREATE TABLE t (id int);
CREATE EXTENSION dblink;
DO $$ BEGIN PERFORM dblink_exec('{target}', 'CREATE TABLE pwned (id int)'); END $$;
`},
	{name: "dblink to a server over TCP with a password", line: 3, extension: "dblink", sql: `CREATE TABLE t (id int);
CREATE EXTENSION dblink;
DO $$ BEGIN PERFORM dblink_exec('host=127.0.0.1 port=5432 user=postgres password=secret dbname=postgres', 'CREATE TABLE pwned (id int)'); END $$;
`},
	{name: "postgres_fdw to the target over its socket", line: 6, extension: "postgres_fdw", sql: `CREATE TABLE t (id int);
CREATE EXTENSION postgres_fdw;
CREATE SERVER target FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '{host}', port '{port}', dbname '{dbname}');
CREATE USER MAPPING FOR CURRENT_USER SERVER target OPTIONS (user '{user}', password 'secret');
CREATE FOREIGN TABLE remote (id int) SERVER target OPTIONS (table_name 't');
DO $$ BEGIN INSERT INTO remote VALUES (2); PERFORM * FROM remote; END $$;
`},
	{name: "postgres_fdw to a server over TCP with a password", line: 6, extension: "postgres_fdw", sql: `CREATE TABLE t (id int);
CREATE EXTENSION postgres_fdw;
CREATE SERVER target FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '5432', dbname 'postgres');
CREATE USER MAPPING FOR PUBLIC SERVER target OPTIONS (user 'postgres', password 'secret');
CREATE FOREIGN TABLE pwned (id int) SERVER target OPTIONS (table_name 'pwned');
DO $$ BEGIN IMPORT FOREIGN SCHEMA public FROM SERVER target INTO public; EXECUTE 'SELECT count(*) FROM pwned'; END $$;
`},
	{name: "file_fdw reading /etc/passwd into a comment", line: 5, extension: "file_fdw", sql: `CREATE TABLE t (id int);
CREATE EXTENSION file_fdw;
CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;
CREATE FOREIGN TABLE passwd (line text) SERVER files OPTIONS (filename '/etc/passwd');
DO $$ BEGIN EXECUTE format('COMMENT ON TABLE t IS %L', (SELECT string_agg(line, ',') FROM passwd)); END $$;
`},
	{name: "file_fdw program", line: 5, extension: "file_fdw", sql: `CREATE TABLE t (id int);
CREATE EXTENSION file_fdw;
CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;
CREATE FOREIGN TABLE shell (line text) SERVER files OPTIONS (program 'id > {marker}');
DO $$ BEGIN ANALYZE shell; PERFORM * FROM shell; END $$;
`},
}

// TestSchemaFilesCannotEscape: every route out of the scratch database a
// schema file could take fails: plan and check exit 2 naming file:line,
// nothing is written on the host and the target database is unchanged.
func TestSchemaFilesCannotEscape(t *testing.T) {
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, `CREATE TABLE t (id int); INSERT INTO t VALUES (1);`)
	host, port, user, dbname := urlParts(t, db)
	target := fmt.Sprintf("host=%s port=%s user=%s dbname=%s", host, port, user, dbname)
	marks := markerDir(t)

	// The routes are real: the superuser of a server can take them.
	sanity := filepath.Join(marks, "sanity")
	pgtest.Exec(t, db, fmt.Sprintf("COPY (SELECT 1) TO PROGRAM 'cat > /dev/null; id > %s'", sanity))
	if _, err := os.Stat(sanity); err != nil {
		t.Fatalf("COPY TO PROGRAM as superuser left no file: %v", err)
	}

	before := snapshot(t, db)
	for i, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			if a.extension != "" {
				requireExtension(t, db, a.extension)
			}
			marker := filepath.Join(marks, "attack"+strconv.Itoa(i))
			sql := strings.NewReplacer("{marker}", marker, "{target}", target,
				"{host}", host, "{port}", port, "{user}", user, "{dbname}", dbname).Replace(a.sql)
			file := writeFile(t, t.TempDir(), "schema.sql", sql)
			// plan and check take turns: both load the schema the same way.
			for _, cmd := range []string{[]string{"plan", "check"}[i%2]} {
				r := runBinary(t, schemadiffBinary(t), cmd, "--db", db, "--schema", file)
				if r.code != 2 {
					t.Fatalf("%s: exit %d, want 2\nstdout:\n%s\nstderr:\n%s", cmd, r.code, r.stdout, r.stderr)
				}
				if want := fmt.Sprintf("schema.sql:%d:", a.line); !strings.Contains(errorLine(r.stderr), want) {
					t.Errorf("%s: the error does not name %s:\n%s", cmd, want, r.stderr)
				}
				if strings.Contains(r.stdout+r.stderr, "root:x:0:0") {
					t.Errorf("%s: /etc/passwd leaked into the output", cmd)
				}
				t.Logf("%s: exit %d: %s", cmd, r.code, errorLine(r.stderr))
			}
			if _, err := os.Stat(marker); err == nil {
				out, _ := os.ReadFile(marker)
				t.Errorf("the attack wrote %s: %s", marker, out)
			}
			if n := queryText(t, db, "SELECT count(*)::text FROM pg_class WHERE relname = 'pwned'"); n != "0" {
				t.Errorf("the target database got a table pwned")
			}
		})
	}
	if d := cmp.Diff(before, snapshot(t, db)); d != "" {
		t.Errorf("the target database changed:\n%s", d)
	}
	if n := queryText(t, db, "SELECT count(*)::text FROM t"); n != "1" {
		t.Errorf("rows of the target changed: %s", n)
	}
}

// errorLine returns the error schemadiff reported (not its warnings).
func errorLine(stderr string) string {
	for _, line := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(line, "schemadiff: ") {
			return line
		}
	}
	return ""
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

// TestDevURLSchemaFilesCannotEscape: with --dev-url the schema files run on
// the dev server as a temporary role without rights: ALTER SYSTEM, shells
// and dblink into its other databases fail, and nothing of the run is left
// on the server.
func TestDevURLSchemaFilesCannotEscape(t *testing.T) {
	ctx := context.Background()
	srv, err := pgserver.Start(ctx, pgserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	dev := srv.URL("postgres")
	pgtest.Exec(t, dev, "CREATE DATABASE other")
	pgtest.Exec(t, srv.URL("other"), "CREATE TABLE keep (id int)")
	sock, port, user, _ := urlParts(t, dev)
	autoConf := filepath.Join(filepath.Dir(sock), "data", "postgresql.auto.conf")
	confBefore := mustRead(t, autoConf)
	db := pgtest.NewDB(t)
	before := snapshot(t, db)
	marks := markerDir(t)
	other := fmt.Sprintf("host=%s port=%s user=%s dbname=other", sock, port, user)

	cases := []attack{
		{name: "ALTER SYSTEM", line: 2, sql: "CREATE TABLE t (id int);\nALTER SYSTEM SET work_mem = '7MB';\n"},
		{name: "COPY TO PROGRAM", line: 2, sql: "CREATE TABLE t (id int);\nDO $$ BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''id > {marker}'''; END $$;\n"},
		{name: "dblink into another database", line: 3, extension: "dblink", sql: "CREATE TABLE t (id int);\nCREATE EXTENSION dblink;\n" +
			"DO $$ BEGIN PERFORM dblink_exec('{target}', 'CREATE TABLE pwned (id int)'); END $$;\n"},
		{name: "postgres_fdw into another database", line: 6, extension: "postgres_fdw", sql: "CREATE TABLE t (id int);\nCREATE EXTENSION postgres_fdw;\n" +
			"CREATE SERVER other FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '{host}', port '{port}', dbname 'other');\n" +
			"CREATE USER MAPPING FOR CURRENT_USER SERVER other OPTIONS (user '{user}', password 'secret');\n" +
			"CREATE FOREIGN TABLE pwned (id int) SERVER other OPTIONS (table_name 'keep');\n" +
			"DO $$ BEGIN INSERT INTO pwned VALUES (1); END $$;\n"},
	}
	for i, a := range cases {
		t.Run(a.name, func(t *testing.T) {
			if a.extension != "" {
				requireExtension(t, dev, a.extension)
			}
			marker := filepath.Join(marks, "dev"+strconv.Itoa(i))
			sql := strings.NewReplacer("{marker}", marker, "{target}", other,
				"{host}", sock, "{port}", port, "{user}", user).Replace(a.sql)
			file := writeFile(t, t.TempDir(), "schema.sql", sql)
			r := runBinary(t, schemadiffBinary(t), "plan", "--db", db, "--dev-url", dev, "--schema", file)
			t.Logf("plan --dev-url: exit %d: %s", r.code, errorLine(r.stderr))
			if r.code != 2 || !strings.Contains(errorLine(r.stderr), fmt.Sprintf("schema.sql:%d:", a.line)) {
				t.Fatalf("exit %d, want 2 naming schema.sql:%d\nstdout:\n%s\nstderr:\n%s", r.code, a.line, r.stdout, r.stderr)
			}
			if _, err := os.Stat(marker); err == nil {
				t.Errorf("the attack wrote %s", marker)
			}
		})
	}
	if got := mustRead(t, autoConf); got != confBefore {
		t.Errorf("postgresql.auto.conf changed:\n%s", got)
	}
	if n := queryText(t, srv.URL("other"), "SELECT count(*)::text FROM pg_class WHERE relname = 'pwned'"); n != "0" {
		t.Errorf("the other database of the dev server got a table pwned")
	}
	if n := queryText(t, srv.URL("other"), "SELECT count(*)::text FROM keep"); n != "0" {
		t.Errorf("rows were written into the other database of the dev server: %s", n)
	}
	if d := cmp.Diff(before, snapshot(t, db)); d != "" {
		t.Errorf("the target database changed:\n%s", d)
	}
	left := queryText(t, dev, `SELECT (SELECT count(*) FROM pg_roles WHERE rolname LIKE 'schemadiff\_loader\_%') || ' ' ||
		(SELECT count(*) FROM pg_database WHERE datname LIKE 'schemadiff\_scratch\_%')`)
	if left != "0 0" {
		t.Errorf("roles and scratch databases left on the dev server: %s", left)
	}

	// A harmless schema still plans, as a temporary role, without warning.
	ok := writeFile(t, t.TempDir(), "schema.sql", "CREATE TABLE t (id int);\nCREATE TABLE u (id int);\n")
	r := runBinary(t, schemadiffBinary(t), "plan", "--db", db, "--dev-url", dev, "--schema", ok)
	if r.code != 0 || !strings.Contains(r.stdout, "CREATE TABLE public.u") || strings.Contains(r.stderr, "warning") {
		t.Fatalf("plan --dev-url: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// A dev URL user that may not create roles: the files run with its
	// rights, and schemadiff says so.
	pgtest.Exec(t, dev, "CREATE ROLE dev_plain LOGIN CREATEDB")
	plain := strings.Replace(dev, url.User(user).String()+"@", "dev_plain@", 1)
	r = runBinary(t, schemadiffBinary(t), "plan", "--db", db, "--dev-url", plain, "--schema", ok)
	if r.code != 0 || !strings.Contains(r.stderr, `warning: --dev-url: schema files are loaded on the dev server as its user "dev_plain", with all of that user's rights`) {
		t.Fatalf("plan --dev-url as a user without CREATEROLE: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	t.Logf("without CREATEROLE: %s", firstLine(r.stderr))
}

// TestNastyRoleNames: roles of the target with quotes, dollar quotes,
// spaces or non-ASCII letters in their names are reproduced on the scratch
// server, and schema files grant to them.
func TestNastyRoleNames(t *testing.T) {
	names := []string{`r$sd$x`, `it's`, `with space`, `"quoted"`, `ünïcødé`, `$$`, `r;DROP TABLE t`}
	db := pgtest.NewDB(t)
	var grants strings.Builder
	grants.WriteString("CREATE TABLE t (id int);\n")
	for _, n := range names {
		ident := pgx.Identifier{n}.Sanitize()
		pgtest.Exec(t, db, fmt.Sprintf(`DO $do$ BEGIN EXECUTE %s; EXCEPTION WHEN duplicate_object THEN NULL; END $do$`,
			quoteLit("CREATE ROLE "+ident)))
		fmt.Fprintf(&grants, "GRANT SELECT ON t TO %s;\n", ident)
	}
	file := writeFile(t, t.TempDir(), "schema.sql", grants.String())
	r := runBinary(t, schemadiffBinary(t), "plan", "--db", db, "--schema", file)
	if r.code != 0 {
		t.Fatalf("plan: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, n := range names {
		want := "TO " + schema.Ident(n) + ";"
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the plan lacks %q:\n%s", want, r.stdout)
		}
	}
}

func quoteLit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// TestGenerateAsAppRole: an application role that owns its database (not
// a superuser, not named postgres) generates verified migrations, with
// grants on the public schema and default privileges to other roles.
func TestGenerateAsAppRole(t *testing.T) {
	base := pgtest.NewDB(t)
	for _, sql := range []string{
		`DO $$ BEGIN CREATE ROLE rel_app LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
		`DO $$ BEGIN CREATE ROLE rel_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
		`DROP DATABASE IF EXISTS rel_app_db WITH (FORCE)`,
		`CREATE DATABASE rel_app_db OWNER rel_app`,
	} {
		pgtest.Exec(t, base, sql)
	}
	t.Cleanup(func() { pgtest.Exec(t, base, `DROP DATABASE IF EXISTS rel_app_db WITH (FORCE)`) })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.User, u.Path = url.User("rel_app"), "/rel_app_db"
	app := u.String()
	pgtest.Exec(t, app, `CREATE TABLE t (id int)`)
	if got := queryText(t, app, "SELECT current_user::text || ' ' || (SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user)"); got != "rel_app false" {
		t.Fatalf("connected as %s", got)
	}
	file := writeFile(t, t.TempDir(), "schema.sql", `CREATE TABLE t (id int);
CREATE TABLE u (id int);
GRANT USAGE ON SCHEMA public TO rel_reader;
GRANT SELECT ON u TO rel_reader;
ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO rel_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE rel_app IN SCHEMA public GRANT USAGE ON SEQUENCES TO rel_reader;
`)
	migDir := t.TempDir()
	r := runBinary(t, schemadiffBinary(t), "generate", "--db", app, "--schema", file, "--dir", migDir, "--name", "app")
	if r.code != 0 {
		t.Fatalf("generate --db as rel_app: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	src := mustRead(t, strings.TrimSpace(r.stdout))
	for _, want := range []string{"GRANT USAGE ON SCHEMA public TO rel_reader", "CREATE TABLE public.u"} {
		if !strings.Contains(src, want) {
			t.Errorf("the migration lacks %q:\n%s", want, src)
		}
	}
	// The public schema's grant survives verification once applied too.
	pgtest.Exec(t, app, "GRANT USAGE ON SCHEMA public TO rel_reader")
	r = runBinary(t, schemadiffBinary(t), "generate", "--db", app, "--schema", file, "--dir", t.TempDir(), "--name", "again")
	if r.code != 0 {
		t.Fatalf("generate after granting on public: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestNetworkExtensionStaysInSync: closing dblink's functions in the
// scratch database is invisible to plans: a schema that uses dblink is in
// sync with a target that has it.
func TestNetworkExtensionStaysInSync(t *testing.T) {
	db := pgtest.NewDB(t)
	requireExtension(t, db, "dblink")
	schemaSQL := `CREATE EXTENSION dblink;
CREATE TABLE t (id int);
CREATE FUNCTION remote_count(conn text) RETURNS bigint LANGUAGE sql
    AS $$ SELECT n FROM dblink(conn, 'SELECT count(*) FROM t') AS r(n bigint) $$;
GRANT EXECUTE ON FUNCTION remote_count(text) TO PUBLIC;
`
	pgtest.Exec(t, db, schemaSQL)
	file := writeFile(t, t.TempDir(), "schema.sql", schemaSQL)
	r := runBinary(t, schemadiffBinary(t), "check", "--db", db, "--schema", file)
	if r.code != 0 {
		t.Fatalf("check: exit %d, want 0 (in sync)\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// ensureRolesOf creates, on the server of dbURL, the roles the schema files
// name: schema files are loaded as a role that cannot create roles.
func ensureRolesOf(t *testing.T, dbURL string, files ...string) {
	t.Helper()
	var names []string
	for _, f := range files {
		stmts, _, err := pipeline.ReadSchema(f)
		if err != nil {
			t.Fatal(err)
		}
		roles, err := pipeline.RolesNamed(stmts, "")
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, roles...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, n := range names {
		_, err := conn.Exec(ctx, "CREATE ROLE "+schema.Ident(n))
		var pgErr *pgconn.PgError
		if err != nil && !(errors.As(err, &pgErr) && (pgErr.Code == "42710" || pgErr.Code == "23505")) {
			t.Fatalf("creating role %q: %v", n, err)
		}
	}
}
