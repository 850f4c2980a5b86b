package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/internal/pgparse"
	"github.com/schemadiff/schemadiff/schema"
)

// functionKind diffs functions, procedures and aggregates, identified by
// their argument types (each overload is an object of its own). A changed
// function is replaced in place (CREATE OR REPLACE) when PostgreSQL allows
// it: same result type and same argument list, names and defaults
// included. Otherwise it is dropped and created again, with its
// privileges, and the objects that use it are recreated around it.
var functionKind = register(&kindDiffer[*schema.Function]{
	kind:      schema.KindFunction,
	alsoKinds: []schema.Kind{schema.KindProcedure, schema.KindAggregate},
	// By identity, which starts with the kind.
	list: func(cat *schema.Catalog) []*schema.Function {
		return schema.ObjectsOf[*schema.Function](cat, schema.KindAggregate, schema.KindFunction, schema.KindProcedure)
	},
	deps:   func(_ *schema.Catalog, f *schema.Function) []schema.ID { return f.Deps },
	create: (*differ).functionRecreate,
	drop:   (*differ).functionDrop,
	alter:  (*differ).functionAlter,
	altered: func(old, f *schema.Function) *schema.Function {
		o := *old
		// The definition holds the arguments, result, language and body.
		o.Definition, o.Arguments, o.Result, o.Language, o.Body = f.Definition, f.Arguments, f.Result, f.Language, f.Body
		o.OrderedArgTypes, o.Comment, o.BodyError = f.OrderedArgTypes, f.Comment, f.BodyError
		// Derived from the body; privileges are planned by the grants
		// pass.
		o.Deps, o.UntrackedDeps, o.UntrackedReason, o.Grants = f.Deps, f.UntrackedDeps, f.UntrackedReason, f.Grants
		return &o
	},
	find: func(cat *schema.Catalog, id schema.ID) (*schema.Function, bool) {
		f, ok := cat.Functions[id]
		return f, ok
	},
	acl: functionACL,
})

// functionAlter replaces a function in place when its definition changes
// and PostgreSQL allows it, and sets its comment; recreate is set when it
// must be dropped and created again.
func (d *differ) functionAlter(old, f *schema.Function) (changes []Change, recreate bool) {
	switch {
	case old.Definition != f.Definition && (old.Result != f.Result || old.Arguments != f.Arguments):
		return nil, true
	case old.Definition != f.Definition:
		c := d.functionCreateChange(f)
		c.Op = OpAlter
		c.Statements = functionDefinition(f)
		if old.Comment != f.Comment {
			c.Statements = append(c.Statements, commentStmt(functionTarget(f), f.Comment))
		}
		return one(c), false
	case old.Comment != f.Comment:
		return one(Change{Op: OpAlter, Object: f.ID(), Aspect: AspectComment,
			Statements: []Statement{commentStmt(functionTarget(f), f.Comment)}}), false
	}
	return nil, false
}

// functionACL returns a function with its privileges: GRANT names an
// ordered-set aggregate by all its argument types.
func functionACL(f *schema.Function) aclObject {
	kw, args := "FUNCTION ", f.IdentityArgs
	if f.Kind == schema.KindProcedure {
		kw = "PROCEDURE "
	}
	if f.OrderedArgTypes != nil {
		args = strings.Join(f.OrderedArgTypes, ", ")
	}
	return aclObject{target: kw + schema.QualifiedIdent(f.Schema, f.Name) + "(" + args + ")", grants: f.Grants,
		defaults: []schema.Grant{{Grantee: "PUBLIC", Privilege: "EXECUTE"}}}
}

// functionRecreate creates a function of the desired catalog (see
// functionCreate); one the current catalog has too is created again, and
// given its privileges from the defaults of a new one.
func (d *differ) functionRecreate(f *schema.Function) []Change {
	out := d.functionCreate(f)
	if _, recreated := d.from.Functions[f.ID()]; recreated {
		out = append(out, d.grantChanges(f.ID())...)
	}
	return out
}

// functionTarget names a function in COMMENT ON and DROP.
func functionTarget(f *schema.Function) string {
	switch f.Kind {
	case schema.KindProcedure:
		return "PROCEDURE " + schema.QualifiedIdent(f.Schema, f.Name) + "(" + f.IdentityArgs + ")"
	case schema.KindAggregate:
		args := f.IdentityArgs
		if args == "" {
			args = "*"
		}
		return "AGGREGATE " + schema.QualifiedIdent(f.Schema, f.Name) + "(" + args + ")"
	}
	return "FUNCTION " + schema.QualifiedIdent(f.Schema, f.Name) + "(" + f.IdentityArgs + ")"
}

// otherKinds are the drops of the identities the same name and arguments
// would have as another kind (function, procedure, aggregate): they share
// one namespace, so one is dropped before the other is created.
func otherKinds(f *schema.Function) []Ref {
	var refs []Ref
	for _, k := range []schema.Kind{schema.KindFunction, schema.KindProcedure, schema.KindAggregate} {
		if k != f.Kind {
			id := f.ID()
			id.Kind = k
			refs = append(refs, Ref{OpDrop, id})
		}
	}
	return refs
}

// functionDrop drops a function or procedure of the current catalog. Only
// the dependencies PostgreSQL enforces are kept as requirements, so that
// the drop runs before theirs. Column defaults that use the function go
// first: those the desired catalog still has with the function are
// dropped here and set again once it is created (see functionCreate), the
// others are changed first by their column's change, or dropped here when a
// new overload must wait for this drop (see displacedBy).
func (d *differ) functionDrop(f *schema.Function) Change {
	c := Change{Op: OpDrop, Object: f.ID(),
		Requires: append([]schema.ID{schemaID(f.Schema)}, enforcedDeps(f, f.Kind == schema.KindAggregate || f.Language == "sql" && f.Body == "")...)}
	for _, u := range defaultsUsing(d.from, f.ID()) {
		switch nc := d.keptDefault(u, f.ID()); {
		case nc != nil:
			c.Statements = append(c.Statements, stmt(fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT",
				u.table.QName.Quoted(), schema.Ident(u.col.Name))))
		case d.sameDefaultText(u) != nil:
			// The same text now calls another function (an overload
			// with new arguments): no column change sets it, so it is
			// dropped here and set again once what it uses exists.
			nc := d.sameDefaultText(u)
			c.Statements = append(c.Statements, stmt(fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT",
				u.table.QName.Quoted(), schema.Ident(u.col.Name))))
			d.add(Change{Op: OpCreate, Object: defaultID(u.table.QName, nc.Name),
				Requires: append([]schema.ID{columnID(u.table.QName, nc.Name)}, nc.Deps...),
				After:    []Ref{{OpDrop, f.ID()}},
				Statements: []Statement{stmt(fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s",
					u.table.QName.Quoted(), schema.Ident(nc.Name), nc.Default))}})
		case d.displaced(f):
			// A new overload accepting the same calls waits for this
			// drop, and the column's change, which sets the new default,
			// waits for the new overload.
			c.Statements = append(c.Statements, stmt(fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT",
				u.table.QName.Quoted(), schema.Ident(u.col.Name))))
		default:
			c.After = append(c.After, Ref{OpAlter, columnID(u.table.QName, u.col.Name)})
		}
	}
	var hz []Hazard
	if f.UntrackedDeps {
		hz = append(hz, untrackedHazard(f, "the objects it uses are not known, so the drop is not ordered against theirs"))
	}
	c.Statements = append(c.Statements, stmt("DROP "+functionTarget(f), hz...))
	return c
}

// untrackedHazard says that the body of f, which could not be analysed,
// may depend on objects the plan does not know of.
func untrackedHazard(f *schema.Function, consequence string) Hazard {
	why := ""
	if f.UntrackedReason != "" {
		why = " (" + f.UntrackedReason + ")"
	}
	return hazard(HazardUntrackedDep, "the body of %s could not be analysed%s: %s", f.ID(), why, consequence)
}

// functionCreate creates a function or procedure of the desired catalog,
// with its comment, and sets again the column defaults using it that
// functionDrop removed when it is recreated.
func (d *differ) functionCreate(f *schema.Function) []Change {
	out := []Change{d.functionCreateChange(f)}
	if _, recreated := d.from.Functions[f.ID()]; !recreated {
		return out
	}
	for _, u := range defaultsUsing(d.from, f.ID()) {
		if nc := d.keptDefault(u, f.ID()); nc != nil {
			out = append(out, Change{Op: OpCreate, Object: defaultID(u.table.QName, nc.Name),
				Requires: append([]schema.ID{f.ID(), columnID(u.table.QName, nc.Name)}, nc.Deps...),
				Statements: []Statement{stmt(fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s",
					u.table.QName.Quoted(), schema.Ident(nc.Name), nc.Default))}})
		}
	}
	return out
}

// functionCreateChange is the change creating a function. A LANGUAGE sql
// body is checked when the function is created, so everything it uses
// comes first; other bodies are not, and only what the signature and
// declarations use is required, which keeps functions that use the tables
// whose defaults or checks call them out of dependency cycles. A new
// overload goes after the drops of the replaced overloads that accept the
// same calls (see displacedBy).
func (d *differ) functionCreateChange(f *schema.Function) Change {
	c := Change{Op: OpCreate, Object: f.ID(),
		Requires:   append([]schema.ID{schemaID(f.Schema)}, enforcedDeps(f, f.Kind == schema.KindAggregate || f.Language == "sql" && f.BodyError == "")...),
		After:      append(otherKinds(f), d.displacedBy(f)...),
		Statements: functionDefinition(f)}
	if f.Comment != "" {
		c.Statements = append(c.Statements, commentStmt(functionTarget(f), f.Comment))
	}
	return c
}

// functionDefinition returns the statements defining f. A body that does
// not pass its check against the desired schema (PostgreSQL accepted it
// before something it uses changed) can only be created with the check
// off, as pg_dump does; the statement says so with a hazard.
func functionDefinition(f *schema.Function) []Statement {
	var hz []Hazard
	if f.UntrackedDeps {
		hz = append(hz, untrackedHazard(f, "objects it uses may be missing or created after it"))
	}
	def := strings.TrimRight(f.Definition, "\n ")
	if f.BodyError == "" {
		return []Statement{stmt(def, hz...)}
	}
	hz = append(hz, hazard(HazardInvalidBody, "the body of %s does not pass its check against the desired schema (%s): it is created with check_function_bodies off and fails when called", f.ID(), f.BodyError))
	return []Statement{
		stmt("SET check_function_bodies = off"),
		stmt(def, hz...),
		stmt("RESET check_function_bodies"),
	}
}

func defaultID(t schema.QName, col string) schema.ID {
	return schema.ID{Kind: schema.KindColumnDefault, Schema: t.Schema, Table: t.Name, Name: col}
}

// defaultsUsing returns the columns of cat whose (non-generated) default
// uses the function fid.
func defaultsUsing(cat *schema.Catalog, fid schema.ID) []columnUse {
	var out []columnUse
	for _, q := range schema.SortedQNames(cat.Tables) {
		for _, c := range cat.Tables[q].Columns {
			if c.Default != "" && c.Generated == "" && slices.Contains(c.Deps, fid) {
				out = append(out, columnUse{cat.Tables[q], c})
			}
		}
	}
	return out
}

// keptDefault returns the desired column of u when the desired catalog
// keeps both the function fid and a default of the column that uses it.
// sameDefaultText returns the desired column of u when its default reads
// the same as the current one (so the column's own diff leaves it alone)
// and is not a generated expression, or nil.
func (d *differ) sameDefaultText(u columnUse) *schema.Column {
	t, ok := d.to.Tables[u.table.QName]
	if !ok {
		return nil
	}
	nc := t.Column(u.col.Name)
	if nc == nil || nc.Generated != "" || u.col.Generated != "" || nc.Default == "" || nc.Default != u.col.Default {
		return nil
	}
	return nc
}

func (d *differ) keptDefault(u columnUse, fid schema.ID) *schema.Column {
	if _, ok := d.to.Functions[fid]; !ok {
		return nil
	}
	t, ok := d.to.Tables[u.table.QName]
	if !ok {
		return nil
	}
	nc := t.Column(u.col.Name)
	if nc == nil || nc.Default == "" || nc.Generated != "" || !slices.Contains(nc.Deps, fid) {
		return nil
	}
	return nc
}

// enforcedDeps returns a function's dependencies that PostgreSQL checks:
// all of them when body is set, else the schemas, the objects its argument
// list or result names (types, functions in defaults) and, for PL/pgSQL,
// the types its variables are declared with, which are resolved when the
// function is validated.
func enforcedDeps(f *schema.Function, body bool) []schema.ID {
	if body {
		return f.Deps
	}
	var declared []string
	if f.Language == "plpgsql" {
		declared = plpgsqlDeclaredTypes(f.Definition)
	}
	var out []schema.ID
	sig := f.Arguments + " " + f.Result
	for _, id := range f.Deps {
		switch {
		case id.Kind == schema.KindSchema, mentions(sig, schema.QualifiedIdent(id.Schema, id.Name)),
			slices.ContainsFunc(declared, func(t string) bool { return declares(t, id) }):
			out = append(out, id)
		}
	}
	return out
}

// plpgsqlDeclaredTypes returns the type names a PL/pgSQL function declares
// its variables with, as written (e.g. "public.t%ROWTYPE", "mood[]").
func plpgsqlDeclaredTypes(def string) []string {
	tree, err := pgparse.ParsePlpgsql(def)
	if err != nil {
		return nil
	}
	_, types, err := pgparse.PlpgsqlParts(tree)
	if err != nil {
		return nil
	}
	for i, t := range types {
		types[i] = strings.TrimSpace(t)
	}
	return types
}

// declares reports whether a declared type name as written refers to id:
// its last name (before %ROWTYPE, or before the column of %TYPE) is id's,
// and its schema, when written, is id's too.
func declares(typ string, id schema.ID) bool {
	upper := strings.ToUpper(typ)
	parts := schema.SplitName(strings.TrimSuffix(strings.TrimSuffix(typ, "[]"), "[]"))
	switch {
	case strings.HasSuffix(upper, "%ROWTYPE"):
		parts = schema.SplitName(typ[:len(typ)-len("%ROWTYPE")])
	case strings.HasSuffix(upper, "%TYPE"):
		parts = schema.SplitName(typ[:len(typ)-len("%TYPE")])
		if len(parts) < 2 {
			return false
		}
		parts = parts[:len(parts)-1]
	}
	if i := strings.IndexByte(parts[len(parts)-1], '('); i > 0 {
		parts[len(parts)-1] = strings.TrimSpace(parts[len(parts)-1][:i]) // varchar(10) and the like
	}
	n := len(parts)
	return parts[n-1] == id.Name && (n == 1 || parts[n-2] == id.Schema)
}

// mentions reports whether text holds name as a whole (possibly
// qualified) name, not as part of a longer one.
func mentions(text, name string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], name)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(name)
		if (start == 0 || !nameByte(text[start-1])) && (end == len(text) || !nameByte(text[end])) {
			return true
		}
		i = start + 1
	}
}

func nameByte(c byte) bool {
	return c == '_' || c == '$' || c == '.' || c == '"' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' ||
		c >= '0' && c <= '9' || c >= 0x80
}
