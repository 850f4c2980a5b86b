// Package pgserver runs a private, throwaway PostgreSQL server and hands out
// scratch databases, either on that embedded server or on an existing server
// given by URL.
package pgserver

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// ErrNoBinaries is returned (wrapped) when no PostgreSQL server binaries are
// found.
var ErrNoBinaries = errors.New("PostgreSQL server binaries (initdb, postgres) not found in PATH, pg_config --bindir or /usr/lib/postgresql/*/bin: install them (Debian/Ubuntu: apt-get install postgresql) or pass --dev-url to use an existing server")

// FindBinDir returns a directory holding both initdb and postgres. It looks,
// in order, at PATH, the output of `pg_config --bindir`,
// /usr/lib/postgresql/*/bin (highest version first) and /usr/local/pgsql/bin.
// It returns ErrNoBinaries when none qualifies.
func FindBinDir() (string, error) {
	for _, name := range []string{"initdb", "postgres"} {
		p, err := exec.LookPath(name)
		if err != nil {
			continue
		}
		// Prefer the real installation directory over a directory of
		// symlinks (e.g. /usr/local/bin/initdb -> .../15/bin/initdb).
		if real, err := filepath.EvalSymlinks(p); err == nil {
			if dir := filepath.Dir(real); hasServerBinaries(dir) {
				return absDir(dir), nil
			}
		}
		if dir := filepath.Dir(p); hasServerBinaries(dir) {
			return absDir(dir), nil
		}
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		if dir := strings.TrimSpace(string(out)); dir != "" && hasServerBinaries(dir) {
			return absDir(dir), nil
		}
	}
	for _, dir := range debianBinDirs() {
		if hasServerBinaries(dir) {
			return dir, nil
		}
	}
	if dir := "/usr/local/pgsql/bin"; hasServerBinaries(dir) {
		return dir, nil
	}
	return "", ErrNoBinaries
}

// binDir resolves the directory to take binaries from: the override when
// given (it must hold initdb and postgres), else FindBinDir.
func binDir(override string) (string, error) {
	if override == "" {
		return FindBinDir()
	}
	if !hasServerBinaries(override) {
		return "", fmt.Errorf("bin dir %s does not contain initdb and postgres: %w", override, ErrNoBinaries)
	}
	return absDir(override), nil
}

// debianBinDirs lists /usr/lib/postgresql/<version>/bin, highest version
// first.
func debianBinDirs() []string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	version := func(dir string) float64 {
		v, err := strconv.ParseFloat(filepath.Base(filepath.Dir(dir)), 64)
		if err != nil {
			return -1
		}
		return v
	}
	sort.SliceStable(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	return dirs
}

func hasServerBinaries(dir string) bool {
	return isExecutable(filepath.Join(dir, exeName("initdb"))) &&
		isExecutable(filepath.Join(dir, exeName("postgres")))
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	return fi.Mode().Perm()&0o111 != 0 || exeSuffix != ""
}

func exeName(name string) string { return name + exeSuffix }

func absDir(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}
