package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/schemadiff/schemadiff/schema"
	"github.com/schemadiff/schemadiff/schema/gowriter"
)

// inspectGoFlags are inspect's flags for writing Go models.
type inspectGoFlags struct {
	format string
	pkg    string
	tags   string
}

func (f *inspectGoFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.format, "format", "sql", "output format: sql, or go for Go structs with schemadiff tags")
	cmd.Flags().StringVar(&f.pkg, "package", "models", "the Go package name of the file written by --format go")
	cmd.Flags().StringVar(&f.tags, "tags", string(gowriter.TagsSchemadiff), "the struct tags written by --format go: schemadiff, or gorm for GORM models")
}

// check refuses a format it does not know and Go flags without --format go.
func (f *inspectGoFlags) check(cmd *cobra.Command) error {
	switch f.format {
	case "sql":
		for _, name := range []string{"package", "tags"} {
			if cmd.Flags().Changed(name) {
				return fmt.Errorf("--%s is for --format go", name)
			}
		}
	case "go":
	default:
		return fmt.Errorf("unknown --format %q: the formats are sql and go", f.format)
	}
	return nil
}

// writeGoModels writes the catalog as Go models on stdout and names what
// they cannot express in warnings.
func writeGoModels(o *options, cat *schema.Catalog, f *inspectGoFlags) error {
	res, err := gowriter.Write(cat, gowriter.Options{Package: f.pkg, Tags: gowriter.Tags(f.tags)})
	if err != nil {
		return withCode(exitError, err)
	}
	for _, n := range res.NotExpressible {
		o.warnf("not written as Go (schemadiff tags cannot express it; keep it in SQL): %s", n)
	}
	if _, err := o.stdout.Write(res.Source); err != nil {
		return withCode(exitError, fmt.Errorf("writing the Go models: %w", err))
	}
	return nil
}
