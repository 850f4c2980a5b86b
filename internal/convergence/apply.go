package convergence

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemadiff/schemadiff/emit"
)

// Apply applies a plan to the database at url as the migration runner
// applies a migration (see emit.Plan.Batches). A failure names the statement and how
// it was run.
func Apply(ctx context.Context, url string, p emit.Plan) error {
	conn, err := pgconn.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("connecting to apply the plan: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	for _, b := range p.Batches() {
		if err := applyBatch(ctx, conn, b); err != nil {
			return err
		}
	}
	return nil
}

func applyBatch(ctx context.Context, conn *pgconn.PgConn, b emit.Batch) error {
	if b.Mode == emit.Autocommit {
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
