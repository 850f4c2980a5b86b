package diff

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/schemadiff/schemadiff/schema"
)

// withEqual is compared by cmp through its Equal method, which sameState
// leaves to cmp.
type withEqual struct{ A string }

func (w withEqual) Equal(o withEqual) bool { return true }

// TestSameStateAgreesWithCmp checks that sameState answers true only when
// cmp.Equal with cmpopts.EquateEmpty does, on model objects and on the
// shapes the model is made of.
func TestSameStateAgreesWithCmp(t *testing.T) {
	table := func(edit func(*schema.Table)) *schema.Table {
		tb := &schema.Table{QName: schema.QName{Schema: "public", Name: "t"},
			Columns: []*schema.Column{{Name: "id", Type: "bigint", NotNull: true}},
			Constraints: []*schema.Constraint{{Name: "t_pkey", Type: schema.PrimaryKey,
				Columns: []string{"id"}}},
			ColumnGrants: map[string][]schema.Grant{"id": {{Grantee: "PUBLIC", Privilege: "SELECT"}}},
		}
		if edit != nil {
			edit(tb)
		}
		return tb
	}
	cases := []struct {
		name string
		a, b any
	}{
		{"same table", table(nil), table(nil)},
		{"same pointer", table(nil), nil},
		{"nil and empty slice", table(func(t *schema.Table) { t.Indexes = nil }),
			table(func(t *schema.Table) { t.Indexes = []*schema.Index{} })},
		{"nil and empty map", table(func(t *schema.Table) { t.ColumnGrants = nil }),
			table(func(t *schema.Table) { t.ColumnGrants = map[string][]schema.Grant{} })},
		{"column type", table(nil), table(func(t *schema.Table) { t.Columns[0].Type = "integer" })},
		{"one more column", table(nil), table(func(t *schema.Table) {
			t.Columns = append(t.Columns, &schema.Column{Name: "x", Type: "text"})
		})},
		{"nil and non-nil column", table(func(t *schema.Table) { t.Columns = []*schema.Column{nil} }), table(nil)},
		{"map value", table(nil), table(func(t *schema.Table) { t.ColumnGrants["id"][0].Privilege = "UPDATE" })},
		{"map key", table(nil), table(func(t *schema.Table) {
			t.ColumnGrants = map[string][]schema.Grant{"x": {{Grantee: "PUBLIC", Privilege: "SELECT"}}}
		})},
		{"interface", any(1), any(int64(1))},
		{"interface same", []any{"a", nil}, []any{"a", nil}},
		{"empty string slice in a map", map[string][]string{"a": nil}, map[string][]string{"a": {}}},
		{"array", [2]string{"a", "b"}, [2]string{"a", "c"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := c.b
			if b == nil {
				b = c.a
			}
			want := cmp.Equal(c.a, b, cmpopts.EquateEmpty())
			if got := sameState(c.a, b); got != want {
				t.Errorf("sameState = %v, cmp.Equal = %v for\n%#v\n%#v", got, want, c.a, b)
			}
		})
	}
}

// TestSameStateLeavesToCmp checks that sameState answers false for what
// cmp compares otherwise than field by field.
func TestSameStateLeavesToCmp(t *testing.T) {
	if sameState(withEqual{"a"}, withEqual{"a"}) {
		t.Error("a type with an Equal method is cmp's to compare")
	}
	if sameState([]any{withEqual{"a"}}, []any{withEqual{"a"}}) {
		t.Error("a value with an Equal method inside an interface is cmp's to compare")
	}
	f := func() {}
	if sameState(f, f) {
		t.Error("functions are cmp's to compare")
	}
}
