package sqlfile

import (
	"fmt"
	"strings"

	"github.com/schemadiff/schemadiff/internal/pgparse"
	"github.com/schemadiff/schemadiff/schema"
)

// Definition is a name a CREATE statement defines, as the check for names
// defined twice sees it.
type Definition struct {
	// Key identifies the name within its namespace: relations (tables,
	// views, indexes, sequences, composite types) share one, as do the
	// functions, procedures and aggregates of one signature.
	Key string
	// What describes it for messages, e.g. `table public.users` or
	// `function public.total(int4)`.
	What string
}

// DuplicateError lists the names defined by statements of two different
// files.
type DuplicateError struct {
	Duplicates []Duplicate
}

// Duplicate is a name defined twice: First is where it was defined first.
type Duplicate struct {
	What          string
	First, Second Statement
}

func (e *DuplicateError) Error() string {
	lines := make([]string, len(e.Duplicates))
	for i, d := range e.Duplicates {
		lines[i] = fmt.Sprintf("%s:%d:%d: %s is defined twice: here and at %s:%d:%d",
			d.Second.File, d.Second.Line, d.Second.Col, d.What, d.First.File, d.First.Line, d.First.Col)
	}
	return strings.Join(lines, "\n") + "\na name is defined in one place of the desired schema: remove or rename one of the definitions"
}

// CheckDefinedOnce returns a *DuplicateError when a name (a table, view,
// type, function with its argument types, index, trigger, ...) is defined
// by CREATE statements of two different files, whether the files are in
// one directory or in several schema sources, and SQL or Go alike. CREATE
// OR REPLACE and CREATE ... IF NOT EXISTS count as definitions too, since
// the second would silently replace or be passed over; only CREATE SCHEMA
// and CREATE EXTENSION with IF NOT EXISTS, which files commonly repeat, do
// not. A DROP of the name written between the two definitions makes the
// second a redefinition, as in a script. Definitions within one file are
// left to the database, which runs the file as written.
func CheckDefinedOnce(stmts []Statement) error {
	defined := map[string]Statement{}
	var dups []Duplicate
	for _, s := range stmts {
		switch s.Kind {
		case StmtDrop:
			for _, key := range droppedKeys(s) {
				for k := range defined {
					if k == key || strings.HasPrefix(key, "function ") && strings.HasSuffix(key, "(*)") &&
						strings.HasPrefix(k, strings.TrimSuffix(key, "*)")) {
						delete(defined, k)
					}
				}
			}
		case StmtCreate:
			for _, d := range Definitions(s) {
				first, ok := defined[d.Key]
				if ok && first.File != s.File {
					dups = append(dups, Duplicate{What: d.What, First: first, Second: s})
					continue
				}
				if !ok {
					defined[d.Key] = s
				}
			}
		}
	}
	if len(dups) > 0 {
		return &DuplicateError{Duplicates: dups}
	}
	return nil
}

// Definitions returns the names a CREATE statement defines, for
// CheckDefinedOnce. A statement that does not parse on its own defines
// nothing here (reading it already reported the syntax error).
func Definitions(s Statement) []Definition {
	if s.definesRead {
		return s.defines
	}
	tree, err := pgparse.Parse(s.SQL)
	if err != nil || len(tree.Stmts) != 1 {
		return nil
	}
	return definitions(tree.Stmts[0].Stmt, "public")
}

// definitions returns what the statement n defines; defSchema is the schema
// of unqualified names.
func definitions(n *pgparse.Node, defSchema string) []Definition {
	rel := func(what string, rv *pgparse.RangeVar) []Definition {
		if rv == nil || rv.Relname == "" {
			return nil
		}
		name := qualifiedKey(defSchema, rv.Schemaname, rv.Relname)
		return []Definition{{Key: "relation " + name, What: what + " " + name}}
	}
	named := func(class, what string, names []string) []Definition {
		if len(names) == 0 {
			return nil
		}
		sch := ""
		if len(names) > 1 {
			sch = names[len(names)-2]
		}
		name := qualifiedKey(defSchema, sch, names[len(names)-1])
		return []Definition{{Key: class + " " + name, What: what + " " + name}}
	}
	onTable := func(what, name string, rv *pgparse.RangeVar) []Definition {
		if rv == nil {
			return nil
		}
		table := qualifiedKey(defSchema, rv.Schemaname, rv.Relname)
		return []Definition{{Key: what + " " + schema.Ident(name) + " on " + table, What: what + " " + schema.Ident(name) + " on " + table}}
	}
	switch {
	case n.GetCreateStmt() != nil:
		return rel("table", n.GetCreateStmt().Relation)
	case n.GetCreateForeignTableStmt() != nil:
		return rel("foreign table", n.GetCreateForeignTableStmt().GetBaseStmt().GetRelation())
	case n.GetViewStmt() != nil:
		return rel("view", n.GetViewStmt().View)
	case n.GetCreateTableAsStmt() != nil:
		x := n.GetCreateTableAsStmt()
		what := "table"
		if x.Objtype == pgparse.ObjectType_OBJECT_MATVIEW {
			what = "materialized view"
		}
		return rel(what, x.GetInto().GetRel())
	case n.GetIndexStmt() != nil:
		x := n.GetIndexStmt()
		if x.Idxname == "" {
			return nil
		}
		return rel("index", &pgparse.RangeVar{Schemaname: x.GetRelation().GetSchemaname(), Relname: x.Idxname})
	case n.GetCreateSeqStmt() != nil:
		return rel("sequence", n.GetCreateSeqStmt().Sequence)
	case n.GetCompositeTypeStmt() != nil:
		return rel("type", n.GetCompositeTypeStmt().Typevar)
	case n.GetCreateEnumStmt() != nil:
		return named("type", "type", stringList(n.GetCreateEnumStmt().TypeName))
	case n.GetCreateRangeStmt() != nil:
		return named("type", "type", stringList(n.GetCreateRangeStmt().TypeName))
	case n.GetCreateDomainStmt() != nil:
		return named("type", "domain", stringList(n.GetCreateDomainStmt().Domainname))
	case n.GetCreateFunctionStmt() != nil:
		x := n.GetCreateFunctionStmt()
		what := "function"
		if x.IsProcedure {
			what = "procedure"
		}
		return signature(what, defSchema, stringList(x.Funcname), inputTypes(x.Parameters))
	case n.GetDefineStmt() != nil:
		x := n.GetDefineStmt()
		switch x.Kind {
		case pgparse.ObjectType_OBJECT_TYPE:
			return named("type", "type", stringList(x.Defnames))
		case pgparse.ObjectType_OBJECT_AGGREGATE:
			var params []*pgparse.Node
			if len(x.Args) > 0 {
				params = x.Args[0].GetList().GetItems()
			}
			return signature("aggregate", defSchema, stringList(x.Defnames), inputTypes(params))
		case pgparse.ObjectType_OBJECT_COLLATION:
			if x.IfNotExists {
				return nil
			}
			return named("collation", "collation", stringList(x.Defnames))
		}
	case n.GetCreateStatsStmt() != nil:
		return named("statistics", "statistics", stringList(n.GetCreateStatsStmt().Defnames))
	case n.GetCreateTrigStmt() != nil:
		x := n.GetCreateTrigStmt()
		return onTable("trigger", x.Trigname, x.Relation)
	case n.GetCreatePolicyStmt() != nil:
		x := n.GetCreatePolicyStmt()
		return onTable("policy", x.PolicyName, x.Table)
	case n.GetRuleStmt() != nil:
		x := n.GetRuleStmt()
		return onTable("rule", x.Rulename, x.Relation)
	case n.GetCreateSchemaStmt() != nil:
		return schemaDefinitions(n.GetCreateSchemaStmt())
	case n.GetCreateExtensionStmt() != nil:
		x := n.GetCreateExtensionStmt()
		if x.IfNotExists {
			return nil
		}
		return []Definition{{Key: "extension " + schema.Ident(x.Extname), What: "extension " + schema.Ident(x.Extname)}}
	case n.GetCreateEventTrigStmt() != nil:
		name := schema.Ident(n.GetCreateEventTrigStmt().Trigname)
		return []Definition{{Key: "event trigger " + name, What: "event trigger " + name}}
	case n.GetCreatePublicationStmt() != nil:
		name := schema.Ident(n.GetCreatePublicationStmt().Pubname)
		return []Definition{{Key: "publication " + name, What: "publication " + name}}
	case n.GetCreateForeignServerStmt() != nil:
		x := n.GetCreateForeignServerStmt()
		if x.IfNotExists {
			return nil
		}
		return []Definition{{Key: "server " + schema.Ident(x.Servername), What: "server " + schema.Ident(x.Servername)}}
	}
	return nil
}

// schemaDefinitions returns what CREATE SCHEMA defines: the schema, unless
// IF NOT EXISTS, and the objects created inside it.
func schemaDefinitions(x *pgparse.CreateSchemaStmt) []Definition {
	name := x.Schemaname
	if name == "" {
		name = x.GetAuthrole().GetRolename()
	}
	var out []Definition
	if !x.IfNotExists {
		out = append(out, Definition{Key: "schema " + schema.Ident(name), What: "schema " + schema.Ident(name)})
	}
	for _, e := range x.SchemaElts {
		out = append(out, definitions(e, name)...)
	}
	return out
}

// signature returns the definition of a function, procedure or aggregate,
// which share a namespace: the name with its input argument types.
func signature(what, defSchema string, names, args []string) []Definition {
	if len(names) == 0 {
		return nil
	}
	sch := ""
	if len(names) > 1 {
		sch = names[len(names)-2]
	}
	sig := qualifiedKey(defSchema, sch, names[len(names)-1]) + "(" + strings.Join(args, ", ") + ")"
	return []Definition{{Key: "function " + sig, What: what + " " + sig}}
}

// inputTypes returns the types of a function's input parameters (IN,
// INOUT and VARIADIC), as written but without a pg_catalog qualifier, so
// that integer and int4 read alike; type modifiers do not count, as in
// PostgreSQL.
func inputTypes(params []*pgparse.Node) []string {
	var out []string
	for _, p := range params {
		fp := p.GetFunctionParameter()
		if fp == nil {
			continue
		}
		switch fp.Mode {
		case pgparse.FunctionParameterMode_FUNC_PARAM_OUT, pgparse.FunctionParameterMode_FUNC_PARAM_TABLE:
			continue
		}
		out = append(out, typeKey(fp.ArgType))
	}
	return out
}

// typeKey names a type for a function signature.
func typeKey(t *pgparse.TypeName) string {
	names := stringList(t.GetNames())
	if len(names) == 2 && names[0] == "pg_catalog" {
		names = names[1:]
	}
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = schema.Ident(n)
	}
	key := strings.Join(parts, ".")
	if t.GetPctType() {
		key += "%TYPE"
	}
	return key + strings.Repeat("[]", len(t.GetArrayBounds()))
}

// qualifiedKey is schema.name, quoted, with defSchema for an unqualified
// name.
func qualifiedKey(defSchema, schemaName, name string) string {
	if schemaName == "" {
		schemaName = defSchema
	}
	return schema.QualifiedIdent(schemaName, name)
}

// droppedKeys returns the keys of the names a DROP statement drops. A DROP
// FUNCTION without argument types drops whatever signature the name has:
// its key ends in "(*)".
func droppedKeys(s Statement) []string {
	tree, err := pgparse.Parse(s.SQL)
	if err != nil || len(tree.Stmts) != 1 {
		return nil
	}
	x := tree.Stmts[0].Stmt.GetDropStmt()
	if x == nil {
		return nil
	}
	var out []string
	for _, o := range x.Objects {
		out = append(out, droppedKey(x.RemoveType, o)...)
	}
	return out
}

// droppedKey returns the keys one object of a DROP statement may have.
func droppedKey(t pgparse.ObjectType, o *pgparse.Node) []string {
	qualified := func(names []string) string {
		switch len(names) {
		case 0:
			return "?"
		case 1:
			return qualifiedKey("public", "", names[0])
		}
		return qualifiedKey("public", names[len(names)-2], names[len(names)-1])
	}
	switch t {
	case pgparse.ObjectType_OBJECT_TABLE, pgparse.ObjectType_OBJECT_VIEW, pgparse.ObjectType_OBJECT_MATVIEW,
		pgparse.ObjectType_OBJECT_INDEX, pgparse.ObjectType_OBJECT_SEQUENCE, pgparse.ObjectType_OBJECT_FOREIGN_TABLE:
		return []string{"relation " + qualified(objectNames(o))}
	case pgparse.ObjectType_OBJECT_TYPE, pgparse.ObjectType_OBJECT_DOMAIN:
		// A composite type is a relation; an enum, range or domain a type.
		names := objectNames(o)
		return []string{"type " + qualified(names), "relation " + qualified(names)}
	case pgparse.ObjectType_OBJECT_FUNCTION, pgparse.ObjectType_OBJECT_PROCEDURE, pgparse.ObjectType_OBJECT_AGGREGATE,
		pgparse.ObjectType_OBJECT_ROUTINE:
		owa := o.GetObjectWithArgs()
		if owa == nil {
			return nil
		}
		if owa.ArgsUnspecified {
			return []string{"function " + qualified(stringList(owa.Objname)) + "(*)"}
		}
		var args []string
		for _, a := range owa.Objargs {
			args = append(args, typeKey(a.GetTypeName()))
		}
		return []string{"function " + qualified(stringList(owa.Objname)) + "(" + strings.Join(args, ", ") + ")"}
	case pgparse.ObjectType_OBJECT_TRIGGER, pgparse.ObjectType_OBJECT_POLICY, pgparse.ObjectType_OBJECT_RULE:
		names := objectNames(o)
		if len(names) < 2 {
			return nil
		}
		return []string{objectTypeName(t) + " " + schema.Ident(names[len(names)-1]) + " on " + qualified(names[:len(names)-1])}
	case pgparse.ObjectType_OBJECT_SCHEMA:
		return []string{"schema " + schema.Ident(o.GetString_().GetSval())}
	case pgparse.ObjectType_OBJECT_EXTENSION:
		return []string{"extension " + schema.Ident(o.GetString_().GetSval())}
	}
	return nil
}
