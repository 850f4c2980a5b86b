package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// The declarative runner: when this binary cannot prove its package
// migrate is the one a project's runner compiles (the project builds it
// from a source tree), a declarative directory is applied by a runner
// compiled in the project's module like the migrations runner, but whose
// main reads the migrations from a file instead of importing the
// migrations package. It uses the project's own package migrate, so it
// applies exactly as the migrations runner does; its build does not read
// the migrations, so it is compiled once and then found in the runner
// cache until package migrate, what it imports or the Go environment
// changes, not once per new migration.

// declarativeMain is the declarative runner's main package: its first
// argument names a JSON file of DeclaredMigration, added to a set with
// package migrate's step constructors; migrate.Main runs the rest.
const declarativeMain = `package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/schemadiff/schemadiff/migrate"
)

type step struct {
	Constructor string
	Args        []string
}

type migration struct {
	Version, Name, Parent string
	Up, Down              []step
}

func main() {
	set, err := load(os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "schemadiff: reading the migrations: %v\n", err)
		os.Exit(migrate.ExitError)
	}
	os.Exit(migrate.Main(set, os.Args[2:]))
}

func load(path string) (*migrate.Set, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ms []migration
	if err := json.Unmarshal(b, &ms); err != nil {
		return nil, err
	}
	set := migrate.NewSet()
	for _, m := range ms {
		up, err := steps(m.Up)
		if err != nil {
			return nil, err
		}
		down, err := steps(m.Down)
		if err != nil {
			return nil, err
		}
		set.Add(migrate.Migration{Version: m.Version, Name: m.Name, Parent: m.Parent, Up: up, Down: down})
	}
	return set, nil
}

func steps(in []step) ([]migrate.Step, error) {
	if in == nil {
		return nil, nil
	}
	out := make([]migrate.Step, len(in))
	for i, s := range in {
		switch {
		case s.Constructor == "SQL" && len(s.Args) == 1:
			out[i] = migrate.SQL(s.Args[0])
		case s.Constructor == "SQLNoTx" && len(s.Args) == 1:
			out[i] = migrate.SQLNoTx(s.Args[0])
		case s.Constructor == "SQLCommitFirst" && len(s.Args) == 1:
			out[i] = migrate.SQLCommitFirst(s.Args[0])
		case s.Constructor == "SQLCreateIndexConcurrently" && len(s.Args) == 3:
			out[i] = migrate.SQLCreateIndexConcurrently(s.Args[0], s.Args[1], s.Args[2])
		default:
			return nil, fmt.Errorf("unknown step %s with %d arguments", s.Constructor, len(s.Args))
		}
	}
	return out, nil
}
`

// declarativeCompiled runs the declarative runner on the migrations
// written to file, in the run directory work.
type declarativeCompiled struct {
	c          *CompiledRunner
	work, file string
}

// Run runs the command args on the migrations.
func (d declarativeCompiled) Run(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	return d.c.Run(ctx, append([]string{d.file}, args...), stdout, stderr)
}

// Close removes the migrations file, and the runner unless the cache
// keeps it.
func (d declarativeCompiled) Close() {
	_ = os.RemoveAll(d.work)
	d.c.Close()
}

// declarativeRunner returns the declarative runner of the migrations
// package in dir applying migs: from the runner cache, or compiled into
// it. Without a usable runner cache it is an error: compiling it each
// time would gain nothing over the migrations runner.
func (r Runner) declarativeRunner(ctx context.Context, dir string, migs []DeclaredMigration) (migrationsCommand, error) {
	c, err := r.compiledDeclarative(ctx, dir)
	if err != nil {
		return nil, err
	}
	// In a run directory, so that a killed run's file is removed by the
	// next (RemoveStaleRunDirs).
	work, err := newRunDir(os.TempDir())
	if err != nil {
		c.Close()
		return nil, err
	}
	file := filepath.Join(work, "migrations.json")
	b, err := json.Marshal(migs)
	if err == nil {
		err = os.WriteFile(file, b, 0o600)
	}
	if err != nil {
		c.Close()
		_ = os.RemoveAll(work)
		return nil, fmt.Errorf("writing the migrations for the declarative runner: %w", err)
	}
	return declarativeCompiled{c: c, work: work, file: file}, nil
}

// compiledDeclarative returns the declarative runner for the module of
// dir, from the cache when it holds one built from the same files.
func (r Runner) compiledDeclarative(ctx context.Context, dir string) (*CompiledRunner, error) {
	absDir, modRoot, err := moduleOf(dir)
	if err != nil {
		return nil, err
	}
	cache, err := openRunnerCache(r.logf)
	if err != nil {
		return nil, fmt.Errorf("no runner cache: %w", err)
	}
	env, err := readBuildEnv(ctx, absDir)
	if err != nil {
		return nil, err
	}
	idx := indexKey(absDir, env)
	if in := cache.readIndex(idx); in != nil {
		key, err := declarativeKey(in, env, absDir)
		if err != nil {
			return nil, err
		}
		if bin, ok := cache.lookup(key); ok {
			r.logf("using the cached declarative runner %s", bin)
			return &CompiledRunner{bin: bin, done: func() {}}, nil
		}
	}
	// The files the build reads may have changed: list them again.
	in, err := listBuildInputs(ctx, absDir, modRoot, env)
	if err != nil {
		return nil, err
	}
	if err := cache.writeIndex(idx, in); err != nil {
		r.logf("runner cache: %v", err)
	}
	key, err := declarativeKey(in, env, absDir)
	if err != nil {
		return nil, err
	}
	if bin, ok := cache.lookup(key); ok {
		r.logf("using the cached declarative runner %s", bin)
		return &CompiledRunner{bin: bin, done: func() {}}, nil
	}
	return r.compileDeclarative(ctx, cache, in, env, absDir, key)
}

// compileDeclarative compiles the declarative runner into the cache under
// key. Should a file of the build change while it compiles, the runner is
// used once and not stored.
func (r Runner) compileDeclarative(ctx context.Context, cache *runnerCache, in *buildInputs, env buildEnv, absDir, key string) (*CompiledRunner, error) {
	entry, err := cache.newEntry()
	if err != nil {
		return nil, err
	}
	r.logf("compiling the declarative runner of module %s into the runner cache %s (once, until package migrate or the Go environment changes)", in.ModRoot, cache.dir)
	work, err := newRunDir(os.TempDir())
	if err != nil {
		os.RemoveAll(entry)
		return nil, err
	}
	defer os.RemoveAll(work)
	bin := filepath.Join(entry, runnerName)
	if err := buildMain(ctx, work, in.ModRoot, "the declarative runner", []byte(declarativeMain), bin, stripFlags); err != nil {
		os.RemoveAll(entry)
		return nil, err
	}
	if after, err := declarativeKey(in, env, absDir); err != nil || after != key {
		r.logf("package migrate changed while the declarative runner compiled: it is used once, not cached")
		return &CompiledRunner{bin: bin, done: func() { os.RemoveAll(entry) }}, nil
	}
	stored, err := cache.store(key, entry)
	if err != nil {
		r.logf("the declarative runner is used once, not cached: %v", err)
		return &CompiledRunner{bin: bin, done: func() { os.RemoveAll(entry) }}, nil
	}
	cache.prune()
	return &CompiledRunner{bin: stored, done: func() {}}, nil
}

// declarativeKey names the declarative runner built with env from the
// files of in outside the migrations directory absDir (package migrate,
// what it imports, go.mod, go.sum, ...): the build reads nothing else.
func declarativeKey(in *buildInputs, env buildEnv, absDir string) (string, error) {
	deps, err := hashInputs(in, env, func(path string) bool { return !isWithin(path, absDir) })
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "declarative runner\x00%s\x00%s\x00", deps, declarativeMain)
	return hex.EncodeToString(h.Sum(nil)), nil
}
