package diff

import (
	"slices"
	"testing"

	"github.com/schemadiff/schemadiff/schema"
)

// TestACLOfRegisteredKinds checks that the kinds the registry holds name
// their objects in GRANT, and give their privileges and defaults, as the
// grants pass expects, and that every object aclIDs lists is found.
func TestACLOfRegisteredKinds(t *testing.T) {
	q := schema.QName{Schema: "app", Name: "Thing"}
	g := []schema.Grant{{Grantee: "reader", Privilege: "USAGE"}}
	cat := schema.NewCatalog()
	cat.Sequences[q] = &schema.Sequence{QName: q, Grants: g}
	cat.Enums[q] = &schema.Enum{QName: q, Grants: g}
	cat.Domains[q] = &schema.Domain{QName: q, Grants: g}
	cat.Composites[q] = &schema.CompositeType{QName: q, Grants: g}
	cat.Ranges[q] = &schema.RangeType{QName: q, Grants: g}
	cat.Servers["remote"] = &schema.ForeignServer{Name: "remote", Grants: g}
	cat.Views[q] = &schema.View{QName: q, Grants: g}
	mq := schema.QName{Schema: "app", Name: "totals"}
	cat.Views[mq] = &schema.View{QName: mq, Materialized: true, Grants: g}
	for _, f := range []*schema.Function{
		{Schema: "app", Name: "f", Kind: schema.KindFunction, IdentityArgs: "integer, text", Grants: g},
		{Schema: "app", Name: "p", Kind: schema.KindProcedure, IdentityArgs: "", Grants: g},
		{Schema: "app", Name: "pct", Kind: schema.KindAggregate, IdentityArgs: "double precision ORDER BY double precision",
			OrderedArgTypes: []string{"double precision", "double precision"}, Grants: g},
	} {
		cat.Functions[f.ID()] = f
	}
	execute := []schema.Grant{{Grantee: "PUBLIC", Privilege: "EXECUTE"}}
	public := []schema.Grant{{Grantee: "PUBLIC", Privilege: "USAGE"}}
	want := map[schema.Kind]struct {
		target   string
		defaults []schema.Grant
	}{
		schema.KindSequence:         {`SEQUENCE app."Thing"`, nil},
		schema.KindEnum:             {`TYPE app."Thing"`, public},
		schema.KindDomain:           {`DOMAIN app."Thing"`, public},
		schema.KindCompositeType:    {`TYPE app."Thing"`, public},
		schema.KindRangeType:        {`TYPE app."Thing"`, public},
		schema.KindForeignServer:    {`FOREIGN SERVER remote`, nil},
		schema.KindView:             {`TABLE app."Thing"`, nil},
		schema.KindMaterializedView: {`TABLE app.totals`, nil},
		schema.KindFunction:         {`FUNCTION app.f(integer, text)`, execute},
		schema.KindProcedure:        {`PROCEDURE app.p()`, execute},
		schema.KindAggregate:        {`FUNCTION app.pct(double precision, double precision)`, execute},
	}
	ids := aclIDs(cat)
	if len(ids) != len(want) {
		t.Fatalf("aclIDs = %v, want one object of each of %d kinds", ids, len(want))
	}
	for _, id := range ids {
		o, ok := aclOf(cat, id)
		if !ok {
			t.Errorf("aclOf(%s) found nothing", id)
			continue
		}
		w := want[id.Kind]
		if o.id != id || o.target != w.target || !slices.Equal(o.grants, g) || !slices.Equal(o.defaults, w.defaults) {
			t.Errorf("aclOf(%s) = %+v, want target %q, grants %v, defaults %v", id, o, w.target, g, w.defaults)
		}
		if _, ok := aclOf(schema.NewCatalog(), id); ok {
			t.Errorf("aclOf(%s) found it in an empty catalog", id)
		}
	}
	// The grants pass plans them kind by kind, in the order plans have
	// always had.
	pos := func(k schema.Kind) int { return slices.Index(grantsFirst, registry[k].firstKind()) }
	for i := 1; i < len(ids); i++ {
		if pos(ids[i-1].Kind) > pos(ids[i].Kind) {
			t.Errorf("aclIDs lists %s before %s", ids[i-1], ids[i])
		}
	}
	// A registered kind without privileges has none.
	if _, ok := aclOf(cat, schema.ID{Kind: schema.KindCast, Name: "x"}); ok {
		t.Error("aclOf found privileges on a cast")
	}
}
