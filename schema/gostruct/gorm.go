package gostruct

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"os"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// GORM models.
//
// A struct type read with type information is a GORM model when one of its
// fields (its embedded structs' fields included) has a gorm tag or a type
// of package gorm.io/gorm (gorm.Model, gorm.DeletedAt), or when it has a
// TableName method, unless it is only embedded in other models. Models
// are read as GORM's schema parser and its PostgreSQL migrator read them,
// so that the tables are those AutoMigrate creates: same names, types,
// defaults, sequences, indexes and constraints.

// gormPkg is GORM's import path.
const gormPkg = "gorm.io/gorm"

// gormKnownOptions are the tag options the GORM reader applies; those in
// gormInertOptions change nothing in the schema. Any other option is named
// in a warning.
var gormKnownOptions = []string{"COLUMN", "TYPE", "SIZE", "PRECISION", "SCALE", "PRIMARYKEY", "PRIMARY_KEY",
	"AUTOINCREMENT", "NOT NULL", "NOTNULL", "DEFAULT", "UNIQUE", "UNIQUEINDEX", "INDEX", "CHECK", "EMBEDDED",
	"EMBEDDEDPREFIX", "-", "COMMENT", "FOREIGNKEY", "REFERENCES", "CONSTRAINT", "SERIALIZER", "JSON", "BELONGSTO"}

var gormInertOptions = []string{"AUTOCREATETIME", "AUTOUPDATETIME", "<-", "->", "AUTOINCREMENTINCREMENT"}

// GORM's data types (gorm.io/gorm/schema.DataType).
const (
	gormBool   = "bool"
	gormInt    = "int"
	gormUint   = "uint"
	gormFloat  = "float"
	gormString = "string"
	gormTime   = "time"
	gormBytes  = "bytes"
)

// gormSchema is a model as GORM's schema parser sees it.
type gormSchema struct {
	obj      *types.TypeName
	goName   string
	schema   string
	table    string
	src      srcPos
	fields   []*gormField
	dbNames  []string
	byDBName map[string]*gormField
	byName   map[string]*gormField
	primary  []*gormField
	prio     *gormField
	rels     []*gormRel
}

// gormField is one field of a model, embedded structs' fields flattened.
type gormField struct {
	name       string
	dbName     string
	src        srcPos
	tag        string            // the raw gorm tag
	settings   map[string]string // the parsed gorm tag
	typ        types.Type        // the field's type, pointers removed
	dataType   string
	gormType   string
	size       int
	precision  int
	scale      int
	primaryKey bool
	autoIncr   bool
	hasDefault bool
	def        string // the DEFAULT expression as GORM writes it, "" for none
	notNull    bool
	unique     bool
	comment    string
	usable     bool // creatable, updatable or readable
	ignoreMig  bool
	depth      int // the number of embedded structs it is found through
}

// gormRel is a relationship field of a model: a foreign key GORM creates.
type gormRel struct {
	owner      *gormSchema // the model declaring the field
	field      *gormField
	target     *gormSchema
	slice      bool
	belongs    bool // belongs-to: the key is in owner, else in target
	foreign    []*gormField
	references []*gormField
}

// gormReader reads the GORM models of typed packages.
type gormReader struct {
	tp       *typedPackages
	files    map[string]*goFile
	names    map[string]string // absolute file name → the name as read
	schemas  map[*types.TypeName]*gormSchema
	order    []*gormSchema
	warnings []string
	// parts are the struct types read as models or embedded in them.
	parts map[*types.TypeName]bool
	// enumType returns the SQL enum type a Go type marked schemadiff:enum
	// stands for, "" for other types.
	enumType func(types.Type) string
}

func newGormReader(tp *typedPackages) *gormReader {
	return &gormReader{tp: tp, files: map[string]*goFile{}, names: map[string]string{},
		schemas: map[*types.TypeName]*gormSchema{}, parts: map[*types.TypeName]bool{},
		enumType: func(types.Type) string { return "" }}
}

// parts returns the struct types read as models or parts of them, keyed
// by the file name as read and the type name.
func (r *gormReader) partKeys() map[string]bool {
	out := map[string]bool{}
	for obj := range r.parts {
		if tf := r.tp.fset.File(obj.Pos()); tf != nil && r.names[tf.Name()] != "" {
			out[r.names[tf.Name()]+"\x00"+obj.Name()] = true
		}
	}
	return out
}

// srcPos returns the position of p, for messages and statements.
func (r *gormReader) srcPos(p token.Pos) srcPos {
	tf := r.tp.fset.File(p)
	if tf == nil {
		return srcPos{file: &goFile{path: "?"}}
	}
	f := r.files[tf.Name()]
	if f == nil {
		src, _ := os.ReadFile(tf.Name())
		name := tf.Name()
		if given, ok := r.names[name]; ok {
			name = given
		}
		f = &goFile{path: name, src: string(src), base: tf.Base()}
		r.files[tf.Name()] = f
	}
	return srcPos{file: f, off: tf.Offset(p)}
}

// warnf records a warning at p.
func (r *gormReader) warnf(p srcPos, format string, args ...any) {
	line, _ := p.lineCol()
	r.warnings = append(r.warnings, fmt.Sprintf("%s:%d: %s", p.file.path, line, fmt.Sprintf(format, args...)))
}

// isGormModel reports whether a struct type is read as a GORM model.
func isGormModel(obj *types.TypeName) bool {
	if hasTableName(obj.Type()) {
		return true
	}
	st, ok := obj.Type().Underlying().(*types.Struct)
	return ok && usesGorm(st, map[*types.Struct]bool{})
}

// usesGorm reports whether a struct's fields, its embedded structs' included,
// have a gorm tag or a type of package gorm.
func usesGorm(st *types.Struct, seen map[*types.Struct]bool) bool {
	if seen[st] {
		return false
	}
	seen[st] = true
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i)
		if _, ok := reflect.StructTag(st.Tag(i)).Lookup("gorm"); ok {
			return true
		}
		t := deref(f.Type())
		if n, ok := t.(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == gormPkg {
			return true
		}
		if f.Anonymous() {
			if inner, ok := t.Underlying().(*types.Struct); ok && usesGorm(inner, seen) {
				return true
			}
		}
	}
	return false
}

// deref removes pointers and aliases from t.
func deref(t types.Type) types.Type {
	for {
		t = types.Unalias(t)
		p, ok := t.(*types.Pointer)
		if !ok {
			return t
		}
		t = p.Elem()
	}
}

// method returns the method name of *t (whose method set holds T's and
// *T's methods), nil if none.
func method(t types.Type, name string) *types.Func {
	if _, isPtr := t.(*types.Pointer); !isPtr {
		if _, isIface := t.Underlying().(*types.Interface); !isIface {
			t = types.NewPointer(t)
		}
	}
	sel := types.NewMethodSet(t).Lookup(nil, name)
	if sel == nil {
		return nil
	}
	fn, _ := sel.Obj().(*types.Func)
	return fn
}

func hasTableName(t types.Type) bool { return method(t, "TableName") != nil }

// isValuer reports whether *t implements driver.Valuer.
func isValuer(t types.Type) bool {
	fn := method(t, "Value")
	if fn == nil {
		return false
	}
	sig := fn.Type().(*types.Signature)
	return sig.Params().Len() == 0 && sig.Results().Len() == 2
}

// isTimeLike reports whether a struct type converts to time.Time (is
// time.Time or has its underlying type).
func isTimeLike(t types.Type) bool {
	st, ok := t.Underlying().(*types.Struct)
	if !ok || st.NumFields() != 3 {
		return false
	}
	f := st.Field(0)
	return f.Pkg() != nil && f.Pkg().Path() == "time" && f.Name() == "wall" && st.Field(1).Name() == "ext"
}

// isByte reports whether t is byte (uint8).
func isByte(t types.Type) bool {
	return types.Identical(t, types.Typ[types.Uint8])
}

// models finds the GORM models among the structs read and parses them.
func (r *gormReader) models(structs []typedStruct) error {
	var candidates []typedStruct
	embedded := map[*types.TypeName]bool{}
	for _, s := range structs {
		if hasDirective(s.doc) || !isGormModel(s.name) {
			continue
		}
		candidates = append(candidates, s)
		st := s.name.Type().Underlying().(*types.Struct)
		for i := 0; i < st.NumFields(); i++ {
			f := st.Field(i)
			_, tagged := gormTagSettings(reflect.StructTag(st.Tag(i)).Get("gorm"), ";")["EMBEDDED"]
			if n, ok := deref(f.Type()).(*types.Named); ok && (f.Anonymous() || tagged) {
				embedded[n.Obj()] = true
			}
		}
	}
	for _, s := range candidates {
		if embedded[s.name] && !hasTableName(s.name.Type()) {
			continue
		}
		if _, err := r.model(s.name); err != nil {
			return err
		}
	}
	// Relations, in model order; the targets of belongs-to relations are
	// models too, as AutoMigrate creates them.
	for i := 0; i < len(r.order); i++ {
		if err := r.relations(r.order[i]); err != nil {
			return err
		}
	}
	return nil
}

// model parses the model obj, once.
func (r *gormReader) model(obj *types.TypeName) (*gormSchema, error) {
	if s, ok := r.schemas[obj]; ok {
		return s, nil
	}
	s := &gormSchema{obj: obj, goName: obj.Name(), schema: "public", src: r.srcPos(obj.Pos()),
		byDBName: map[string]*gormField{}, byName: map[string]*gormField{}}
	r.schemas[obj] = s
	r.parts[obj] = true
	table, err := r.tableName(obj)
	if err != nil {
		return nil, err
	}
	if sch, t, ok := strings.Cut(table, "."); ok {
		s.schema, table = sch, t
	}
	s.table = table
	st := obj.Type().Underlying().(*types.Struct)
	fields, err := r.fields(st, s.src, 0, map[*types.Struct]bool{})
	if err != nil {
		return nil, err
	}
	s.fields = fields
	s.index()
	r.order = append(r.order, s)
	return s, nil
}

// index sets a model's column names, primary key and prioritized primary
// field as GORM's Parse does.
func (s *gormSchema) index() {
	for _, f := range s.fields {
		if f.dbName == "" && f.dataType != "" {
			f.dbName = gormDBName(f.name)
		}
		if f.dbName == "" {
			if _, ok := s.byName[f.name]; !ok {
				s.byName[f.name] = f
			}
			continue
		}
		if v, ok := s.byDBName[f.dbName]; !ok || (f.usable && f.depth < v.depth) {
			if !ok {
				s.dbNames = append(s.dbNames, f.dbName)
			}
			s.byDBName[f.dbName] = f
			s.byName[f.name] = f
			if v != nil && v.primaryKey {
				s.primary = slices.DeleteFunc(s.primary, func(p *gormField) bool { return p.dbName == v.dbName })
			}
			if f.primaryKey {
				s.primary = append(s.primary, f)
			}
		}
		if _, ok := s.byName[f.name]; !ok {
			s.byName[f.name] = f
		}
	}
	id := s.lookUp("id")
	if id == nil {
		id = s.lookUp("ID")
	}
	if id != nil {
		if id.primaryKey {
			s.prio = id
		} else if len(s.primary) == 0 {
			id.primaryKey = true
			s.prio = id
			s.primary = append(s.primary, id)
		}
	}
	if s.prio == nil {
		if len(s.primary) == 1 {
			s.prio = s.primary[0]
		} else {
			for _, f := range s.primary {
				if f.autoIncr {
					s.prio = f
					break
				}
			}
		}
	}
	if f := s.prio; f != nil && (f.gormType == gormInt || f.gormType == gormUint) {
		if _, ok := f.settings["AUTOINCREMENT"]; !ok {
			f.hasDefault, f.autoIncr = true, true
		}
	}
}

// lookUp finds a field by column name or Go name, as GORM's LookUpField.
func (s *gormSchema) lookUp(name string) *gormField {
	if f, ok := s.byDBName[name]; ok {
		return f
	}
	if f, ok := s.byName[name]; ok {
		return f
	}
	if f, ok := s.byDBName[gormDBName(name)]; ok {
		return f
	}
	return nil
}

// tableName returns the model's table: what its TableName method returns,
// read statically, or GORM's name for its type.
func (r *gormReader) tableName(obj *types.TypeName) (string, error) {
	fn := method(obj.Type(), "TableName")
	if fn == nil {
		return gormTableName(obj.Name()), nil
	}
	pos := r.srcPos(fn.Pos())
	sig := fn.Type().(*types.Signature)
	if sig.Params().Len() != 0 || sig.Results().Len() != 1 {
		return "", pos.errorf("model %s: method TableName takes a naming strategy: it is not read; return the table name from TableName() string", obj.Name())
	}
	decl := r.funcDecl(fn)
	if decl == nil || decl.Body == nil || len(decl.Body.List) != 1 {
		return "", pos.errorf("model %s: method TableName is not a single return of a constant string, so the table name cannot be read without running it", obj.Name())
	}
	ret, ok := decl.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return "", pos.errorf("model %s: method TableName is not a single return of a constant string, so the table name cannot be read without running it", obj.Name())
	}
	info := r.infoOf(fn)
	tv, ok := info.Types[ret.Results[0]]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", pos.errorf("model %s: method TableName does not return a constant string, so the table name cannot be read without running it", obj.Name())
	}
	return constant.StringVal(tv.Value), nil
}

// funcDecl finds the declaration of a method in the packages read.
func (r *gormReader) funcDecl(fn *types.Func) *ast.FuncDecl {
	for _, p := range r.tp.pkgs {
		if p.Types != fn.Pkg() {
			continue
		}
		for _, f := range p.Syntax {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && p.TypesInfo.Defs[fd.Name] == fn {
					return fd
				}
			}
		}
	}
	return nil
}

func (r *gormReader) infoOf(fn *types.Func) *types.Info {
	for _, p := range r.tp.pkgs {
		if p.Types == fn.Pkg() {
			return p.TypesInfo
		}
	}
	return &types.Info{}
}

// fields parses the exported fields of a struct, flattening embedded
// structs. outer is the position for messages about fields declared in
// other packages (gorm.Model's, say).
func (r *gormReader) fields(st *types.Struct, outer srcPos, depth int, seen map[*types.Struct]bool) ([]*gormField, error) {
	if seen[st] {
		return nil, outer.errorf("struct embeds itself")
	}
	seen[st] = true
	defer delete(seen, st)
	var out []*gormField
	for i := 0; i < st.NumFields(); i++ {
		v := st.Field(i)
		if !v.Exported() {
			continue
		}
		pos := outer
		if tf := r.tp.fset.File(v.Pos()); tf != nil && r.names[tf.Name()] != "" {
			pos = r.srcPos(v.Pos())
		}
		f, err := r.field(v, st.Tag(i), pos, depth)
		if err != nil {
			return nil, err
		}
		if !r.isEmbedded(f, v) {
			out = append(out, f)
			continue
		}
		if n, ok := f.typ.(*types.Named); ok {
			r.parts[n.Obj()] = true
		}
		inner := f.typ.Underlying().(*types.Struct)
		efs, err := r.fields(inner, pos, depth+1, seen)
		if err != nil {
			return nil, err
		}
		embeddedPK(efs)
		for _, ef := range efs {
			if ef.dbName == "" && ef.dataType != "" {
				ef.dbName = gormDBName(ef.name)
			}
			if prefix, ok := f.settings["EMBEDDEDPREFIX"]; ok && ef.dbName != "" {
				ef.dbName = prefix + ef.dbName
			}
			for k, val := range f.settings {
				ef.settings[k] = val
			}
		}
		out = append(out, efs...)
	}
	return out, nil
}

// embeddedPK keeps the primary key of an embedded struct's fields only
// where it is tagged, as GORM does: an untagged ID of an embedded struct
// is not the key of the model that embeds it.
func embeddedPK(fields []*gormField) {
	for _, f := range fields {
		if f.primaryKey {
			if _, ok := f.settings["AUTOINCREMENT"]; !ok && (f.gormType == gormInt || f.gormType == gormUint) {
				f.autoIncr, f.hasDefault = true, true
			}
		}
	}
}

// isEmbedded reports whether a field's struct is embedded: tagged
// embedded, or anonymous and not a time, bytes or valuer type.
func (r *gormReader) isEmbedded(f *gormField, v *types.Var) bool {
	if _, ok := f.typ.Underlying().(*types.Struct); !ok {
		return false
	}
	if _, ok := f.settings["EMBEDDED"]; ok {
		return true
	}
	return f.gormType != gormTime && f.gormType != gormBytes && !isValuer(f.typ) && v.Anonymous() && f.usable
}

// field parses one field as GORM's ParseField does.
func (r *gormReader) field(v *types.Var, rawTag string, pos srcPos, depth int) (*gormField, error) {
	tag := reflect.StructTag(rawTag).Get("gorm")
	settings := gormTagSettings(tag, ";")
	f := &gormField{
		name: v.Name(), dbName: settings["COLUMN"], src: pos, tag: tag, settings: settings, depth: depth,
		typ:        deref(v.Type()),
		primaryKey: gormTruth(settings["PRIMARYKEY"], settings["PRIMARY_KEY"]),
		autoIncr:   gormTruth(settings["AUTOINCREMENT"]),
		hasDefault: gormTruth(settings["AUTOINCREMENT"]),
		notNull:    gormTruth(settings["NOT NULL"], settings["NOTNULL"]),
		unique:     gormTruth(settings["UNIQUE"]),
		comment:    settings["COMMENT"],
		usable:     true,
	}
	r.checkOptions(f)
	value := f.typ
	valuer := isValuer(f.typ)
	dynamic := method(f.typ, "GormDataType") != nil || method(f.typ, "GormDBDataType") != nil
	if valuer && !dynamic {
		value = realFieldType(value, f.settings)
	}
	if name := firstNonEmpty(settings["JSON"], settings["SERIALIZER"]); name != "" || method(f.typ, "Scan") != nil && method(f.typ, "Value") != nil && isSerializer(f.typ) {
		f.dataType = gormString
	}
	if v, ok := settings["DEFAULT"]; ok {
		f.hasDefault = true
		f.def = strings.TrimSpace(v)
	}
	if err := f.sizes(); err != nil {
		return nil, err
	}
	if err := f.kind(value); err != nil {
		return nil, err
	}
	if dynamic {
		if _, typed := settings["TYPE"]; !typed {
			return nil, pos.errorf("field %s: its type %s decides its column type at run time (GormDataType or GormDBDataType): add type:... to its gorm tag",
				f.name, types.TypeString(v.Type(), nil))
		}
		if method(f.typ, "GormDBDataType") != nil {
			r.warnf(pos, "field %s: its type %s decides its column type at run time (GormDBDataType); schemadiff reads the gorm tag's type:%s", f.name,
				types.TypeString(v.Type(), nil), settings["TYPE"])
		}
	}
	if f.gormType == "" {
		f.gormType = f.dataType
	}
	if val, ok := settings["TYPE"]; ok {
		switch lower := strings.ToLower(val); lower {
		case gormBool, gormInt, gormUint, gormFloat, gormString, gormTime, gormBytes:
			f.dataType = lower
		default:
			f.dataType = val
		}
	}
	if f.size == 0 {
		f.size = defaultSize(value)
	}
	if _, typed := settings["TYPE"]; !typed && f.dataType == gormString {
		if enum := r.enumType(f.typ); enum != "" {
			f.dataType = enum
		}
	}
	if val, ok := settings["-"]; ok {
		switch strings.ToLower(strings.TrimSpace(val)) {
		case "-":
			f.usable, f.dataType = false, ""
		case "all":
			f.usable, f.dataType, f.ignoreMig = false, "", true
		case "migration":
			f.ignoreMig = true
		}
	}
	return f, nil
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// isSerializer reports whether t implements GORM's SerializerInterface
// (Scan and Value with a context and the field).
func isSerializer(t types.Type) bool {
	fn := method(t, "Value")
	return fn != nil && fn.Type().(*types.Signature).Params().Len() == 4
}

// realFieldType follows a valuer struct to its first field's type, as
// GORM does to pick a data type (sql.NullTime is a time, gorm.DeletedAt
// too), merging the gorm tags of its fields into settings.
func realFieldType(t types.Type, settings map[string]string) types.Type {
	for range 10 {
		st, ok := t.Underlying().(*types.Struct)
		if !ok || isTimeLike(t) || st.NumFields() == 0 {
			return t
		}
		for i := 0; i < st.NumFields(); i++ {
			for k, v := range gormTagSettings(reflect.StructTag(st.Tag(i)).Get("gorm"), ";") {
				if _, ok := settings[k]; !ok {
					settings[k] = v
				}
			}
		}
		next := deref(st.Field(0).Type())
		if types.Identical(next, t) {
			return t
		}
		t = next
	}
	return t
}

// sizes reads size, precision and scale.
func (f *gormField) sizes() error {
	if num, ok := f.settings["SIZE"]; ok {
		n, err := strconv.Atoi(num)
		if err != nil {
			n = -1
		}
		f.size = n
	}
	if p, ok := f.settings["PRECISION"]; ok {
		f.precision, _ = strconv.Atoi(p)
	}
	if s, ok := f.settings["SCALE"]; ok {
		f.scale, _ = strconv.Atoi(s)
	}
	return nil
}

// kind sets the data type and the default value from the Go kind of value.
func (f *gormField) kind(value types.Type) error {
	skipDefault := strings.Contains(f.def, "(") && strings.Contains(f.def, ")") ||
		strings.EqualFold(f.def, "null") || f.def == ""
	parse := f.hasDefault && !skipDefault
	bad := func(kind string, err error) error {
		return f.src.errorf("field %s: default:%s is not a %s: %v", f.name, f.def, kind, err)
	}
	switch u := value.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			f.dataType = gormBool
			if parse {
				b, err := strconv.ParseBool(f.def)
				if err != nil {
					return bad("bool", err)
				}
				f.def = strconv.FormatBool(b)
			}
		case u.Info()&types.IsInteger != 0 && u.Info()&types.IsUnsigned == 0:
			f.dataType = gormInt
			if parse {
				n, err := strconv.ParseInt(f.def, 0, 64)
				if err != nil {
					return bad("int", err)
				}
				f.def = strconv.FormatInt(n, 10)
			}
		case u.Info()&types.IsUnsigned != 0 && u.Kind() != types.Uintptr:
			f.dataType = gormUint
			if parse {
				n, err := strconv.ParseUint(f.def, 0, 64)
				if err != nil {
					return bad("uint", err)
				}
				f.def = strconv.FormatUint(n, 10)
			}
		case u.Info()&types.IsFloat != 0:
			f.dataType = gormFloat
			if parse {
				x, err := strconv.ParseFloat(f.def, 64)
				if err != nil {
					return bad("float", err)
				}
				f.def = strconv.FormatFloat(x, 'f', -1, 64)
			}
		case u.Info()&types.IsString != 0:
			f.dataType = gormString
			if parse {
				s := strings.Trim(strings.Trim(f.def, "'"), `"`)
				f.def = schema.Literal(s)
			}
		}
	case *types.Struct:
		if isTimeLike(value) {
			f.dataType = gormTime
		}
	case *types.Slice:
		if isByte(u.Elem()) && f.dataType == "" {
			f.dataType = gormBytes
		}
	case *types.Array:
		if isByte(u.Elem()) && f.dataType == "" {
			f.dataType = gormBytes
		}
	}
	return nil
}

// defaultSize is GORM's size for a Go kind without size:.
func defaultSize(t types.Type) int {
	b, ok := t.Underlying().(*types.Basic)
	if !ok {
		return 0
	}
	switch b.Kind() {
	case types.Int, types.Int64, types.Uint, types.Uint64, types.Float64:
		return 64
	case types.Int8, types.Uint8:
		return 8
	case types.Int16, types.Uint16:
		return 16
	case types.Int32, types.Uint32, types.Float32:
		return 32
	}
	return 0
}

// checkOptions names the options of a gorm tag the reader does not read.
func (r *gormReader) checkOptions(f *gormField) {
	var unknown []string
	for k := range f.settings {
		if !slices.Contains(gormKnownOptions, k) && !slices.Contains(gormInertOptions, k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		r.warnf(f.src, "field %s: gorm tag option %s is not read by schemadiff (the options read are %s)",
			f.name, k, strings.ToLower(strings.Join(gormKnownOptions, ", ")))
	}
}

// sqlType is the PostgreSQL type GORM's postgres dialector gives a field.
func (f *gormField) sqlType() string {
	intType := func() string {
		size := f.size
		if f.dataType == gormUint {
			size++
		}
		switch {
		case size <= 16:
			return "smallint"
		case size <= 32:
			return "integer"
		}
		return "bigint"
	}
	serial := map[string]string{"smallint": "smallserial", "integer": "serial", "bigint": "bigserial"}
	switch f.dataType {
	case gormBool:
		return "boolean"
	case gormInt, gormUint:
		if f.autoIncr {
			return serial[intType()]
		}
		return intType()
	case gormFloat:
		if f.precision > 0 {
			if f.scale > 0 {
				return fmt.Sprintf("numeric(%d, %d)", f.precision, f.scale)
			}
			return fmt.Sprintf("numeric(%d)", f.precision)
		}
		return "decimal"
	case gormString:
		if f.size > 0 && f.size <= 10485760 {
			return fmt.Sprintf("varchar(%d)", f.size)
		}
		return "text"
	case gormTime:
		if f.precision > 0 {
			return fmt.Sprintf("timestamptz(%d)", f.precision)
		}
		return "timestamptz"
	case gormBytes:
		return "bytea"
	}
	sqlType := f.dataType
	if f.autoIncr && !strings.Contains(strings.ToLower(sqlType), "serial") {
		size := f.size
		if f.gormType == gormUint {
			size++
		}
		switch {
		case size <= 16:
			return "smallserial"
		case size <= 32:
			return "serial"
		}
		return "bigserial"
	}
	return sqlType
}

// definition is the column's definition, as GORM's FullDataTypeOf.
func (f *gormField) definition() string {
	sql := schema.Ident(f.dbName) + " " + f.sqlType()
	if f.notNull {
		sql += " NOT NULL"
	}
	if f.hasDefault && f.def != "" && f.def != "(-)" {
		sql += " DEFAULT " + f.def
	}
	return sql
}
