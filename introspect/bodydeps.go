package introspect

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/internal/pgparse"
	"github.com/schemadiff/schemadiff/schema"
)

// bodyRefs are the names a function body refers to, as written: each name
// is its dotted parts, unqualified names having one part.
type bodyRefs struct {
	rels  [][]string // relations (FROM, INSERT INTO, ...)
	types [][]string // type names, including tbl%ROWTYPE
	funcs [][]string // called functions and procedures
	seqs  [][]string // sequences named by nextval('...') and '...'::regclass
}

// analyzeBody collects the names a function's body refers to. It reads
// LANGUAGE sql bodies given as a string (BEGIN ATOMIC bodies are recorded
// by pg_depend already) and PL/pgSQL bodies. It returns an error when the
// body, or a query inside it, does not parse; a body in another language
// cannot be analysed at all and is reported as such.
func analyzeBody(f *schema.Function) (bodyRefs, error) {
	var refs bodyRefs
	switch f.Language {
	case "sql":
		if f.Body == "" {
			return refs, nil // BEGIN ATOMIC or RETURN: tracked by pg_depend
		}
		if err := refs.addSQL(f.Body); err != nil {
			return refs, err
		}
	case "plpgsql":
		tree, err := pgparse.ParsePlpgsql(f.Definition)
		if err != nil {
			return refs, fmt.Errorf("parsing its PL/pgSQL body: %w", err)
		}
		queries, types, err := pgparse.PlpgsqlParts(tree)
		if err != nil {
			return refs, err
		}
		for _, q := range queries {
			if err := refs.addSQL(q); err != nil {
				return refs, err
			}
		}
		for _, t := range types {
			if err := refs.addPLpgSQLType(t); err != nil {
				return refs, err
			}
		}
	case "c", "internal":
		// Compiled code names no SQL objects.
	default:
		return refs, fmt.Errorf("bodies in language %s are not analysed", f.Language)
	}
	return refs, nil
}

// addSQL adds the names the statements of sql refer to. Its error does not
// quote sql, which may be very long.
func (b *bodyRefs) addSQL(sql string) error {
	refs, err := pgparse.References(sql)
	if err != nil {
		return fmt.Errorf("parsing a query of its body: %w", err)
	}
	for _, r := range refs {
		switch r.Kind {
		case pgparse.RefRelation:
			b.rels = append(b.rels, r.Names)
		case pgparse.RefType:
			b.types = append(b.types, r.Names)
		case pgparse.RefFunction:
			b.funcs = append(b.funcs, r.Names)
		case pgparse.RefSequenceText:
			b.seqs = append(b.seqs, schema.SplitName(r.Text))
		case pgparse.RefRegclassText:
			names := schema.SplitName(r.Text)
			b.rels = append(b.rels, names)
			b.seqs = append(b.seqs, names)
		}
	}
	return nil
}

// addPLpgSQLType adds the names a PL/pgSQL variable's declared type refers
// to: tbl%ROWTYPE and tbl.col%TYPE refer to tbl, and a plain type name to
// that type. var%TYPE refers to another variable, not to an object.
func (b *bodyRefs) addPLpgSQLType(t string) error {
	t = strings.TrimSpace(t)
	upper := strings.ToUpper(t)
	switch {
	case strings.HasSuffix(upper, "%ROWTYPE"):
		if names := schema.SplitName(t[:len(t)-len("%ROWTYPE")]); len(names) > 0 {
			b.types = append(b.types, names)
		}
		return nil
	case strings.HasSuffix(upper, "%TYPE"):
		if names := schema.SplitName(t[:len(t)-len("%TYPE")]); len(names) > 1 {
			b.types = append(b.types, names[:len(names)-1])
		}
		return nil
	}
	return b.addSQL("SELECT NULL::" + t)
}

// bodyResolver maps the names a body uses to the catalog's objects.
type bodyResolver struct {
	cat   *schema.Catalog
	funcs map[schema.QName][]schema.ID
}

func newBodyResolver(cat *schema.Catalog) *bodyResolver {
	br := &bodyResolver{cat: cat, funcs: map[schema.QName][]schema.ID{}}
	for _, id := range schema.SortedIDs(cat.Functions) {
		q := schema.QName{Schema: id.Schema, Name: id.Name}
		br.funcs[q] = append(br.funcs[q], id)
	}
	return br
}

// resolve returns the objects of the catalog that refs name, other than
// self. Qualified names are taken as they are; unqualified ones are looked
// up in the schemas of path in order, the first schema holding a matching
// object winning. Names that match nothing (built-ins, local names) are
// ignored.
func (br *bodyResolver) resolve(self schema.ID, path []string, refs bodyRefs) []schema.ID {
	var out []schema.ID
	add := func(ids ...schema.ID) {
		for _, id := range ids {
			if id != self {
				out = append(out, id)
			}
		}
	}
	lookup := func(names []string, find func(schema.QName) []schema.ID) {
		if len(names) == 0 {
			return
		}
		name := names[len(names)-1]
		if len(names) > 1 {
			add(find(schema.QName{Schema: names[len(names)-2], Name: name})...)
			return
		}
		for _, s := range path {
			if ids := find(schema.QName{Schema: s, Name: name}); len(ids) > 0 {
				add(ids...)
				return
			}
		}
	}
	for _, n := range refs.rels {
		lookup(n, br.relation)
	}
	for _, n := range refs.types {
		lookup(n, br.typ)
	}
	for _, n := range refs.funcs {
		lookup(n, func(q schema.QName) []schema.ID { return br.funcs[q] })
	}
	for _, n := range refs.seqs {
		lookup(n, br.sequence)
	}
	slices.SortFunc(out, schema.ID.Compare)
	return slices.Compact(out)
}

func (br *bodyResolver) relation(q schema.QName) []schema.ID {
	if _, ok := br.cat.Tables[q]; ok {
		return []schema.ID{{Kind: schema.KindTable, Schema: q.Schema, Name: q.Name}}
	}
	if v, ok := br.cat.Views[q]; ok {
		return []schema.ID{v.ID()}
	}
	return nil
}

func (br *bodyResolver) sequence(q schema.QName) []schema.ID {
	if _, ok := br.cat.Sequences[q]; ok {
		return []schema.ID{{Kind: schema.KindSequence, Schema: q.Schema, Name: q.Name}}
	}
	return nil
}

func (br *bodyResolver) typ(q schema.QName) []schema.ID {
	id := schema.ID{Schema: q.Schema, Name: q.Name}
	switch {
	case br.cat.Enums[q] != nil:
		id.Kind = schema.KindEnum
	case br.cat.Domains[q] != nil:
		id.Kind = schema.KindDomain
	case br.cat.Composites[q] != nil:
		id.Kind = schema.KindCompositeType
	case br.cat.Ranges[q] != nil:
		id.Kind = schema.KindRangeType
	default:
		return br.relation(q) // a table's or view's row type
	}
	return []schema.ID{id}
}

// searchPath returns the schemas unqualified names in a function's body
// resolve against: those of its SET search_path, or else its own schema
// and public (the default search_path when the schema is loaded).
// pg_catalog is searched implicitly and holds no modelled objects.
func searchPath(f *schema.Function, config []string) []string {
	for _, c := range config {
		v, ok := strings.CutPrefix(c, "search_path=")
		if !ok {
			continue
		}
		var path []string
		for _, p := range strings.Split(v, ",") {
			p = strings.TrimSpace(p)
			if strings.HasPrefix(p, `"`) {
				p = strings.ReplaceAll(strings.Trim(p, `"`), `""`, `"`)
			} else {
				p = strings.ToLower(p)
			}
			if p != "" && p != "$user" && p != "pg_temp" && p != "pg_catalog" {
				path = append(path, p)
			}
		}
		return path
	}
	if f.Schema == "public" {
		return []string{"public"}
	}
	return []string{f.Schema, "public"}
}
