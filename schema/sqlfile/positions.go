package sqlfile

import (
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// Positions locates the tables that CREATE TABLE statements define,
// and their columns: a column's own line when its definition starts a line
// of a SQL file, else the statement's.
func Positions(stmts []Statement) map[schema.ID]schema.Position {
	out := map[schema.ID]schema.Position{}
	for _, s := range stmts {
		for _, p := range s.Provides {
			name, ok := strings.CutPrefix(p, "column:")
			if !ok {
				continue
			}
			parts := strings.SplitN(name, ".", 3)
			if len(parts) != 3 {
				continue
			}
			at := schema.Position{File: s.File, Line: s.Line}
			out[schema.ID{Kind: schema.KindTable, Schema: parts[0], Name: parts[1]}] = at
			if strings.HasSuffix(s.File, ".sql") {
				at.Line += columnLine(s.SQL, parts[2])
			}
			out[schema.ID{Kind: schema.KindColumn, Schema: parts[0], Table: parts[1], Name: parts[2]}] = at
		}
	}
	return out
}

// columnLine returns the line of sql (counted from 0) on which the
// definition of column col starts, or 0.
func columnLine(sql, col string) int {
	for i, line := range strings.Split(sql, "\n") {
		if i == 0 {
			continue
		}
		line = strings.TrimLeft(line, " \t(,")
		word := line
		if strings.HasPrefix(line, `"`) {
			if end := strings.Index(line[1:], `"`); end >= 0 {
				word = line[:end+2]
			}
		} else if end := strings.IndexAny(line, " \t,)"); end >= 0 {
			word = line[:end]
		}
		if word == schema.Ident(col) || strings.EqualFold(word, col) && !strings.HasPrefix(word, `"`) && strings.ToLower(col) == col {
			return i
		}
	}
	return 0
}
