package pipeline

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/schemadiff/schemadiff/internal/pgparse"
)

// statementHash is the hash of a statement's exact text: two statements
// differing in a constant differ (pg_query fingerprints would not).
func statementHash(sql string) string {
	sum := sha256.Sum256([]byte(sql))
	return hex.EncodeToString(sum[:16])
}

// unwarmable says why a statement cannot be loaded incrementally, or ""
// when it can: every effect of such a statement is on objects PostgreSQL
// reports to a ddl_command_end event trigger, so that dropping them undoes
// it. Statements that read or change anything else (DO blocks, SET,
// queries and data, GRANT and REVOKE, CREATE TABLE ... AS and LIKE,
// default privileges, extensions, event triggers, LEAKPROOF) are not.
func unwarmable(sql string) string {
	if p, _ := classify(sql); p != asLoader {
		return "a statement run as the administrator"
	}
	if _, _, ok, err := leakproofParts(sql); ok || err != nil {
		return "LEAKPROOF"
	}
	if why := unloadablePublication(sql); why != "" {
		return why
	}
	tree, err := pgparse.Parse(sql)
	if err != nil || len(tree.Stmts) != 1 {
		return "a statement that does not parse alone"
	}
	n := tree.Stmts[0].Stmt
	switch {
	case n.GetCreateStmt() != nil:
		for _, e := range n.GetCreateStmt().TableElts {
			if e.GetTableLikeClause() != nil {
				return "CREATE TABLE ... LIKE"
			}
		}
		return ""
	case n.GetIndexStmt() != nil:
		if n.GetIndexStmt().Concurrent {
			return "CREATE INDEX CONCURRENTLY"
		}
		return ""
	case n.GetCreateSchemaStmt() != nil:
		if len(n.GetCreateSchemaStmt().SchemaElts) > 0 {
			return "CREATE SCHEMA with elements"
		}
		return ""
	case n.GetViewStmt() != nil, n.GetCreateFunctionStmt() != nil, n.GetCreateSeqStmt() != nil,
		n.GetAlterSeqStmt() != nil, n.GetCreateEnumStmt() != nil, n.GetAlterEnumStmt() != nil,
		n.GetCompositeTypeStmt() != nil, n.GetCreateDomainStmt() != nil, n.GetAlterDomainStmt() != nil,
		n.GetCreateRangeStmt() != nil, n.GetAlterTableStmt() != nil, n.GetCommentStmt() != nil,
		n.GetCreateTrigStmt() != nil, n.GetCreatePolicyStmt() != nil, n.GetAlterPolicyStmt() != nil,
		n.GetAlterOwnerStmt() != nil, n.GetAlterFunctionStmt() != nil, n.GetRuleStmt() != nil,
		n.GetCreateStatsStmt() != nil:
		return ""
	}
	return "a statement whose effects are not all reported as created or altered objects"
}
