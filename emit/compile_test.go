package emit

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/diff"
)

// stubMigrate has the API generated files use, and records the steps so the
// dump program can print them back.
const stubMigrate = `// Package migrate is a test stand-in for the real runtime package.
package migrate

type Step struct {
	SQL         string
	NoTx        bool
	CommitFirst bool
	Index       string
}

func SQL(s string) Step            { return Step{SQL: s} }
func SQLCreateIndexConcurrently(schema, index, s string) Step {
	return Step{SQL: s, NoTx: true, Index: schema + "." + index}
}
func SQLNoTx(s string) Step        { return Step{SQL: s, NoTx: true} }
func SQLCommitFirst(s string) Step { return Step{SQL: s, CommitFirst: true} }

type Migration struct {
	Version, Name, Parent string
	Up, Down              []Step
}

type Set struct{ All []Migration }

func NewSet() *Set            { return &Set{} }
func (s *Set) Add(m Migration) { s.All = append(s.All, m) }
`

const dumpMain = `package main

import (
	"encoding/json"
	"os"
	"sort"

	"github.com/schemadiff/schemadiff/migrations"
)

func main() {
	all := migrations.Migrations.All
	sort.Slice(all, func(i, j int) bool { return all[i].Version < all[j].Version })
	if err := json.NewEncoder(os.Stdout).Encode(all); err != nil {
		panic(err)
	}
}
`

type dumpedStep struct {
	SQL         string
	NoTx        bool
	CommitFirst bool
	Index       string
}

type dumpedMigration struct {
	Version, Name, Parent string
	Up, Down              []dumpedStep
}

func steps(p Plan) []dumpedStep {
	out := []dumpedStep{}
	for _, s := range p.Statements() {
		d := dumpedStep{SQL: s.SQL, NoTx: s.Transaction == diff.OutsideTransaction,
			CommitFirst: s.Transaction == diff.CommitFirst}
		if s.BuildsIndex != nil && d.NoTx {
			d.Index = s.BuildsIndex.Schema + "." + s.BuildsIndex.Name
		}
		out = append(out, d)
	}
	return out
}

// TestGeneratedCodeCompiles builds the generated files against a stub of
// package migrate in a scratch module, vets them, runs a program that
// prints what they registered, and checks every statement came back
// byte for byte.
func TestGeneratedCodeCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("go command not found: the generated code cannot be compiled")
		}
		t.Skip("go command not found")
	}

	dir := t.TempDir()
	write := func(rel string, data []byte) {
		t.Helper()
		path := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", []byte("module github.com/schemadiff/schemadiff\n\ngo 1.26\n"))
	write("migrate/migrate.go", []byte(stubMigrate))
	write("cmd/dump/main.go", []byte(dumpMain))

	var want []dumpedMigration
	for _, f := range testFiles() {
		f.Package = "migrations"
		src, err := GoMigration(f)
		if err != nil {
			t.Fatal(err)
		}
		write(filepath.Join("migrations", f.FileName()), src)
		want = append(want, dumpedMigration{
			Version: f.Version, Name: f.Name, Parent: f.Parent,
			Up: steps(f.Up), Down: steps(f.Down),
		})
	}
	slices.SortFunc(want, func(a, b dumpedMigration) int { return strings.Compare(a.Version, b.Version) })
	pkg, err := GoPackageFile("migrations")
	if err != nil {
		t.Fatal(err)
	}
	write("migrations/migrations.go", pkg)

	run := func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command(goCmd, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(),
			"GOWORK=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "GOPROXY=off")
		out, err := cmd.Output()
		if err != nil {
			stderr := ""
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = string(ee.Stderr)
			}
			t.Fatalf("go %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr)
		}
		return out
	}
	run("vet", "./...")
	out := run("run", "./cmd/dump")

	var got []dumpedMigration
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("decoding dump: %v\n%s", err, out)
	}
	gotJSON, _ := json.MarshalIndent(got, "", "  ")
	wantJSON, _ := json.MarshalIndent(want, "", "  ")
	if string(gotJSON) != string(wantJSON) {
		t.Errorf("registered migrations differ:\n--- got\n%s\n--- want\n%s", gotJSON, wantJSON)
	}
}
