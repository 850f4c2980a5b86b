package gostruct

import (
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/packages"
)

// typedPackages are the packages below a --schema path, loaded with type
// information by go/packages (the go command lists and type-checks them;
// no code of theirs runs).
type typedPackages struct {
	fset *token.FileSet
	pkgs []*packages.Package
}

// loadTyped type-checks the packages of the Go files at path (a .go file
// or a directory, recursively). It returns an error when the go command
// cannot list them (no go.mod, say) or when a package does not
// type-check; the caller then falls back to reading the files as source.
func loadTyped(path string, isDir bool) (*typedPackages, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes |
			packages.NeedTypesInfo | packages.NeedImports,
		Dir:  abs,
		Env:  append(os.Environ(), typedLoadEnv...),
		Fset: token.NewFileSet(),
	}
	pattern := "./..."
	if !isDir {
		cfg.Dir = filepath.Dir(abs)
		pattern = "file=" + abs
	}
	pkgs, err := packages.Load(cfg, pattern)
	if err != nil {
		return nil, err
	}
	if len(pkgs) == 0 {
		return nil, errors.New("the go command lists no package there")
	}
	var msgs []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			msgs = append(msgs, e.Error())
		}
	})
	if len(msgs) > 0 {
		if len(msgs) > 3 {
			msgs = append(msgs[:3], fmt.Sprintf("and %d more", len(msgs)-3))
		}
		return nil, errors.New(strings.Join(msgs, "; "))
	}
	return &typedPackages{fset: cfg.Fset, pkgs: pkgs}, nil
}

// typedStruct is a struct type declared at the top level of a file read.
type typedStruct struct {
	name *types.TypeName
	spec *ast.TypeSpec
	doc  *ast.CommentGroup
	pkg  *packages.Package
	file string
}

// structs returns the struct types declared in the files read (keep
// says which), in package and file order.
func (tp *typedPackages) structs(keep func(file string) bool) []typedStruct {
	var out []typedStruct
	for _, p := range tp.pkgs {
		for _, f := range p.Syntax {
			name := tp.fset.File(f.Pos()).Name()
			if !keep(name) {
				continue
			}
			for _, d := range f.Decls {
				gd, ok := d.(*ast.GenDecl)
				if !ok || gd.Tok != token.TYPE {
					continue
				}
				for _, s := range gd.Specs {
					ts := s.(*ast.TypeSpec)
					if _, ok := ts.Type.(*ast.StructType); !ok || ts.TypeParams != nil {
						continue
					}
					obj, ok := p.TypesInfo.Defs[ts.Name].(*types.TypeName)
					if !ok {
						continue
					}
					doc := ts.Doc
					if doc == nil && !gd.Lparen.IsValid() {
						doc = gd.Doc
					}
					out = append(out, typedStruct{name: obj, spec: ts, doc: doc, pkg: p, file: name})
				}
			}
		}
	}
	return out
}

// hasDirective reports whether a doc comment holds a schemadiff: directive
// line (the struct is then read by the schemadiff tag reader).
func hasDirective(doc *ast.CommentGroup) bool {
	if doc == nil {
		return false
	}
	for _, c := range doc.List {
		for _, line := range strings.Split(c.Text, "\n") {
			text := strings.TrimLeft(strings.TrimPrefix(strings.TrimPrefix(line, "//"), "/*"), " \t*")
			if rest, ok := strings.CutPrefix(text, "schemadiff:"); ok && rest != "" && rest[0] != ' ' && rest[0] != '\t' {
				return true
			}
		}
	}
	return false
}

// typedLoadEnv is the go command's environment for type-checking model
// packages, which are untrusted input: the module files are only read
// (-mod=readonly, no go.work), no toolchain named by the module is
// downloaded and run (GOTOOLCHAIN=local), and cgo is off, so no C compiler
// ever sees the package's C code (a package importing "C" then does not
// type-check and is read as source, with a warning).
var typedLoadEnv = []string{"GOFLAGS=-mod=readonly", "GOWORK=off", "GOTOOLCHAIN=local", "CGO_ENABLED=0"}
