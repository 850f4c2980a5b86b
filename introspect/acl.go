package introspect

import (
	"cmp"
	"context"
	"slices"

	"github.com/schemadiff/schemadiff/schema"
)

// policyCommands maps pg_policy.polcmd to the command a policy applies to.
var policyCommands = map[string]string{
	"*": "ALL",
	"r": "SELECT",
	"a": "INSERT",
	"w": "UPDATE",
	"d": "DELETE",
}

// policies reads row-level security policies and the tables' RLS flags.
func (r *reader) policies(ctx context.Context) error {
	err := r.query(ctx, `SELECT c.oid, c.relrowsecurity, c.relforcerowsecurity
		FROM pg_catalog.pg_class c
		WHERE c.oid IN `+tableFilter+` AND (c.relrowsecurity OR c.relforcerowsecurity)`, func(rows scanner) error {
		var (
			oid             uint32
			enabled, forced bool
		)
		if err := rows.Scan(&oid, &enabled, &forced); err != nil {
			return err
		}
		if t := r.tableOIDs[oid]; t != nil {
			t.RowSecurity, t.ForceRowSecurity = enabled, forced
		}
		return nil
	})
	if err != nil {
		return err
	}
	// A policy's own table's columns are listed as dependencies here, since
	// pg_depend's are filtered to other objects: a column type change must
	// drop and recreate the policies that use the column.
	return r.query(ctx, `SELECT pol.polrelid, pol.polname, pol.polpermissive, pol.polcmd::text,
			ARRAY(SELECT CASE WHEN rl.oid = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(rl.oid)::text END
				FROM unnest(pol.polroles) rl(oid)),
			COALESCE(pg_catalog.pg_get_expr(pol.polqual, pol.polrelid), ''),
			COALESCE(pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid), ''),
			COALESCE(pg_catalog.obj_description(pol.oid, 'pg_policy'), ''),
			ARRAY(SELECT DISTINCT a.attname::text FROM pg_catalog.pg_depend d
				JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
				WHERE d.classid = 'pg_catalog.pg_policy'::pg_catalog.regclass AND d.objid = pol.oid
					AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
					AND d.refobjid = pol.polrelid AND d.refobjsubid > 0)
		FROM pg_catalog.pg_policy pol
		WHERE pol.polrelid IN `+tableFilter+`
		ORDER BY pol.polrelid, pol.polname`, func(rows scanner) error {
		var (
			oid  uint32
			p    schema.Policy
			cmd  string
			cols []string
		)
		if err := rows.Scan(&oid, &p.Name, &p.Permissive, &cmd, &p.Roles, &p.Using, &p.Check,
			&p.Comment, &cols); err != nil {
			return err
		}
		t := r.tableOIDs[oid]
		if t == nil {
			return nil
		}
		p.Table = t.QName
		p.Command = policyCommands[cmd]
		slices.Sort(p.Roles)
		slices.Sort(cols)
		for _, c := range cols {
			p.Deps = append(p.Deps, schema.ID{Kind: schema.KindColumn, Schema: t.Schema, Table: t.Name, Name: c})
		}
		t.Policies = append(t.Policies, &p)
		return nil
	})
}

// grants reads privileges on every modelled object: schemas, tables, views,
// sequences, functions, procedures, enums, domains, composite types, and
// the columns of tables and views. Privileges the owner holds are implicit
// and left out. Objects the catalog does not model (extension members,
// identity sequences, ...) are skipped.
//
// Every branch of the objs union casts its names to text: the first branch
// fixes each column's type, and were it name (63 bytes), a function's
// argument list would be cut, and its privileges no longer found.
func (r *reader) grants(ctx context.Context) error {
	err := r.query(ctx, `WITH objs AS (
			SELECT CASE WHEN c.relkind IN ('r', 'p', 'f') THEN `+schema.KindTable.Literal()+` WHEN c.relkind = 'S' THEN `+schema.KindSequence.Literal()+`
					ELSE `+schema.KindView.Literal()+` END AS kind,
				n.nspname::text AS nsp, c.relname::text AS name, ''::text AS args,
				COALESCE(c.relacl, pg_catalog.acldefault(
					CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner)) AS acl,
				c.relowner AS owner
			FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
			WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S') AND `+userSchemas+`
			UNION ALL
			SELECT `+schema.KindColumn.Literal()+`, n.nspname::text, c.relname::text, a.attname::text, a.attacl, c.relowner
			FROM pg_catalog.pg_attribute a
			JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
			JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
			WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped
				AND c.relkind IN ('r', 'p', 'f', 'v', 'm') AND `+userSchemas+`
			UNION ALL
			SELECT `+schema.KindSchema.Literal()+`, ''::text, n.nspname::text, ''::text,
				COALESCE(n.nspacl, pg_catalog.acldefault('n', n.nspowner)), n.nspowner
			FROM pg_catalog.pg_namespace n
			WHERE `+userSchemas+`
			UNION ALL
			SELECT CASE p.prokind WHEN 'p' THEN `+schema.KindProcedure.Literal()+` WHEN 'a' THEN `+schema.KindAggregate.Literal()+` ELSE `+schema.KindFunction.Literal()+` END,
				n.nspname::text, p.proname::text, pg_catalog.pg_get_function_identity_arguments(p.oid)::text,
				COALESCE(p.proacl, pg_catalog.acldefault('f', p.proowner)), p.proowner
			FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
			WHERE p.prokind IN ('f', 'p', 'a') AND `+userSchemas+`
			UNION ALL
			SELECT `+schema.KindType.Literal()+`, n.nspname::text, t.typname::text, ''::text,
				COALESCE(t.typacl, pg_catalog.acldefault('T', t.typowner)), t.typowner
			FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
			WHERE `+userSchemas+` AND (t.typtype IN ('e', 'd', 'r') OR t.typtype = 'c'
				AND (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c')
			UNION ALL
			SELECT `+schema.KindForeignServer.Literal()+`, '', s.srvname, '',
				COALESCE(s.srvacl, pg_catalog.acldefault('S', s.srvowner)), s.srvowner
			FROM pg_catalog.pg_foreign_server s
			WHERE `+notExtensionMember("pg_foreign_server", "s.oid")+`
		)
		SELECT o.kind, o.nsp, o.name, o.args,
			CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END,
			a.privilege_type, a.is_grantable
		FROM objs o, LATERAL pg_catalog.aclexplode(o.acl) a
		WHERE a.grantee <> o.owner`, func(rows scanner) error {
		var (
			kind string
			id   schema.ID
			g    schema.Grant
		)
		if err := rows.Scan(&kind, &id.Schema, &id.Name, &id.Args, &g.Grantee, &g.Privilege, &g.Grantable); err != nil {
			return err
		}
		var err error
		if id.Kind, err = schema.ParseKind(kind); err != nil {
			return err
		}
		if id.Kind == schema.KindColumn {
			// id.Args holds the column's name.
			r.addColumnGrant(schema.QName{Schema: id.Schema, Name: id.Name}, id.Args, g)
			return nil
		}
		if list := r.grantList(id); list != nil {
			*list = append(*list, g)
		}
		return nil
	})
	if err != nil {
		return err
	}
	r.normalizeGrants()
	return nil
}

// addColumnGrant adds a privilege on column col of the table or view q.
func (r *reader) addColumnGrant(q schema.QName, col string, g schema.Grant) {
	var m *map[string][]schema.Grant
	if r.reuse.has(q) {
		return // taken with its privileges
	}
	if t, ok := r.cat.Tables[q]; ok && t.Column(col) != nil {
		m = &t.ColumnGrants
	} else if v, ok := r.cat.Views[q]; ok {
		m = &v.ColumnGrants
	} else {
		return
	}
	if *m == nil {
		*m = map[string][]schema.Grant{}
	}
	(*m)[col] = append((*m)[col], g)
}

// grantList returns the Grants field of the object a privilege row names,
// or nil when the catalog does not model it.
func (r *reader) grantList(id schema.ID) *[]schema.Grant {
	q := schema.QName{Schema: id.Schema, Name: id.Name}
	switch id.Kind {
	case schema.KindSchema:
		if s, ok := r.cat.Schemas[id.Name]; ok {
			return &s.Grants
		}
	case schema.KindTable:
		if t, ok := r.cat.Tables[q]; ok && !r.reuse.has(q) {
			return &t.Grants
		}
	case schema.KindForeignServer:
		if s, ok := r.cat.Servers[id.Name]; ok {
			return &s.Grants
		}
	case schema.KindView:
		if v, ok := r.cat.Views[q]; ok {
			return &v.Grants
		}
	case schema.KindSequence:
		if s, ok := r.cat.Sequences[q]; ok {
			return &s.Grants
		}
	case schema.KindFunction, schema.KindProcedure, schema.KindAggregate:
		if f, ok := r.cat.Functions[id]; ok {
			return &f.Grants
		}
	case schema.KindType:
		if e, ok := r.cat.Enums[q]; ok {
			return &e.Grants
		}
		if d, ok := r.cat.Domains[q]; ok {
			return &d.Grants
		}
		if c, ok := r.cat.Composites[q]; ok {
			return &c.Grants
		}
		if rt, ok := r.cat.Ranges[q]; ok {
			return &rt.Grants
		}
	}
	return nil
}

// normalizeGrants sorts every object's grants by grantee and privilege and
// merges duplicates (the same privilege given by several grantors), which
// keep the grant option if any of them has it.
func (r *reader) normalizeGrants() {
	for _, s := range r.cat.Schemas {
		s.Grants = sortGrants(s.Grants)
	}
	for _, s := range r.cat.Servers {
		s.Grants = sortGrants(s.Grants)
	}
	for _, t := range r.cat.Tables {
		t.Grants = sortGrants(t.Grants)
		for c, gs := range t.ColumnGrants {
			t.ColumnGrants[c] = sortGrants(gs)
		}
	}
	for _, v := range r.cat.Views {
		v.Grants = sortGrants(v.Grants)
		for c, gs := range v.ColumnGrants {
			v.ColumnGrants[c] = sortGrants(gs)
		}
	}
	for _, s := range r.cat.Sequences {
		s.Grants = sortGrants(s.Grants)
	}
	for _, f := range r.cat.Functions {
		f.Grants = sortGrants(f.Grants)
	}
	for _, e := range r.cat.Enums {
		e.Grants = sortGrants(e.Grants)
	}
	for _, d := range r.cat.Domains {
		d.Grants = sortGrants(d.Grants)
	}
	for _, c := range r.cat.Composites {
		c.Grants = sortGrants(c.Grants)
	}
	for _, rt := range r.cat.Ranges {
		rt.Grants = sortGrants(rt.Grants)
	}
}

func sortGrants(gs []schema.Grant) []schema.Grant {
	if len(gs) == 0 {
		return nil
	}
	slices.SortFunc(gs, func(a, b schema.Grant) int {
		return cmp.Or(cmp.Compare(a.Grantee, b.Grantee), cmp.Compare(a.Privilege, b.Privilege))
	})
	out := gs[:1]
	for _, g := range gs[1:] {
		last := &out[len(out)-1]
		if last.Grantee == g.Grantee && last.Privilege == g.Privilege {
			last.Grantable = last.Grantable || g.Grantable
			continue
		}
		out = append(out, g)
	}
	return out
}
