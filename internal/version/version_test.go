package version

import (
	"runtime/debug"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	for _, c := range []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"tagged", debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
		{"pseudo-version", debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261201203000-0123456789ab+dirty"}},
			"v0.0.0-20261201203000-0123456789ab+dirty"},
		{"devel without vcs", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "(devel)"},
		{"no version", debug.BuildInfo{}, "(devel)"},
		{"devel with revision", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "false"}}}, "(devel) 0123456789ab"},
		{"devel modified", debug.BuildInfo{Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "true"}}}, "(devel) abc-dirty"},
	} {
		if got := fromBuildInfo(&c.info); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestStringIsStable(t *testing.T) {
	if a, b := String(), String(); a == "" || a != b {
		t.Fatalf("String() = %q then %q", a, b)
	}
}

// TestBuildString: the version line names the commit, whether the work tree
// was modified, and the Go release; an unrecorded commit is "unknown".
func TestBuildString(t *testing.T) {
	for _, c := range []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"clone", debug.BuildInfo{GoVersion: "go1.26.1", Main: debug.Module{Version: "v0.0.0-20261201203000-0123456789ab"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "false"}}},
			"v0.0.0-20261201203000-0123456789ab (commit 0123456789abcdef0123, built with go1.26.1)"},
		{"modified", debug.BuildInfo{GoVersion: "go1.26.1", Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "true"}}},
			"(devel) abc-dirty (commit abc, modified, built with go1.26.1)"},
		{"module install", debug.BuildInfo{GoVersion: "go1.26.1", Main: debug.Module{Version: "v1.2.3"}},
			"v1.2.3 (commit unknown, built with go1.26.1)"},
	} {
		if got := buildFrom(&c.info).String(); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
