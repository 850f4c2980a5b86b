package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/schemadiff/schemadiff/internal/termcolor"
)

// colorFlag is the value of --color of plan, check and lint.
type colorFlag struct{ value string }

// add declares --color on cmd.
func (c *colorFlag) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&c.value, "color", string(termcolor.Auto), termcolor.FlagUsage)
}

// mode returns the parsed --color; the zero colorFlag (a command without
// the flag) is Never.
func (c *colorFlag) mode() (termcolor.Mode, error) {
	if c.value == "" {
		return termcolor.Never, nil
	}
	m, err := termcolor.ParseMode(c.value)
	if err != nil {
		return "", withCode(exitError, err)
	}
	return m, nil
}

// writeColored writes text to w, coloured line by line by classify when
// o's --color colours w.
func (o *options) writeColored(w io.Writer, text string, classify func(string) termcolor.Style) error {
	m, err := o.color.mode()
	if err != nil {
		return err
	}
	return termcolor.Write(w, m, text, classify)
}
