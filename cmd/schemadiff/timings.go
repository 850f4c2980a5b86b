package main

import (
	"context"
	"os"
	"strconv"

	"github.com/schemadiff/schemadiff/internal/phase"
)

// timingsEnv names the environment variable that, set to true or 1, makes
// plan print the time of each of its phases to stderr, as --verbose does.
const timingsEnv = "SCHEMADIFF_TIMINGS"

// timings returns ctx carrying a phase recorder when --verbose or
// $SCHEMADIFF_TIMINGS asks for the phase times, and the function printing
// them ("timing: <phase>: <seconds>s" lines) at the end of the command.
func (o *options) timings(ctx context.Context) (context.Context, func()) {
	on := false
	if v := os.Getenv(timingsEnv); v != "" {
		var err error
		if on, err = strconv.ParseBool(v); err != nil {
			o.warnf("%s=%q is not a boolean (true, 1, false, 0): phase times are not printed", timingsEnv, v)
		}
	}
	if !on && !o.verbose {
		return ctx, func() {}
	}
	r := phase.NewRecorder()
	return phase.WithRecorder(ctx, r), func() { r.Write(o.stderr) }
}
