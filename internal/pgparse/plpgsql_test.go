package pgparse

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPlpgsqlParts checks the walk of a PL/pgSQL parse tree: the embedded
// statements made parseable on their own, and the declared types of the
// variables, in a stable order.
func TestPlpgsqlParts(t *testing.T) {
	tree, err := ParsePlpgsql(`CREATE FUNCTION f(n int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
	r public.orders%ROWTYPE;
	m "Mood"[];
	total numeric := 0;
BEGIN
	SELECT * INTO r FROM public.orders WHERE id = n;
	total := total + r.amount;
	IF total > 10 THEN
		INSERT INTO audit.log VALUES (n);
	END IF;
	RETURN total;
END $$`)
	if err != nil {
		t.Fatal(err)
	}
	queries, types, err := PlpgsqlParts(tree)
	if err != nil {
		t.Fatal(err)
	}
	wantQueries := []string{"SELECT *        FROM public.orders WHERE id = n", "SELECT  total + r.amount", "SELECT total > 10",
		"INSERT INTO audit.log VALUES (n)", "SELECT total", "SELECT 0"}
	if d := cmp.Diff(wantQueries, queries); d != "" {
		t.Errorf("queries (-want +got):\n%s", d)
	}
	// Types as written, white space included.
	if d := cmp.Diff([]string{"public.orders%ROWTYPE", `"Mood"[]`, "numeric "}, types); d != "" {
		t.Errorf("types (-want +got):\n%s", d)
	}
	for range 5 { // map order must not leak into the result
		q2, t2, _ := PlpgsqlParts(tree)
		if !cmp.Equal(queries, q2) || !cmp.Equal(types, t2) {
			t.Fatalf("PlpgsqlParts is not stable: %q %q, then %q %q", queries, types, q2, t2)
		}
	}
}
