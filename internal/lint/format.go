package lint

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Format is an output format of lint.
type Format string

// The formats.
const (
	FormatText   Format = "text"
	FormatJSON   Format = "json"
	FormatGitHub Format = "github"
)

// ParseFormat checks a --format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case FormatText, FormatJSON, FormatGitHub:
		return f, nil
	}
	return "", fmt.Errorf("--format %q: want text, json or github", s)
}

// Write writes the result in the format.
func (r *Result) Write(w io.Writer, f Format) error {
	switch f {
	case FormatJSON:
		return r.writeJSON(w)
	case FormatGitHub:
		return r.writeGitHub(w)
	default:
		return r.writeText(w)
	}
}

// writeText writes one line per finding, file:line:col first as compilers
// do, then a summary line.
func (r *Result) writeText(w io.Writer) error {
	var b strings.Builder
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "%s:%d:%d: %s [%s] migration %s: %s\n", f.File, f.Line, f.Column, f.Severity, f.Rule, f.Migration, f.Message)
	}
	fmt.Fprintf(&b, "%s\n", r.summary())
	_, err := io.WriteString(w, b.String())
	return err
}

// summary counts the findings by severity.
func (r *Result) summary() string {
	return fmt.Sprintf("lint: %d migration file(s): %d error(s), %d warning(s), %d note(s)",
		r.Files, r.Count(Error), r.Count(Warning), r.Count(Info))
}

// jsonResult is the documented JSON document of lint.
type jsonResult struct {
	Files    int       `json:"files"`
	Errors   int       `json:"errors"`
	Warnings int       `json:"warnings"`
	Notes    int       `json:"notes"`
	Findings []Finding `json:"findings"`
}

func (r *Result) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(jsonResult{Files: r.Files, Errors: r.Count(Error), Warnings: r.Count(Warning), Notes: r.Count(Info), Findings: r.Findings})
}

// writeGitHub writes GitHub workflow commands, one annotation per
// finding on the migration's line.
func (r *Result) writeGitHub(w io.Writer) error {
	var b strings.Builder
	for _, f := range r.Findings {
		a := Annotation{Level: githubLevel(f.Severity), File: f.File, Line: f.Line, Column: f.Column,
			Title: "schemadiff lint " + string(f.Rule), Message: "migration " + f.Migration + ": " + f.Message}
		b.WriteString(a.String())
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// githubLevel is the workflow command of a severity.
func githubLevel(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	default:
		return "notice"
	}
}

// Annotation is a GitHub workflow annotation (::error file=...,line=...::msg).
type Annotation struct {
	// Level is error, warning or notice.
	Level        string
	File         string
	Line, Column int
	Title        string
	Message      string
}

// String renders the workflow command, escaping its properties and message
// as GitHub's runner reads them.
func (a Annotation) String() string {
	props := []string{}
	if a.File != "" {
		props = append(props, "file="+escapeProperty(a.File))
	}
	if a.Line > 0 {
		props = append(props, fmt.Sprintf("line=%d", a.Line))
	}
	if a.Column > 0 {
		props = append(props, fmt.Sprintf("col=%d", a.Column))
	}
	if a.Title != "" {
		props = append(props, "title="+escapeProperty(a.Title))
	}
	head := "::" + a.Level
	if len(props) > 0 {
		head += " " + strings.Join(props, ",")
	}
	return head + "::" + escapeData(a.Message)
}

// escapeData escapes a workflow command's message.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
