package gostruct

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Struct is a struct type declared in a Go file, as messages about Go
// files that declare no table describe it.
type Struct struct {
	Name string
	// TagKeys are the keys of its fields' struct tags, sorted, e.g. bun,
	// gorm, json.
	TagKeys []string
}

// Structs lists the struct types declared at the top level of a Go
// file, in file order.
func Structs(file string) ([]Struct, error) {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("parsing Go file: %w", err)
	}
	var out []Struct
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
			out = append(out, Struct{Name: ts.Name.Name, TagKeys: tagKeys(st)})
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
