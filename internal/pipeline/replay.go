package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/phase"
	"github.com/schemadiff/schemadiff/internal/version"
)

// Cached replay states: on a kept cluster (pgserver.Warm), the database a
// replay of a migrations directory produced is kept, as a template, under
// a name derived from the content of the migrations it applied (the files
// of each version, in order, the other files of the directory, the tool's
// version and the history table's name). The next replay clones the
// longest prefix of the directory it finds cached and applies only the
// migrations after it. A migration edited changes its key and every later
// one: the replay starts after the last unchanged one that is cached.

// replayKeyFormat is bumped whenever what a replay key covers changes.
const replayKeyFormat = "replay-1"

// maxReplayStates is how many cached replay states of the current
// directory are kept (the longest prefixes); states of prefixes the
// directory no longer has are dropped.
const maxReplayStates = 4

// ReplayOptions says how to replay a migrations directory.
type ReplayOptions struct {
	// Dir is the migrations directory.
	Dir *MigrationsDir
	// Runner compiles and runs the migrations package; its HistoryTable
	// is passed to the runner's --table.
	Runner Runner
	// Output gets the runner's output.
	Output io.Writer
	// Apply says how the migrations are applied: without compiling the
	// migrations package when the directory is declarative (ApplyAuto, the
	// default), or always by the compiled migrations runner.
	Apply ApplyPolicy
}

// Replayed is a migrations directory replayed into a database of the
// scratch source: a scratch database, or a cached replay state to be read
// only. Close it once read.
type Replayed struct {
	// URL is the database's.
	URL string
	// Restored is how many migrations the cached state it started from
	// had applied; Applied how many the runner applied after it.
	Restored, Applied int
	// State is the cached replay state at URL, which holds every
	// migration, or "" when URL is not one.
	State string

	scratch *pgserver.Scratch
	owned   bool // URL is a scratch database, dropped by Close
	// pruned is closed once the cached states the replay left out are
	// dropped (see replay.prune), nil when none are.
	pruned chan struct{}
}

// Close waits for the cached states the replay left out to be dropped,
// and drops the scratch database of the replay; a cached state stays.
func (r *Replayed) Close(ctx context.Context) {
	if r.pruned != nil {
		endWait := phase.Start(ctx, "replay: wait for the pruning")
		<-r.pruned
		endWait()
		r.pruned = nil
	}
	if r.owned {
		_ = r.scratch.DropDatabase(context.WithoutCancel(ctx), r.URL)
		r.owned = false
	}
}

// Replay applies the migrations of opts.Dir to a database of scratch. On
// a kept cluster (unless pgserver.ReplayCacheEnv turns the cache off) it
// starts from the longest cached replay state of the directory: when that
// holds every migration it is read as it is; otherwise a copy of it gets
// the migrations after it, and the states after the last two migrations
// are kept for the next run. Any trouble with the cache is logged, and the
// replay starts from an empty database. A declarative directory (see
// ReadDeclarative) is applied in this process when this binary's package
// migrate is provably the project's (Runner.SameMigrate), else by the
// declarative runner, compiled once per package migrate; otherwise the
// migrations runner compiles. Either is made ready while the database the
// replay starts from is made. The cached states
// left out are dropped while the caller reads the result (Close waits for
// them).
func Replay(ctx context.Context, scratch *pgserver.Scratch, opts ReplayOptions) (*Replayed, error) {
	// The runner compiles (and logs) while the start database is made.
	opts.Runner.Logf = serialized(opts.Runner.Logf)
	r := &replay{scratch: scratch, opts: opts, versions: opts.Dir.Versions}
	endKeys := phase.Start(ctx, "replay: cached states")
	r.openCache(ctx)
	cached := r.longestCached(ctx)
	endKeys()
	var runner *compiling
	if cached < len(r.versions) {
		runner = r.compile(ctx)
		defer runner.close()
	}
	endStart := phase.Start(ctx, "replay: start database")
	out, err := r.startDatabase(ctx, cached)
	endStart()
	if err != nil {
		return nil, err
	}
	if err := r.applyRest(ctx, out, runner); err != nil {
		out.Close(ctx)
		return nil, err
	}
	if r.keys != nil {
		out.pruned = make(chan struct{})
		go func() {
			defer close(out.pruned)
			defer phase.Start(ctx, "replay: prune")()
			r.prune(ctx)
		}()
	}
	return out, nil
}

// serialized returns logf made safe to call from several goroutines, or
// nil for nil.
func serialized(logf func(string, ...any)) func(string, ...any) {
	if logf == nil {
		return nil
	}
	var mu sync.Mutex
	return func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		logf(format, args...)
	}
}

// compiling is the migrations runner being made ready in the background:
// read from a declarative directory, or compiled.
type compiling struct {
	done chan struct{} // closed once c and err are set
	c    migrationsCommand
	err  error
}

// compile starts making the runner of the directory ready: the migrations
// read to be applied without compiling them when they are declarative
// (see declaredRunner), else the compiled runner.
func (r *replay) compile(ctx context.Context) *compiling {
	p := &compiling{done: make(chan struct{})}
	go func() {
		defer close(p.done)
		if c, ok := r.declaredRunner(ctx); ok {
			p.c = c
			return
		}
		defer phase.Start(ctx, "replay: compile runner")()
		c, err := r.opts.Runner.Compile(ctx, r.opts.Dir.Dir)
		if err != nil {
			p.err = err
			return
		}
		p.c = c
	}()
	return p
}

// wait returns the runner.
func (p *compiling) wait() (migrationsCommand, error) {
	<-p.done
	return p.c, p.err
}

// close waits for the compilation and removes the runner unless the
// cache keeps it.
func (p *compiling) close() {
	if c, err := p.wait(); err == nil {
		c.Close()
	}
}

// startDatabase returns the database the replay starts from: the cached
// state after the first cached migrations (itself when it holds every
// migration, else a new scratch database copied from it), or a new empty
// scratch database when there is none or it cannot be copied.
func (r *replay) startDatabase(ctx context.Context, cached int) (*Replayed, error) {
	out := &Replayed{scratch: r.scratch}
	if cached > 0 {
		key := r.keys[cached-1]
		var url string
		var err error
		if cached == len(r.versions) {
			url, err = r.scratch.ReplayStateURL(key)
			out.State = key
		} else {
			url, err = r.scratch.NewDatabaseFrom(ctx, key)
			out.owned = true
		}
		if err == nil {
			out.URL, out.Restored = url, cached
			return out, nil
		}
		r.opts.Runner.logf("not using the cached replay state %s: %v", key, err)
		out = &Replayed{scratch: r.scratch}
	}
	var err error
	if out.URL, err = r.scratch.NewDatabase(ctx); err != nil {
		return nil, fmt.Errorf("creating scratch database: %w", err)
	}
	out.owned = true
	return out, nil
}

// replay is one run of Replay.
type replay struct {
	scratch  *pgserver.Scratch
	opts     ReplayOptions
	versions []string
	// keys[i] names the cached state after versions[:i+1]; nil when the
	// cache is not used.
	keys []string
}

// openCache computes the keys of the directory's prefixes when the cache
// can be used.
func (r *replay) openCache(ctx context.Context) {
	switch {
	case len(r.versions) == 0:
		return
	case r.scratch.Warm() == nil:
		r.opts.Runner.logf("replaying without cached states: no kept cluster")
		return
	case pgserver.ReplayCacheDisabled():
		r.opts.Runner.logf("replaying without cached states: $%s is off", pgserver.ReplayCacheEnv)
		return
	}
	deps, err := r.opts.Runner.dependencyKey(ctx, r.opts.Dir.Dir)
	if err != nil {
		r.opts.Runner.logf("replaying without cached states: reading what the migrations package imports: %v", err)
		return
	}
	keys, err := ReplayKeys(r.opts.Dir, r.opts.Runner.HistoryTable, deps)
	if err != nil {
		r.opts.Runner.logf("replaying without cached states: %v", err)
		return
	}
	r.keys = keys
}

// longestCached returns how many migrations the longest cached prefix of
// the directory holds, 0 when none is cached.
func (r *replay) longestCached(ctx context.Context) int {
	if r.keys == nil {
		return 0
	}
	states, err := r.scratch.ReplayStates(ctx)
	if err != nil {
		r.opts.Runner.logf("replaying without cached states: %v", err)
		r.keys = nil
		return 0
	}
	have := map[string]bool{}
	for _, s := range states {
		have[s] = true
	}
	for i := len(r.keys) - 1; i >= 0; i-- {
		if have[r.keys[i]] {
			return i + 1
		}
	}
	return 0
}

// applyRest applies the migrations after out.Restored; the state after
// the last but one is copied into the cache, and the database holding
// them all moves into it.
func (r *replay) applyRest(ctx context.Context, out *Replayed, runner *compiling) error {
	n := len(r.versions)
	dir := r.opts.Dir.Dir
	r.opts.Runner.logf("replaying %d migration(s) of %s into a scratch database: %d restored from a cached state, %d to apply",
		n, dir, out.Restored, n-out.Restored)
	if out.Restored == n {
		return nil
	}
	if runner == nil { // the cached state could not be read
		runner = r.compile(ctx)
		defer runner.close()
	}
	endWait := phase.Start(ctx, "replay: wait for the runner")
	c, err := runner.wait()
	endWait()
	if err != nil {
		return fmt.Errorf("replaying migrations of %s: %w", dir, err)
	}
	defer phase.Start(ctx, "replay: apply")()
	stops := []int{n}
	if r.keys != nil && n-out.Restored >= 2 {
		stops = []int{n - 1, n}
	}
	for _, stop := range stops {
		if err := r.applyTo(ctx, c, out.URL, stop); err != nil {
			return err
		}
		out.Applied = stop - out.Restored
		r.keep(ctx, out, stop)
	}
	return nil
}

// applyTo runs the runner's apply up to and including the stop-th
// migration.
func (r *replay) applyTo(ctx context.Context, c migrationsCommand, url string, stop int) error {
	dir := r.opts.Dir.Dir
	args := []string{"apply", "--db", url, "--to", r.versions[stop-1]}
	if t := r.opts.Runner.HistoryTable; t != "" {
		args = append(args, "--table", t)
	}
	code, err := c.Run(ctx, args, r.opts.Output, r.opts.Output)
	if err != nil {
		return fmt.Errorf("replaying migrations of %s: %w", dir, err)
	}
	if code != 0 {
		return fmt.Errorf("replaying migrations of %s into a scratch database failed (exit %d, see above)", dir, code)
	}
	return nil
}

// keep stores the database of out as the cached state after the first
// stop migrations: a copy, unless they are all of them.
func (r *replay) keep(ctx context.Context, out *Replayed, stop int) {
	if r.keys == nil {
		return
	}
	how := pgserver.CopyState
	if stop == len(r.versions) {
		how = pgserver.MoveState
	}
	url, err := r.scratch.SaveReplayState(ctx, out.URL, r.keys[stop-1], how)
	if err != nil {
		r.opts.Runner.logf("not caching the replay state after %s: %v", r.versions[stop-1], err)
		return
	}
	if how == pgserver.MoveState {
		out.URL, out.owned, out.State = url, false, r.keys[stop-1]
	}
}

// prune drops the cached states of prefixes the directory no longer has,
// and all but the maxReplayStates longest of the others.
func (r *replay) prune(ctx context.Context) {
	if r.keys == nil {
		return
	}
	states, err := r.scratch.ReplayStates(ctx)
	if err != nil {
		r.opts.Runner.logf("pruning the cached replay states: %v", err)
		return
	}
	have := map[string]bool{}
	for _, s := range states {
		have[s] = true
	}
	keep := map[string]bool{}
	for i := len(r.keys) - 1; i >= 0 && len(keep) < maxReplayStates; i-- {
		if have[r.keys[i]] {
			keep[r.keys[i]] = true
		}
	}
	for _, s := range states {
		if keep[s] {
			continue
		}
		if err := r.scratch.DropReplayState(ctx, s); err != nil {
			r.opts.Runner.logf("pruning the cached replay states: %v", err)
		}
	}
}

// ReplayKeys returns, for each version of md in order, the name of the
// cached replay state after applying it and every earlier one: a hash of
// the tool's version, the history table, the directory's files other
// than migrations, and the files of those versions.
func ReplayKeys(md *MigrationsDir, historyTable, dependencies string) ([]string, error) {
	abs, err := filepath.Abs(md.Dir)
	if err != nil {
		return nil, fmt.Errorf("hashing the migrations: %w", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00", replayKeyFormat, version.String(), historyTable, abs, dependencies)
	files, err := migrationFiles(md)
	if err != nil {
		return nil, err
	}
	if err := hashSharedFiles(h, md.Dir, files); err != nil {
		return nil, err
	}
	keys := make([]string, len(md.Versions))
	for i, v := range md.Versions {
		b, err := os.ReadFile(filepath.Join(md.Dir, files[v]))
		if err != nil {
			return nil, fmt.Errorf("hashing the migrations: %w", err)
		}
		fmt.Fprintf(h, "\x00migration %s %d\x00", files[v], len(b))
		h.Write(b)
		sum := h.Sum(nil)
		keys[i] = pgserver.ReplayPrefix + hex.EncodeToString(sum[:16])
	}
	return keys, nil
}

// migrationFiles maps each version of md to its file's name.
func migrationFiles(md *MigrationsDir) (map[string]string, error) {
	entries, err := os.ReadDir(md.Dir)
	if err != nil {
		return nil, fmt.Errorf("hashing the migrations: %w", err)
	}
	files := map[string]string{}
	for _, e := range entries {
		if m := migrationFile.FindStringSubmatch(e.Name()); m != nil && !e.IsDir() {
			files[m[1]] = e.Name()
		}
	}
	for _, v := range md.Versions {
		if files[v] == "" {
			return nil, fmt.Errorf("hashing the migrations: no file for version %s", v)
		}
	}
	return files, nil
}

// hashSharedFiles writes to h the paths and contents of the files under
// dir other than the migrations (package files, embedded SQL, ...), which
// every migration may use.
func hashSharedFiles(h hash.Hash, dir string, migrations map[string]string) error {
	isMigration := map[string]bool{}
	for _, f := range migrations {
		isMigration[f] = true
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		if d.IsDir() || isMigration[rel] || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s is not a regular file", path)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "\x00file %s %d\x00", filepath.ToSlash(rel), len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return fmt.Errorf("hashing the migrations: %w", err)
	}
	return nil
}
