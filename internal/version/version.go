// Package version reports which build of schemadiff is running, for the
// headers of generated files and for --version.
package version

import (
	"runtime/debug"
	"sync"
)

// devel is what the go command reports for a main module built from a
// checkout rather than installed at a tagged version.
const devel = "(devel)"

// shortRevision is how many characters of a commit hash are shown.
const shortRevision = 12

var (
	once   sync.Once
	cached string
)

// String returns the version of the schemadiff module: its tag when built
// with `go install ...@vX.Y.Z`, else "(devel)", followed by the commit
// ("(devel) 1a2b3c4d5e6f") and "+dirty" for uncommitted changes when the go
// command recorded them. It is computed once.
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

// fromBuildInfo computes String from the build information.
func fromBuildInfo(info *debug.BuildInfo) string {
	v := info.Main.Version
	if v == "" {
		v = devel
	}
	if v != devel {
		return v
	}
	var rev string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return v
	}
	if len(rev) > shortRevision {
		rev = rev[:shortRevision]
	}
	if dirty {
		rev += "+dirty"
	}
	return v + " " + rev
}
