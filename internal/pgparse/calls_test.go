package pgparse

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// treeBuilders are the pg_query functions that build (or walk) a parse
// tree recursively in C; each must go through the guard.
var treeBuilders = map[string]bool{
	"Parse": true, "ParseToJSON": true, "ParsePlPgSqlToJSON": true, "Deparse": true,
	"Normalize": true, "Fingerprint": true, "FingerprintToUInt64": true,
	"ParseToProtobuf": true, "DeparseFromProtobuf": true, "FingerprintToHexStr": true,
}

// checkNoUnguardedCalls fails for each call of a tree-building pg_query
// function outside this package.
func checkNoUnguardedCalls(t *testing.T) {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	self, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p == self || p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		names := pgQueryImports(f)
		if len(names) == 0 {
			return nil
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && names[id.Name] && treeBuilders[sel.Sel.Name] {
				t.Errorf("%s: %s.%s is called without the depth guard: use pgparse", fset.Position(sel.Pos()), id.Name, sel.Sel.Name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// pgQueryImports returns the names under which f imports pg_query or its
// parser package.
func pgQueryImports(f *ast.File) map[string]bool {
	names := map[string]bool{}
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		var name string
		switch path {
		case "github.com/pganalyze/pg_query_go/v5":
			name = "pg_query"
		case "github.com/pganalyze/pg_query_go/v5/parser":
			name = "parser"
		default:
			continue
		}
		if imp.Name != nil {
			name = imp.Name.Name
		}
		names[name] = true
	}
	return names
}
