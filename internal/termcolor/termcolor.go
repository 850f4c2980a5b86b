// Package termcolor colours human-readable command output on a terminal:
// hazards and errors in red, warnings in yellow, headers in bold. Output
// that is not a terminal stays plain, and NO_COLOR (any non-empty value)
// turns colour off unless --color always asks for it.
package termcolor

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// Mode is the value of --color.
type Mode string

// The values of --color.
const (
	// Auto colours output written to a terminal, unless NO_COLOR is set
	// or TERM is "dumb".
	Auto Mode = "auto"
	// Always colours output wherever it goes.
	Always Mode = "always"
	// Never leaves output plain.
	Never Mode = "never"
)

// FlagUsage is the help text of --color.
const FlagUsage = "colour the output: auto (on a terminal, unless $NO_COLOR is set), always or never"

// ParseMode reads the value of --color.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case Auto, Always, Never:
		return m, nil
	}
	return "", fmt.Errorf("unknown --color %q: want auto, always or never", s)
}

// Enabled reports whether output written to w is coloured under mode m
// (the zero Mode is Never).
func (m Mode) Enabled(w io.Writer) bool {
	switch m {
	case Always:
		return true
	case Never, "":
		return false
	}
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && isTerminal(f)
}

// Style is an ANSI SGR sequence, or Plain.
type Style string

// The styles output uses.
const (
	Plain  Style = ""
	Bold   Style = "\x1b[1m"
	Red    Style = "\x1b[31m"
	Yellow Style = "\x1b[33m"
	reset        = "\x1b[0m"
)

// Paint returns text with each line in the style classify gives it, or
// text unchanged when on is false. Line ends stay outside the escapes.
func Paint(text string, on bool, classify func(line string) Style) string {
	if !on {
		return text
	}
	lines := strings.SplitAfter(text, "\n")
	var b strings.Builder
	for _, l := range lines {
		body := strings.TrimSuffix(l, "\n")
		st := Plain
		if body != "" {
			st = classify(body)
		}
		if st == Plain {
			b.WriteString(l)
			continue
		}
		b.WriteString(string(st) + body + reset + l[len(body):])
	}
	return b.String()
}

// Write writes text to w, painted by classify when mode colours w.
func Write(w io.Writer, mode Mode, text string, classify func(line string) Style) error {
	_, err := io.WriteString(w, Paint(text, mode.Enabled(w), classify))
	return err
}
