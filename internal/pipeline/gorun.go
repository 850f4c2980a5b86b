package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
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
		md.Versions = append(md.Versions, m[1])
	}
	sort.Strings(md.Versions)
	return md, nil
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

// RunMigrations compiles the migrations package in dir together with a
// small main that calls migrate.Main, and runs it with args (e.g. "apply",
// "--db", url). It returns the program's exit code. The package is built
// inside the user's module, so hand-written Go steps work; nothing is
// written into the module (the main file is passed as a build overlay).
func RunMigrations(ctx context.Context, dir string, args []string, stdout, stderr io.Writer) (int, error) {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return 2, err
	}
	modRoot, err := findModuleRoot(absDir)
	if err != nil {
		return 2, err
	}
	importPath, err := goList(ctx, absDir)
	if err != nil {
		return 2, err
	}
	work, err := os.MkdirTemp("", "schemadiff-run-")
	if err != nil {
		return 2, err
	}
	defer os.RemoveAll(work)
	mainSrc := fmt.Sprintf(`package main

import (
	"os"

	"github.com/schemadiff/schemadiff/migrate"
	migrations %q
)

func main() { os.Exit(migrate.Main(migrations.Migrations, os.Args[1:])) }
`, importPath)
	realMain := filepath.Join(work, "main.go")
	if err := os.WriteFile(realMain, []byte(mainSrc), 0o644); err != nil {
		return 2, err
	}
	virtualMain := filepath.Join(modRoot, ".schemadiff-run", "main.go")
	overlay, _ := json.Marshal(map[string]any{"Replace": map[string]string{virtualMain: realMain}})
	overlayFile := filepath.Join(work, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		return 2, err
	}
	bin := filepath.Join(work, "migrations-runner")
	var buildErr bytes.Buffer
	build := exec.CommandContext(ctx, "go", "build", "-overlay", overlayFile, "-o", bin, virtualMain)
	build.Dir = modRoot
	build.Stderr = &buildErr
	if err := build.Run(); err != nil {
		return 2, fmt.Errorf("compiling migrations package %s: %w\n%s", importPath, err, strings.TrimSpace(buildErr.String()))
	}
	run := exec.CommandContext(ctx, bin, args...)
	run.Stdout, run.Stderr = stdout, stderr
	if err := run.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), nil
		}
		return 2, fmt.Errorf("running migrations: %w", err)
	}
	return 0, nil
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
