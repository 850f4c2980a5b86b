// Package gowriter writes a catalog as Go structs with schemadiff tags:
// the source that schema/gostruct reads back to the same tables, enums,
// keys, constraints and indexes, for teams that start declaring their
// schema in Go from an existing database (schemadiff inspect --format go).
//
// What the tag language cannot express (views, functions, triggers,
// policies, partitioning, sequences, privileges, ...) is not written: it
// is named in Result.NotExpressible and in a comment at the top of the
// file, never dropped silently.
package gowriter

import (
	"fmt"
	"go/format"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/schemadiff/schemadiff/schema"
)

// Tags selects the struct tags written.
type Tags string

// The tag languages written.
const (
	TagsSchemadiff Tags = "schemadiff"
	// TagsGorm writes GORM models (see gorm.go for what they hold).
	TagsGorm Tags = "gorm"
)

// Options say how the Go file is written.
type Options struct {
	// Package is the Go package name of the file.
	Package string
	// Tags is the tag language; the zero value is TagsSchemadiff.
	Tags Tags
}

// Result is a written Go file.
type Result struct {
	// Source is the gofmt-formatted Go source.
	Source []byte
	// NotExpressible names, one object or detail each, what the file does
	// not hold because the tag language cannot express it.
	NotExpressible []string
}

// Write renders the tables and enum types of cat as Go source.
func Write(cat *schema.Catalog, opts Options) (*Result, error) {
	if opts.Tags == "" {
		opts.Tags = TagsSchemadiff
	}
	if opts.Tags != TagsSchemadiff && opts.Tags != TagsGorm {
		return nil, fmt.Errorf("writing Go models: tags %q are not supported (the tags are %s and %s)", opts.Tags, TagsSchemadiff, TagsGorm)
	}
	if !isIdent(opts.Package) {
		return nil, fmt.Errorf("writing Go models: %q is not a Go package name", opts.Package)
	}
	w := &writer{cat: cat, names: map[string]bool{}, imports: map[string]bool{}, enums: map[string]string{}}
	w.catalogNotes()
	var body strings.Builder
	for _, q := range schema.SortedQNames(cat.Enums) {
		w.enum(&body, cat.Enums[q])
	}
	for _, q := range schema.SortedQNames(cat.Tables) {
		if opts.Tags == TagsGorm {
			w.gormTable(&body, cat.Tables[q])
		} else {
			w.table(&body, cat.Tables[q])
		}
	}
	src := w.header(opts.Package, opts.Tags) + body.String()
	out, err := format.Source([]byte(src))
	if err != nil {
		return nil, fmt.Errorf("formatting the Go models: %w\n%s", err, src)
	}
	return &Result{Source: out, NotExpressible: w.notes}, nil
}

// writer holds the state of one Write.
type writer struct {
	cat     *schema.Catalog
	notes   []string
	names   map[string]bool   // Go names declared at the top level
	imports map[string]bool   // import paths used
	enums   map[string]string // SQL type text → Go type name
}

func (w *writer) note(format string, args ...any) {
	w.notes = append(w.notes, fmt.Sprintf(format, args...))
}

// header renders the file's doc comment, package clause and imports.
func (w *writer) header(pkg string, tags Tags) string {
	var b strings.Builder
	b.WriteString("// Package " + pkg + " holds the tables of a database as Go structs with " + string(tags) + "\n")
	b.WriteString("// tags, as schemadiff inspect --format go wrote them.\n")
	if len(w.notes) > 0 {
		b.WriteString("//\n// Not written here, because " + string(tags) + " tags cannot express them (keep them\n")
		b.WriteString("// in SQL files read along with this package):\n//\n")
		for _, n := range w.notes {
			b.WriteString("//   - " + strings.ReplaceAll(n, "\n", " ") + "\n")
		}
	}
	b.WriteString("package " + pkg + "\n\n")
	if len(w.imports) > 0 {
		paths := make([]string, 0, len(w.imports))
		for p := range w.imports {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		b.WriteString("import (\n")
		for _, p := range paths {
			b.WriteString("\t" + strconv.Quote(p) + "\n")
		}
		b.WriteString(")\n\n")
	}
	return b.String()
}

// catalogNotes names the objects of kinds the tag language cannot express.
func (w *writer) catalogNotes() {
	c := w.cat
	for _, n := range schema.SortedKeys(c.Schemas) {
		if n != "public" {
			w.note("schema %s", schema.Ident(n))
		}
	}
	for _, n := range schema.SortedKeys(c.Extensions) {
		if n == "plpgsql" {
			continue // installed in every database
		}
		w.note("extension %s", schema.Ident(n))
	}
	for _, q := range schema.SortedQNames(c.Sequences) {
		w.note("sequence %s", q.Quoted())
	}
	for _, q := range schema.SortedQNames(c.Views) {
		kind := "view"
		if c.Views[q].Materialized {
			kind = "materialized view"
		}
		w.note("%s %s", kind, q.Quoted())
	}
	for _, id := range schema.SortedIDs(c.Functions) {
		w.note("%s", id)
	}
	for _, q := range schema.SortedQNames(c.Domains) {
		w.note("domain %s", q.Quoted())
	}
	for _, q := range schema.SortedQNames(c.Composites) {
		w.note("composite type %s", q.Quoted())
	}
	for _, q := range schema.SortedQNames(c.Ranges) {
		w.note("range type %s", q.Quoted())
	}
	for _, q := range schema.SortedQNames(c.Collations) {
		w.note("collation %s", q.Quoted())
	}
	for _, n := range schema.SortedKeys(c.EventTriggers) {
		w.note("event trigger %s", schema.Ident(n))
	}
	if len(c.DefaultPrivileges) > 0 {
		w.note("default privileges (ALTER DEFAULT PRIVILEGES)")
	}
	for _, p := range sortedPairs(c.UserCasts) {
		w.note("cast (%s AS %s)", p.From, p.To)
	}
	for _, n := range schema.SortedKeys(c.Servers) {
		w.note("foreign server %s", schema.Ident(n))
	}
	if len(c.UserMappings) > 0 {
		w.note("user mappings")
	}
	for _, n := range schema.SortedKeys(c.Publications) {
		w.note("publication %s", schema.Ident(n))
	}
	for _, id := range c.Unsupported {
		w.note("%s (not supported by schemadiff)", id)
	}
}

func sortedPairs[V any](m map[schema.TypePair]V) []schema.TypePair {
	out := make([]schema.TypePair, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b schema.TypePair) int {
		return strings.Compare(a.From+"\x00"+a.To, b.From+"\x00"+b.To)
	})
	return out
}

// enum writes an enum type as a marked string type with a const block.
func (w *writer) enum(b *strings.Builder, e *schema.Enum) {
	typeName := w.topName(e.QName, "")
	w.enums[e.QName.Quoted()] = typeName
	if e.Schema == "public" {
		w.enums[schema.Ident(e.Name)] = typeName
	}
	if e.Comment != "" {
		w.note("comment on type %s", e.Quoted())
	}
	if !slices.Equal(e.Grants, schema.BuiltinDefaultGrants("TYPES")) {
		w.note("privileges on type %s", e.Quoted())
	}
	fmt.Fprintf(b, "// %s is the enum type %s.\n//\n//schemadiff:enum name=%s\ntype %s string\n\n", typeName, e.Quoted(), tagQName(e.Schema, e.Name), typeName)
	if len(e.Values) == 0 {
		w.note("enum type %s has no values (a Go enum needs a constant)", e.Quoted())
		return
	}
	b.WriteString("const (\n")
	for i, v := range e.Values {
		base := typeName + goName(v)
		if goName(v) == "X" {
			base = typeName + "Value" + strconv.Itoa(i+1)
		}
		name := uniqueName(base, w.names)
		fmt.Fprintf(b, "\t%s %s = %s\n", name, typeName, strconv.Quote(v))
	}
	b.WriteString(")\n\n")
}

// topName returns a free top-level Go name for the object q, with suffix.
func (w *writer) topName(q schema.QName, suffix string) string {
	base := goName(q.Name)
	if q.Schema != "public" {
		base = goName(q.Schema) + base
	}
	name := uniqueName(base+suffix, w.names)
	w.names[name] = true
	return name
}

// uniqueName returns name, or name with a number when used holds it.
func uniqueName(name string, used map[string]bool) string {
	out := name
	for i := 2; used[out]; i++ {
		out = name + strconv.Itoa(i)
	}
	used[out] = true
	return out
}

// initialisms are written in capitals in Go names.
var initialisms = map[string]bool{"id": true, "url": true, "uri": true, "uuid": true, "ip": true, "json": true,
	"http": true, "sql": true, "api": true, "html": true, "xml": true}

// goName turns an SQL name into an exported Go name: order_line is
// OrderLine, user_id is UserID.
func goName(s string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if initialisms[strings.ToLower(part)] {
			b.WriteString(strings.ToUpper(part))
			continue
		}
		r := []rune(part)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	out := b.String()
	if out == "" || !unicode.IsUpper([]rune(out)[0]) {
		out = "X" + out
	}
	return out
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !unicode.IsLetter(r) && r != '_' && (i == 0 || !unicode.IsDigit(r)) {
			return false
		}
	}
	return !slices.Contains([]string{"break", "case", "chan", "const", "continue", "default", "defer", "else",
		"fallthrough", "for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range",
		"return", "select", "struct", "switch", "type", "var"}, s)
}

// tagName writes a name as the tag language reads it: as is, or in double
// quotes when it holds white space, punctuation the language reads or a
// double quote.
func tagName(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\r\n,.()\"='`;") && !strings.Contains(s, "--") && !strings.Contains(s, "/*") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// tagQName writes a qualified name, the schema left out when public.
func tagQName(schemaName, name string) string {
	if schemaName == "public" || schemaName == "" {
		return tagName(name)
	}
	return tagName(schemaName) + "." + tagName(name)
}
