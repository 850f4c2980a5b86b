package diff

import (
	"slices"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/schema"
)

// constraintCatalog is a table public.t with a check constraint "positive"
// that calls public.f; mod changes the constraint.
func constraintCatalog(mod func(*schema.Constraint)) *schema.Catalog {
	c := schema.NewCatalog()
	q := schema.QName{Schema: "public", Name: "t"}
	con := &schema.Constraint{Name: "positive", Type: schema.Check, Definition: "CHECK ((public.f(a) > 0))",
		Columns: []string{"a"}, Validated: true,
		Deps: []schema.ID{{Kind: schema.KindFunction, Schema: "public", Name: "f", Args: "integer"}}}
	if mod != nil {
		mod(con)
	}
	c.Tables[q] = &schema.Table{QName: q, Columns: []*schema.Column{{Name: "a", Type: "integer"}},
		Constraints: []*schema.Constraint{con}}
	return c
}

// TestConstraintKindRefusesUnalteredField: a constraint kind that did not
// alter comments would be refused rather than plan nothing for them.
func TestConstraintKindRefusesUnalteredField(t *testing.T) {
	refusesUnaltered(t, constraintKind,
		func(o, old schema.TableConstraint) { o.Comment = old.Comment },
		constraintCatalog(nil), constraintCatalog(func(c *schema.Constraint) { c.Comment = "above zero" }),
		"constraint public.t.positive", "Comment", "above zero")
}

// TestConstraintKindAltersOrRecreates pins what the constraint kind plans:
// VALIDATE and COMMENT in place, a changed definition or a constraint that
// stops being validated dropped and added again.
func TestConstraintKindAltersOrRecreates(t *testing.T) {
	for _, tc := range []struct {
		name     string
		from, to func(*schema.Constraint)
		want     []string
	}{
		{"validate", func(c *schema.Constraint) { c.Validated = false; c.Definition += notValid }, nil,
			[]string{`ALTER TABLE public.t VALIDATE CONSTRAINT positive`}},
		{"comment", nil, func(c *schema.Constraint) { c.Comment = "x" },
			[]string{`COMMENT ON CONSTRAINT positive ON public.t IS 'x'`}},
		{"definition", nil, func(c *schema.Constraint) { c.Definition = "CHECK ((a > 1))" },
			[]string{`ALTER TABLE public.t DROP CONSTRAINT positive`, `ALTER TABLE public.t ADD CONSTRAINT positive CHECK ((a > 1))`}},
		{"unvalidated", nil, func(c *schema.Constraint) { c.Validated = false; c.Definition += notValid },
			[]string{`ALTER TABLE public.t DROP CONSTRAINT positive`, `ALTER TABLE public.t ADD CONSTRAINT positive CHECK ((public.f(a) > 0)) NOT VALID`}},
		{"same", nil, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := &differ{from: constraintCatalog(tc.from), to: constraintCatalog(tc.to)}
			if err := constraintKind.diff(d); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range plannedStatements(d.changes) {
				got = append(got, s.sql)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("planned %q, want %q", got, tc.want)
			}
		})
	}
}

// TestConstraintRecreatedThroughRegistry: a constraint depending on an
// object the plan drops is dropped and added again through the registry,
// and an object of a kind outside it is refused by name.
func TestConstraintRecreatedThroughRegistry(t *testing.T) {
	fn := schema.ID{Kind: schema.KindFunction, Schema: "public", Name: "f", Args: "integer"}
	d := &differ{from: constraintCatalog(nil), to: constraintCatalog(nil)}
	id := constraintID(schema.QName{Schema: "public", Name: "t"}, "positive")
	rev, _ := reverseDeps(d.from)
	if deps := rev[fn]; !slices.Contains(deps, id) {
		t.Fatalf("what depends on %s = %v, want %s", fn, deps, id)
	}
	drop, ok := d.dropFor(id, fn)
	if !ok || drop.Op != OpDrop || drop.Statements[0].SQL != `ALTER TABLE public.t DROP CONSTRAINT positive` {
		t.Errorf("dropFor(%s) = %+v, %v", id, drop, ok)
	}
	creates, ok := d.createFor(id)
	if !ok || len(creates) != 1 || !strings.HasPrefix(creates[0].Statements[0].SQL, `ALTER TABLE public.t ADD CONSTRAINT positive CHECK`) {
		t.Errorf("createFor(%s) = %+v, %v", id, creates, ok)
	}
	col := columnID(schema.QName{Schema: "public", Name: "t"}, "a")
	if _, ok := d.dropFor(col, fn); ok || len(d.refused) != 1 || !strings.Contains(d.refused[0], "cannot drop and create again objects of kind column") {
		t.Errorf("dropFor(%s) = %v, refused %q; want a refusal naming the kind", col, ok, d.refused)
	}
}
