package gowriter

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// GORM models.
//
// With TagsGorm, a table is a struct with gorm tags and a TableName
// method, read back by schema/gostruct's GORM reader: every column names
// its column: and type: (enum columns excepted: their Go type is the
// marked enum type), primaryKey with autoIncrement:false (so that an
// integer key is not made a serial), not null, default:, comment:, unique
// for a constraint with GORM's name (uni_<table>_<column>), check:name,expr
// and index:/uniqueIndex: with priority, sort, type and where. Foreign
// keys (GORM makes them only from relation fields, with its own names),
// identity columns, table comments, PostgreSQL-named unique constraints
// and tables outside public are named as not expressible.

// gormField is one struct field being written with gorm tags.
type gormField struct {
	name, goType string
	column       string
	settings     []string
	hasCheck     bool
}

// gormTable writes a table as a GORM model.
func (w *writer) gormTable(b *strings.Builder, t *schema.Table) {
	w.tableNotes(t)
	if t.Schema != "public" {
		w.note("table %s outside schema public (GORM models are written for public)", t.Quoted())
		return
	}
	if t.Comment != "" {
		w.note("the comment on table %s", t.Quoted())
	}
	typeName := w.topName(t.QName, "")
	fields := w.gormColumns(t)
	w.gormConstraints(t, fields)
	w.gormIndexes(t, fields)
	fmt.Fprintf(b, "// %s is the table %s.\ntype %s struct {\n", typeName, t.Quoted(), typeName)
	for _, f := range fields {
		fmt.Fprintf(b, "\t%s %s %s\n", f.name, f.goType, structTag("gorm", strings.Join(f.settings, ";")))
	}
	fmt.Fprintf(b, "}\n\n// TableName is the table of %s.\nfunc (%s) TableName() string { return %s }\n\n",
		typeName, typeName, strconv.Quote(t.Name))
}

// gormEscape escapes the separators of GORM's tag settings in a value.
func gormEscape(s string) string {
	return strings.ReplaceAll(s, ";", `\;`)
}

// gormColumns returns the fields of t's columns.
func (w *writer) gormColumns(t *schema.Table) []*gormField {
	used := map[string]bool{"TableName": true}
	var out []*gormField
	hasPK := false
	for _, c := range t.Constraints {
		hasPK = hasPK || c.Type == schema.PrimaryKey
	}
	for _, c := range t.Columns {
		where := fmt.Sprintf("column %s of table %s", schema.Ident(c.Name), t.Quoted())
		if strings.ContainsAny(c.Name, ";:,\\") {
			w.note("%s (a name GORM's tags cannot carry)", where)
		}
		if !hasPK && strings.EqualFold(c.Name, "id") {
			w.note("%s in a table without a primary key (GORM makes a column id the key)", where)
		}
		name := goName(c.Name)
		if name == "ID" {
			name = "Id"
		}
		f := &gormField{name: uniqueName(name, used), column: c.Name, settings: []string{"column:" + c.Name}}
		f.goType = w.gormColumnType(c, f)
		if c.NotNull {
			f.settings = append(f.settings, "not null")
		} else {
			f.goType = "*" + f.goType
		}
		if c.Default != "" {
			if def, ok := gormDefault(c.Default, strings.TrimPrefix(f.goType, "*"), w.enumGoTypes()); ok {
				f.settings = append(f.settings, "default:"+gormEscape(def))
			} else {
				w.note("the default %s of %s (GORM rewrites defaults of %s fields)", c.Default, where, strings.TrimPrefix(f.goType, "*"))
			}
		}
		if c.Identity != schema.IdentityNone {
			w.note("the identity of %s", where)
		}
		if c.Generated != "" {
			w.note("the generation expression of %s", where)
		}
		if c.Collation != nil {
			w.note("the collation of %s", where)
		}
		if c.StatsTarget >= 0 || c.Storage != "" || len(c.Options) > 0 || len(c.FdwOptions) > 0 {
			w.note("the statistics target, storage or options of %s", where)
		}
		if c.Comment != "" {
			f.settings = append(f.settings, "comment:"+gormEscape(c.Comment))
		}
		out = append(out, f)
	}
	return out
}

// gormColumnType returns the Go type of a column and adds its type:.
func (w *writer) gormColumnType(c *schema.Column, f *gormField) string {
	if g, ok := w.enums[c.Type]; ok {
		return g
	}
	f.settings = append(f.settings, "type:"+gormEscape(c.Type))
	if m, ok := sqlGoTypes[c.Type]; ok {
		if m.imp != "" {
			w.imports[m.imp] = true
		}
		return m.goType
	}
	return "string"
}

// gormConstraints adds the settings of t's constraints to fields.
func (w *writer) gormConstraints(t *schema.Table, fields []*gormField) {
	byColumn := map[string]*gormField{}
	for _, f := range fields {
		byColumn[f.column] = f
	}
	for _, c := range t.Constraints {
		where := fmt.Sprintf("constraint %s on table %s", schema.Ident(c.Name), t.Quoted())
		if c.Comment != "" {
			w.note("the comment on %s", where)
		}
		if !c.Validated {
			w.note("%s being NOT VALID", where)
		}
		ok := false
		switch c.Type {
		case schema.PrimaryKey:
			ok = w.gormPrimaryKey(t, c, byColumn)
		case schema.Unique:
			if len(c.Columns) == 1 && c.Definition == "UNIQUE ("+schema.Ident(c.Columns[0])+")" &&
				c.Name == "uni_"+t.Name+"_"+c.Columns[0] && len(c.Name) <= 64 {
				byColumn[c.Columns[0]].settings = append(byColumn[c.Columns[0]].settings, "unique")
				ok = true
			}
		case schema.Check:
			ok = w.gormCheck(c, fields)
		}
		if !ok {
			w.note("%s (%s)", where, c.Definition)
		}
	}
}

// gormPrimaryKey tags the key columns primaryKey when the key has
// PostgreSQL's name and its columns are in table order.
func (w *writer) gormPrimaryKey(t *schema.Table, c *schema.Constraint, byColumn map[string]*gormField) bool {
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
		byColumn[col].settings = append(byColumn[col].settings, "primaryKey", "autoIncrement:false")
	}
	return true
}

// checkRank orders the fields for a check: the first column it uses first.
func checkRank(f *gormField, c *schema.Constraint) int {
	if len(c.Columns) > 0 && f.column == c.Columns[0] {
		return 0
	}
	return 1
}

// gormCheck puts a CHECK constraint on the field of the first column it
// uses, or the first field without one (GORM reads one check per field).
func (w *writer) gormCheck(c *schema.Constraint, fields []*gormField) bool {
	fields = slices.Clone(fields)
	expr, ok := strings.CutPrefix(c.Definition, "CHECK ")
	if !ok || strings.Contains(c.Definition, "NO INHERIT") || !strings.HasPrefix(expr, "(") || strings.Contains(expr, ";") {
		return false
	}
	name := c.Name
	for _, r := range name {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	// The field of the first column the check uses, else the first free one.
	slices.SortStableFunc(fields, func(a, b *gormField) int {
		return cmp.Compare(checkRank(a, c), checkRank(b, c))
	})
	for _, f := range fields {
		if !f.hasCheck {
			f.hasCheck = true
			f.settings = append(f.settings, "check:"+name+","+expr)
			return true
		}
	}
	return false
}

// gormIndexes adds index: and uniqueIndex: settings for t's indexes.
func (w *writer) gormIndexes(t *schema.Table, fields []*gormField) {
	byColumn := map[string]*gormField{}
	for _, f := range fields {
		byColumn[f.column] = f
	}
	for _, ix := range t.Indexes {
		where := fmt.Sprintf("index %s on table %s", ix.Quoted(), t.Quoted())
		if ix.Comment != "" {
			w.note("the comment on %s", where)
		}
		if len(ix.Include) > 0 || ix.NullsNotDistinct || ix.With != "" || ix.Only || ix.Invalid || !gormWhereOK(ix) {
			w.note("%s (not expressible in GORM's index settings)", where)
			continue
		}
		type elem struct {
			f    *gormField
			sort string
		}
		var elems []elem
		for _, k := range ix.Keys {
			var found *gormField
			rest := ""
			for _, c := range t.Columns {
				if r, ok := strings.CutPrefix(k, schema.Ident(c.Name)); ok && (r == "" || r[0] == ' ') {
					found, rest = byColumn[c.Name], strings.TrimSpace(r)
					break
				}
			}
			if found == nil || strings.ContainsAny(rest, ";,:\\") {
				elems = nil
				break
			}
			elems = append(elems, elem{found, rest})
		}
		if elems == nil {
			w.note("%s (keys %s: GORM's index settings take columns)", where, strings.Join(ix.Keys, ", "))
			continue
		}
		key := "index"
		if ix.Unique {
			key = "uniqueIndex"
		}
		for i, e := range elems {
			s := key + ":" + ix.Name + ",priority:" + strconv.Itoa(i+1)
			if e.sort != "" {
				s += ",sort:" + e.sort
			}
			if i == 0 && ix.Method != "" && ix.Method != "btree" {
				s += ",type:" + ix.Method
			}
			if i == 0 && ix.Where != "" {
				s += ",where:" + strings.ReplaceAll(ix.Where, ",", `\,`)
			}
			e.f.settings = append(e.f.settings, s)
		}
	}
}

// gormWhereOK reports whether an index's name and method are plain and its
// predicate holds no semicolon, the only characters the settings cannot
// escape there.
func gormWhereOK(ix *schema.Index) bool {
	return !strings.ContainsAny(ix.Name+ix.Method, ";,:\\") && !strings.Contains(ix.Where, ";")
}

// enumGoTypes returns the Go names of the enum types written.
func (w *writer) enumGoTypes() map[string]bool {
	out := map[string]bool{}
	for _, g := range w.enums {
		out[g] = true
	}
	return out
}

// gormDefault returns the default: setting that makes GORM's reader write
// the default expr for a field of Go type goType: GORM parses the
// defaults of string, integer, float and boolean fields that hold no
// parentheses and writes them back as literals. false when it cannot.
func gormDefault(expr, goType string, enums map[string]bool) (string, bool) {
	if strings.Contains(expr, "(") && strings.Contains(expr, ")") {
		return expr, true
	}
	if strings.EqualFold(expr, "null") {
		return "", false
	}
	switch {
	case goType == "string" || enums[goType]:
		text, ok := literalText(expr)
		if !ok || text == "" || strings.Trim(strings.Trim(text, "'"), `"`) != text {
			return "", false
		}
		return text, true
	case goType == "int64" || goType == "int32" || goType == "int16":
		n, err := strconv.ParseInt(expr, 0, 64)
		return expr, err == nil && strconv.FormatInt(n, 10) == expr
	case goType == "float64" || goType == "float32":
		x, err := strconv.ParseFloat(expr, 64)
		return expr, err == nil && strconv.FormatFloat(x, 'f', -1, 64) == expr
	case goType == "bool":
		b, err := strconv.ParseBool(expr)
		return expr, err == nil && strconv.FormatBool(b) == expr
	}
	return expr, true
}

// literalText returns the text of a default that is a string literal,
// with or without a cast ('x'::text is x).
func literalText(expr string) (string, bool) {
	if !strings.HasPrefix(expr, "'") {
		return "", false
	}
	var b strings.Builder
	for i := 1; i < len(expr); i++ {
		if expr[i] != '\'' {
			b.WriteByte(expr[i])
			continue
		}
		if i+1 < len(expr) && expr[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		rest := expr[i+1:]
		if rest == "" || strings.HasPrefix(rest, "::") && !strings.ContainsAny(rest, "'()") {
			return b.String(), true
		}
		return "", false
	}
	return "", false
}
