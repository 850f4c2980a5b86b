package diff

import (
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/schema"
)

// TestUnanalysedFunctionsCarryTheHazard: creating or dropping a function
// whose body could not be analysed carries an untracked-dependency hazard
// that says why.
func TestUnanalysedFunctionsCarryTheHazard(t *testing.T) {
	deep := &schema.Function{Schema: "public", Name: "deep", Kind: schema.KindFunction, Language: "sql",
		Result: "integer", Definition: "CREATE OR REPLACE FUNCTION public.deep() RETURNS integer LANGUAGE sql AS $$SELECT 1$$",
		UntrackedDeps: true, UntrackedReason: "too deep"}
	withDeep := schema.NewCatalog()
	withDeep.Functions[deep.ID()] = deep
	for name, pair := range map[string][2]*schema.Catalog{
		"drop":   {withDeep, schema.NewCatalog()},
		"create": {schema.NewCatalog(), withDeep},
	} {
		changes, err := Diff(pair[0], pair[1])
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, c := range changes {
			for _, s := range c.Statements {
				for _, h := range s.Hazards {
					if h.Kind == HazardUntrackedDep && strings.Contains(h.Message, "public.deep()") && strings.Contains(h.Message, "too deep") {
						found = true
					}
				}
			}
		}
		if !found {
			t.Errorf("%s: no untracked-dependency hazard naming the function and why: %+v", name, changes)
		}
	}
}
