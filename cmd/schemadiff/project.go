package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/schemadiff/schemadiff/internal/project"
)

// projectOptions are the flags that name the project file and the target
// databases.
type projectOptions struct {
	// configPath is --config: the project file to read instead of the
	// schemadiff.toml found from the working directory upward.
	configPath string
	// target is --target: a target of the project file.
	target string
	// allTargets is --all-targets: every database of every target.
	allTargets bool
	// file is the project file read, or nil.
	file *project.File
	// fleet are the databases a command runs on when --all-targets or a
	// target listing several databases asks for more than one; nil
	// otherwise.
	fleet []project.Database
}

// projectFlagHelp describes the project file in the root command's help.
const projectFlagHelp = `Project file: schemadiff.toml, looked up from the working directory upward
(or --config PATH), is optional. It may give the schema sources (schema, a
list of paths), the migrations directory (migrations), the history table
(history_table), lock_timeout, ddl_lock_timeout and statement_timeout (as the
runner's flags of the same names), and named targets:

  [targets.prod]
  url_env = "PROD_DATABASE_URL"   # or url = "postgres://..."
  [targets.tenants]
  urls = ["postgres://db1/t1", "postgres://db1/t2"]

--target NAME stands for --db with that target's URL; apply and status run on
every database of a target that lists several, and --all-targets on every
target's. Flags given on the command line override the file; relative paths
in it are relative to its directory. Unknown keys are errors.`

// addTargetFlags adds --target to every command that takes --db, and
// --all-targets to apply and status, which can run on many databases.
func (o *options) addTargetFlags(root *cobra.Command) {
	for _, cmd := range root.Commands() {
		if cmd.Flags().Lookup("db") == nil {
			continue
		}
		cmd.Flags().StringVar(&o.project.target, "target", "",
			"the database of the target `NAME` in the project file (instead of --db)")
		if fleetCommands[cmd.Name()] {
			cmd.Flags().BoolVar(&o.project.allTargets, "all-targets", false,
				"run on every database of every target of the project file")
			o.addFleetFlags(cmd)
		}
	}
}

// fleetCommands are the commands that can run on many databases at once.
var fleetCommands = map[string]bool{"apply": true, "status": true}

// loadProject reads the project file, if there is one, and fills the
// flags of cmd that the command line did not give from it, then resolves
// --target and --all-targets.
func (o *options) loadProject(cmd *cobra.Command) error {
	path := o.project.configPath
	if path == "" {
		found, err := project.Find(".")
		if err != nil {
			return withCode(exitError, err)
		}
		path = found
	}
	if path != "" {
		f, err := project.Load(path)
		if err != nil {
			return withCode(exitError, err)
		}
		o.project.file = f
		o.logf("using project file %s", path)
		if err := applyProjectDefaults(cmd, f); err != nil {
			return withCode(exitError, fmt.Errorf("%s: %w", path, err))
		}
	}
	return o.resolveTargets(cmd)
}

// applyProjectDefaults sets the flags of cmd that the command line did not
// give to the project file's values. check keeps its --dir: without it,
// check compares with a database, and the file must not change that.
func applyProjectDefaults(cmd *cobra.Command, f *project.File) error {
	set := func(name, value string) error {
		fl := cmd.Flags().Lookup(name)
		if fl == nil || fl.Changed || value == "" {
			return nil
		}
		if err := cmd.Flags().Set(name, value); err != nil {
			return fmt.Errorf("--%s %q: %w", name, value, err)
		}
		return nil
	}
	if fl := cmd.Flags().Lookup("schema"); fl != nil && !fl.Changed {
		for _, s := range f.Schema {
			if err := set("schema", s); err != nil {
				return err
			}
		}
	}
	if cmd.Name() != "check" {
		if err := set("dir", f.Migrations); err != nil {
			return err
		}
	}
	durations := []struct {
		flag string
		d    project.Duration
	}{{"lock-timeout", f.LockTimeout}, {"ddl-lock-timeout", f.DDLLockTimeout}, {"statement-timeout", f.StatementTimeout}}
	for _, d := range durations {
		if d.d.Set {
			if err := set(d.flag, durationFlag(d.d)); err != nil {
				return err
			}
		}
	}
	return set("table", f.HistoryTable)
}

// durationFlag writes d as a duration flag takes it.
func durationFlag(d project.Duration) string {
	if d.Duration == 0 {
		return "0"
	}
	return d.Duration.String()
}

// resolveTargets turns --target and --all-targets into --db, or into the
// fleet of databases apply and status run on.
func (o *options) resolveTargets(cmd *cobra.Command) error {
	p := &o.project
	if p.target == "" && !p.allTargets {
		return nil
	}
	if p.target != "" && p.allTargets {
		return withCode(exitError, errors.New("--target and --all-targets name different databases: give one of them"))
	}
	if db := cmd.Flags().Lookup("db"); db != nil && db.Changed {
		return withCode(exitError, errors.New("--db and --target (or --all-targets) both name the database: give one of them"))
	}
	if p.file == nil {
		return withCode(exitError, fmt.Errorf("--target and --all-targets need a project file: none was found from the working directory upward (%s), and --config names none", project.FileName))
	}
	var dbs []project.Database
	var err error
	if p.allTargets {
		dbs, err = p.file.AllDatabases(os.Getenv)
	} else {
		dbs, err = p.file.Databases(p.target, os.Getenv)
	}
	if err != nil {
		return withCode(exitError, err)
	}
	if len(dbs) == 1 && !p.allTargets {
		return cmd.Flags().Set("db", dbs[0].URL)
	}
	if !fleetCommands[cmd.Name()] {
		return withCode(exitError, fmt.Errorf("target %q lists %d databases; %s runs on one: give --db, or a target with one database (apply and status run on many)",
			p.target, len(dbs), cmd.Name()))
	}
	p.fleet = dbs
	return nil
}

// targetLabels names the databases of a fleet, for messages.
func targetLabels(dbs []project.Database) string {
	labels := make([]string, len(dbs))
	for i, d := range dbs {
		labels[i] = d.Label
	}
	return strings.Join(labels, ", ")
}
