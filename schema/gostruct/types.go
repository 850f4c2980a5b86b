package gostruct

import (
	"fmt"
	"go/ast"
	"go/types"
	"path"
	"regexp"
	"strings"
	"unicode"

	"github.com/schemadiff/schemadiff/internal/pgparse"
	"github.com/schemadiff/schemadiff/schema"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// builtinTypes maps Go's predeclared types to PostgreSQL types.
var builtinTypes = map[string]string{
	"int": "bigint", "int64": "bigint", "uint32": "bigint",
	"int32": "integer", "rune": "integer", "uint16": "integer",
	"int16": "smallint", "int8": "smallint", "uint8": "smallint", "byte": "smallint",
	"string":  "text",
	"bool":    "boolean",
	"float64": "double precision",
	"float32": "real",
}

// sqlNullTypes are database/sql's nullable types.
var sqlNullTypes = map[string]string{
	"NullString": "text", "NullInt64": "bigint", "NullInt32": "integer", "NullInt16": "smallint",
	"NullByte": "smallint", "NullBool": "boolean", "NullFloat64": "double precision",
	"NullTime": "timestamp with time zone",
}

// pgtypeTypes are the nullable types of package pgtype (pgx).
var pgtypeTypes = map[string]string{
	"Text": "text", "Int8": "bigint", "Int4": "integer", "Int2": "smallint", "Bool": "boolean",
	"Float8": "double precision", "Float4": "real", "Timestamptz": "timestamp with time zone",
	"Timestamp": "timestamp without time zone", "Date": "date", "Time": "time without time zone",
	"Interval": "interval", "UUID": "uuid", "Numeric": "numeric",
}

// goType is the column type a Go type maps to.
type goType struct {
	sql      string // "" when the type has no mapping
	nullable bool   // a pointer, or a type that holds NULL
}

// typeContext resolves the names a Go type expression uses: the imports of
// the file it is written in and the types of its package.
type typeContext struct {
	file *goFile
	pkg  *goPackage
}

// mapType returns the column type of a Go type expression.
func (c typeContext) mapType(e ast.Expr) goType {
	return c.mapTypeDepth(e, 0)
}

func (c typeContext) mapTypeDepth(e ast.Expr, depth int) goType {
	if depth > 20 {
		return goType{}
	}
	switch x := e.(type) {
	case *ast.ParenExpr:
		return c.mapTypeDepth(x.X, depth+1)
	case *ast.StarExpr:
		t := c.mapTypeDepth(x.X, depth+1)
		t.nullable = true
		return t
	case *ast.Ident:
		if e := c.pkg.enumOf(x.Name); e != nil {
			return goType{sql: e.qualified()}
		}
		if d, ok := c.pkg.types[x.Name]; ok {
			if _, isStruct := d.spec.Type.(*ast.StructType); isStruct || d.spec.TypeParams != nil {
				return goType{}
			}
			return typeContext{file: d.file, pkg: c.pkg}.mapTypeDepth(d.spec.Type, depth+1)
		}
		return goType{sql: builtinTypes[x.Name]}
	case *ast.SelectorExpr:
		pkg, ok := x.X.(*ast.Ident)
		if !ok {
			return goType{}
		}
		return importedType(c.file.importPath(pkg.Name), x.Sel.Name)
	case *ast.IndexExpr:
		// sql.Null[T]
		if sel, ok := x.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "Null" {
			if pkg, ok := sel.X.(*ast.Ident); ok && c.file.importPath(pkg.Name) == "database/sql" {
				t := c.mapTypeDepth(x.Index, depth+1)
				t.nullable = true
				return t
			}
		}
		return goType{}
	case *ast.ArrayType:
		if x.Len != nil {
			return goType{}
		}
		if id, ok := x.Elt.(*ast.Ident); ok && (id.Name == "byte" || id.Name == "uint8") {
			if _, local := c.pkg.types[id.Name]; !local {
				return goType{sql: "bytea"}
			}
		}
		elem := c.mapTypeDepth(x.Elt, depth+1)
		if elem.sql == "" || strings.HasSuffix(elem.sql, "[]") {
			return goType{}
		}
		return goType{sql: elem.sql + "[]"}
	}
	return goType{}
}

// importedType maps a type of an imported package.
func importedType(importPath, name string) goType {
	switch pkg := packageName(importPath); {
	case importPath == "time" && name == "Time":
		return goType{sql: "timestamp with time zone"}
	case importPath == "encoding/json" && name == "RawMessage":
		return goType{sql: "jsonb"}
	case importPath == "net/netip" && name == "Addr":
		return goType{sql: "inet"}
	case importPath == "net/netip" && name == "Prefix":
		return goType{sql: "cidr"}
	case importPath == "database/sql" && sqlNullTypes[name] != "":
		return goType{sql: sqlNullTypes[name], nullable: true}
	case pkg == "uuid" && name == "UUID":
		return goType{sql: "uuid"}
	case pkg == "uuid" && name == "NullUUID":
		return goType{sql: "uuid", nullable: true}
	case pkg == "pgtype" && pgtypeTypes[name] != "":
		return goType{sql: pgtypeTypes[name], nullable: true}
	case pkg == "decimal" && name == "Decimal":
		return goType{sql: "numeric"}
	case pkg == "decimal" && name == "NullDecimal":
		return goType{sql: "numeric", nullable: true}
	}
	return goType{}
}

var majorVersion = regexp.MustCompile(`^v[0-9]+$`)

// packageName guesses the name of the package at an import path: its last
// element, skipping a major version suffix (github.com/gofrs/uuid/v5 is
// uuid).
func packageName(importPath string) string {
	base := path.Base(importPath)
	if majorVersion.MatchString(base) && strings.Contains(importPath, "/") {
		base = path.Base(path.Dir(importPath))
	}
	return base
}

// exprString prints a type expression for messages.
func exprString(e ast.Expr) string { return types.ExprString(e) }

// snakeCase converts a Go name to snake_case: OrgID is org_id, HTTPServer
// is http_server, UserIDs is user_ids.
func snakeCase(s string) string {
	r := []rune(s)
	var b strings.Builder
	for i, c := range r {
		if !unicode.IsUpper(c) {
			b.WriteRune(c)
			continue
		}
		if i > 0 {
			prev := r[i-1]
			next := rune(0)
			if i+1 < len(r) {
				next = r[i+1]
			}
			// The end of an acronym: HTTPServer, but not the plural IDs.
			acronymEnd := unicode.IsUpper(prev) && unicode.IsLower(next) &&
				!(next == 's' && (i+2 == len(r) || !unicode.IsLower(r[i+2])))
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || acronymEnd {
				b.WriteByte('_')
			}
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}

// tagPart is one comma-separated element of a tag or list, with its byte
// offset in the text it was split from.
type tagPart struct {
	text string
	off  int
}

// splitSQLList splits s at the commas that are not inside parentheses,
// single-quoted strings or double-quoted identifiers. Unbalanced
// parentheses or quotes, semicolons and SQL comments outside quotes are
// errors: the parts are pasted into SQL statements.
func splitSQLList(s string) ([]tagPart, error) {
	var parts []tagPart
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if quote != 0 {
			if c == quote {
				quote = 0
			}
			continue
		}
		switch c {
		case '\'', '"':
			quote = c
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return nil, fmt.Errorf("unbalanced ) in %q", s)
			}
			depth--
		case ';':
			return nil, fmt.Errorf("semicolon in %q: a value cannot end the statement", s)
		case '-', '/':
			if i+1 < len(s) && (c == '-' && s[i+1] == '-' || c == '/' && s[i+1] == '*') {
				return nil, fmt.Errorf("SQL comment in %q", s)
			}
		case ',':
			if depth == 0 {
				parts = append(parts, tagPart{s[start:i], start})
				start = i + 1
			}
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated %c quote in %q", quote, s)
	}
	if depth != 0 {
		return nil, fmt.Errorf("unbalanced ( in %q", s)
	}
	return append(parts, tagPart{s[start:], start}), nil
}

// parseName reads one name: a bare word taken exactly as written, or a
// double-quoted one ("" for a quote). It returns the name and the rest of s
// after it. A bare word ends at stop (any of its bytes) or white space.
func parseName(s, stop string) (name, rest string, err error) {
	if s == "" {
		return "", "", fmt.Errorf("missing name")
	}
	if s[0] == '"' {
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			if s[i] != '"' {
				b.WriteByte(s[i])
				continue
			}
			if i+1 < len(s) && s[i+1] == '"' {
				b.WriteByte('"')
				i++
				continue
			}
			if b.Len() == 0 {
				return "", "", fmt.Errorf("empty quoted name")
			}
			return b.String(), s[i+1:], nil
		}
		return "", "", fmt.Errorf("unterminated quoted name %s", s)
	}
	end := strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(stop, r) })
	if end < 0 {
		end = len(s)
	}
	if end == 0 {
		return "", "", fmt.Errorf("missing name before %q", s)
	}
	return s[:end], s[end:], nil
}

// parseQualified reads a name that may be schema-qualified ("s.t"),
// returning the schema ("" if none), the name and the rest of s.
func parseQualified(s, stop string) (schemaName, name, rest string, err error) {
	first, rest, err := parseName(s, stop+".")
	if err != nil {
		return "", "", "", err
	}
	if !strings.HasPrefix(rest, ".") {
		return "", first, rest, nil
	}
	second, rest, err := parseName(rest[1:], stop+".")
	if err != nil {
		return "", "", "", err
	}
	if strings.HasPrefix(rest, ".") {
		return "", "", "", fmt.Errorf("too many dots in %s", s)
	}
	return first, second, rest, nil
}

// onlyName parses s as exactly one (possibly qualified when qualified is
// set) name.
func onlyName(s string, qualified bool) (schemaName, name string, err error) {
	s = strings.TrimSpace(s)
	var rest string
	if qualified {
		schemaName, name, rest, err = parseQualified(s, "")
	} else {
		name, rest, err = parseName(s, "")
	}
	if err != nil {
		return "", "", err
	}
	if strings.TrimSpace(rest) != "" {
		return "", "", fmt.Errorf("unexpected %q after the name", strings.TrimSpace(rest))
	}
	return schemaName, name, nil
}

// unquoteText returns a comment text: a single-quoted SQL string literal is
// unquoted, anything else is taken as written.
func unquoteText(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'")
	}
	return s
}

// fkActions maps the on-delete= and on-update= values to SQL.
var fkActions = map[string]string{
	"cascade": "CASCADE", "restrict": "RESTRICT", "set-null": "SET NULL",
	"set-default": "SET DEFAULT", "no-action": "NO ACTION",
}

// goColumn is a column declared by a tagged field.
type goColumn struct {
	src      srcPos
	field    string
	name     string
	sqlType  string
	collate  [2]string // schema, name
	notNull  bool
	identity string // "", "ALWAYS" or "BY DEFAULT"
	def      string
	check    string
	unique   bool
	pk       bool
	refs     *foreignKey
	index    string // the index name, "" for none
	comment  *string
	renamed  string
	// using and usingDown are the conversion hints (using=, using-down=).
	using, usingDown string
	// explicit nullability given by null or notnull, for conflicts.
	nullOpt string
}

// foreignKey is the references= option of a column.
type foreignKey struct {
	schema, table, column string
	onDelete, onUpdate    string
}

// definition renders the column's definition inside CREATE TABLE.
func (c *goColumn) definition() string {
	var b strings.Builder
	b.WriteString(schema.Ident(c.name) + " " + c.sqlType)
	if c.collate[1] != "" {
		b.WriteString(" COLLATE " + schema.QualifiedIdent(c.collate[0], c.collate[1]))
	}
	if c.identity != "" {
		b.WriteString(" GENERATED " + c.identity + " AS IDENTITY")
	}
	if c.notNull {
		b.WriteString(" NOT NULL")
	}
	if c.def != "" {
		b.WriteString(" DEFAULT " + c.def)
	}
	if c.unique {
		b.WriteString(" UNIQUE")
	}
	if c.check != "" {
		b.WriteString(" CHECK (" + c.check + ")")
	}
	return b.String()
}

// foreignKeyClause renders the column's FOREIGN KEY table constraint.
func (c *goColumn) foreignKeyClause(tableSchema string) string {
	fk := c.refs
	s := fk.schema
	if s == "" {
		s = tableSchema
	}
	sql := "FOREIGN KEY (" + schema.Ident(c.name) + ") REFERENCES " + schema.QualifiedIdent(s, fk.table)
	if fk.column != "" {
		sql += " (" + schema.Ident(fk.column) + ")"
	}
	if fk.onDelete != "" {
		sql += " ON DELETE " + fk.onDelete
	}
	if fk.onUpdate != "" {
		sql += " ON UPDATE " + fk.onUpdate
	}
	return sql
}

// knownOptions lists the tag options, for messages.
const knownOptions = "pk, identity, unique, notnull, null, type=, default=, check=, references=, " +
	"on-delete=, on-update=, index, comment=, renamed-from=, collate=, using=, using-down="

// applyOption applies one tag option to a column. It returns the message
// of an error, "" if none.
func (c *goColumn) applyOption(key, value string, hasValue bool) string {
	noValue := func() string {
		if hasValue {
			return fmt.Sprintf("option %s takes no value", key)
		}
		return ""
	}
	needValue := func() string {
		if !hasValue || strings.TrimSpace(value) == "" {
			return fmt.Sprintf("option %s needs a value (%s=...)", key, key)
		}
		return ""
	}
	value = strings.TrimSpace(value)
	switch key {
	case "pk":
		c.pk = true
		return noValue()
	case "identity":
		switch {
		case !hasValue || value == "by-default":
			c.identity = "BY DEFAULT"
		case value == "always":
			c.identity = "ALWAYS"
		default:
			return fmt.Sprintf("identity=%s: the value is always or by-default", value)
		}
	case "unique":
		c.unique = true
		return noValue()
	case "notnull", "null":
		if c.nullOpt != "" && c.nullOpt != key {
			return "options null and notnull contradict each other"
		}
		c.nullOpt = key
		c.notNull = key == "notnull"
		return noValue()
	case "index":
		c.index = "\x00" // the default name, filled in by the table
		if hasValue {
			if msg := needValue(); msg != "" {
				return msg
			}
			_, name, err := onlyName(value, false)
			if err != nil {
				return fmt.Sprintf("index=%s: %v", value, err)
			}
			c.index = name
		}
	case "type", "default", "check", "comment", "renamed-from", "collate", "references", "on-delete", "on-update",
		"using", "using-down":
		if msg := needValue(); msg != "" {
			return msg
		}
		return c.applyValue(key, value)
	default:
		return fmt.Sprintf("unknown option %q (the options are %s)", key, knownOptions)
	}
	return ""
}

// applyValue applies an option that takes a value.
func (c *goColumn) applyValue(key, value string) string {
	switch key {
	case "type":
		c.sqlType = value
	case "default":
		c.def = value
	case "check":
		c.check = value
	case "comment":
		text := unquoteText(value)
		c.comment = &text
	case "using", "using-down":
		if _, err := pgparse.Parse("SELECT " + value); err != nil || strings.ContainsAny(value, "\r\n") {
			return fmt.Sprintf("%s=%s: not one SQL expression", key, value)
		}
		if key == "using" {
			c.using = value
		} else {
			c.usingDown = value
		}
	case "renamed-from":
		_, name, err := onlyName(value, false)
		if err != nil {
			return fmt.Sprintf("renamed-from=%s: %v", value, err)
		}
		c.renamed = name
	case "collate":
		s, name, err := onlyName(value, true)
		if err != nil {
			return fmt.Sprintf("collate=%s: %v", value, err)
		}
		c.collate = [2]string{s, name}
	case "references":
		return c.parseReferences(value)
	case "on-delete", "on-update":
		action, ok := fkActions[strings.ToLower(value)]
		if !ok {
			return fmt.Sprintf("%s=%s: the value is cascade, restrict, set-null, set-default or no-action", key, value)
		}
		if c.refs == nil {
			c.refs = &foreignKey{}
		}
		if key == "on-delete" {
			c.refs.onDelete = action
		} else {
			c.refs.onUpdate = action
		}
	}
	return ""
}

// parseReferences reads references=[schema.]table[(column)].
func (c *goColumn) parseReferences(value string) string {
	s, t, rest, err := parseQualified(value, "(")
	if err != nil {
		return fmt.Sprintf("references=%s: %v", value, err)
	}
	if c.refs == nil {
		c.refs = &foreignKey{}
	}
	c.refs.schema, c.refs.table = s, t
	rest = strings.TrimSpace(rest)
	if rest == "" {
		return ""
	}
	if !strings.HasPrefix(rest, "(") || !strings.HasSuffix(rest, ")") {
		return fmt.Sprintf("references=%s: write table(column)", value)
	}
	_, col, err := onlyName(rest[1:len(rest)-1], false)
	if err != nil {
		return fmt.Sprintf("references=%s: %v", value, err)
	}
	c.refs.column = col
	return ""
}

// conversionComments renders a Go column's conversion hints as the
// directives ConversionHints reads from the CREATE TABLE it is part of.
func (c *goColumn) conversionComments() string {
	out := ""
	if c.using != "" {
		out += "-- schemadiff:" + sqlfile.UsingDirective + " " + c.using + "\n    "
	}
	if c.usingDown != "" {
		out += "-- schemadiff:" + sqlfile.UsingDownDirective + " " + c.usingDown + "\n    "
	}
	return out
}
