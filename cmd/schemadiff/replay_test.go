package main

import (
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/pipeline"
)

// TestCheckDirReplaysFromCache runs check --dir with the real binary and
// runner: the first run applies every migration, the next one after a
// migration was added restores the cached state and applies only the new
// one, an unchanged directory applies none, and with
// $SCHEMADIFF_REPLAY_CACHE=off every migration is applied again, with the
// same verdict.
func TestCheckDirReplaysFromCache(t *testing.T) {
	bin := buildSchemadiff(t)
	_, work := moduleWorkDir(t)
	t.Setenv(pipeline.RunnerCacheEnv, t.TempDir())
	t.Setenv(pgserver.WarmEnv, "")
	t.Setenv(pgserver.ReplayCacheEnv, "")
	tmp := t.TempDir()
	const pkg = "replaymig"
	const v3 = "20260401000003"
	files := map[string]string{
		v1 + "_create_a.go": simpleMigration(pkg, v1, "", "a"),
		v2 + "_create_b.go": simpleMigration(pkg, v2, v1, "b"),
	}
	dir := writeMigrationsPackage(t, work, pkg, files)
	schemaFile := writeFile(t, t.TempDir(), "schema.sql", "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCREATE TABLE c (id int);\n")
	check := func(label string, wantCode int, want string) {
		t.Helper()
		p, code := runProc(t, bin, tmp, "check", "-v", "--schema", schemaFile, "--dir", dir)
		if code != wantCode {
			t.Fatalf("%s: exit %d, want %d\n%s%s", label, code, wantCode, p.stdout.String(), p.stderr.String())
		}
		if !strings.Contains(p.stderr.String(), want) {
			t.Errorf("%s: the log does not say %q:\n%s", label, want, p.stderr.String())
		}
	}
	check("first run", exitDrift, "replaying 2 migration(s) of "+dir+" into a scratch database: 0 restored from a cached state, 2 to apply")
	check("unchanged", exitDrift, "2 restored from a cached state, 0 to apply")
	writeFile(t, dir, v3+"_create_c.go", simpleMigration(pkg, v3, v2, "c"))
	check("a migration added", exitOK, "2 restored from a cached state, 1 to apply")
	check("unchanged after the addition", exitOK, "3 restored from a cached state, 0 to apply")
	t.Setenv(pgserver.ReplayCacheEnv, "off")
	check("cache off", exitOK, "0 restored from a cached state, 3 to apply")
}
