package pgparse

import (
	"slices"
	"strings"
	"testing"
)

func TestRolesNamed(t *testing.T) {
	sql := `GRANT SELECT ON t TO reader, "Quoted Role", PUBLIC;
REVOKE ALL ON t FROM CURRENT_USER;
CREATE POLICY p ON t TO app_user USING (true);
ALTER DEFAULT PRIVILEGES FOR ROLE owner_role GRANT SELECT ON TABLES TO reader;
ALTER TABLE t OWNER TO owner_role;`
	want := []string{"Quoted Role", "app_user", "owner_role", "reader"}
	if got := RolesNamed(sql); !slices.Equal(got, want) {
		t.Errorf("RolesNamed: got %q, want %q", got, want)
	}
	if got := RolesNamed("not sql at all"); got != nil {
		t.Errorf("RolesNamed of bad SQL: got %q", got)
	}
}

// TestRolesNamedTooDeep: text too deep to parse names no role.
func TestRolesNamedTooDeep(t *testing.T) {
	deepSum := "1" + strings.Repeat("+1", 29999)
	if roles := RolesNamed("GRANT SELECT ON t TO r; SELECT " + deepSum); roles != nil {
		t.Errorf("got %v", roles)
	}
}
