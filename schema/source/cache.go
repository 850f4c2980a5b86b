package source

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// ParseCacheEnv names the environment variable that sets the directory
// the parse cache is kept in (default <user cache dir>/schemadiff/parse,
// next to the cluster cache, see os.UserCacheDir). The value "off" (or
// "0", "false", "no", "none") turns it off: every statement is parsed.
const ParseCacheEnv = "SCHEMADIFF_PARSE_CACHE"

// keepParseCaches is how many sources the parse cache keeps; the least
// recently used ones are removed once a new one is stored.
const keepParseCaches = 64

// maxParseCache bounds the size of one source's cache file: a larger one
// is not written.
const maxParseCache = 256 << 20

// parseCacheSuffix ends the name of every cache file.
const parseCacheSuffix = ".parse"

// Options tune Load.
type Options struct {
	// Logf, when set, is given progress messages (--verbose): what the
	// parse cache reused, and why it was not used.
	Logf func(format string, args ...any)
	// CacheDir is the parse cache's directory; "" for the one
	// ParseCacheEnv names. NoCache turns the cache off.
	CacheDir string
	NoCache  bool
}

func (o Options) logf(format string, args ...any) {
	if o.Logf != nil {
		o.Logf(format, args...)
	}
}

// parseCacheDir returns the directory of the parse cache, or "" when it is
// off.
func (o Options) parseCacheDir() (string, error) {
	if o.NoCache {
		return "", nil
	}
	if o.CacheDir != "" {
		return o.CacheDir, nil
	}
	switch v := os.Getenv(ParseCacheEnv); strings.ToLower(v) {
	case "off", "0", "false", "no", "none":
		return "", nil
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("no user cache directory (set $%s): %w", ParseCacheEnv, err)
		}
		return filepath.Join(base, "schemadiff", "parse"), nil
	default:
		if !filepath.IsAbs(v) {
			return "", fmt.Errorf("$%s=%q: want an absolute directory or \"off\"", ParseCacheEnv, v)
		}
		return filepath.Clean(v), nil
	}
}

// parseCache is the parse cache of one schema source (a path given to
// Load): one file in the cache directory, named by the path.
type parseCache struct {
	*sqlfile.Cache
	file string
	key  string
	logf func(string, ...any)
}

// openParseCache returns the parse cache of the SQL files at path, empty
// when there is none yet or it cannot be read (said through o.Logf), or
// nil when the cache is off or there is no place for it.
func openParseCache(o Options, path string) *parseCache {
	dir, err := o.parseCacheDir()
	if err != nil {
		o.logf("parse cache not used: %v", err)
		return nil
	}
	if dir == "" {
		return nil
	}
	key, err := toolKey()
	if err != nil {
		o.logf("parse cache not used: %v", err)
		return nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		o.logf("parse cache not used: %v", err)
		return nil
	}
	sum := sha256.Sum256([]byte(abs))
	pc := &parseCache{
		Cache: sqlfile.NewCache(),
		file:  filepath.Join(dir, hex.EncodeToString(sum[:12])+parseCacheSuffix),
		key:   key,
		logf:  o.logf,
	}
	data, err := os.ReadFile(pc.file)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return pc
	case err != nil:
		o.logf("parse cache %s not used: %v", pc.file, err)
		return pc
	}
	c, err := sqlfile.DecodeCache(data, key)
	if err != nil {
		o.logf("parse cache %s not used: %v", pc.file, err)
		return pc
	}
	pc.Cache = c
	return pc
}

// save writes the cache when it changed, and says how much of the text
// was parsed. Failing to write it is only said: the next run parses
// again.
func (pc *parseCache) save(path string) {
	pc.logf("parse cache: %s: parsed %d bytes, reused %d", path, pc.Parsed, pc.Reused)
	if !pc.Changed() {
		now := time.Now()
		os.Chtimes(pc.file, now, now) //nolint:errcheck // only orders pruning
		return
	}
	data := pc.Encode(pc.key)
	if len(data) > maxParseCache {
		pc.logf("parse cache %s not written: %d bytes is over the bound of %d", pc.file, len(data), maxParseCache)
		return
	}
	if err := writeAtomic(pc.file, data); err != nil {
		pc.logf("parse cache %s not written: %v", pc.file, err)
		return
	}
	pruneParseCaches(filepath.Dir(pc.file), pc.logf)
}

// writeAtomic writes data to a temporary file next to path and renames it
// into place, so that a concurrent reader sees the old file or the new.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name()) //nolint:errcheck // failure path
	}
	return err
}

// pruneParseCaches removes all but the keepParseCaches most recently used
// cache files of dir.
func pruneParseCaches(dir string, logf func(string, ...any)) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type file struct {
		name string
		mod  time.Time
	}
	var files []file
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), parseCacheSuffix) {
			continue
		}
		if info, err := e.Info(); err == nil {
			files = append(files, file{e.Name(), info.ModTime()})
		}
	}
	if len(files) <= keepParseCaches {
		return
	}
	slices.SortFunc(files, func(a, b file) int { return b.mod.Compare(a.mod) })
	for _, f := range files[keepParseCaches:] {
		if err := os.Remove(filepath.Join(dir, f.name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			logf("parse cache: removing %s: %v", f.name, err)
		}
	}
}

// pgQueryModule is the module of the parser whose version keys the cache.
const pgQueryModule = "github.com/pganalyze/pg_query_go/v5"

var toolKeyOnce = sync.OnceValues(readToolKey)

// toolKey names the program reading the schema files: the parser's
// version and the program's build, whose code derives what is cached.
func toolKey() (string, error) { return toolKeyOnce() }

func readToolKey() (string, error) {
	// Test binaries carry no versions of their dependencies: the build ID
	// covers the parser too.
	parser := pgQueryModule + " (version not recorded)"
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == pgQueryModule {
				if d.Replace != nil {
					d = d.Replace
				}
				parser = d.Path + " " + d.Version + " " + d.Sum
			}
		}
	}
	build, err := executableID()
	if err != nil {
		return "", fmt.Errorf("identifying the program: %w", err)
	}
	return parser + "\n" + build, nil
}

// buildIDMarker starts the Go build ID near the start of every Go
// executable.
const buildIDMarker = "\xff Go build ID: \""

// executableID returns the Go build ID of the running program, which
// changes whenever its code does, or else its size and modification time.
func executableID() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 64<<10)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return "", err
	}
	head = head[:n]
	if i := bytes.Index(head, []byte(buildIDMarker)); i >= 0 {
		id := head[i+len(buildIDMarker):]
		if j := bytes.IndexByte(id, '"'); j > 0 {
			return "build " + string(id[:j]), nil
		}
	}
	info, err := f.Stat()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s %d %d", exe, info.Size(), info.ModTime().UnixNano()), nil
}
