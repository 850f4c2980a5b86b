package termcolor

import (
	"os"
	"strings"
	"testing"
)

// TestEnabled: auto colours terminals only, NO_COLOR and TERM=dumb turn
// auto off, always and never are what they say.
func TestEnabled(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "xterm")
	for _, tc := range []struct {
		name string
		mode Mode
		file *os.File
		want bool
	}{
		{"pipe auto", Auto, w, false},
		{"/dev/null auto (a character device, not a terminal)", Auto, devNull, false},
		{"pipe always", Always, w, true},
		{"pipe never", Never, w, false},
		{"zero mode", "", w, false},
	} {
		if got := tc.mode.Enabled(tc.file); got != tc.want {
			t.Errorf("%s: Enabled = %v, want %v", tc.name, got, tc.want)
		}
	}
	if pty, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0); err == nil {
		defer pty.Close()
		if !Auto.Enabled(pty) {
			t.Errorf("auto on a terminal (/dev/ptmx): not coloured")
		}
		t.Setenv("NO_COLOR", "1")
		if Auto.Enabled(pty) {
			t.Errorf("auto on a terminal with NO_COLOR=1: coloured")
		}
		if !Always.Enabled(pty) {
			t.Errorf("always with NO_COLOR=1: not coloured")
		}
		t.Setenv("NO_COLOR", "")
		t.Setenv("TERM", "dumb")
		if Auto.Enabled(pty) {
			t.Errorf("auto on a terminal with TERM=dumb: coloured")
		}
	} else if os.Getenv("CI") == "true" {
		t.Fatalf("opening a terminal: %v", err)
	}
}

func TestParseMode(t *testing.T) {
	for _, s := range []string{"auto", "always", "never"} {
		if m, err := ParseMode(s); err != nil || string(m) != s {
			t.Errorf("ParseMode(%q) = %q, %v", s, m, err)
		}
	}
	if _, err := ParseMode("yes"); err == nil || !strings.Contains(err.Error(), "auto, always or never") {
		t.Errorf("ParseMode(yes): %v, want an error naming the values", err)
	}
}

// TestPaint: each line gets its style, with the reset before the line end;
// plain lines and off leave the text as it is.
func TestPaint(t *testing.T) {
	plan := "-- HAZARD deletes-data: drops column x\n-- HAZARD long-lock: locks t\n-- runs outside a transaction\nALTER TABLE t DROP COLUMN x;\n\n"
	want := "\x1b[31m-- HAZARD deletes-data: drops column x\x1b[0m\n" +
		"\x1b[33m-- HAZARD long-lock: locks t\x1b[0m\n" +
		"\x1b[1m-- runs outside a transaction\x1b[0m\n" +
		"ALTER TABLE t DROP COLUMN x;\n\n"
	if got := Paint(plan, true, PlanLine); got != want {
		t.Errorf("Paint(plan) =\n%q\nwant\n%q", got, want)
	}
	if got := Paint(plan, false, PlanLine); got != plan {
		t.Errorf("Paint off changed the text: %q", got)
	}
	lint := "m.go:3:4: error [index-not-concurrent] x\nm.go:5:1: warning [column-type-change] y\nnote: z"
	if got := Paint(lint, true, LintLine); got != "\x1b[31mm.go:3:4: error [index-not-concurrent] x\x1b[0m\n\x1b[33mm.go:5:1: warning [column-type-change] y\x1b[0m\nnote: z" {
		t.Errorf("Paint(lint) = %q", got)
	}
	status := "VERSION  NAME  STATE    APPLIED AT\n1        a     applied  2026\n2        b     failed   -\n3        c     pending  -\n"
	want = "\x1b[1mVERSION  NAME  STATE    APPLIED AT\x1b[0m\n1        a     applied  2026\n\x1b[31m2        b     failed   -\x1b[0m\n\x1b[33m3        c     pending  -\x1b[0m\n"
	if got := Paint(status, true, TableLine); got != want {
		t.Errorf("Paint(status) =\n%q\nwant\n%q", got, want)
	}
}
