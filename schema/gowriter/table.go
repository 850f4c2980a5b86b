package gowriter

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// sqlGoTypes are the column types written as Go types; others are
// written as string with type=.
var sqlGoTypes = map[string]struct{ goType, imp string }{
	"bigint":                   {"int64", ""},
	"integer":                  {"int32", ""},
	"smallint":                 {"int16", ""},
	"text":                     {"string", ""},
	"boolean":                  {"bool", ""},
	"double precision":         {"float64", ""},
	"real":                     {"float32", ""},
	"timestamp with time zone": {"time.Time", "time"},
	"bytea":                    {"[]byte", ""},
	"jsonb":                    {"json.RawMessage", "encoding/json"},
}

// arrayElems are the element types of the array columns written as Go
// slices.
var arrayElems = []string{"bigint", "integer", "smallint", "text", "boolean", "double precision", "real", "timestamp with time zone"}

// field is one struct field being written.
type field struct {
	name, goType string
	tag          []string // the schemadiff tag's elements
}

// table writes a table as a struct.
func (w *writer) table(b *strings.Builder, t *schema.Table) {
	w.tableNotes(t)
	typeName := w.topName(t.QName, "")
	var doc []string
	doc = append(doc, "schemadiff:table "+tagQName(t.Schema, t.Name))
	fields := w.columns(t)
	doc = append(doc, w.constraints(t, fields)...)
	doc = append(doc, w.indexes(t)...)
	if t.Comment != "" {
		for _, line := range strings.Split(t.Comment, "\n") {
			if line != strings.TrimSpace(line) || strings.HasPrefix(line, "*") {
				w.note("the comment on table %s (a line with leading or trailing white space)", t.Quoted())
				break
			}
		}
		for _, line := range strings.Split(t.Comment, "\n") {
			doc = append(doc, "schemadiff:comment "+line)
		}
	}
	fmt.Fprintf(b, "// %s is the table %s.\n//\n", typeName, t.Quoted())
	for _, d := range doc {
		b.WriteString("//" + d + "\n") // a directive line, which gofmt keeps as written
	}
	fmt.Fprintf(b, "type %s struct {\n", typeName)
	for _, f := range fields {
		fmt.Fprintf(b, "\t%s %s %s\n", f.name, f.goType, structTag("schemadiff", strings.Join(f.tag, ",")))
	}
	b.WriteString("}\n\n")
}

// structTag renders a struct tag literal with one key.
func structTag(key, value string) string {
	tag := key + ":" + strconv.Quote(value)
	if strings.Contains(tag, "`") {
		return strconv.Quote(tag)
	}
	return "`" + tag + "`"
}

// tableNotes names what of t the tag language cannot express.
func (w *writer) tableNotes(t *schema.Table) {
	q := t.Quoted()
	notes := []struct {
		has  bool
		what string
	}{
		{t.Unlogged, "UNLOGGED"},
		{len(t.Triggers) > 0, "triggers"},
		{len(t.Rules) > 0, "rules"},
		{len(t.Policies) > 0, "policies"},
		{len(t.Statistics) > 0, "extended statistics"},
		{t.PartitionKey != "", "partitioning (PARTITION BY " + t.PartitionKey + ")"},
		{t.PartitionOf != nil, "being a partition"},
		{len(t.Inherits) > 0, "inheritance"},
		{t.RowSecurity || t.ForceRowSecurity, "row level security"},
		{len(t.Grants) > 0 || len(t.ColumnGrants) > 0, "privileges"},
		{len(t.Options) > 0, "storage parameters"},
		{t.ReplicaIdentity.Kind != schema.ReplicaDefault, "REPLICA IDENTITY"},
		{t.ClusterOn != "", "CLUSTER ON"},
		{t.Foreign != nil, "being a foreign table"},
	}
	for _, n := range notes {
		if n.has {
			w.note("%s of table %s", n.what, q)
		}
	}
}

// columns returns the fields of t's columns.
func (w *writer) columns(t *schema.Table) []*field {
	used := map[string]bool{}
	var out []*field
	for _, c := range t.Columns {
		f := &field{name: uniqueName(goName(c.Name), used), tag: []string{tagName(c.Name)}}
		f.goType, f.tag = w.columnType(t, c, f.tag)
		f.tag = append(f.tag, w.columnOptions(t, c)...)
		out = append(out, f)
	}
	return out
}

// columnType returns the Go type of column c and its tag with type= when
// the Go type does not say the column's type.
func (w *writer) columnType(t *schema.Table, c *schema.Column, tag []string) (string, []string) {
	goType := ""
	if g, ok := w.enums[c.Type]; ok {
		goType = g
	} else if g, ok := w.enums[strings.TrimSuffix(c.Type, "[]")]; ok && strings.HasSuffix(c.Type, "[]") {
		goType = "[]" + g
	} else if m, ok := sqlGoTypes[c.Type]; ok {
		goType = m.goType
		if m.imp != "" {
			w.imports[m.imp] = true
		}
	} else if elem := strings.TrimSuffix(c.Type, "[]"); elem != c.Type && contains(arrayElems, elem) {
		m := sqlGoTypes[elem]
		goType = "[]" + m.goType
		if m.imp != "" {
			w.imports[m.imp] = true
		}
	} else {
		goType = "string"
		tag = append(tag, "type="+c.Type)
		w.checkValue(t, c.Name, "type", c.Type)
	}
	if !c.NotNull {
		goType = "*" + goType
	}
	return goType, tag
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// columnOptions returns the tag options of column c besides its name and
// type.
func (w *writer) columnOptions(t *schema.Table, c *schema.Column) []string {
	var opts []string
	where := fmt.Sprintf("column %s of table %s", schema.Ident(c.Name), t.Quoted())
	switch c.Identity {
	case schema.IdentityAlways:
		opts = append(opts, "identity=always")
	case schema.IdentityByDefault:
		opts = append(opts, "identity")
	}
	if c.Identity != schema.IdentityNone {
		if c.IdentitySequence != nil && !defaultIdentity(c.IdentitySequence) {
			w.note("the identity sequence options of %s", where)
		}
		if c.IdentitySequenceName != nil {
			w.note("the identity sequence name of %s", where)
		}
	}
	if c.Default != "" {
		opts = append(opts, "default="+c.Default)
		w.checkValue(t, c.Name, "default", c.Default)
	}
	if c.Generated != "" {
		w.note("the generation expression of %s", where)
	}
	if c.Collation != nil {
		opts = append(opts, "collate="+tagName(c.Collation.Schema)+"."+tagName(c.Collation.Name))
	}
	if c.StatsTarget >= 0 || c.Storage != "" || len(c.Options) > 0 || len(c.FdwOptions) > 0 {
		w.note("the statistics target, storage or options of %s", where)
	}
	if c.Comment != "" {
		opts = append(opts, "comment="+schema.Literal(c.Comment))
	}
	return opts
}

// defaultIdentity reports whether an identity sequence has the options
// PostgreSQL gives one by default.
func defaultIdentity(o *schema.SequenceOptions) bool {
	max := map[string]int64{"smallint": 32767, "integer": 2147483647, "bigint": 9223372036854775807}[o.Type]
	return o.Start == 1 && o.Increment == 1 && o.Min == 1 && o.Max == max && o.Cache == 1 && !o.Cycle
}

// checkValue notes an SQL value that a tag or directive cannot carry: one
// with a semicolon, an SQL comment or a line break outside quotes, or
// unbalanced parentheses.
func (w *writer) checkValue(t *schema.Table, col, what, value string) bool {
	if msg := sqlValueProblem(value); msg != "" {
		w.note("the %s of %s.%s (%s)", what, t.Quoted(), schema.Ident(col), msg)
		return false
	}
	return true
}

// sqlValueProblem returns why the tag language cannot carry value, "" if
// it can.
func sqlValueProblem(s string) string {
	depth := 0
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
			depth--
			if depth < 0 {
				return "unbalanced parentheses"
			}
		case ';':
			return "a semicolon"
		case '\n', '\r':
			return "a line break"
		case '-', '/':
			if i+1 < len(s) && (c == '-' && s[i+1] == '-' || c == '/' && s[i+1] == '*') {
				return "an SQL comment"
			}
		}
	}
	if quote != 0 || depth != 0 {
		return "unbalanced quotes or parentheses"
	}
	return ""
}

// constraints adds the tag options of t's constraints to fields and
// returns the directives of those written on the struct.
func (w *writer) constraints(t *schema.Table, fields []*field) []string {
	byColumn := map[string]*field{}
	for i, c := range t.Columns {
		byColumn[c.Name] = fields[i]
	}
	var dirs []string
	for _, c := range t.Constraints {
		where := fmt.Sprintf("constraint %s on table %s", schema.Ident(c.Name), t.Quoted())
		if c.Comment != "" {
			w.note("the comment on %s", where)
		}
		if !c.Validated {
			w.note("%s being NOT VALID", where)
		}
		switch c.Type {
		case schema.PrimaryKey:
			if !w.primaryKey(t, c, byColumn) {
				w.note("%s (%s)", where, c.Definition)
			}
		case schema.Unique:
			d, ok := w.unique(t, c, byColumn)
			if !ok {
				w.note("%s (%s)", where, c.Definition)
			}
			if d != "" {
				dirs = append(dirs, d)
			}
		case schema.Check:
			expr, ok := strings.CutPrefix(c.Definition, "CHECK ")
			if !ok || strings.Contains(c.Definition, "NO INHERIT") || sqlValueProblem(expr) != "" || !strings.HasPrefix(expr, "(") {
				w.note("%s (%s)", where, c.Definition)
				continue
			}
			dirs = append(dirs, "schemadiff:check "+tagName(c.Name)+" "+expr)
		case schema.ForeignKey:
			if !w.foreignKey(t, c, byColumn) {
				w.note("%s (%s)", where, c.Definition)
			}
		default:
			w.note("%s (%s)", where, c.Definition)
		}
	}
	return dirs
}

// identList quotes names as PostgreSQL prints them in definitions.
func identList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = schema.Ident(n)
	}
	return strings.Join(quoted, ", ")
}

// primaryKey tags the key columns pk when the key is one the tags make:
// PostgreSQL's name, the columns in table order, nothing else.
func (w *writer) primaryKey(t *schema.Table, c *schema.Constraint, byColumn map[string]*field) bool {
	if c.Name != schema.ObjectName(t.Name, "", "pkey") || c.Definition != "PRIMARY KEY ("+identList(c.Columns)+")" {
		return false
	}
	var inTableOrder []string
	for _, col := range t.Columns {
		if contains(c.Columns, col.Name) {
			inTableOrder = append(inTableOrder, col.Name)
		}
	}
	if strings.Join(inTableOrder, "\x00") != strings.Join(c.Columns, "\x00") {
		return false
	}
	for _, col := range c.Columns {
		byColumn[col].tag = append(byColumn[col].tag, "pk")
	}
	return true
}

// unique writes a UNIQUE constraint: the column option unique when it has
// PostgreSQL's name for one column, else a schemadiff:unique directive.
func (w *writer) unique(t *schema.Table, c *schema.Constraint, byColumn map[string]*field) (string, bool) {
	if c.Definition != "UNIQUE ("+identList(c.Columns)+")" {
		return "", false
	}
	if len(c.Columns) == 1 && c.Name == schema.ObjectName(t.Name, c.Columns[0], "key") {
		f := byColumn[c.Columns[0]]
		if !contains(f.tag, "unique") {
			f.tag = append(f.tag, "unique")
			return "", true
		}
	}
	cols := make([]string, len(c.Columns))
	for i, col := range c.Columns {
		cols[i] = tagName(col)
	}
	return "schemadiff:unique " + tagName(c.Name) + " (" + strings.Join(cols, ", ") + ")", true
}

// fkActions are the referential actions as the tag language writes them.
var fkActions = map[string]string{"CASCADE": "cascade", "RESTRICT": "restrict", "SET NULL": "set-null", "SET DEFAULT": "set-default"}

// foreignKey writes a one-column foreign key with PostgreSQL's name as the
// column's references= option.
func (w *writer) foreignKey(t *schema.Table, c *schema.Constraint, byColumn map[string]*field) bool {
	if len(c.Columns) != 1 || len(c.RefColumns) != 1 || c.References == nil ||
		c.Name != schema.ObjectName(t.Name, c.Columns[0], "fkey") {
		return false
	}
	prefix := "FOREIGN KEY (" + schema.Ident(c.Columns[0]) + ") REFERENCES "
	refCols := "(" + schema.Ident(c.RefColumns[0]) + ")"
	rest, ok := strings.CutPrefix(c.Definition, prefix)
	k := strings.Index(rest, refCols)
	if !ok || k < 0 {
		return false
	}
	tail := rest[k+len(refCols):]
	var opts []string
	for _, clause := range []struct{ sql, opt string }{{" ON UPDATE ", "on-update"}, {" ON DELETE ", "on-delete"}} {
		after, found := strings.CutPrefix(tail, clause.sql)
		if !found {
			continue
		}
		matched := false
		for sql, opt := range fkActions {
			if next, ok := strings.CutPrefix(after, sql); ok && (next == "" || strings.HasPrefix(next, " ON ")) {
				opts = append(opts, clause.opt+"="+opt)
				tail, matched = next, true
				break
			}
		}
		if !matched {
			return false
		}
	}
	if tail != "" {
		return false
	}
	f := byColumn[c.Columns[0]]
	f.tag = append(f.tag, "references="+tagQName(c.References.Schema, c.References.Name)+"("+tagName(c.RefColumns[0])+")")
	if c.References.Schema == "public" && t.Schema != "public" {
		f.tag[len(f.tag)-1] = "references=public." + tagName(c.References.Name) + "(" + tagName(c.RefColumns[0]) + ")"
	}
	f.tag = append(f.tag, opts...)
	return true
}

// indexes returns the schemadiff:index directives of t's indexes.
func (w *writer) indexes(t *schema.Table) []string {
	var dirs []string
	for _, ix := range t.Indexes {
		where := fmt.Sprintf("index %s on table %s", ix.Quoted(), t.Quoted())
		if ix.Comment != "" {
			w.note("the comment on %s", where)
		}
		if len(ix.Include) > 0 || ix.NullsNotDistinct || ix.With != "" || ix.Only || ix.Invalid || ix.Schema != t.Schema {
			w.note("%s (INCLUDE, NULLS NOT DISTINCT, WITH, ON ONLY or INVALID)", where)
			continue
		}
		d, ok := w.index(t, ix)
		if !ok {
			w.note("%s (keys %s)", where, strings.Join(ix.Keys, ", "))
			continue
		}
		dirs = append(dirs, d)
	}
	return dirs
}

// index renders one schemadiff:index directive.
func (w *writer) index(t *schema.Table, ix *schema.Index) (string, bool) {
	var elems []string
	for _, k := range ix.Keys {
		e, ok := indexElem(t, k)
		if !ok {
			return "", false
		}
		elems = append(elems, e)
	}
	d := "schemadiff:index " + tagName(ix.Name) + " (" + strings.Join(elems, ", ") + ")"
	if ix.Unique {
		d += " unique"
	}
	if ix.Method != "" && ix.Method != "btree" {
		d += " using " + ix.Method
	}
	if ix.Where != "" {
		if sqlValueProblem(ix.Where) != "" {
			return "", false
		}
		d += " where " + ix.Where
	}
	return d, true
}

// indexElem writes an index key as the directive reads it: a column name
// or a parenthesized expression, then what follows (DESC, an operator
// class).
func indexElem(t *schema.Table, key string) (string, bool) {
	if sqlValueProblem(key) != "" {
		return "", false
	}
	for _, c := range t.Columns {
		q := schema.Ident(c.Name)
		if rest, ok := strings.CutPrefix(key, q); ok && (rest == "" || rest[0] == ' ') {
			return tagName(c.Name) + rest, true
		}
	}
	if strings.HasPrefix(key, "(") {
		return key, true
	}
	open := strings.IndexByte(key, '(')
	if open <= 0 {
		return "", false
	}
	end := closingParen(key, open)
	if end < 0 {
		return "", false
	}
	return "(" + key[:end+1] + ")" + key[end+1:], true
}

// closingParen returns the index of the parenthesis closing the one at
// s[open], or -1.
func closingParen(s string, open int) int {
	depth := 0
	var quote byte
	for i := open; i < len(s); i++ {
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
