package sqlfile

import (
	"errors"
	"strings"

	"github.com/schemadiff/schemadiff/internal/pgparse"
	"github.com/schemadiff/schemadiff/schema"
)

var serialTypes = map[string]bool{
	"serial": true, "serial4": true, "bigserial": true, "serial8": true, "smallserial": true, "serial2": true,
}

// createTable records a CREATE TABLE (or FOREIGN TABLE) and the columns,
// constraints, implicit sequences and indexes it creates.
func (c *collector) createTable(x *pgparse.CreateStmt, kind string) {
	if x == nil {
		return
	}
	s, t := c.provideRel(x.Relation)
	c.object = kind + " " + schema.QualifiedIdent(s, t)
	for _, e := range x.TableElts {
		if cd := e.GetColumnDef(); cd != nil {
			c.columnDef(s, t, cd)
		}
		if con := e.GetConstraint(); con != nil {
			c.constraint(s, t, "", con)
		}
	}
	for _, e := range x.Constraints {
		c.constraint(s, t, "", e.GetConstraint())
	}
}

// columnDef records a column and what its definition implicitly creates.
func (c *collector) columnDef(s, t string, cd *pgparse.ColumnDef) {
	c.provides["column:"+s+"."+t+"."+cd.Colname] = true
	if names := stringList(cd.GetTypeName().GetNames()); len(names) == 1 && serialTypes[names[0]] || cd.Identity != "" {
		c.provideImplicit(s, t+"_"+cd.Colname+"_seq")
	}
	for _, n := range cd.Constraints {
		c.constraint(s, t, cd.Colname, n.GetConstraint())
	}
}

// provideImplicit records an implicitly created object. A name longer than
// MaxIdentLen is shortened by the server in ways not modelled here, so it
// is left out of Provides.
func (c *collector) provideImplicit(s, name string) {
	if len(name) <= schema.MaxIdentLen {
		c.provides[s+"."+name] = true
	}
}

// constraint records a constraint of table s.t (of column col for a column
// constraint), with PostgreSQL's default names for unnamed ones.
func (c *collector) constraint(s, t, col string, con *pgparse.Constraint) {
	if con == nil {
		return
	}
	cols := stringList(con.Keys)
	if len(cols) == 0 && col != "" {
		cols = []string{col}
	}
	name := con.Conname
	switch con.Contype {
	case pgparse.ConstrType_CONSTR_PRIMARY:
		if name == "" {
			name = t + "_pkey"
		}
		c.provideImplicit(s, name)
		c.provides["key:"+s+"."+t] = true
	case pgparse.ConstrType_CONSTR_UNIQUE:
		if name == "" && len(cols) > 0 {
			name = t + "_" + strings.Join(cols, "_") + "_key"
		}
		if name != "" {
			c.provideImplicit(s, name)
		}
		c.provides["key:"+s+"."+t] = true
	case pgparse.ConstrType_CONSTR_EXCLUSION:
		if name != "" {
			c.provideImplicit(s, name)
		}
	case pgparse.ConstrType_CONSTR_FOREIGN:
		fk := stringList(con.FkAttrs)
		if len(fk) == 0 && col != "" {
			fk = []string{col}
		}
		if name == "" && len(fk) > 0 {
			name = t + "_" + strings.Join(fk, "_") + "_fkey"
		}
	case pgparse.ConstrType_CONSTR_CHECK:
		if name == "" && col != "" {
			name = t + "_" + col + "_check"
		}
	case pgparse.ConstrType_CONSTR_IDENTITY:
		if col != "" {
			c.provideImplicit(s, t+"_"+col+"_seq")
		}
		return
	default:
		return
	}
	if con.Indexname != "" {
		c.ref(s + "." + con.Indexname)
	}
	if name != "" && len(name) <= schema.MaxIdentLen {
		c.provides["constraint:"+s+"."+t+"."+name] = true
	}
}

// alterTable records an ALTER TABLE (or ALTER VIEW, INDEX, ...) and the
// columns and constraints it adds.
func (c *collector) alterTable(x *pgparse.AlterTableStmt) {
	s, t := c.qual(x.Relation.GetSchemaname(), x.Relation.GetRelname())
	c.object = objectTypeName(x.Objtype) + " " + schema.QualifiedIdent(s, t)
	for _, n := range x.Cmds {
		cmd := n.GetAlterTableCmd()
		switch cmd.GetSubtype() {
		case pgparse.AlterTableType_AT_AddColumn:
			if cd := cmd.Def.GetColumnDef(); cd != nil {
				c.columnDef(s, t, cd)
				c.provides["columns:"+s+"."+t] = true
			}
		case pgparse.AlterTableType_AT_AddConstraint:
			c.constraint(s, t, "", cmd.Def.GetConstraint())
		case pgparse.AlterTableType_AT_DropColumn:
			// Not a name it creates: marks the file as a script (see
			// isScript), since what follows may add the column again.
			c.provides["drops-column:"+s+"."+t+"."+cmd.Name] = true
		}
	}
}

// ownedBy adds the references of a sequence's OWNED BY option.
func (c *collector) ownedBy(options []*pgparse.Node) {
	for _, o := range options {
		d := o.GetDefElem()
		if d == nil || d.Defname != "owned_by" {
			continue
		}
		names := stringList(d.Arg.GetList().GetItems())
		if len(names) < 2 {
			continue // OWNED BY NONE
		}
		s, t := c.refNames("", names[:len(names)-1])
		c.ref("column:" + s + "." + t + "." + names[len(names)-1])
	}
}

// tableScoped records a trigger, policy or rule on a table.
func (c *collector) tableScoped(kind, name string, rv *pgparse.RangeVar) {
	s, t := c.qual(rv.GetSchemaname(), rv.GetRelname())
	c.provides[kind+":"+s+"."+t+"."+name] = true
	c.object = kind + " " + schema.Ident(name) + " on " + schema.QualifiedIdent(s, t)
}

// define records CREATE TYPE (shell or base), AGGREGATE, COLLATION, ...
func (c *collector) define(x *pgparse.DefineStmt) {
	names := stringList(x.Defnames)
	switch x.Kind {
	case pgparse.ObjectType_OBJECT_TYPE, pgparse.ObjectType_OBJECT_AGGREGATE:
		c.object = objectTypeName(x.Kind) + " " + schema.QualifiedIdent(c.provideNames("", names))
	case pgparse.ObjectType_OBJECT_COLLATION:
		c.object = "collation " + schema.QualifiedIdent(c.provideNames("collation:", names))
	default:
		c.object = objectTypeName(x.Kind) + " " + schema.QualifiedIdent(c.qualNames(names))
	}
}

// createSchema records CREATE SCHEMA and the objects created inside it,
// whose unqualified names belong to the new schema.
func (c *collector) createSchema(x *pgparse.CreateSchemaStmt) {
	name := x.Schemaname
	if name == "" {
		name = x.Authrole.GetRolename() // CREATE SCHEMA AUTHORIZATION r
	}
	c.provides["schema:"+name] = true
	if x.Authrole != nil {
		pgparse.WalkMessages(x.Authrole.ProtoReflect(), c.visit)
	}
	saved := c.defSchema
	c.defSchema = name
	for _, e := range x.SchemaElts {
		c.stmt(e, "")
	}
	c.defSchema = saved
	c.object = "schema " + schema.Ident(name)
}

// functionBody adds the references of a function's body: SQL bodies are
// parsed (BEGIN ATOMIC bodies are already part of the tree), PL/pgSQL
// bodies are parsed for their embedded queries and variable types, as soft
// references. Bodies that do not parse are ignored, except those too deep
// to parse safely, which are recorded in tooDeep.
func (c *collector) functionBody(x *pgparse.CreateFunctionStmt, sql string) {
	lang := ""
	var body []string
	for _, o := range x.Options {
		d := o.GetDefElem()
		switch d.GetDefname() {
		case "language":
			lang = strings.ToLower(d.Arg.GetString_().GetSval())
		case "as":
			body = stringList(d.Arg.GetList().GetItems())
		}
	}
	switch {
	case (lang == "sql" || lang == "") && len(body) == 1:
		c.walkSQL(body[0])
	case lang == "plpgsql" && sql != "":
		tree, err := pgparse.ParsePlpgsql(sql)
		if err != nil {
			c.noteTooDeep(err)
			return
		}
		c.soft = true
		defer func() { c.soft = false }()
		queries, types, _ := pgparse.PlpgsqlParts(tree)
		for _, q := range queries {
			c.walkSQL(q)
		}
		for _, t := range types {
			c.plpgsqlType(t)
		}
	}
}

// walkSQL adds the references of every statement in sql, if it parses.
func (c *collector) walkSQL(sql string) {
	tree, err := pgparse.Parse(sql)
	if err != nil {
		c.noteTooDeep(err)
		return
	}
	for _, s := range tree.Stmts {
		if m := stmtMessage(s.Stmt); m != nil {
			pgparse.WalkMessages(m, c.visit)
		}
	}
}

// noteTooDeep records err when it says a body is too deep to parse.
func (c *collector) noteTooDeep(err error) {
	var deep *pgparse.DepthError
	if errors.As(err, &deep) && c.tooDeep == nil {
		c.tooDeep = deep
	}
}

// plpgsqlType adds the reference of a PL/pgSQL variable's type, which may be
// written tbl%ROWTYPE or tbl.col%TYPE.
func (c *collector) plpgsqlType(t string) {
	upper := strings.ToUpper(t)
	switch {
	case strings.HasSuffix(upper, "%ROWTYPE"):
		c.refNames("", schema.ParseRegName(t[:len(t)-len("%ROWTYPE")]))
	case strings.HasSuffix(upper, "%TYPE"):
		if names := schema.ParseRegName(t[:len(t)-len("%TYPE")]); len(names) > 1 {
			c.refNames("", names[:len(names)-1])
		}
	default:
		c.walkSQL("SELECT NULL::" + t)
	}
}

// objectNames returns the name parts of an object node.
func objectNames(n *pgparse.Node) []string {
	switch {
	case n.GetString_() != nil:
		return []string{n.GetString_().Sval}
	case n.GetList() != nil:
		return stringList(n.GetList().Items)
	case n.GetTypeName() != nil:
		return stringList(n.GetTypeName().Names)
	case n.GetObjectWithArgs() != nil:
		return stringList(n.GetObjectWithArgs().Objname)
	case n.GetRangeVar() != nil:
		rv := n.GetRangeVar()
		if rv.Schemaname != "" {
			return []string{rv.Schemaname, rv.Relname}
		}
		return []string{rv.Relname}
	}
	return nil
}

// objectRef adds the references of an object named by COMMENT, DROP, ALTER
// ... OWNER TO and the like, and returns its display name. Type, function
// and relation nodes are already referenced by visit.
func (c *collector) objectRef(t pgparse.ObjectType, n *pgparse.Node) string {
	if n == nil {
		return ""
	}
	if l := n.GetList(); l != nil && !allStrings(l.Items) {
		// e.g. a cast (source and target types) or a domain constraint
		parts := make([]string, 0, len(l.Items))
		for _, it := range l.Items {
			parts = append(parts, schema.QualifiedIdent(c.qualNames(objectNames(it))))
		}
		return strings.Join(parts, " ")
	}
	names := objectNames(n)
	if len(names) == 0 {
		return ""
	}
	last := names[len(names)-1]
	if n.GetString_() != nil {
		if p := namedPrefix(t); p != "" {
			c.ref(p + last)
		}
		return schema.Ident(last)
	}
	if n.GetList() != nil {
		switch {
		case t == pgparse.ObjectType_OBJECT_COLUMN && len(names) > 1:
			s, tb := c.refNames("", names[:len(names)-1])
			c.ref("column:" + s + "." + tb + "." + last)
			return schema.QualifiedIdent(s, tb) + "." + schema.Ident(last)
		case tableScopedPrefix(t) != "" && len(names) > 1:
			s, tb := c.refNames("", names[:len(names)-1])
			c.ref(tableScopedPrefix(t) + s + "." + tb + "." + last)
			return schema.Ident(last) + " on " + schema.QualifiedIdent(s, tb)
		case t == pgparse.ObjectType_OBJECT_COLLATION:
			return schema.QualifiedIdent(c.refNames("collation:", names))
		case relationKind(t):
			return schema.QualifiedIdent(c.refNames("", names))
		}
	}
	return schema.QualifiedIdent(c.qualNames(names))
}

// relOrObject returns the display name of a statement's target given as a
// relation or as an object node.
func (c *collector) relOrObject(t pgparse.ObjectType, rv *pgparse.RangeVar, obj *pgparse.Node) string {
	if rv != nil {
		return schema.QualifiedIdent(c.qual(rv.Schemaname, rv.Relname))
	}
	return c.objectRef(t, obj)
}

// rename records ALTER ... RENAME, which provides the new name.
func (c *collector) rename(x *pgparse.RenameStmt) {
	kind := objectTypeName(x.RenameType)
	if x.Relation == nil {
		c.object = kind + " " + c.objectRef(x.RenameType, x.Object)
		if p := namedPrefix(x.RenameType); p != "" {
			c.provides[p+x.Newname] = true
		} else if relationKind(x.RenameType) {
			s, _ := c.qualNames(objectNames(x.Object))
			c.provides[s+"."+x.Newname] = true
		}
		return
	}
	s, t := c.qual(x.Relation.Schemaname, x.Relation.Relname)
	switch x.RenameType {
	case pgparse.ObjectType_OBJECT_COLUMN, pgparse.ObjectType_OBJECT_ATTRIBUTE:
		c.ref("column:" + s + "." + t + "." + x.Subname)
		c.provides["column:"+s+"."+t+"."+x.Newname] = true
		c.provides["columns:"+s+"."+t] = true
		c.object = "column " + schema.QualifiedIdent(s, t) + "." + schema.Ident(x.Subname)
	case pgparse.ObjectType_OBJECT_TABCONSTRAINT, pgparse.ObjectType_OBJECT_TRIGGER,
		pgparse.ObjectType_OBJECT_POLICY, pgparse.ObjectType_OBJECT_RULE:
		p := tableScopedPrefix(x.RenameType)
		c.ref(p + s + "." + t + "." + x.Subname)
		c.provides[p+s+"."+t+"."+x.Newname] = true
		c.object = kind + " " + schema.Ident(x.Subname) + " on " + schema.QualifiedIdent(s, t)
	default:
		c.provides[s+"."+x.Newname] = true
		c.object = kind + " " + schema.QualifiedIdent(s, t)
	}
}

// grant records GRANT or REVOKE and returns the display name of its
// objects.
func (c *collector) grant(x *pgparse.GrantStmt) string {
	kind := objectTypeName(x.Objtype)
	if x.Targtype == pgparse.GrantTargetType_ACL_TARGET_ALL_IN_SCHEMA {
		schemas := stringList(x.Objects)
		for i, s := range schemas {
			c.ref("schema:" + s)
			schemas[i] = schema.Ident(s)
		}
		return "all " + kind + "s in schema " + strings.Join(schemas, ", ")
	}
	names := make([]string, 0, len(x.Objects))
	for _, o := range x.Objects {
		names = append(names, c.relOrObject(x.Objtype, o.GetRangeVar(), o))
	}
	return kind + " " + strings.Join(names, ", ")
}
