package sqlfile

import (
	"strings"
	"unicode"

	"github.com/schemadiff/schemadiff/internal/pgparse"
)

// stringList returns the String values among nodes, skipping other nodes.
func stringList(nodes []*pgparse.Node) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		if s := n.GetString_(); s != nil {
			out = append(out, s.Sval)
		}
	}
	return out
}

// allStrings reports whether every node is a String.
func allStrings(nodes []*pgparse.Node) bool {
	for _, n := range nodes {
		if n.GetString_() == nil {
			return false
		}
	}
	return len(nodes) > 0
}

// constString returns the value of a string constant, also under a cast.
func constString(n *pgparse.Node) (string, bool) {
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
func objectTypeName(t pgparse.ObjectType) string {
	switch t {
	case pgparse.ObjectType_OBJECT_MATVIEW:
		return "materialized view"
	case pgparse.ObjectType_OBJECT_TABCONSTRAINT, pgparse.ObjectType_OBJECT_DOMCONSTRAINT:
		return "constraint"
	case pgparse.ObjectType_OBJECT_FDW:
		return "foreign-data wrapper"
	case pgparse.ObjectType_OBJECT_FOREIGN_SERVER:
		return "server"
	case pgparse.ObjectType_OBJECT_STATISTIC_EXT:
		return "statistics"
	case pgparse.ObjectType_OBJECT_TSCONFIGURATION:
		return "text search configuration"
	case pgparse.ObjectType_OBJECT_TSDICTIONARY:
		return "text search dictionary"
	case pgparse.ObjectType_OBJECT_TSPARSER:
		return "text search parser"
	case pgparse.ObjectType_OBJECT_TSTEMPLATE:
		return "text search template"
	case pgparse.ObjectType_OBJECT_LARGEOBJECT:
		return "large object"
	case pgparse.ObjectType_OBJECT_TYPE_UNDEFINED:
		return "object"
	}
	s := strings.TrimPrefix(t.String(), "OBJECT_")
	return strings.ToLower(strings.ReplaceAll(s, "_", " "))
}

// relationKind reports whether objects of type t live in the relation, type
// and function namespace.
func relationKind(t pgparse.ObjectType) bool {
	switch t {
	case pgparse.ObjectType_OBJECT_TABLE, pgparse.ObjectType_OBJECT_VIEW,
		pgparse.ObjectType_OBJECT_MATVIEW, pgparse.ObjectType_OBJECT_SEQUENCE,
		pgparse.ObjectType_OBJECT_INDEX, pgparse.ObjectType_OBJECT_FOREIGN_TABLE,
		pgparse.ObjectType_OBJECT_TYPE, pgparse.ObjectType_OBJECT_DOMAIN,
		pgparse.ObjectType_OBJECT_FUNCTION, pgparse.ObjectType_OBJECT_PROCEDURE,
		pgparse.ObjectType_OBJECT_ROUTINE, pgparse.ObjectType_OBJECT_AGGREGATE:
		return true
	}
	return false
}

// tableScopedPrefix returns the Provides prefix of objects that are named
// within a table, or "".
func tableScopedPrefix(t pgparse.ObjectType) string {
	switch t {
	case pgparse.ObjectType_OBJECT_TRIGGER:
		return "trigger:"
	case pgparse.ObjectType_OBJECT_POLICY:
		return "policy:"
	case pgparse.ObjectType_OBJECT_RULE:
		return "rule:"
	case pgparse.ObjectType_OBJECT_TABCONSTRAINT:
		return "constraint:"
	}
	return ""
}

// namedPrefix returns the Provides prefix of objects with a single,
// unqualified name, or "".
func namedPrefix(t pgparse.ObjectType) string {
	switch t {
	case pgparse.ObjectType_OBJECT_SCHEMA:
		return "schema:"
	case pgparse.ObjectType_OBJECT_EXTENSION:
		return "ext:"
	case pgparse.ObjectType_OBJECT_ROLE:
		return "role:"
	case pgparse.ObjectType_OBJECT_FOREIGN_SERVER:
		return "server:"
	case pgparse.ObjectType_OBJECT_FDW:
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
