package pipeline

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/schemadiff/schemadiff/internal/pgparse"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// RolesNamed returns the roles that the schema statements and the Go
// migration files of dir (its string literals, read as SQL) name, sorted.
// Roles live outside any database: a scratch server that replays
// migrations or loads the schema without a target to copy them from needs
// them created first.
func RolesNamed(stmts []sqlfile.Statement, dir string) ([]string, error) {
	var roles []string
	for _, s := range stmts {
		roles = append(roles, pgparse.RolesNamed(s.SQL)...)
	}
	if dir != "" {
		entries, err := os.ReadDir(dir)
		if err != nil && !os.IsNotExist(err) {
			return nil, fmt.Errorf("reading migrations directory: %w", err)
		}
		fset := token.NewFileSet()
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.SkipObjectResolution)
			if err != nil {
				return nil, fmt.Errorf("reading migration file: %w", err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						roles = append(roles, pgparse.RolesNamed(s)...)
					}
				}
				return true
			})
		}
	}
	slices.Sort(roles)
	return slices.Compact(roles), nil
}
