package pipeline

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/schemadiff/schemadiff/migrate"
)

// A migrations directory is declarative when its package is nothing but
// what schemadiff generates: a package file declaring
//
//	var Migrations = migrate.NewSet()
//
// and migration files whose one init function adds one migrate.Migration
// literal made of string literals and the migrate.SQL* step constructors.
// Such a package does nothing at run time but build its Set, so the
// migrations can be read from the source and applied without compiling
// it. Anything else (another declaration, import or step kind, a build
// constraint, a directive, a file of another language) makes it not
// declarative, with the first reason found.

// NotDeclarativeError says why a migrations directory is not declarative:
// the place (file:line) and what is there.
type NotDeclarativeError struct {
	Pos    token.Position
	Reason string
}

// Error returns "file:line: reason".
func (e *NotDeclarativeError) Error() string {
	if e.Pos.Line == 0 {
		return e.Pos.Filename + ": " + e.Reason
	}
	return fmt.Sprintf("%s:%d: %s", e.Pos.Filename, e.Pos.Line, e.Reason)
}

// migratePath is the import path of package migrate.
const migratePath = "github.com/schemadiff/schemadiff/migrate"

// foreignSourceExts are the file name extensions of the files other than
// Go that go build compiles or links into a package.
var foreignSourceExts = map[string]bool{
	".c": true, ".cc": true, ".cpp": true, ".cxx": true, ".m": true,
	".h": true, ".hh": true, ".hpp": true, ".hxx": true,
	".f": true, ".F": true, ".for": true, ".f90": true,
	".s": true, ".S": true, ".sx": true, ".swig": true, ".swigcxx": true, ".syso": true,
}

// DeclaredMigration is a migration as a declarative file adds it.
type DeclaredMigration struct {
	Version, Name, Parent string
	Up, Down              []DeclaredStep
}

// DeclaredStep is a step as a declarative file makes it: a call of a
// step constructor of package migrate (one of stepConstructors) with
// string arguments.
type DeclaredStep struct {
	Constructor string
	Args        []string
}

// stepConstructors are the step constructors of package migrate a
// declarative file may call, with how many arguments they take.
var stepConstructors = map[string]int{
	"SQL": 1, "SQLNoTx": 1, "SQLCommitFirst": 1, "SQLCreateIndexConcurrently": 3,
}

// Migration returns the migration as package migrate holds it.
func (m DeclaredMigration) Migration() migrate.Migration {
	return migrate.Migration{Version: m.Version, Name: m.Name, Parent: m.Parent,
		Up: migrateSteps(m.Up), Down: migrateSteps(m.Down)}
}

// migrateSteps returns steps as package migrate holds them.
func migrateSteps(steps []DeclaredStep) []migrate.Step {
	if steps == nil {
		return nil
	}
	out := make([]migrate.Step, len(steps))
	for i, s := range steps {
		out[i] = s.Step()
	}
	return out
}

// Step calls the step's constructor.
func (s DeclaredStep) Step() migrate.Step {
	switch s.Constructor {
	case "SQLNoTx":
		return migrate.SQLNoTx(s.Args[0])
	case "SQLCommitFirst":
		return migrate.SQLCommitFirst(s.Args[0])
	case "SQLCreateIndexConcurrently":
		return migrate.SQLCreateIndexConcurrently(s.Args[0], s.Args[1], s.Args[2])
	}
	return migrate.SQL(s.Args[0])
}

// declarativeFile is what a file of a declarative package holds.
type declarativeFile int

const (
	declEmpty     declarativeFile = iota // a package clause only
	declSet                              // var Migrations = migrate.NewSet()
	declMigration                        // func init() { Migrations.Add(migrate.Migration{...}) }
)

// ReadDeclarative reads the migrations of md from their source when the
// directory is declarative, in version order. Otherwise it returns a
// *NotDeclarativeError (or an error reading the directory).
func ReadDeclarative(md *MigrationsDir) ([]DeclaredMigration, error) {
	entries, err := os.ReadDir(md.Dir)
	if err != nil {
		return nil, fmt.Errorf("reading migrations directory: %w", err)
	}
	rd := &declReader{dir: md.Dir, fset: token.NewFileSet()}
	sets := 0
	for _, e := range entries {
		kind, err := rd.readEntry(e)
		if err != nil {
			return nil, err
		}
		if kind == declSet {
			sets++
		}
	}
	if sets != 1 {
		return nil, &NotDeclarativeError{Pos: token.Position{Filename: md.Dir},
			Reason: fmt.Sprintf("%d files declare the Migrations set, want exactly one", sets)}
	}
	if err := rd.checkVersions(md); err != nil {
		return nil, err
	}
	sort.Slice(rd.migrations, func(i, j int) bool { return rd.migrations[i].Version < rd.migrations[j].Version })
	return rd.migrations, nil
}

// declReader reads the files of one directory.
type declReader struct {
	dir        string
	fset       *token.FileSet
	pkg        string
	migrations []DeclaredMigration
	files      []string // files[i] declares migrations[i]
}

// readEntry reads one entry of the directory.
func (rd *declReader) readEntry(e os.DirEntry) (declarativeFile, error) {
	name := e.Name()
	path := filepath.Join(rd.dir, name)
	switch {
	case e.IsDir():
		return declEmpty, nil // another package
	case strings.HasSuffix(name, "_test.go"):
		return declEmpty, nil // not part of the runner
	case foreignSourceExts[filepath.Ext(name)]:
		return 0, &NotDeclarativeError{Pos: token.Position{Filename: path}, Reason: "go build compiles this file into the package too"}
	case filepath.Ext(name) != ".go":
		return declEmpty, nil
	case strings.HasPrefix(name, "_") || strings.HasPrefix(name, "."):
		return 0, &NotDeclarativeError{Pos: token.Position{Filename: path}, Reason: "go build ignores a file whose name starts with _ or ."}
	case !e.Type().IsRegular():
		return 0, &NotDeclarativeError{Pos: token.Position{Filename: path}, Reason: "not a regular file"}
	}
	f, err := parser.ParseFile(rd.fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return 0, &NotDeclarativeError{Pos: token.Position{Filename: path}, Reason: fmt.Sprintf("does not parse: %v", err)}
	}
	if err := rd.checkFile(f); err != nil {
		return 0, err
	}
	if err := rd.checkFileName(name); err != nil {
		return 0, err
	}
	return rd.readDecls(f, name)
}

// notDecl returns the error for what is at pos.
func (rd *declReader) notDecl(pos token.Pos, format string, args ...any) error {
	return &NotDeclarativeError{Pos: rd.fset.Position(pos), Reason: fmt.Sprintf(format, args...)}
}

// checkFile checks the package clause, the comments and the imports of f.
func (rd *declReader) checkFile(f *ast.File) error {
	switch {
	case f.Name.Name == "main" || f.Name.Name == "_":
		return rd.notDecl(f.Name.Pos(), "package %s", f.Name.Name)
	case rd.pkg != "" && f.Name.Name != rd.pkg:
		return rd.notDecl(f.Name.Pos(), "package %s, but other files are package %s", f.Name.Name, rd.pkg)
	}
	rd.pkg = f.Name.Name
	for _, g := range f.Comments {
		for _, c := range g.List {
			if err := rd.checkComment(c, c.Pos() < f.Package); err != nil {
				return err
			}
		}
	}
	for _, imp := range f.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		switch {
		case err != nil || path != migratePath:
			return rd.notDecl(imp.Pos(), "imports %s: only %s is recognised", imp.Path.Value, migratePath)
		case imp.Name != nil:
			return rd.notDecl(imp.Pos(), "imports %s as %s", migratePath, imp.Name.Name)
		}
	}
	if len(f.Imports) > 1 {
		return rd.notDecl(f.Imports[1].Pos(), "imports %s twice", migratePath)
	}
	return nil
}

// checkComment refuses the comments that are not only comments: compiler
// directives, line directives and, before the package clause, build
// constraints.
func (rd *declReader) checkComment(c *ast.Comment, header bool) error {
	text := c.Text
	switch {
	case strings.HasPrefix(text, "//go:"):
		return rd.notDecl(c.Pos(), "directive %s", firstWord(text))
	case strings.HasPrefix(text, "//line ") || strings.HasPrefix(text, "/*line "):
		return rd.notDecl(c.Pos(), "line directive")
	case strings.HasPrefix(text, "//export "):
		return rd.notDecl(c.Pos(), "cgo export directive")
	case header && strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(text, "//")), "+build"):
		return rd.notDecl(c.Pos(), "build constraint")
	}
	return nil
}

// firstWord returns s up to its first space.
func firstWord(s string) string {
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i]
	}
	return s
}

// noTarget is a build context no file name constraint (name_GOOS.go,
// name_GOARCH.go) matches.
var noTarget = build.Context{GOOS: "schemadiffnone", GOARCH: "schemadiffnone", Compiler: "gc"}

// checkFileName refuses a file whose name restricts the platforms it is
// compiled for.
func (rd *declReader) checkFileName(name string) error {
	ok, err := noTarget.MatchFile(rd.dir, name)
	if err != nil || !ok {
		return &NotDeclarativeError{Pos: token.Position{Filename: filepath.Join(rd.dir, name)},
			Reason: "the file name is a build constraint (it ends in a GOOS or GOARCH)"}
	}
	return nil
}

// readDecls reads the declarations of the file name: none, the set, or
// one init function adding one migration.
func (rd *declReader) readDecls(f *ast.File, name string) (declarativeFile, error) {
	var decls []ast.Decl
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			continue
		}
		decls = append(decls, d)
	}
	isMigrationName := migrationFile.MatchString(name)
	switch {
	case len(decls) == 0 && !isMigrationName && len(f.Imports) > 0:
		return 0, rd.notDecl(f.Imports[0].Pos(), "imports %s without using it", migratePath)
	case len(decls) == 0 && !isMigrationName:
		return declEmpty, nil
	case len(decls) == 1 && len(f.Imports) == 0:
		return 0, rd.notDecl(decls[0].Pos(), "uses package migrate without importing it")
	case len(decls) > 1:
		return 0, rd.notDecl(decls[1].Pos(), "a second declaration: a generated file has one")
	case len(decls) == 0:
		return 0, rd.notDecl(f.Package, "a migration file without a migration")
	}
	if g, ok := decls[0].(*ast.GenDecl); ok {
		if isMigrationName {
			return 0, rd.notDecl(g.Pos(), "a migration file declaring %s", g.Tok)
		}
		return declSet, rd.checkSetDecl(g)
	}
	fn := decls[0].(*ast.FuncDecl)
	if !isMigrationName {
		return 0, rd.notDecl(fn.Pos(), "function %s in a file not named like a migration (<version>_<name>.go)", fn.Name.Name)
	}
	m, err := rd.readInit(fn)
	if err != nil {
		return 0, err
	}
	rd.migrations = append(rd.migrations, m)
	rd.files = append(rd.files, filepath.Join(rd.dir, name))
	return declMigration, nil
}

// checkSetDecl checks that g is var Migrations = migrate.NewSet().
func (rd *declReader) checkSetDecl(g *ast.GenDecl) error {
	if g.Tok != token.VAR || g.Lparen.IsValid() || len(g.Specs) != 1 {
		return rd.notDecl(g.Pos(), "a %s declaration: only var Migrations = migrate.NewSet() is recognised", g.Tok)
	}
	spec := g.Specs[0].(*ast.ValueSpec)
	if len(spec.Names) != 1 || spec.Names[0].Name != "Migrations" || spec.Type != nil || len(spec.Values) != 1 {
		return rd.notDecl(spec.Pos(), "a variable other than Migrations = migrate.NewSet()")
	}
	call, ok := spec.Values[0].(*ast.CallExpr)
	if !ok || !isMigrateSel(call.Fun, "NewSet") || len(call.Args) != 0 {
		return rd.notDecl(spec.Values[0].Pos(), "Migrations is not set to migrate.NewSet()")
	}
	return nil
}

// isMigrateSel reports whether e is migrate.<name>.
func isMigrateSel(e ast.Expr, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == "migrate"
}

// readInit reads func init() { Migrations.Add(migrate.Migration{...}) }.
func (rd *declReader) readInit(fn *ast.FuncDecl) (DeclaredMigration, error) {
	switch {
	case fn.Name.Name != "init" || fn.Recv != nil:
		return DeclaredMigration{}, rd.notDecl(fn.Pos(), "function %s: only func init is recognised", fn.Name.Name)
	case fn.Type.TypeParams != nil || len(fn.Type.Params.List) != 0 || fn.Type.Results != nil:
		return DeclaredMigration{}, rd.notDecl(fn.Pos(), "init with parameters or results")
	case fn.Body == nil || len(fn.Body.List) != 1:
		return DeclaredMigration{}, rd.notDecl(fn.Pos(), "init must hold exactly one statement, Migrations.Add(...)")
	}
	stmt, ok := fn.Body.List[0].(*ast.ExprStmt)
	if !ok {
		return DeclaredMigration{}, rd.notDecl(fn.Body.List[0].Pos(), "a statement other than Migrations.Add(...)")
	}
	call, ok := stmt.X.(*ast.CallExpr)
	if !ok || call.Ellipsis.IsValid() || len(call.Args) != 1 || !isMigrationsAdd(call.Fun) {
		return DeclaredMigration{}, rd.notDecl(stmt.Pos(), "a statement other than Migrations.Add(migrate.Migration{...})")
	}
	lit, ok := call.Args[0].(*ast.CompositeLit)
	if !ok || !isMigrateSel(lit.Type, "Migration") {
		return DeclaredMigration{}, rd.notDecl(call.Args[0].Pos(), "Migrations.Add of something other than a migrate.Migration literal")
	}
	return rd.readMigration(lit)
}

// isMigrationsAdd reports whether e is Migrations.Add.
func isMigrationsAdd(e ast.Expr) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Add" {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == "Migrations"
}

// readMigration reads the fields of a migrate.Migration literal.
func (rd *declReader) readMigration(lit *ast.CompositeLit) (DeclaredMigration, error) {
	var m DeclaredMigration
	seen := map[string]bool{}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			return m, rd.notDecl(elt.Pos(), "a migrate.Migration field without its name")
		}
		key, ok := kv.Key.(*ast.Ident)
		if !ok || seen[key.Name] {
			return m, rd.notDecl(kv.Pos(), "a migrate.Migration field named twice or oddly")
		}
		seen[key.Name] = true
		var err error
		switch key.Name {
		case "Version":
			m.Version, err = rd.stringValue(kv.Value)
		case "Name":
			m.Name, err = rd.stringValue(kv.Value)
		case "Parent":
			m.Parent, err = rd.stringValue(kv.Value)
		case "Up":
			m.Up, err = rd.steps(kv.Value)
		case "Down":
			m.Down, err = rd.steps(kv.Value)
		default:
			err = rd.notDecl(kv.Pos(), "field %s: only Version, Name, Parent, Up and Down are recognised", key.Name)
		}
		if err != nil {
			return m, err
		}
	}
	return m, nil
}

// stringValue returns the value of a string literal, or of string
// literals joined with +.
func (rd *declReader) stringValue(e ast.Expr) (string, error) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			if s, err := strconv.Unquote(e.Value); err == nil {
				return s, nil
			}
		}
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			x, err := rd.stringValue(e.X)
			if err != nil {
				return "", err
			}
			y, err := rd.stringValue(e.Y)
			return x + y, err
		}
	case *ast.ParenExpr:
		return rd.stringValue(e.X)
	}
	return "", rd.notDecl(e.Pos(), "a value that is not a string literal")
}

// steps reads a []migrate.Step literal.
func (rd *declReader) steps(e ast.Expr) ([]DeclaredStep, error) {
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil, rd.notDecl(e.Pos(), "steps that are not a []migrate.Step literal")
	}
	arr, ok := lit.Type.(*ast.ArrayType)
	if !ok || arr.Len != nil || !isMigrateSel(arr.Elt, "Step") {
		return nil, rd.notDecl(e.Pos(), "steps that are not a []migrate.Step literal")
	}
	steps := []DeclaredStep{}
	for _, elt := range lit.Elts {
		s, err := rd.step(elt)
		if err != nil {
			return nil, err
		}
		steps = append(steps, s)
	}
	return steps, nil
}

// step reads a call of a migrate step constructor with literal arguments.
func (rd *declReader) step(e ast.Expr) (DeclaredStep, error) {
	call, ok := e.(*ast.CallExpr)
	if !ok || call.Ellipsis.IsValid() {
		return DeclaredStep{}, rd.notDecl(e.Pos(), "a step that is not a call of migrate.SQL, SQLNoTx, SQLCommitFirst or SQLCreateIndexConcurrently")
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || !isMigrateSel(sel, sel.Sel.Name) {
		return DeclaredStep{}, rd.notDecl(e.Pos(), "a step that is not a call of migrate.SQL, SQLNoTx, SQLCommitFirst or SQLCreateIndexConcurrently")
	}
	name := sel.Sel.Name
	if name == "Func" {
		return DeclaredStep{}, rd.notDecl(e.Pos(), "a Go step (migrate.Func)")
	}
	if n, ok := stepConstructors[name]; !ok || n != len(call.Args) {
		return DeclaredStep{}, rd.notDecl(e.Pos(), "a step migrate.%s with %d argument(s) is not recognised", name, len(call.Args))
	}
	s := DeclaredStep{Constructor: name, Args: make([]string, len(call.Args))}
	for i, a := range call.Args {
		v, err := rd.stringValue(a)
		if err != nil {
			return DeclaredStep{}, err
		}
		s.Args[i] = v
	}
	return s, nil
}

// checkVersions checks that each migration file adds the migration of
// its name's version, and that the files are those of md.
func (rd *declReader) checkVersions(md *MigrationsDir) error {
	for i, m := range rd.migrations {
		want := migrationFile.FindStringSubmatch(filepath.Base(rd.files[i]))[1]
		if m.Version != want {
			return &NotDeclarativeError{Pos: token.Position{Filename: rd.files[i]},
				Reason: fmt.Sprintf("Version %q differs from the version %s in the file name", m.Version, want)}
		}
	}
	if len(rd.migrations) != len(md.Versions) {
		return &NotDeclarativeError{Pos: token.Position{Filename: md.Dir},
			Reason: fmt.Sprintf("%d migration files, but the directory listed %d", len(rd.migrations), len(md.Versions))}
	}
	return nil
}
