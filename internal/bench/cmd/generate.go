package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/schemadiff/schemadiff/internal/bench"
)

// generateRun is the timed generate of one size: the one after
// e.cfg.migrations generates made the migrations directory it replays.
type generateRun struct {
	// migrations is how many migrations the directory held.
	migrations int
	// warm is the timed generate; priming the one before it.
	warm, priming timed
	// changes is how many changes the timed generate wrote.
	changes string
}

// measureGenerate builds a project in the module (migrations packages
// compile only inside it) and runs generate e.cfg.migrations+1 times, each
// after one more edit of the schema: the first writes the migration
// creating the base schema of syn, the next ones one small edit each
// (editSchema). The last one, whose caches the previous ones primed, is
// the one timed.
func (e *env) measureGenerate(ctx context.Context, syn bench.Synthetic) (*generateRun, error) {
	proj, err := os.MkdirTemp(e.moduleRoot, ".bench-generate-")
	if err != nil {
		return nil, fmt.Errorf("creating the generate project: %w", err)
	}
	defer os.RemoveAll(proj)
	schemaFile, migDir := filepath.Join(proj, "schema.sql"), filepath.Join(proj, "migrations")
	g := &generateRun{migrations: e.cfg.migrations}
	for k := 0; k <= e.cfg.migrations; k++ {
		if err := os.WriteFile(schemaFile, []byte(editSchema(syn, k)), 0o644); err != nil {
			return nil, err
		}
		label := fmt.Sprintf("schemadiff generate (%d migrations)", k)
		t, stderr, err := e.generate(ctx, schemaFile, migDir, fmt.Sprintf("edit_%02d", k), label)
		if err != nil {
			return nil, fmt.Errorf("generate %d of %d: %w", k+1, e.cfg.migrations+1, err)
		}
		switch k {
		case e.cfg.migrations - 1:
			g.priming = t
		case e.cfg.migrations:
			g.warm = t
			g.changes = wroteLine(stderr)
		}
	}
	return g, nil
}

// generate runs schemadiff generate, verified, with its phase times, and
// returns them with its stderr.
func (e *env) generate(ctx context.Context, schemaFile, migDir, name, label string) (timed, string, error) {
	args := []string{"generate", "--schema", schemaFile, "--dir", migDir, "--name", name, "--allow-hazards", "all"}
	if e.cfg.devURL != "" {
		args = append(args, "--dev-url", e.cfg.devURL)
	}
	cmd := exec.CommandContext(ctx, e.bin, args...)
	cmd.Dir = e.moduleRoot
	cmd.Env = append(os.Environ(), "SCHEMADIFF_TIMINGS=1")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	t, err := timeProcess(cmd, label)
	if err != nil {
		return t, "", fmt.Errorf("%w\n%s", err, stderr.String())
	}
	if strings.TrimSpace(stdout.String()) == "" {
		return t, "", fmt.Errorf("%s wrote no migration:\n%s", label, stderr.String())
	}
	t.phases = parsePhases(stderr.String())
	return t, stderr.String(), nil
}

// wroteLine returns generate's "wrote FILE: ..." line without the file.
func wroteLine(stderr string) string {
	for _, line := range strings.Split(stderr, "\n") {
		if rest, ok := strings.CutPrefix(line, "wrote "); ok {
			if i := strings.Index(rest, ": "); i >= 0 {
				return rest[i+2:]
			}
		}
	}
	return ""
}

// editSchema returns the base schema of syn after k small edits: edit j
// (1 <= j <= k) adds the column note_j to one table, spread over the
// schema.
func editSchema(syn bench.Synthetic, k int) string {
	s := syn.Base
	for j := 1; j <= k; j++ {
		table := fmt.Sprintf("t%05d", 1+(j*syn.N/11)%syn.N)
		s = addColumn(s, table, fmt.Sprintf("note_%d", j))
	}
	return s
}

// addColumn adds a text column after the qty column of table in schema.
func addColumn(schema, table, column string) string {
	const anchor = "    qty integer NOT NULL DEFAULT 0,\n"
	start := strings.Index(schema, "CREATE TABLE "+table+" (")
	i := -1
	if start >= 0 {
		i = strings.Index(schema[start:], anchor)
	}
	if i < 0 {
		panic("bench: no table " + table + " to edit")
	}
	at := start + i + len(anchor)
	return schema[:at] + "    " + column + " text,\n" + schema[at:]
}

// moduleRoot returns the directory of the main module's go.mod.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("finding the module (go env GOMOD): %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("go env GOMOD: not inside a module: run the benchmark from the schemadiff module")
	}
	return filepath.Dir(gomod), nil
}
