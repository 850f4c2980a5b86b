package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/pipeline"
)

// TestGenerateVerifiesFromReplayCopy runs generate with the real binary
// and runner on a migrations directory it wrote itself: the first
// migration is verified from a rebuilt (empty) current state, the next
// one from a copy of the cached replay state, with the phases of the
// replay and of each verification stage printed under
// SCHEMADIFF_TIMINGS=1; with $SCHEMADIFF_REPLAY_CACHE=off it is verified
// from the rebuilt current state again. Both write the same migration.
func TestGenerateVerifiesFromReplayCopy(t *testing.T) {
	bin := buildSchemadiff(t)
	_, work := moduleWorkDir(t)
	t.Setenv(pipeline.RunnerCacheEnv, t.TempDir())
	t.Setenv(pgserver.WarmEnv, "")
	t.Setenv(pgserver.ReplayCacheEnv, "")
	t.Setenv(timingsEnv, "1")
	tmp := t.TempDir()
	dir := filepath.Join(work, "genmig")
	schemaFile := writeFile(t, t.TempDir(), "schema.sql",
		"CREATE TYPE mood AS ENUM ('calm', 'busy');\nCREATE TABLE a (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, m mood);\n")
	generate := func(label, name, wantStart string) string {
		t.Helper()
		p, code := runProc(t, bin, tmp, "generate", "-v", "--schema", schemaFile, "--dir", dir, "--name", name)
		if code != exitOK {
			t.Fatalf("%s: exit %d\n%s", label, code, p.stderr.String())
		}
		stderr := p.stderr.String()
		if !strings.Contains(stderr, wantStart) {
			t.Errorf("%s: the log does not say %q:\n%s", label, wantStart, stderr)
		}
		return stderr
	}
	generate("first migration", "create_a", "verifying from the current state rebuilt from its catalog (no cached replay state holds it)")
	writeFile(t, filepath.Dir(schemaFile), "schema.sql",
		"CREATE TYPE mood AS ENUM ('calm', 'busy');\nCREATE TABLE a (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, m mood, note text);\n")
	stderr := generate("second migration", "add_note", "verifying from a copy of the cached replay state "+pgserver.ReplayPrefix)
	for _, p := range []string{"replay: cached states", "replay: declarative runner", "replay: start database", "replay: apply",
		"introspect current", "verify: copy replay state", "verify: apply", "verify: introspect", "verify: compare", "total"} {
		if !strings.Contains(stderr, "timing: "+p+": ") {
			t.Errorf("no time for %s:\n%s", p, stderr)
		}
	}
	if strings.Contains(stderr, "verify: new database") {
		t.Errorf("the current state was rebuilt although a copy of the replay state was verified from:\n%s", stderr)
	}
	second := newestMigration(t, dir)
	body := mustRead(t, second)
	if err := os.Remove(second); err != nil {
		t.Fatal(err)
	}
	t.Setenv(pgserver.ReplayCacheEnv, "off")
	generate("replay cache off", "add_note", "verifying from the current state rebuilt from its catalog (no cached replay state holds it)")
	if again := mustRead(t, newestMigration(t, dir)); stripVersion(again) != stripVersion(body) {
		t.Errorf("the migration verified from a rebuilt state differs:\n%s\nfrom the copy:\n%s", again, body)
	}
}

// newestMigration returns the path of the newest migration file of dir.
func newestMigration(t *testing.T, dir string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "[0-9]*_*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no migration in %s (%v)", dir, err)
	}
	return files[len(files)-1]
}

// stripVersion drops the lines of a migration file that name its version
// (they differ from one run to the next).
func stripVersion(src string) string {
	var keep []string
	for _, line := range strings.Split(src, "\n") {
		if !strings.Contains(line, "Version") && !strings.Contains(line, "Parent") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}
