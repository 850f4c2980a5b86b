package schema

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// ReadSources reads the desired schema from one or more paths, each as
// ReadSchema does, and merges them into one: the statements of every path
// in the order given (OrderStatements orders them for loading) and all
// their rename hints. A file read through two of the paths, two rename
// hints from the same old name, or a name defined in two files (see
// CheckDefinedOnce) is an error naming both places.
func ReadSources(paths ...string) ([]Statement, []Rename, error) {
	if len(paths) == 0 {
		return nil, nil, errors.New("reading schema: no path given")
	}
	if err := checkOverlap(paths); err != nil {
		return nil, nil, err
	}
	var stmts []Statement
	var renames []Rename
	for _, p := range paths {
		s, r, err := ReadSchema(p)
		if err != nil {
			return nil, nil, err
		}
		stmts = append(stmts, s...)
		renames = append(renames, r...)
	}
	if err := checkRenameConflicts(renames); err != nil {
		return nil, nil, err
	}
	if err := CheckDefinedOnce(stmts); err != nil {
		return nil, nil, err
	}
	return stmts, renames, nil
}

// checkOverlap refuses paths that reach the same file twice, as a
// directory and a file inside it do: its definitions would be read twice.
func checkOverlap(paths []string) error {
	readBy := map[string]string{}
	for _, p := range paths {
		sqlFiles, goFiles, err := SourceFiles(p)
		if err != nil {
			return err
		}
		for _, f := range append(sqlFiles, goFiles...) {
			key, err := filepath.Abs(f)
			if err != nil {
				return fmt.Errorf("reading schema: %w", err)
			}
			if real, err := filepath.EvalSymlinks(key); err == nil {
				key = real
			}
			if first, ok := readBy[key]; ok {
				if first == p {
					continue // one path reaching a file twice through links
				}
				return fmt.Errorf("reading schema: %s is read twice, through %s and through %s: give each file once", f, first, p)
			}
			readBy[key] = p
		}
	}
	return nil
}

// SourceFiles lists the files ReadSchema reads at path: the SQL files and
// the Go files (all of them, including those that declare no table), each
// sorted as ReadSchema reads them.
func SourceFiles(path string) (sqlFiles, goFiles []string, err error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading schema: %w", err)
	}
	if !info.IsDir() {
		if strings.EqualFold(filepath.Ext(path), ".go") {
			return nil, []string{path}, nil
		}
		return []string{path}, nil, nil
	}
	if sqlFiles, err = sqlFilesBelow(path); err != nil {
		return nil, nil, err
	}
	if goFiles, err = goFilesBelow(path); err != nil {
		return nil, nil, err
	}
	return sqlFiles, goFiles, nil
}

// GoStruct is a struct type declared in a Go file, as messages about Go
// files that declare no table describe it.
type GoStruct struct {
	Name string
	// TagKeys are the keys of its fields' struct tags, sorted, e.g. bun,
	// gorm, json.
	TagKeys []string
}

// GoStructs lists the struct types declared at the top level of a Go
// file, in file order.
func GoStructs(file string) ([]GoStruct, error) {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("parsing Go file: %w", err)
	}
	var out []GoStruct
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, s := range gd.Specs {
			ts := s.(*ast.TypeSpec)
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			out = append(out, GoStruct{Name: ts.Name.Name, TagKeys: tagKeys(st)})
		}
	}
	return out, nil
}

// tagKeys returns the sorted keys of the struct tags of st's fields.
func tagKeys(st *ast.StructType) []string {
	var keys []string
	for _, field := range st.Fields.List {
		if field.Tag == nil {
			continue
		}
		tag, err := strconv.Unquote(field.Tag.Value)
		if err != nil {
			continue
		}
		for _, k := range structTagKeys(reflect.StructTag(tag)) {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	return keys
}

// structTagKeys returns the keys of a conventional struct tag
// (key:"value" key2:"value2").
func structTagKeys(tag reflect.StructTag) []string {
	var keys []string
	s := string(tag)
	for {
		s = strings.TrimLeft(s, " \t")
		i := strings.Index(s, `:"`)
		if i <= 0 || strings.ContainsAny(s[:i], " \t\"") {
			return keys
		}
		key := s[:i]
		if _, ok := tag.Lookup(key); !ok {
			return keys
		}
		keys = append(keys, key)
		// Skip the quoted value.
		rest := s[i+1:]
		j := 1
		for j < len(rest) && rest[j] != '"' {
			if rest[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(rest) {
			return keys
		}
		s = rest[j+1:]
	}
}
