package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// MigrationState is one migration as the compiled runner's status reports
// it: its version, name and state (pending, applied, failed, dirty,
// running, modified or unknown; see migrate.MigrationStatus.State).
type MigrationState struct {
	Version string `json:"version"`
	Name    string `json:"name"`
	State   string `json:"state"`
}

// NotApplied reports whether the migration still has to be applied: it is
// pending, its last attempt failed, it is dirty, or it is running.
func (m MigrationState) NotApplied() bool {
	switch m.State {
	case "pending", "failed", "dirty", "running":
		return true
	}
	return false
}

// String is "<version> <name> (<state>)".
func (m MigrationState) String() string {
	return fmt.Sprintf("%s %s (%s)", m.Version, m.Name, m.State)
}

// MigrationStates reads the migration states as Runner.States does,
// without progress messages.
func MigrationStates(ctx context.Context, dir, url string) ([]MigrationState, error) {
	return Runner{}.States(ctx, dir, url)
}

// States compiles the migrations package in dir (or takes it from the
// cache) and runs its status command against the database at url, so that
// what is applied is read from the history table exactly as apply and
// status read it.
func (r Runner) States(ctx context.Context, dir, url string) ([]MigrationState, error) {
	var out, errOut bytes.Buffer
	args := []string{"status", "--format", "json", "--db", url}
	if r.HistoryTable != "" {
		args = append(args, "--table", r.HistoryTable)
	}
	code, err := r.Run(ctx, dir, args, &out, &errOut)
	if err != nil {
		return nil, fmt.Errorf("reading the migration status of the database: %w", err)
	}
	if code != 0 {
		return nil, fmt.Errorf("reading the migration status of the database: status exited %d: %s", code, strings.TrimSpace(errOut.String()))
	}
	var states []MigrationState
	if err := json.Unmarshal(out.Bytes(), &states); err != nil {
		return nil, fmt.Errorf("reading the migration status of the database: %w", err)
	}
	return states, nil
}
