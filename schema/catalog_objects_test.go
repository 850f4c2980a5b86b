package schema

import (
	"strings"
	"testing"
)

// oneOfEach returns a catalog with one object of every kind Objects
// enumerates.
func oneOfEach() *Catalog {
	c := NewCatalog()
	q := QName{Schema: "s", Name: "n"}
	c.Schemas["s"] = &Schema{Name: "s"}
	c.Extensions["e"] = &Extension{Name: "e", Schema: "s"}
	c.Enums[q] = &Enum{QName: q}
	c.Domains[q] = &Domain{QName: q}
	c.Composites[q] = &CompositeType{QName: q}
	c.Ranges[q] = &RangeType{QName: q}
	c.Sequences[q] = &Sequence{QName: q}
	c.Collations[q] = &Collation{QName: q}
	t := &Table{QName: q,
		Columns:     []*Column{{Name: "c"}},
		Constraints: []*Constraint{{Name: "k", Type: Check}},
		Indexes:     []*Index{{QName: QName{"s", "ix"}, Table: q}},
		Triggers:    []*Trigger{{Name: "tr", Table: q}},
		Rules:       []*Rule{{Name: "ru", Table: q}},
		Policies:    []*Policy{{Name: "p", Table: q}},
		Statistics:  []*Statistics{{QName: QName{"s", "st"}, Table: q}},
	}
	c.Tables[q] = t
	v := QName{Schema: "s", Name: "v"}
	mv := QName{Schema: "s", Name: "mv"}
	c.Views[v] = &View{QName: v}
	c.Views[mv] = &View{QName: mv, Materialized: true}
	for _, k := range []Kind{KindFunction, KindProcedure, KindAggregate} {
		f := &Function{Schema: "s", Name: k.String(), Kind: k}
		c.Functions[f.ID()] = f
	}
	c.EventTriggers["et"] = &EventTrigger{Name: "et"}
	c.Servers["srv"] = &ForeignServer{Name: "srv"}
	um := UserMappingKey{Server: "srv", User: "PUBLIC"}
	c.UserMappings[um] = &UserMapping{UserMappingKey: um}
	cast := TypePair{From: "s.n", To: "text"}
	c.UserCasts[cast] = &Cast{Source: cast.From, Target: cast.To}
	c.Publications["pub"] = &Publication{Name: "pub",
		Tables: []*PublicationTable{{Publication: "pub", Table: q}}}
	return c
}

// TestEveryKindEnumeratesOrIsPseudo makes a new kind name how its objects
// are enumerated, or why it has none: a kind missing from both lists, or
// in both, fails here.
func TestEveryKindEnumeratesOrIsPseudo(t *testing.T) {
	c := oneOfEach()
	for _, k := range Kinds() {
		_, pseudo := pseudoKinds[k]
		switch {
		case IsObjectKind(k) && pseudo:
			t.Errorf("kind %s is both enumerated and a pseudo-kind", k)
		case !IsObjectKind(k) && !pseudo:
			t.Errorf("kind %s is neither enumerated by Catalog.Objects nor listed as a pseudo-kind", k)
		case IsObjectKind(k):
			objs := c.Objects(k)
			if len(objs) != 1 {
				t.Errorf("Objects(%s) = %d objects, want the fixture's 1", k, len(objs))
				continue
			}
			id := objs[0].ID()
			if id.Kind != k {
				t.Errorf("Objects(%s) lists %s", k, id)
			}
			if got, ok := c.Lookup(id); !ok || got.ID() != id {
				t.Errorf("Lookup(%s) = %v, %v", id, got, ok)
			}
		default:
			if objs := c.Objects(k); objs != nil {
				t.Errorf("Objects(%s) of a pseudo-kind = %v", k, objs)
			}
		}
	}
}

// TestObjectsOrder pins the order Objects lists in: by name.
func TestObjectsOrder(t *testing.T) {
	c := NewCatalog()
	for _, n := range []string{"b", "a", "c"} {
		q := QName{Schema: "s", Name: n}
		c.Enums[q] = &Enum{QName: q}
	}
	var got []string
	for _, e := range ObjectsOf[*Enum](c, KindEnum) {
		got = append(got, e.Name)
	}
	if want := "a b c"; strings.Join(got, " ") != want {
		t.Errorf("enums in order %q, want %q", strings.Join(got, " "), want)
	}
}
