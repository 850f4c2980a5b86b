package gostruct_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/internal/pgparse"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// TestReadGoStructsTooDeep: a struct tag whose default is too deep to
// parse safely is an error at the field, not a crash.
func TestReadGoStructsTooDeep(t *testing.T) {
	deep := "1" + strings.Repeat("+1", 29999)
	for name, decls := range map[string]string{
		"default": "// schemadiff:table\ntype T struct{ A int `schemadiff:\"a,default=" + deep + "\"` }\n",
		"index":   "// schemadiff:table\n// schemadiff:index i (a) where a > " + deep + "\ntype T struct{ A int `schemadiff:\"a\"` }\n",
	} {
		_, _, p, err := readGo(t, decls)
		var se *sqlfile.SourceError
		var de *pgparse.DepthError
		if !errors.As(err, &se) || !strings.HasPrefix(err.Error(), p+":15:") || !strings.Contains(err.Error(), "nested too deeply") {
			t.Errorf("%s: got %.300v, want a *SourceError at line 15", name, err)
		}
		_ = errors.As(err, &de)
		if len(err.Error()) > len(p)+400 {
			t.Errorf("%s: the error quotes the expression: %.300s", name, err)
		}
	}
}
