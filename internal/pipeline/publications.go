package pipeline

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/schemadiff/schemadiff/internal/pgparse"
)

// unloadablePublication returns why the loading role cannot run a
// publication statement of the schema files, or "": FOR ALL TABLES and
// FOR TABLES IN SCHEMA need superuser rights, which the loading role never
// has, and schemadiff does not run them for it as the administrator.
func unloadablePublication(sql string) string {
	if !strings.Contains(strings.ToLower(sql), "publication") {
		return ""
	}
	tree, err := pgparse.Parse(sql)
	if err != nil || len(tree.Stmts) != 1 {
		return "" // the server reports what is wrong with it
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
	const why = " is not supported in schema files: it needs superuser rights, which the role loading them does not have; list the tables (FOR TABLE)"
	if allTables {
		return "FOR ALL TABLES" + why
	}
	for _, o := range objects {
		switch o.GetPublicationObjSpec().GetPubobjtype() {
		case pg_query.PublicationObjSpecType_PUBLICATIONOBJ_TABLES_IN_SCHEMA,
			pg_query.PublicationObjSpecType_PUBLICATIONOBJ_TABLES_IN_CUR_SCHEMA:
			return "FOR TABLES IN SCHEMA" + why
		}
	}
	return ""
}
