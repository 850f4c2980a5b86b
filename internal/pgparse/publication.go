package pgparse

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// PublicationSuperuserForm returns the clause of a CREATE or ALTER
// PUBLICATION statement that only a superuser may run ("FOR ALL TABLES",
// "FOR TABLES IN SCHEMA"), or "" when sql is no such statement or has none
// (a statement that does not parse is the server's to report).
func PublicationSuperuserForm(sql string) string {
	if !strings.Contains(strings.ToLower(sql), "publication") {
		return ""
	}
	tree, err := Parse(sql)
	if err != nil || len(tree.Stmts) != 1 {
		return ""
	}
	var allTables bool
	var objects []*pg_query.Node
	switch n := tree.Stmts[0].Stmt; {
	case n.GetCreatePublicationStmt() != nil:
		allTables, objects = n.GetCreatePublicationStmt().ForAllTables, n.GetCreatePublicationStmt().Pubobjects
	case n.GetAlterPublicationStmt() != nil:
		allTables, objects = n.GetAlterPublicationStmt().ForAllTables, n.GetAlterPublicationStmt().Pubobjects
	default:
		return ""
	}
	if allTables {
		return "FOR ALL TABLES"
	}
	for _, o := range objects {
		switch o.GetPublicationObjSpec().GetPubobjtype() {
		case pg_query.PublicationObjSpecType_PUBLICATIONOBJ_TABLES_IN_SCHEMA,
			pg_query.PublicationObjSpecType_PUBLICATIONOBJ_TABLES_IN_CUR_SCHEMA:
			return "FOR TABLES IN SCHEMA"
		}
	}
	return ""
}
