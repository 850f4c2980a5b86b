package main

import (
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/migrate"
)

// ownFlags are the flags of the runner commands that are schemadiff's own:
// --dir names the package compiled into the runner, --help is cobra's,
// --target and the fleet flags pick the databases the runner runs on.
var ownFlags = []string{"dir", "help", "target", "all-targets", "parallel", "continue-on-error"}

// TestRunnerCommandsDeclareRunnerFlags: apply, rollback, status and
// resolve accept exactly the flags the runner accepts for the same command
// (package migrate's tests check the runner against the same list), with
// the runner's value types and defaults, so the two command lines cannot
// drift apart.
func TestRunnerCommandsDeclareRunnerFlags(t *testing.T) {
	root := newRootCommand(io.Discard, io.Discard)
	for _, name := range migrate.Commands() {
		cmd, _, err := root.Find([]string{name})
		if err != nil || cmd.Name() != name {
			t.Errorf("schemadiff has no %s command: %v", name, err)
			continue
		}
		type decl struct{ Type, Default string }
		got, want := map[string]decl{}, map[string]decl{}
		cmd.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if !slices.Contains(ownFlags, f.Name) {
				got[f.Name] = decl{f.Value.Type(), f.DefValue}
			}
		})
		for _, f := range migrate.Flags(name) {
			v := f.NewValue()
			want[f.Name] = decl{v.Type(), v.String()}
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("schemadiff %s and the runner's %s differ in their flags (-runner +schemadiff):\n%s", name, name, d)
		}
	}
}

// TestRunnerArgs: the runner flags given to schemadiff are passed on, in
// the runner's syntax, after the database URL resolved by schemadiff.
func TestRunnerArgs(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"rollback"}, []string{"rollback", "--db", "postgres://u/db"}},
		{[]string{"rollback", "--db", "postgres://given/db", "--steps", "2", "--dry-run", "--lock-timeout", "90s", "--table", "audit.history"},
			[]string{"rollback", "--db", "postgres://u/db", "--lock-timeout=1m30s", "--table=audit.history", "--dry-run=true", "--steps=2"}},
		{[]string{"apply", "--to", "-1", "--ddl-lock-timeout=0", "--dry-run=false"},
			[]string{"apply", "--db", "postgres://u/db", "--ddl-lock-timeout=0", "--dry-run=false", "--to=-1"}},
		{[]string{"status", "--fail-on-pending", "--format", "json"},
			[]string{"status", "--db", "postgres://u/db", "--format=json", "--fail-on-pending=true"}},
		{[]string{"resolve", "--version", "20260101000001", "--pending"},
			[]string{"resolve", "--db", "postgres://u/db", "--version=20260101000001", "--pending=true"}},
	} {
		cmd := &cobra.Command{Use: tc.args[0]}
		runnerArgs := addRunnerFlags(cmd)
		if err := cmd.ParseFlags(tc.args[1:]); err != nil {
			t.Errorf("%q: %v", tc.args, err)
			continue
		}
		if d := cmp.Diff(tc.want, runnerArgs("postgres://u/db")); d != "" {
			t.Errorf("%q: runner arguments (-want +got):\n%s", tc.args, d)
		}
	}
	cmd := &cobra.Command{Use: "rollback"}
	addRunnerFlags(cmd)
	if err := cmd.ParseFlags([]string{"--steps", "two"}); err == nil {
		t.Errorf("--steps two accepted: values are checked before the runner is compiled")
	}
}

// TestRunnerFlagsReachTheRunner runs apply and status through the real
// runner with --table, a runner flag schemadiff declares from package
// migrate's list: the history goes where it says. A runner error reads
// like schemadiff's own ("schemadiff: ...").
func TestRunnerFlagsReachTheRunner(t *testing.T) {
	_, work := moduleWorkDir(t)
	dir := writeMigrationsPackage(t, work, "tablemig", map[string]string{v1 + "_create_a.go": simpleMigration("tablemig", v1, "", "a")})
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, "CREATE SCHEMA audit")
	if r := runCLI(t, "apply", "--db", db, "--dir", dir, "--table", "audit.history", "--lock-timeout=30s"); r.code != exitOK {
		t.Fatalf("apply --table audit.history: exit %d\n%s", r.code, r.stderr)
	}
	if n := queryText(t, db, "SELECT count(*)::text FROM audit.history WHERE version = $1", v1); n != "1" {
		t.Errorf("audit.history holds %s rows for %s, want 1", n, v1)
	}
	if n := queryText(t, db, "SELECT count(*)::text FROM pg_tables WHERE tablename = 'schemadiff_migrations'"); n != "0" {
		t.Errorf("the default history table was created as well")
	}
	if r := runCLI(t, "status", "--db", db, "--dir", dir, "--table", "audit.history", "--fail-on-pending"); r.code != exitOK || !strings.Contains(r.stdout, "applied") {
		t.Errorf("status --table audit.history: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r := runCLI(t, "status", "--db", db, "--dir", dir, "--table", "a.b.c")
	if r.code != exitError || !strings.Contains(r.stderr, `schemadiff: invalid history table name "a.b.c"`) {
		t.Errorf("status --table a.b.c: exit %d, stderr %q; want 2 and a schemadiff: error", r.code, r.stderr)
	}

	// plan, check and generate take the same --table: the history table is
	// never part of the schema, and generate reads what is applied from it.
	schemaFile := writeFile(t, t.TempDir(), "schema.sql", "CREATE SCHEMA audit;\nCREATE TABLE a (id int);\n")
	if r := runCLI(t, "check", "--db", db, "--schema", schemaFile, "--table", "audit.history"); r.code != exitOK {
		t.Errorf("check --table audit.history: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, "plan", "--db", db, "--schema", schemaFile, "--table", "audit.history"); r.code != exitOK || strings.Contains(r.stdout, "history") {
		t.Errorf("plan --table audit.history: exit %d, want 0 and no change to the history table\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, "check", "--db", db, "--schema", schemaFile); r.code != exitDrift || !strings.Contains(r.stdout+r.stderr, "history") {
		t.Errorf("check without --table: exit %d, want 1 naming audit.history as drift\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, "generate", "--db", db, "--dir", dir, "--schema", schemaFile, "--table", "audit.history"); r.code != exitOK || !strings.Contains(r.stderr, "no changes") {
		t.Errorf("generate --table audit.history: exit %d, want 0 and no changes\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, "generate", "--db", db, "--dir", dir, "--schema", schemaFile); r.code != exitError || !strings.Contains(r.stderr, "lags behind") {
		t.Errorf("generate without --table: exit %d, want 2 (the default history table records nothing)\n%s%s", r.code, r.stdout, r.stderr)
	}
}
