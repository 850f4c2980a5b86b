package pgserver

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
	"strconv"
	"strings"
	"time"

	"github.com/schemadiff/schemadiff/internal/version"
)

// CacheEnv names the environment variable that controls the cluster cache:
// a directory to keep the initialised template clusters in instead of
// <user cache dir>/schemadiff/clusters, or "off" to initialise a new
// cluster on every run.
const CacheEnv = "SCHEMADIFF_CLUSTER_CACHE"

// cacheFormat is bumped whenever the layout of a cache entry changes.
const cacheFormat = 1

// markerName is the file of a cache entry that says it is ours and what it
// holds; an entry without it, or whose marker does not match, is never used.
const markerName = "schemadiff-cluster.json"

// staleEntryAge is how long an entry of another PostgreSQL or schemadiff
// version is kept after its last use.
const staleEntryAge = 30 * 24 * time.Hour

// clusterKey is everything a template cluster depends on: an entry is used
// only when its key is equal to the running one.
type clusterKey struct {
	Format      int      `json:"format"`
	BinDir      string   `json:"bin_dir"`
	PGVersion   string   `json:"pg_version"` // postgres --version
	ToolVersion string   `json:"tool_version"`
	Superuser   string   `json:"superuser"`
	Encoding    string   `json:"encoding"`
	Locales     []string `json:"locales"` // tried in order
	Auth        string   `json:"auth"`
}

// marker is the content of an entry's markerName file.
type marker struct {
	Key    clusterKey `json:"key"`
	Locale string     `json:"locale"` // the locale initdb accepted
}

// initdbConfig is how clusters are initialised.
type initdbConfig struct {
	superuser string
	encoding  string
	locales   []string // tried in order until initdb accepts one
	auth      string
}

// clusterConfig returns the initdb settings of the embedded server.
func clusterConfig(opts Options) initdbConfig {
	return initdbConfig{superuser: opts.superuser(), encoding: "UTF8", locales: []string{"C.UTF-8", "C"}, auth: "trust"}
}

// clusterCache is the directory of initialised template clusters. A
// template is never started: each server runs on a copy of it, so nothing a
// run creates (databases, roles) reaches the next one. The directory
// belongs to the user running schemadiff and is not writable by anyone
// else; when running as root it is owned by root, so the unprivileged
// account the server runs as cannot alter the templates.
type clusterCache struct {
	root  string // the cache directory
	key   clusterKey
	major string // PostgreSQL major version, as in PG_VERSION
	name  string // the entry for key, below root
}

func (c *clusterCache) entryDir() string { return filepath.Join(c.root, c.name) }
func (c *clusterCache) lockPath() string { return filepath.Join(c.root, c.name+".lock") }

// errNoCacheDir is returned (wrapped) by cacheRoot when there is no user
// cache directory to keep the cache in.
var errNoCacheDir = errors.New("no user cache directory")

// cacheRoot returns the cache directory, or "" when the cache is turned off.
func cacheRoot() (string, error) {
	switch v := os.Getenv(CacheEnv); strings.ToLower(v) {
	case "off", "0", "false", "no", "none":
		return "", nil
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("%w: %v", errNoCacheDir, err)
		}
		return filepath.Join(base, "schemadiff", "clusters"), nil
	default:
		if !filepath.IsAbs(v) {
			return "", fmt.Errorf("$%s=%q: want an absolute directory or \"off\"", CacheEnv, v)
		}
		return filepath.Clean(v), nil
	}
}

// openClusterCache returns the cluster cache for the binaries in bin, or
// nil when it is turned off or cannot be used: the run then initialises its
// own cluster. Why is said through Logf, or through Warnf when the setting
// is wrong or the directory is not private to the user.
func openClusterCache(ctx context.Context, bin string, opts Options) *clusterCache {
	if !cacheSupported {
		opts.logf("no cluster cache on this platform")
		return nil
	}
	root, err := cacheRoot()
	switch {
	case errors.Is(err, errNoCacheDir):
		opts.logf("not caching the embedded server's cluster: %v", err)
		return nil
	case err != nil:
		opts.warnf("not caching the embedded server's cluster: %v", err)
		return nil
	case root == "":
		opts.logf("cluster cache turned off by $%s", CacheEnv)
		return nil
	}
	if err := os.MkdirAll(root, 0o700); err != nil {
		opts.logf("not caching the embedded server's cluster: %v", err)
		return nil
	}
	if err := checkPrivateDir(root); err != nil {
		opts.warnf("not using the cluster cache: %v", err)
		return nil
	}
	pgVersion, major, err := serverVersion(ctx, bin)
	if err != nil {
		opts.warnf("not using the cluster cache: %v", err)
		return nil
	}
	cfg := clusterConfig(opts)
	key := clusterKey{
		Format:      cacheFormat,
		BinDir:      bin,
		PGVersion:   pgVersion,
		ToolVersion: version.String(),
		Superuser:   cfg.superuser,
		Encoding:    cfg.encoding,
		Locales:     cfg.locales,
		Auth:        cfg.auth,
	}
	b, _ := json.Marshal(key)
	sum := sha256.Sum256(b)
	return &clusterCache{root: root, key: key, major: major, name: "pg" + major + "-" + hex.EncodeToString(sum[:8])}
}

// checkPrivateDir fails unless path is a directory (not a symlink to one)
// of the current user that nobody else may write to.
func checkPrivateDir(path string) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	switch {
	case !fi.IsDir():
		return fmt.Errorf("%s is not a directory", path)
	case !ownedByUs(fi):
		return fmt.Errorf("%s belongs to another user", path)
	case fi.Mode().Perm()&0o022 != 0:
		return fmt.Errorf("%s is writable by other users (mode %v)", path, fi.Mode().Perm())
	}
	return nil
}

// serverVersion runs postgres --version and returns its output and the
// major version, as PG_VERSION spells it.
func serverVersion(ctx context.Context, bin string) (full, major string, err error) {
	cmd := exec.CommandContext(ctx, filepath.Join(bin, exeName("postgres")), "--version")
	cmd.Env = childEnv()
	out, err := cmd.Output()
	if err != nil {
		return "", "", fmt.Errorf("running postgres --version: %w", err)
	}
	full = strings.TrimSpace(string(out))
	major, err = majorVersion(full)
	return full, major, err
}

// majorVersion reads the major version, as PG_VERSION spells it, in the
// output of postgres --version ("postgres (PostgreSQL) 15.4 (Debian
// 15.4-1)"). 9.6 was the last version whose major version had two numbers.
func majorVersion(versionOutput string) (string, error) {
	_, v, ok := strings.Cut(versionOutput, ") ")
	end := strings.IndexFunc(v, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(v)
	}
	if !ok || end == 0 {
		return "", fmt.Errorf("cannot read the version in %q", versionOutput)
	}
	major := v[:end]
	if n, _ := strconv.Atoi(major); n < 10 && strings.HasPrefix(v[end:], ".") {
		minor := v[end+1:]
		if e := strings.IndexFunc(minor, func(r rune) bool { return r < '0' || r > '9' }); e >= 0 {
			minor = minor[:e]
		}
		major += "." + minor
	}
	return major, nil
}

// errNoTemplate is returned (wrapped) by copyTemplate when the cache holds
// no usable template for the key.
var errNoTemplate = errors.New("no usable cached cluster")

// copyTemplate copies the template data directory into dst (which must not
// exist), handing every file to owner, and returns the locale it was made
// with. It holds a shared lock meanwhile, so that no run replaces the
// template while it is copied.
func (c *clusterCache) copyTemplate(dst string, owner *runAs) (string, error) {
	lock, err := lockFile(c.lockPath(), lockShared)
	if err != nil {
		return "", fmt.Errorf("%w: locking the cluster cache: %v", errNoTemplate, err)
	}
	defer lock.unlock()
	m, err := c.validate()
	if err != nil {
		return "", fmt.Errorf("%w: %v", errNoTemplate, err)
	}
	if err := copyTree(filepath.Join(c.entryDir(), "data"), dst, owner); err != nil {
		return "", fmt.Errorf("copying the cached cluster %s: %w", c.entryDir(), err)
	}
	// The modification time of the marker is the entry's last use.
	now := time.Now()
	_ = os.Chtimes(filepath.Join(c.entryDir(), markerName), now, now)
	return m.Locale, nil
}

// validate checks that the entry is a template made by us for this key,
// complete and never started.
func (c *clusterCache) validate() (*marker, error) {
	dir := c.entryDir()
	if _, err := os.Lstat(dir); errors.Is(err, os.ErrNotExist) {
		return nil, errors.New("none yet")
	}
	if err := checkPrivateDir(dir); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(filepath.Join(dir, markerName))
	if err != nil {
		return nil, fmt.Errorf("reading its marker: %w", err)
	}
	var m marker
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("reading its marker %s: %w", filepath.Join(dir, markerName), err)
	}
	want, _ := json.Marshal(c.key)
	got, _ := json.Marshal(m.Key)
	if !bytes.Equal(want, got) || m.Locale == "" {
		return nil, fmt.Errorf("its marker %s does not match this schemadiff and PostgreSQL", filepath.Join(dir, markerName))
	}
	data := filepath.Join(dir, "data")
	pgVersion, err := os.ReadFile(filepath.Join(data, "PG_VERSION"))
	if err != nil {
		return nil, fmt.Errorf("reading PG_VERSION: %w", err)
	}
	if v := strings.TrimSpace(string(pgVersion)); v != c.major {
		return nil, fmt.Errorf("PG_VERSION says %q, the binaries are version %s", v, c.major)
	}
	if _, err := os.Stat(filepath.Join(data, "global", "pg_control")); err != nil {
		return nil, fmt.Errorf("no control file: %w", err)
	}
	if _, err := os.Lstat(filepath.Join(data, "postmaster.pid")); err == nil {
		return nil, errors.New("it holds a postmaster.pid: a server was started on it")
	}
	return &m, nil
}

// pendingEntry is a copy of a new cluster in the cache, not yet in use.
type pendingEntry struct {
	cache *clusterCache
	dir   string
}

// prepare copies the data directory src, which initdb has just made with
// locale and no server has run on yet, into the cache, to become the
// template for the key once commit is called.
func (c *clusterCache) prepare(src, locale string) (_ *pendingEntry, err error) {
	tmp, err := os.MkdirTemp(c.root, c.name+".tmp-"+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		return nil, fmt.Errorf("creating a directory in the cluster cache: %w", err)
	}
	p := &pendingEntry{cache: c, dir: tmp}
	defer func() {
		if err != nil {
			p.discard()
		}
	}()
	if err := copyTree(src, filepath.Join(tmp, "data"), nil); err != nil {
		return nil, fmt.Errorf("copying the new cluster into the cache: %w", err)
	}
	b, err := json.MarshalIndent(marker{Key: c.key, Locale: locale}, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(tmp, markerName), append(b, '\n'), 0o600); err != nil {
		return nil, fmt.Errorf("writing the cluster cache marker: %w", err)
	}
	return p, nil
}

// discard removes the pending copy.
func (p *pendingEntry) discard() { _ = os.RemoveAll(p.dir) }

// commit makes the pending copy the template for the key, once a server
// has started on the original. An existing valid template is kept unless
// replace is set (a server failed to start on a copy of it).
func (p *pendingEntry) commit(replace bool, opts Options) error {
	defer p.discard()
	stored, old, err := p.swap(replace)
	if old != "" {
		_ = os.RemoveAll(old)
	}
	if err != nil {
		return err
	}
	if stored {
		opts.logf("stored the new cluster in the cache as %s", p.cache.entryDir())
		p.cache.prune(opts)
	}
	return nil
}

// swap puts the pending copy in place of the entry under the exclusive
// lock, and returns whether it did and where the entry it replaced went.
func (p *pendingEntry) swap(replace bool) (stored bool, old string, err error) {
	c := p.cache
	lock, err := lockFile(c.lockPath(), lockExclusive)
	if err != nil {
		return false, "", fmt.Errorf("locking the cluster cache: %w", err)
	}
	defer lock.unlock()
	if !replace {
		if _, err := c.validate(); err == nil {
			return false, "", nil // another run stored one meanwhile
		}
	}
	entry := c.entryDir()
	if _, err := os.Lstat(entry); err == nil {
		// Moved aside, and removed once the lock is released.
		suffix, err := randomName("")
		if err != nil {
			return false, "", err
		}
		aside := filepath.Join(c.root, c.name+".tmp-"+strconv.Itoa(os.Getpid())+"-"+suffix)
		if err := os.Rename(entry, aside); err != nil {
			return false, "", fmt.Errorf("removing the unusable cached cluster %s: %w", entry, err)
		}
		old = aside
	}
	if err := os.Rename(p.dir, entry); err != nil {
		return false, old, fmt.Errorf("storing the cluster in the cache: %w", err)
	}
	return true, old, nil
}

// prune removes what runs that are gone left in the cache: entries of
// other versions not used for staleEntryAge, and half-written entries.
func (c *clusterCache) prune(opts Options) {
	entries, err := os.ReadDir(c.root)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		path := filepath.Join(c.root, name)
		switch {
		case !e.IsDir() || name == c.name || !strings.HasPrefix(name, "pg"):
		case strings.Contains(name, ".tmp-"):
			pid, err := strconv.Atoi(strings.Split(name[strings.Index(name, ".tmp-")+len(".tmp-"):], "-")[0])
			if err == nil && pid != os.Getpid() && !processAlive(pid) {
				c.remove(path, opts)
			}
		default:
			fi, err := os.Stat(filepath.Join(path, markerName))
			if err == nil && time.Since(fi.ModTime()) > staleEntryAge {
				c.removeEntry(name, opts)
			}
		}
	}
}

// removeEntry removes an unused entry, unless a run is copying it.
func (c *clusterCache) removeEntry(name string, opts Options) {
	lockPath := filepath.Join(c.root, name+".lock")
	lock, err := lockFile(lockPath, lockExclusive|lockNoWait)
	if err != nil {
		return
	}
	defer lock.unlock()
	if c.remove(filepath.Join(c.root, name), opts) {
		_ = os.Remove(lockPath)
	}
}

func (c *clusterCache) remove(path string, opts Options) bool {
	if err := os.RemoveAll(path); err != nil {
		opts.logf("could not remove %s from the cluster cache: %v", path, err)
		return false
	}
	opts.logf("removed %s from the cluster cache", path)
	return true
}

// copyTree copies the directory src to dst, which must not exist, keeping
// permissions and handing everything to owner when not nil. Runs of zero
// bytes become holes. Anything but directories and regular files is
// refused: a data directory made by initdb holds nothing else.
func copyTree(src, dst string, owner *runAs) error {
	c := copier{buf: make([]byte, 128<<10), zeros: make([]byte, 128<<10), owner: owner}
	return filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			if err := os.Mkdir(target, fi.Mode().Perm()); err != nil {
				return err
			}
			if err := os.Chmod(target, fi.Mode().Perm()); err != nil {
				return err
			}
			return owner.chown(target)
		case d.Type().IsRegular():
			return c.copyFile(path, target, fi.Mode().Perm())
		default:
			return fmt.Errorf("%s is neither a directory nor a regular file", path)
		}
	})
}

// copier copies files with a reusable buffer.
type copier struct {
	buf, zeros []byte // zeros stays all zero
	owner      *runAs
}

// copyFile copies one file, leaving holes for blocks of zeros.
func (c *copier) copyFile(src, dst string, perm os.FileMode) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	if err := out.Chmod(perm); err != nil {
		return err
	}
	if err := c.owner.fchown(out); err != nil {
		return err
	}
	var size int64
	for {
		n, rerr := io.ReadFull(in, c.buf)
		if n > 0 {
			if bytes.Equal(c.buf[:n], c.zeros[:n]) {
				if _, err := out.Seek(int64(n), io.SeekCurrent); err != nil {
					return err
				}
			} else if _, err := out.Write(c.buf[:n]); err != nil {
				return err
			}
			size += int64(n)
		}
		if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
			break
		}
		if rerr != nil {
			return rerr
		}
	}
	return out.Truncate(size)
}
