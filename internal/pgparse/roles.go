package pgparse

import (
	"slices"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// RolesNamed returns the roles that SQL text names (in GRANT and REVOKE,
// policies, OWNER TO, ALTER DEFAULT PRIVILEGES FOR ROLE, ...), sorted and
// without repeats; PUBLIC, CURRENT_USER and the like are not roles. Text
// that does not parse, or is too deep to parse safely, names none.
func RolesNamed(sql string) []string {
	tree, err := Parse(sql)
	if err != nil {
		return nil
	}
	var roles []string
	for _, raw := range tree.Stmts {
		if raw.Stmt == nil {
			continue
		}
		WalkMessages(raw.Stmt.ProtoReflect(), func(m protoreflect.Message) {
			rs, ok := m.Interface().(*pg_query.RoleSpec)
			if ok && rs.Roletype == pg_query.RoleSpecType_ROLESPEC_CSTRING && rs.Rolename != "" {
				roles = append(roles, rs.Rolename)
			}
		})
	}
	slices.Sort(roles)
	return slices.Compact(roles)
}
