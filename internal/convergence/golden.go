package convergence

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/google/go-cmp/cmp"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/emit"
	"github.com/schemadiff/schemadiff/internal/pipeline"
	"github.com/schemadiff/schemadiff/schema"
)

// GoldenFile is the name of the file, in a case's directory, that pins the
// plans of the case: for Up and Down, offline and online, whether the plan
// is empty, how it runs (one transaction, commit-first statements,
// statement by statement), what it rewrites or rebuilds, and every
// statement in order with its hazard kinds and transaction mode. Convergence
// only checks the end state; the golden file makes a change of the plan
// that reaches it (a new rewrite, a lost hazard, an index no longer built
// CONCURRENTLY online) show in a review.
const GoldenFile = "plan.golden"

// UpdateHint says how to accept changed plans.
const UpdateHint = "go test ./internal/convergence -run 'TestCases$' -update"

// ErrNoGolden is returned by CheckGolden for a case without a golden file.
var ErrNoGolden = errors.New("no " + GoldenFile)

// Plans records the plans of a case's steps, in both modes, so that they
// can be compared with the case's golden file. The zero value is ready to
// use; a nil *Plans records nothing.
type Plans struct {
	mu    sync.Mutex
	steps map[string]string
}

// goldenSections are the sections of a golden file, in order.
var goldenSections = []string{"up (offline)", "up (online)", "down (offline)", "down (online)"}

// record renders the plan a step made (plan, with opts) and the plan the
// other mode makes from the same catalogs. It plans once more with opts and
// fails when that gives another plan: golden files need deterministic plans.
func (p *Plans) record(step string, current, desired *schema.Catalog, opts diff.Options, plan emit.Plan) error {
	if p == nil {
		return nil
	}
	again, err := pipeline.PlanWith(current, desired, opts)
	if err != nil {
		return fmt.Errorf("planning again for the golden file: %w", err)
	}
	got, want := RenderPlan(plan), RenderPlan(again)
	if got != want {
		return fmt.Errorf("planning the same catalogs twice gave different plans (-first +second):\n%s", cmp.Diff(got, want))
	}
	other := opts
	other.Online = !opts.Online
	otherPlan, err := pipeline.PlanWith(current, desired, other)
	if err != nil {
		return fmt.Errorf("planning %s for the golden file: %w", modeName(other), err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.steps == nil {
		p.steps = map[string]string{}
	}
	p.steps[step+" ("+modeName(opts)+")"] = got
	p.steps[step+" ("+modeName(other)+")"] = RenderPlan(otherPlan)
	return nil
}

func modeName(opts diff.Options) string {
	if opts.Online {
		return "online"
	}
	return "offline"
}

// Text renders the recorded plans as the content of a golden file. An
// online plan equal to the offline one is written "same as offline".
func (p *Plans) Text() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	b.WriteString("# The plans of this case, compared by the convergence test. When a change\n")
	b.WriteString("# of the planner changes them on purpose, review the diff and rewrite with:\n")
	b.WriteString("#   " + UpdateHint + "\n")
	for _, sec := range goldenSections {
		text, ok := p.steps[sec]
		if !ok {
			continue
		}
		b.WriteString("\n== " + sec)
		step, mode, _ := strings.Cut(sec, " ")
		if mode == "(online)" && text == p.steps[step+" (offline)"] {
			b.WriteString(": same as offline\n")
			continue
		}
		b.WriteString(text)
	}
	return b.String()
}

// RenderPlan renders a plan for a golden file: ": empty", or a summary
// (statement count, how the plan runs, the objects whose statements rewrite
// a table, the tables dropped and created again) and then, change by
// change, each statement with its hazard kinds and, unless it runs in the
// plan's transaction, its transaction mode. It starts with the text that
// follows a section's title. Hazard messages are left out: they explain,
// the kinds are what a plan promises.
func RenderPlan(p emit.Plan) string {
	stmts := p.Statements()
	if len(stmts) == 0 {
		return ": empty\n"
	}
	var b strings.Builder
	b.WriteString("\n")
	fmt.Fprintf(&b, "statements: %d\n", len(stmts))
	b.WriteString("runs: " + runsText(p.Batches()) + "\n")
	b.WriteString("rewrites: " + listOrNone(rewrites(p.Changes)) + "\n")
	b.WriteString("rebuilds: " + listOrNone(rebuilds(p.Changes)) + "\n")
	for _, c := range p.Changes {
		if len(c.Statements) == 0 {
			continue
		}
		b.WriteString("\n-- " + string(c.Op) + " " + c.Object.String() + "\n")
		for range c.Statements {
			s := stmts[0]
			stmts = stmts[1:]
			if len(s.Hazards) > 0 {
				kinds := make([]string, len(s.Hazards))
				for i, h := range s.Hazards {
					kinds[i] = string(h.Kind)
				}
				b.WriteString("-- hazards: " + strings.Join(kinds, ", ") + "\n")
			}
			if s.Transaction != diff.InTransaction {
				b.WriteString("-- " + s.Transaction.String() + "\n")
			}
			b.WriteString(s.SQL + ";\n")
		}
	}
	return b.String()
}

// runsText says how the batches of a plan run.
func runsText(batches []emit.Batch) string {
	if len(batches) == 1 && batches[0].Mode == emit.Autocommit {
		return "statement by statement (a statement cannot run in a transaction block)"
	}
	first := 0
	for _, b := range batches {
		if len(b.Statements) == 1 && b.Statements[0].Transaction == diff.CommitFirst {
			first++
		}
	}
	switch first {
	case 0:
		return "in one transaction"
	case len(batches):
		return fmt.Sprintf("%d commit-first statements, each in a transaction of its own", first)
	}
	return fmt.Sprintf("%d commit-first statements, each in a transaction of its own, then the rest in one transaction", first)
}

// rewrites lists, once each, the objects of the changes with a statement
// that carries a rewrites-table hazard.
func rewrites(changes []diff.Change) []string {
	var out []string
	for _, c := range changes {
		if slices.ContainsFunc(c.Statements, func(s diff.Statement) bool {
			return slices.ContainsFunc(s.Hazards, func(h diff.Hazard) bool { return h.Kind == diff.HazardRewritesTable })
		}) {
			out = append(out, c.Object.String())
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// rebuilds lists the tables that the plan both drops and creates: tables
// rebuilt (to reach a column order or a partitioning) or created again.
func rebuilds(changes []diff.Change) []string {
	ops := map[schema.ID][]diff.Op{}
	for _, c := range changes {
		if c.Object.Kind == schema.KindTable {
			ops[c.Object] = append(ops[c.Object], c.Op)
		}
	}
	var out []string
	for id, o := range ops {
		if slices.Contains(o, diff.OpDrop) && slices.Contains(o, diff.OpCreate) {
			out = append(out, id.String())
		}
	}
	slices.Sort(out)
	return out
}

func listOrNone(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	return strings.Join(items, ", ")
}

// CheckGolden compares got, the text of a case's plans, with the golden
// file in dir; with update it writes got there instead. It returns
// ErrNoGolden (wrapped) when the file does not exist, and an error holding
// a line diff when it differs.
func CheckGolden(dir, got string, update bool) error {
	path := filepath.Join(dir, GoldenFile)
	if update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			return fmt.Errorf("writing the golden plans: %w", err)
		}
		return nil
	}
	want, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w in %s: write it with %s", ErrNoGolden, dir, UpdateHint)
	}
	if err != nil {
		return fmt.Errorf("reading the golden plans: %w", err)
	}
	if string(want) != got {
		return fmt.Errorf("the plans differ from %s (-golden +got):\n%s\nif the change is intended, rewrite it with %s",
			path, cmp.Diff(string(want), got), UpdateHint)
	}
	return nil
}
