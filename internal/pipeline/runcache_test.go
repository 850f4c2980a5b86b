package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

// TestRunnerCachePrune keeps the most recently used runners and removes
// the others, and the temporary directories of dead runs.
func TestRunnerCachePrune(t *testing.T) {
	c := &runnerCache{dir: t.TempDir(), logf: t.Logf}
	old := time.Now().Add(-2 * time.Hour)
	var names []string
	for i := range keepRunners + 3 {
		name := "entry" + strconv.Itoa(i)
		names = append(names, name)
		dir := filepath.Join(c.dir, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		used := old.Add(time.Duration(i) * time.Minute)
		if err := os.Chtimes(dir, used, used); err != nil {
			t.Fatal(err)
		}
	}
	for name, mtime := range map[string]time.Time{".tmp-dead": old, ".tmp-building": time.Now()} {
		if err := os.Mkdir(filepath.Join(c.dir, name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(filepath.Join(c.dir, name), mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	c.prune()
	entries, _ := os.ReadDir(c.dir)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	want := append([]string{".tmp-building"}, names[3:]...)
	slices.Sort(want)
	if !slices.Equal(left, want) {
		t.Errorf("after pruning: %v, want %v", left, want)
	}
}

// TestContentKeyFollowsEmbeddedDirectories lists a package embedding a
// directory with go list: editing an embedded file, adding one under the
// embedded directory or adding a source file changes the key.
func TestContentKeyFollowsEmbeddedDirectories(t *testing.T) {
	mod := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		path := filepath.Join(mod, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/m\n\ngo 1.22\n")
	write("mig/mig.go", "package mig\n\nimport \"embed\"\n\n//go:embed sql\nvar SQL embed.FS\n")
	write("mig/sql/a.sql", "SELECT 1")
	ctx := context.Background()
	dir := filepath.Join(mod, "mig")
	env, err := readBuildEnv(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	in, err := listBuildInputs(ctx, dir, mod, env)
	if err != nil {
		t.Fatal(err)
	}
	if in.ImportPath != "example.com/m/mig" {
		t.Errorf("import path %q", in.ImportPath)
	}
	key := func() string {
		t.Helper()
		k, err := contentKey(in, env)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	seen := map[string]string{key(): "the first build"}
	for _, change := range []struct{ what, file, content string }{
		{"an edited embedded file", "mig/sql/a.sql", "SELECT 2"},
		{"a file added to an embedded directory", "mig/sql/b.sql", "SELECT 3"},
		{"a source file added", "mig/more.go", "package mig\n"},
		{"an edited go.mod", "go.mod", "module example.com/m\n\ngo 1.23\n"},
	} {
		write(change.file, change.content)
		k := key()
		if prev, ok := seen[k]; ok {
			t.Errorf("%s leaves the key of %s", change.what, prev)
		}
		seen[k] = change.what
	}
	if k := key(); seen[k] != "an edited go.mod" {
		t.Errorf("the key changed with nothing changed")
	}
}
