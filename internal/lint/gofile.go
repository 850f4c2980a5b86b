package lint

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Dir lints the migration files of the migrations directory dir: its .go
// files other than tests. A missing directory has nothing to lint.
func Dir(dir string) (*Result, error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return &Result{Findings: []Finding{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading migrations directory: %w", err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".go") && !strings.HasSuffix(e.Name(), "_test.go") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	res := &Result{Findings: []Finding{}}
	for _, name := range names {
		path := filepath.Join(dir, name)
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("reading migration file: %w", err)
		}
		fs, n, err := File(path, src)
		if err != nil {
			return nil, err
		}
		res.Files += n
		res.Findings = append(res.Findings, fs...)
	}
	sortFindings(res.Findings)
	return res, nil
}

// File lints the migrations of one Go file named path, whose content is
// src. It returns the findings and 1 when the file holds a migration, 0
// otherwise.
func File(path string, src []byte) ([]Finding, int, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, 0, fmt.Errorf("linting %s: %w", path, err)
	}
	fl := &fileLinter{fset: fset, file: f, path: path}
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.CompositeLit); ok && isMigrate(lit.Type, "Migration") {
			fl.migration(lit)
			fl.migrations++
			return false
		}
		return true
	})
	if fl.migrations > 0 {
		return fl.findings, 1, nil
	}
	return fl.findings, 0, nil
}

// fileLinter lints the migrations of one file.
type fileLinter struct {
	fset       *token.FileSet
	file       *ast.File
	path       string
	migrations int
	findings   []Finding
}

// isMigrate reports whether e is migrate.<name>.
func isMigrate(e ast.Expr, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == "migrate"
}

// sqlSteps are the constructors of steps whose last argument is SQL.
var sqlSteps = []string{"SQL", "SQLNoTx", "SQLCommitFirst", "SQLCreateIndexConcurrently"}

// migration lints the Up steps of one migrate.Migration literal.
func (fl *fileLinter) migration(lit *ast.CompositeLit) {
	m := &migrationState{fl: fl, created: map[string]bool{}, notNullChecks: map[string]notNullCheck{}, checkedNotNull: map[string]bool{}}
	fields := MigrationFields(lit)
	m.version = StringLiteral(fields["Version"])
	var up *ast.CompositeLit
	if kv := fields["Up"]; kv != nil {
		up, _ = kv.Value.(*ast.CompositeLit)
	}
	if kv := fields["LockTimeout"]; kv != nil && isNegative(kv.Value) {
		m.lockTimeoutOff = fl.fset.Position(kv.Pos())
		m.lockTimeoutHow = "LockTimeout < 0"
	}
	if up == nil {
		return
	}
	prev := up.Lbrace
	for _, elt := range up.Elts {
		m.step(elt, fl.hazardMarked(prev, elt.Pos()))
		prev = elt.End()
	}
	m.finish()
}

// hazardMarked reports whether a // HAZARD comment lies between from and
// to, i.e. above a step.
func (fl *fileLinter) hazardMarked(from, to token.Pos) bool {
	for _, g := range fl.file.Comments {
		if g.Pos() < from || g.End() > to {
			continue
		}
		for _, c := range g.List {
			text := strings.TrimSpace(strings.TrimPrefix(c.Text, "//"))
			if strings.HasPrefix(text, "HAZARD") {
				return true
			}
		}
	}
	return false
}

// add records a finding of rule at pos.
func (fl *fileLinter) add(pos token.Position, version string, rule RuleID, format string, args ...any) {
	fl.findings = append(fl.findings, Finding{
		File: fl.path, Line: pos.Line, Column: pos.Column, Migration: version,
		Rule: rule, Severity: RuleByID(rule).Severity, Message: fmt.Sprintf(format, args...),
	})
}

// stepSQL returns the SQL literal of a step expression, or why it has
// none.
func stepSQL(e ast.Expr) (lit *ast.BasicLit, rule RuleID, what string) {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return nil, UnreadableStep, "a step that is not a call of a migrate step constructor is not linted"
	}
	if isMigrate(call.Fun, "Func") {
		return nil, GoStep, "migrate.Func step: its Go code is not linted"
	}
	for _, name := range sqlSteps {
		if !isMigrate(call.Fun, name) || len(call.Args) == 0 {
			continue
		}
		bl, ok := call.Args[len(call.Args)-1].(*ast.BasicLit)
		if !ok || bl.Kind != token.STRING {
			return nil, UnreadableStep, fmt.Sprintf("the SQL of this migrate.%s step is not a string literal: it is not linted", name)
		}
		return bl, "", ""
	}
	return nil, UnreadableStep, "a step that is not a call of a migrate step constructor is not linted"
}

// sqlText is the SQL of a string literal and the way back from an offset
// in it to a position in the file.
type sqlText struct {
	sql string
	pos token.Position
	raw bool
}

func newSQLText(fset *token.FileSet, bl *ast.BasicLit) (sqlText, bool) {
	s, err := strconv.Unquote(bl.Value)
	if err != nil {
		return sqlText{}, false
	}
	return sqlText{sql: s, pos: fset.Position(bl.Pos()), raw: strings.HasPrefix(bl.Value, "`")}, true
}

// position maps a byte offset in the SQL to the file: exact in a raw
// string literal, the literal's own position in an interpreted one (whose
// escapes move offsets).
func (t sqlText) position(off int) token.Position {
	p := t.pos
	if !t.raw || off < 0 || off > len(t.sql) {
		return p
	}
	before := t.sql[:off]
	if nl := strings.LastIndexByte(before, '\n'); nl >= 0 {
		p.Line += strings.Count(before, "\n")
		p.Column = off - nl
	} else {
		p.Column += 1 + off
	}
	return p
}

// MigrationFields returns the keyed fields of a migrate.Migration literal
// (Version, Up, Down, LockTimeout, ...) by name: the one reading of
// migration literals shared by lint and the sql command.
func MigrationFields(lit *ast.CompositeLit) map[string]*ast.KeyValueExpr {
	fields := map[string]*ast.KeyValueExpr{}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if key, ok := kv.Key.(*ast.Ident); ok {
			fields[key.Name] = kv
		}
	}
	return fields
}

// StringLiteral returns the value of the field's string literal, or ""
// when the field is missing or not a string literal.
func StringLiteral(kv *ast.KeyValueExpr) string {
	if kv == nil {
		return ""
	}
	bl, ok := kv.Value.(*ast.BasicLit)
	if !ok || bl.Kind != token.STRING {
		return ""
	}
	v, _ := strconv.Unquote(bl.Value)
	return v
}

// isNegative reports whether e is a negated expression (LockTimeout: -1).
func isNegative(e ast.Expr) bool {
	u, ok := e.(*ast.UnaryExpr)
	return ok && u.Op == token.SUB
}
