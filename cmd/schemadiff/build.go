package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/schemadiff/schemadiff/internal/pipeline"
)

// newBuildCommand is schemadiff build: the migrations runner as a
// standalone binary.
func newBuildCommand(o *options) *cobra.Command {
	var dir, out string
	cmd := &cobra.Command{
		Use:   "build --dir DIR -o FILE",
		Short: "Compile the migrations into a standalone runner that needs no Go toolchain",
		Long: `build compiles the migrations package in DIR, with a main that calls
migrate.Main, into the binary FILE: the same program apply, rollback and
status compile and run, so that a production machine can run

  FILE apply --db URL
  FILE status --db URL
  FILE rollback --db URL [--steps N]
  FILE history --db URL

without Go or schemadiff installed (FILE --help lists its commands and
flags). GOOS, GOARCH and CGO_ENABLED choose the platform, as for go build.
An application may instead apply its own migrations at start-up with
migrate.NewMigrator over the package's Migrations.`,
		Example: `  schemadiff build --dir migrations/ -o bin/migrate
  CGO_ENABLED=0 GOOS=linux GOARCH=arm64 schemadiff build --dir migrations/ -o bin/migrate-arm64
  bin/migrate apply --db "$DATABASE_URL"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if dir == "" {
				return withCode(exitError, errors.New("no migrations directory: pass --dir DIR"))
			}
			if out == "" {
				return withCode(exitError, errors.New("no output file: pass -o FILE"))
			}
			if _, err := pipeline.ReadMigrationsDir(dir); err != nil {
				return withCode(exitError, err)
			}
			if err := o.runner().Build(cmd.Context(), dir, out); err != nil {
				return withCode(exitError, fmt.Errorf("building the migrations runner: %w", err))
			}
			o.logf("wrote %s", out)
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "migrations directory (a Go package inside your module)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "the runner binary to write")
	return cmd
}
