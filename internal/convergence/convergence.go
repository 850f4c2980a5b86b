// Package convergence checks schemadiff's core promise on one case of two
// schemas, from.sql and to.sql, against a real server: applying the plan
// from→to to a database holding from yields a database equal to a fresh
// build of to (by catalog and by pg_dump, privileges included), planning
// again is empty, and the Down plan brings it back to from. Plans are
// applied as the migration runner applies a migration (see emit.Plan.Batches).
//
// A case with rows (data.sql, loaded after from.sql) also checks that no
// plan loses, resets or silently changes them: after Up, check.sql's output
// must equal expected.txt, or else every table kept keeps its rows and the
// values of its kept columns, and serial and identity sequences stay ahead
// of their columns; after Down, the same holds against the rows before Up
// unless the case has a no-down-data file saying why it cannot.
package convergence

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/emit"
	"github.com/schemadiff/schemadiff/internal/pgparse"
	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/pipeline"
	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/schema"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// Case is one pair of schemas.
type Case struct {
	Name string
	Dir  string
	// DBSQL runs in every database the case creates, before anything else
	// (peer harness SQL; "{db}" is replaced with the database name).
	DBSQL []string
	// NoDown skips the Down stage.
	NoDown bool
	// Options are the diff options plans are made with.
	Options diff.Options
	// Plans, when not nil, records the plans of both steps in both modes
	// (see GoldenFile).
	Plans *Plans
}

// StageError tells which stage of a case failed.
type StageError struct {
	Stage string
	Err   error
}

func (e *StageError) Error() string { return e.Stage + ": " + e.Err.Error() }
func (e *StageError) Unwrap() error { return e.Err }

func stageErr(stage string, err error) error { return &StageError{Stage: stage, Err: err} }

// Run checks one case as the command line would plan it: the databases
// standing for the target (from, and fresh builds of from and to to compare
// with) are created on target, the desired state is loaded on scratch as a
// role named like the target's user after the target's roles are copied
// there. target and scratch may be the same.
func Run(ctx context.Context, target, scratch *pgserver.Scratch, c Case) error {
	from, err := os.ReadFile(filepath.Join(c.Dir, "from.sql"))
	if err != nil {
		return stageErr("setup", err)
	}
	to, err := os.ReadFile(filepath.Join(c.Dir, "to.sql"))
	if err != nil {
		return stageErr("setup", err)
	}
	newDB := func(sql []byte) (string, error) {
		url, err := target.NewDatabase(ctx)
		if err != nil {
			return "", err
		}
		if err := execScript(ctx, url, c.DBSQL, sql); err != nil {
			return url, err
		}
		return url, nil
	}
	data, err := readDataFiles(c.Dir)
	if err != nil {
		return stageErr("setup", err)
	}
	work, err := newDB(from)
	if err != nil {
		return stageErr("setup from.sql", err)
	}
	defer target.DropDatabase(context.WithoutCancel(ctx), work) //nolint:errcheck
	if data != nil {
		if err := execScript(ctx, work, nil, data.data); err != nil {
			return stageErr("setup "+DataFile, err)
		}
	}
	wantTo, err := newDB(to)
	if err != nil {
		return stageErr("setup to.sql", err)
	}
	defer target.DropDatabase(context.WithoutCancel(ctx), wantTo) //nolint:errcheck

	toStmts, renames, err := pipeline.ReadSchema(filepath.Join(c.Dir, "to.sql"))
	if err != nil {
		return stageErr("read to.sql", err)
	}
	up, down := c, c
	up.Options.Renames = renames
	down.Options.Renames = diff.ReverseRenames(renames)
	var snap *dataSnapshot
	if data != nil {
		if snap, err = takeSnapshot(ctx, work, wantTo, renames); err != nil {
			return stageErr("snapshot rows", err)
		}
		if data.check == nil && len(snap.pairs) == 0 {
			return stageErr("snapshot rows", fmt.Errorf("no table of from.sql is kept in to.sql: give the case a %s", CheckFile))
		}
	}
	err = step(ctx, scratch, work, toStmts, wantTo, up, "up")
	if data != nil && applied(err) {
		// The rows are checked even when the schema came out wrong: both
		// are reported.
		if derr := checkUpData(ctx, work, snap, data); derr != nil {
			err = errors.Join(err, stageErr("data up", derr))
		}
	}
	if err != nil {
		return err
	}
	if c.NoDown {
		return nil
	}
	wantFrom, err := newDB(from)
	if err != nil {
		return stageErr("setup from.sql", err)
	}
	defer target.DropDatabase(context.WithoutCancel(ctx), wantFrom) //nolint:errcheck
	fromStmts, _, err := pipeline.ReadSchema(filepath.Join(c.Dir, "from.sql"))
	if err != nil {
		return stageErr("read from.sql", err)
	}
	err = step(ctx, scratch, work, fromStmts, wantFrom, down, "down")
	if data != nil && data.noDown == "" && applied(err) {
		// Down must bring back the rows as they were before Up, wherever
		// they could survive: the tables and columns of all three states.
		if derr := snap.compare(ctx, work, fromState, checkRows); derr != nil {
			err = errors.Join(err, stageErr("data down",
				fmt.Errorf("%w\n(if Down cannot keep these rows, say why in %s)", derr, NoDownDataFile)))
		}
	}
	return err
}

// applied reports whether a step's plan was applied: the step succeeded or
// failed only in comparing the result.
func applied(err error) bool {
	if err == nil {
		return true
	}
	var se *StageError
	return errors.As(err, &se) && (strings.HasPrefix(se.Stage, "compare ") || strings.HasPrefix(se.Stage, "replan "))
}

// checkUpData checks the work database's rows after Up: with check.sql by
// its output, otherwise against the snapshot; sequences always.
func checkUpData(ctx context.Context, work string, snap *dataSnapshot, data *dataFiles) error {
	if data.check == nil {
		return snap.compare(ctx, work, toState, checkRows)
	}
	if err := runCheck(ctx, work, data); err != nil {
		return err
	}
	return snap.compare(ctx, work, toState, sequencesOnly)
}

// step plans work → desired (loaded from stmts), applies the plan, compares
// work with want, and checks that planning again is empty.
func step(ctx context.Context, scratch *pgserver.Scratch, work string, stmts []sqlfile.Statement, want string, c Case, name string) error {
	current, err := pipeline.InspectURL(ctx, work, introspect.Options{})
	if err != nil {
		return stageErr("inspect "+name, err)
	}
	desired, err := loadDesired(ctx, scratch, work, current.CurrentUser, stmts, c.DBSQL)
	if err != nil {
		return stageErr("load desired "+name, err)
	}
	plan, err := pipeline.PlanWith(current, desired, c.Options)
	if err != nil {
		return stageErr("plan "+name, err)
	}
	if err := c.Plans.record(name, current, desired, c.Options, plan); err != nil {
		return stageErr("plan "+name, err)
	}
	if err := Apply(ctx, work, plan); err != nil {
		return stageErr("apply "+name, err)
	}
	got, err := pipeline.InspectURL(ctx, work, introspect.Options{})
	if err != nil {
		return stageErr("inspect "+name, err)
	}
	wantCat, err := pipeline.InspectURL(ctx, want, introspect.Options{})
	if err != nil {
		return stageErr("inspect "+name, err)
	}
	if d := cmp.Diff(wantCat, got); d != "" {
		return stageErr("compare "+name, fmt.Errorf("catalog differs from a fresh build (-want +got):\n%s", d))
	}
	if err := compareDumps(ctx, want, work); err != nil {
		return stageErr("compare "+name, err)
	}
	again, err := pipeline.PlanWith(got, desired, c.Options)
	if err != nil {
		return stageErr("replan "+name, err)
	}
	if len(again.Changes) > 0 {
		var buf bytes.Buffer
		emit.SQL(&buf, again) //nolint:errcheck // bytes.Buffer
		return stageErr("replan "+name, fmt.Errorf("planning again is not empty:\n%s", buf.String()))
	}
	return nil
}

// loadDesired loads the desired state as the command line does for a
// target at work read as role: the target's roles are created on scratch
// first, and stmts load as a role named role.
func loadDesired(ctx context.Context, scratch *pgserver.Scratch, work, role string, stmts []sqlfile.Statement, dbSQL []string) (*schema.Catalog, error) {
	roles, err := pipeline.Roles(ctx, work)
	if err != nil {
		return nil, err
	}
	if err := scratch.EnsureRoles(ctx, roles); err != nil {
		return nil, err
	}
	if len(dbSQL) == 0 {
		return pipeline.LoadDesiredAs(ctx, scratch, role, stmts, introspect.Options{})
	}
	// The harness SQL (e.g. extensions a case assumes) is part of the
	// desired state too.
	pre := make([]sqlfile.Statement, 0, len(dbSQL)+len(stmts))
	for _, s := range dbSQL {
		pre = append(pre, sqlfile.Statement{SQL: strings.ReplaceAll(s, "{db}", "current_database()"), File: "harness"})
	}
	return pipeline.LoadDesiredAs(ctx, scratch, role, append(pre, stmts...), introspect.Options{})
}

// execScript runs pre (harness statements) and then every statement of a
// script on its own, in autocommit mode.
func execScript(ctx context.Context, url string, pre []string, script []byte) error {
	conn, err := pgconn.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	for _, s := range pre {
		if _, err := conn.Exec(ctx, strings.ReplaceAll(s, "{db}", "current_database()")).ReadAll(); err != nil {
			return fmt.Errorf("harness %q: %w", s, err)
		}
	}
	stmts, err := pgparse.Split(string(script))
	if err != nil {
		return fmt.Errorf("splitting script: %w", err)
	}
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s).ReadAll(); err != nil {
			return fmt.Errorf("%s: %w", strings.TrimSpace(s), err)
		}
	}
	return nil
}

// compareDumps compares pg_dump --schema-only of two databases, privileges
// included (but not owners).
func compareDumps(ctx context.Context, want, got string) error {
	w, err := dump(ctx, want)
	if err != nil {
		return err
	}
	g, err := dump(ctx, got)
	if err != nil {
		return err
	}
	if w != g {
		return fmt.Errorf("pg_dump --schema-only differs from a fresh build (-want +got):\n%s", cmp.Diff(w, g))
	}
	return nil
}

func dump(ctx context.Context, url string) (string, error) {
	bin, err := pgserver.FindBinDir()
	if err != nil {
		return "", err
	}
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "pg_dump"), "--schema-only", "--no-owner", "-d", url)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("pg_dump: %w: %s", err, errOut.String())
	}
	var lines []string
	for _, l := range strings.Split(out.String(), "\n") {
		if l == "" || strings.HasPrefix(l, "--") || strings.HasPrefix(l, "SET ") ||
			strings.HasPrefix(l, "SELECT pg_catalog.set_config") || strings.HasPrefix(l, `\restrict`) || strings.HasPrefix(l, `\unrestrict`) {
			continue
		}
		lines = append(lines, l)
	}
	return strings.Join(sortACLs(lines), "\n"), nil
}

// sortACLs sorts each run of consecutive GRANT and REVOKE lines: the order
// of an object's ACL entries is not significant.
func sortACLs(lines []string) []string {
	isACL := func(l string) bool { return strings.HasPrefix(l, "GRANT ") || strings.HasPrefix(l, "REVOKE ") }
	for i := 0; i < len(lines); {
		if !isACL(lines[i]) {
			i++
			continue
		}
		j := i
		for j < len(lines) && isACL(lines[j]) {
			j++
		}
		slices.Sort(lines[i:j])
		i = j
	}
	return lines
}

// PeerMeta is the part of a peer case's meta.json the runner uses.
type PeerMeta struct {
	ValidPG15     bool            `json:"valid_pg15"`
	ExpectedError json.RawMessage `json:"expected_error"`
	Harness       struct {
		GlobalSQL []string `json:"global_sql"`
		DBSQL     []struct {
			SQL string `json:"sql"`
			As  string `json:"as"`
		} `json:"db_sql"`
		ApplyAs *string `json:"apply_as"`
	} `json:"harness"`
}

// ReadPeerMeta reads a peer case's meta.json.
func ReadPeerMeta(dir string) (*PeerMeta, error) {
	b, err := os.ReadFile(filepath.Join(dir, "meta.json"))
	if err != nil {
		return nil, err
	}
	var m PeerMeta
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("parsing %s/meta.json: %w", dir, err)
	}
	return &m, nil
}

// Skip reports why a peer case is not run, or "".
func (m *PeerMeta) Skip() string {
	switch {
	case !m.ValidPG15:
		return "invalid on PostgreSQL 15"
	case m.Harness.ApplyAs != nil && *m.Harness.ApplyAs != "":
		return "applied as another user"
	case len(m.ExpectedError) > 0 && string(m.ExpectedError) != "null":
		return "peer expects an error"
	}
	for _, d := range m.Harness.DBSQL {
		if d.As != "" {
			return "applied as another user"
		}
	}
	return ""
}
