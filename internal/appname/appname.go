// Package appname names schemadiff's programs where others see them: its
// database connections, so that a DBA sees who is connected in
// pg_stat_activity, and the error messages of the command and of its
// migrations runner.
package appname

import (
	"fmt"
	"io"

	"github.com/jackc/pgx/v5/pgconn"
)

// CLI is the application_name of the connections the schemadiff command
// opens itself.
const CLI = "schemadiff"

// Runner returns the application_name of the migrations runner's
// connection for command, e.g. "schemadiff-runner apply".
func Runner(command string) string { return "schemadiff-runner " + command }

// Set sets application_name to name in cfg unless the URL (or $PGAPPNAME)
// already chose one: a name the user gave always wins.
func Set(cfg *pgconn.Config, name string) {
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = name
	}
}

// PrintError writes err to w the way the schemadiff command and its
// migrations runner report errors: one style for both, "schemadiff: <err>".
func PrintError(w io.Writer, err error) {
	fmt.Fprintf(w, "%s: %v\n", CLI, err)
}
