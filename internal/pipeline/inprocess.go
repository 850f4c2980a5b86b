package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime/debug"
	"strings"

	"github.com/schemadiff/schemadiff/internal/phase"
	"github.com/schemadiff/schemadiff/migrate"
)

// schemadiffModule is the module path of package migrate.
const schemadiffModule = "github.com/schemadiff/schemadiff"

// migrationsCommand runs a command of the migrations runner (apply, ...):
// the compiled runner, or package migrate in this process.
type migrationsCommand interface {
	Run(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error)
	Close()
}

// inProcessRunner runs the runner's commands on a Set read from a
// declarative migrations directory, in this process, through the same
// entry point the compiled runner's main calls.
type inProcessRunner struct {
	set *migrate.Set
}

// Run runs the command args as the compiled runner would.
func (p inProcessRunner) Run(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	return migrate.Run(ctx, p.set, args, stdout, stderr), nil
}

// Close does nothing: nothing was compiled.
func (inProcessRunner) Close() {}

// newInProcessRunner returns the in-process runner of migs, added to a
// set as the migrations package's init functions add them.
func newInProcessRunner(migs []DeclaredMigration) inProcessRunner {
	set := migrate.NewSet()
	for _, m := range migs {
		set.Add(m.Migration())
	}
	return inProcessRunner{set: set}
}

// ApplyPolicy says how a replay applies migrations.
type ApplyPolicy int

const (
	// ApplyAuto applies a declarative directory in process when the
	// project's runner would use this binary's package migrate (see
	// Runner.SameMigrate), else with the declarative runner; any other
	// directory with the compiled migrations runner.
	ApplyAuto ApplyPolicy = iota
	// ApplyCompiled always compiles the migrations runner.
	ApplyCompiled
	// applyTrustSource applies a declarative directory in process without
	// asking whether the project's package migrate is this binary's: for
	// tests, whose binary is compiled from the module the migrations
	// directories are written into.
	applyTrustSource
)

// declaredRunner returns, when the policy allows it and the directory is
// declarative, the runner that applies its migrations without compiling
// the migrations package: in this process when the project's runner would
// use this binary's package migrate, else the declarative runner compiled
// once in the project's module (see Runner.declarativeRunner). It logs
// which path is taken and why; false means compiling the migrations
// runner.
func (r *replay) declaredRunner(ctx context.Context) (migrationsCommand, bool) {
	logf := r.opts.Runner.logf
	if r.opts.Apply == ApplyCompiled {
		logf("compiling the runner: applying migrations without compiling them is turned off")
		return nil, false
	}
	end := phase.Start(ctx, "replay: read declarative migrations")
	migs, err := ReadDeclarative(r.opts.Dir)
	end()
	if err != nil {
		logf("compiling the runner: %v", err)
		return nil, false
	}
	why := "the test binary is built from the migrations' module"
	if r.opts.Apply != applyTrustSource {
		endSame := phase.Start(ctx, "replay: compare package migrate")
		why, err = r.opts.Runner.SameMigrate(ctx, r.opts.Dir.Dir)
		endSame()
	}
	if err == nil {
		logf("replaying in process without compiling the runner: the %d migration(s) of %s are declarative and %s",
			len(migs), r.opts.Dir.Dir, why)
		return newInProcessRunner(migs), true
	}
	logf("not replaying in process: %v", err)
	endDecl := phase.Start(ctx, "replay: declarative runner")
	c, err := r.opts.Runner.declarativeRunner(ctx, r.opts.Dir.Dir, migs)
	endDecl()
	if err != nil {
		logf("compiling the runner: the declarative runner cannot be used: %v", err)
		return nil, false
	}
	logf("replaying with the declarative runner: the %d migration(s) of %s are declarative", len(migs), r.opts.Dir.Dir)
	return c, true
}

// listedModule is a module as go list -json describes it.
type listedModule struct {
	Path, Version, Sum, Dir string
	Main                    bool
	Replace                 *listedModule
}

// modulePackage is a package as go list -json describes it.
type modulePackage struct {
	ImportPath string
	Standard   bool
	DepOnly    bool
	Module     *listedModule
}

// SameMigrate proves that the runner compiled for the migrations package
// in dir would be built from the same package migrate, and the same
// versions of every module it uses, as this binary: each module the
// package's dependencies come from is, in the project's build, the
// module version (and checksum) this binary was built with, and neither
// uses build tags. A module taken from a directory (the project's own
// module, a replace by a path, a binary built from a source tree) cannot
// be proven the same and is an error saying so. It returns what was
// compared.
func (r Runner) SameMigrate(ctx context.Context, dir string) (string, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", errors.New("this schemadiff carries no build information to compare its package migrate with the project's")
	}
	if err := checkBinaryModule(info); err != nil {
		return "", err
	}
	if err := checkNoTags(ctx, info, dir); err != nil {
		return "", err
	}
	pkgs, err := listDependencies(ctx, dir)
	if err != nil {
		return "", err
	}
	compared := map[string]bool{}
	for _, p := range pkgs {
		if p.Standard || !p.DepOnly {
			continue
		}
		if p.Module == nil {
			return "", fmt.Errorf("package %s of the migrations' build belongs to no module", p.ImportPath)
		}
		if err := sameModule(info, p); err != nil {
			return "", err
		}
		compared[p.Module.Path] = true
	}
	if !compared[schemadiffModule] {
		return "", fmt.Errorf("the migrations package in %s does not use %s", dir, migratePath)
	}
	return fmt.Sprintf("the project builds them with the modules this schemadiff was built with (%d compared, %s %s)",
		len(compared), schemadiffModule, binaryModule(info, schemadiffModule).Version), nil
}

// binaryModule returns the module path of this binary's build (the main
// module or a dependency, replaced or not), or nil.
func binaryModule(info *debug.BuildInfo, path string) *debug.Module {
	if info.Main.Path == path {
		return &info.Main
	}
	for _, d := range info.Deps {
		if d.Path == path {
			return d
		}
	}
	return nil
}

// checkBinaryModule checks that this binary's schemadiff module is a
// module version, not a source tree.
func checkBinaryModule(info *debug.BuildInfo) error {
	m := binaryModule(info, schemadiffModule)
	switch {
	case m == nil:
		return fmt.Errorf("this binary's build information does not name %s", schemadiffModule)
	case m.Replace != nil && m.Replace.Version == "":
		return fmt.Errorf("this schemadiff was built with %s replaced by the directory %s, so it cannot prove its package migrate is the project's", schemadiffModule, m.Replace.Path)
	case m.Replace == nil && !isModuleVersion(m.Version):
		return fmt.Errorf("this schemadiff was built from a source tree (version %s), not a module version, so it cannot prove its package migrate is the one the project's runner compiles", cmpOr(m.Version, "unknown"))
	}
	return nil
}

// isModuleVersion reports whether v names an immutable module version:
// not empty, not (devel), not a build of a modified tree.
func isModuleVersion(v string) bool {
	return strings.HasPrefix(v, "v") && !strings.Contains(v, "+dirty")
}

func cmpOr(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}

// checkNoTags refuses build tags in this binary's build or in the
// project's GOFLAGS: they may select other files of the same modules.
func checkNoTags(ctx context.Context, info *debug.BuildInfo, dir string) error {
	for _, s := range info.Settings {
		if s.Key == "-tags" && s.Value != "" {
			return fmt.Errorf("this schemadiff was built with the build tags %q", s.Value)
		}
	}
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "go", "env", "GOFLAGS")
	cmd.Dir, cmd.Stdout = dir, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("reading GOFLAGS in %s: %w", dir, err)
	}
	if strings.Contains(out.String(), "tags") {
		return fmt.Errorf("GOFLAGS in %s sets build tags (%s)", dir, strings.TrimSpace(out.String()))
	}
	return nil
}

// listDependencies lists the packages the migrations package in dir
// depends on, with their modules.
func listDependencies(ctx context.Context, dir string) ([]modulePackage, error) {
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, "go", "list", "-deps", "-json=ImportPath,Standard,DepOnly,Module", ".")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("listing the packages of %s: %w\n%s", dir, err, strings.TrimSpace(errOut.String()))
	}
	var pkgs []modulePackage
	dec := json.NewDecoder(&out)
	for {
		var p modulePackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			return pkgs, nil
		} else if err != nil {
			return nil, fmt.Errorf("reading the package list of %s: %w", dir, err)
		}
		pkgs = append(pkgs, p)
	}
}

// sameModule checks that the module of package p in the project's build
// is the one this binary was built with.
func sameModule(info *debug.BuildInfo, p modulePackage) error {
	pm := p.Module
	bm := binaryModule(info, pm.Path)
	switch {
	case pm.Main:
		return fmt.Errorf("package %s comes from the project's own module in %s, a source tree: this schemadiff cannot prove it was built from the same source", p.ImportPath, pm.Dir)
	case pm.Replace != nil && pm.Replace.Version == "":
		return fmt.Errorf("module %s is replaced by the directory %s in the project: this schemadiff cannot prove it was built from the same source", pm.Path, pm.Replace.Path)
	case bm == nil:
		return fmt.Errorf("module %s of package %s is not part of this schemadiff's build", pm.Path, p.ImportPath)
	}
	want, got := effectiveModule(bm), effectiveListed(pm)
	if want.Path != got.Path || want.Version != got.Version || want.Sum != "" && got.Sum != "" && want.Sum != got.Sum {
		return fmt.Errorf("the project builds package %s from %s %s, this schemadiff was built with %s %s",
			p.ImportPath, got.Path, got.Version, want.Path, want.Version)
	}
	if got.Sum == "" && want.Sum == "" && !isModuleVersion(got.Version) {
		return fmt.Errorf("module %s %s has no checksum to compare", got.Path, got.Version)
	}
	return nil
}

// effectiveModule returns the module a binary's module entry was built
// from.
func effectiveModule(m *debug.Module) listedModule {
	if m.Replace != nil {
		m = m.Replace
	}
	return listedModule{Path: m.Path, Version: m.Version, Sum: m.Sum}
}

// effectiveListed returns the module a go list module entry builds from.
func effectiveListed(m *listedModule) listedModule {
	if m.Replace != nil {
		return *m.Replace
	}
	return *m
}
