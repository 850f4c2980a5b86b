package migrate

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// runMain runs the command line with DATABASE_URL set to dbURL and returns
// the exit code, stdout and stderr.
func runMain(t *testing.T, set *Set, dbURL string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string {
		if k == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}
	code := run(t.Context(), set, args, &stdout, &stderr, getenv)
	return code, stdout.String(), stderr.String()
}

func TestMainCommands(t *testing.T) {
	url := testDBURL(t)
	set := newSet(threeMigrations()...)

	code, _, stderr := runMain(t, set, "", "apply", "--db", url, "--to", v2, "--lock-timeout", "10s")
	if code != ExitOK || !strings.Contains(stderr, "applying "+v1+" create_users") || !strings.Contains(stderr, "applied 2 migrations") {
		t.Fatalf("apply --to: exit %d\n%s", code, stderr)
	}

	code, stdout, stderr := runMain(t, set, url, "status")
	if code != ExitOK {
		t.Fatalf("status: exit %d\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "VERSION") {
		t.Fatalf("status table:\n%s", stdout)
	}
	for i, want := range [][]string{{v1, "create_users", "applied", "UTC"}, {v2, "create_orders", "applied"}, {v3, "add_nickname", "pending", "-"}} {
		if f := strings.Fields(lines[i+1]); len(f) < 4 || f[0] != want[0] || f[1] != want[1] || f[2] != want[2] {
			t.Errorf("status line %d = %q, want %v", i+1, lines[i+1], want)
		}
	}
	if !strings.Contains(stderr, "3 migrations, 1 pending") {
		t.Errorf("status stderr = %q", stderr)
	}

	code, _, stderr = runMain(t, set, url, "apply")
	if code != ExitOK || !strings.Contains(stderr, "applied 1 migration\n") {
		t.Fatalf("apply: exit %d\n%s", code, stderr)
	}

	code, stdout, stderr = runMain(t, set, url, "status", "--format", "json")
	if code != ExitOK {
		t.Fatalf("status json: exit %d\n%s", code, stderr)
	}
	var js []map[string]any
	if err := json.Unmarshal([]byte(stdout), &js); err != nil || len(js) != 3 {
		t.Fatalf("status json %v:\n%s", err, stdout)
	}
	if js[2]["version"] != v3 || js[2]["state"] != "applied" || js[2]["applied"] != true || js[2]["applied_at"] == nil {
		t.Errorf("status json entry = %v", js[2])
	}

	code, _, stderr = runMain(t, set, url, "rollback", "--steps", "2")
	if code != ExitOK || !strings.Contains(stderr, "rolling back "+v3) || !strings.Contains(stderr, "rolled back 2 migrations") {
		t.Fatalf("rollback: exit %d\n%s", code, stderr)
	}
	conn := connect(t, url)
	if got := historyVersions(t, conn); len(got) != 1 || got[0] != v1 {
		t.Errorf("history after rollback = %v", got)
	}

	code, _, stderr = runMain(t, set, url, "rollback", "--steps", "5")
	if code != ExitError || !strings.Contains(stderr, "only 1 are applied") {
		t.Errorf("rollback too many: exit %d\n%s", code, stderr)
	}
}

func TestMainFailingMigration(t *testing.T) {
	url := testDBURL(t)
	ms := threeMigrations()
	ms[2].Up = []Step{SQL("ALTER TABLE no_such_table ADD COLUMN x int")}
	code, _, stderr := runMain(t, newSet(ms...), url, "apply")
	if code != ExitMigrationFailed {
		t.Fatalf("exit %d, want %d\n%s", code, ExitMigrationFailed, stderr)
	}
	for _, want := range []string{"applied 2 migrations", "schemadiff: migration " + v3 + " (add_nickname): step 1 failed: ALTER TABLE no_such_table"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestMainUsageAndConnectionErrors(t *testing.T) {
	set := newSet(threeMigrations()...)
	tests := []struct {
		name  string
		env   string
		args  []string
		code  int
		inErr string
	}{
		{"no command", "postgres://x", nil, ExitError, "no command given"},
		{"unknown command", "postgres://x", []string{"migrate"}, ExitError, `unknown command "migrate"`},
		{"extra args", "postgres://x", []string{"apply", "now"}, ExitError, "unexpected arguments"},
		{"flag for other command", "postgres://x", []string{"apply", "--steps", "2"}, ExitError, "--steps only applies to rollback"},
		{"bad format", "postgres://x", []string{"status", "--format", "yaml"}, ExitError, `unknown --format "yaml"`},
		{"bad flag", "postgres://x", []string{"status", "--nope"}, ExitError, "flag provided but not defined"},
		{"no database", "", []string{"status"}, ExitError, "pass --db URL or set DATABASE_URL"},
		{"bad url", "", []string{"status", "--db", "postgres://u:secret@[::1"}, ExitError, "parsing database URL"},
		{"unreachable", "postgres://postgres@127.0.0.1:1/none?connect_timeout=3", []string{"apply"}, ExitError, "connecting to the database"},
		{"resolve without version", "postgres://x", []string{"resolve", "--applied"}, ExitError, "resolve needs --version V"},
		{"resolve without outcome", "postgres://x", []string{"resolve", "--version", v1}, ExitError, "exactly one of --applied"},
		{"resolve with both outcomes", "postgres://x", []string{"resolve", "--version", v1, "--applied", "--pending"}, ExitError, "exactly one of --applied"},
		{"version flag for apply", "postgres://x", []string{"apply", "--version", v1}, ExitError, "--version only applies to resolve"},
		{"timeout flag for status", "postgres://x", []string{"status", "--statement-timeout", "1s"}, ExitError, "--statement-timeout only applies to apply and rollback"},
		{"negative timeout", "postgres://x", []string{"apply", "--ddl-lock-timeout", "-1s"}, ExitError, "must not be negative"},
		{"help", "", []string{"--help"}, ExitOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runMain(t, set, tt.env, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.inErr) {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			if strings.Contains(stderr, "secret") {
				t.Errorf("stderr shows the password:\n%s", stderr)
			}
		})
	}

	invalid := newSet(threeMigrations()...)
	invalid.Add(Migration{Version: v1, Name: "again"})
	if code, _, stderr := runMain(t, invalid, "postgres://x", "status"); code != ExitError || !strings.Contains(stderr, "used by two migrations") {
		t.Errorf("invalid set: exit %d\n%s", code, stderr)
	}

	if code := Main(set, []string{"status", "--db", "postgres://postgres@127.0.0.1:1/none?connect_timeout=3"}); code != ExitError {
		t.Errorf("Main with an unreachable server: exit %d, want %d", code, ExitError)
	}
}

func TestMainAllowOutOfOrder(t *testing.T) {
	url := testDBURL(t)
	ms := threeMigrations()
	branch := ms[2]
	branch.Parent = v1
	if code, _, stderr := runMain(t, newSet(ms[0], branch), url, "apply"); code != ExitOK {
		t.Fatalf("apply of the branch: exit %d\n%s", code, stderr)
	}
	set := newSet(ms...)
	code, _, stderr := runMain(t, set, url, "apply")
	if code != ExitError || !strings.Contains(stderr, "--allow-out-of-order") {
		t.Fatalf("apply out of order: exit %d, want %d\n%s", code, ExitError, stderr)
	}
	code, _, stderr = runMain(t, set, url, "apply", "--allow-out-of-order")
	if code != ExitOK || !strings.Contains(stderr, "applying "+v2+" create_orders out of order") {
		t.Fatalf("apply --allow-out-of-order: exit %d\n%s", code, stderr)
	}
}
