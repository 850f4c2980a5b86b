package schema

import (
	"fmt"
	"strings"
)

// Position locates a definition in a schema file.
type Position struct {
	File string
	Line int
}

func (p Position) String() string { return fmt.Sprintf("%s:%d", p.File, p.Line) }

// SourcePositions locates the tables that CREATE TABLE statements define,
// and their columns: a column's own line when its definition starts a line
// of a SQL file, else the statement's.
func SourcePositions(stmts []Statement) map[ID]Position {
	out := map[ID]Position{}
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
			at := Position{File: s.File, Line: s.Line}
			out[ID{Kind: KindTable, Schema: parts[0], Name: parts[1]}] = at
			if strings.HasSuffix(s.File, ".sql") {
				at.Line += columnLine(s.SQL, parts[2])
			}
			out[ID{Kind: KindColumn, Schema: parts[0], Table: parts[1], Name: parts[2]}] = at
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
		if word == Ident(col) || strings.EqualFold(word, col) && !strings.HasPrefix(word, `"`) && strings.ToLower(col) == col {
			return i
		}
	}
	return 0
}
