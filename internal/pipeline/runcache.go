package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/schemadiff/schemadiff/internal/version"
)

// RunnerCacheEnv names the environment variable that sets the directory
// compiled migrations runners are cached in (default
// $XDG_CACHE_HOME/schemadiff/runners or its platform equivalent, see
// os.UserCacheDir). The value "off" turns the cache off: every run compiles
// the migrations package anew.
const RunnerCacheEnv = "SCHEMADIFF_RUNNER_CACHE"

// runnerCacheOff is the value of RunnerCacheEnv that turns the cache off.
const runnerCacheOff = "off"

// keepRunners is how many compiled runners the cache keeps; older ones are
// removed once a new one is stored.
const keepRunners = 10

// keepIndexes is how many migrations directories the cache remembers the
// build inputs of.
const keepIndexes = 100

// pruneGrace protects an entry used this recently from being pruned by a
// concurrent run between its lookup and its start.
const pruneGrace = time.Minute

// cacheFormat changes whenever the layout or the key derivation changes,
// so that entries of another format are never used.
const cacheFormat = "schemadiff-runner-cache 1"

// runnerName and sumName are the files of a cache entry: the compiled
// runner and the SHA-256 of its content.
const (
	runnerName = "migrations-runner"
	sumName    = "migrations-runner.sha256"
)

// buildFlags describes the go build command line the runner is compiled
// with (the paths in it vary from run to run; what they hold is hashed).
const buildFlags = "go build " + stripFlags + " -overlay OVERLAY -o RUNNER MAIN"

// goEnvVars are the go environment settings that change what go build
// produces from the same sources.
var goEnvVars = []string{
	"GOVERSION", "GOROOT", "GOOS", "GOARCH", "GOFLAGS", "CGO_ENABLED", "GOEXPERIMENT",
	"GOAMD64", "GOARM", "GOARM64", "GO386", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64", "GOWASM",
	"GOWORK", "GOMOD", "GOMODCACHE", "GOTOOLCHAIN", "GODEBUG",
	"CC", "CXX", "CGO_CFLAGS", "CGO_CPPFLAGS", "CGO_CXXFLAGS", "CGO_LDFLAGS", "PKG_CONFIG",
}

// runnerCache is the directory of compiled runners. Entries are named by
// a key hashing everything the build reads: the tool's version, the go
// command's version, target and settings, the build flags, and the content
// of every file of the build that is not in the module cache or GOROOT
// (the migrations package, the packages of the user's module and of
// locally replaced modules it imports, their embedded files, go.mod,
// go.sum, go.work). Which files those are is learnt from go list when a
// runner is built and remembered per migrations directory (the index), so
// that an up-to-date run hashes files and runs no go command but go env.
type runnerCache struct {
	dir  string
	logf func(format string, args ...any)
}

// openRunnerCache returns the cache directory named by RunnerCacheEnv or
// the default one, created if needed, or an error saying why there is
// none (the caller then compiles without it).
func openRunnerCache(logf func(string, ...any)) (*runnerCache, error) {
	dir := os.Getenv(RunnerCacheEnv)
	switch dir {
	case runnerCacheOff:
		return nil, fmt.Errorf("$%s=%s", RunnerCacheEnv, runnerCacheOff)
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("no user cache directory (set $%s): %w", RunnerCacheEnv, err)
		}
		dir = filepath.Join(base, "schemadiff", "runners")
	}
	if err := os.MkdirAll(filepath.Join(dir, "index"), 0o755); err != nil {
		return nil, fmt.Errorf("creating the runner cache: %w", err)
	}
	return &runnerCache{dir: dir, logf: logf}, nil
}

// buildEnv is what go env says about the toolchain and settings a build
// in a directory uses, as canonical JSON.
type buildEnv struct {
	json     []byte
	modCache string
	goWork   string
}

// readBuildEnv runs go env in dir, so that the toolchain go.mod selects and
// the workspace in effect are the ones reported.
func readBuildEnv(ctx context.Context, dir string) (buildEnv, error) {
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, "go", append([]string{"env", "-json"}, goEnvVars...)...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return buildEnv{}, fmt.Errorf("reading the go environment in %s: %w\n%s", dir, err, strings.TrimSpace(errOut.String()))
	}
	var vars map[string]string
	if err := json.Unmarshal(out.Bytes(), &vars); err != nil {
		return buildEnv{}, fmt.Errorf("reading the go environment in %s: %w", dir, err)
	}
	canonical, _ := json.Marshal(vars) // map keys are sorted
	env := buildEnv{json: canonical, modCache: vars["GOMODCACHE"]}
	if w := vars["GOWORK"]; w != "" && w != "off" {
		env.goWork = w
	}
	return env, nil
}

// buildInputs are the files and directories a runner build reads outside
// the module cache and GOROOT. The listings of the directories count too,
// so that a file added to a package is noticed.
type buildInputs struct {
	ImportPath string   `json:"importPath"`
	ModRoot    string   `json:"modRoot"`
	Dir        string   `json:"dir"`
	Files      []string `json:"files"`
	Dirs       []string `json:"dirs"`
}

// listedPackage is the part of go list's output the cache needs.
type listedPackage struct {
	Dir        string
	ImportPath string
	Standard   bool
	DepOnly    bool
	Module     *struct{ GoMod string }
	GoFiles, CgoFiles, CFiles, CXXFiles, HFiles, SFiles, SysoFiles, MFiles, FFiles,
	SwigFiles, SwigCXXFiles, EmbedFiles, IgnoredGoFiles []string
}

// listedFields are the fields of listedPackage, for go list -json=.
const listedFields = "Dir,ImportPath,Standard,DepOnly,Module,GoFiles,CgoFiles,CFiles,CXXFiles,HFiles," +
	"SFiles,SysoFiles,MFiles,FFiles,SwigFiles,SwigCXXFiles,EmbedFiles,IgnoredGoFiles"

// listBuildInputs asks go list which packages the migrations package in
// dir depends on, and returns the files of those outside the module cache
// and GOROOT.
func listBuildInputs(ctx context.Context, dir, modRoot string, env buildEnv) (*buildInputs, error) {
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, "go", "list", "-deps", "-json="+listedFields, ".")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("listing the packages of %s: %w\n%s", dir, err, strings.TrimSpace(errOut.String()))
	}
	in := &buildInputs{ModRoot: modRoot, Dir: dir}
	in.Files = append(in.Files, filepath.Join(modRoot, "go.mod"), filepath.Join(modRoot, "go.sum"),
		filepath.Join(modRoot, "vendor", "modules.txt"))
	if env.goWork != "" {
		in.Files = append(in.Files, env.goWork, env.goWork+".sum")
	}
	dec := json.NewDecoder(&out)
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("reading the package list of %s: %w", dir, err)
		}
		if !p.DepOnly {
			in.ImportPath = p.ImportPath
		}
		if p.Standard || env.modCache != "" && isWithin(p.Dir, env.modCache) {
			continue // fixed by the Go version and go.sum
		}
		in.addPackage(p)
	}
	if in.ImportPath == "" {
		return nil, fmt.Errorf("listing the packages of %s: go list named no package there", dir)
	}
	in.Files = sortedUnique(in.Files)
	in.Dirs = sortedUnique(in.Dirs)
	return in, nil
}

// addPackage records the source and embedded files of a package, its
// directory and those of its embedded files, and its module's go.mod.
func (in *buildInputs) addPackage(p listedPackage) {
	in.Dirs = append(in.Dirs, p.Dir)
	if p.Module != nil && p.Module.GoMod != "" {
		in.Files = append(in.Files, p.Module.GoMod)
	}
	for _, list := range [][]string{p.GoFiles, p.CgoFiles, p.CFiles, p.CXXFiles, p.HFiles, p.SFiles, p.SysoFiles,
		p.MFiles, p.FFiles, p.SwigFiles, p.SwigCXXFiles, p.IgnoredGoFiles} {
		for _, f := range list {
			in.Files = append(in.Files, filepath.Join(p.Dir, f))
		}
	}
	for _, f := range p.EmbedFiles {
		path := filepath.Join(p.Dir, f)
		in.Files = append(in.Files, path)
		// Every directory from the package down to the file, so that a
		// file added under an embedded directory is noticed.
		for d := filepath.Dir(path); isWithin(d, p.Dir) && d != p.Dir; d = filepath.Dir(d) {
			in.Dirs = append(in.Dirs, d)
		}
	}
}

// isWithin reports whether path is dir or inside it.
func isWithin(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func sortedUnique(s []string) []string {
	sort.Strings(s)
	return slices.Compact(s)
}

// indexKey names what the cache remembers about a migrations directory
// built with a given go environment.
func indexKey(dir string, env buildEnv) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", cacheFormat, version.String(), dir)
	h.Write(env.json)
	return hex.EncodeToString(h.Sum(nil))
}

// contentKey hashes everything the build of in reads, as it is now.
func contentKey(in *buildInputs, env buildEnv) (string, error) {
	return hashInputs(in, env, func(string) bool { return true })
}

// hashInputs hashes the build settings of in and the files and
// directories of in that keep says to.
func hashInputs(in *buildInputs, env buildEnv, keep func(path string) bool) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00",
		cacheFormat, version.String(), runtime.GOOS, runtime.GOARCH, buildFlags, runnerMain, in.ImportPath, in.ModRoot, in.Dir)
	h.Write(env.json)
	for _, f := range in.Files {
		if !keep(f) {
			continue
		}
		sum, err := fileSum(f)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "\x00file %s %s", f, sum)
	}
	for _, d := range in.Dirs {
		if !keep(d) {
			continue
		}
		names, err := dirNames(d)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "\x00dir %s %q", d, names)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// fileSum is the hex SHA-256 of a file's content, or "missing".
func fileSum(path string) (string, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return "missing", nil
	}
	if err != nil {
		return "", fmt.Errorf("hashing %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hashing %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// dirNames lists a directory's entries, nil for a missing one.
func dirNames(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", dir, err)
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names, nil
}

func (c *runnerCache) indexPath(key string) string {
	return filepath.Join(c.dir, "index", key+".json")
}

func (c *runnerCache) entryDir(key string) string { return filepath.Join(c.dir, key) }

// readIndex returns the build inputs recorded for key, or nil.
func (c *runnerCache) readIndex(key string) *buildInputs {
	b, err := os.ReadFile(c.indexPath(key))
	if err != nil {
		return nil
	}
	var in buildInputs
	if json.Unmarshal(b, &in) != nil || in.ImportPath == "" {
		c.logf("runner cache: ignoring the unreadable index %s", c.indexPath(key))
		return nil
	}
	return &in
}

// writeIndex records the build inputs for key.
func (c *runnerCache) writeIndex(key string, in *buildInputs) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return writeFileAtomic(c.indexPath(key), b, 0o644)
}

// lookup returns the runner stored under key when its content matches the
// checksum stored with it. A corrupt entry is removed.
func (c *runnerCache) lookup(key string) (string, bool) {
	dir := c.entryDir(key)
	want, err := os.ReadFile(filepath.Join(dir, sumName))
	if errors.Is(err, os.ErrNotExist) {
		if _, statErr := os.Stat(dir); statErr == nil {
			c.discard(dir, "it has no checksum")
		}
		return "", false
	}
	bin := filepath.Join(dir, runnerName)
	got, sumErr := fileSum(bin)
	switch {
	case err != nil || sumErr != nil:
		c.discard(dir, fmt.Sprintf("it cannot be read: %v", errors.Join(err, sumErr)))
		return "", false
	case got != strings.TrimSpace(string(want)):
		c.discard(dir, "its content does not match its checksum")
		return "", false
	}
	now := time.Now()
	_ = os.Chtimes(dir, now, now) // the newest used are kept
	return bin, true
}

// discard removes a broken entry: renamed away first, so that no other run
// finds it half removed.
func (c *runnerCache) discard(dir, why string) {
	c.logf("runner cache: discarding %s: %s; compiling again", dir, why)
	trash, err := os.MkdirTemp(c.dir, ".trash-")
	if err != nil {
		return
	}
	if os.Rename(dir, filepath.Join(trash, "entry")) != nil {
		_ = os.RemoveAll(dir)
	}
	_ = os.RemoveAll(trash)
}

// newEntry makes a temporary directory in the cache for a runner being
// built, so that storing it is a rename within one file system.
func (c *runnerCache) newEntry() (string, error) {
	tmp, err := os.MkdirTemp(c.dir, ".tmp-")
	if err != nil {
		return "", fmt.Errorf("creating a directory in the runner cache: %w", err)
	}
	return tmp, nil
}

// store checksums the runner built in tmp (a directory from newEntry) and
// moves tmp into place as the entry of key. When a concurrent run stored
// the same key first, its entry is used and tmp removed. It returns the
// runner's path.
func (c *runnerCache) store(key, tmp string) (string, error) {
	sum, err := fileSum(filepath.Join(tmp, runnerName))
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(tmp, sumName), []byte(sum+"\n"), 0o644); err != nil {
		return "", fmt.Errorf("storing the runner's checksum: %w", err)
	}
	dir := c.entryDir(key)
	for attempt := 0; ; attempt++ {
		err := os.Rename(tmp, dir)
		if err == nil {
			return filepath.Join(dir, runnerName), nil
		}
		if bin, ok := c.lookup(key); ok {
			_ = os.RemoveAll(tmp)
			return bin, nil
		}
		if attempt > 0 {
			return "", fmt.Errorf("storing the runner in the cache: %w", err)
		}
	}
}

// prune removes all but the keepRunners most recently used runners, the
// index files beyond keepIndexes, and temporary directories left by runs
// that died. Anything used within pruneGrace stays.
func (c *runnerCache) prune() {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	var runners []os.FileInfo
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !e.IsDir() || e.Name() == "index" {
			continue
		}
		if strings.HasPrefix(e.Name(), ".") {
			if time.Since(info.ModTime()) > time.Hour {
				_ = os.RemoveAll(filepath.Join(c.dir, e.Name()))
			}
			continue
		}
		runners = append(runners, info)
	}
	c.removeOldest(c.dir, runners, keepRunners)
	if idx, err := os.ReadDir(filepath.Join(c.dir, "index")); err == nil {
		var infos []os.FileInfo
		for _, e := range idx {
			if info, err := e.Info(); err == nil {
				infos = append(infos, info)
			}
		}
		c.removeOldest(filepath.Join(c.dir, "index"), infos, keepIndexes)
	}
}

// removeOldest removes from dir the entries beyond the keep newest.
func (c *runnerCache) removeOldest(dir string, infos []os.FileInfo, keep int) {
	if len(infos) <= keep {
		return
	}
	sort.Slice(infos, func(i, j int) bool { return infos[i].ModTime().After(infos[j].ModTime()) })
	for _, info := range infos[keep:] {
		if time.Since(info.ModTime()) < pruneGrace {
			continue
		}
		c.logf("runner cache: removing the least recently used %s", filepath.Join(dir, info.Name()))
		_ = os.RemoveAll(filepath.Join(dir, info.Name()))
	}
}

// writeFileAtomic writes a file through a temporary file renamed over it,
// so that readers see the old or the new content, never part of it.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	_, err = f.Write(data)
	err = errors.Join(err, f.Chmod(perm), f.Close())
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// dependencyKey hashes what the build of the migrations package in dir
// reads outside dir (the module's other packages it imports, go.mod,
// go.sum, embedded files elsewhere) and the Go environment: a change there
// may change what an already applied migration's Go step does.
func (r Runner) dependencyKey(ctx context.Context, dir string) (string, error) {
	absDir, modRoot, err := moduleOf(dir)
	if err != nil {
		return "", err
	}
	env, err := readBuildEnv(ctx, absDir)
	if err != nil {
		return "", err
	}
	var in *buildInputs
	if cache, err := openRunnerCache(r.logf); err == nil {
		in = cache.readIndex(indexKey(absDir, env))
	}
	if in == nil {
		if in, err = listBuildInputs(ctx, absDir, modRoot, env); err != nil {
			return "", err
		}
	}
	return hashInputs(in, env, func(path string) bool { return !isWithin(path, absDir) })
}
