package pipeline

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"

	"github.com/schemadiff/schemadiff/internal/version"
	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/schema"
)

// The catalog of the kept desired state is kept next to its state file
// (pgserver.Warm.CatalogPath): when a run finds every statement unchanged,
// the kept database is exactly as the previous run left it, and so is its
// catalog, which is read from that file instead of the database. The file
// is keyed by everything the catalog depends on: the state (statements,
// objects, database, loading role, roles), the introspection options, and
// the binary that read it (its version, and its path, size and
// modification time, so that a rebuilt binary never reads a catalog an
// older one wrote). Any mismatch or unreadable file means the catalog is
// read from the database again.

// After an incremental load, the tables that nothing run or dropped has
// changed are taken from the catalog file (see warmChanges and
// introspect.Reuse) when it describes the state the load started from.

// warmCatalogFormat is bumped whenever the catalog file changes shape.
const warmCatalogFormat = 2

// cachedCatalog is the content of the catalog file.
type cachedCatalog struct {
	Key     string
	Catalog *schema.Catalog
	// Tables are the OIDs the tables of Catalog had.
	Tables introspect.TableOIDs
}

// warmCatalogKey identifies the catalog of the kept database in state st
// read with opts.
func warmCatalogKey(st *warmState, opts introspect.Options) (string, error) {
	exe, err := executableIdentity()
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(struct {
		Format  int
		Version string
		Binary  string
		State   *warmState
		Options introspect.Options
	}{warmCatalogFormat, version.String(), exe, st, opts})
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

var (
	exeOnce sync.Once
	exeID   string
	exeErr  error
)

// executableIdentity names the running binary: path, size and
// modification time.
func executableIdentity() (string, error) {
	exeOnce.Do(func() {
		path, err := os.Executable()
		if err != nil {
			exeErr = fmt.Errorf("finding the running binary: %w", err)
			return
		}
		fi, err := os.Stat(path)
		if err != nil {
			exeErr = fmt.Errorf("finding the running binary: %w", err)
			return
		}
		exeID = path + "\x00" + strconv.FormatInt(fi.Size(), 10) + "\x00" + strconv.FormatInt(fi.ModTime().UnixNano(), 10)
	})
	return exeID, exeErr
}

// readWarmCatalog returns the catalog kept at path under key, or an error
// saying why there is none.
func readWarmCatalog(path, key string) (*schema.Catalog, introspect.TableOIDs, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	// Encoding leaves empty maps out: decoding into a new catalog keeps
	// its maps allocated, as in a catalog read from a database.
	c := cachedCatalog{Catalog: schema.NewCatalog()}
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&c); err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if c.Key != key || c.Catalog == nil {
		return nil, nil, errors.New("it describes another state")
	}
	return c.Catalog, c.Tables, nil
}

// writeWarmCatalog keeps cat, whose tables had the OIDs tables, at path
// under key.
func writeWarmCatalog(path, key string, cat *schema.Catalog, tables introspect.TableOIDs) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(cachedCatalog{Key: key, Catalog: cat, Tables: tables}); err != nil {
		return fmt.Errorf("encoding the kept desired catalog: %w", err)
	}
	tmp := path + ".tmp-" + strconv.Itoa(os.Getpid())
	if err := os.WriteFile(tmp, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("writing the kept desired catalog: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("writing the kept desired catalog: %w", err)
	}
	return nil
}
