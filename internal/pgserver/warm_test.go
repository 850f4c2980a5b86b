//go:build unix

package pgserver

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// openWarm opens a scratch source on the kept cluster for key.
func openWarm(t *testing.T, key string) *Scratch {
	t.Helper()
	rec := &logRecorder{t: t}
	opts := rec.options()
	opts.WarmKey = key
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := OpenScratch(ctx, "", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() }) //nolint:errcheck // cleanup
	return s
}

// TestWarmClusterKept: the kept cluster's databases outlive the server,
// other scratch databases do not; a second run while the first holds it
// gets a copy of the template; a kept cluster without a control file is
// replaced; $SCHEMADIFF_WARM=off turns it off.
func TestWarmClusterKept(t *testing.T) {
	requireBinaries(t)
	useCache(t)
	t.Setenv(WarmEnv, "")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// Kept clusters are copies of the template: the first run ever makes it.
	if none := openWarm(t, "/schema/a"); none.Warm() != nil {
		t.Fatalf("got a kept cluster without a template cluster to copy")
	}

	first := openWarm(t, "/schema/a")
	w := first.Warm()
	if w == nil || w.Reused {
		t.Fatalf("first run: kept cluster %+v, want a new one", w)
	}
	if _, fresh, err := first.WarmSandbox(ctx, ""); err != nil || !fresh {
		t.Fatalf("first run: WarmSandbox fresh=%v err=%v, want a new database", fresh, err)
	}
	other, err := first.NewDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	otherName, _ := databaseName(other)

	busy := openWarm(t, "/schema/a")
	if busy.Warm() != nil {
		t.Errorf("a second run got the kept cluster while the first holds it")
	}
	busy.Close() //nolint:errcheck // checked by the first's reuse below
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	second := openWarm(t, "/schema/a")
	if w := second.Warm(); w == nil || !w.Reused {
		t.Fatalf("second run: kept cluster %+v, want the first's", w)
	}
	if _, fresh, err := second.WarmSandbox(ctx, ""); err != nil || fresh {
		t.Fatalf("second run: WarmSandbox fresh=%v err=%v, want the kept database", fresh, err)
	}
	if n := queryString(t, second.adminURL, "SELECT count(*)::text FROM pg_database WHERE datname = '"+otherName+"'"); n != "0" {
		t.Errorf("the scratch database %s of the first run is still there", otherName)
	}
	data := filepath.Join(second.Warm().parent, "data")
	if err := second.Close(); err != nil {
		t.Fatal(err)
	}

	if err := os.Remove(filepath.Join(data, "global", "pg_control")); err != nil {
		t.Fatal(err)
	}
	third := openWarm(t, "/schema/a")
	if w := third.Warm(); w == nil || w.Reused {
		t.Fatalf("after corruption: kept cluster %+v, want a new one", w)
	}
	third.Warm().Discard()
	third.Close() //nolint:errcheck // cleanup

	t.Setenv(WarmEnv, "off")
	if off := openWarm(t, "/schema/a"); off.Warm() != nil {
		t.Errorf("%s=off: got a kept cluster", WarmEnv)
	}
}
