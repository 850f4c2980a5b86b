// Package emit renders ordered changes as an SQL script, as JSON, and as Go
// migration files. It never touches a database.
package emit

import (
	"encoding/json"
	"io"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/diff"
)

// Plan is an ordered list of changes.
type Plan struct {
	Changes []diff.Change
}

// Statements returns the plan's statements in run order, with the
// transaction each runs in as the migration runner runs them. Statements
// marked diff.CommitFirst must come before every other statement; when one
// does not (a rename of an enum goes before a value added to it), they are
// returned as diff.OutsideTransaction, so that the plan runs statement by
// statement, which commits each of them before the next anyway.
func (p Plan) Statements() []diff.Statement {
	var out []diff.Statement
	for _, c := range p.Changes {
		out = append(out, c.Statements...)
	}
	inPrefix := true
	demote := false
	for _, s := range out {
		switch {
		case s.Transaction != diff.CommitFirst:
			inPrefix = false
		case !inPrefix:
			demote = true
		}
	}
	if demote {
		for i := range out {
			if out[i].Transaction == diff.CommitFirst {
				out[i].Transaction = diff.OutsideTransaction
			}
		}
	}
	return out
}

// Comment lines of the SQL plan. Tools that apply a plan look for
// outsideComment: a plan holding it runs statement by statement.
const (
	outsideComment     = "-- runs outside a transaction"
	commitFirstComment = "-- commits first: runs in a transaction of its own before the rest of the plan"
	restComment        = "-- the rest of the plan runs in one transaction"
)

// SQL writes the plan as an SQL script. Each statement is preceded by its
// hazards as comments ("-- HAZARD deletes-data: drops column ...") and, when
// it cannot run in the plan's transaction block, by "-- runs outside a
// transaction"; a statement that commits before the rest of the plan
// (diff.CommitFirst) carries that line too, then a second one saying so, and
// the first statement after them is preceded by "-- the rest of the plan
// runs in one transaction" unless a statement runs outside one. The statement itself is followed by ";\n". An
// empty plan writes nothing.
func SQL(w io.Writer, p Plan) error {
	var b strings.Builder
	stmts := p.Statements()
	oneTx := !slices.ContainsFunc(stmts, func(s diff.Statement) bool { return s.Transaction == diff.OutsideTransaction })
	prev := diff.InTransaction
	for _, s := range stmts {
		if oneTx && prev == diff.CommitFirst && s.Transaction != diff.CommitFirst {
			b.WriteString(restComment + "\n")
		}
		prev = s.Transaction
		for _, h := range s.Hazards {
			b.WriteString("-- ")
			b.WriteString(hazardText(h))
			b.WriteByte('\n')
		}
		switch s.Transaction {
		case diff.OutsideTransaction:
			b.WriteString(outsideComment + "\n")
		case diff.CommitFirst:
			b.WriteString(outsideComment + "\n" + commitFirstComment + "\n")
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
	SQL              string           `json:"sql"`
	Hazards          []diff.Hazard    `json:"hazards"`
	NonTransactional bool             `json:"non_transactional"`
	Transaction      diff.Transaction `json:"transaction"`
}

// JSON writes the plan as indented JSON:
//
//	{"changes": [{"op": ..., "object": {"kind", "schema", "name", "table", "args"},
//	  "statements": [{"sql", "hazards": [{"kind", "message"}], "non_transactional", "transaction"}]}]}
//
// "transaction" is "in-transaction", "outside-transaction" or "commit-first"
// (see diff.Transaction and Plan.Statements); "non_transactional" is true
// unless it is "in-transaction": a tool that runs such statements on their
// own, and then the plan statement by statement, applies it correctly.
// Every field is always present; lists are [] rather than null, so an empty
// plan is {"changes": []}.
func JSON(w io.Writer, p Plan) error {
	out := jsonPlan{Changes: make([]jsonChange, 0, len(p.Changes))}
	stmts := p.Statements()
	for _, c := range p.Changes {
		jc := jsonChange{
			Op: c.Op,
			Object: jsonObject{
				Kind:   c.Object.KindName(),
				Schema: c.Object.Schema,
				Name:   c.Object.Name,
				Table:  c.Object.Table,
				Args:   c.Object.Args,
			},
			Statements: make([]jsonStatement, 0, len(c.Statements)),
		}
		for range c.Statements {
			s := stmts[0]
			stmts = stmts[1:]
			hazards := s.Hazards
			if hazards == nil {
				hazards = []diff.Hazard{}
			}
			jc.Statements = append(jc.Statements, jsonStatement{
				SQL:              s.SQL,
				Hazards:          hazards,
				NonTransactional: s.Transaction != diff.InTransaction,
				Transaction:      s.Transaction,
			})
		}
		out.Changes = append(out.Changes, jc)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
