package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// repeatedFlagError is the error for a single-valued flag given more than
// once on the command line: keeping the last value silently would run the
// command with a database, directory or format the user may not have
// meant.
type repeatedFlagError struct {
	name          string
	first, second string
}

func (e *repeatedFlagError) Error() string {
	return fmt.Sprintf("--%s is given more than once (%q, then %q): it takes a single value, give it once", e.name, e.first, e.second)
}

// onceValue wraps the value of a single-valued flag so that setting it a
// second time is an error.
type onceValue struct {
	pflag.Value
	name  string
	set   bool
	first string
}

func (v *onceValue) Set(s string) error {
	if v.set {
		return &repeatedFlagError{name: v.name, first: v.first, second: s}
	}
	v.set, v.first = true, s
	return v.Value.Set(s)
}

// Type is the wrapped value's type: help output and cobra's handling of
// boolean flags depend on it.
func (v *onceValue) Type() string { return v.Value.Type() }

// refuseRepeatedFlags makes every single-valued flag of cmd and of its
// subcommands an error when given twice. Flags that collect several values
// (string slices and arrays, such as --schema and --exclude) are left
// alone.
func refuseRepeatedFlags(cmd *cobra.Command) {
	guard := func(f *pflag.Flag) {
		if _, many := f.Value.(pflag.SliceValue); many {
			return
		}
		if _, done := f.Value.(*onceValue); done {
			return
		}
		f.Value = &onceValue{Value: f.Value, name: f.Name}
	}
	cmd.Flags().VisitAll(guard)
	cmd.PersistentFlags().VisitAll(guard)
	for _, sub := range cmd.Commands() {
		refuseRepeatedFlags(sub)
	}
	cmd.SetFlagErrorFunc(flagError)
}

// flagError keeps a repeated flag's own message, without pflag's
// `invalid argument "x" for "--db" flag` prefix, which reads as if the
// value were wrong.
func flagError(_ *cobra.Command, err error) error {
	if re, ok := errors.AsType[*repeatedFlagError](err); ok {
		return re
	}
	return err
}
