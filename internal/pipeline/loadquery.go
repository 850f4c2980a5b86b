package pipeline

import (
	"strings"

	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// maxQueryBytes bounds the text of one query that runs several statements
// of a load.
const maxQueryBytes = 1 << 20

// joinable reports whether a statement of the schema files may share one
// query (one round trip) with the statements around it. PostgreSQL reads
// every statement of a query before it runs the first, so a statement that
// changes a session setting (standard_conforming_strings changes how the
// next statements are read), changes rows, or is of an unknown kind is sent
// in a query of its own.
func joinable(st *sqlfile.Statement) bool {
	switch st.Kind {
	case sqlfile.StmtCreate, sqlfile.StmtAlter, sqlfile.StmtComment, sqlfile.StmtGrant, sqlfile.StmtDrop:
		return true
	}
	return false
}

// queryRuns cuts the statements numbered todo into runs, each sent as one
// query. A run holds one statement that is not joinable, or joinable
// statements up to maxQueryBytes of text; endsRun(i) ends a run after
// statement i (a query must follow it on its own).
func queryRuns(stmts []sqlfile.Statement, todo []int, endsRun func(i int) bool) [][]int {
	var runs [][]int
	start, size := 0, 0
	flush := func(end int) {
		if end > start {
			runs = append(runs, todo[start:end])
		}
		start, size = end, 0
	}
	for k, i := range todo {
		st := &stmts[i]
		if !joinable(st) {
			flush(k)
			flush(k + 1)
			continue
		}
		if size > 0 && size+len(st.SQL) > maxQueryBytes {
			flush(k)
		}
		size += len(st.SQL)
		if endsRun != nil && endsRun(i) {
			flush(k + 1)
		}
	}
	flush(len(todo))
	return runs
}

// joinQuery is the text of one query running the statements numbered run,
// each preceded by prefix(i) when prefix is not nil.
func joinQuery(stmts []sqlfile.Statement, run []int, prefix func(i int) string) string {
	var b strings.Builder
	for k, i := range run {
		if k > 0 {
			// The statement text ends on its last token, never inside a
			// comment, so the separator cannot be swallowed.
			b.WriteString(";\n")
		}
		if prefix != nil {
			b.WriteString(prefix(i))
		}
		b.WriteString(stmts[i].SQL)
	}
	return b.String()
}

// sequence returns 0, 1, ..., n-1.
func sequence(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
