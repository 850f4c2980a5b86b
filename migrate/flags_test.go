package migrate

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// sampleValue is a valid value of each flag of the table, so that a
// command line giving it parses.
var sampleValue = map[string]string{
	"db": "postgres://x/y", "lock-timeout": "30s", "table": "audit.history",
	"statement-timeout": "1m", "ddl-lock-timeout": "2s", "ddl-lock-retries": "3", "dry-run": "true",
	"to": v2, "allow-out-of-order": "true", "steps": "2", "format": "json", "color": "never", "fail-on-pending": "true",
	"version": v1, "applied": "true", "pending": "false", "from": v1, "down": "true", "log-format": "json",
}

// TestRunnerAcceptsItsFlags: every command accepts exactly the flags that
// Flags lists for it, and refuses the others by name; the surface of
// schemadiff's runner commands is checked against the same list in
// package main.
func TestRunnerAcceptsItsFlags(t *testing.T) {
	env := func(string) string { return "" }
	for _, name := range Commands() {
		accepted := map[string]bool{}
		for _, f := range Flags(name) {
			accepted[f.Name] = true
		}
		for _, f := range flagTable {
			value, ok := sampleValue[f.Name]
			if !ok {
				t.Fatalf("flag --%s has no sample value in this test", f.Name)
			}
			args := []string{name, "--" + f.Name + "=" + value}
			if slices.Contains(dbCommands, name) && f.Name != "db" {
				args = append(args, "--db", "postgres://x/y")
			}
			if name == cmdResolve && f.Name != "version" {
				args = append(args, "--version", v1)
			}
			if name == cmdResolve && f.Name != "applied" {
				args = append(args, "--applied")
			}
			_, err := parseArgs(args, env)
			switch {
			case accepted[f.Name] && err != nil:
				t.Errorf("%s refuses --%s: %v", name, f.Name, err)
			case !accepted[f.Name] && (err == nil || !strings.Contains(err.Error(), "flag --"+f.Name+" only applies to")):
				t.Errorf("%s accepts --%s: err %v", name, f.Name, err)
			}
		}
	}
}

// TestFlagValues checks the parsed values, defaults and value types of
// the flags.
func TestFlagValues(t *testing.T) {
	env := func(string) string { return "postgres://env/db" }
	c, err := parseArgs([]string{"rollback", "--lock-timeout=45s", "--table", "audit.history", "--steps", "3", "--dry-run",
		"--ddl-lock-retries", "0"}, env)
	if err != nil {
		t.Fatal(err)
	}
	want := command{name: "rollback", dbURL: "postgres://env/db", lockTimeout: 45 * time.Second, table: "audit.history",
		steps: 3, format: "text", ddlTimeout: DefaultDDLLockTimeout, dryRun: true, logFormat: "text", color: "auto"}
	if c != want {
		t.Errorf("parsed %+v\nwant   %+v", c, want)
	}
	for _, tc := range []struct{ flag, typ, def string }{
		{"db", "string", ""}, {"lock-timeout", "duration", "5m0s"}, {"statement-timeout", "duration", "0"},
		{"steps", "int", "1"}, {"dry-run", "bool", "false"}, {"format", "string", "text"},
	} {
		i := slices.IndexFunc(flagTable, func(f Flag) bool { return f.Name == tc.flag })
		if i < 0 {
			t.Fatalf("no flag --%s", tc.flag)
		}
		v := flagTable[i].NewValue()
		if v.Type() != tc.typ || v.String() != tc.def || v.IsBoolFlag() != (tc.typ == "bool") {
			t.Errorf("--%s: type %s, default %q, bool %v; want %s, %q", tc.flag, v.Type(), v.String(), v.IsBoolFlag(), tc.typ, tc.def)
		}
	}
	for _, args := range [][]string{
		{"rollback", "--steps", "two"},
		{"apply", "--lock-timeout", "5"},
		{"apply", "--dry-run=maybe"},
	} {
		if _, err := parseArgs(args, env); err == nil || !strings.Contains(err.Error(), "want ") {
			t.Errorf("%q: err %v, want one saying what the value should be", args, err)
		}
	}
}

// TestUsageListsEveryFlag: the help names each flag once, under the
// commands it applies to.
func TestUsageListsEveryFlag(t *testing.T) {
	usage := usageText()
	for _, f := range flagTable {
		if n := strings.Count(usage, "  --"+f.Name+" ") + strings.Count(usage, "  --"+f.Name+"\n"); n != 1 {
			t.Errorf("usage lists --%s %d times:\n%s", f.Name, n, usage)
		}
		if !strings.Contains(usage, "flags for "+flagGroup(f)+":") {
			t.Errorf("usage lacks the heading for %s", flagGroup(f))
		}
	}
	for _, name := range Commands() {
		if !strings.Contains(usage, "\n  "+name+" ") {
			t.Errorf("usage does not describe %s", name)
		}
	}
}
