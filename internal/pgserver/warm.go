package pgserver

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/schema"
)

// WarmEnv names the environment variable that turns the kept desired
// state off ("off", "0", "false", "no"): every run then loads the whole
// desired schema into a new scratch database.
const WarmEnv = "SCHEMADIFF_WARM"

// WarmDatabase is the database of a kept cluster that holds the desired
// state between runs.
const WarmDatabase = "schemadiff_warm"

// WarmDisabled reports whether $SCHEMADIFF_WARM turns the kept desired
// state off.
func WarmDisabled() bool {
	switch strings.ToLower(os.Getenv(WarmEnv)) {
	case "off", "0", "false", "no", "none":
		return true
	}
	return false
}

// Warm is a cluster kept between runs for one desired schema source
// (Options.WarmKey): its data directory survives Stop, so that the desired
// state loaded into WarmDatabase can be brought up to date by the next run
// instead of loaded anew. Only one run uses it at a time (an exclusive
// lock, held until Stop); a run that finds it in use starts a copy of the
// template cluster instead.
type Warm struct {
	// StatePath is the file, in the cluster cache (private to the user
	// running schemadiff, out of reach of the server's account), where
	// the caller keeps what the desired state database holds.
	StatePath string
	// CatalogPath is the file, next to StatePath, where the caller keeps
	// the catalog read from the desired state database.
	CatalogPath string
	// Reused is false when the cluster was copied from the template for
	// this run: the state file, if any, was removed.
	Reused bool

	parent  string // holds the kept data directory
	lock    *fileLock
	mu      sync.Mutex
	discard bool
}

// Discard makes Stop remove the kept cluster and its state: the next run
// starts from the template.
func (w *Warm) Discard() {
	w.mu.Lock()
	w.discard = true
	w.mu.Unlock()
}

// release removes the cluster when Discard was called and unlocks it.
func (w *Warm) release() {
	w.mu.Lock()
	discard := w.discard
	w.mu.Unlock()
	if discard {
		_ = os.RemoveAll(w.parent)
		_ = os.Remove(w.StatePath)
		_ = os.Remove(w.CatalogPath)
	}
	w.lock.unlock()
}

// errWarmBusy is returned (wrapped) when another run uses the kept cluster.
var errWarmBusy = errors.New("the kept cluster is in use by another run")

// warmName names the cache entry of a kept cluster for key.
func (c *clusterCache) warmName(key string) string {
	sum := sha256.Sum256([]byte(key))
	return c.name + ".warm-" + hex.EncodeToString(sum[:8])
}

// warmParent returns the directory that holds the kept data directory: in
// the cache when the server runs as the current user, else in the
// temporary directory (the cache of root is out of the server account's
// reach), owned by the server's account.
func (l *launch) warmParent(c *clusterCache, name string) string {
	if l.owner == nil {
		return filepath.Join(c.root, name)
	}
	return filepath.Join(l.base, tempWarmName(c.root, name))
}

// tempWarmName names the directory, in the temporary directory, of the
// kept cluster name of the cache at root.
func tempWarmName(root, name string) string {
	sum := sha256.Sum256([]byte(root))
	return "schemadiff-" + name + "-" + hex.EncodeToString(sum[:4])
}

// warm starts a server on the kept cluster for key, copying the template
// into it when there is none or it is unusable.
func (l *launch) warm(ctx context.Context, c *clusterCache, key string) (_ *Server, err error) {
	name := c.warmName(key)
	lock, err := lockFile(filepath.Join(c.root, name+".lock"), lockExclusive|lockNoWait)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errWarmBusy, err)
	}
	w := &Warm{StatePath: filepath.Join(c.root, name+".json"), CatalogPath: filepath.Join(c.root, name+".catalog"),
		parent: l.warmParent(c, name), lock: lock}
	// The modification time of the lock file is the kept cluster's last use.
	now := time.Now()
	_ = os.Chtimes(filepath.Join(c.root, name+".lock"), now, now)
	l.pruneWarm(c, name)
	defer func() {
		if err != nil {
			lock.unlock()
		}
	}()
	if s, err := l.reuseWarm(ctx, w); err == nil {
		return s, nil
	} else if ctx.Err() != nil {
		return nil, err
	} else {
		l.opts.logf("not reusing the kept cluster %s: %v", w.parent, err)
	}
	if err := l.newWarm(w, c); err != nil {
		return nil, err
	}
	s, err := l.newServer()
	if err != nil {
		return nil, err
	}
	s.dataDir, s.warm = filepath.Join(w.parent, "data"), w
	if err := s.run(ctx, l.bin, l.owner, l.opts); err != nil {
		s.warm = nil
		_ = s.Stop()
		_ = os.RemoveAll(w.parent)
		return nil, err
	}
	l.opts.logf("embedded postgres ready on a new kept cluster %s after %s", w.parent, time.Since(l.began).Round(time.Millisecond))
	return s, nil
}

// maxWarmClusters is how many kept clusters (each a copy of a cluster,
// some tens of megabytes) the cache holds at most: the least recently
// used go first.
const maxWarmClusters = 8

// staleWarmAge is how long a kept cluster is kept after its last use.
const staleWarmAge = 7 * 24 * time.Hour

// pruneWarm removes the kept clusters, other than keep, beyond the
// maxWarmClusters-1 most recently used or unused for staleWarmAge, unless
// a run uses them.
func (l *launch) pruneWarm(c *clusterCache, keep string) {
	locks, err := filepath.Glob(filepath.Join(c.root, "*.warm-*.lock"))
	if err != nil {
		return
	}
	type entry struct {
		name string
		used time.Time
	}
	var entries []entry
	for _, p := range locks {
		name := strings.TrimSuffix(filepath.Base(p), ".lock")
		fi, err := os.Lstat(p)
		if name == keep || err != nil {
			continue
		}
		entries = append(entries, entry{name, fi.ModTime()})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].used.After(entries[j].used) })
	for i, e := range entries {
		if i < maxWarmClusters-1 && time.Since(e.used) < staleWarmAge {
			continue
		}
		lockPath := filepath.Join(c.root, e.name+".lock")
		lock, err := lockFile(lockPath, lockExclusive|lockNoWait)
		if err != nil {
			continue
		}
		_ = os.RemoveAll(filepath.Join(c.root, e.name))
		_ = os.RemoveAll(filepath.Join(l.base, tempWarmName(c.root, e.name)))
		_ = os.Remove(filepath.Join(c.root, e.name+".json"))
		_ = os.Remove(filepath.Join(c.root, e.name+".catalog"))
		_ = os.Remove(lockPath)
		lock.unlock()
		l.opts.logf("removed the kept cluster %s from the cluster cache", e.name)
	}
}

// reuseWarm starts a server on the kept data directory of w.
func (l *launch) reuseWarm(ctx context.Context, w *Warm) (*Server, error) {
	data := filepath.Join(w.parent, "data")
	if err := l.checkWarmDir(w.parent); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(data, "global", "pg_control")); err != nil {
		return nil, fmt.Errorf("no control file: %w", err)
	}
	if pm, ok := readPID(filepath.Join(data, "postmaster.pid")); ok && processAlive(pm) {
		return nil, fmt.Errorf("a server (pid %d) still runs on it", pm)
	}
	s, err := l.newServer()
	if err != nil {
		return nil, err
	}
	s.dataDir, s.warm = data, w
	if err := s.run(ctx, l.bin, l.owner, l.opts); err != nil {
		s.warm = nil
		_ = s.Stop()
		return nil, err
	}
	w.Reused = true
	l.opts.logf("embedded postgres ready on the kept cluster %s after %s", w.parent, time.Since(l.began).Round(time.Millisecond))
	return s, nil
}

// checkWarmDir fails unless dir is a directory (not a symlink) of the
// server's account that nobody else may write to.
func (l *launch) checkWarmDir(dir string) error {
	if l.owner == nil {
		return checkPrivateDir(dir)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() || fi.Mode().Perm()&0o077 != 0 || !ownedBy(fi, l.owner) {
		return fmt.Errorf("%s is not a private directory of user %s", dir, l.owner.name)
	}
	return nil
}

// newWarm replaces the kept cluster of w with a copy of the template.
func (l *launch) newWarm(w *Warm, c *clusterCache) error {
	_ = os.Remove(w.StatePath)
	_ = os.Remove(w.CatalogPath)
	if err := os.RemoveAll(w.parent); err != nil {
		return fmt.Errorf("removing the unusable kept cluster %s: %w", w.parent, err)
	}
	if err := os.Mkdir(w.parent, 0o700); err != nil {
		return fmt.Errorf("creating the kept cluster %s: %w", w.parent, err)
	}
	if err := l.owner.chown(w.parent); err != nil {
		return fmt.Errorf("handing %s to user %s: %w", w.parent, l.owner.name, err)
	}
	if _, err := c.copyTemplate(filepath.Join(w.parent, "data"), l.owner); err != nil {
		_ = os.RemoveAll(w.parent)
		return err
	}
	return nil
}

// Warm returns the kept cluster the scratch databases live on, or nil
// when the server runs on a copy of the template (or on a dev server).
func (s *Scratch) Warm() *Warm {
	if s.server == nil {
		return nil
	}
	return s.server.warm
}

// Logf writes a progress line through Options.Logf.
func (s *Scratch) Logf(format string, args ...any) { s.opts.logf(format, args...) }

// EnsuredRoles returns, sorted, the roles EnsureRoles was asked for.
func (s *Scratch) EnsuredRoles() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.ensured))
	for r := range s.ensured {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// WarmSandbox returns the sandbox of WarmDatabase on the kept cluster,
// loaded as role like NewSandbox's, creating the database when it is
// missing or belongs to another role. It is never dropped with the
// Scratch. Fresh says whether it was created.
func (s *Scratch) WarmSandbox(ctx context.Context, role string) (sb *Sandbox, fresh bool, err error) {
	s.opMu.RLock()
	defer s.opMu.RUnlock()
	if s.closed || s.Warm() == nil {
		return nil, false, errors.New("no kept cluster")
	}
	if role == "" || role == SuperuserName {
		role = DefaultLoaderRole
	}
	if role == s.server.superuser {
		return nil, false, fmt.Errorf("the embedded server's superuser %q cannot load schema files", role)
	}
	if err := s.prepareLoader(ctx, role); err != nil {
		return nil, false, fmt.Errorf("preparing role %q to load into the scratch database: %w", role, err)
	}
	owners, err := s.query(ctx, "SELECT pg_catalog.pg_get_userbyid(datdba)::text FROM pg_catalog.pg_database WHERE datname = "+schema.Literal(WarmDatabase))
	if err != nil {
		return nil, false, fmt.Errorf("looking for the kept desired state: %w", err)
	}
	if len(owners) == 0 || owners[0] != role {
		if err := s.DropWarmDatabase(ctx); err != nil {
			return nil, false, err
		}
		if err := s.exec(ctx, "CREATE DATABASE "+pgx.Identifier{WarmDatabase}.Sanitize()+" OWNER "+pgx.Identifier{role}.Sanitize()+" TEMPLATE template0"); err != nil {
			return nil, false, fmt.Errorf("creating the desired state database: %w", err)
		}
		fresh = true
	}
	sb = &Sandbox{name: WarmDatabase, Restricted: true, Role: role}
	if sb.AdminURL, err = withDatabase(s.adminURL, WarmDatabase); err != nil {
		return nil, false, err
	}
	if sb.URL, err = withUser(sb.AdminURL, role, ""); err != nil {
		return nil, false, err
	}
	return sb, fresh, nil
}

// DropWarmDatabase drops WarmDatabase, if any.
func (s *Scratch) DropWarmDatabase(ctx context.Context) error {
	if err := s.exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{WarmDatabase}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("dropping the kept desired state: %w", err)
	}
	return nil
}

// ExtraRoles returns the ordinary roles of the kept cluster (neither
// superusers nor PostgreSQL's pg_* roles) that are not among keep: roles
// an earlier run created.
func (s *Scratch) ExtraRoles(ctx context.Context, keep []string) ([]string, error) {
	rows, err := s.query(ctx, "SELECT rolname::text FROM pg_catalog.pg_roles WHERE NOT rolsuper AND rolname !~ '^pg_' ORDER BY 1")
	if err != nil {
		return nil, fmt.Errorf("listing roles: %w", err)
	}
	want := map[string]bool{}
	for _, r := range keep {
		want[r] = true
	}
	var extra []string
	for _, r := range rows {
		if !want[r] {
			extra = append(extra, r)
		}
	}
	return extra, nil
}

// DropRoles drops roles of the embedded server that own nothing.
func (s *Scratch) DropRoles(ctx context.Context, roles []string) error {
	for _, r := range roles {
		if err := s.exec(ctx, "DROP ROLE IF EXISTS "+pgx.Identifier{r}.Sanitize()); err != nil {
			return fmt.Errorf("dropping role %q of an earlier run: %w", r, err)
		}
	}
	return nil
}
