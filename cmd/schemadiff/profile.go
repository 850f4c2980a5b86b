package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
)

// cpuProfileEnv names the environment variable that, set to a file path,
// makes schemadiff write a CPU profile of the whole command there (read it
// with `go tool pprof`), for measuring where a slow run spends its time.
const cpuProfileEnv = "SCHEMADIFF_CPUPROFILE"

// startCPUProfile starts the CPU profile $SCHEMADIFF_CPUPROFILE asks for,
// if any, and returns the function that ends and writes it. A profile that
// cannot be written is a warning: the command runs anyway.
func startCPUProfile(stderr io.Writer) (stop func()) {
	path := os.Getenv(cpuProfileEnv)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(stderr, "warning: $%s: %v: no CPU profile is written\n", cpuProfileEnv, err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		fmt.Fprintf(stderr, "warning: $%s: %v: no CPU profile is written\n", cpuProfileEnv, err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintf(stderr, "warning: $%s: writing %s: %v\n", cpuProfileEnv, path, err)
		}
	}
}
