package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/internal/pgparse"
)

// statementHash is the hash of a statement's exact text: two statements
// differing in a constant differ (pg_query fingerprints would not).
func statementHash(sql string) string {
	sum := sha256.Sum256([]byte(sql))
	return hex.EncodeToString(sum[:16])
}

// grantTarget finds, after a GRANT or REVOKE ran, the objects it may have
// changed: query, run as the loading role with args, returns (catalog OID,
// object OID) rows. It finds every routine or type of the name, whatever
// the arguments: more objects than the statement changed only makes more
// statements run again.
type grantTarget struct {
	Query string   `json:"query"`
	Args  []string `json:"args"`
}

// The queries of grantTarget, by kind of object.
const (
	grantRelation = `SELECT 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, pg_catalog.to_regclass($1)::pg_catalog.oid`
	grantSchema   = `SELECT 'pg_catalog.pg_namespace'::pg_catalog.regclass::pg_catalog.oid, n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname OPERATOR(pg_catalog.=) $1`
	grantRoutine  = `SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid, p.oid FROM pg_catalog.pg_proc p
		WHERE p.proname OPERATOR(pg_catalog.=) $1 AND ($2 OPERATOR(pg_catalog.=) '' OR p.pronamespace OPERATOR(pg_catalog.=) (
			SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname OPERATOR(pg_catalog.=) $2))`
	grantType = `SELECT 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid, t.oid FROM pg_catalog.pg_type t
		WHERE t.typname OPERATOR(pg_catalog.=) $1 AND ($2 OPERATOR(pg_catalog.=) '' OR t.typnamespace OPERATOR(pg_catalog.=) (
			SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname OPERATOR(pg_catalog.=) $2))`
)

// grantTargets returns how to find the objects a GRANT or REVOKE names,
// or why they cannot be found.
func grantTargets(g *pgparse.GrantStmt) ([]grantTarget, string) {
	if g.Targtype != pgparse.GrantTargetType_ACL_TARGET_OBJECT {
		return nil, "GRANT or REVOKE on all objects of a schema"
	}
	var out []grantTarget
	for _, o := range g.Objects {
		switch g.Objtype {
		case pgparse.ObjectType_OBJECT_TABLE, pgparse.ObjectType_OBJECT_SEQUENCE, pgparse.ObjectType_OBJECT_VIEW,
			pgparse.ObjectType_OBJECT_FOREIGN_TABLE:
			rv := o.GetRangeVar()
			if rv == nil {
				return nil, "GRANT or REVOKE on an unnamed relation"
			}
			name := pgx.Identifier{rv.Relname}
			if rv.Schemaname != "" {
				name = pgx.Identifier{rv.Schemaname, rv.Relname}
			}
			out = append(out, grantTarget{grantRelation, []string{name.Sanitize()}})
		case pgparse.ObjectType_OBJECT_SCHEMA:
			out = append(out, grantTarget{grantSchema, []string{o.GetString_().GetSval()}})
		case pgparse.ObjectType_OBJECT_FUNCTION, pgparse.ObjectType_OBJECT_PROCEDURE, pgparse.ObjectType_OBJECT_ROUTINE:
			owa := o.GetObjectWithArgs()
			if owa == nil {
				return nil, "GRANT or REVOKE on an unnamed routine"
			}
			schema, name, ok := qualifiedName(owa.Objname)
			if !ok {
				return nil, "GRANT or REVOKE on a routine named in another database"
			}
			out = append(out, grantTarget{grantRoutine, []string{name, schema}})
		case pgparse.ObjectType_OBJECT_TYPE, pgparse.ObjectType_OBJECT_DOMAIN:
			schema, name, ok := qualifiedName(o.GetList().GetItems())
			if !ok {
				return nil, "GRANT or REVOKE on a type named in another database"
			}
			out = append(out, grantTarget{grantType, []string{name, schema}})
		default:
			return nil, "GRANT or REVOKE on a " + strings.ToLower(strings.TrimPrefix(g.Objtype.String(), "OBJECT_"))
		}
	}
	return out, ""
}

// qualifiedName reads a name of one or two parts.
func qualifiedName(parts []*pgparse.Node) (schema, name string, ok bool) {
	switch len(parts) {
	case 1:
		return "", parts[0].GetString_().GetSval(), true
	case 2:
		return parts[0].GetString_().GetSval(), parts[1].GetString_().GetSval(), true
	}
	return "", "", false
}

// warmTargets says why a statement cannot be loaded incrementally, or ""
// when it can, and, for a GRANT or REVOKE, how to find what it changed.
// Every effect of a statement loaded incrementally is on objects PostgreSQL
// reports to a ddl_command_end event trigger, so that dropping them undoes
// it. Statements that read or change anything else (DO blocks, SET,
// queries and data, CREATE TABLE ... AS and LIKE, default privileges,
// extensions, event triggers, LEAKPROOF) are not.
func warmTargets(sql string) ([]grantTarget, string) {
	if p, _ := classify(sql); p != asLoader {
		return nil, "a statement run as the administrator"
	}
	if _, _, ok, err := leakproofParts(sql); ok || err != nil {
		return nil, "LEAKPROOF"
	}
	if why := unloadablePublication(sql); why != "" {
		return nil, why
	}
	tree, err := pgparse.Parse(sql)
	if err != nil || len(tree.Stmts) != 1 {
		return nil, "a statement that does not parse alone"
	}
	n := tree.Stmts[0].Stmt
	switch {
	case n.GetGrantStmt() != nil:
		return grantTargets(n.GetGrantStmt())
	case n.GetCreateStmt() != nil:
		for _, e := range n.GetCreateStmt().TableElts {
			if e.GetTableLikeClause() != nil {
				return nil, "CREATE TABLE ... LIKE"
			}
		}
		return nil, ""
	case n.GetIndexStmt() != nil:
		if n.GetIndexStmt().Concurrent {
			return nil, "CREATE INDEX CONCURRENTLY"
		}
		return nil, ""
	case n.GetCreateSchemaStmt() != nil:
		if len(n.GetCreateSchemaStmt().SchemaElts) > 0 {
			return nil, "CREATE SCHEMA with elements"
		}
		return nil, ""
	case n.GetViewStmt() != nil, n.GetCreateFunctionStmt() != nil, n.GetCreateSeqStmt() != nil,
		n.GetAlterSeqStmt() != nil, n.GetCreateEnumStmt() != nil, n.GetAlterEnumStmt() != nil,
		n.GetCompositeTypeStmt() != nil, n.GetCreateDomainStmt() != nil, n.GetAlterDomainStmt() != nil,
		n.GetCreateRangeStmt() != nil, n.GetAlterTableStmt() != nil, n.GetCommentStmt() != nil,
		n.GetCreateTrigStmt() != nil, n.GetCreatePolicyStmt() != nil, n.GetAlterPolicyStmt() != nil,
		n.GetAlterOwnerStmt() != nil, n.GetAlterFunctionStmt() != nil, n.GetRuleStmt() != nil,
		n.GetCreateStatsStmt() != nil:
		return nil, ""
	}
	return nil, "a statement whose effects are not all reported as created or altered objects"
}
