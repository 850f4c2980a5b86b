package migrate

import (
	"context"
	"time"
)

// Hooks are functions the Migrator calls around each migration it applies
// or rolls back, and around each of its steps, for tracing or metrics. Any
// of them may be nil. A Before hook returns the context the migration or
// step runs with (the one it was given, or one derived from it, e.g.
// carrying a tracing span); the matching After hook gets that context, the
// outcome (nil on success) and how long it took. A migration retried after
// a lock timeout is one BeforeMigration/AfterMigration pair around all its
// attempts, with a BeforeStatement/AfterStatement pair per step run.
// Hooks run on the Migrator's goroutine and must not use its connection.
type Hooks struct {
	BeforeMigration func(ctx context.Context, m MigrationInfo) context.Context
	AfterMigration  func(ctx context.Context, m MigrationInfo, err error, d time.Duration)
	BeforeStatement func(ctx context.Context, s StatementInfo) context.Context
	AfterStatement  func(ctx context.Context, s StatementInfo, err error, d time.Duration)
}

// MigrationInfo is the migration a hook is called around.
type MigrationInfo struct {
	Version, Name string
	// Down is set when the migration is rolled back.
	Down bool
}

// StatementInfo is the step a hook is called around.
type StatementInfo struct {
	Migration MigrationInfo
	// Step is the step's number, from 1, of Steps.
	Step, Steps int
	// SQL is the step's statement, "" for a Func step.
	SQL string
	// Func names a Func step's function, "" for a SQL step.
	Func string
	// NoTx is set when the step runs outside a transaction.
	NoTx bool
}

// aroundMigration calls BeforeMigration and returns the context to run
// with and the function that calls AfterMigration with the outcome.
func (h Hooks) aroundMigration(ctx context.Context, mi MigrationInfo) (context.Context, func(error)) {
	if h.BeforeMigration != nil {
		ctx = h.BeforeMigration(ctx, mi)
	}
	start := time.Now()
	return ctx, func(err error) {
		if h.AfterMigration != nil {
			h.AfterMigration(ctx, mi, err, time.Since(start))
		}
	}
}

// aroundStatement is aroundMigration for one step.
func (h Hooks) aroundStatement(ctx context.Context, si StatementInfo) (context.Context, func(error, time.Duration)) {
	if h.BeforeStatement != nil {
		ctx = h.BeforeStatement(ctx, si)
	}
	return ctx, func(err error, d time.Duration) {
		if h.AfterStatement != nil {
			h.AfterStatement(ctx, si, err, d)
		}
	}
}

// info describes the migration a runner runs.
func (r *runner) info() MigrationInfo {
	return MigrationInfo{Version: r.mig.Version, Name: r.mig.Name, Down: r.down}
}

// statementInfo describes step i (0-based) of the runner's migration.
func (r *runner) statementInfo(i int) StatementInfo {
	s := r.steps[i]
	si := StatementInfo{Migration: r.info(), Step: i + 1, Steps: len(r.steps), SQL: s.sql, NoTx: s.mode == noTx}
	if s.fn != nil {
		si.Func = funcName(s.fn)
	}
	return si
}
