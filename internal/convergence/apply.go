package convergence

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/emit"
)

// TxMode says how the statements of a batch are run.
type TxMode int

const (
	// InTransaction runs the batch's statements in one transaction, which
	// commits after the last of them.
	InTransaction TxMode = iota
	// Autocommit runs each statement of the batch on its own, committing
	// as it completes.
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

// Batches groups a plan's statements as the migration runner (migrate, and
// the acceptance scripts) runs a migration: all of them in one transaction,
// unless some statement cannot run in a transaction block, in which case
// every statement runs on its own. This is the one place that decides how
// a plan is split into transactions.
func Batches(p emit.Plan) []Batch {
	var all []diff.Statement
	mode := InTransaction
	for _, c := range p.Changes {
		for _, s := range c.Statements {
			if s.NonTransactional {
				mode = Autocommit
			}
			all = append(all, s)
		}
	}
	if len(all) == 0 {
		return nil
	}
	return []Batch{{Mode: mode, Statements: all}}
}

// Apply applies a plan to the database at url as the migration runner
// applies a migration (see Batches). A failure names the statement and how
// it was run.
func Apply(ctx context.Context, url string, p emit.Plan) error {
	conn, err := pgconn.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("connecting to apply the plan: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	for _, b := range Batches(p) {
		if err := applyBatch(ctx, conn, b); err != nil {
			return err
		}
	}
	return nil
}

func applyBatch(ctx context.Context, conn *pgconn.PgConn, b Batch) error {
	if b.Mode == Autocommit {
		for _, s := range b.Statements {
			if _, err := conn.Exec(ctx, s.SQL).ReadAll(); err != nil {
				return fmt.Errorf("applying %s: %s: %w", b.Mode, strings.TrimSpace(s.SQL), err)
			}
		}
		return nil
	}
	if _, err := conn.Exec(ctx, "BEGIN").ReadAll(); err != nil {
		return fmt.Errorf("starting the plan's transaction: %w", err)
	}
	for _, s := range b.Statements {
		if _, err := conn.Exec(ctx, s.SQL).ReadAll(); err != nil {
			conn.Exec(context.WithoutCancel(ctx), "ROLLBACK").ReadAll() //nolint:errcheck // failure path
			return fmt.Errorf("applying %s: %s: %w", b.Mode, strings.TrimSpace(s.SQL), err)
		}
	}
	if _, err := conn.Exec(ctx, "COMMIT").ReadAll(); err != nil {
		return fmt.Errorf("committing the plan's transaction: %w", err)
	}
	return nil
}
