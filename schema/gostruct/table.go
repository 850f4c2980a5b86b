package gostruct

import (
	"errors"
	"fmt"
	"go/ast"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/schemadiff/schemadiff/internal/pgparse"
	"github.com/schemadiff/schemadiff/schema"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// column reads the column a tagged field (named n) declares. multi says
// the tag is shared by several fields (A, B string `...`).
func (l *goLoader) column(tc typeContext, field *ast.Field, n *ast.Ident, tag string, multi bool) (*goColumn, error) {
	tagPos := l.pos(tc.file, field.Tag.Pos())
	c := &goColumn{src: tagPos, field: n.Name}
	parts, err := splitSQLList(tag)
	if err != nil {
		return nil, tagPos.errorf("field %s: %v", n.Name, err)
	}
	if name := strings.TrimSpace(parts[0].text); name == "" {
		c.name = snakeCase(n.Name)
	} else {
		if multi {
			return nil, tagPos.errorf("field %s: the tag names column %s, but it is shared by several fields: declare them one per line", n.Name, name)
		}
		if _, c.name, err = onlyName(name, false); err != nil {
			return nil, tagPos.errorf("field %s: column name %s: %v", n.Name, name, err)
		}
	}
	seen := map[string]bool{}
	// Where to look for the next option in the tag literal: after the name.
	from := strings.Index(field.Tag.Value, `schemadiff:"`)
	if from >= 0 {
		from = min(from+len(`schemadiff:"`)+len(parts[0].text), len(field.Tag.Value))
	}
	for _, p := range parts[1:] {
		opt := strings.TrimSpace(p.text)
		var optPos srcPos
		optPos, from = optionPos(tagPos, field.Tag.Value, opt, from)
		if opt == "" {
			return nil, optPos.errorf("field %s: empty option in the tag", n.Name)
		}
		key, value, hasValue := strings.Cut(opt, "=")
		key = strings.TrimSpace(key)
		if seen[key] {
			return nil, optPos.errorf("field %s: option %s is given twice", n.Name, key)
		}
		seen[key] = true
		if msg := c.applyOption(key, value, hasValue); msg != "" {
			return nil, optPos.errorf("field %s: %s", n.Name, msg)
		}
	}
	gt := tc.mapType(field.Type)
	if c.sqlType == "" {
		if gt.sql == "" {
			return nil, l.pos(tc.file, n.Pos()).errorf("field %s of type %s: add type=... to its tag", n.Name, exprString(field.Type))
		}
		c.sqlType = gt.sql
	}
	if c.nullOpt == "" {
		c.notNull = !gt.nullable
	}
	if msg := c.conflicts(); msg != "" {
		return nil, tagPos.errorf("field %s: %s", n.Name, msg)
	}
	if msg := checkTableElement(c.definition()); msg != "" {
		return nil, tagPos.errorf("field %s: %s, in the column definition %s", n.Name, msg, clip(c.definition()))
	}
	return c, nil
}

// conflicts returns what contradicts itself in a column's options.
func (c *goColumn) conflicts() string {
	switch {
	case c.pk && c.nullOpt == "null":
		return "options pk and null contradict each other: key columns are never null"
	case c.identity != "" && c.nullOpt == "null":
		return "options identity and null contradict each other: identity columns are never null"
	case c.identity != "" && c.def != "":
		return "options identity and default contradict each other: an identity column's default is its sequence"
	case c.refs != nil && c.refs.table == "":
		return "on-delete= and on-update= need references="
	}
	return ""
}

// optionPos returns the position of option text opt in a field's tag
// literal raw (at tagPos), looking from byte from on (none if negative),
// and where to look for the next option. It returns tagPos if opt cannot be
// found as written.
func optionPos(tagPos srcPos, raw, opt string, from int) (srcPos, int) {
	if from < 0 || opt == "" {
		return tagPos, from
	}
	if k := strings.Index(raw[from:], opt); k >= 0 {
		return srcPos{file: tagPos.file, off: tagPos.off + from + k}, from + k + len(opt)
	}
	return tagPos, from
}

// clip shortens SQL quoted in a message to its first 200 bytes.
func clip(sql string) string {
	const max = 200
	if len(sql) <= max {
		return sql
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(sql[cut]) {
		cut--
	}
	return sql[:cut] + "..."
}

// checkTableElement parses a column definition or table constraint alone
// and returns PostgreSQL's parser message, "" if it is one valid element.
func checkTableElement(elem string) string {
	tree, err := pgparse.Parse("CREATE TABLE t (" + elem + ")")
	if err != nil {
		return err.Error()
	}
	if len(tree.Stmts) != 1 || len(tree.Stmts[0].Stmt.GetCreateStmt().GetTableElts()) != 1 {
		return "it is not one table element"
	}
	return ""
}

// tableColumns checks the columns of t and derives its keys, foreign keys,
// column indexes and column rename hints.
func (l *goLoader) tableColumns(t *goTable) error {
	names := map[string]*goColumn{}
	var pk []string
	for _, c := range t.columns {
		if first, dup := names[c.name]; dup {
			line, _ := first.src.lineCol()
			return c.src.errorf("field %s: column %s is declared twice (also by field %s at line %d)", c.field, schema.Ident(c.name), first.field, line)
		}
		names[c.name] = c
		if c.pk {
			pk = append(pk, schema.Ident(c.name))
		}
		if c.index == "\x00" {
			c.index = t.name + "_" + c.name + "_idx"
		}
		if c.index != "" {
			t.indexes = append(t.indexes, goIndex{src: c.src,
				sql: "CREATE INDEX " + schema.Ident(c.index) + " ON " + t.qualified() + " (" + schema.Ident(c.name) + ")"})
		}
		if c.renamed != "" {
			if c.renamed == c.name {
				return c.src.errorf("field %s: column %s is renamed from its own name", c.field, schema.Ident(c.name))
			}
			line, _ := c.src.lineCol()
			l.renames = append(l.renames, schema.Rename{Kind: schema.KindColumn, Schema: t.schema, Table: t.name, Name: c.name,
				From: c.renamed, File: c.src.file.path, Line: line})
		}
	}
	if len(pk) > 0 {
		t.keys = append(t.keys, "PRIMARY KEY ("+strings.Join(pk, ", ")+")")
	}
	for _, c := range t.columns {
		if c.refs != nil {
			t.foreignKeys = append(t.foreignKeys, c.foreignKeyClause(t.schema))
		}
	}
	return nil
}

// tableDirective applies one doc-comment directive to t.
func (l *goLoader) tableDirective(t *goTable, d directive) error {
	switch d.word {
	case "index":
		sql, err := t.indexDirective(d.arg)
		if err != nil {
			return d.pos.errorf("schemadiff:index: %v", err)
		}
		t.indexes = append(t.indexes, goIndex{src: d.pos, sql: sql})
	case "unique":
		name, rest := "", d.arg
		if !strings.HasPrefix(rest, "(") {
			var err error
			if name, rest, err = parseName(rest, "("); err != nil {
				return d.pos.errorf("schemadiff:unique: %v", err)
			}
		}
		cols, rest, err := t.columnList(rest)
		if err == nil && strings.TrimSpace(rest) != "" {
			err = fmt.Errorf("unexpected %q after the columns", strings.TrimSpace(rest))
		}
		if err != nil {
			return d.pos.errorf("schemadiff:unique: %v", err)
		}
		sql := "UNIQUE (" + strings.Join(cols, ", ") + ")"
		if name != "" {
			sql = "CONSTRAINT " + schema.Ident(name) + " " + sql
		}
		t.keys = append(t.keys, sql)
	case "check":
		name, rest, err := parseName(d.arg, "")
		expr := strings.TrimSpace(rest)
		if err == nil && expr == "" {
			err = fmt.Errorf("missing the expression: write schemadiff:check name expression")
		}
		if err == nil {
			_, err = splitSQLList(expr)
		}
		if err != nil {
			return d.pos.errorf("schemadiff:check: %v", err)
		}
		sql := "CONSTRAINT " + schema.Ident(name) + " CHECK (" + expr + ")"
		if msg := checkTableElement(sql); msg != "" {
			return d.pos.errorf("schemadiff:check: %s, in %s", msg, clip(sql))
		}
		t.checks = append(t.checks, sql)
	case "comment":
		if t.comment == nil {
			t.comment, t.commentPos = new(string), d.pos
			*t.comment = d.arg
		} else {
			*t.comment += "\n" + d.arg
		}
	case "renamed-from":
		fromSchema, from, err := onlyName(d.arg, true)
		if err != nil {
			return d.pos.errorf("schemadiff:renamed-from: %v", err)
		}
		if fromSchema == t.schema {
			fromSchema = ""
		}
		if from == t.name && fromSchema == "" {
			return d.pos.errorf("table %s is renamed from its own name", t.qualified())
		}
		for _, r := range l.renames {
			if r.Kind == schema.KindTable && r.Schema == t.schema && r.Name == t.name {
				return d.pos.errorf("second schemadiff:renamed-from for table %s", t.qualified())
			}
		}
		line, _ := d.pos.lineCol()
		l.renames = append(l.renames, schema.Rename{Kind: schema.KindTable, Schema: t.schema, Name: t.name, From: from, FromSchema: fromSchema,
			File: d.pos.file.path, Line: line})
	}
	return nil
}

// closingParen returns the index of the parenthesis closing the one that
// s starts with, or -1.
func closingParen(s string) int {
	depth := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// parenList splits the parenthesized list s starts with into its elements
// and returns the rest of s.
func parenList(s string) ([]tagPart, string, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "(") {
		return nil, "", fmt.Errorf("expected a parenthesized list, found %q", s)
	}
	end := closingParen(s)
	if end < 0 {
		return nil, "", fmt.Errorf("unbalanced ( in %q", s)
	}
	parts, err := splitSQLList(s[1:end])
	if err != nil {
		return nil, "", err
	}
	return parts, s[end+1:], nil
}

// columnRef reads a column name of t at the start of s, returning it
// quoted and the rest of s.
func (t *goTable) columnRef(s string) (string, string, error) {
	name, rest, err := parseName(strings.TrimSpace(s), "")
	if err != nil {
		return "", "", err
	}
	if t.column(name) == nil {
		cols := make([]string, len(t.columns))
		for i, c := range t.columns {
			cols[i] = schema.Ident(c.name)
		}
		return "", "", fmt.Errorf("table %s has no column %s (its columns: %s)", t.qualified(), schema.Ident(name), strings.Join(cols, ", "))
	}
	return schema.Ident(name), rest, nil
}

// columnList reads a parenthesized list of column names of t.
func (t *goTable) columnList(s string) ([]string, string, error) {
	parts, rest, err := parenList(s)
	if err != nil {
		return nil, "", err
	}
	var cols []string
	for _, p := range parts {
		col, more, err := t.columnRef(p.text)
		if err == nil && strings.TrimSpace(more) != "" {
			err = fmt.Errorf("unexpected %q after column %s", strings.TrimSpace(more), col)
		}
		if err != nil {
			return nil, "", err
		}
		cols = append(cols, col)
	}
	return cols, rest, nil
}

// indexDirective renders schemadiff:index name (elem, ...) [unique]
// [using method] [where predicate].
func (t *goTable) indexDirective(arg string) (string, error) {
	name, rest, err := parseName(arg, "(")
	if err != nil {
		return "", err
	}
	parts, rest, err := parenList(rest)
	if err != nil {
		return "", err
	}
	var elems []string
	for _, p := range parts {
		e := strings.TrimSpace(p.text)
		if strings.HasPrefix(e, "(") {
			elems = append(elems, e)
			continue
		}
		col, more, err := t.columnRef(e)
		if err != nil {
			return "", err
		}
		elems = append(elems, col+more)
	}
	unique, using, where := false, "", ""
	for rest = strings.TrimSpace(rest); rest != ""; rest = strings.TrimSpace(rest) {
		word, after := splitWord(rest)
		switch strings.ToLower(word) {
		case "unique":
			unique, rest = true, after
		case "using":
			using, rest = splitWord(strings.TrimSpace(after))
			if using == "" {
				return "", fmt.Errorf("using needs the index method")
			}
		case "where":
			if where = strings.TrimSpace(after); where == "" {
				return "", fmt.Errorf("where needs a predicate")
			}
			if _, err := splitSQLList(where); err != nil {
				return "", err
			}
			rest = ""
		default:
			return "", fmt.Errorf("unexpected %q: after the columns come unique, using method and where predicate", word)
		}
	}
	sql := "CREATE INDEX "
	if unique {
		sql = "CREATE UNIQUE INDEX "
	}
	sql += schema.Ident(name) + " ON " + t.qualified()
	if using != "" {
		sql += " USING " + schema.Ident(strings.ToLower(using))
	}
	sql += " (" + strings.Join(elems, ", ") + ")"
	if where != "" {
		sql += " WHERE " + where
	}
	tree, err := pgparse.Parse(sql)
	if err != nil {
		return "", fmt.Errorf("%v, in %s", err, clip(sql))
	}
	if len(tree.Stmts) != 1 || tree.Stmts[0].Stmt.GetIndexStmt() == nil {
		return "", fmt.Errorf("it is not one CREATE INDEX statement: %s", sql)
	}
	return sql, nil
}

// emit adds the statements of t.
func (l *goLoader) emit(t *goTable) error {
	var elems []string
	for _, c := range t.columns {
		elems = append(elems, c.conversionComments()+c.definition())
	}
	elems = append(elems, t.keys...)
	elems = append(elems, t.checks...)
	elems = append(elems, t.foreignKeys...)
	sql := "CREATE TABLE " + t.qualified() + " ()"
	if len(elems) > 0 {
		sql = "CREATE TABLE " + t.qualified() + " (\n\t" + strings.Join(elems, ",\n\t") + "\n)"
	}
	if err := l.statement(t.src, sql); err != nil {
		return err
	}
	for _, ix := range t.indexes {
		if err := l.statement(ix.src, ix.sql); err != nil {
			return err
		}
	}
	if t.comment != nil {
		if err := l.statement(t.commentPos, "COMMENT ON TABLE "+t.qualified()+" IS "+schema.Literal(*t.comment)); err != nil {
			return err
		}
	}
	for _, c := range t.columns {
		if c.comment != nil {
			sql := "COMMENT ON COLUMN " + t.qualified() + "." + schema.Ident(c.name) + " IS " + schema.Literal(*c.comment)
			if err := l.statement(c.src, sql); err != nil {
				return err
			}
		}
	}
	return nil
}

// statement analyzes generated SQL as sqlfile.Read analyzes a file's statement
// and adds it, positioned at pos.
func (l *goLoader) statement(pos srcPos, sql string) error {
	stmts, err := sqlfile.Parse(pos.file.path, sql)
	if err != nil {
		msg := err.Error()
		var se *sqlfile.SourceError
		if errors.As(err, &se) {
			msg = se.Msg
		}
		return pos.errorf("%s, in the generated SQL:\n%s", msg, sql)
	}
	if len(stmts) != 1 {
		return pos.errorf("the generated SQL is %d statements, not one:\n%s", len(stmts), sql)
	}
	s := stmts[0]
	s.Line, s.Col = pos.lineCol()
	l.stmts = append(l.stmts, s)
	return nil
}

// columns returns the columns of the tagged fields of a struct, inlining
// embedded structs of the same package. seen holds the structs being read,
// against embedding cycles.
func (l *goLoader) columns(tc typeContext, st *ast.StructType, seen map[string]bool) ([]*goColumn, error) {
	var out []*goColumn
	for _, field := range st.Fields.List {
		tag, tagged := fieldTag(field)
		if tag == "-" {
			continue
		}
		if len(field.Names) == 0 && !tagged {
			cols, err := l.embedded(tc, field, seen)
			if err != nil {
				return nil, err
			}
			out = append(out, cols...)
			continue
		}
		if !tagged {
			continue
		}
		names := field.Names
		if len(names) == 0 {
			names = []*ast.Ident{{NamePos: field.Type.Pos(), Name: embeddedName(field.Type)}}
		}
		for _, n := range names {
			c, err := l.column(tc, field, n, tag, len(names) > 1)
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// fieldTag returns a field's schemadiff tag.
func fieldTag(f *ast.Field) (string, bool) {
	if f.Tag == nil {
		return "", false
	}
	raw, err := strconv.Unquote(f.Tag.Value)
	if err != nil {
		return "", false
	}
	return reflect.StructTag(raw).Lookup("schemadiff")
}

// embeddedName returns the field name of an embedded type.
func embeddedName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return embeddedName(x.X)
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return x.Sel.Name
	case *ast.IndexExpr:
		return embeddedName(x.X)
	case *ast.IndexListExpr:
		return embeddedName(x.X)
	}
	return exprString(e)
}

// embedded returns the columns an untagged embedded field contributes.
func (l *goLoader) embedded(tc typeContext, field *ast.Field, seen map[string]bool) ([]*goColumn, error) {
	return l.embeddedType(tc, field.Type, l.pos(tc.file, field.Type.Pos()), seen, 0)
}

// embeddedType returns the columns of the embedded type e, written in
// tc's file: a struct of this package, or (with type information) of
// another package, followed through type aliases.
func (l *goLoader) embeddedType(tc typeContext, e ast.Expr, pos srcPos, seen map[string]bool, depth int) ([]*goColumn, error) {
	if star, ok := e.(*ast.StarExpr); ok {
		e = star.X
	}
	if depth > 20 {
		return nil, pos.errorf("embedded field %s: too many type aliases", exprString(e))
	}
	var d typeDecl
	var key string
	switch x := e.(type) {
	case *ast.Ident:
		found, ok := tc.pkg.types[x.Name]
		if !ok {
			return nil, nil // a predeclared type: no tagged fields
		}
		d, key = found, x.Name
	case *ast.SelectorExpr:
		found, err := l.importedDecl(tc, x)
		if err != nil {
			return nil, pos.errorf("embedded field %s: the fields of a struct of another package cannot be read "+
				"(declare its columns in this package, or tag it `schemadiff:\"-\"`): %v", exprString(e), err)
		}
		d, key = found, exprString(x)
	default:
		return nil, pos.errorf("embedded field %s: the fields of a generic struct cannot be read; "+
			"declare its columns in this package, or tag it `schemadiff:\"-\"`", exprString(e))
	}
	inner := typeContext{file: d.file, pkg: tc.pkg}
	if d.pkg != nil {
		inner.pkg = d.pkg
	}
	if d.spec.Assign.IsValid() {
		return l.embeddedType(inner, d.spec.Type, pos, seen, depth+1)
	}
	st, ok := d.spec.Type.(*ast.StructType)
	if !ok {
		return nil, nil
	}
	if seen[key] {
		return nil, pos.errorf("embedded field %s: struct %s embeds itself", key, key)
	}
	seen[key] = true
	defer delete(seen, key)
	return l.columns(inner, st, seen)
}

// splitWord splits s at its first space or tab.
func splitWord(s string) (word, rest string) {
	if k := strings.IndexAny(s, " \t"); k >= 0 {
		return s[:k], s[k:]
	}
	return s, ""
}
