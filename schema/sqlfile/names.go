package sqlfile

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"

	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// stringList returns the String values among nodes, skipping other nodes.
func stringList(nodes []*pg_query.Node) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		if s := n.GetString_(); s != nil {
			out = append(out, s.Sval)
		}
	}
	return out
}

// allStrings reports whether every node is a String.
func allStrings(nodes []*pg_query.Node) bool {
	for _, n := range nodes {
		if n.GetString_() == nil {
			return false
		}
	}
	return len(nodes) > 0
}

// constString returns the value of a string constant, also under a cast.
func constString(n *pg_query.Node) (string, bool) {
	if tc := n.GetTypeCast(); tc != nil {
		n = tc.Arg
	}
	if s := n.GetAConst().GetSval(); s != nil {
		return s.Sval, true
	}
	return "", false
}

// objectTypeName renders an object type for messages, e.g. "materialized
// view".
func objectTypeName(t pg_query.ObjectType) string {
	switch t {
	case pg_query.ObjectType_OBJECT_MATVIEW:
		return "materialized view"
	case pg_query.ObjectType_OBJECT_TABCONSTRAINT, pg_query.ObjectType_OBJECT_DOMCONSTRAINT:
		return "constraint"
	case pg_query.ObjectType_OBJECT_FDW:
		return "foreign-data wrapper"
	case pg_query.ObjectType_OBJECT_FOREIGN_SERVER:
		return "server"
	case pg_query.ObjectType_OBJECT_STATISTIC_EXT:
		return "statistics"
	case pg_query.ObjectType_OBJECT_TSCONFIGURATION:
		return "text search configuration"
	case pg_query.ObjectType_OBJECT_TSDICTIONARY:
		return "text search dictionary"
	case pg_query.ObjectType_OBJECT_TSPARSER:
		return "text search parser"
	case pg_query.ObjectType_OBJECT_TSTEMPLATE:
		return "text search template"
	case pg_query.ObjectType_OBJECT_LARGEOBJECT:
		return "large object"
	case pg_query.ObjectType_OBJECT_TYPE_UNDEFINED:
		return "object"
	}
	s := strings.TrimPrefix(t.String(), "OBJECT_")
	return strings.ToLower(strings.ReplaceAll(s, "_", " "))
}

// relationKind reports whether objects of type t live in the relation, type
// and function namespace.
func relationKind(t pg_query.ObjectType) bool {
	switch t {
	case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_VIEW,
		pg_query.ObjectType_OBJECT_MATVIEW, pg_query.ObjectType_OBJECT_SEQUENCE,
		pg_query.ObjectType_OBJECT_INDEX, pg_query.ObjectType_OBJECT_FOREIGN_TABLE,
		pg_query.ObjectType_OBJECT_TYPE, pg_query.ObjectType_OBJECT_DOMAIN,
		pg_query.ObjectType_OBJECT_FUNCTION, pg_query.ObjectType_OBJECT_PROCEDURE,
		pg_query.ObjectType_OBJECT_ROUTINE, pg_query.ObjectType_OBJECT_AGGREGATE:
		return true
	}
	return false
}

// tableScopedPrefix returns the Provides prefix of objects that are named
// within a table, or "".
func tableScopedPrefix(t pg_query.ObjectType) string {
	switch t {
	case pg_query.ObjectType_OBJECT_TRIGGER:
		return "trigger:"
	case pg_query.ObjectType_OBJECT_POLICY:
		return "policy:"
	case pg_query.ObjectType_OBJECT_RULE:
		return "rule:"
	case pg_query.ObjectType_OBJECT_TABCONSTRAINT:
		return "constraint:"
	}
	return ""
}

// namedPrefix returns the Provides prefix of objects with a single,
// unqualified name, or "".
func namedPrefix(t pg_query.ObjectType) string {
	switch t {
	case pg_query.ObjectType_OBJECT_SCHEMA:
		return "schema:"
	case pg_query.ObjectType_OBJECT_EXTENSION:
		return "ext:"
	case pg_query.ObjectType_OBJECT_ROLE:
		return "role:"
	case pg_query.ObjectType_OBJECT_FOREIGN_SERVER:
		return "server:"
	case pg_query.ObjectType_OBJECT_FDW:
		return "fdw:"
	}
	return ""
}

// statementWords turns a parse node name into words, e.g. "CreateOpClassStmt"
// into "create op class".
func statementWords(name string) string {
	name = strings.TrimSuffix(name, "Stmt")
	var b strings.Builder
	for i, r := range name {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte(' ')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// PlpgsqlParts returns the SQL statements embedded in a PL/pgSQL parse
// tree (JSON from pg_query.ParsePlPgSqlToJSON), made parseable on their
// own, and the declared types of its variables, in a stable order.
func PlpgsqlParts(tree string) (queries, types []string, err error) {
	var v any
	if err := json.Unmarshal([]byte(tree), &v); err != nil {
		return nil, nil, fmt.Errorf("reading PL/pgSQL parse tree: %w", err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			if e, ok := x["PLpgSQL_expr"].(map[string]any); ok {
				q, _ := e["query"].(string)
				mode, _ := e["parseMode"].(float64)
				if s := plpgsqlStatement(q, int(mode)); s != "" {
					queries = append(queries, s)
				}
			}
			if t, ok := x["PLpgSQL_type"].(map[string]any); ok {
				if name, _ := t["typname"].(string); strings.TrimSpace(name) != "" && name != "UNKNOWN" {
					types = append(types, name)
				}
			}
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				walk(x[k])
			}
		}
	}
	walk(v)
	return queries, types, nil
}

// plpgsqlStatement turns a PL/pgSQL expression into a statement according
// to its parse mode (PostgreSQL's RawParseMode).
func plpgsqlStatement(q string, mode int) string {
	switch mode {
	case 0: // a whole statement
		return q
	case 1: // a type name
		return "SELECT NULL::" + q
	case 2: // an expression
		return "SELECT " + q
	case 3, 4, 5: // an assignment "target := expr"
		if i := strings.Index(q, ":="); i >= 0 {
			return "SELECT " + q[i+2:]
		}
		if i := strings.Index(q, "="); i >= 0 {
			return "SELECT " + q[i+1:]
		}
	}
	return ""
}
