package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/schema"
	"github.com/schemadiff/schemadiff/schema/gostruct"
	"github.com/schemadiff/schemadiff/schema/source"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// Source is the desired schema as read from one or more paths, merged
// into one: its statements, and the files they came from, for messages
// about what was read.
type Source struct {
	// Paths are the paths given, files or directories, in order.
	Paths []string
	// emptyDirs are the directories among Paths that hold no schema file.
	emptyDirs []string
	// SQLFiles and GoFiles are every file read, including those that
	// define nothing, path after path.
	SQLFiles, GoFiles []string
	// Statements are in loading order.
	Statements []sqlfile.Statement
	Renames    []schema.Rename
	// Warnings name what the Go files hold that was read in part or not
	// at all (gorm tag options not read, structs without tags, packages
	// that do not type-check).
	Warnings []string
}

// ReadSource reads the desired schema at paths and merges it into one, as
// ReadSchema does, and lists the files read. A path that does not exist is
// an error naming it.
func ReadSource(paths ...string) (*Source, error) {
	return ReadSourceWith(source.Options{}, paths...)
}

// ReadSourceWith is ReadSource with the options of the schema reader (its
// progress messages, its parse cache).
func ReadSourceWith(o source.Options, paths ...string) (*Source, error) {
	src := &Source{Paths: paths}
	for _, p := range paths {
		info, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("reading the desired schema: %s does not exist", p)
		}
		if err != nil {
			return nil, fmt.Errorf("reading the desired schema: %w", err)
		}
		sqlFiles, goFiles, err := source.Files(p)
		if err != nil {
			return nil, err
		}
		if info.IsDir() && len(sqlFiles) == 0 && len(goFiles) == 0 {
			src.emptyDirs = append(src.emptyDirs, p)
		}
		src.SQLFiles = append(src.SQLFiles, sqlFiles...)
		src.GoFiles = append(src.GoFiles, goFiles...)
	}
	res, err := source.LoadWith(o, paths...)
	if err != nil {
		return nil, err
	}
	src.Statements, src.Renames, src.Warnings = sqlfile.Order(res.Statements), res.Renames, res.Warnings
	return src, nil
}

// Label names the paths read, for messages: "schema/" or "a.sql, b/".
func (s *Source) Label() string { return strings.Join(s.Paths, ", ") }

// GoFileWithoutTables is a Go file that was read but declares no table.
type GoFileWithoutTables struct {
	File string
	// Structs are its struct types, none marked schemadiff:table.
	Structs []gostruct.Struct
	// ParseErr is set when the file is not valid Go: the schema reader
	// passes over such a file when it does not mention schemadiff.
	ParseErr error
}

// GoFilesWithoutTables returns the Go files that declare no table, with
// their struct types.
func (s *Source) GoFilesWithoutTables() []GoFileWithoutTables {
	withTables := map[string]bool{}
	for _, st := range s.Statements {
		withTables[st.File] = true
	}
	var out []GoFileWithoutTables
	for _, f := range s.GoFiles {
		if withTables[f] {
			continue
		}
		structs, err := gostruct.Structs(f)
		out = append(out, GoFileWithoutTables{File: f, Structs: structs, ParseErr: err})
	}
	return out
}

// Describe says what the file holds instead of tables.
func (g GoFileWithoutTables) Describe() string {
	if g.ParseErr != nil {
		return fmt.Sprintf("%s declares no table: %v", g.File, g.ParseErr)
	}
	if len(g.Structs) == 0 {
		return g.File + " declares no table: it has no struct types"
	}
	parts := make([]string, len(g.Structs))
	for i, st := range g.Structs {
		tags := "no struct tags"
		if len(st.TagKeys) > 0 {
			tags = "tags " + strings.Join(st.TagKeys, ", ")
		}
		parts[i] = fmt.Sprintf("%s (%s)", st.Name, tags)
	}
	if len(parts) == 1 {
		return fmt.Sprintf("%s declares no table: its struct %s has no schemadiff:table directive", g.File, parts[0])
	}
	return fmt.Sprintf("%s declares no table: its structs %s have no schemadiff:table directive",
		g.File, strings.Join(parts, ", "))
}

// EmptyPolicy says whether an empty desired schema may be planned.
type EmptyPolicy int

// The empty policies.
const (
	// RefuseEmpty makes an empty desired schema an error: planning to it
	// drops every object, which is rarely what a mistyped path meant.
	RefuseEmpty EmptyPolicy = iota
	// AllowEmpty plans an empty desired schema like any other.
	AllowEmpty
)

// EmptyError is the error for a desired schema that defines no object.
type EmptyError struct {
	// What says what was read and why it defines nothing, a line per file.
	What []string
	// Filters are the filter flags given (e.g. --exclude-schema) when
	// objects were defined but the filters left none of them.
	Filters []string
	Path    string
}

func (e *EmptyError) Error() string {
	head := "the desired schema is empty: what was read from " + e.Path + " defines no object"
	if len(e.Filters) > 0 {
		head = "the desired schema is empty: " + strings.Join(e.Filters, " and ") + " leave none of the objects " + e.Path + " defines"
	}
	return head + "\n  " + strings.Join(e.What, "\n  ") +
		"\nplanning to an empty schema drops every object schemadiff manages; pass --allow-empty (or set SCHEMADIFF_ALLOW_EMPTY=true) if that is what you want"
}

// CheckStatements returns an *EmptyError, before any database is touched,
// when no statement of s can define an object: no file, or only comments,
// SET and data statements.
func (s *Source) CheckStatements() error {
	for _, st := range s.Statements {
		if st.Kind != sqlfile.StmtSet && st.Kind != sqlfile.StmtData {
			return nil
		}
	}
	return &EmptyError{Path: s.Label(), What: s.describeFiles()}
}

// CheckCatalog returns an *EmptyError when desired, the catalog s loads
// into (read with opts), holds no object beyond those of every new
// database: statements such as CREATE then DROP, or grants and comments on
// schema public alone, define nothing either.
func (s *Source) CheckCatalog(desired *schema.Catalog, opts introspect.Options) error {
	empty, err := definesNothing(desired)
	if err != nil || !empty {
		return err
	}
	e := &EmptyError{Path: s.Label(), What: s.describeFiles()}
	for _, f := range []struct {
		flag string
		set  []string
	}{{"--schema-filter", opts.Schemas}, {"--exclude-schema", opts.ExcludeSchemas}, {"--exclude", opts.ExcludeTables}} {
		if len(f.set) > 0 {
			e.Filters = append(e.Filters, f.flag+" "+strings.Join(f.set, ","))
		}
	}
	return e
}

// definesNothing reports whether cat holds nothing a new database lacks
// and nothing unsupported: planning it from a new database (which gets
// schema public as cat has it, comment and privileges included) creates
// nothing.
func definesNothing(cat *schema.Catalog) (bool, error) {
	if len(cat.Unsupported) > 0 || holdsObjects(cat) {
		return false, nil
	}
	p, err := Plan(Baseline(cat), cat)
	if err != nil {
		return false, fmt.Errorf("checking whether the desired schema is empty: %w", err)
	}
	return len(p.Changes) == 0, nil
}

// holdsObjects reports whether cat holds an object that no new database
// has (a table, a view, a function, a type, ...): such a catalog defines
// something without planning it from a new database, which costs as much
// as planning the whole schema.
func holdsObjects(cat *schema.Catalog) bool {
	return len(cat.Tables)+len(cat.Views)+len(cat.Functions)+len(cat.Sequences)+len(cat.Enums)+
		len(cat.Domains)+len(cat.Composites)+len(cat.Ranges)+len(cat.EventTriggers)+len(cat.Collations)+
		len(cat.Servers)+len(cat.UserCasts) > 0
}

// describeFiles says, a line per file, what each file read holds.
func (s *Source) describeFiles() []string {
	var out []string
	for _, d := range s.emptyDirs {
		out = append(out, "directory "+d+" holds no .sql or .go files")
	}
	kinds := map[string][]string{}
	counts := map[string]int{}
	for _, st := range s.Statements {
		k := st.Kind.String()
		switch st.Kind {
		case sqlfile.StmtSet:
			k = "SET"
		case sqlfile.StmtData:
			k = strings.TrimSuffix(st.Object, " statement")
		}
		counts[st.File]++
		if !slices.Contains(kinds[st.File], k) {
			kinds[st.File] = append(kinds[st.File], k)
		}
	}
	for _, f := range s.SQLFiles {
		if counts[f] == 0 {
			out = append(out, f+": no statements (empty, or only comments)")
			continue
		}
		out = append(out, fmt.Sprintf("%s: %d statement(s): %s", f, counts[f], strings.Join(kinds[f], ", ")))
	}
	for _, g := range s.GoFilesWithoutTables() {
		out = append(out, g.Describe())
	}
	for _, f := range s.GoFiles {
		if counts[f] > 0 {
			out = append(out, fmt.Sprintf("%s: %d statement(s) from tables", f, counts[f]))
		}
	}
	return out
}
