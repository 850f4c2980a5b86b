package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/schemadiff/schemadiff/internal/pipeline"
)

// checkNotBehind refuses to generate against the database at url (none
// when empty) when it has not applied every migration of md: planning from
// it would write a migration repeating the pending ones. Migrations the
// database records but md lacks are named in a warning.
func (o *options) checkNotBehind(ctx context.Context, url string, md *pipeline.MigrationsDir) error {
	if url == "" || len(md.Versions) == 0 {
		return nil
	}
	o.logf("reading which migrations of %s the database has applied", md.Dir)
	states, err := pipeline.MigrationStates(ctx, md.Dir, url)
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
	return withCode(exitError, fmt.Errorf("the database lags behind %s: %d migration(s) there are not applied to it:\n%s\napply them first (schemadiff apply --db URL --dir %s), then generate: planned from this database, the new migration would repeat them",
		md.Dir, len(pending), strings.Join(pending, "\n"), md.Dir))
}
