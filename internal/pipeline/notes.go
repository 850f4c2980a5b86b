package pipeline

import (
	"fmt"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// DataStatementsNote says that the data statements among stmts run only in
// the scratch database, naming the first few; "" when there are none.
func DataStatementsNote(stmts []sqlfile.Statement) string {
	var at []string
	n := 0
	for _, s := range stmts {
		if s.Kind != sqlfile.StmtData {
			continue
		}
		n++
		if len(at) < 3 {
			at = append(at, fmt.Sprintf("%s:%d:%d (%s)", s.File, s.Line, s.Col, s.Object))
		}
	}
	if n == 0 {
		return ""
	}
	more := ""
	if n > len(at) {
		more = fmt.Sprintf(" and %d more", n-len(at))
	}
	return fmt.Sprintf("%d data statement(s) in the schema run only while loading it into the scratch database; plans change structure, never rows: %s%s",
		n, strings.Join(at, ", "), more)
}

// UnsupportedNotes names the objects of cats that schemadiff does not
// manage yet and the function bodies it could not analyse.
func UnsupportedNotes(cats ...*schema.Catalog) []string {
	var out []string
	if names := Unsupported(cats...); len(names) > 0 {
		out = append(out, fmt.Sprintf("%d object(s) not managed by schemadiff yet, left untouched: %s",
			len(names), strings.Join(names, ", ")))
	}
	return append(out, Unanalysed(cats...)...)
}
