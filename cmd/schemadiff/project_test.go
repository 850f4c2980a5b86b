package main

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

// projectFile is a project file giving every key, for the precedence
// tests.
const projectFile = `schema = ["schema"]
migrations = "db/migrations"
history_table = "ops.history"
lock_timeout = "45s"
ddl_lock_timeout = "3s"
statement_timeout = "10m"

[targets.dev]
url = "postgres://localhost/dev"

[targets.prod]
url_env = "SCHEMADIFF_TEST_PROD_URL"

[targets.tenants]
urls = ["postgres://localhost/t1", "postgres://localhost/t2"]
`

// parsed is what a command line leaves in the flags once the project file
// is read: the values of the flags named, the runner's command line and
// the fleet's labels.
type parsed struct {
	Flags  map[string]string
	Runner []string
	Fleet  []string
}

// parseWithProject parses args as the root command would and reads the
// project file as its PersistentPreRunE does, without running anything.
func parseWithProject(t *testing.T, args []string, flags ...string) (parsed, error) {
	t.Helper()
	o := &options{stdout: io.Discard, stderr: io.Discard}
	root := newRoot(o)
	cmd, rest, err := root.Find(args)
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.ParseFlags(rest); err != nil {
		return parsed{}, err
	}
	if err := root.PersistentPreRunE(cmd, nil); err != nil {
		return parsed{}, err
	}
	p := parsed{Flags: map[string]string{}}
	for _, name := range flags {
		if f := cmd.Flags().Lookup(name); f != nil {
			p.Flags[name] = f.Value.String()
		}
	}
	if slices.Contains(fleetAndRunner, cmd.Name()) {
		p.Runner = runnerArgsOf(cmd)
	}
	for _, d := range o.project.fleet {
		p.Fleet = append(p.Fleet, d.Label)
	}
	return p, nil
}

// fleetAndRunner are the runner commands whose arguments the tests read.
var fleetAndRunner = []string{"apply", "status", "rollback"}

// runnerArgsOf returns the runner arguments cmd would pass, with the
// database its --db names.
func runnerArgsOf(cmd *cobra.Command) []string {
	args := []string{cmd.Name()}
	for _, name := range []string{"db", "lock-timeout", "table", "statement-timeout", "ddl-lock-timeout"} {
		if f := cmd.Flags().Lookup(name); f != nil && f.Changed {
			args = append(args, "--"+name+"="+f.Value.String())
		}
	}
	return args
}

func TestProjectFilePrecedence(t *testing.T) {
	dir := t.TempDir()
	config := writeFile(t, dir, "schemadiff.toml", projectFile)
	t.Setenv("SCHEMADIFF_TEST_PROD_URL", "postgres://prod/app")
	abs := func(p string) string { return filepath.Join(dir, p) }
	tests := []struct {
		name    string
		args    []string
		flags   []string
		want    parsed
		wantErr string
	}{
		{name: "file fills the runner's flags", args: []string{"apply", "--config", config, "--target", "dev"}, flags: []string{"dir"},
			want: parsed{Flags: map[string]string{"dir": abs("db/migrations")},
				Runner: []string{"apply", "--db=postgres://localhost/dev", "--lock-timeout=45s", "--table=ops.history", "--statement-timeout=10m0s", "--ddl-lock-timeout=3s"}}},
		{name: "flags override the file", args: []string{"rollback", "--config", config, "--db", "postgres://x/y", "--dir", "other", "--table", "h", "--lock-timeout", "1s"},
			flags: []string{"dir"},
			want: parsed{Flags: map[string]string{"dir": "other"},
				Runner: []string{"rollback", "--db=postgres://x/y", "--lock-timeout=1s", "--table=h", "--statement-timeout=10m0s", "--ddl-lock-timeout=3s"}}},
		{name: "url_env", args: []string{"status", "--config", config, "--target", "prod"},
			want: parsed{Flags: map[string]string{}, Runner: []string{"status", "--db=postgres://prod/app", "--lock-timeout=45s", "--table=ops.history"}}},
		{name: "schema and table of plan", args: []string{"plan", "--config", config, "--target", "dev"}, flags: []string{"schema", "table", "db"},
			want: parsed{Flags: map[string]string{"schema": "[" + abs("schema") + "]", "table": "ops.history", "db": "postgres://localhost/dev"}}},
		{name: "schema given", args: []string{"plan", "--config", config, "--schema", "x.sql"}, flags: []string{"schema"},
			want: parsed{Flags: map[string]string{"schema": "[x.sql]"}}},
		{name: "check keeps comparing with a database", args: []string{"check", "--config", config}, flags: []string{"dir"},
			want: parsed{Flags: map[string]string{"dir": ""}}},
		{name: "generate takes the directory", args: []string{"generate", "--config", config}, flags: []string{"dir"},
			want: parsed{Flags: map[string]string{"dir": abs("db/migrations")}}},
		{name: "fleet target", args: []string{"apply", "--config", config, "--target", "tenants"},
			want: parsed{Flags: map[string]string{}, Runner: []string{"apply", "--lock-timeout=45s", "--table=ops.history", "--statement-timeout=10m0s", "--ddl-lock-timeout=3s"},
				Fleet: []string{"tenants/t1", "tenants/t2"}}},
		{name: "all targets", args: []string{"status", "--config", config, "--all-targets"},
			want: parsed{Flags: map[string]string{}, Runner: []string{"status", "--lock-timeout=45s", "--table=ops.history"},
				Fleet: []string{"dev", "prod", "tenants/t1", "tenants/t2"}}},
		{name: "fleet target on a command for one database", args: []string{"plan", "--config", config, "--target", "tenants"},
			wantErr: `target "tenants" lists 2 databases; plan runs on one`},
		{name: "db and target", args: []string{"apply", "--config", config, "--target", "dev", "--db", "postgres://x/y"},
			wantErr: "--db and --target (or --all-targets) both name the database"},
		{name: "unknown target", args: []string{"apply", "--config", config, "--target", "staging"},
			wantErr: `unknown target "staging"`},
		{name: "no project file", args: []string{"apply", "--config", "", "--target", "dev"},
			wantErr: "need a project file"},
		{name: "missing project file", args: []string{"apply", "--config", abs("nope.toml")},
			wantErr: "nope.toml"},
	}
	t.Chdir(t.TempDir()) // no project file from here upward
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseWithProject(t, tc.args, tc.flags...)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
	t.Run("missing variable", func(t *testing.T) {
		t.Setenv("SCHEMADIFF_TEST_PROD_URL", "")
		_, err := parseWithProject(t, []string{"apply", "--config", config, "--target", "prod"})
		if err == nil || !strings.Contains(err.Error(), `target "prod"`) || !strings.Contains(err.Error(), "SCHEMADIFF_TEST_PROD_URL") {
			t.Errorf("error %v, want one naming the target and the variable", err)
		}
	})
	t.Run("unknown key", func(t *testing.T) {
		bad := writeFile(t, t.TempDir(), "schemadiff.toml", "migrations = \"m\"\nhistory = \"h\"\n")
		r := runCLI(t, "status", "--config", bad)
		if r.code != exitError || !strings.Contains(r.stderr, bad+":2:1: unknown key \"history\"") {
			t.Errorf("exit %d, stderr %q; want 2 naming the file and line", r.code, r.stderr)
		}
	})
}

// TestProjectFileFoundUpward applies and reads the status of migrations
// named only by the project file, found from a subdirectory, on the target
// whose URL an environment variable holds: the history goes to the file's
// history table.
func TestProjectFileFoundUpward(t *testing.T) {
	_, work := moduleWorkDir(t)
	const pkg = "projmig"
	writeMigrationsPackage(t, work, pkg, map[string]string{v1 + "_create_a.go": simpleMigration(pkg, v1, "", "a")})
	writeFile(t, work, "schemadiff.toml", "migrations = \""+pkg+"\"\nhistory_table = \"project_history\"\n\n[targets.dev]\nurl_env = \"SCHEMADIFF_TEST_DEV_TARGET\"\n")
	sub := filepath.Join(work, "deep", "er")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	db := pgtest.NewDB(t)
	t.Setenv("SCHEMADIFF_TEST_DEV_TARGET", db)
	t.Setenv(databaseURLEnv, "")
	t.Chdir(sub)

	if r := runCLI(t, "apply", "--target", "dev"); r.code != exitOK {
		t.Fatalf("apply --target dev: exit %d\n%s", r.code, r.stderr)
	}
	if got := queryString(t, db, "SELECT string_agg(version, ',') FROM project_history"); got != v1 {
		t.Errorf("project_history holds %q, want %s", got, v1)
	}
	if got := queryString(t, db, "SELECT (to_regclass('a') IS NOT NULL)::text"); got != "true" {
		t.Errorf("table a exists: %s", got)
	}
	r := runCLI(t, "status", "--target", "dev", "--fail-on-pending")
	if r.code != exitOK || !strings.Contains(r.stdout, "applied") {
		t.Errorf("status --target dev: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, "history", "--target", "dev")
	if r.code != exitOK || !containsRow(r.stdout, v1, "create_a") || strings.Contains(r.stdout, " -\n") {
		t.Errorf("history --target dev: exit %d, want %s with who applied it\n%s%s", r.code, v1, r.stdout, r.stderr)
	}
	r = runCLI(t, "redo", "--target", "dev")
	if r.code != exitOK || !strings.Contains(r.stderr, "redid "+v1+" create_a") {
		t.Errorf("redo --target dev: exit %d\n%s", r.code, r.stderr)
	}
	// an explicit --table wins over the file's: that history is empty
	r = runCLI(t, "status", "--target", "dev", "--table", "other_history", "--fail-on-pending")
	if r.code != 3 {
		t.Errorf("status --table other_history: exit %d, want 3 (pending)\n%s%s", r.code, r.stdout, r.stderr)
	}
}
