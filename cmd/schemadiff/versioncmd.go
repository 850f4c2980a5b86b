package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/schemadiff/schemadiff/internal/version"
)

// versionLine is what `schemadiff version` and `schemadiff --version`
// print: the version, the VCS commit and the Go release of the build.
func versionLine() string { return "schemadiff " + version.Current().String() }

func newVersionCommand(o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version and the commit schemadiff was built from",
		Long: `version prints the version of this schemadiff, the VCS commit it was built
from (", modified" when the work tree had local changes; "unknown" for a
build that does not record it) and the Go release that built it.
schemadiff --version prints the same line.`,
		Args: cobra.NoArgs,
		// The project file plays no part: version works next to a broken one.
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(o.stdout, versionLine())
			return err
		},
	}
}
