package gostruct

import (
	"reflect"
	"slices"
	"testing"
)

func TestStructTagKeys(t *testing.T) {
	for _, c := range []struct {
		tag  string
		want []string
	}{
		{`gorm:"primaryKey" json:"id"`, []string{"gorm", "json"}},
		{`bun:"id,pk"`, []string{"bun"}},
		{`db:"a\"b" schemadiff:"id,pk"`, []string{"db", "schemadiff"}},
		{`  spaced:"x"   other:""`, []string{"spaced", "other"}},
		{`not a tag`, nil},
		{`unterminated:"x`, nil},
		{``, nil},
	} {
		if got := structTagKeys(reflect.StructTag(c.tag)); !slices.Equal(got, c.want) {
			t.Errorf("structTagKeys(%q) = %q, want %q", c.tag, got, c.want)
		}
	}
}
