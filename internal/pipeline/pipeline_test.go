package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/emit"
	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/introspect"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// planFrom plans from a database built from current to the desired SQL, as
// plan does.
func planFrom(t *testing.T, current, desired string) emit.Plan {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, current)
	from, err := InspectURL(ctx, db, introspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "schema.sql")
	if err := os.WriteFile(path, []byte(desired), 0o644); err != nil {
		t.Fatal(err)
	}
	stmts, _, err := ReadSchema(path)
	if err != nil {
		t.Fatal(err)
	}
	to, err := LoadDesired(ctx, pgtest.Scratch(t), stmts, introspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Plan(from, to)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// hazardsOf maps each statement of p to the messages of its hazards of
// kind k.
func hazardsOf(p emit.Plan, k diff.HazardKind) map[string][]string {
	out := map[string][]string{}
	for _, c := range p.Changes {
		for _, s := range c.Statements {
			out[s.SQL] = nil
			for _, h := range s.Hazards {
				if h.Kind == k {
					out[s.SQL] = append(out[s.SQL], h.Message)
				}
			}
		}
	}
	return out
}

// TestRevokesAccessHazard: every statement that takes a privilege away from
// a grantee holding it carries revokes-access, naming privilege, object and
// grantee; a REVOKE that only gives a created or re-created object the ACL
// the desired state has takes nothing from anyone and carries none.
func TestRevokesAccessHazard(t *testing.T) {
	const roles = `DO $$ BEGIN CREATE ROLE app_ro; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE app_rw; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
`
	pgtest.Exec(t, pgtest.NewDB(t), roles)
	current := `
CREATE SCHEMA app;
GRANT USAGE ON SCHEMA app TO app_ro;
CREATE TABLE app.t (id int, secret text);
GRANT SELECT, INSERT ON app.t TO app_ro;
GRANT SELECT (secret) ON app.t TO app_rw;
CREATE SEQUENCE app.s;
GRANT USAGE ON SEQUENCE app.s TO app_rw WITH GRANT OPTION;
CREATE TYPE app.mood AS ENUM ('ok');
CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION app.h() RETURNS int LANGUAGE sql AS 'SELECT 1';
REVOKE EXECUTE ON FUNCTION app.h() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.h() TO app_ro;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO app_ro;
`
	desired := `
CREATE SCHEMA app;
CREATE TABLE app.t (id int, secret text);
GRANT SELECT ON app.t TO app_ro;
CREATE SEQUENCE app.s;
GRANT USAGE ON SEQUENCE app.s TO app_rw;
CREATE TYPE app.mood AS ENUM ('ok');
REVOKE USAGE ON TYPE app.mood FROM PUBLIC;
CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
REVOKE EXECUTE ON FUNCTION app.f() FROM PUBLIC;
-- h is dropped and created again (its result type changes): the REVOKE
-- from PUBLIC restores the ACL it has now and in the desired state.
CREATE FUNCTION app.h() RETURNS bigint LANGUAGE sql AS 'SELECT 1';
REVOKE EXECUTE ON FUNCTION app.h() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.h() TO app_ro;
-- g is new: the same REVOKE takes nothing from anyone.
CREATE FUNCTION app.g() RETURNS int LANGUAGE sql AS 'SELECT 1';
REVOKE EXECUTE ON FUNCTION app.g() FROM PUBLIC;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
`
	p := planFrom(t, current, desired)
	got := hazardsOf(p, diff.HazardRevokesAccess)
	want := map[string][]string{
		"REVOKE USAGE ON SCHEMA app FROM app_ro":                      {"revokes USAGE on schema app from app_ro"},
		"REVOKE INSERT ON TABLE app.t FROM app_ro":                    {"revokes INSERT on table app.t from app_ro"},
		"REVOKE SELECT (secret) ON TABLE app.t FROM app_rw":           {"revokes SELECT on column app.t.secret from app_rw"},
		"REVOKE GRANT OPTION FOR USAGE ON SEQUENCE app.s FROM app_rw": {"revokes the grant option for USAGE on sequence app.s from app_rw"},
		"REVOKE USAGE ON TYPE app.mood FROM PUBLIC":                   {"revokes USAGE on enum app.mood from PUBLIC"},
		"REVOKE EXECUTE ON FUNCTION app.f() FROM PUBLIC":              {"revokes EXECUTE on function app.f() from PUBLIC"},
		"ALTER DEFAULT PRIVILEGES IN SCHEMA app REVOKE SELECT ON TABLES FROM app_ro": {
			"revokes SELECT from app_ro in the default privileges on tables in schema app: objects created from now on no longer grant it"},
		"ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC": {
			"revokes EXECUTE from PUBLIC in the default privileges on functions: objects created from now on no longer grant it"},
	}
	for sql, msgs := range want {
		if _, planned := got[sql]; !planned {
			t.Errorf("plan lacks %q", sql)
			continue
		}
		if !slices.Equal(got[sql], msgs) {
			t.Errorf("%s\n  hazards %q\n  want    %q", sql, got[sql], msgs)
		}
	}
	recreated := []string{"REVOKE EXECUTE ON FUNCTION app.h() FROM PUBLIC", "REVOKE EXECUTE ON FUNCTION app.g() FROM PUBLIC"}
	for _, sql := range recreated {
		if _, planned := got[sql]; !planned {
			t.Errorf("plan lacks %q", sql)
		}
	}
	for sql, msgs := range got {
		if _, ok := want[sql]; !ok && len(msgs) > 0 {
			t.Errorf("%s carries %s, which it should not: %q", sql, diff.HazardRevokesAccess, msgs)
		}
	}
	if t.Failed() {
		t.Logf("plan:\n%s", planText(t, p))
	}
}

func planText(t *testing.T, p emit.Plan) string {
	t.Helper()
	var b strings.Builder
	if err := emit.SQL(&b, p); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
