package migrate

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files of the script tests")

// backfillNicknames is a Go step of scriptMigrations.
func backfillNicknames(context.Context, DB) error { return nil }

// scriptMigrations have a step of every kind: in the transaction, committed
// first, outside any transaction, and a Go function.
func scriptMigrations() []Migration {
	ms := threeMigrations()
	ms[1].Up = append([]Step{SQLCommitFirst("CREATE TYPE mood AS ENUM ('ok')")}, ms[1].Up...)
	ms[1].Up = append(ms[1].Up, Func(backfillNicknames))
	ms[1].Down = append(ms[1].Down, SQL("DROP TYPE mood"))
	ms[2].Up = []Step{SQLNoTx("CREATE INDEX CONCURRENTLY users_id ON users (id)"), SQLNoTx("ALTER TABLE users ADD COLUMN nickname text")}
	ms[2].Down = []Step{SQLNoTx("DROP INDEX CONCURRENTLY users_id"), SQLNoTx("ALTER TABLE users DROP COLUMN nickname")}
	return ms
}

// TestScriptSQL compares the script of every step kind, Up and Down, with
// golden files (go test -run TestScriptSQL -update rewrites them).
func TestScriptSQL(t *testing.T) {
	set := newSet(scriptMigrations()...)
	for _, tc := range []struct {
		golden   string
		from, to string
		down     bool
		hazards  bool
	}{
		{golden: "up.sql"},
		{golden: "down.sql", down: true, hazards: true},
		{golden: "range.sql", from: v1, to: v2},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			sc, err := NewScript(set, tc.from, tc.to, tc.down, "")
			if err != nil {
				t.Fatal(err)
			}
			if tc.hazards {
				sc.Migrations[2].Steps[0].Hazards = []string{"deletes-data: drops table public.users and all its rows"}
			}
			var b bytes.Buffer
			if err := sc.WriteSQL(&b); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "script", tc.golden)
			if *updateGolden {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(string(want), b.String()); d != "" {
				t.Errorf("%s (-want +got):\n%s", path, d)
			}
		})
	}
}

func TestScriptRange(t *testing.T) {
	set := newSet(threeMigrations()...)
	tests := []struct {
		from, to string
		down     bool
		want     []string
		wantErr  string
	}{
		{want: []string{v1, v2, v3}},
		{from: v1, want: []string{v2, v3}},
		{to: v2, want: []string{v1, v2}},
		{from: v1, to: v2, want: []string{v2}},
		{down: true, want: []string{v3, v2, v1}},
		{from: v1, down: true, want: []string{v3, v2}},
		{from: v3, want: nil},
		{from: v2, to: v1, wantErr: "is not older than --to"},
		{from: v2, to: v2, wantErr: "is not older than --to"},
		{to: "20990101000000", wantErr: "--to 20990101000000: no migration has that version"},
	}
	for _, tc := range tests {
		migs, err := scriptRange(set, tc.from, tc.to, tc.down)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("from %q to %q: error %v, want %q", tc.from, tc.to, err, tc.wantErr)
			}
			continue
		}
		var got []string
		for _, m := range migs {
			got = append(got, m.Version)
		}
		if err != nil || !cmp.Equal(got, tc.want) {
			t.Errorf("from %q to %q down %v: %v, %v; want %v", tc.from, tc.to, tc.down, got, err, tc.want)
		}
	}
}

// TestScriptAppliedByHand runs the Up script on a real database as a DBA
// would: the runner then sees every migration applied and unmodified. The
// Down script brings the database back to empty.
func TestScriptAppliedByHand(t *testing.T) {
	url := testDBURL(t)
	set := newSet(threeMigrations()...)
	code, up, stderr := runMain(t, set, "", "sql", "--table", "ops_history")
	if code != ExitOK {
		t.Fatalf("sql: exit %d\n%s", code, stderr)
	}
	pgtest.Exec(t, url, up)
	code, stdout, stderr := runMain(t, set, url, "status", "--table", "ops_history", "--fail-on-pending")
	if code != ExitOK || strings.Count(stdout, "applied") != 3 {
		t.Fatalf("status after the Up script: exit %d\n%s%s", code, stdout, stderr)
	}
	code, down, stderr := runMain(t, set, "", "sql", "--table", "ops_history", "--down", "--from", v1)
	if code != ExitOK || strings.Contains(down, "DROP TABLE users") {
		t.Fatalf("sql --down --from %s: exit %d, want the Down steps of %s and %s only\n%s%s", v1, code, v2, v3, down, stderr)
	}
	pgtest.Exec(t, url, down)
	conn := connect(t, url)
	if !relExists(t, conn, "users") || relExists(t, conn, "orders") {
		t.Errorf("after the Down script: want users only")
	}
	var versions string
	if err := conn.QueryRow(t.Context(), "SELECT string_agg(version, ',') FROM ops_history").Scan(&versions); err != nil || versions != v1 {
		t.Errorf("history after the Down script: %q, %v; want %s", versions, err, v1)
	}
}
