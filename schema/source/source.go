// Package source reads the desired schema from the paths given on the
// command line: SQL files (package sqlfile) and Go files with schemadiff
// struct tags (package gostruct), alone or together in directories, merged
// into one list of statements and rename hints.
package source

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
	"github.com/schemadiff/schemadiff/schema/gostruct"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// Read reads the desired schema from one or more paths (each a .sql file,
// a .go file or a directory of both, see readPath) and merges them into
// one: the statements of every path in the order given (sqlfile.Order
// orders them for loading) and all their rename hints. A file read through two of the paths, two rename
// hints from the same old name, or a name defined in two files (see
// sqlfile.CheckDefinedOnce) is an error naming both places.
func Read(paths ...string) ([]sqlfile.Statement, []schema.Rename, error) {
	res, err := Load(paths...)
	if err != nil {
		return nil, nil, err
	}
	return res.Statements, res.Renames, nil
}

// Result is what Load reads from the paths.
type Result struct {
	Statements []sqlfile.Statement
	Renames    []schema.Rename
	// Warnings name what the Go files hold that is read in part or not at
	// all (see gostruct.Result).
	Warnings []string
}

// Load is Read with the warnings of the Go readers. It keeps the parse
// cache ParseCacheEnv names.
func Load(paths ...string) (*Result, error) {
	return LoadWith(Options{}, paths...)
}

// LoadWith is Load with options. The SQL files of each path are read
// through the parse cache of that path (see sqlfile.Cache): statements
// read before are not parsed again.
func LoadWith(o Options, paths ...string) (*Result, error) {
	if len(paths) == 0 {
		return nil, errors.New("reading schema: no path given")
	}
	if err := checkOverlap(paths); err != nil {
		return nil, err
	}
	res := &Result{}
	for _, p := range paths {
		s, r, w, err := readPath(o, p)
		if err != nil {
			return nil, err
		}
		res.Statements = append(res.Statements, s...)
		res.Renames = append(res.Renames, r...)
		res.Warnings = append(res.Warnings, w...)
	}
	if err := schema.CheckRenames(res.Renames); err != nil {
		return nil, err
	}
	if err := sqlfile.CheckDefinedOnce(res.Statements); err != nil {
		return nil, err
	}
	return res, nil
}

// checkOverlap refuses paths that reach the same file twice, as a
// directory and a file inside it do: its definitions would be read twice.
func checkOverlap(paths []string) error {
	readBy := map[string]string{}
	for _, p := range paths {
		sqlFiles, goFiles, err := Files(p)
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

// Files lists the files Read reads at path: the SQL files and
// the Go files (all of them, including those that declare no table), each
// sorted as Read reads them.
func Files(path string) (sqlFiles, goFiles []string, err error) {
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
	if sqlFiles, err = sqlfile.Files(path); err != nil {
		return nil, nil, err
	}
	if goFiles, err = gostruct.Files(path); err != nil {
		return nil, nil, err
	}
	return sqlFiles, goFiles, nil
}

// readPath reads the desired schema at path: a .go file is read by
// gostruct.Read, any other file by sqlfile.Read and sqlfile.ReadRenames,
// and a directory by both, for the .sql and the .go files below it. The SQL files'
// statements come first, each kind in file order: sqlfile.Order orders
// them for loading. Two rename hints from the same old name are an error
// across both kinds of files.
func readPath(o Options, path string) ([]sqlfile.Statement, []schema.Rename, []string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("reading schema: %w", err)
	}
	if !info.IsDir() && strings.EqualFold(filepath.Ext(path), ".go") {
		res, err := gostruct.Load(path)
		if err != nil {
			return nil, nil, nil, err
		}
		return res.Statements, res.Renames, res.Warnings, nil
	}
	stmts, err := readSQL(o, path)
	if err != nil {
		return nil, nil, nil, err
	}
	renames, err := sqlfile.ReadRenames(path)
	if err != nil {
		return nil, nil, nil, err
	}
	if !info.IsDir() {
		return stmts, renames, nil, nil
	}
	res, err := gostruct.Load(path)
	if err != nil {
		return nil, nil, nil, err
	}
	renames = append(renames, res.Renames...)
	if err := schema.CheckRenames(renames); err != nil {
		return nil, nil, nil, err
	}
	return append(stmts, res.Statements...), renames, res.Warnings, nil
}

// readSQL reads the SQL files at path (a file or a directory) through the
// parse cache of path, unless it is off.
func readSQL(o Options, path string) ([]sqlfile.Statement, error) {
	pc := openParseCache(o, path)
	if pc == nil {
		return sqlfile.Read(path)
	}
	stmts, err := pc.Read(path)
	if err != nil {
		return nil, err
	}
	pc.save(path)
	return stmts, nil
}
