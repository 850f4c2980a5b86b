// Package lint reads the SQL inside migration files (the string literals of
// their migrate.SQL, SQLNoTx, SQLCommitFirst and SQLCreateIndexConcurrently
// steps) and reports patterns that lock busy tables for long, rewrite them
// or lose data, each at the file and line of the statement.
//
// Only Up steps are read: they are what a deploy runs. Down steps revert a
// migration, usually in development, and drop what Up created.
package lint

import (
	"fmt"
	"sort"
)

// Severity ranks a finding.
type Severity int

// Severities, least severe first.
const (
	// Info names something lint did not read (a Go step, a step whose SQL
	// is not a string literal).
	Info Severity = iota
	// Warning is a pattern that is dangerous on some tables or some
	// servers only.
	Warning
	// Error is a pattern that blocks or rewrites an existing table for a
	// time that grows with its size, or loses data without saying so;
	// lint exits 1 when it finds one.
	Error
)

// String is the severity as the text, JSON and GitHub outputs write it.
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	default:
		return "info"
	}
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// RuleID names a rule; the ids are stable, for scripts and for the docs.
type RuleID string

// The rules.
const (
	IndexNotConcurrent  RuleID = "index-not-concurrent"
	RewritingAddColumn  RuleID = "add-column-rewrite"
	ColumnTypeChange    RuleID = "column-type-change"
	SetNotNullUnchecked RuleID = "set-not-null-unchecked"
	ConstraintValidated RuleID = "constraint-not-valid-missing"
	DataLossUnmarked    RuleID = "data-loss-unmarked"
	LockTimeoutOff      RuleID = "lock-timeout-off"
	SQLSyntax           RuleID = "sql-syntax"
	GoStep              RuleID = "go-step"
	UnreadableStep      RuleID = "unreadable-step"
)

// Rule describes one rule.
type Rule struct {
	ID       RuleID
	Severity Severity
	// Summary says what the rule finds and what to do instead.
	Summary string
}

// Rules lists every rule, as `schemadiff lint --help` documents them.
var Rules = []Rule{
	{IndexNotConcurrent, Error, "CREATE INDEX without CONCURRENTLY, or ADD PRIMARY KEY / UNIQUE without USING INDEX, on a table that existed before the migration: writes are blocked while the index builds; use CREATE INDEX CONCURRENTLY in a migrate.SQLCreateIndexConcurrently step"},
	{RewritingAddColumn, Error, "ADD COLUMN with a volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval(), a serial type), an identity or a stored generated column on an existing table: the table is rewritten under an ACCESS EXCLUSIVE lock; add the column without a default, set the default, and backfill in batches"},
	{ColumnTypeChange, Warning, "ALTER COLUMN TYPE on an existing table: unless the types are binary-coercible (varchar(n) to a wider varchar or text) the table and its indexes are rewritten under an ACCESS EXCLUSIVE lock, and a USING cast depends on the data"},
	{SetNotNullUnchecked, Error, "SET NOT NULL on an existing table without a validated CHECK (col IS NOT NULL) earlier in the migration: the whole table is scanned under an ACCESS EXCLUSIVE lock; add the check NOT VALID, VALIDATE CONSTRAINT it, then SET NOT NULL"},
	{ConstraintValidated, Error, "ADD FOREIGN KEY or CHECK without NOT VALID on an existing table: the table is scanned while the lock is held; add it NOT VALID and VALIDATE CONSTRAINT in a later statement"},
	{DataLossUnmarked, Error, "DROP TABLE or DROP COLUMN without a // HAZARD comment above the step: the data is lost; say so with a comment such as // HAZARD data loss: drops column x"},
	{LockTimeoutOff, Warning, "a migration that turns lock_timeout off (SET lock_timeout = 0, RESET, or LockTimeout < 0) and takes ACCESS EXCLUSIVE locks: a statement waiting for its lock queues every query on the table behind it"},
	{SQLSyntax, Error, "the SQL of a step does not parse"},
	{GoStep, Info, "a migrate.Func step: its statements are Go code, not linted"},
	{UnreadableStep, Info, "a step whose SQL is not a string literal (a variable, a call, a concatenation): not linted"},
}

// RuleByID returns the rule with the id.
func RuleByID(id RuleID) Rule {
	for _, r := range Rules {
		if r.ID == id {
			return r
		}
	}
	panic(fmt.Sprintf("lint: unknown rule %q", id))
}

// Finding is one rule matched at one place.
type Finding struct {
	// File is the migration file, as the directory was named plus the
	// file's name.
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	// Migration is the migration's version.
	Migration string   `json:"migration"`
	Rule      RuleID   `json:"rule"`
	Severity  Severity `json:"severity"`
	Message   string   `json:"message"`
}

// Result is what lint found in a directory.
type Result struct {
	// Files is how many migration files were read.
	Files    int       `json:"files"`
	Findings []Finding `json:"findings"`
}

// Count returns how many findings have the severity.
func (r *Result) Count(s Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// sortFindings orders findings by file, line, column and rule.
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Rule < b.Rule
	})
}

// DemoteErrors turns the findings at error severity into warnings, for a
// command that reports lint findings without failing on them.
func (r *Result) DemoteErrors() {
	for i := range r.Findings {
		if r.Findings[i].Severity == Error {
			r.Findings[i].Severity = Warning
		}
	}
}
