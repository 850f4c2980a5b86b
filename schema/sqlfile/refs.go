package sqlfile

import (
	"slices"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/schemadiff/schemadiff/internal/pgparse"
	"github.com/schemadiff/schemadiff/schema"
)

// analysis is what one statement creates and refers to.
type analysis struct {
	object   string
	provides []string
	// refs are all references, including soft ones.
	refs []string
	// soft are the references that only PL/pgSQL bodies make. PostgreSQL
	// does not check them when the function is created, so the ordering may
	// give them up to break a cycle.
	soft []string
	// tooDeep is set when a function body holds an expression too deep to
	// parse safely.
	tooDeep *pgparse.DepthError
}

// collector gathers the names of one statement.
type collector struct {
	defSchema string
	object    string
	provides  map[string]bool
	refs      map[string]bool
	softRefs  map[string]bool
	soft      bool // references now being collected are soft
	tooDeep   *pgparse.DepthError
}

// analyze works out a statement's Object, Provides and References. sql is
// the statement's text, needed for PL/pgSQL bodies.
func analyze(n *pgparse.Node, sql string) analysis {
	c := &collector{defSchema: "public", provides: map[string]bool{}, refs: map[string]bool{}, softRefs: map[string]bool{}}
	c.stmt(n, sql)
	var a analysis
	a.object = c.object
	a.tooDeep = c.tooDeep
	a.provides = sortedSet(c.provides, nil)
	hard := sortedSet(c.refs, c.provides)
	a.soft = sortedSet(c.softRefs, c.provides)
	a.soft = slices.DeleteFunc(a.soft, func(s string) bool { return c.refs[s] })
	a.refs = slices.Compact(slices.Sorted(slices.Values(append(hard, a.soft...))))
	return a
}

func sortedSet(m, except map[string]bool) []string {
	var out []string
	for k := range m {
		if !except[k] {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func (c *collector) ref(name string) {
	if c.soft {
		c.softRefs[name] = true
	} else {
		c.refs[name] = true
	}
}

// qual applies the default schema.
func (c *collector) qual(schemaName, name string) (string, string) {
	if schemaName == "" {
		schemaName = c.defSchema
	}
	return schemaName, name
}

// qualNames splits a possibly qualified name list into schema and name.
func (c *collector) qualNames(names []string) (string, string) {
	switch len(names) {
	case 0:
		return "", ""
	case 1:
		return c.defSchema, names[0]
	}
	return names[len(names)-2], names[len(names)-1]
}

// refNames adds a reference to a possibly qualified name, and to its schema
// when it is qualified.
func (c *collector) refNames(prefix string, names []string) (string, string) {
	if len(names) == 0 {
		return "", ""
	}
	s, n := c.qualNames(names)
	c.ref(prefix + s + "." + n)
	if len(names) > 1 {
		c.ref("schema:" + s)
	}
	return s, n
}

// refRel adds a reference to a relation, and to its schema when qualified.
func (c *collector) refRel(rv *pgparse.RangeVar) (string, string) {
	if rv == nil {
		return "", ""
	}
	if rv.Schemaname != "" {
		return c.refNames("", []string{rv.Schemaname, rv.Relname})
	}
	return c.refNames("", []string{rv.Relname})
}

// provideNames records that a possibly qualified name is created.
func (c *collector) provideNames(prefix string, names []string) (string, string) {
	s, n := c.qualNames(names)
	if n == "" {
		return s, n
	}
	c.provides[prefix+s+"."+n] = true
	if len(names) > 1 {
		c.ref("schema:" + s)
	}
	return s, n
}

// provideRel records that a relation is created.
func (c *collector) provideRel(rv *pgparse.RangeVar) (string, string) {
	if rv == nil {
		return "", ""
	}
	if rv.Schemaname != "" {
		return c.provideNames("", []string{rv.Schemaname, rv.Relname})
	}
	return c.provideNames("", []string{rv.Relname})
}

// visit collects the references one parse node makes by itself. It is
// called for every node of a statement.
func (c *collector) visit(m protoreflect.Message) {
	switch x := m.Interface().(type) {
	case *pgparse.RangeVar:
		c.refRel(x)
	case *pgparse.TypeName:
		names := stringList(x.Names)
		if x.PctType && len(names) > 1 {
			names = names[:len(names)-1] // tbl.col%TYPE refers to tbl
		}
		if len(names) == 2 && names[0] == "pg_catalog" || len(names) == 1 && serialTypes[names[0]] {
			return
		}
		c.refNames("", names)
	case *pgparse.FuncCall:
		names := stringList(x.Funcname)
		c.refNames("", names)
		if len(names) > 0 && len(x.Args) > 0 {
			switch names[len(names)-1] {
			case "nextval", "currval", "setval":
				if s, ok := constString(x.Args[0]); ok {
					c.refNames("", schema.ParseRegName(s))
				}
			}
		}
	case *pgparse.TypeCast:
		s, ok := constString(x.Arg)
		if !ok || x.TypeName == nil {
			return
		}
		tn := stringList(x.TypeName.Names)
		if len(tn) == 0 {
			return
		}
		switch tn[len(tn)-1] {
		case "regclass", "regtype", "regproc", "regprocedure":
			if i := strings.IndexByte(s, '('); i >= 0 {
				s = s[:i]
			}
			c.refNames("", schema.ParseRegName(s))
		}
	case *pgparse.ObjectWithArgs:
		if allStrings(x.Objname) {
			c.refNames("", stringList(x.Objname))
		}
	case *pgparse.RoleSpec:
		if x.Roletype == pgparse.RoleSpecType_ROLESPEC_CSTRING {
			c.ref("role:" + x.Rolename)
		}
	case *pgparse.CollateClause:
		names := stringList(x.Collname)
		if len(names) != 2 || names[0] != "pg_catalog" {
			c.refNames("collation:", names)
		}
	case *pgparse.Constraint:
		if x.Contype == pgparse.ConstrType_CONSTR_FOREIGN && x.Pktable != nil {
			s, t := c.qual(x.Pktable.Schemaname, x.Pktable.Relname)
			c.ref("key:" + s + "." + t)
		}
	}
}

// stmt analyzes one statement.
func (c *collector) stmt(n *pgparse.Node, sql string) {
	m := stmtMessage(n)
	if m == nil {
		return
	}
	if n.GetCreateSchemaStmt() == nil {
		pgparse.WalkMessages(m, c.visit)
	}
	switch x := m.Interface().(type) {
	case *pgparse.CreateStmt:
		c.createTable(x, "table")
	case *pgparse.CreateForeignTableStmt:
		c.createTable(x.BaseStmt, "foreign table")
		c.ref("server:" + x.Servername)
	case *pgparse.ViewStmt:
		c.object = "view " + schema.QualifiedIdent(c.provideRel(x.View))
	case *pgparse.CreateTableAsStmt:
		kind := "table"
		if x.Objtype == pgparse.ObjectType_OBJECT_MATVIEW {
			kind = "materialized view"
		}
		c.object = kind + " " + schema.QualifiedIdent(c.provideRel(x.Into.GetRel()))
	case *pgparse.IndexStmt:
		s, t := c.qual(x.Relation.GetSchemaname(), x.Relation.GetRelname())
		if x.Idxname == "" {
			c.object = "index on " + schema.QualifiedIdent(s, t)
		} else {
			c.provides[s+"."+x.Idxname] = true
			c.object = "index " + schema.Ident(x.Idxname)
		}
	case *pgparse.CreatePublicationStmt:
		c.object = "publication " + schema.Ident(x.Pubname)
	case *pgparse.CreateStatsStmt:
		if names := stringList(x.Defnames); len(names) > 0 {
			c.object = "statistics " + schema.QualifiedIdent(c.provideNames("", names))
		} else {
			c.object = "statistics"
		}
	case *pgparse.CreateSeqStmt:
		c.object = "sequence " + schema.QualifiedIdent(c.provideRel(x.Sequence))
		c.ownedBy(x.Options)
	case *pgparse.AlterSeqStmt:
		c.object = "sequence " + schema.QualifiedIdent(c.qual(x.Sequence.GetSchemaname(), x.Sequence.GetRelname()))
		c.ownedBy(x.Options)
	case *pgparse.CreateFunctionStmt:
		kind := "function"
		if x.IsProcedure {
			kind = "procedure"
		}
		c.object = kind + " " + schema.QualifiedIdent(c.provideNames("", stringList(x.Funcname)))
		c.functionBody(x, sql)
	case *pgparse.CreateTrigStmt:
		c.refNames("", stringList(x.Funcname))
		c.tableScoped("trigger", x.Trigname, x.Relation)
	case *pgparse.CreatePolicyStmt:
		c.tableScoped("policy", x.PolicyName, x.Table)
	case *pgparse.RuleStmt:
		c.tableScoped("rule", x.Rulename, x.Relation)
	case *pgparse.CreateEnumStmt:
		c.object = "type " + schema.QualifiedIdent(c.provideNames("", stringList(x.TypeName)))
	case *pgparse.CreateRangeStmt:
		c.object = "type " + schema.QualifiedIdent(c.provideNames("", stringList(x.TypeName)))
	case *pgparse.CreateDomainStmt:
		c.object = "domain " + schema.QualifiedIdent(c.provideNames("", stringList(x.Domainname)))
	case *pgparse.CompositeTypeStmt:
		c.object = "type " + schema.QualifiedIdent(c.provideRel(x.Typevar))
	case *pgparse.DefineStmt:
		c.define(x)
	case *pgparse.CreateSchemaStmt:
		c.createSchema(x)
	case *pgparse.CreateExtensionStmt:
		c.provides["ext:"+x.Extname] = true
		c.object = "extension " + schema.Ident(x.Extname)
		for _, o := range x.Options {
			if d := o.GetDefElem(); d != nil && d.Defname == "schema" {
				c.ref("schema:" + d.Arg.GetString_().GetSval())
			}
		}
	case *pgparse.CreateRoleStmt:
		c.provides["role:"+x.Role] = true
		c.object = "role " + schema.Ident(x.Role)
	case *pgparse.CreateFdwStmt:
		c.provides["fdw:"+x.Fdwname] = true
		c.object = "foreign-data wrapper " + schema.Ident(x.Fdwname)
	case *pgparse.CreateForeignServerStmt:
		c.provides["server:"+x.Servername] = true
		c.ref("fdw:" + x.Fdwname)
		c.object = "server " + schema.Ident(x.Servername)
	case *pgparse.CreateUserMappingStmt:
		c.ref("server:" + x.Servername)
		c.object = "user mapping for " + roleSpecName(x.User) + " server " + schema.Ident(x.Servername)
	case *pgparse.CreateEventTrigStmt:
		c.refNames("", stringList(x.Funcname))
		c.object = "event trigger " + schema.Ident(x.Trigname)
	case *pgparse.AlterTableStmt:
		c.alterTable(x)
	case *pgparse.AlterEnumStmt:
		c.object = "type " + schema.QualifiedIdent(c.refNames("", stringList(x.TypeName)))
	case *pgparse.AlterDomainStmt:
		c.object = "domain " + schema.QualifiedIdent(c.refNames("", stringList(x.TypeName)))
	case *pgparse.AlterFunctionStmt:
		c.object = objectTypeName(x.Objtype) + " " + c.objectRef(x.Objtype, &pgparse.Node{Node: &pgparse.Node_ObjectWithArgs{ObjectWithArgs: x.Func}})
	case *pgparse.AlterExtensionStmt:
		c.ref("ext:" + x.Extname)
		c.object = "extension " + schema.Ident(x.Extname)
	case *pgparse.AlterExtensionContentsStmt:
		c.ref("ext:" + x.Extname)
		c.object = "extension " + schema.Ident(x.Extname)
	case *pgparse.CommentStmt:
		c.object = objectTypeName(x.Objtype) + " " + c.objectRef(x.Objtype, x.Object)
	case *pgparse.SecLabelStmt:
		c.object = objectTypeName(x.Objtype) + " " + c.objectRef(x.Objtype, x.Object)
	case *pgparse.DropStmt:
		names := make([]string, 0, len(x.Objects))
		for _, o := range x.Objects {
			names = append(names, c.objectRef(x.RemoveType, o))
		}
		c.object = objectTypeName(x.RemoveType) + " " + strings.Join(names, ", ")
	case *pgparse.RenameStmt:
		c.rename(x)
	case *pgparse.AlterOwnerStmt:
		c.object = objectTypeName(x.ObjectType) + " " + c.relOrObject(x.ObjectType, x.Relation, x.Object)
	case *pgparse.AlterObjectSchemaStmt:
		c.object = objectTypeName(x.ObjectType) + " " + c.relOrObject(x.ObjectType, x.Relation, x.Object)
		c.ref("schema:" + x.Newschema)
		if x.Relation != nil {
			c.provides[x.Newschema+"."+x.Relation.Relname] = true
		} else if l := x.Object.GetList(); l != nil && relationKind(x.ObjectType) && allStrings(l.Items) {
			names := stringList(l.Items)
			c.provides[x.Newschema+"."+names[len(names)-1]] = true
		}
	case *pgparse.GrantStmt:
		c.object = c.grant(x)
	case *pgparse.AlterDefaultPrivilegesStmt:
		c.object = "default privileges"
		for _, o := range x.Options {
			if d := o.GetDefElem(); d != nil && d.Defname == "schemas" {
				schemas := stringList(d.Arg.GetList().GetItems())
				for i, s := range schemas {
					c.ref("schema:" + s)
					schemas[i] = schema.Ident(s)
				}
				c.object += " in schema " + strings.Join(schemas, ", ")
			}
		}
	case *pgparse.GrantRoleStmt:
		var roles []string
		for _, r := range x.GrantedRoles {
			if p := r.GetAccessPriv(); p != nil {
				c.ref("role:" + p.PrivName)
				roles = append(roles, schema.Ident(p.PrivName))
			}
		}
		c.object = "role " + strings.Join(roles, ", ")
	case *pgparse.RefreshMatViewStmt:
		c.object = "materialized view " + schema.QualifiedIdent(c.qual(x.Relation.GetSchemaname(), x.Relation.GetRelname()))
	case *pgparse.VariableSetStmt:
		c.object = "parameter " + x.Name
		if x.Name == "" {
			c.object = "all parameters"
		}
	case *pgparse.SelectStmt:
		c.object = "select"
		if isSetConfig(x) {
			var params []string
			for _, t := range x.TargetList {
				if args := t.GetResTarget().GetVal().GetFuncCall().GetArgs(); len(args) > 0 {
					s, _ := constString(args[0])
					params = append(params, s)
				}
			}
			c.object = "parameter " + strings.Join(params, ", ")
		}
	}
	if c.object == "" {
		c.object = statementWords(string(m.Descriptor().Name()))
	}
}

// roleSpecName renders a role specification (CURRENT_USER, PUBLIC, a name)
// for messages.
func roleSpecName(r *pgparse.RoleSpec) string {
	switch r.GetRoletype() {
	case pgparse.RoleSpecType_ROLESPEC_CSTRING:
		return schema.Ident(r.Rolename)
	case pgparse.RoleSpecType_ROLESPEC_PUBLIC:
		return "PUBLIC"
	case pgparse.RoleSpecType_ROLESPEC_CURRENT_USER:
		return "CURRENT_USER"
	case pgparse.RoleSpecType_ROLESPEC_SESSION_USER:
		return "SESSION_USER"
	}
	return "CURRENT_ROLE"
}
