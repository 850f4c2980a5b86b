package gostruct

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// Enums from Go.
//
// A named string type whose doc comment holds the directive
// schemadiff:enum [name=[schema.]type_name] is an enum type: CREATE TYPE
// ... AS ENUM with the values of the typed string constants of that type
// declared in its package, in declaration order (files by name, then
// position). Fields of that type are columns of the enum type.

// goEnum is a string type marked schemadiff:enum.
type goEnum struct {
	typeName string // the Go type's name
	schema   string
	name     string
	src      srcPos // the type's name
	dirPos   srcPos // the directive
	spec     *ast.TypeSpec
}

func (e *goEnum) qualified() string { return schema.QualifiedIdent(e.schema, e.name) }

// enumDirective reads a schemadiff:enum directive on the type ts. It
// returns nil when dirs hold no enum directive.
func (l *goLoader) enumDirective(f *goFile, ts *ast.TypeSpec, dirs []directive) (*goEnum, error) {
	var d *directive
	for i := range dirs {
		if dirs[i].word != "enum" {
			continue
		}
		if d != nil {
			return nil, dirs[i].pos.errorf("second schemadiff:enum directive for %s", ts.Name.Name)
		}
		d = &dirs[i]
	}
	if d == nil {
		return nil, nil
	}
	for _, other := range dirs {
		if other.word != "enum" {
			return nil, other.pos.errorf("schemadiff:%s on %s, which is marked schemadiff:enum", other.word, ts.Name.Name)
		}
	}
	if id, ok := ts.Type.(*ast.Ident); !ok || id.Name != "string" || ts.Assign.IsValid() || ts.TypeParams != nil {
		return nil, d.pos.errorf("schemadiff:enum on %s, which is not a named string type (type %s string)", ts.Name.Name, ts.Name.Name)
	}
	e := &goEnum{typeName: ts.Name.Name, schema: "public", name: snakeCase(ts.Name.Name),
		src: l.pos(f, ts.Name.Pos()), dirPos: d.pos, spec: ts}
	if d.arg != "" {
		value, ok := strings.CutPrefix(d.arg, "name=")
		if !ok {
			return nil, d.pos.errorf("schemadiff:enum %s: the argument is name=[schema.]type_name", d.arg)
		}
		s, name, err := onlyName(value, true)
		if err != nil {
			return nil, d.pos.errorf("schemadiff:enum %s: %v", d.arg, err)
		}
		e.name = name
		if s != "" {
			e.schema = s
		}
	}
	return e, nil
}

// enumValue is one constant of an enum type.
type enumValue struct {
	value string
	name  string
	pos   srcPos
}

// enumValues returns the values of the constants of type e declared in
// the files of pkg, in declaration order. A constant of the type whose
// value is not a string literal, a repeated value and an enum without
// constants are errors at the constant or the directive.
func (l *goLoader) enumValues(pkg *goPackage, e *goEnum) ([]string, error) {
	var values []enumValue
	for _, f := range pkg.files {
		for _, d := range f.ast.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			found, err := l.constsOf(f, gd, e.typeName)
			if err != nil {
				return nil, err
			}
			values = append(values, found...)
		}
	}
	if len(values) == 0 {
		return nil, e.dirPos.errorf("enum %s has no values: declare constants of type %s (const X %s = \"x\")",
			e.qualified(), e.typeName, e.typeName)
	}
	seen := map[string]enumValue{}
	out := make([]string, 0, len(values))
	for _, v := range values {
		if first, dup := seen[v.value]; dup {
			line, _ := first.pos.lineCol()
			return nil, v.pos.errorf("constant %s repeats the value %q of enum %s (constant %s at %s:%d)",
				v.name, v.value, e.qualified(), first.name, first.pos.file.path, line)
		}
		seen[v.value] = v
		out = append(out, v.value)
	}
	return out, nil
}

// constsOf returns the constants of the Go type typeName declared by one
// const declaration: those written with the type (X Status = "x"), as a
// conversion (X = Status("x")), or repeating such a line implicitly.
func (l *goLoader) constsOf(f *goFile, gd *ast.GenDecl, typeName string) ([]enumValue, error) {
	var out []enumValue
	var typ ast.Expr
	var vals []ast.Expr
	for _, s := range gd.Specs {
		vs := s.(*ast.ValueSpec)
		if vs.Type != nil || len(vs.Values) > 0 {
			typ, vals = vs.Type, vs.Values
		}
		for i, n := range vs.Names {
			var v ast.Expr
			if i < len(vals) {
				v = vals[i]
			}
			lit, ofType := constOfType(typ, v, typeName)
			if !ofType || n.Name == "_" {
				continue
			}
			pos := l.pos(f, n.Pos())
			value, ok := stringLiteral(lit)
			if !ok {
				if value, ok = l.typedConst(f, n.Name, typeName); !ok {
					return nil, pos.errorf("constant %s of enum type %s: its value %s is not a string literal "+
						"(and the package does not type-check, so it cannot be computed)", n.Name, typeName, exprString(v))
				}
			}
			out = append(out, enumValue{value: value, name: n.Name, pos: pos})
		}
	}
	return out, nil
}

// constOfType reports whether a constant declared with type typ and value
// v is of the Go type typeName, and returns the expression giving its
// value.
func constOfType(typ, v ast.Expr, typeName string) (ast.Expr, bool) {
	if id, ok := typ.(*ast.Ident); ok {
		return v, id.Name == typeName
	}
	if typ != nil {
		return nil, false
	}
	if p, ok := v.(*ast.ParenExpr); ok {
		return constOfType(nil, p.X, typeName)
	}
	call, ok := v.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return nil, false
	}
	if id, ok := call.Fun.(*ast.Ident); ok && id.Name == typeName {
		return call.Args[0], true
	}
	return nil, false
}

// stringLiteral returns the value of a string literal.
func stringLiteral(e ast.Expr) (string, bool) {
	if p, ok := e.(*ast.ParenExpr); ok {
		return stringLiteral(p.X)
	}
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// emitEnum adds the CREATE TYPE statement of e.
func (l *goLoader) emitEnum(pkg *goPackage, e *goEnum) error {
	key := [2]string{e.schema, e.name}
	if first, dup := l.enums[key]; dup {
		line, _ := first.lineCol()
		return e.dirPos.errorf("enum type %s is declared twice (also at %s:%d)", e.qualified(), first.file.path, line)
	}
	l.enums[key] = e.src
	values, err := l.enumValues(pkg, e)
	if err != nil {
		return err
	}
	lits := make([]string, len(values))
	for i, v := range values {
		lits[i] = schema.Literal(v)
	}
	return l.statement(e.src, "CREATE TYPE "+e.qualified()+" AS ENUM ("+strings.Join(lits, ", ")+")")
}

// enumKey identifies a Go type by its package's directory and its name.
func enumKey(dir, typeName string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return dir + "\x00" + typeName
}

// typedEnum returns the SQL type of the enum the Go type t names (pointers
// removed by the caller), "" when it is not a type marked schemadiff:enum.
func (l *goLoader) typedEnum(tp *typedPackages, t types.Type) string {
	n, ok := t.(*types.Named)
	if !ok || len(l.enumTypes) == 0 {
		return ""
	}
	file := tp.fset.Position(n.Obj().Pos()).Filename
	if file == "" {
		return ""
	}
	return l.enumTypes[enumKey(filepath.Dir(file), n.Obj().Name())]
}

// sortedFiles returns the files of a package sorted by path.
func sortedFiles(files []*goFile) []*goFile {
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	return files
}

// enumOf returns the enum the type name of a field names in pkg.
func (p *goPackage) enumOf(name string) *goEnum {
	if p.enums == nil {
		return nil
	}
	return p.enums[name]
}

// typedConst returns the value of the string constant name of the Go type
// typeName declared in f's package, computed with type information; false
// when the packages at the path read do not type-check.
func (l *goLoader) typedConst(f *goFile, name, typeName string) (string, bool) {
	tp, err := l.typedPackages()
	if err != nil {
		return "", false
	}
	abs, err := filepath.Abs(f.path)
	if err != nil {
		return "", false
	}
	for _, p := range tp.pkgs {
		if !slices.Contains(p.CompiledGoFiles, abs) && !slices.Contains(p.GoFiles, abs) {
			continue
		}
		c, ok := p.Types.Scope().Lookup(name).(*types.Const)
		if !ok || c.Val().Kind() != constant.String {
			return "", false
		}
		if n, ok := c.Type().(*types.Named); !ok || n.Obj().Name() != typeName {
			return "", false
		}
		return constant.StringVal(c.Val()), true
	}
	return "", false
}
