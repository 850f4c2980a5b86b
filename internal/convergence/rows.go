package convergence

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/schemadiff/schemadiff/internal/pipeline"
)

// Rows is the row check of a case with data.sql, for tests that apply the
// plans their own way (the command's tests apply generated migrations with
// the runner): Snapshot before Up, then CheckUp after Up and CheckDown after
// Down, with the same rules as Run.
type Rows struct {
	dir   string
	files *dataFiles
	snap  *dataSnapshot
}

// ReadRows reads the data files of the case in dir; it returns nil when
// the case has no data.sql.
func ReadRows(dir string) (*Rows, error) {
	f, err := readDataFiles(dir)
	if err != nil || f == nil {
		return nil, err
	}
	return &Rows{dir: dir, files: f}, nil
}

// Data returns data.sql, to load after from.sql.
func (r *Rows) Data() string { return string(r.files.data) }

// NoDown returns why Down cannot keep the rows (the case's no-down-data),
// or "" when CheckDown applies.
func (r *Rows) NoDown() string { return r.files.noDown }

// Snapshot reads the rows of work, a database holding from.sql and
// data.sql, for the tables and columns that survive into wantTo, a fresh
// build of to.sql, following the rename hints of to.sql.
func (r *Rows) Snapshot(ctx context.Context, work, wantTo string) error {
	_, renames, err := pipeline.ReadSchema(filepath.Join(r.dir, "to.sql"))
	if err != nil {
		return fmt.Errorf("reading to.sql: %w", err)
	}
	snap, err := takeSnapshot(ctx, work, wantTo, renames)
	if err != nil {
		return err
	}
	if r.files.check == nil && len(snap.pairs) == 0 {
		return fmt.Errorf("no table of from.sql is kept in to.sql: give the case a %s", CheckFile)
	}
	r.snap = snap
	return nil
}

// CheckUp checks work after Up: check.sql's output against expected.txt
// when the case has one, otherwise the snapshot's rows; sequences always.
func (r *Rows) CheckUp(ctx context.Context, work string) error {
	if r.snap == nil {
		return errors.New("no snapshot taken before Up")
	}
	return checkUpData(ctx, work, r.snap, r.files)
}

// CheckDown checks that work, after Down, holds the snapshot's rows again
// and its sequences are still ahead.
func (r *Rows) CheckDown(ctx context.Context, work string) error {
	if r.snap == nil {
		return errors.New("no snapshot taken before Up")
	}
	return r.snap.compare(ctx, work, fromState, checkRows)
}
