// Command cmd times `schemadiff plan` (the real binary) on generated
// schemas of N tables against pg_dump --schema-only and psql on the same
// server in the same run:
//
//	go run ./internal/bench/cmd -n 100,1000,5000,10000
//
// For each N it generates a schema (see bench.Generate), loads it with
// psql as the current database, and times pg_dump --schema-only of it,
// psql loading the desired schema into an empty database, and schemadiff
// plan from the current database to one desired schema file four times:
// cold (the first plan of that file), warm (right after one of its tables
// was edited), warm with nothing edited, and with the kept desired state
// turned off (SCHEMADIFF_WARM=off). It reports each plan's peak RSS and the phases the binary
// prints with SCHEMADIFF_TIMINGS=1, and times psqldef, atlas and
// pg-schema-diff too when they are on PATH.
//
// In the same run it times `schemadiff generate` with a migrations
// directory, verified (the default), as a developer runs it: in a project
// inside the module (migrations packages compile only there), generate
// runs -migrations+1 times, each after one more edit of the schema file.
// The first writes the migration creating the base schema, each next one
// adds a column to another table; the last one, timed, replays the
// -migrations migrations the others wrote (its caches primed by them:
// the kept cluster, the kept desired state, the cached replay states and
// runners). Its row in the table has the same columns as plan's, and its
// phases (SCHEMADIFF_TIMINGS=1: the stages of the replay, introspect
// current, load desired, introspect desired, diff, the stages of the
// verification) are printed beside those of the generate before it.
// Phases that run in the background (replay: compile runner, verify: copy
// replay state, verify: compare) overlap others; "wait for" phases are the
// part of them on the critical path. -migrations 0 leaves generate out.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/schemadiff/schemadiff/internal/bench"
	"github.com/schemadiff/schemadiff/internal/pgserver"
)

func main() {
	sizes := flag.String("n", "100,1000", "comma-separated table counts")
	bin := flag.String("bin", "", "schemadiff binary to time (default: build ./cmd/schemadiff)")
	server := flag.String("server", "", "URL of a PostgreSQL server whose user may create databases, for the current and reference databases (default: start an embedded one)")
	devURL := flag.String("dev-url", "", "passed to schemadiff plan as --dev-url (default: plan starts its embedded scratch server)")
	keep := flag.String("keep", "", "write the generated schemas to this directory and keep them")
	migrations := flag.Int("migrations", 10, "time generate with a migrations directory of this many migrations, made by generate itself (0: do not)")
	flag.Parse()
	cfg := config{sizes: *sizes, bin: *bin, server: *server, devURL: *devURL, keep: *keep, migrations: *migrations}
	if err := run(context.Background(), cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
}

type config struct {
	sizes, bin, server, devURL, keep string
	// migrations is how many migrations the timed generate replays; 0
	// leaves generate out.
	migrations int
}

// env is what every measurement needs.
type env struct {
	cfg     config
	bin     string // schemadiff
	pgBin   string // directory of pg_dump and psql
	scratch *pgserver.Scratch
	work    string
	// moduleRoot is the module's directory, where the generate project
	// goes.
	moduleRoot string
}

func run(ctx context.Context, cfg config, out io.Writer) error {
	ns, err := parseSizes(cfg.sizes)
	if err != nil {
		return err
	}
	work := cfg.keep
	if work == "" {
		if work, err = os.MkdirTemp("", "schemadiff-bench-"); err != nil {
			return err
		}
		defer os.RemoveAll(work)
	}
	e := &env{cfg: cfg, work: work}
	if e.bin, err = schemadiffBinary(ctx, cfg.bin, work); err != nil {
		return err
	}
	if cfg.migrations < 0 {
		return fmt.Errorf("-migrations %d: want 0 or more", cfg.migrations)
	}
	if cfg.migrations > 0 {
		if e.moduleRoot, err = moduleRoot(ctx); err != nil {
			return err
		}
	}
	if e.pgBin, err = pgserver.FindBinDir(); err != nil {
		return fmt.Errorf("finding pg_dump and psql: %w", err)
	}
	if e.scratch, err = pgserver.OpenScratch(ctx, cfg.server, pgserver.Options{}); err != nil {
		return fmt.Errorf("starting the server for the benchmark databases: %w", err)
	}
	defer e.scratch.Close() //nolint:errcheck // cleanup
	fmt.Fprintf(out, "schemadiff plan against pg_dump --schema-only and psql, same server, same run (%s)\n", time.Now().UTC().Format(time.RFC3339))
	for _, n := range ns {
		r, err := e.measure(ctx, n)
		if err != nil {
			return fmt.Errorf("n=%d: %w", n, err)
		}
		r.print(out)
	}
	return nil
}

func parseSizes(s string) ([]int, error) {
	var ns []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-n %q: want comma-separated table counts of at least 1", s)
		}
		ns = append(ns, n)
	}
	return ns, nil
}

// schemadiffBinary returns bin, or builds the command into work.
func schemadiffBinary(ctx context.Context, bin, work string) (string, error) {
	if bin != "" {
		return filepath.Abs(bin)
	}
	bin = filepath.Join(work, "schemadiff")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/schemadiff/schemadiff/cmd/schemadiff").CombinedOutput(); err != nil {
		return "", fmt.Errorf("building schemadiff: %w\n%s", err, out)
	}
	return bin, nil
}

// timed is one measured process.
type timed struct {
	label  string
	took   time.Duration
	maxRSS int64 // KiB, 0 when unknown
	phases []phaseTime
}

type phaseTime struct {
	name string
	took time.Duration
}

// result holds the measurements of one size.
type result struct {
	syn                      bench.Synthetic
	pgDump, psql, cold, warm timed
	// unchanged is a warm plan with nothing edited since the last one;
	// off is a plan with the kept desired state turned off.
	unchanged, off           timed
	planChanges, warmChanges int
	// others are the other tools found on PATH; notes say which were
	// not found or failed.
	others []timed
	notes  []string
	// generate is the timed generate with a migrations directory, nil
	// when left out.
	generate *generateRun
}

func (e *env) measure(ctx context.Context, n int) (*result, error) {
	r := &result{syn: bench.Generate(n)}
	dir := filepath.Join(e.work, fmt.Sprintf("n%d", n))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	base, desired, edited := filepath.Join(dir, "base.sql"), filepath.Join(dir, "desired.sql"), filepath.Join(dir, "desired_edited.sql")
	for path, content := range map[string]string{base: r.syn.Base, desired: r.syn.Desired, edited: bench.EditOneTable(r.syn.Desired)} {
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			return nil, err
		}
	}
	// The plans read one schema file, edited between them as a developer
	// would: the kept desired state belongs to its path.
	schemaFile := filepath.Join(dir, "schema.sql")
	current, err := e.scratch.NewDatabase(ctx)
	if err != nil {
		return nil, fmt.Errorf("creating the current database: %w", err)
	}
	if _, err := e.psqlFile(ctx, current, base); err != nil {
		return nil, fmt.Errorf("loading the current schema: %w", err)
	}
	empty, err := e.scratch.NewDatabase(ctx)
	if err != nil {
		return nil, fmt.Errorf("creating the reference database: %w", err)
	}
	if r.psql, err = e.psqlFile(ctx, empty, desired); err != nil {
		return nil, fmt.Errorf("loading the desired schema with psql: %w", err)
	}
	dump := exec.CommandContext(ctx, filepath.Join(e.pgBin, "pg_dump"), "--schema-only", "-f", filepath.Join(dir, "dump.sql"), "-d", current)
	if r.pgDump, err = timeProcess(dump, "pg_dump --schema-only"); err != nil {
		return nil, err
	}
	if err := copyFile(desired, schemaFile); err != nil {
		return nil, err
	}
	if r.cold, r.planChanges, err = e.plan(ctx, current, schemaFile, "schemadiff plan (cold)", false); err != nil {
		return nil, err
	}
	if err := copyFile(edited, schemaFile); err != nil {
		return nil, err
	}
	if r.warm, r.warmChanges, err = e.plan(ctx, current, schemaFile, "schemadiff plan (warm, 1 table edited)", false); err != nil {
		return nil, err
	}
	if r.unchanged, _, err = e.plan(ctx, current, schemaFile, "schemadiff plan (warm, nothing edited)", false); err != nil {
		return nil, err
	}
	if r.off, _, err = e.plan(ctx, current, schemaFile, "schemadiff plan (SCHEMADIFF_WARM=off)", true); err != nil {
		return nil, err
	}
	e.otherTools(ctx, r, current, desired)
	if e.cfg.migrations > 0 {
		if r.generate, err = e.measureGenerate(ctx, r.syn); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func (e *env) psqlFile(ctx context.Context, db, file string) (timed, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(e.pgBin, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-f", file)
	return timeProcess(cmd, "psql -f desired.sql")
}

// plan runs schemadiff plan with its phase times and returns them with the
// number of statements planned.
func (e *env) plan(ctx context.Context, db, schemaFile, label string, warmOff bool) (timed, int, error) {
	args := []string{"plan", "--db", db, "--schema", schemaFile}
	if e.cfg.devURL != "" {
		args = append(args, "--dev-url", e.cfg.devURL)
	}
	cmd := exec.CommandContext(ctx, e.bin, args...)
	cmd.Env = append(os.Environ(), "SCHEMADIFF_TIMINGS=1")
	if warmOff {
		cmd.Env = append(cmd.Env, pgserver.WarmEnv+"=off")
	}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	t, err := timeProcess(cmd, label)
	if err != nil {
		return t, 0, fmt.Errorf("%w\n%s", err, stderr.String())
	}
	t.phases = parsePhases(stderr.String())
	return t, strings.Count(stdout.String(), ";\n"), nil
}

// timeProcess runs cmd and returns its wall time and peak RSS.
func timeProcess(cmd *exec.Cmd, label string) (timed, error) {
	var errOut strings.Builder
	if cmd.Stderr == nil {
		cmd.Stderr = &errOut
	}
	start := time.Now()
	err := cmd.Run()
	t := timed{label: label, took: time.Since(start)}
	if cmd.ProcessState != nil {
		t.maxRSS = maxRSS(cmd.ProcessState)
	}
	if err != nil {
		return t, fmt.Errorf("%s: %w\n%s", label, err, errOut.String())
	}
	return t, nil
}

// parsePhases reads the "timing: <phase>: <seconds>s" lines.
func parsePhases(stderr string) []phaseTime {
	var out []phaseTime
	for _, line := range strings.Split(stderr, "\n") {
		rest, ok := strings.CutPrefix(line, "timing: ")
		if !ok {
			continue
		}
		i := strings.LastIndex(rest, ": ")
		if i < 0 {
			continue
		}
		secs, err := strconv.ParseFloat(strings.TrimSuffix(rest[i+2:], "s"), 64)
		if err != nil {
			continue
		}
		out = append(out, phaseTime{name: rest[:i], took: time.Duration(secs * float64(time.Second))})
	}
	return out
}

func (r *result) print(w io.Writer) {
	s := r.syn
	fmt.Fprintf(w, "\nN=%d: %d tables, %d views, 20 enums; desired: %s; warm: one more column in t00001\n",
		s.N, s.N, s.N/10, strings.Join(s.Changes, ", "))
	fmt.Fprintf(w, "%-40s %9s %10s %8s %10s\n", "", "time", "x pg_dump", "x psql", "peak RSS")
	rows := []timed{r.pgDump, r.psql, r.cold, r.warm, r.unchanged, r.off}
	if r.generate != nil {
		rows = append(rows, r.generate.warm)
	}
	for _, t := range append(rows, r.others...) {
		fmt.Fprintf(w, "%-40s %8.3fs %10.2f %8.2f %10s\n", t.label, t.took.Seconds(),
			ratio(t.took, r.pgDump.took), ratio(t.took, r.psql.took), rss(t.maxRSS))
	}
	fmt.Fprintf(w, "plan statements: cold %d, warm %d\n", r.planChanges, r.warmChanges)
	fmt.Fprintf(w, "%-40s %9s %9s %9s %9s\n", "plan phases", "cold", "warm", "unchanged", "off")
	others := []map[string]time.Duration{{}, {}, {}}
	for i, t := range []timed{r.warm, r.unchanged, r.off} {
		for _, p := range t.phases {
			others[i][p.name] = p.took
		}
	}
	for _, p := range r.cold.phases {
		fmt.Fprintf(w, "  %-38s %8.3fs %8.3fs %8.3fs %8.3fs\n", p.name, p.took.Seconds(),
			others[0][p.name].Seconds(), others[1][p.name].Seconds(), others[2][p.name].Seconds())
	}
	if r.generate != nil {
		r.generate.print(w)
	}
	for _, n := range r.notes {
		fmt.Fprintln(w, "note:", n)
	}
}

// print writes the phases of the timed generate beside those of the one
// before it.
func (g *generateRun) print(w io.Writer) {
	fmt.Fprintf(w, "generate: %d migrations replayed, verified; wrote %s\n", g.migrations, g.changes)
	fmt.Fprintf(w, "%-40s %9s %9s\n", "generate phases", "timed", "before")
	before := map[string]time.Duration{}
	for _, p := range g.priming.phases {
		before[p.name] = p.took
	}
	for _, p := range g.warm.phases {
		fmt.Fprintf(w, "  %-38s %8.3fs %8.3fs\n", p.name, p.took.Seconds(), before[p.name].Seconds())
	}
}

// copyFile writes the content of src to dst.
func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

func ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func rss(kib int64) string {
	if kib <= 0 {
		return "-"
	}
	return fmt.Sprintf("%d MB", kib/1024)
}

// otherTool is another schema-diff tool and how to make it plan from the
// current database to the desired schema file.
type otherTool struct {
	name string
	args func(e *env, ctx context.Context, current, desired string) ([]string, error)
}

// otherTools are timed when they are on PATH. Their command lines follow
// their documentation; none is installed where this benchmark was
// written, so a failure is reported as a note rather than stopping it.
var otherTools = []otherTool{
	{name: "psqldef", args: func(_ *env, _ context.Context, current, desired string) ([]string, error) {
		u, err := url.Parse(current)
		if err != nil {
			return nil, err
		}
		pw, _ := u.User.Password()
		return []string{"-U", u.User.Username(), "-W", pw, "-h", u.Hostname(), "-p", u.Port(),
			strings.TrimPrefix(u.Path, "/"), "--dry-run", "--file", desired}, nil
	}},
	{name: "atlas", args: func(e *env, ctx context.Context, current, desired string) ([]string, error) {
		dev, err := e.scratch.NewDatabase(ctx)
		if err != nil {
			return nil, err
		}
		return []string{"schema", "diff", "--from", current, "--to", "file://" + desired, "--dev-url", dev}, nil
	}},
	{name: "pg-schema-diff", args: func(_ *env, _ context.Context, current, desired string) ([]string, error) {
		return []string{"plan", "--from-dsn", current, "--to-dir", filepath.Dir(desired)}, nil
	}},
}

// otherTools times the other tools found on PATH, noting the others.
func (e *env) otherTools(ctx context.Context, r *result, current, desired string) {
	for _, tool := range otherTools {
		path, err := exec.LookPath(tool.name)
		if err != nil {
			r.notes = append(r.notes, tool.name+" is not on PATH: not timed")
			continue
		}
		args, err := tool.args(e, ctx, current, desired)
		if err != nil {
			r.notes = append(r.notes, fmt.Sprintf("%s: not timed: %v", tool.name, err))
			continue
		}
		t, err := timeProcess(exec.CommandContext(ctx, path, args...), tool.name)
		if err != nil {
			r.notes = append(r.notes, fmt.Sprintf("%s failed, not timed: %v", tool.name, err))
			continue
		}
		r.others = append(r.others, t)
	}
}
