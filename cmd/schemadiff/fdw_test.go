package main

import (
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

// TestUserMappingPasswordsNeverPrinted: the password option of a user
// mapping, in the schema files or in the database, is never part of a
// plan, a check or inspect's output; plan says it leaves it alone.
func TestUserMappingPasswordsNeverPrinted(t *testing.T) {
	db := pgtest.NewDB(t)
	requireExtension(t, db, "postgres_fdw")
	pgtest.Exec(t, db, `CREATE EXTENSION postgres_fdw;
		CREATE SERVER kept FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'h');
		CREATE USER MAPPING FOR PUBLIC SERVER kept OPTIONS (user 'u', password 'current-secret');`)
	file := writeFile(t, t.TempDir(), "schema.sql", `CREATE EXTENSION postgres_fdw;
CREATE SERVER kept FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'h');
CREATE USER MAPPING FOR PUBLIC SERVER kept OPTIONS (user 'u', password 'desired-secret');
CREATE SERVER added FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'h2');
CREATE USER MAPPING FOR PUBLIC SERVER added OPTIONS (user 'v', password 'new-secret');
`)
	bin := schemadiffBinary(t)
	plan := runBinary(t, bin, "plan", "--db", db, "--schema", file)
	if plan.code != 0 {
		t.Fatalf("plan: exit %d\n%s", plan.code, plan.stderr)
	}
	if !strings.Contains(plan.stdout, `CREATE USER MAPPING FOR PUBLIC SERVER added OPTIONS ("user" 'v')`) {
		t.Errorf("plan does not create the mapping without its password:\n%s", plan.stdout)
	}
	if strings.Contains(plan.stdout, "kept") {
		t.Errorf("plan changes the mapping whose password alone differs:\n%s", plan.stdout)
	}
	if !strings.Contains(plan.stderr, "user mapping FOR PUBLIC SERVER added") || !strings.Contains(plan.stderr, "never hold") {
		t.Errorf("plan does not warn that it leaves the new mapping's password out:\n%s", plan.stderr)
	}
	check := runBinary(t, bin, "check", "--db", db, "--schema", file)
	inspect := runBinary(t, bin, "inspect", "--db", db)
	if inspect.code != 0 {
		t.Fatalf("inspect: exit %d\n%s", inspect.code, inspect.stderr)
	}
	for _, r := range []result{plan, check, inspect} {
		for _, secret := range []string{"current-secret", "desired-secret", "new-secret"} {
			if strings.Contains(r.stdout+r.stderr, secret) {
				t.Errorf("a password was printed:\n%s\n%s", r.stdout, r.stderr)
			}
		}
	}
}
