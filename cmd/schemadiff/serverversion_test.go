package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

// TestCompareVersions: minor versions may differ, major ones may not; the
// error names both versions and what to install.
func TestCompareVersions(t *testing.T) {
	v := func(num int, text string) serverVersion { return serverVersion{num: num, text: text} }
	for _, tc := range []struct {
		target, scratch serverVersion
		devURL          bool
		want            []string // empty: no error
	}{
		{target: v(150004, "15.4"), scratch: v(150010, "15.10")},
		{target: v(90624, "9.6.24"), scratch: v(90610, "9.6.10")},
		{target: v(160001, "16.1 (Debian 16.1-1)"), scratch: v(150004, "15.4"),
			want: []string{"PostgreSQL 16.1 (Debian 16.1-1)", "is PostgreSQL 15.4", "embedded scratch server", "apt-get install postgresql-16", "/usr/lib/postgresql/16/bin", "--dev-url"}},
		{target: v(90624, "9.6.24"), scratch: v(150004, "15.4"),
			want: []string{"PostgreSQL 9.6.24", "postgresql-9.6", "/usr/lib/postgresql/9.6/bin"}},
		{target: v(140010, "14.10"), scratch: v(150004, "15.4"), devURL: true,
			want: []string{"the --dev-url server is PostgreSQL 15.4", "postgresql-14"}},
	} {
		err := compareVersions(tc.target, tc.scratch, tc.devURL)
		if len(tc.want) == 0 {
			if err != nil {
				t.Errorf("%s against %s: %v, want no error", tc.target.text, tc.scratch.text, err)
			}
			continue
		}
		var vm *versionMismatchError
		if !errors.As(err, &vm) {
			t.Errorf("%s against %s: %v, want a *versionMismatchError", tc.target.text, tc.scratch.text, err)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s against %s: the error lacks %q:\n%v", tc.target.text, tc.scratch.text, w, err)
			}
		}
	}
}

// TestMajorVersionNames: server_version_num to the major version as
// packages name it.
func TestMajorVersionNames(t *testing.T) {
	for num, want := range map[int]string{150004: "15", 100023: "10", 90624: "9.6", 90500: "9.5", 170000: "17"} {
		if got := (serverVersion{num: num}).majorName(); got != want {
			t.Errorf("majorName(%d) = %q, want %q", num, got, want)
		}
	}
}

// TestVersionCheckSameServer: plan, check and generate --db against the
// test server, whose version is the scratch server's, compare the versions
// and go on without a word about them.
func TestVersionCheckSameServer(t *testing.T) {
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, "CREATE TABLE a (id int)")
	schemaFile := writeFile(t, t.TempDir(), "schema.sql", "CREATE TABLE a (id int);\n")
	for _, args := range [][]string{
		{"plan", "--db", db, "--schema", schemaFile, "--verbose"},
		{"check", "--db", db, "--schema", schemaFile},
		{"generate", "--db", db, "--schema", schemaFile, "--dir", t.TempDir()},
	} {
		r := runCLI(t, args...)
		if r.code != exitOK || strings.Contains(r.stderr, "version") && strings.Contains(r.stderr, "differ") {
			t.Errorf("%s: exit %d, want 0 without a version warning\n%s", args[0], r.code, r.stderr)
		}
	}
	r := runCLI(t, "plan", "--db", "postgres://127.0.0.1:1/none?connect_timeout=2", "--schema", schemaFile)
	if r.code != exitError || !strings.Contains(r.stderr, "reading the database's version") {
		t.Errorf("plan against no server: exit %d, want 2 saying the version could not be read\n%s", r.code, r.stderr)
	}
}

// TestVersionMismatchAction: on a major-version mismatch plan and check
// warn, generate refuses unless --allow-version-mismatch.
func TestVersionMismatchAction(t *testing.T) {
	for _, tc := range []struct {
		command string
		allow   bool
		want    mismatchAction
	}{
		{"plan", false, mismatchWarn},
		{"plan", true, mismatchWarn},
		{"check", false, mismatchWarn},
		{"check", true, mismatchWarn},
		{"generate", false, mismatchRefuse},
		{"generate", true, mismatchWarn},
	} {
		if got := versionMismatchAction(tc.command, tc.allow); got != tc.want {
			t.Errorf("versionMismatchAction(%q, allow=%v) = %v, want %v", tc.command, tc.allow, got, tc.want)
		}
	}
}
