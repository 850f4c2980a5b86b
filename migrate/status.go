package migrate

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// MigrationStatus describes one migration known to the set or recorded in
// the history or failures table.
type MigrationStatus struct {
	Version string
	Name    string
	// Applied is true when the history table records the migration.
	Applied bool
	// AppliedAt and Duration come from the history table; zero if pending.
	AppliedAt time.Time
	Duration  time.Duration
	// Unknown is true for a recorded version that is not in the set.
	Unknown bool
	// Modified is true when the migration's Up steps changed after it was
	// applied (their checksum differs from the recorded one).
	Modified bool
	// Failure is the last failed attempt to apply the migration (or to roll
	// it back, if it is applied); nil if there is none. A dirty failure is
	// reported whatever the migration's state.
	Failure *Failure
	// Running is true when a runner is applying or rolling back the
	// migration without a transaction right now.
	Running bool
}

// State returns "pending", "applied", "modified", "unknown", "failed" (the
// last attempt to apply a pending migration failed), "dirty" (a migration
// without a transaction failed or was interrupted partway) or "running".
func (s MigrationStatus) State() string {
	switch {
	case s.Running:
		return "running"
	case s.Failure != nil && s.Failure.Dirty:
		return "dirty"
	case s.Unknown:
		return "unknown"
	case s.Modified:
		return "modified"
	case s.Applied:
		return "applied"
	case s.Failure != nil:
		return "failed"
	}
	return "pending"
}

// Status returns every migration in the set or in the history table, and
// every dirty one, sorted by version. It reads without taking the lock and
// does not create the history table.
func (m *Migrator) Status(ctx context.Context) ([]MigrationStatus, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	history, err := m.readHistory(ctx)
	if err != nil {
		return nil, err
	}
	failures, err := m.readFailures(ctx)
	if err != nil {
		return nil, err
	}
	holder := 0
	if len(failures) > 0 {
		holder, _ = m.lockHolder(ctx)
	}
	// attach adds the failure of st's version, if it still matters.
	attach := func(st *MigrationStatus) {
		f := failures[st.Version]
		if f == nil {
			return
		}
		delete(failures, st.Version)
		if !f.Dirty && f.Down != st.Applied {
			return // stale: the migration succeeded some other way since
		}
		st.Failure = f
		st.Running = f.Interrupted && holder != 0 && holder == f.PID
	}
	byVer := map[string]historyRow{}
	for _, h := range history {
		byVer[h.version] = h
	}
	var out []MigrationStatus
	for _, mig := range m.set.Migrations() {
		st := MigrationStatus{Version: mig.Version, Name: mig.Name}
		if h, ok := byVer[mig.Version]; ok {
			st.Applied, st.AppliedAt, st.Duration = true, h.appliedAt, h.duration
			st.Modified = h.checksum != mig.Checksum()
			delete(byVer, mig.Version)
		}
		attach(&st)
		out = append(out, st)
	}
	for _, h := range history {
		if _, ok := byVer[h.version]; ok {
			st := MigrationStatus{Version: h.version, Name: h.name, Applied: true,
				AppliedAt: h.appliedAt, Duration: h.duration, Unknown: true}
			attach(&st)
			out = append(out, st)
		}
	}
	for _, f := range failures {
		if f.Dirty {
			st := MigrationStatus{Version: f.Version, Name: f.Name, Unknown: true}
			attach(&st)
			out = append(out, st)
		}
	}
	slices.SortFunc(out, func(a, b MigrationStatus) int { return strings.Compare(a.Version, b.Version) })
	return out, nil
}

// statusJSON is the JSON form of a MigrationStatus.
type statusJSON struct {
	Version    string       `json:"version"`
	Name       string       `json:"name"`
	State      string       `json:"state"`
	Applied    bool         `json:"applied"`
	AppliedAt  *time.Time   `json:"applied_at"`
	DurationMS *int64       `json:"duration_ms"`
	Failure    *failureJSON `json:"failure,omitempty"`
}

// failureJSON is the JSON form of a Failure.
type failureJSON struct {
	Direction   string    `json:"direction"`
	FailedAt    time.Time `json:"failed_at"`
	Step        int       `json:"step"`
	Steps       int       `json:"steps"`
	Statement   string    `json:"statement"`
	Error       string    `json:"error"`
	Interrupted bool      `json:"interrupted"`
	Dirty       bool      `json:"dirty"`
}

// printStatus writes the status table (or JSON) to stdout, followed in
// text form by the details of each failed or dirty migration, and warnings
// and a summary to stderr.
func printStatus(stdout, stderr io.Writer, st []MigrationStatus, format string) error {
	counts := map[string]int{}
	for _, s := range st {
		counts[s.State()]++
		switch s.State() {
		case "modified":
			fmt.Fprintf(stderr, "warning: migration %s %s was modified after it was applied\n", s.Version, s.Name)
		case "unknown":
			fmt.Fprintf(stderr, "warning: migration %s %s is recorded in the database but not in this program\n", s.Version, s.Name)
		}
	}
	if format == "json" {
		out := make([]statusJSON, 0, len(st))
		for _, s := range st {
			j := statusJSON{Version: s.Version, Name: s.Name, State: s.State(), Applied: s.Applied}
			if s.Applied {
				at, ms := s.AppliedAt.UTC(), s.Duration.Milliseconds()
				j.AppliedAt, j.DurationMS = &at, &ms
			}
			if f := s.Failure; f != nil {
				j.Failure = &failureJSON{Direction: f.direction(), FailedAt: f.At.UTC(), Step: f.Step, Steps: f.Steps,
					Statement: f.Statement, Error: f.Error, Interrupted: f.Interrupted, Dirty: f.Dirty}
			}
			out = append(out, j)
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tNAME\tSTATE\tAPPLIED AT")
	for _, s := range st {
		at := "-"
		if s.Applied {
			at = s.AppliedAt.UTC().Format("2006-01-02 15:04:05 MST")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Version, s.Name, s.State(), at)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range st {
		switch {
		case s.Failure == nil:
		case s.Running:
			fmt.Fprintf(stdout, "\nmigration %s is running step %d of %d (started %s): %s\n", s.Failure.label(), s.Failure.Step,
				s.Failure.Steps, s.Failure.At.UTC().Format("2006-01-02 15:04:05 MST"), shorten(s.Failure.Statement, maxSQLInError))
		case s.Failure.Dirty:
			fmt.Fprintf(stdout, "\n%s\n", s.Failure.Guidance())
		default:
			fmt.Fprintf(stdout, "\nmigration %s failed: %s\n", s.Failure.label(), s.Failure.Summary())
		}
	}
	summary := fmt.Sprintf("%s, %d pending", plural(len(st)), counts["pending"]+counts["failed"])
	for _, state := range []string{"failed", "dirty", "modified", "unknown", "running"} {
		if counts[state] > 0 {
			summary += fmt.Sprintf(", %d %s", counts[state], state)
		}
	}
	fmt.Fprintln(stderr, summary)
	return nil
}

// NeedsAttention reports whether the migration is in a state someone must
// look at: failed, dirty, modified after it was applied, or unknown
// (recorded in the database but not in the set).
func (s MigrationStatus) NeedsAttention() bool {
	switch s.State() {
	case "failed", "dirty", "modified", "unknown":
		return true
	}
	return false
}

// statusExit returns status's exit code: ExitMigrationFailed when a
// migration needs attention, else ExitPending when failOnPending is set and
// a migration is pending (or running), else ExitOK. A non-zero code is
// explained on stderr.
func statusExit(stderr io.Writer, st []MigrationStatus, failOnPending bool) int {
	var attention, pending []string
	for _, s := range st {
		switch {
		case s.NeedsAttention():
			attention = append(attention, s.Version+" ("+s.State()+")")
		case s.State() == "pending" || s.State() == "running":
			pending = append(pending, s.Version)
		}
	}
	switch {
	case len(attention) > 0:
		fmt.Fprintf(stderr, "needs attention: %s\n", strings.Join(attention, ", "))
		return ExitMigrationFailed
	case failOnPending && len(pending) > 0:
		fmt.Fprintf(stderr, "not applied yet: %s\n", strings.Join(pending, ", "))
		return ExitPending
	}
	return ExitOK
}
