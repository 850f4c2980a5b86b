package schemadiff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/emit"
	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/pipeline"
	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/schema"
)

// Options say what to plan from and to.
type Options struct {
	// Target is the URL of the database the plan starts from (its current
	// state).
	Target string
	// Schema names the desired state: .sql or .go files, or directories of
	// them; several are merged into one desired state.
	Schema []string
	// DevURL, when set, is a PostgreSQL server for the scratch database
	// (one is created and dropped there) instead of an embedded server.
	DevURL string
	// Online avoids long locks on existing tables: CREATE/DROP INDEX
	// CONCURRENTLY (outside a transaction), foreign keys and checks added
	// NOT VALID then validated, SET NOT NULL through a validated check.
	Online bool
	// Filter says which objects are managed: schema and table patterns,
	// privileges, and the migration history table left out of both states.
	Filter introspect.Options
	// AllowEmpty accepts a desired state that defines no object (the plan
	// then drops every object it manages); without it that is an error.
	AllowEmpty bool
	// Logf, when set, receives progress messages.
	Logf func(format string, args ...any)
}

// PlanResult is a plan from the target's state to the desired one.
type PlanResult struct {
	// Changes are the typed changes in the order they run.
	Changes []diff.Change
	// Warnings are what the user should know about the inputs: objects
	// left unmanaged, data statements that only ran in the scratch
	// database, Go files without tables, ...
	Warnings []string
}

// Empty reports whether the plan changes nothing (the states are in sync).
func (r *PlanResult) Empty() bool { return len(r.Changes) == 0 }

// Statements returns the plan's statements in run order, with the
// transaction mode each runs in.
func (r *PlanResult) Statements() []diff.Statement { return r.plan().Statements() }

// WriteSQL writes the plan as SQL, with its hazards as comments, as
// "schemadiff plan" prints it.
func (r *PlanResult) WriteSQL(w io.Writer) error { return emit.SQL(w, r.plan()) }

// WriteJSON writes the plan as JSON, as "schemadiff plan --format json"
// prints it.
func (r *PlanResult) WriteJSON(w io.Writer) error { return emit.JSON(w, r.plan()) }

func (r *PlanResult) plan() emit.Plan { return emit.Plan{Changes: r.Changes} }

// Plan returns the changes that bring the database at o.Target to the
// schema in o.Schema.
func Plan(ctx context.Context, o Options) (*PlanResult, error) {
	if o.Target == "" {
		return nil, errors.New("no target database: set Options.Target")
	}
	st, err := loadStates(ctx, o)
	if err != nil {
		return nil, err
	}
	p, err := pipeline.PlanWithContext(ctx, st.current, st.desired, diff.Options{Online: o.Online, Renames: st.renames})
	if err != nil {
		return nil, fmt.Errorf("planning: %w", err)
	}
	return &PlanResult{Changes: p.Changes, Warnings: st.warnings}, nil
}

// Check reports whether the database at o.Target differs from the schema
// in o.Schema (drift), with the plan that would remove the difference.
func Check(ctx context.Context, o Options) (drift bool, plan *PlanResult, err error) {
	plan, err = Plan(ctx, o)
	if err != nil {
		return false, nil, err
	}
	return !plan.Empty(), plan, nil
}

// Inspect returns the schema of the database at url as SQL, as "schemadiff
// inspect" prints it, with warnings about the objects it leaves out.
func Inspect(ctx context.Context, url string, filter introspect.Options) (sql string, warnings []string, err error) {
	cat, err := pipeline.InspectURL(ctx, url, filter)
	if err != nil {
		return "", nil, fmt.Errorf("reading the database: %w", err)
	}
	p, err := pipeline.Plan(pipeline.Baseline(cat), cat)
	if err != nil {
		return "", nil, fmt.Errorf("rendering the schema: %w", err)
	}
	for i := range p.Changes {
		for j := range p.Changes[i].Statements {
			p.Changes[i].Statements[j].Hazards = nil // they mean nothing in a dump
		}
	}
	var buf bytes.Buffer
	if err := emit.SQL(&buf, p); err != nil {
		return "", nil, err
	}
	return buf.String(), pipeline.UnsupportedNotes(cat), nil
}

// states are both sides of a comparison.
type states struct {
	current, desired *schema.Catalog
	renames          []schema.Rename
	warnings         []string
}

// loadStates reads the desired state from o.Schema, through a scratch
// database, and the current one from o.Target, as the plan command does.
func loadStates(ctx context.Context, o Options) (*states, error) {
	if len(o.Schema) == 0 || slices.Contains(o.Schema, "") {
		return nil, errors.New("no desired schema: set Options.Schema to .sql or .go files or directories")
	}
	src, err := pipeline.ReadSource(o.Schema...)
	if err != nil {
		return nil, err
	}
	st := &states{renames: src.Renames}
	if err := st.checkEmpty(src.CheckStatements(), o.AllowEmpty); err != nil {
		return nil, err
	}
	for _, g := range src.GoFilesWithoutTables() {
		if len(g.Structs) > 0 || g.ParseErr != nil {
			st.warnings = append(st.warnings, g.Describe())
		}
	}
	if note := pipeline.DataStatementsNote(src.Statements); note != "" {
		st.warnings = append(st.warnings, note)
	}
	if st.current, err = pipeline.InspectURL(ctx, o.Target, o.Filter); err != nil {
		return nil, fmt.Errorf("reading the database: %w", err)
	}
	// The scratch server needs the roles the schema may grant to.
	roles, err := pipeline.Roles(ctx, o.Target)
	if err != nil {
		return nil, fmt.Errorf("reading the database: %w", err)
	}
	scratch, server, err := openScratch(ctx, o)
	if err != nil {
		return nil, err
	}
	defer func() {
		scratch.Close() //nolint:errcheck // cleanup
		st.warnings = append(st.warnings, server.list()...)
	}()
	if err := scratch.EnsureRoles(ctx, roles); err != nil {
		return nil, err
	}
	if st.desired, err = pipeline.LoadDesiredAs(ctx, scratch, st.current.CurrentUser, src.Statements, o.Filter); err != nil {
		return nil, fmt.Errorf("loading the desired schema: %w", err)
	}
	if err := pipeline.CheckDesiredSupported(st.desired, src.Statements); err != nil {
		return nil, err
	}
	if err := st.checkEmpty(src.CheckCatalog(st.desired, o.Filter), o.AllowEmpty); err != nil {
		return nil, err
	}
	st.warnings = append(st.warnings, pipeline.UnsupportedNotes(st.current, st.desired)...)
	st.warnings = append(st.warnings, diff.Warnings(st.current, st.desired)...)
	return st, nil
}

// checkEmpty returns err, unless it is a *pipeline.EmptyError and empty
// desired states are allowed: that is a warning, given once.
func (st *states) checkEmpty(err error, allow bool) error {
	var empty *pipeline.EmptyError
	if err == nil || !allow || !errors.As(err, &empty) {
		return err
	}
	const note = "the desired schema defines no object (allowed by Options.AllowEmpty): the plan drops every object schemadiff manages"
	if !slices.Contains(st.warnings, note) {
		st.warnings = append(st.warnings, note)
	}
	return nil
}

// notes collects warnings that may come from several goroutines.
type notes struct {
	mu  sync.Mutex
	all []string
}

func (n *notes) add(format string, args ...any) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.all = append(n.all, fmt.Sprintf(format, args...))
}

func (n *notes) list() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return slices.Clone(n.all)
}

// openScratch opens the scratch database server: the one at o.DevURL, or
// an embedded one. Its warnings go to the returned notes.
func openScratch(ctx context.Context, o Options) (*pgserver.Scratch, *notes, error) {
	n := &notes{}
	s, err := pgserver.OpenScratch(ctx, o.DevURL, pgserver.Options{Logf: o.Logf, Warnf: n.add})
	if err != nil {
		return nil, nil, fmt.Errorf("starting scratch database: %w", err)
	}
	return s, n, nil
}
