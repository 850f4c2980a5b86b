package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/schemadiff/schemadiff/internal/pipeline"
	"github.com/schemadiff/schemadiff/internal/project"
)

// fleetOptions are the flags of apply and status that shape a run on many
// databases.
type fleetOptions struct {
	// parallel is --parallel: how many databases are worked on at once.
	parallel int
	// continueOnError is --continue-on-error: go on starting databases
	// after one failed.
	continueOnError bool
}

// defaultParallel is --parallel's default.
const defaultParallel = 4

// addFleetFlags adds --parallel, and for apply --continue-on-error, to a
// command that can run on many databases.
func (o *options) addFleetFlags(cmd *cobra.Command) {
	cmd.Flags().IntVar(&o.fleetOpts.parallel, "parallel", defaultParallel,
		"with --all-targets or a target listing several databases: how many databases to work on at once")
	if cmd.Name() == "apply" {
		cmd.Flags().BoolVar(&o.fleetOpts.continueOnError, "continue-on-error", false,
			"with --all-targets or a target listing several databases: go on with the other databases after one failed (by default no new one is started)")
	}
}

// targetOutcome is what became of one database of a fleet.
type targetOutcome int

const (
	outcomeNotStarted targetOutcome = iota // stopped before it started
	outcomeOK
	outcomeFailed
)

// targetResult is the result of a command on one database of a fleet.
type targetResult struct {
	db      project.Database
	outcome targetOutcome
	code    int
	err     error
	// applied counts the migrations apply applied.
	applied  int
	duration time.Duration
	// stdout is what the runner printed on stdout, for status.
	stdout bytes.Buffer
}

// resultText says what happened on the database, for the summary.
func (r *targetResult) resultText() string {
	switch {
	case r.outcome == outcomeNotStarted:
		return "not started"
	case r.outcome == outcomeOK:
		return "ok"
	case r.err != nil:
		return "error"
	case r.code == exitDrift:
		return "failed"
	}
	return "error (exit " + strconv.Itoa(r.code) + ")"
}

// fleetRun runs the compiled runner on each database of a fleet, at most
// parallel at once, prefixing each line the runner prints with the
// database's label.
type fleetRun struct {
	runner   *pipeline.CompiledRunner
	args     func(url string) []string
	opts     fleetOptions
	out      *lockedWriter
	captured bool // keep stdout in the result instead of printing it
}

// run works on every database and returns their results in the order
// given. Unless continueOnError, a database that fails stops new ones from
// starting; those already running finish.
func (f *fleetRun) run(ctx context.Context, dbs []project.Database) []*targetResult {
	results := make([]*targetResult, len(dbs))
	for i, db := range dbs {
		results[i] = &targetResult{db: db}
	}
	parallel := max(f.opts.parallel, 1)
	var stop atomic.Bool
	next := make(chan *targetResult)
	var wg sync.WaitGroup
	for range min(parallel, len(dbs)) {
		wg.Go(func() {
			for r := range next {
				if stop.Load() || ctx.Err() != nil {
					continue
				}
				f.runOne(ctx, r)
				if r.outcome == outcomeFailed && !f.opts.continueOnError && stop.CompareAndSwap(false, true) {
					f.out.line(r.db.Label, "failed: no further database is started (--continue-on-error goes on)")
				}
			}
		})
	}
	for _, r := range results {
		next <- r
	}
	close(next)
	wg.Wait()
	return results
}

// appliedLine is the runner's last line after apply.
var appliedLine = regexp.MustCompile(`^applied (\d+) migrations?$`)

// runOne runs the runner on one database.
func (f *fleetRun) runOne(ctx context.Context, r *targetResult) {
	label := r.db.Label
	f.out.line(label, "started")
	stderr := f.out.prefixed(label, func(line string) {
		if m := appliedLine.FindStringSubmatch(line); m != nil {
			r.applied, _ = strconv.Atoi(m[1])
		}
	})
	var stdout io.Writer = &r.stdout
	if !f.captured {
		stdout = f.out.prefixed(label, nil)
	}
	start := time.Now()
	r.code, r.err = f.runner.Run(ctx, f.args(r.db.URL), stdout, stderr)
	r.duration = time.Since(start)
	if w, ok := stdout.(*prefixWriter); ok {
		w.flush()
	}
	stderr.flush()
	r.outcome = outcomeOK
	switch {
	case r.err != nil:
		r.outcome = outcomeFailed
		f.out.line(label, "error: "+r.err.Error())
	case r.code != 0 && !(f.captured && r.code == 3):
		r.outcome = outcomeFailed
	}
	f.out.line(label, fmt.Sprintf("%s (exit %d) in %s", r.resultText(), r.code, r.duration.Round(time.Millisecond)))
}

// lockedWriter serialises whole lines from several databases' runners.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// line writes one line for the database labelled label.
func (l *lockedWriter) line(label, text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "[%s] %s\n", label, text)
}

// prefixed returns a writer that writes each complete line to l prefixed
// with the label, calling seen (when not nil) with each line first.
func (l *lockedWriter) prefixed(label string, seen func(string)) *prefixWriter {
	return &prefixWriter{out: l, label: label, seen: seen}
}

// prefixWriter is one runner's output, written line by line.
type prefixWriter struct {
	out   *lockedWriter
	label string
	seen  func(string)
	buf   []byte
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.buf = append(p.buf, b...)
	for {
		i := bytes.IndexByte(p.buf, '\n')
		if i < 0 {
			return len(b), nil
		}
		p.emit(string(p.buf[:i]))
		p.buf = p.buf[i+1:]
	}
}

func (p *prefixWriter) emit(line string) {
	if p.seen != nil {
		p.seen(line)
	}
	p.out.line(p.label, line)
}

// flush writes a last line without a newline.
func (p *prefixWriter) flush() {
	if len(p.buf) > 0 {
		p.emit(string(p.buf))
		p.buf = nil
	}
}

// runFleet runs apply or status on every database of the fleet with the
// runner compiled once, then prints a summary. apply exits 1 when any
// database failed; status as a single status does, over all databases.
func (o *options) runFleet(ctx context.Context, cmd *cobra.Command, dir string, runnerArgs func(string) []string) error {
	dbs := o.project.fleet
	if o.fleetOpts.parallel < 1 {
		return withCode(exitError, fmt.Errorf("--parallel must be at least 1, not %d", o.fleetOpts.parallel))
	}
	runner, err := o.runner().Compile(ctx, dir)
	if err != nil {
		return withCode(exitError, err)
	}
	defer runner.Close()
	status := cmd.Name() == "status"
	f := &fleetRun{runner: runner, args: runnerArgs, opts: o.fleetOpts, out: &lockedWriter{w: o.stderr}, captured: status}
	if status {
		// status only reads: a database that needs attention is no reason
		// to leave the others unread.
		f.args = func(url string) []string { return withJSONFormat(runnerArgs(url)) }
		f.opts.continueOnError = true
	}
	fmt.Fprintf(o.stderr, "%s on %d databases, %d at a time\n", cmd.Name(), len(dbs), max(o.fleetOpts.parallel, 1))
	o.logf("databases: %s", targetLabels(dbs))
	start := time.Now()
	results := f.run(ctx, dbs)
	elapsed := time.Since(start)
	if status {
		return o.fleetStatus(cmd, results)
	}
	if err := writeApplySummary(o.stdout, results); err != nil {
		return withCode(exitError, fmt.Errorf("writing the summary: %w", err))
	}
	return fleetExit(o, results, elapsed)
}

// withJSONFormat replaces a --format in a status command line with
// --format=json, which the fleet summary reads.
func withJSONFormat(args []string) []string {
	out := make([]string, 0, len(args)+1)
	for _, a := range args {
		if !strings.HasPrefix(a, "--format=") {
			out = append(out, a)
		}
	}
	return append(out, "--format=json")
}

// writeApplySummary writes the table of what apply did on each database.
func writeApplySummary(w io.Writer, results []*targetResult) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TARGET\tRESULT\tAPPLIED\tDURATION")
	for _, r := range results {
		dur := "-"
		if r.outcome != outcomeNotStarted {
			dur = r.duration.Round(time.Millisecond).String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", r.db.Label, r.resultText(), r.applied, dur)
	}
	return tw.Flush()
}

// fleetExit reports the fleet's outcome on stderr and returns exit 1 when
// any database failed or was not started.
func fleetExit(o *options, results []*targetResult, elapsed time.Duration) error {
	counts := map[targetOutcome]int{}
	for _, r := range results {
		counts[r.outcome]++
	}
	fmt.Fprintf(o.stderr, "%d of %d databases ok, %d failed, %d not started, in %s\n",
		counts[outcomeOK], len(results), counts[outcomeFailed], counts[outcomeNotStarted], elapsed.Round(time.Millisecond))
	if counts[outcomeFailed] > 0 || counts[outcomeNotStarted] > 0 {
		return withCode(exitDrift, nil)
	}
	return nil
}

// statusRow is the part of the runner's status --format json that the
// fleet summary reads.
type statusRow struct {
	Version string `json:"version"`
	Name    string `json:"name"`
	State   string `json:"state"`
	Applied bool   `json:"applied"`
}

// fleetPosition is where one database of a fleet stands.
type fleetPosition struct {
	Target   string      `json:"target"`
	ExitCode int         `json:"exit_code"`
	Error    string      `json:"error,omitempty"`
	Status   []statusRow `json:"migrations"`
}

// fleetStatus prints each database's position: as a table, or with
// --format json as a list of the runner's status per database. It exits
// 1 when a database needs attention or could not be read, else 3 when
// --fail-on-pending and some are pending, else 0.
func (o *options) fleetStatus(cmd *cobra.Command, results []*targetResult) error {
	positions := make([]fleetPosition, len(results))
	worst := exitOK
	for i, r := range results {
		p := fleetPosition{Target: r.db.Label, ExitCode: r.code}
		switch {
		case r.err != nil:
			p.Error = r.err.Error()
		case r.outcome == outcomeNotStarted:
			p.Error = "not started"
		default:
			if err := json.Unmarshal(r.stdout.Bytes(), &p.Status); err != nil && r.stdout.Len() > 0 {
				p.Error = fmt.Sprintf("reading its status: %v", err)
			}
		}
		if p.Error != "" && p.ExitCode == 0 {
			p.ExitCode = exitError
		}
		positions[i] = p
		worst = worseStatusCode(worst, p.ExitCode)
	}
	if fl := cmd.Flags().Lookup("format"); fl != nil && fl.Value.String() == "json" {
		enc := json.NewEncoder(o.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(positions); err != nil {
			return withCode(exitError, err)
		}
	} else if err := writePositions(o.stdout, positions); err != nil {
		return withCode(exitError, fmt.Errorf("writing the summary: %w", err))
	}
	if worst != exitOK {
		return withCode(worst, nil)
	}
	return nil
}

// worseStatusCode combines two status exit codes: 1 (attention) and 2
// (error) count as 1 for a fleet, and win over 3 (pending).
func worseStatusCode(a, b int) int {
	switch {
	case a == exitDrift || b == exitDrift || a == exitError || b == exitError:
		return exitDrift
	case a == 3 || b == 3:
		return 3
	}
	return exitOK
}

// writePositions writes the table of where each database stands.
func writePositions(w io.Writer, positions []fleetPosition) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TARGET\tAPPLIED\tPENDING\tLATEST APPLIED\tATTENTION")
	for _, p := range positions {
		if p.Error != "" {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t%s\n", p.Target, p.Error)
			continue
		}
		applied, pending, latest := 0, 0, "-"
		var attention []string
		for _, s := range p.Status {
			if s.State == "pending" || s.State == "failed" {
				pending++ // as status counts them: a failed migration is not applied
			}
			if s.State != "applied" && s.State != "pending" {
				attention = append(attention, s.Version+" "+s.State)
			}
			if s.Applied {
				applied++
				latest = s.Version
			}
		}
		att := "-"
		if len(attention) > 0 {
			att = strings.Join(attention, ", ")
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\n", p.Target, applied, pending, latest, att)
	}
	return tw.Flush()
}
