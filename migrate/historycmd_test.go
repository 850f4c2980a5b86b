package migrate

import (
	"context"
	"encoding/json"
	neturl "net/url"
	"strings"
	"testing"
)

// TestHistoryUpgradeAndRedo starts from a history table as older runtimes
// created it, without applied_by: apply adds the column and records who
// applied the new migrations, the old row reading as unknown. history
// lists them; redo rolls the last one back and applies it again.
func TestHistoryUpgradeAndRedo(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	set := newSet(threeMigrations()...)
	m := NewMigrator(conn, set, Options{})
	old := `CREATE TABLE schemadiff_migrations (version text PRIMARY KEY, name text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now(), duration_ms bigint NOT NULL, checksum text NOT NULL);
		CREATE TABLE users (id bigint PRIMARY KEY)`
	if _, err := conn.Exec(t.Context(), old); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(t.Context(), "INSERT INTO schemadiff_migrations (version, name, duration_ms, checksum) VALUES ($1, 'create_users', 5, $2)",
		v1, threeMigrations()[0].Checksum()); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runMain(t, set, url, "apply")
	if code != ExitOK || !strings.Contains(stderr, "added column applied_by to history table") {
		t.Fatalf("apply on an old history table: exit %d\n%s", code, stderr)
	}
	applied, err := m.History(t.Context())
	if err != nil || len(applied) != 3 {
		t.Fatalf("History = %v, %v", applied, err)
	}
	if applied[0].AppliedBy != "" || applied[1].AppliedBy == "" || applied[2].AppliedBy == "" {
		t.Errorf("applied_by: %q, %q, %q; want unknown for the row from before the column, then who applied", applied[0].AppliedBy, applied[1].AppliedBy, applied[2].AppliedBy)
	}

	code, stdout, stderr := runMain(t, set, url, "history")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != ExitOK || len(lines) != 4 || !strings.HasPrefix(strings.Join(strings.Fields(lines[0]), " "), "VERSION NAME APPLIED AT DURATION APPLIED BY") || !strings.HasSuffix(lines[1], " -") ||
		!strings.Contains(lines[3], applied[2].AppliedBy) {
		t.Errorf("history: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, _ = runMain(t, set, url, "history", "--format", "json")
	var js []map[string]any
	if err := json.Unmarshal([]byte(stdout), &js); code != ExitOK || err != nil || len(js) != 3 || js[0]["applied_by"] != nil || js[2]["applied_by"] != applied[2].AppliedBy {
		t.Errorf("history --format json: exit %d, %v\n%s", code, err, stdout)
	}

	code, _, stderr = runMain(t, set, url, "redo")
	if code != ExitOK || !strings.Contains(stderr, "rolling back "+v3) || !strings.Contains(stderr, "redid "+v3+" add_nickname") {
		t.Fatalf("redo: exit %d\n%s", code, stderr)
	}
	after, err := m.History(t.Context())
	if err != nil || len(after) != 3 || !after[2].AppliedAt.After(applied[2].AppliedAt) {
		t.Errorf("after redo: %v, %v; want %s applied again", after, err, v3)
	}

	empty := testDBURL(t)
	if code, _, stderr = runMain(t, set, empty, "redo"); code != ExitError || !strings.Contains(stderr, "redo") {
		t.Errorf("redo with nothing applied: exit %d\n%s", code, stderr)
	}
}

// TestHistoryUpgradeWithoutPrivilege: a role that may write the history
// table but not alter it keeps applying migrations on an old history
// table; who applied them is not recorded, and a warning says why.
func TestHistoryUpgradeWithoutPrivilege(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	const role = "schemadiff_test_noalter"
	for _, q := range []string{
		"DROP ROLE IF EXISTS " + role,
		"CREATE ROLE " + role + " LOGIN",
		`CREATE TABLE schemadiff_migrations (version text PRIMARY KEY, name text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now(), duration_ms bigint NOT NULL, checksum text NOT NULL)`,
		"GRANT SELECT, INSERT, DELETE ON schemadiff_migrations TO " + role,
		"GRANT CREATE ON SCHEMA public TO " + role,
	} {
		if _, err := conn.Exec(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	t.Cleanup(func() {
		_, _ = conn.Exec(context.Background(), "DROP OWNED BY "+role)
		_, _ = conn.Exec(context.Background(), "DROP ROLE "+role)
	})
	u, err := neturl.Parse(url)
	if err != nil {
		t.Fatal(err)
	}
	u.User = neturl.User(role)
	code, _, stderr := runMain(t, newSet(threeMigrations()...), u.String(), "apply")
	if code != ExitOK || !strings.Contains(stderr, "warning: could not add column applied_by") {
		t.Fatalf("apply as a role that may not alter the history table: exit %d\n%s", code, stderr)
	}
	applied, err := NewMigrator(conn, newSet(threeMigrations()...), Options{}).History(t.Context())
	if err != nil || len(applied) != 3 || applied[2].AppliedBy != "" {
		t.Errorf("History = %v, %v; want 3 migrations without who applied them", applied, err)
	}
}
