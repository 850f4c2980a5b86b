package migrate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"text/tabwriter"
	"time"
)

// AppliedBySetting names the environment variable whose value the runner
// records as who applied a migration (e.g. a CI job's name); without it,
// the runner records the operating system's user and host.
const AppliedBySetting = "SCHEMADIFF_APPLIED_BY"

// appliedBy is who Main records as applying migrations:
// $SCHEMADIFF_APPLIED_BY, else user@host of the process.
func appliedBy(getenv func(string) string) string {
	if v := getenv(AppliedBySetting); v != "" {
		return v
	}
	name := getenv("USER")
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	host, _ := os.Hostname()
	switch {
	case name != "" && host != "":
		return name + "@" + host
	case name != "":
		return name
	}
	return "" // the database role is recorded instead
}

// AppliedMigration is a row of the history table.
type AppliedMigration struct {
	Version   string
	Name      string
	AppliedAt time.Time
	Duration  time.Duration
	// AppliedBy is who applied it, "" when not recorded (a history table
	// from before the column, or a row written by hand).
	AppliedBy string
	// Known reports whether the migration is in the set.
	Known bool
}

// History returns the applied migrations, oldest first, reading without
// the lock and creating nothing.
func (m *Migrator) History(ctx context.Context) ([]AppliedMigration, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	rows, err := m.readHistory(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]AppliedMigration, len(rows))
	for i, h := range rows {
		_, known := m.set.Lookup(h.version)
		out[i] = AppliedMigration{Version: h.version, Name: h.name, AppliedAt: h.appliedAt, Duration: h.duration,
			AppliedBy: h.appliedBy, Known: known}
	}
	return out, nil
}

// Redo rolls back the last applied migration and applies it again, for
// development: after editing a migration that is applied to a local
// database. Each half holds the lock and runs as Rollback and Apply do; if
// the apply fails, the migration stays rolled back.
func (m *Migrator) Redo(ctx context.Context) (Migration, error) {
	reverted, err := m.Rollback(ctx, 1)
	if err != nil {
		return Migration{}, fmt.Errorf("redo: %w", err)
	}
	if len(reverted) != 1 {
		return Migration{}, errors.New("redo: no migration is applied")
	}
	mig := reverted[0]
	if _, err := m.Apply(ctx, mig.Version); err != nil {
		return mig, fmt.Errorf("redo: %s was rolled back, then applying it again failed: %w", mig, err)
	}
	return mig, nil
}

// historyJSON is the JSON form of an AppliedMigration.
type historyJSON struct {
	Version    string    `json:"version"`
	Name       string    `json:"name"`
	AppliedAt  time.Time `json:"applied_at"`
	DurationMS int64     `json:"duration_ms"`
	AppliedBy  *string   `json:"applied_by"`
	Known      bool      `json:"known"`
}

// printHistory writes the applied migrations as a table or as JSON.
func printHistory(w io.Writer, applied []AppliedMigration, format string) error {
	if format == "json" {
		out := make([]historyJSON, len(applied))
		for i, a := range applied {
			out[i] = historyJSON{Version: a.Version, Name: a.Name, AppliedAt: a.AppliedAt.UTC(),
				DurationMS: a.Duration.Milliseconds(), Known: a.Known}
			if a.AppliedBy != "" {
				out[i].AppliedBy = &applied[i].AppliedBy
			}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tNAME\tAPPLIED AT\tDURATION\tAPPLIED BY")
	for _, a := range applied {
		by := a.AppliedBy
		if by == "" {
			by = "-"
		}
		name := a.Name
		if !a.Known {
			name += " (not in this program)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.Version, name, a.AppliedAt.UTC().Format("2006-01-02 15:04:05 MST"),
			roundDuration(a.Duration), by)
	}
	return tw.Flush()
}
