package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/schemadiff/schemadiff/internal/lint"
	"github.com/schemadiff/schemadiff/internal/termcolor"
	"github.com/schemadiff/schemadiff/migrate"
)

// newLintCommand is schemadiff lint: dangerous patterns in the SQL of
// migration files.
func newLintCommand(o *options) *cobra.Command {
	var dir, format string
	cmd := &cobra.Command{
		Use:   "lint --dir DIR [--format text|json|github]",
		Short: "Report dangerous patterns in the SQL of migration files",
		Long: `lint reads the SQL string literals of the Up steps of the migrations in DIR
(migrate.SQL, SQLNoTx, SQLCommitFirst, SQLCreateIndexConcurrently), parses
them with PostgreSQL's grammar and reports, at the file and line of each
statement, patterns that block or rewrite a table that existed before the
migration, or lose data without saying so. Tables the migration creates
itself are exempt. No database is read; Down steps are not linted.

Rules (id, severity):
` + ruleHelp() + `
The runner sets lock_timeout on every migration's statements (apply
--ddl-lock-timeout, default ` + migrate.DefaultDDLLockTimeout.String() + `), so a migration needs no SET lock_timeout
of its own; lock-timeout-off reports one that turns it off.

A step whose SQL is not a string literal, and a migrate.Func step, are
named as notes: they are not linted.

Output: text (file:line:col: severity [rule] ...), json ({"files",
"errors", "warnings", "notes", "findings": [{"file", "line", "column",
"migration", "rule", "severity", "message"}]}) or github (workflow
annotations on the migration's line).

Exit codes: 0 no finding at error severity, 1 findings at error severity,
2 error (the directory or a file cannot be read).`,
		Example: `  schemadiff lint --dir migrations/
  schemadiff lint --dir migrations/ --format github   # in a GitHub Actions step`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if dir == "" {
				return withCode(exitError, errors.New("no migrations directory: pass --dir DIR"))
			}
			f, err := lint.ParseFormat(format)
			if err != nil {
				return withCode(exitError, err)
			}
			if _, err := o.color.mode(); err != nil {
				return err
			}
			res, err := lint.Dir(dir)
			if err != nil {
				return withCode(exitError, err)
			}
			if err := o.writeLint(o.stdout, res, f); err != nil {
				return withCode(exitError, fmt.Errorf("writing the findings: %w", err))
			}
			if res.Count(lint.Error) > 0 {
				return withCode(exitDrift, nil)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "migrations directory")
	cmd.Flags().StringVar(&format, "format", string(lint.FormatText), "output format: text, json or github")
	o.color.add(cmd)
	return cmd
}

// writeLint writes the findings to w in format f, text coloured as --color
// says (errors red, warnings yellow).
func (o *options) writeLint(w io.Writer, res *lint.Result, f lint.Format) error {
	if f != lint.FormatText {
		return res.Write(w, f)
	}
	var buf bytes.Buffer
	if err := res.Write(&buf, f); err != nil {
		return err
	}
	return o.writeColored(w, buf.String(), termcolor.LintLine)
}

// ruleHelp lists the lint rules for the help text.
func ruleHelp() string {
	var b strings.Builder
	for _, r := range lint.Rules {
		fmt.Fprintf(&b, "  %s (%s): %s\n", r.ID, r.Severity, r.Summary)
	}
	return b.String()
}

// lintForCheck lints the migrations directory of check --dir (nothing
// without one): findings go to stderr as text, or to stdout as annotations
// with --format github. Unless lintErrors, findings at error severity are
// reported as warnings; with it, it returns whether any was found.
func (o *options) lintForCheck(dir, format string, lintErrors bool) (bool, error) {
	if dir == "" {
		return false, nil
	}
	res, err := lint.Dir(dir)
	if err != nil {
		return false, withCode(exitError, fmt.Errorf("linting the migrations: %w", err))
	}
	if !lintErrors {
		res.DemoteErrors()
	}
	if len(res.Findings) == 0 {
		return false, nil
	}
	if format == formatGitHub {
		err = res.Write(o.stdout, lint.FormatGitHub)
	} else {
		err = o.writeLint(o.stderr, res, lint.FormatText)
	}
	if err != nil {
		return false, withCode(exitError, fmt.Errorf("writing the lint findings: %w", err))
	}
	return res.Count(lint.Error) > 0, nil
}
