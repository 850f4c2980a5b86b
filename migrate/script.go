package migrate

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// Script is the SQL of a range of migrations in one direction, for people
// who review migrations or apply them by hand: `schemadiff sql` and the
// runner's sql command write it with WriteScript.
type Script struct {
	// Down is true for the Down steps, newest migration first.
	Down bool `json:"down"`
	// From and To are the range's ends as given ("" for the start or the
	// newest migration).
	From string `json:"from"`
	To   string `json:"to"`
	// HistoryTable is the history table, quoted, that the script records
	// each migration in, as the runner would.
	HistoryTable string `json:"history_table"`
	// Migrations are in the order they run.
	Migrations []ScriptMigration `json:"migrations"`
}

// ScriptMigration is one migration of a Script.
type ScriptMigration struct {
	Version  string `json:"version"`
	Name     string `json:"name"`
	Checksum string `json:"checksum"`
	// NoTx is true when the migration runs without a transaction (it has
	// a step made with SQLNoTx).
	NoTx  bool         `json:"no_transaction"`
	Steps []ScriptStep `json:"steps"`
}

// StepKind says how a step of a Script runs.
type StepKind string

// The kinds of steps.
const (
	StepInTx        StepKind = "transaction"    // in the migration's transaction
	StepCommitFirst StepKind = "commit-first"   // in a transaction of its own, committed first
	StepNoTx        StepKind = "no-transaction" // outside any transaction
)

// ScriptStep is one step of a ScriptMigration.
type ScriptStep struct {
	// SQL is the step's SQL, "" for a Go step.
	SQL string `json:"sql,omitempty"`
	// Func names the Go function of a Go step, whose code the script
	// cannot show.
	Func string   `json:"func,omitempty"`
	Kind StepKind `json:"kind"`
	// Hazards are the hazards noted beside the step in its migration file
	// ("deletes-data: drops table public.orders and all its rows").
	Hazards []string `json:"hazards,omitempty"`
}

// scriptRange returns the migrations of set between from and to: with
// down false those after from up to and including to, oldest first; with
// down true the same range, newest first, which reverts the database from
// to (default: the newest) back to from (default: before the first). An
// end that is no migration's version is an error.
func scriptRange(set *Set, from, to string, down bool) ([]Migration, error) {
	for _, v := range []struct{ flag, version string }{{"--from", from}, {"--to", to}} {
		if _, ok := set.Lookup(v.version); v.version != "" && !ok {
			return nil, fmt.Errorf("%s %s: no migration has that version", v.flag, v.version)
		}
	}
	if from != "" && to != "" && from >= to {
		return nil, fmt.Errorf("--from %s is not older than --to %s: the range holds the migrations after --from up to and including --to", from, to)
	}
	var out []Migration
	for _, m := range set.Migrations() {
		if (from == "" || m.Version > from) && (to == "" || m.Version <= to) {
			out = append(out, m)
		}
	}
	if down {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out, nil
}

// NewScript returns the Script of set's migrations between from and to
// (see the sql command), recording them in the history table table (""
// for DefaultTable).
func NewScript(set *Set, from, to string, down bool, table string) (*Script, error) {
	history, _, err := tableIdents(table)
	if err != nil {
		return nil, err
	}
	migs, err := scriptRange(set, from, to, down)
	if err != nil {
		return nil, err
	}
	sc := &Script{Down: down, From: from, To: to, HistoryTable: history, Migrations: []ScriptMigration{}}
	for _, m := range migs {
		steps := m.Up
		if down {
			steps = m.Down
		}
		sm := ScriptMigration{Version: m.Version, Name: m.Name, Checksum: m.Checksum(), NoTx: needsNoTx(steps),
			Steps: make([]ScriptStep, len(steps))}
		for i, s := range steps {
			st := ScriptStep{SQL: s.sql, Kind: StepInTx}
			if s.fn != nil {
				st.SQL, st.Func = "", funcName(s.fn)
			}
			switch {
			case sm.NoTx:
				st.Kind = StepNoTx
			case s.mode == commitFirst:
				st.Kind = StepCommitFirst
			}
			sm.Steps[i] = st
		}
		sc.Migrations = append(sc.Migrations, sm)
	}
	return sc, nil
}

// WriteJSON writes the script as JSON, which `schemadiff sql` reads.
func (sc *Script) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sc)
}

// WriteSQL writes the script as SQL: each migration with its transaction
// boundaries (BEGIN and COMMIT, or a comment where statements run outside
// any transaction), its hazards as comments, its Go steps named in
// comments, and the statements that record it in the history table.
func (sc *Script) WriteSQL(w io.Writer) error {
	var b strings.Builder
	dir := "Up"
	if sc.Down {
		dir = "Down"
	}
	fmt.Fprintf(&b, "-- %s of %d migration(s)%s, as schemadiff's runner runs them.\n", dir, len(sc.Migrations), sc.rangeText())
	if n := sc.goSteps(); n > 0 {
		fmt.Fprintf(&b, "-- WARNING: %d step(s) are Go functions, whose code is not shown here: run them another way (schemadiff apply runs them).\n", n)
	}
	if !sc.Down && len(sc.Migrations) > 0 {
		b.WriteString("\n-- the history table, as the runner creates it\n")
		fmt.Fprintf(&b, createHistorySQL+";\n", sc.HistoryTable)
	}
	for _, m := range sc.Migrations {
		b.WriteString("\n")
		sc.writeMigration(&b, m)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// rangeText describes the script's range for its header.
func (sc *Script) rangeText() string {
	var parts []string
	if sc.From != "" {
		parts = append(parts, "from "+sc.From)
	}
	if sc.To != "" {
		parts = append(parts, "to "+sc.To)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, " ") + ")"
}

// goSteps counts the Go steps of the script.
func (sc *Script) goSteps() int {
	n := 0
	for _, m := range sc.Migrations {
		for _, s := range m.Steps {
			if s.Func != "" {
				n++
			}
		}
	}
	return n
}

// writeMigration writes one migration with its transaction boundaries.
func (sc *Script) writeMigration(b *strings.Builder, m ScriptMigration) {
	label := m.Version
	if m.Name != "" {
		label += " " + m.Name
	}
	dir := "Up"
	if sc.Down {
		dir = "Down"
	}
	fmt.Fprintf(b, "-- migration %s: %s, %d step(s)\n", label, dir, len(m.Steps))
	if m.NoTx {
		b.WriteString("-- runs WITHOUT a transaction: each statement commits on its own, and a failure leaves the migration partly applied\n")
	}
	inTx := false
	for i, s := range m.Steps {
		switch {
		case s.Kind == StepCommitFirst:
			b.WriteString("BEGIN;\n")
			writeStep(b, i, len(m.Steps), s, "in a transaction of its own, committed before the rest; safe to run again")
			b.WriteString("COMMIT;\n")
			continue
		case s.Kind == StepInTx && !inTx:
			b.WriteString("BEGIN;\n")
			inTx = true
		}
		writeStep(b, i, len(m.Steps), s, "")
	}
	if !m.NoTx && !inTx {
		b.WriteString("BEGIN;\n")
		inTx = true
	}
	sc.writeHistory(b, m)
	if inTx {
		b.WriteString("COMMIT;\n")
	}
}

// writeStep writes one step: its hazards, and its SQL or the name of its
// Go function.
func writeStep(b *strings.Builder, i, n int, s ScriptStep, how string) {
	for _, h := range s.Hazards {
		fmt.Fprintf(b, "-- HAZARD %s\n", h)
	}
	if how != "" {
		how = ", " + how
	}
	if s.Func != "" {
		fmt.Fprintf(b, "-- step %d of %d: Go function %s%s: its code is not shown and does not run here\n", i+1, n, s.Func, how)
		return
	}
	if how != "" || s.Kind == StepNoTx {
		if s.Kind == StepNoTx {
			how = ", outside any transaction"
		}
		fmt.Fprintf(b, "-- step %d of %d%s\n", i+1, n, how)
	}
	sql := strings.TrimSpace(s.SQL)
	if !strings.HasSuffix(sql, ";") {
		sql += ";"
	}
	b.WriteString(sql + "\n")
}

// writeHistory writes the statement that records the migration in the
// history table (Up) or removes it (Down), as the runner does.
func (sc *Script) writeHistory(b *strings.Builder, m ScriptMigration) {
	if sc.Down {
		fmt.Fprintf(b, "DELETE FROM %s WHERE version = %s;\n", sc.HistoryTable, schema.Literal(m.Version))
		return
	}
	fmt.Fprintf(b, "INSERT INTO %s (version, name, duration_ms, checksum) VALUES (%s, %s, 0, %s);\n",
		sc.HistoryTable, schema.Literal(m.Version), schema.Literal(m.Name), schema.Literal(m.Checksum))
}

// printScript is the sql command: it writes the script of c's range as SQL
// or JSON.
func printScript(set *Set, c command, stdout io.Writer) error {
	sc, err := NewScript(set, c.from, c.to, c.down, c.table)
	if err != nil {
		return err
	}
	if c.format == "json" {
		err = sc.WriteJSON(stdout)
	} else {
		err = sc.WriteSQL(stdout)
	}
	if err != nil {
		return fmt.Errorf("writing the SQL: %w", err)
	}
	return nil
}
