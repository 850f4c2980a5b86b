package version

import (
	"runtime/debug"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	tests := []struct {
		name     string
		version  string
		settings map[string]string
		want     string
	}{
		{name: "tagged", version: "v1.2.3", settings: map[string]string{"vcs.revision": "abc"}, want: "v1.2.3"},
		{name: "empty", version: "", want: "(devel)"},
		{name: "devel without vcs", version: "(devel)", want: "(devel)"},
		{name: "devel with revision", version: "(devel)",
			settings: map[string]string{"vcs.revision": "0123456789abcdef0123"}, want: "(devel) 0123456789ab"},
		{name: "dirty", version: "(devel)",
			settings: map[string]string{"vcs.revision": "0123456789abcdef0123", "vcs.modified": "true"}, want: "(devel) 0123456789ab+dirty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			info := &debug.BuildInfo{Main: debug.Module{Version: tc.version}}
			for k, v := range tc.settings {
				info.Settings = append(info.Settings, debug.BuildSetting{Key: k, Value: v})
			}
			if got := fromBuildInfo(info); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	if String() == "" {
		t.Error("String is empty")
	}
}
