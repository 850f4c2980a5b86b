package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/schemadiff/schemadiff/internal/pipeline"
)

// checkNotBehind refuses the database at url as the current state when it
// has not applied every migration in dir (none when dir is empty):
// planning from it would write a migration repeating the pending ones.
// What is applied is what the history table records, read by the compiled
// runner as status reads it. Migrations the database records but dir lacks
// are named in a warning.
func (o *options) checkNotBehind(ctx context.Context, url, dir string) error {
	if dir == "" {
		return nil
	}
	md, err := pipeline.ReadMigrationsDir(dir)
	if err != nil {
		return withCode(exitError, err)
	}
	if len(md.Versions) == 0 {
		return nil
	}
	o.logf("reading which migrations of %s the database has applied", md.Dir)
	states, err := o.runner().States(ctx, md.Dir, url)
	if err != nil {
		return withCode(exitError, err)
	}
	var pending, unknown []string
	for _, m := range states {
		switch {
		case m.NotApplied():
			pending = append(pending, "  "+m.String())
		case m.State == "unknown":
			unknown = append(unknown, m.Version+" "+m.Name)
		}
	}
	if len(unknown) > 0 {
		fmt.Fprintf(o.stderr, "warning: the database records %d migration(s) that %s does not hold: %s; the new migration is planned from the database as it is\n",
			len(unknown), md.Dir, strings.Join(unknown, ", "))
	}
	if len(pending) == 0 {
		return nil
	}
	return withCode(exitError, fmt.Errorf("the database lags behind %s: %d migration(s) there are not (fully) applied to it:\n%s\napply them first (schemadiff apply --db URL --dir %s), then generate: planned from this database, the new migration would repeat them",
		md.Dir, len(pending), strings.Join(pending, "\n"), md.Dir))
}
