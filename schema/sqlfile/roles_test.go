package sqlfile

import (
	"slices"
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
