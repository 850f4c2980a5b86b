package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/schemadiff/schemadiff/internal/childproc"
	"github.com/schemadiff/schemadiff/migrate"
)

// MigrationsDir describes a directory of generated Go migration files.
type MigrationsDir struct {
	Dir string
	// Package is the Go package name of the files.
	Package string
	// Versions are the versions of the migration files present, sorted.
	Versions []string
}

var migrationFile = regexp.MustCompile(`^(\d{14})_[a-z0-9_]+\.go$`)

// ReadMigrationsDir lists a migrations directory. A missing directory is
// empty. Two files with the same version are an error naming both.
func ReadMigrationsDir(dir string) (*MigrationsDir, error) {
	md := &MigrationsDir{Dir: dir, Package: packageNameFor(dir)}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return md, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading migrations directory: %w", err)
	}
	seen := map[string]string{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		if pkg, err := parsePackageName(filepath.Join(dir, name)); err == nil {
			md.Package = pkg
		}
		m := migrationFile.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		if prev, ok := seen[m[1]]; ok {
			return nil, fmt.Errorf("migrations directory %s: %s and %s have the same version %s: regenerate one of them", dir, prev, name, m[1])
		}
		seen[m[1]] = name
		if err := checkFileVersion(filepath.Join(dir, name), m[1]); err != nil {
			return nil, fmt.Errorf("migrations directory %s: %w", dir, err)
		}
		md.Versions = append(md.Versions, m[1])
	}
	sort.Strings(md.Versions)
	return md, nil
}

// checkFileVersion reports a migrate.Migration literal in file whose
// Version string differs from want, the version in the file's name. A file
// that does not parse is left to the compiler.
func checkFileVersion(file, want string) error {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	var found error
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok || found != nil || !isMigrationType(lit.Type) {
			return found == nil
		}
		for _, elt := range lit.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			key, ok := kv.Key.(*ast.Ident)
			val, isLit := kv.Value.(*ast.BasicLit)
			if !ok || key.Name != "Version" || !isLit || val.Kind != token.STRING {
				continue
			}
			if v, err := strconv.Unquote(val.Value); err == nil && v != want {
				found = fmt.Errorf("%s: Version %q does not match the version %s in the file name: make them agree (rename the file or correct Version)",
					fset.Position(val.Pos()), v, want)
			}
		}
		return found == nil
	})
	return found
}

// isMigrationType reports whether a composite literal's type is
// migrate.Migration.
func isMigrationType(t ast.Expr) bool {
	sel, ok := t.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Migration" {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == "migrate"
}

// Latest returns the newest version, or "".
func (md *MigrationsDir) Latest() string {
	if len(md.Versions) == 0 {
		return ""
	}
	return md.Versions[len(md.Versions)-1]
}

func parsePackageName(file string) (string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.PackageClauseOnly)
	if err != nil {
		return "", err
	}
	return f.Name.Name, nil
}

// packageNameFor derives a Go package name from a directory name.
func packageNameFor(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	var b strings.Builder
	for _, r := range strings.ToLower(filepath.Base(abs)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' && b.Len() > 0 || r == '_' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "migrations"
	}
	return b.String()
}

// ErrNotInModule is returned when a migrations directory is outside any Go
// module, so it cannot be compiled.
var ErrNotInModule = errors.New("not inside a Go module")

// Runner compiles and runs migrations packages.
type Runner struct {
	// Logf, when set, is given progress messages (--verbose): whether a
	// cached runner is used or the package compiled, and why.
	Logf func(format string, args ...any)
	// HistoryTable is the history table States reads, as the runner's
	// --table takes it; empty for the default.
	HistoryTable string
}

func (r Runner) logf(format string, args ...any) {
	if r.Logf != nil {
		r.Logf(format, args...)
	}
}

// RunMigrations runs the migrations in dir as Runner.Run does, without
// progress messages.
func RunMigrations(ctx context.Context, dir string, args []string, stdout, stderr io.Writer) (int, error) {
	return Runner{}.Run(ctx, dir, args, stdout, stderr)
}

// Run compiles the migrations package in dir together with a small main
// that calls migrate.Main, and runs it with args (e.g. "apply", "--db",
// url). The package is built inside the user's module, so hand-written Go
// steps work; nothing is written into the module (the main file is passed
// as a build overlay).
//
// The compiled runner is cached (see RunnerCacheEnv), keyed by the content
// of everything the build reads, so that a run with nothing changed does
// not compile again.
//
// It returns the runner's exit code when the runner exits with one of the
// codes migrate.Main documents (0 to 3). A runner killed by a signal or
// exiting with any other code yields ExitError and a *RunnerError saying so.
// SIGINT and SIGTERM received while the runner runs, and the cancellation of
// ctx (as SIGTERM), are forwarded to the runner, which rolls back the
// migration in progress, releases the lock and exits; a second one kills it.
// Should schemadiff die, the runner is sent SIGTERM by the kernel (Linux) and
// notices its parent is gone by itself (everywhere), so it never finishes a
// migration unattended.
//
// The go command works in a temporary directory removed once the runner is
// compiled (without the cache, once it has run); directories that runs
// killed before they could remove theirs are removed at the next run (see
// RemoveStaleRunDirs).
func (r Runner) Run(ctx context.Context, dir string, args []string, stdout, stderr io.Writer) (int, error) {
	c, err := r.Compile(ctx, dir)
	if err != nil {
		return ExitError, err
	}
	defer c.Close()
	return c.Run(ctx, args, stdout, stderr)
}

// CompiledRunner is the compiled runner of a migrations package, to be run
// several times (on several databases) without compiling again.
type CompiledRunner struct {
	bin  string
	done func()
}

// Compile compiles the runner of the migrations package in dir, or finds
// it in the cache, as Run does. Close it once done.
func (r Runner) Compile(ctx context.Context, dir string) (*CompiledRunner, error) {
	absDir, modRoot, err := moduleOf(dir)
	if err != nil {
		return nil, err
	}
	RemoveStaleRunDirs(os.TempDir())
	bin, done, err := r.compiled(ctx, absDir, modRoot)
	if err != nil {
		return nil, err
	}
	return &CompiledRunner{bin: bin, done: done}, nil
}

// Run runs the compiled runner with args, as Runner.Run does; it may run
// several times at once.
func (c *CompiledRunner) Run(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	return runRunner(ctx, c.bin, args, stdout, stderr)
}

// Close removes the runner unless the cache keeps it.
func (c *CompiledRunner) Close() { c.done() }

// compiled returns the path of the runner of the migrations package in
// absDir, from the cache when it holds an up-to-date one, and a function
// to call once the runner has run.
func (r Runner) compiled(ctx context.Context, absDir, modRoot string) (string, func(), error) {
	cache, err := openRunnerCache(r.logf)
	if err != nil {
		r.logf("compiling the migrations runner without the cache: %v", err)
		return r.compileUncached(ctx, absDir, modRoot)
	}
	env, err := readBuildEnv(ctx, absDir)
	if err != nil {
		return "", nil, err
	}
	idx := indexKey(absDir, env)
	if in := cache.readIndex(idx); in != nil {
		key, err := contentKey(in, env)
		if err != nil {
			return "", nil, err
		}
		if bin, ok := cache.lookup(key); ok {
			r.logf("using the cached migrations runner %s", bin)
			return bin, func() {}, nil
		}
	}
	in, err := listBuildInputs(ctx, absDir, modRoot, env)
	if err != nil {
		// go build says what is wrong with the package best.
		r.logf("compiling the migrations runner without the cache: %v", err)
		return r.compileUncached(ctx, absDir, modRoot)
	}
	bin, done, err := r.compileCached(ctx, cache, in, env)
	if err != nil {
		return "", nil, err
	}
	if err := cache.writeIndex(idx, in); err != nil {
		r.logf("runner cache: %v", err)
	}
	cache.prune()
	return bin, done, nil
}

// compileCached returns the cached runner for the build inputs in, after
// compiling and storing it when the cache lacks it. Should a file of the
// build change while it compiles, the runner is used once and not stored.
func (r Runner) compileCached(ctx context.Context, cache *runnerCache, in *buildInputs, env buildEnv) (string, func(), error) {
	key, err := contentKey(in, env)
	if err != nil {
		return "", nil, err
	}
	if bin, ok := cache.lookup(key); ok {
		r.logf("using the cached migrations runner %s", bin)
		return bin, func() {}, nil
	}
	entry, err := cache.newEntry()
	if err != nil {
		r.logf("compiling the migrations runner without the cache: %v", err)
		return r.compileUncached(ctx, in.Dir, in.ModRoot)
	}
	r.logf("compiling migrations package %s into the runner cache %s", in.ImportPath, cache.dir)
	if err := r.compileTo(ctx, in.ModRoot, in.ImportPath, filepath.Join(entry, runnerName), stripFlags); err != nil {
		os.RemoveAll(entry)
		return "", nil, err
	}
	if after, err := contentKey(in, env); err != nil || after != key {
		r.logf("the migrations changed while they were compiled: the runner is used once, not cached")
		return filepath.Join(entry, runnerName), func() { os.RemoveAll(entry) }, nil
	}
	bin, err := cache.store(key, entry)
	if err != nil {
		r.logf("the runner is used once, not cached: %v", err)
		return filepath.Join(entry, runnerName), func() { os.RemoveAll(entry) }, nil
	}
	return bin, func() {}, nil
}

// compileUncached compiles the runner into a temporary directory removed
// by the returned function.
func (r Runner) compileUncached(ctx context.Context, absDir, modRoot string) (string, func(), error) {
	importPath, err := goList(ctx, absDir)
	if err != nil {
		return "", nil, err
	}
	work, err := newRunDir(os.TempDir())
	if err != nil {
		return "", nil, err
	}
	bin := filepath.Join(work, runnerName)
	r.logf("compiling migrations package %s", importPath)
	if err := buildRunner(ctx, work, modRoot, importPath, bin, stripFlags); err != nil {
		os.RemoveAll(work)
		return "", nil, err
	}
	return bin, func() { os.RemoveAll(work) }, nil
}

// stripFlags leave the symbol table and the DWARF debugging information
// out of the runners schemadiff compiles to run itself: they link markedly
// faster (most of a runner's compile time once its packages are in the
// go build cache), and a panic's stack trace keeps its function names and
// lines. Runner.Build's standalone runners keep them.
const stripFlags = "-ldflags=-s -w"

// compileTo compiles the runner to bin, with the go build flags given, the
// go command working in a temporary run directory.
func (r Runner) compileTo(ctx context.Context, modRoot, importPath, bin string, flags ...string) error {
	work, err := newRunDir(os.TempDir())
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	return buildRunner(ctx, work, modRoot, importPath, bin, flags...)
}

// ExitError is the exit code for an error, as migrate.ExitError.
const ExitError = 2

// runnerMain is the runner's main package; %q is the migrations package.
const runnerMain = `package main

import (
	"os"

	"github.com/schemadiff/schemadiff/migrate"
	migrations %q
)

func main() { os.Exit(migrate.Main(migrations.Migrations, os.Args[1:])) }
`

// buildRunner compiles the runner to bin, with its main package and the
// build overlay written to work, and the go build flags given. The go
// command keeps its own temporary files in work too, so they go with it.
func buildRunner(ctx context.Context, work, modRoot, importPath, bin string, flags ...string) error {
	return buildMain(ctx, work, modRoot, "migrations package "+importPath, fmt.Appendf(nil, runnerMain, importPath), bin, flags...)
}

// buildMain compiles the main package src, as a package of the module in
// modRoot, to bin, as buildRunner does; what names what is compiled in
// errors.
func buildMain(ctx context.Context, work, modRoot, what string, src []byte, bin string, flags ...string) error {
	realMain := filepath.Join(work, "main.go")
	if err := os.WriteFile(realMain, src, 0o644); err != nil {
		return fmt.Errorf("writing the runner's main package: %w", err)
	}
	virtualMain := filepath.Join(modRoot, ".schemadiff-run", "main.go")
	overlay, _ := json.Marshal(map[string]any{"Replace": map[string]string{virtualMain: realMain}})
	overlayFile := filepath.Join(work, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		return fmt.Errorf("writing the build overlay: %w", err)
	}
	var buildErr bytes.Buffer
	args := append(append([]string{"build"}, flags...), "-overlay", overlayFile, "-o", bin, virtualMain)
	build := exec.CommandContext(ctx, "go", args...)
	build.Dir = modRoot
	build.Env = append(os.Environ(), "GOTMPDIR="+work)
	build.Stderr = &buildErr
	// The go command cleans up after SIGINT; it gets one if we die, too.
	build.Cancel = func() error { return build.Process.Signal(os.Interrupt) }
	build.WaitDelay = 10 * time.Second
	build.SysProcAttr = &syscall.SysProcAttr{}
	childproc.SetPdeathsig(build.SysProcAttr, syscall.SIGINT)
	waited, err := childproc.StartLocked(build)
	if err == nil {
		err = <-waited
	}
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("interrupted while compiling %s: no migration was run: %w", what, context.Cause(ctx))
	}
	if err != nil {
		return fmt.Errorf("compiling %s: %w\n%s", what, err, strings.TrimSpace(buildErr.String()))
	}
	return nil
}

// RunnerError is a runner that ended outside its exit code contract: killed
// by a signal, or exiting with a code migrate.Main never returns.
type RunnerError struct {
	// Signal is the signal that killed the runner, or 0.
	Signal syscall.Signal
	// Code is the exit code when Signal is 0.
	Code int
}

// Error says what happened and what it means for the database.
func (e *RunnerError) Error() string {
	if e.Signal != 0 {
		return fmt.Sprintf("the migrations runner was killed by %s (signal %d): the server rolled back the transaction of the migration in progress, if any (a migration without a transaction may be dirty); run schemadiff status to see where it stopped",
			childproc.SignalName(e.Signal), int(e.Signal))
	}
	return fmt.Sprintf("the migrations runner exited with code %d, which it never returns by itself (it crashed, or something else ended it; see its output above); run schemadiff status to see where it stopped", e.Code)
}

// highestRunnerCode is the highest exit code migrate.Main returns
// (migrate.ExitPending).
const highestRunnerCode = 3

// runRunner runs the compiled runner, forwarding SIGINT and SIGTERM to it.
func runRunner(ctx context.Context, bin string, args []string, stdout, stderr io.Writer) (int, error) {
	run := exec.Command(bin, args...)
	run.Stdout, run.Stderr = stdout, stderr
	run.Env = append(os.Environ(), migrate.ParentPIDEnv+"="+strconv.Itoa(os.Getpid()))
	run.SysProcAttr = &syscall.SysProcAttr{}
	childproc.SetPdeathsig(run.SysProcAttr, syscall.SIGTERM)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	waited, err := childproc.StartLocked(run)
	if err != nil {
		return ExitError, fmt.Errorf("running migrations: %w", err)
	}
	err = forwardUntilExit(ctx, run.Process, sigs, waited)
	if err == nil {
		return 0, nil
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return ExitError, fmt.Errorf("running migrations: %w", err)
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return ExitError, &RunnerError{Signal: ws.Signal()}
	}
	if code := ee.ExitCode(); code >= 0 && code <= highestRunnerCode {
		return code, nil
	}
	return ExitError, &RunnerError{Code: ee.ExitCode()}
}

// forwardUntilExit waits for the runner, passing on SIGINT and SIGTERM (and
// ctx's cancellation, as SIGTERM) so that it stops cleanly, and killing it
// at the second signal. ctx is usually cancelled by the same signal, so its
// cancellation does not count as one.
func forwardUntilExit(ctx context.Context, p *os.Process, sigs <-chan os.Signal, waited <-chan error) error {
	done := ctx.Done()
	received := 0
	for {
		select {
		case err := <-waited:
			return err
		case sig := <-sigs:
			received++
			if received > 1 {
				_ = p.Kill()
			} else {
				_ = p.Signal(sig)
			}
		case <-done:
			done = nil
			if received == 0 {
				_ = p.Signal(syscall.SIGTERM)
			}
		}
	}
}

// moduleOf returns dir made absolute and the root of the Go module
// holding it.
func moduleOf(dir string) (absDir, modRoot string, err error) {
	if absDir, err = filepath.Abs(dir); err != nil {
		return "", "", err
	}
	if modRoot, err = findModuleRoot(absDir); err != nil {
		return "", "", err
	}
	return absDir, modRoot, nil
}

func findModuleRoot(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("migrations directory %s is %w: run `go mod init <module>` in your project and `go get github.com/schemadiff/schemadiff`, so the migrations can be compiled", dir, ErrNotInModule)
		}
	}
}

func goList(ctx context.Context, dir string) (string, error) {
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, "go", "list", "-f", "{{.ImportPath}}", ".")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("finding the import path of %s: %w\n%s", dir, err, strings.TrimSpace(errOut.String()))
	}
	return strings.TrimSpace(out.String()), nil
}

// Build compiles the runner of the migrations package in dir to out: the
// program apply runs (migrate.Main over the package's Migrations), as a
// standalone binary that applies, rolls back and reports without the Go
// toolchain. GOOS, GOARCH and CGO_ENABLED in the environment choose the
// platform it is built for. The runner cache is neither read nor written.
func (r Runner) Build(ctx context.Context, dir, out string) error {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	absOut, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	modRoot, err := findModuleRoot(absDir)
	if err != nil {
		return err
	}
	importPath, err := goList(ctx, absDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(absOut), 0o755); err != nil {
		return fmt.Errorf("creating the directory of %s: %w", out, err)
	}
	r.logf("compiling migrations package %s to %s", importPath, absOut)
	return r.compileTo(ctx, modRoot, importPath, absOut)
}
