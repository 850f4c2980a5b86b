package diff

import (
	"slices"
	"testing"

	"github.com/schemadiff/schemadiff/schema"
)

// TestInlineConstraints checks which constraints of a new table go inside
// its CREATE TABLE: never one PostgreSQL would merge into another's index
// there (a UNIQUE on the primary key's columns, a second UNIQUE or
// exclusion constraint on the same columns), nor foreign keys, NOT VALID
// constraints or any constraint of a partition.
func TestInlineConstraints(t *testing.T) {
	con := func(name string, typ schema.ConstraintType, cols ...string) *schema.Constraint {
		return &schema.Constraint{Name: name, Type: typ, Columns: cols, Validated: true}
	}
	notValid := con("chk_later", schema.Check, "a")
	notValid.Validated = false
	tests := []struct {
		name        string
		constraints []*schema.Constraint
		partition   bool
		want        []string
	}{
		{"unique equal to the primary key, listed first",
			[]*schema.Constraint{con("t_id_key", schema.Unique, "id"), con("t_pkey", schema.PrimaryKey, "id")}, false,
			[]string{"t_pkey"}},
		{"two unique constraints on the same columns",
			[]*schema.Constraint{con("u1", schema.Unique, "a", "b"), con("u2", schema.Unique, "a", "b"), con("u3", schema.Unique, "a")}, false,
			[]string{"u1", "u3"}},
		{"same columns in another order are kept apart too",
			[]*schema.Constraint{con("t_pkey", schema.PrimaryKey, "a", "b"), con("u_ba", schema.Unique, "b", "a")}, false,
			[]string{"t_pkey"}},
		{"identical exclusion constraints",
			[]*schema.Constraint{con("x1", schema.Exclusion, "during"), con("x2", schema.Exclusion, "during")}, false,
			[]string{"x1"}},
		{"checks, foreign keys and NOT VALID constraints",
			[]*schema.Constraint{con("t_pkey", schema.PrimaryKey, "a"), con("chk", schema.Check, "a"),
				con("fk", schema.ForeignKey, "a"), notValid}, false,
			[]string{"t_pkey", "chk"}},
		{"partition",
			[]*schema.Constraint{con("t_pkey", schema.PrimaryKey, "a")}, true,
			nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tb := &schema.Table{QName: schema.QName{Schema: "public", Name: "t"}, Constraints: tc.constraints}
			if tc.partition {
				tb.PartitionOf = &schema.QName{Schema: "public", Name: "parent"}
			}
			inline := inlineConstraints(tb)
			var got []string
			for _, c := range tc.constraints {
				if inline[c] {
					got = append(got, c.Name)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("inlined %q, want %q", got, tc.want)
			}
		})
	}
}
