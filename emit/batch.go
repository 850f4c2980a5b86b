package emit

import (
	"fmt"
	"slices"

	"github.com/schemadiff/schemadiff/diff"
)

// TxMode says how the statements of a batch run.
type TxMode int

const (
	// InTransaction runs the batch's statements in one transaction, which
	// commits after the last of them.
	InTransaction TxMode = iota
	// Autocommit runs each statement of the batch on its own, committing as
	// it completes.
	Autocommit
)

func (m TxMode) String() string {
	switch m {
	case InTransaction:
		return "in one transaction"
	case Autocommit:
		return "in autocommit"
	}
	return fmt.Sprintf("TxMode(%d)", int(m))
}

// Batch is a run of statements applied the same way.
type Batch struct {
	Mode       TxMode
	Statements []diff.Statement
}

// Batches groups the plan's statements as the migration runner runs a
// migration: when a statement cannot run in a transaction block, every
// statement on its own; otherwise each leading diff.CommitFirst statement in
// a transaction of its own, then the rest in one transaction. It is the one
// place that decides how a plan is split into transactions; the migrate
// runner does the same with the steps of a generated file.
func (p Plan) Batches() []Batch {
	stmts := p.Statements()
	if len(stmts) == 0 {
		return nil
	}
	if slices.ContainsFunc(stmts, func(s diff.Statement) bool { return s.Transaction == diff.OutsideTransaction }) {
		return []Batch{{Mode: Autocommit, Statements: stmts}}
	}
	var out []Batch
	first := 0
	for first < len(stmts) && stmts[first].Transaction == diff.CommitFirst {
		out = append(out, Batch{Mode: InTransaction, Statements: stmts[first : first+1]})
		first++
	}
	if first < len(stmts) {
		out = append(out, Batch{Mode: InTransaction, Statements: stmts[first:]})
	}
	return out
}
