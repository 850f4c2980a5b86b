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
