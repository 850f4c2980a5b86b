package migrate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestAddRecordsProblemsWithoutPanicking(t *testing.T) {
	s := NewSet()
	s.Add(Migration{Version: "20260101000002", Name: "second", Parent: "20260101000001"})
	s.Add(Migration{Version: "20260101000001", Name: "first"})
	s.Add(Migration{Version: "", Name: "noversion"})
	s.Add(Migration{Version: "2026", Name: "short"})
	s.Add(Migration{Version: "2026010100000x", Name: "letters"})
	s.Add(Migration{Version: "20260101000001", Name: "dup"})

	var got []string
	for _, m := range s.Migrations() {
		got = append(got, m.Version+" "+m.Name)
	}
	if want := []string{"20260101000001 first", "20260101000002 second"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("Migrations() = %v, want %v", got, want)
	}
	err := s.Validate()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Validate() = %v, want *ValidationError", err)
	}
	if len(ve.Problems) != 4 {
		t.Errorf("got %d problems, want 4: %v", len(ve.Problems), err)
	}
	for _, want := range []string{`"noversion" has an empty version`, "2026 (short) has a malformed version",
		"2026010100000x (letters)", `version 20260101000001 is used by two migrations ("first" and "dup")`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() error lacks %q:\n%v", want, err)
		}
	}
}

func TestValidateChain(t *testing.T) {
	tests := []struct {
		name string
		ms   []Migration
		want []string // substrings of the error; nil means valid
	}{
		{"empty", nil, nil},
		{"valid", []Migration{
			{Version: "20260101000001"},
			{Version: "20260101000002", Parent: "20260101000001"},
			{Version: "20260101000003", Parent: "20260101000002"},
		}, nil},
		{"same parent", []Migration{
			{Version: "20260101000001", Name: "a"},
			{Version: "20260101000002", Name: "b", Parent: "20260101000001"},
			{Version: "20260101000003", Name: "c", Parent: "20260101000001"},
		}, []string{"20260101000002 b and 20260101000003 c", "parent 20260101000001",
			"two migrations were generated from the same parent: regenerate the later one: where 20260101000003 c is applied", "roll it back first with this checkout"}},
		{"two firsts", []Migration{
			{Version: "20260101000001", Name: "a"},
			{Version: "20260101000002", Name: "b"},
		}, []string{"regenerate the later one: where 20260101000002 b is applied"}},
		{"first has parent", []Migration{
			{Version: "20260101000002", Name: "b", Parent: "20260101000001"},
		}, []string{"20260101000002 b is the first migration but has parent 20260101000001"}},
		{"gap", []Migration{
			{Version: "20260101000001", Name: "a"},
			{Version: "20260101000003", Name: "c", Parent: "20260101000002"},
		}, []string{"20260101000003 c has parent 20260101000002 but the previous migration is 20260101000001 a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSet()
			for _, m := range tt.ms {
				s.Add(m)
			}
			err := s.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Validate() = nil, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestChecksum(t *testing.T) {
	m := Migration{Up: []Step{
		SQL("CREATE TABLE a (id int)"),
		Func(func(context.Context, DB) error { return nil }),
		SQLNoTx("CREATE INDEX CONCURRENTLY a_id ON a (id)"),
	}}
	sum := sha256.Sum256([]byte("CREATE TABLE a (id int)\nfunc\nCREATE INDEX CONCURRENTLY a_id ON a (id)"))
	if got, want := m.Checksum(), hex.EncodeToString(sum[:]); got != want {
		t.Errorf("Checksum() = %s, want %s", got, want)
	}
	m2 := m
	m2.Down = []Step{SQL("DROP TABLE a")}
	if m2.Checksum() != m.Checksum() {
		t.Error("Down steps changed the checksum")
	}
}

func TestMigrationErrorMessage(t *testing.T) {
	pgErr := &pgconn.PgError{Severity: "ERROR", Code: "42P01", Message: `relation "x" does not exist`}
	long := "INSERT INTO x\n   VALUES " + strings.Repeat("(1), ", 100) + "(1)"
	err := error(&MigrationError{Version: "20260101000002", Name: "add_x", Step: 2, SQL: long, Err: pgErr})
	msg := err.Error()
	for _, want := range []string{"migration 20260101000002 (add_x)", "step 2 failed", "INSERT INTO x VALUES (1), (1),", "...: ERROR: relation"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if len(msg) > 350 {
		t.Errorf("statement not shortened: %d chars", len(msg))
	}
	var got *pgconn.PgError
	if !errors.As(err, &got) || got.Code != "42P01" {
		t.Errorf("error does not unwrap to the *pgconn.PgError")
	}
	fn := (&MigrationError{Version: "20260101000002", Step: 1, Down: true, Err: errors.New("boom")}).Error()
	if want := "rolling back migration 20260101000002: step 1 failed: (go function): boom"; fn != want {
		t.Errorf("Error() = %q, want %q", fn, want)
	}
}

// TestSetVersionMatchesFileName: a migration whose Version differs from
// the version in its file's name is refused, naming the file and both.
func TestSetVersionMatchesFileName(t *testing.T) {
	tests := []struct {
		name, file, version string
		want                string
	}{
		{name: "match", file: "/src/app/migrations/20260101000000_init.go", version: "20260101000000"},
		{name: "mismatch", file: "/src/app/migrations/20260101000000_init.go", version: "20260102000000",
			want: `migration file 20260101000000_init.go declares Version "20260102000000" but its name says 20260101000000`},
		{name: "other file", file: "/src/app/migrations/all.go", version: "20260102000000"},
		{name: "unknown file", file: "", version: "20260102000000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewSet()
			s.add(tc.file, Migration{Version: tc.version, Name: "init"})
			err := s.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Validate: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Validate = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
