package termcolor

import "strings"

// severeHazards are the plan hazards shown in red; the others are yellow.
var severeHazards = []string{"deletes-data", "irreversible", "revokes-access"}

// PlanLine styles a line of a SQL plan: HAZARD comments in red (data loss,
// irreversible, access revoked) or yellow, other comments in bold.
func PlanLine(line string) Style {
	if rest, ok := strings.CutPrefix(line, "-- HAZARD "); ok {
		for _, h := range severeHazards {
			if strings.HasPrefix(rest, h) {
				return Red
			}
		}
		return Yellow
	}
	if strings.HasPrefix(line, "-- ") {
		return Bold
	}
	return Plain
}

// LintLine styles a line of lint's text output (file:line:col: severity
// [rule] message): errors in red, warnings in yellow.
func LintLine(line string) Style {
	switch {
	case strings.Contains(line, ": error ["):
		return Red
	case strings.Contains(line, ": warning ["):
		return Yellow
	}
	return Plain
}

// TableLine styles a table whose header line starts with "VERSION" (status,
// history): the header in bold, a row whose state needs attention in red
// (failed, dirty) or yellow (modified, unknown, pending), and "migration
// ... failed" details in red.
func TableLine(line string) Style {
	if strings.HasPrefix(line, "VERSION ") {
		return Bold
	}
	if strings.HasPrefix(line, "migration ") && strings.Contains(line, " failed") {
		return Red
	}
	fields := strings.Fields(line)
	if len(fields) >= 3 {
		switch fields[2] {
		case "failed", "dirty":
			return Red
		case "modified", "unknown", "pending":
			return Yellow
		}
	}
	return Plain
}
