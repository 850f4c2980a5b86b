package diff

import (
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/schema"
)

// refusesUnaltered checks that kind k's cmp check is meaningful: with an
// altered that leaves one field as the current catalog has it (keep puts
// it back), a diff of from and to that differ in that field fails naming
// the object and the field, instead of planning nothing for it.
func refusesUnaltered[T schema.Object](t *testing.T, k *kindDiffer[T], keep func(altered, old T), from, to *schema.Catalog, wants ...string) {
	t.Helper()
	narrowed := *k
	narrowed.altered = func(old, new T) T {
		o := k.altered(old, new)
		keep(o, old)
		return o
	}
	d := &differ{from: from, to: to}
	err := narrowed.diff(d)
	if err == nil {
		t.Fatalf("a difference the kind does not alter was planned as %v, want an error", plannedStatements(d.changes))
	}
	for _, want := range wants {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	// The kind as registered alters that field.
	d = &differ{from: from, to: to}
	if err := k.diff(d); err != nil {
		t.Errorf("the registered kind refuses the change: %v", err)
	}
}

var sampleQName = schema.QName{Schema: "public", Name: "s"}

func sequenceCatalog(mod func(*schema.Sequence)) *schema.Catalog {
	c := schema.NewCatalog()
	s := &schema.Sequence{QName: sampleQName, SequenceOptions: schema.SequenceOptions{
		Type: "bigint", Start: 1, Increment: 1, Min: 1, Max: 9223372036854775807, Cache: 1}}
	if mod != nil {
		mod(s)
	}
	c.Sequences[s.QName] = s
	return c
}

// TestSequenceKindRefusesUnalteredField: a sequence kind that did not
// alter CACHE would be refused rather than plan nothing for it.
func TestSequenceKindRefusesUnalteredField(t *testing.T) {
	refusesUnaltered(t, sequenceKind,
		func(o, old *schema.Sequence) { o.Cache = old.Cache },
		sequenceCatalog(nil), sequenceCatalog(func(s *schema.Sequence) { s.Cache = 20 }),
		"sequence public.s", "Cache", "20")
}

func compositeCatalog(comment string) *schema.Catalog {
	c := schema.NewCatalog()
	c.Composites[sampleQName] = &schema.CompositeType{QName: sampleQName, Comment: comment,
		Attributes: []*schema.Attribute{{Name: "a", Type: "integer"}}}
	return c
}

// TestCompositeKindRefusesUnalteredField: a composite type kind that did
// not alter comments would be refused rather than plan nothing for them.
func TestCompositeKindRefusesUnalteredField(t *testing.T) {
	refusesUnaltered(t, compositeKind,
		func(o, old *schema.CompositeType) { o.Comment = old.Comment },
		compositeCatalog(""), compositeCatalog("pair"),
		"composite type public.s", "Comment", "pair")
}

func rangeCatalog(comment string) *schema.Catalog {
	c := schema.NewCatalog()
	c.Ranges[sampleQName] = &schema.RangeType{QName: sampleQName, Subtype: "integer", Comment: comment}
	return c
}

// TestRangeKindRefusesUnalteredField: a range type kind that did not
// alter comments would be refused rather than plan nothing for them.
func TestRangeKindRefusesUnalteredField(t *testing.T) {
	refusesUnaltered(t, rangeKind,
		func(o, old *schema.RangeType) { o.Comment = old.Comment },
		rangeCatalog(""), rangeCatalog("span"),
		"range type public.s", "Comment", "span")
}

func domainCatalog(def string) *schema.Catalog {
	c := schema.NewCatalog()
	c.Domains[sampleQName] = &schema.Domain{QName: sampleQName, BaseType: "integer", Default: def}
	return c
}

// TestDomainKindRefusesUnalteredField: a domain kind that did not alter
// defaults would be refused rather than plan nothing for them.
func TestDomainKindRefusesUnalteredField(t *testing.T) {
	refusesUnaltered(t, domainKind,
		func(o, old *schema.Domain) { o.Default = old.Default },
		domainCatalog(""), domainCatalog("42"),
		"domain public.s", "Default", "42")
}

func enumCatalog(comment string) *schema.Catalog {
	c := schema.NewCatalog()
	c.Enums[sampleQName] = &schema.Enum{QName: sampleQName, Values: []string{"a", "b"}, Comment: comment}
	return c
}

// TestEnumKindRefusesUnalteredField: an enum kind that did not alter
// comments would be refused rather than plan nothing for them.
func TestEnumKindRefusesUnalteredField(t *testing.T) {
	refusesUnaltered(t, enumKind,
		func(o, old *schema.Enum) { o.Comment = old.Comment },
		enumCatalog(""), enumCatalog("letters"),
		"enum public.s", "Comment", "letters")
}

func viewCatalog(materialized bool, comment string) *schema.Catalog {
	c := schema.NewCatalog()
	c.Views[sampleQName] = &schema.View{QName: sampleQName, Materialized: materialized, Comment: comment,
		Definition: " SELECT 1 AS a;", Columns: []schema.ViewColumn{{Name: "a", Type: "integer"}}}
	return c
}

// TestViewKindRefusesUnalteredField: a view kind that did not alter
// comments would be refused rather than plan nothing for them, for views
// and materialized views alike.
func TestViewKindRefusesUnalteredField(t *testing.T) {
	keep := func(o, old *schema.View) { o.Comment = old.Comment }
	refusesUnaltered(t, viewKind, keep, viewCatalog(false, ""), viewCatalog(false, "numbers"),
		"view public.s", "Comment", "numbers")
	refusesUnaltered(t, viewKind, keep, viewCatalog(true, ""), viewCatalog(true, "numbers"),
		"materialized view public.s", "Comment", "numbers")
}

func functionCatalog(kind schema.Kind, comment string) *schema.Catalog {
	c := schema.NewCatalog()
	f := &schema.Function{Schema: "public", Name: "f", Kind: kind, IdentityArgs: "integer", Arguments: "x integer",
		Language: "sql", Definition: "CREATE OR REPLACE FUNCTION public.f(x integer) ...", Comment: comment}
	c.Functions[f.ID()] = f
	return c
}

// TestFunctionKindRefusesUnalteredField: a function kind that did not
// alter comments would be refused rather than plan nothing for them, for
// each kind it plans; the identity names the overload.
func TestFunctionKindRefusesUnalteredField(t *testing.T) {
	keep := func(o, old *schema.Function) { o.Comment = old.Comment }
	for k, name := range map[schema.Kind]string{schema.KindFunction: "function", schema.KindProcedure: "procedure",
		schema.KindAggregate: "aggregate"} {
		refusesUnaltered(t, functionKind, keep, functionCatalog(k, ""), functionCatalog(k, "adds"),
			name+" public.f(integer)", "Comment", "adds")
	}
}

func schemaCatalog(comment string) *schema.Catalog {
	c := schema.NewCatalog()
	c.Schemas["app"] = &schema.Schema{Name: "app", Comment: comment}
	return c
}

// TestSchemaKindRefusesUnalteredField: a schema kind that did not alter
// comments would be refused rather than plan nothing for them.
func TestSchemaKindRefusesUnalteredField(t *testing.T) {
	refusesUnaltered(t, schemaKind,
		func(o, old *schema.Schema) { o.Comment = old.Comment },
		schemaCatalog(""), schemaCatalog("application"),
		"schema app", "Comment", "application")
}
