package pipeline

import (
	"strconv"
	"strings"

	"github.com/schemadiff/schemadiff/internal/pgparse"
	"github.com/schemadiff/schemadiff/schema"
)

// newOwner returns the role an ALTER ... OWNER TO statement hands its
// object to, when it names one (not CURRENT_USER and the like).
func newOwner(sql string) (string, bool) {
	if !strings.Contains(strings.ToLower(sql), "owner") {
		return "", false
	}
	tree, err := pgparse.Parse(sql)
	if err != nil || len(tree.Stmts) != 1 {
		return "", false
	}
	var spec *pgparse.RoleSpec
	switch n := tree.Stmts[0].Stmt; {
	case n.GetAlterOwnerStmt() != nil:
		spec = n.GetAlterOwnerStmt().GetNewowner()
	case n.GetAlterTableStmt() != nil:
		cmds := n.GetAlterTableStmt().GetCmds()
		for _, c := range cmds {
			cmd := c.GetAlterTableCmd()
			if cmd == nil || cmd.Subtype != pgparse.AlterTableType_AT_ChangeOwner {
				return "", false
			}
			spec = cmd.GetNewowner()
		}
	}
	if spec == nil || spec.Roletype != pgparse.RoleSpecType_ROLESPEC_CSTRING {
		return "", false
	}
	return spec.Rolename, true
}

// withOwnerRights lets the loading role run the ALTER ... OWNER TO
// statements among stmts (schema statements or plan statements; sqlOf points
// at a statement's text): PostgreSQL wants the new owner to have CREATE on
// the object's schema (and, for a schema, on the database) unless a
// superuser runs it. Each such statement runs in a DO block, as the loading
// role, between a GRANT of what the new owner lacks on the schemas and the
// database the loading role may grant on and the REVOKE that takes it back,
// so the catalog ends as the statement alone leaves it on the target. It
// returns stmts itself when none needs it.
func withOwnerRights[T any](stmts []T, sqlOf func(*T) *string, loader string) []T {
	var out []T
	for i := range stmts {
		sql := *sqlOf(&stmts[i])
		role, ok := newOwner(sql)
		if !ok || role == loader {
			continue
		}
		if out == nil {
			out = append([]T(nil), stmts...)
		}
		*sqlOf(&out[i]) = ownerChangeBlock(sql, role)
	}
	if out == nil {
		return stmts
	}
	return out
}

// ownerChangeBlock wraps an owner change in the DO block withOwnerRights
// describes.
func ownerChangeBlock(sql, role string) string {
	body := `
DECLARE
	s pg_catalog.name;
	granted pg_catalog.name[] := '{}';
	db_granted boolean := false;
	new_owner pg_catalog.text := ` + schema.Literal(role) + `;
BEGIN
	FOR s IN SELECT n.nspname FROM pg_catalog.pg_namespace n
		WHERE n.nspname OPERATOR(pg_catalog.!~) '^pg_' AND n.nspname OPERATOR(pg_catalog.<>) 'information_schema'
			AND NOT pg_catalog.has_schema_privilege(new_owner, n.oid, 'CREATE')
			AND pg_catalog.pg_has_role(CURRENT_USER, n.nspowner, 'USAGE')
	LOOP
		EXECUTE pg_catalog.format('GRANT CREATE ON SCHEMA %I TO %I', s, new_owner);
		granted := granted OPERATOR(pg_catalog.||) s;
	END LOOP;
	IF NOT pg_catalog.has_database_privilege(new_owner, pg_catalog.current_database(), 'CREATE') THEN
		EXECUTE pg_catalog.format('GRANT CREATE ON DATABASE %I TO %I', pg_catalog.current_database(), new_owner);
		db_granted := true;
	END IF;
	EXECUTE ` + schema.Literal(sql) + `;
	-- A schema the statement handed to the new owner keeps its owner's rights.
	FOREACH s IN ARRAY granted LOOP
		IF NOT EXISTS (SELECT FROM pg_catalog.pg_namespace n
				WHERE n.nspname OPERATOR(pg_catalog.=) s
					AND n.nspowner OPERATOR(pg_catalog.=) (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) new_owner)) THEN
			EXECUTE pg_catalog.format('REVOKE CREATE ON SCHEMA %I FROM %I', s, new_owner);
		END IF;
	END LOOP;
	IF db_granted THEN
		EXECUTE pg_catalog.format('REVOKE CREATE ON DATABASE %I FROM %I', pg_catalog.current_database(), new_owner);
	END IF;
END
`
	tag := "$sd_owner$"
	for n := 0; strings.Contains(body, tag); n++ {
		tag = "$sd_owner" + strconv.Itoa(n) + "$"
	}
	return "DO " + tag + body + tag
}
