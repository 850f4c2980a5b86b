// Package version says which build of schemadiff is running, for --version
// and for the headers of generated files.
package version

import (
	"runtime/debug"
	"sync"
)

// devel is the version of a build whose module version is unknown, as the
// go tool itself names it.
const devel = "(devel)"

// revisionLen is how many hex digits of a VCS revision are shown.
const revisionLen = 12

var (
	once   sync.Once
	cached string
)

// String returns the version of the running schemadiff: the main module's
// version (e.g. v1.2.3, or a pseudo-version for a build of an untagged
// commit), or "(devel)" followed by the VCS revision the binary was built
// from, if known, with "-dirty" when the work tree had local changes.
func String() string {
	once.Do(func() {
		info, ok := debug.ReadBuildInfo()
		if !ok {
			cached = devel
			return
		}
		cached = fromBuildInfo(info)
	})
	return cached
}

// fromBuildInfo derives the version string from build information.
func fromBuildInfo(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != devel {
		return v
	}
	var revision string
	var modified bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if revision == "" {
		return devel
	}
	if len(revision) > revisionLen {
		revision = revision[:revisionLen]
	}
	if modified {
		revision += "-dirty"
	}
	return devel + " " + revision
}

// Build describes the running build for `schemadiff version`: its version,
// the VCS commit it was built from and the Go release that built it.
type Build struct {
	// Version is what String returns.
	Version string
	// Revision is the full VCS commit, "" when the build does not record
	// one (go install module@version, or -buildvcs=false).
	Revision string
	// Modified is set when the work tree had uncommitted changes.
	Modified bool
	// GoVersion is the Go release the binary was built with.
	GoVersion string
}

// Current returns the description of the running build.
func Current() Build {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return Build{Version: String()}
	}
	return buildFrom(info)
}

// buildFrom derives a Build from build information.
func buildFrom(info *debug.BuildInfo) Build {
	b := Build{Version: fromBuildInfo(info), GoVersion: info.GoVersion}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

// String is the one-line description: the version, then the commit (with
// ", modified" for a work tree with local changes, "unknown" when not
// recorded) and the Go release, e.g.
// "v1.2.3 (commit 0123456789abcdef..., built with go1.26.1)".
func (b Build) String() string {
	commit := "unknown"
	if b.Revision != "" {
		commit = b.Revision
		if b.Modified {
			commit += ", modified"
		}
	}
	s := b.Version + " (commit " + commit
	if b.GoVersion != "" {
		s += ", built with " + b.GoVersion
	}
	return s + ")"
}
