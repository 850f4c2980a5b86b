// Package emit renders ordered changes as an SQL script, as JSON, and as Go
// migration files. It never touches a database.
package emit

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/schemadiff/schemadiff/diff"
)

// Plan is an ordered list of changes.
type Plan struct {
	Changes []diff.Change
}

// statements returns the plan's statements in run order.
func (p Plan) statements() []diff.Statement {
	var out []diff.Statement
	for _, c := range p.Changes {
		out = append(out, c.Statements...)
	}
	return out
}

// SQL writes the plan as an SQL script. Each statement is preceded by its
// hazards as comments ("-- HAZARD deletes-data: drops column ...") and, when
// it cannot run in a transaction block, by "-- runs outside a transaction";
// the statement itself is followed by ";\n". An empty plan writes nothing.
func SQL(w io.Writer, p Plan) error {
	var b strings.Builder
	for _, s := range p.statements() {
		for _, h := range s.Hazards {
			b.WriteString("-- ")
			b.WriteString(hazardText(h))
			b.WriteByte('\n')
		}
		if s.NonTransactional {
			b.WriteString("-- runs outside a transaction\n")
		}
		b.WriteString(s.SQL)
		b.WriteString(";\n")
	}
	if b.Len() == 0 {
		return nil
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// hazardText renders a hazard as one line of comment text, without the
// comment marker.
func hazardText(h diff.Hazard) string {
	s := "HAZARD " + string(h.Kind)
	if h.Message != "" {
		s += ": " + h.Message
	}
	return oneLine(s)
}

// oneLine folds line breaks into spaces so that text can sit in a line
// comment without ending it.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029'
	}), " ")
}

type jsonPlan struct {
	Changes []jsonChange `json:"changes"`
}

type jsonChange struct {
	Op         diff.Op         `json:"op"`
	Object     jsonObject      `json:"object"`
	Statements []jsonStatement `json:"statements"`
}

type jsonObject struct {
	Kind   string `json:"kind"`
	Schema string `json:"schema"`
	Name   string `json:"name"`
	Table  string `json:"table"`
	Args   string `json:"args"`
}

type jsonStatement struct {
	SQL              string        `json:"sql"`
	Hazards          []diff.Hazard `json:"hazards"`
	NonTransactional bool          `json:"non_transactional"`
}

// JSON writes the plan as indented JSON:
//
//	{"changes": [{"op": ..., "object": {"kind", "schema", "name", "table", "args"},
//	  "statements": [{"sql", "hazards": [{"kind", "message"}], "non_transactional"}]}]}
//
// Every field is always present; lists are [] rather than null, so an empty
// plan is {"changes": []}.
func JSON(w io.Writer, p Plan) error {
	out := jsonPlan{Changes: make([]jsonChange, 0, len(p.Changes))}
	for _, c := range p.Changes {
		jc := jsonChange{
			Op: c.Op,
			Object: jsonObject{
				Kind:   string(c.Object.Kind),
				Schema: c.Object.Schema,
				Name:   c.Object.Name,
				Table:  c.Object.Table,
				Args:   c.Object.Args,
			},
			Statements: make([]jsonStatement, 0, len(c.Statements)),
		}
		for _, s := range c.Statements {
			hazards := s.Hazards
			if hazards == nil {
				hazards = []diff.Hazard{}
			}
			jc.Statements = append(jc.Statements, jsonStatement{
				SQL:              s.SQL,
				Hazards:          hazards,
				NonTransactional: s.NonTransactional,
			})
		}
		out.Changes = append(out.Changes, jc)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
