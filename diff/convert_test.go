package diff

import "testing"

// TestExplicitLoss checks which explicit casts may cut or pad a value
// that an assignment refuses.
func TestExplicitLoss(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		checked  bool
	}{
		{"integer", "character varying(3)", true},
		{"integer", "character(3)", true},
		{"public.mood", "character varying(3)", true},
		{"text", "character varying(3)", false}, // valueLoss guards it
		{"integer", "character varying", false},
		{"bit(8)", "bit(4)", true},
		{"bit(4)", "bit(8)", true},
		{"bit varying(8)", "bit varying(4)", true},
		{"bit(4)", "bit varying(8)", false},
		{"bit varying(4)", "bit varying(8)", false},
		{"text", "bit(4)", true},
		{"text[]", "bit(4)[]", true},
		{"numeric(10,2)", "numeric(10,1)", false}, // valueLoss guards it
		{"integer", "bigint", false},
	} {
		got := explicitLoss(tc.from, tc.to)
		if got.checked != tc.checked || (got.what != "") != tc.checked {
			t.Errorf("explicitLoss(%s, %s) = %+v, want checked %v", tc.from, tc.to, got, tc.checked)
		}
	}
}
