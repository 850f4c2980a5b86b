package introspect

import (
	"context"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// defaultPrivileges reads ALTER DEFAULT PRIVILEGES entries. An entry for
// every schema replaces the built-in defaults, one for a schema adds to
// them; either way only what others than the creating role get is kept,
// and an entry that ends up equal to the built-in defaults is left out, as
// PostgreSQL itself does. The current user's entries are kept under the
// role "", since they apply to whoever runs the migrations.
func (r *reader) defaultPrivileges(ctx context.Context) error {
	if err := r.tx.QueryRow(ctx, "SELECT current_user::text", queryMode).Scan(&r.cat.CurrentUser); err != nil {
		return err
	}
	seen := map[schema.DefaultACL]bool{}
	err := r.query(ctx, `SELECT pg_catalog.pg_get_userbyid(d.defaclrole)::text, COALESCE(n.nspname, ''), d.defaclobjtype::text,
			COALESCE(CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END, ''),
			COALESCE(a.privilege_type, ''), COALESCE(a.is_grantable, false),
			COALESCE(a.grantee = d.defaclrole, false),
			ARRAY(SELECT s.privilege_type || s.is_grantable::text FROM pg_catalog.aclexplode(d.defaclacl) s
				WHERE s.grantee = d.defaclrole ORDER BY 1)
			IS DISTINCT FROM
			ARRAY(SELECT s.privilege_type || s.is_grantable::text FROM pg_catalog.aclexplode(
				CASE WHEN d.defaclnamespace = 0
					THEN pg_catalog.acldefault(CASE d.defaclobjtype WHEN 'S' THEN 's' ELSE d.defaclobjtype END, d.defaclrole)
					END) s
				WHERE s.grantee = d.defaclrole ORDER BY 1)
		FROM pg_catalog.pg_default_acl d
		LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
		LEFT JOIN LATERAL pg_catalog.aclexplode(d.defaclacl) a ON true
		ORDER BY 2, 3, 4`, func(rows scanner) error {
		var (
			role, objtype    string
			key              schema.DefaultACL
			g                schema.Grant
			self, ownChanged bool
		)
		if err := rows.Scan(&role, &key.Schema, &objtype, &g.Grantee, &g.Privilege, &g.Grantable, &self, &ownChanged); err != nil {
			return err
		}
		if role != r.cat.CurrentUser {
			key.Role = role
		}
		key.Objects = schema.DefaultACLObjectsOfCode(objtype)
		if key.Objects == "" {
			return nil
		}
		if ownChanged && !seen[key] {
			// What the creating role grants itself is not modelled: say so.
			r.cat.Unsupported = append(r.cat.Unsupported, schema.ID{Kind: schema.KindDefaultPrivilegesOfCreator,
				Schema: key.Schema, Name: role + " on " + strings.ToLower(key.Objects)})
		}
		seen[key] = true
		if g.Privilege != "" && !self {
			r.cat.DefaultPrivileges[key] = append(r.cat.DefaultPrivileges[key], g)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for key := range seen {
		gs := sortGrants(r.cat.DefaultPrivileges[key])
		builtin := []schema.Grant(nil)
		if key.Schema == "" {
			builtin = schema.BuiltinDefaultGrants(key.Objects)
		}
		if slices.Equal(gs, builtin) {
			delete(r.cat.DefaultPrivileges, key)
			continue
		}
		if gs == nil {
			gs = []schema.Grant{} // every built-in default revoked
		}
		r.cat.DefaultPrivileges[key] = gs
	}
	return nil
}
