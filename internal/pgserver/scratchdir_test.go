package pgserver

import (
	"os"
	"strings"
	"testing"
)

func TestScratchBase(t *testing.T) {
	var warned []string
	opts := Options{Warnf: func(format string, args ...any) { warned = append(warned, format) }}
	tmp := t.TempDir()

	t.Setenv(ScratchDirEnv, tmp+"/")
	if dir, _ := scratchBase(opts); dir != tmp {
		t.Errorf("$%s=%s/: %s", ScratchDirEnv, tmp, dir)
	}
	t.Setenv("TMPDIR", tmp)
	t.Setenv(ScratchDirEnv, "tmp")
	if dir, _ := scratchBase(opts); dir != tmp {
		t.Errorf("$%s=tmp with $TMPDIR=%s: %s", ScratchDirEnv, tmp, dir)
	}
	t.Setenv(ScratchDirEnv, "")
	if dir, why := scratchBase(opts); dir != tmp || why != "$TMPDIR" {
		t.Errorf("$TMPDIR=%s: %s (%s)", tmp, dir, why)
	}
	if len(warned) > 0 {
		t.Errorf("warned: %v", warned)
	}
	t.Setenv(ScratchDirEnv, "relative/dir")
	if dir, _ := scratchBase(opts); dir != tmp || len(warned) != 1 || !strings.Contains(warned[0], "absolute") {
		t.Errorf("$%s=relative/dir: %s, warned %v", ScratchDirEnv, dir, warned)
	}

	// Without $TMPDIR, a memory-backed directory when there is one.
	t.Setenv(ScratchDirEnv, "")
	os.Unsetenv("TMPDIR")
	dir, why := scratchBase(opts)
	ram := ramDir()
	switch {
	case ram != "" && dir != ram:
		t.Errorf("default: %s (%s), want the memory-backed %s", dir, why, ram)
	case ram == "" && dir != os.TempDir():
		t.Errorf("default without a memory-backed directory: %s (%s)", dir, why)
	}
	t.Logf("default: %s (%s)", dir, why)
}
