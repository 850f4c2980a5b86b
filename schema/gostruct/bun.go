package gostruct

import (
	"go/types"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/jinzhu/inflection"

	"github.com/schemadiff/schemadiff/schema"
)

// bun models.
//
// A struct type read with type information is a bun model when it embeds
// bun.BaseModel or one of its fields has a bun tag (and it is not a GORM
// model), unless it is only embedded in other models. Models are read as
// bun's schema parser and its PostgreSQL dialect read them, so that the
// tables are those db.NewCreateTable().Model(...).WithForeignKeys()
// creates.

// bunPkg is bun's import path.
const bunPkg = "github.com/uptrace/bun"

// bunKnownOptions are the field tag options the bun reader applies;
// bunInertOptions change nothing in the schema.
var bunKnownOptions = []string{"column", "type", "array", "notnull", "nullzero", "default", "unique", "pk",
	"autoincrement", "identity", "rel", "join", "on_update", "on_delete", "scanonly", "soft_delete", "embed"}

var bunInertOptions = []string{"alt", "skipupdate", "json_use_number", "join_on"}

// bunTag is a parsed bun struct tag: a name and options, each with the
// values it was given (an option may be given several times).
type bunTag struct {
	name    string
	options map[string][]string
}

func (t bunTag) has(name string) bool { _, ok := t.options[name]; return ok }

func (t bunTag) option(name string) (string, bool) {
	vs, ok := t.options[name]
	if !ok {
		return "", false
	}
	return vs[len(vs)-1], true
}

// parseBunTag parses a bun tag as bun's tagparser does: comma-separated
// key or key:value, the first bare key being the name; values may be
// double-quoted and hold parentheses with commas.
func parseBunTag(s string) bunTag {
	var t bunTag
	if s == "" {
		return t
	}
	i, seenName := 0, false
	setName := func(name string) {
		if seenName {
			addBunOption(&t, name, "")
			return
		}
		seenName, t.name = true, name
	}
	quoted := func() string {
		if k := strings.IndexByte(s[i:], '"'); k >= 0 && (i+k == 0 || s[i+k-1] != '\\') {
			v := s[i : i+k]
			i += k + 1
			return v
		}
		var b []byte
		for i < len(s) {
			c := s[i]
			i++
			switch c {
			case '\\':
				if i < len(s) {
					b = append(b, s[i])
					i++
				}
			case '"':
				return string(b)
			default:
				b = append(b, c)
			}
		}
		return ""
	}
	value := func() string {
		start := i
		for i < len(s) {
			c := s[i]
			i++
			switch c {
			case '"':
				return quoted()
			case ',':
				return s[start : i-1]
			case '(':
				lvl := 0
			pairs:
				for i < len(s) {
					c := s[i]
					i++
					switch c {
					case '"':
						quoted()
					case '(':
						lvl++
					case ')':
						if lvl == 0 {
							break pairs
						}
						lvl--
					}
				}
			}
		}
		return s[start:i]
	}
	for i < len(s) {
		start := i
		done := false
		for i < len(s) && !done {
			c := s[i]
			i++
			switch c {
			case ',':
				setName(s[start : i-1])
				done = true
			case ':':
				key := s[start : i-1]
				seenName = true
				addBunOption(&t, key, value())
				done = true
			case '"':
				setName(quoted())
				done = true
			}
		}
		if !done {
			setName(s[start:i])
		}
		if i < len(s) && s[i] == ',' {
			i++
		}
	}
	return t
}

func addBunOption(t *bunTag, key, value string) {
	if key == "" {
		return
	}
	if t.options == nil {
		t.options = map[string][]string{}
	}
	t.options[key] = append(t.options[key], value)
}

// bunUnderscore is bun's internal.Underscore: UserID is user_id,
// HTTPServer is http_server.
func bunUnderscore(s string) string {
	upper := func(c byte) bool { return c >= 'A' && c <= 'Z' }
	lower := func(c byte) bool { return c >= 'a' && c <= 'z' }
	r := make([]byte, 0, len(s)+5)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if upper(c) {
			if i > 0 && i+1 < len(s) && (lower(s[i-1]) || lower(s[i+1])) {
				r = append(r, '_', c+32)
			} else {
				r = append(r, c+32)
			}
		} else {
			r = append(r, c)
		}
	}
	return string(r)
}

// bunTable is a bun model.
type bunTable struct {
	obj     *types.TypeName
	goName  string
	schema  string
	name    string
	src     srcPos
	fields  []*bunField // the columns, in bun's order
	byName  map[string]*bunField
	rels    []*bunField
	pks     []*bunField
	uniques map[string][]*bunField
}

// bunField is a field of a bun model.
type bunField struct {
	goName string
	name   string
	src    srcPos
	tag    bunTag
	typ    types.Type // pointers removed
	index  []int
}

// bunReader reads the bun models of typed packages, with the positions
// and warnings of a gormReader.
type bunReader struct {
	*gormReader
	tables map[*types.TypeName]*bunTable
	order  []*bunTable
}

// isBunModel reports whether a struct type is read as a bun model.
func isBunModel(obj *types.TypeName) bool {
	st, ok := obj.Type().Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for i := 0; i < st.NumFields(); i++ {
		if _, ok := reflect.StructTag(st.Tag(i)).Lookup("bun"); ok {
			return true
		}
		if n, ok := deref(st.Field(i).Type()).(*types.Named); ok && st.Field(i).Anonymous() &&
			n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == bunPkg && n.Obj().Name() == "BaseModel" {
			return true
		}
	}
	return false
}

// bunModels finds the bun models among the structs read and parses them.
func (r *bunReader) bunModels(structs []typedStruct) error {
	var candidates []typedStruct
	embedded := map[*types.TypeName]bool{}
	for _, s := range structs {
		if hasDirective(s.doc) || r.schemas[s.name] != nil || r.parts[s.name] || !isBunModel(s.name) {
			continue
		}
		candidates = append(candidates, s)
		st := s.name.Type().Underlying().(*types.Struct)
		for i := 0; i < st.NumFields(); i++ {
			_, embed := parseBunTag(reflect.StructTag(st.Tag(i)).Get("bun")).option("embed")
			if n, ok := deref(st.Field(i).Type()).(*types.Named); ok && (st.Field(i).Anonymous() || embed) {
				embedded[n.Obj()] = true
			}
		}
	}
	for _, s := range candidates {
		if !embedded[s.name] {
			if _, err := r.bunTable(s.name); err != nil {
				return err
			}
		}
	}
	return nil
}

// bunTable parses the model obj, once.
func (r *bunReader) bunTable(obj *types.TypeName) (*bunTable, error) {
	if t, ok := r.tables[obj]; ok {
		return t, nil
	}
	model := bunUnderscore(obj.Name())
	t := &bunTable{obj: obj, goName: obj.Name(), schema: "public", name: inflection.Plural(model),
		src: r.srcPos(obj.Pos()), byName: map[string]*bunField{}, uniques: map[string][]*bunField{}}
	r.tables[obj] = t
	r.parts[obj] = true
	st := obj.Type().Underlying().(*types.Struct)
	if err := r.bunFields(t, st, t.src, nil, "", 0); err != nil {
		return nil, err
	}
	sort.SliceStable(t.fields, func(i, j int) bool { return slices.Compare(t.fields[i].index, t.fields[j].index) < 0 })
	for _, f := range t.fields {
		if f.tag.has("pk") {
			t.pks = append(t.pks, f)
		}
	}
	r.order = append(r.order, t)
	return t, nil
}

// bunFields adds the fields of a struct to t, embedded structs' fields
// with their prefix.
func (r *bunReader) bunFields(t *bunTable, st *types.Struct, outer srcPos, index []int, prefix string, depth int) error {
	if depth > 10 {
		return outer.errorf("model %s: embedded structs nest too deep", t.goName)
	}
	for i := 0; i < st.NumFields(); i++ {
		v := st.Field(i)
		raw := reflect.StructTag(st.Tag(i)).Get("bun")
		if raw == "-" {
			continue
		}
		tag := parseBunTag(raw)
		pos := outer
		if tf := r.tp.fset.File(v.Pos()); tf != nil && r.names[tf.Name()] != "" {
			pos = r.srcPos(v.Pos())
		}
		idx := append(slices.Clone(index), i)
		typ := deref(v.Type())
		if v.Anonymous() {
			n, isNamed := typ.(*types.Named)
			if isNamed && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == bunPkg && n.Obj().Name() == "BaseModel" {
				if err := r.baseModel(t, tag, pos); err != nil {
					return err
				}
				continue
			}
			inner, ok := typ.Underlying().(*types.Struct)
			if !ok {
				continue
			}
			if isNamed {
				r.parts[n.Obj()] = true
			}
			if err := r.bunFields(t, inner, pos, idx, prefix, depth+1); err != nil {
				return err
			}
			continue
		}
		if !v.Exported() {
			continue
		}
		if p, ok := tag.option("embed"); ok {
			inner, ok := typ.Underlying().(*types.Struct)
			if !ok {
				return pos.errorf("field %s: embed: needs a struct", v.Name())
			}
			if n, ok := typ.(*types.Named); ok {
				r.parts[n.Obj()] = true
			}
			if err := r.bunFields(t, inner, pos, idx, prefix+p, depth+1); err != nil {
				return err
			}
			continue
		}
		name := bunUnderscore(v.Name())
		if tag.name != "" {
			name = tag.name
		}
		if c, ok := tag.option("column"); ok {
			name = c
		}
		f := &bunField{goName: v.Name(), name: prefix + name, src: pos, tag: tag, typ: typ, index: idx}
		r.checkBunOptions(f)
		if tag.has("rel") || tag.has("m2m") {
			t.rels = append(t.rels, f)
			continue
		}
		if _, dup := t.byName[f.name]; dup {
			continue
		}
		t.byName[f.name] = f
		if tag.has("scanonly") {
			continue
		}
		t.fields = append(t.fields, f)
		if vals, ok := tag.options["unique"]; ok {
			names := vals
			if len(vals) == 1 {
				names = strings.Split(vals[0], ",")
			}
			for _, u := range names {
				if u != "" && prefix != "" {
					u = prefix + u
				}
				t.uniques[u] = append(t.uniques[u], f)
			}
		}
	}
	return nil
}

// baseModel reads the bun.BaseModel tag: table:[schema.]name and alias.
func (r *bunReader) baseModel(t *bunTable, tag bunTag, pos srcPos) error {
	name := tag.name
	if s, ok := tag.option("table"); ok {
		name = s
	}
	for k := range tag.options {
		if k != "table" && k != "alias" && k != "select" {
			r.warnf(pos, "model %s: bun.BaseModel tag option %s is not read by schemadiff", t.goName, k)
		}
	}
	if name == "" {
		return nil
	}
	if s, n, ok := strings.Cut(name, "."); ok {
		t.schema, name = s, n
	}
	t.name = name
	return nil
}

// checkBunOptions names the bun tag options the reader does not read.
func (r *bunReader) checkBunOptions(f *bunField) {
	var unknown []string
	for k := range f.tag.options {
		if !slices.Contains(bunKnownOptions, k) && !slices.Contains(bunInertOptions, k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		r.warnf(f.src, "field %s: bun tag option %s is not read by schemadiff (the options read are %s)",
			f.goName, k, strings.Join(bunKnownOptions, ", "))
	}
}

// bunSQLType is the type bun's pgdialect gives a field in CREATE TABLE.
func bunSQLType(f *bunField) string {
	if s, ok := f.tag.option("type"); ok {
		return s
	}
	if f.tag.has("array") {
		switch u := f.typ.Underlying().(type) {
		case *types.Slice:
			return bunBaseType(deref(u.Elem())) + "[]"
		case *types.Array:
			return bunBaseType(deref(u.Elem())) + "[]"
		}
	}
	t := bunBaseType(f.typ)
	if f.tag.has("autoincrement") && !f.tag.has("identity") {
		switch t {
		case "SMALLINT":
			return "SMALLSERIAL"
		case "INTEGER":
			return "SERIAL"
		case "BIGINT":
			return "BIGSERIAL"
		}
	}
	return t
}

// bunBaseType maps a Go type as bun's pgdialect sqlType does.
func bunBaseType(t types.Type) string {
	if n, ok := t.(*types.Named); ok && n.Obj().Pkg() != nil {
		switch n.Obj().Pkg().Path() + "." + n.Obj().Name() {
		case "database/sql.NullString":
			return "VARCHAR"
		case "net.IP":
			return "inet"
		case "net.IPNet":
			return "cidr"
		case "encoding/json.RawMessage":
			return "JSONB"
		case "time.Time", "database/sql.NullTime", bunPkg + ".NullTime":
			return "TIMESTAMPTZ"
		case "database/sql.NullBool":
			return "BOOLEAN"
		case "database/sql.NullFloat64":
			return "DOUBLE PRECISION"
		case "database/sql.NullInt64":
			return "BIGINT"
		}
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch u.Kind() {
		case types.Bool:
			return "BOOLEAN"
		case types.Int, types.Int64, types.Uint, types.Uint64, types.Uintptr:
			return "BIGINT"
		case types.Int8, types.Int16, types.Uint8, types.Uint16:
			return "SMALLINT"
		case types.Int32, types.Uint32:
			return "INTEGER"
		case types.Float32:
			return "REAL"
		case types.Float64:
			return "DOUBLE PRECISION"
		case types.String:
			return "VARCHAR"
		}
	case *types.Map, *types.Struct:
		return "JSONB"
	case *types.Slice:
		if isByte(u.Elem()) {
			return "bytea"
		}
		return "JSONB"
	case *types.Array:
		if isByte(u.Elem()) {
			return "bytea"
		}
		return "JSONB"
	}
	return ""
}

// bunForeignKey is a belongs-to relation's FOREIGN KEY clause, "" for
// none.
func (r *bunReader) bunForeignKey(t *bunTable, f *bunField) (string, error) {
	rel, _ := f.tag.option("rel")
	if f.tag.has("m2m") || rel == "has-many" || rel == "has-one" {
		return "", nil // bun creates no foreign key for these
	}
	if rel != "belongs-to" {
		return "", f.src.errorf("field %s: unknown bun relation rel:%s", f.goName, rel)
	}
	target := f.typ
	n, ok := target.(*types.Named)
	if !ok {
		return "", f.src.errorf("field %s: rel:belongs-to needs a struct type", f.goName)
	}
	jt, err := r.bunTable(n.Obj())
	if err != nil {
		return "", err
	}
	var base, join []string
	if vals, ok := f.tag.options["join"]; ok {
		pairs := vals
		if len(vals) == 1 {
			pairs = strings.Split(vals[0], ",")
		}
		for _, p := range pairs {
			b, j, ok := strings.Cut(strings.TrimSpace(p), "=")
			if !ok {
				return "", f.src.errorf("field %s: cannot read join:%s", f.goName, p)
			}
			if t.byName[b] == nil || jt.byName[j] == nil {
				return "", f.src.errorf("field %s: join:%s names a column that does not exist", f.goName, p)
			}
			base, join = append(base, b), append(join, j)
		}
	} else {
		prefix := bunUnderscore(f.goName) + "_"
		for _, pk := range jt.pks {
			switch {
			case t.byName[prefix+pk.name] != nil:
				base = append(base, prefix+pk.name)
			case t.byName[pk.name] != nil:
				base = append(base, pk.name)
			default:
				return "", f.src.errorf("field %s: model %s has no column %s for the relation to %s", f.goName, t.goName, prefix+pk.name, jt.goName)
			}
			join = append(join, pk.name)
		}
	}
	for _, b := range base {
		if t.byName[b].tag.has("pk") {
			return "", nil // bun creates foreign keys only from columns outside the key
		}
	}
	sql := "FOREIGN KEY (" + bunIdents(base) + ") REFERENCES " + schema.QualifiedIdent(jt.schema, jt.name) + " (" + bunIdents(join) + ")"
	if v, ok := f.tag.option("on_update"); ok {
		sql += " ON UPDATE " + strings.ToUpper(v)
	}
	if v, ok := f.tag.option("on_delete"); ok {
		sql += " ON DELETE " + strings.ToUpper(v)
	}
	return sql, nil
}

func bunIdents(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = schema.Ident(n)
	}
	return strings.Join(out, ", ")
}

// emitBun adds the CREATE TABLE statements of the bun models.
func (l *goLoader) emitBun(r *bunReader) error {
	for i := 0; i < len(r.order); i++ {
		t := r.order[i]
		var fks []string
		for _, f := range t.rels {
			fk, err := r.bunForeignKey(t, f)
			if err != nil {
				return err
			}
			if fk != "" {
				fks = append(fks, fk)
			}
		}
		if err := l.emitBunTable(t, fks); err != nil {
			return err
		}
	}
	return nil
}

func (l *goLoader) emitBunTable(t *bunTable, fks []string) error {
	key := [2]string{t.schema, t.name}
	if first, dup := l.tables[key]; dup {
		line, _ := first.lineCol()
		return t.src.errorf("table %s of model %s is declared twice (also at %s:%d)", schema.QualifiedIdent(t.schema, t.name), t.goName, first.file.path, line)
	}
	l.tables[key] = t.src
	var elems []string
	for _, f := range t.fields {
		typ := bunSQLType(f)
		if _, typed := f.tag.option("type"); !typed && l.typed != nil {
			if enum := l.typedEnum(l.typed, deref(f.typ)); enum != "" {
				typ = enum
			}
		}
		if typ == "" {
			return f.src.errorf("field %s of model %s has no column type for bun: add type:... to its bun tag", f.goName, t.goName)
		}
		def := schema.Ident(f.name) + " " + typ
		if f.tag.has("notnull") || f.tag.has("pk") || f.tag.has("autoincrement") {
			def += " NOT NULL"
		}
		if f.tag.has("identity") {
			def += " GENERATED BY DEFAULT AS IDENTITY"
		}
		if d, ok := f.tag.option("default"); ok && d != "" {
			def += " DEFAULT " + d
		}
		elems = append(elems, def)
	}
	if len(t.pks) > 0 {
		var names []string
		for _, f := range t.pks {
			names = append(names, f.name)
		}
		elems = append(elems, "PRIMARY KEY ("+bunIdents(names)+")")
	}
	keys := make([]string, 0, len(t.uniques))
	for k := range t.uniques {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		var names []string
		for _, f := range t.uniques[k] {
			names = append(names, f.name)
		}
		if k == "" {
			for _, n := range names {
				elems = append(elems, "UNIQUE ("+schema.Ident(n)+")")
			}
			continue
		}
		elems = append(elems, "CONSTRAINT "+schema.Ident(k)+" UNIQUE ("+bunIdents(names)+")")
	}
	elems = append(elems, fks...)
	return l.statement(t.src, "CREATE TABLE "+schema.QualifiedIdent(t.schema, t.name)+" (\n\t"+strings.Join(elems, ",\n\t")+"\n)")
}
