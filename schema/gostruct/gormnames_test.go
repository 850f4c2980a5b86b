package gostruct

import (
	"maps"
	"testing"
)

// TestGormNames checks GORM's naming strategy as the reader follows it.
func TestGormNames(t *testing.T) {
	for _, tc := range []struct{ in, column, table string }{
		{"User", "user", "users"},
		{"OrderLine", "order_line", "order_lines"},
		{"UserID", "user_id", "user_ids"},
		{"HTTPServer", "http_server", "http_servers"},
		{"CreatedAt", "created_at", "created_ats"},
		{"Person", "person", "people"},
		{"Category", "category", "categories"},
		{"APIKey", "api_key", "api_keys"},
	} {
		if got := gormDBName(tc.in); got != tc.column {
			t.Errorf("gormDBName(%q) = %q, want %q", tc.in, got, tc.column)
		}
		if got := gormTableName(tc.in); got != tc.table {
			t.Errorf("gormTableName(%q) = %q, want %q", tc.in, got, tc.table)
		}
	}
	if got := gormIndexName("users", "DeletedAt"); got != "idx_users_deleted_at" {
		t.Errorf("gormIndexName = %q", got)
	}
	long := gormFormatName("idx", "a_very_long_table_name_for_the_test", "and_a_very_long_column_name_too")
	if len(long) != 64 || long[:56] != "idx_a_very_long_table_name_for_the_test_and_a_very_long_" {
		t.Errorf("gormFormatName shortened to %q (%d)", long, len(long))
	}
}

// TestGormTagSettings checks the parsing of gorm tags.
func TestGormTagSettings(t *testing.T) {
	for _, tc := range []struct {
		tag  string
		want map[string]string
	}{
		{"primaryKey", map[string]string{"PRIMARYKEY": "PRIMARYKEY"}},
		{"column:name;size:100;not null", map[string]string{"COLUMN": "name", "SIZE": "100", "NOT NULL": "NOT NULL"}},
		{"default:'a:b';index:idx_x,priority:2", map[string]string{"DEFAULT": "'a:b'", "INDEX": "idx_x,priority:2"}},
		{`check:a\;b`, map[string]string{"CHECK": "a;b"}},
		{"-", map[string]string{"-": "-"}},
		{"-:migration", map[string]string{"-": "migration"}},
		{"", map[string]string{}},
	} {
		if got := gormTagSettings(tc.tag, ";"); !maps.Equal(got, tc.want) {
			t.Errorf("gormTagSettings(%q) = %v, want %v", tc.tag, got, tc.want)
		}
	}
}
