package pipeline

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// CheckDesiredSupported refuses a desired state that holds objects
// schemadiff does not manage yet: planning would silently leave them out.
// The error names each object and, where it can be found, the statement
// that created it.
func CheckDesiredSupported(desired *schema.Catalog, stmts []sqlfile.Statement) error {
	if len(desired.Unsupported) == 0 {
		return nil
	}
	var lines []string
	for _, id := range desired.Unsupported {
		where := ""
		for _, s := range stmts {
			if s.File == "" || !createdBy(s, id) {
				continue
			}
			where = fmt.Sprintf("%s:%d:%d: ", s.File, s.Line, s.Col)
			break
		}
		lines = append(lines, "  "+where+id.String())
	}
	slices.Sort(lines)
	return fmt.Errorf("the schema creates objects schemadiff does not manage yet:\n%s", strings.Join(lines, "\n"))
}

func createdBy(s sqlfile.Statement, id schema.ID) bool {
	if s.Kind != sqlfile.StmtCreate {
		return false
	}
	for _, p := range s.Provides {
		if strings.HasSuffix(p, id.Schema+"."+id.Name) || p == id.Name {
			return true
		}
	}
	// The object as the statement names it: "kind name" or "kind s.name",
	// maybe quoted.
	for _, name := range []string{id.Name, schema.Ident(id.Name)} {
		if strings.HasSuffix(s.Object, " "+name) || strings.HasSuffix(s.Object, "."+name) {
			return true
		}
	}
	return false
}
