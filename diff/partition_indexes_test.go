package diff

import (
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/schema"
)

// TestObjectName checks the names PostgreSQL gives the indexes it makes
// for partitions (makeObjectName and ChooseIndexNameAddition).
func TestObjectName(t *testing.T) {
	long := strings.Repeat("p", 60)
	tests := []struct {
		name, table string
		cols        []string
		label, want string
	}{
		{"index", "events_2024", []string{"kind"}, "idx", "events_2024_kind_idx"},
		{"columns and expression", "t1", []string{"a", "lower", "b"}, "idx", "t1_a_lower_b_idx"},
		{"primary key", "accounts_asia", nil, "pkey", "accounts_asia_pkey"},
		{"long table name is cut", long, []string{"kind"}, "key", strings.Repeat("p", 54) + "_kind_key"},
		{"long column list is cut", "t", []string{long, long}, "idx", "t_" + strings.Repeat("p", 57) + "_idx"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := schema.ObjectName(tc.table, indexNameAddition(tc.cols), tc.label)
			if got != tc.want {
				t.Errorf("ObjectName(%q, %q, %q) = %q, want %q", tc.table, tc.cols, tc.label, got, tc.want)
			}
			if len(got) > schema.MaxIdentLen {
				t.Errorf("%q is longer than an identifier", got)
			}
		})
	}
}
