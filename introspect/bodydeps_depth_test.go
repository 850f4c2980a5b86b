package introspect

import (
	"errors"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/internal/pgparse"
	"github.com/schemadiff/schemadiff/schema"
)

// TestDeepBodiesAreNotAnalysed: a body holding an expression too deep to
// parse safely (30,000 terms, which crash pg_query unguarded) gives a
// *pgparse.DepthError that does not quote the body.
func TestDeepBodiesAreNotAnalysed(t *testing.T) {
	sum := "1" + strings.Repeat("+1", 29999)
	for _, f := range []schema.Function{
		{Schema: "public", Name: "f", Language: "sql", Body: "SELECT " + sum},
		{Schema: "public", Name: "f", Language: "plpgsql",
			Definition: "CREATE OR REPLACE FUNCTION public.f() RETURNS integer LANGUAGE plpgsql AS $function$BEGIN RETURN " + sum + "; END$function$"},
		{Schema: "public", Name: "f", Language: "plpgsql",
			Definition: "CREATE OR REPLACE FUNCTION public.f() RETURNS integer LANGUAGE plpgsql AS $function$" +
				strings.Repeat("BEGIN ", 3000) + "RETURN 1;" + strings.Repeat(" END;", 3000) + "$function$"},
	} {
		_, err := analyzeBody(&f)
		var deep *pgparse.DepthError
		if !errors.As(err, &deep) {
			t.Errorf("%s body: got %v, want a *pgparse.DepthError", f.Language, err)
			continue
		}
		if len(err.Error()) > 300 {
			t.Errorf("%s body: the error quotes the body: %.300s...", f.Language, err)
		}
	}
}
