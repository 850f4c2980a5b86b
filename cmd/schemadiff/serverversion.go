package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/schemadiff/schemadiff/internal/pgserver"
)

// serverVersion is a PostgreSQL server's version.
type serverVersion struct {
	// num is server_version_num, e.g. 150004 (90624 for 9.6.24).
	num int
	// text is server_version, e.g. "15.4" or "16.1 (Debian 16.1-1)".
	text string
}

// major is the major version as PostgreSQL numbers it: 15 for 15.4, 906
// for 9.6.24.
func (v serverVersion) major() int {
	if v.num >= 100000 {
		return v.num / 10000
	}
	return v.num / 100
}

// majorName is the major version as packages name it: "15", "9.6".
func (v serverVersion) majorName() string {
	m := v.major()
	if v.num >= 100000 {
		return strconv.Itoa(m)
	}
	return fmt.Sprintf("%d.%d", m/100, m%100)
}

// versionMismatchError is a scratch server whose major version differs
// from the target database's.
type versionMismatchError struct {
	target, scratch serverVersion
	// devURL is set when the scratch server is --dev-url's.
	devURL bool
}

// Error names both versions, why it matters and how to fix it.
func (e *versionMismatchError) Error() string {
	where := "the embedded scratch server runs the PostgreSQL binaries installed here"
	if e.devURL {
		where = "the --dev-url server"
	}
	t := e.target.majorName()
	return fmt.Sprintf("the target database runs PostgreSQL %s but %s is PostgreSQL %s: PostgreSQL prints defaults, checks and view definitions differently across major versions, so the plan could hold changes that are not real or miss real ones. "+
		"Install the PostgreSQL %s server binaries (e.g. apt-get install postgresql-%s; schemadiff finds them in /usr/lib/postgresql/%s/bin, on PATH or through pg_config), "+
		"or pass --dev-url with a PostgreSQL %s server",
		e.target.text, where, e.scratch.text, t, t, t, t)
}

// compareVersions returns a *versionMismatchError when the major versions
// differ, else nil.
func compareVersions(target, scratch serverVersion, devURL bool) error {
	if target.major() == scratch.major() {
		return nil
	}
	return &versionMismatchError{target: target, scratch: scratch, devURL: devURL}
}

// targetVersion reads the version of the database at url.
func targetVersion(ctx context.Context, url string) (serverVersion, error) {
	conn, err := connectURL(ctx, url)
	if err != nil {
		return serverVersion{}, fmt.Errorf("reading the database's version: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var v serverVersion
	err = conn.QueryRow(ctx, "SELECT current_setting('server_version_num')::int, current_setting('server_version')").Scan(&v.num, &v.text)
	if err != nil {
		return serverVersion{}, fmt.Errorf("reading the database's version: %w", err)
	}
	return v, nil
}

// matchingBinDir returns the directory of the server binaries of the
// target's major version when they are installed where Debian and Ubuntu
// put them (/usr/lib/postgresql/<major>/bin), or "".
func matchingBinDir(target serverVersion) string {
	dir := filepath.Join("/usr/lib/postgresql", target.majorName(), "bin")
	for _, name := range []string{"initdb", "postgres"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Mode().Perm()&0o111 == 0 {
			return ""
		}
	}
	return dir
}

// prepareVersionMatch reads the target's version before the scratch
// server starts and, unless --dev-url, chooses the installed server
// binaries of the same major version when there are some.
func (o *options) prepareVersionMatch(ctx context.Context, url string) (serverVersion, error) {
	v, err := targetVersion(ctx, url)
	if err != nil {
		return v, withCode(exitError, err)
	}
	if o.devURL == "" {
		if dir := matchingBinDir(v); dir != "" && !sameBinDir(dir) {
			o.logf("target runs PostgreSQL %s: using the server binaries in %s for the scratch server", v.text, dir)
			o.scratchBinDir = dir
		}
	}
	return v, nil
}

// mismatchAction is what a command does when the scratch server's major
// version differs from the target database's.
type mismatchAction int

const (
	// mismatchWarn reports the mismatch on stderr and goes on.
	mismatchWarn mismatchAction = iota
	// mismatchRefuse stops the command with exit 2.
	mismatchRefuse
)

// versionMismatchAction decides what command does on a major-version
// mismatch: plan and check only print a plan, so they warn; generate
// writes a migration that is kept and applied later, so it refuses unless
// --allow-version-mismatch (allow) says to go on.
func versionMismatchAction(command string, allow bool) mismatchAction {
	if command == "generate" && !allow {
		return mismatchRefuse
	}
	return mismatchWarn
}

// checkScratchVersion compares the scratch server's version with the
// target's: a different major version is a warning for plan and check, and
// an error (exit 2) for generate unless --allow-version-mismatch.
func (o *options) checkScratchVersion(ctx context.Context, s *pgserver.Scratch, target serverVersion) error {
	num, text, err := s.ServerVersion(ctx)
	if err != nil {
		return withCode(exitError, err)
	}
	err = compareVersions(target, serverVersion{num: num, text: text}, o.devURL != "")
	if err == nil {
		return nil
	}
	switch {
	case versionMismatchAction(o.command, o.allowVersionMismatch) == mismatchRefuse:
		return withCode(exitError, fmt.Errorf("%w; --allow-version-mismatch generates the migration anyway", err))
	case o.allowVersionMismatch:
		o.warnf("%v (allowed by --allow-version-mismatch)", err)
	default:
		o.warnf("%v", err)
	}
	return nil
}

// sameBinDir reports whether dir is where the scratch server's binaries
// are found anyway, so that choosing it changes nothing.
func sameBinDir(dir string) bool {
	found, err := pgserver.FindBinDir()
	return err == nil && filepath.Clean(found) == filepath.Clean(dir)
}
