package source

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// logLines collects what Load says through Options.Logf.
type logLines []string

func (l *logLines) logf(format string, args ...any) { *l = append(*l, fmt.Sprintf(format, args...)) }

func (l logLines) has(sub string) bool {
	return slices.ContainsFunc(l, func(s string) bool { return strings.Contains(s, sub) })
}

// TestParseCacheReused: a second read of an unchanged schema parses
// nothing, one after an edit parses only the edited statement, and both
// read what a read without the cache reads.
func TestParseCacheReused(t *testing.T) {
	dir := t.TempDir()
	a := writeSchemaFile(t, dir, "schema/a.sql", "CREATE TABLE a (id int);\nCREATE VIEW va AS SELECT id FROM a;\n")
	writeSchemaFile(t, dir, "schema/b.sql", "CREATE TABLE b (id int REFERENCES a (id));\n")
	schemaDir := filepath.Join(dir, "schema")
	cacheDir := filepath.Join(dir, "cache")
	check := func(wantLog string) {
		t.Helper()
		var log logLines
		got, err := LoadWith(Options{CacheDir: cacheDir, Logf: log.logf}, schemaDir)
		if err != nil {
			t.Fatal(err)
		}
		want, err := LoadWith(Options{NoCache: true}, schemaDir)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, cmp.Exporter(func(reflect.Type) bool { return true })); diff != "" {
			t.Errorf("read through the cache differs (-want +got):\n%s", diff)
		}
		if !log.has(wantLog) {
			t.Errorf("log %q, want a line with %q", log, wantLog)
		}
	}
	check("parsed 104 bytes, reused 0")
	check("parsed 0 bytes, reused 104")
	if err := os.WriteFile(a, []byte("CREATE TABLE a (id int, note text);\nCREATE VIEW va AS SELECT id FROM a;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	check("parsed 35 bytes, reused 80")
	files, err := filepath.Glob(filepath.Join(cacheDir, "*"+parseCacheSuffix))
	if err != nil || len(files) != 1 {
		t.Fatalf("cache files %v, %v; want one for the source", files, err)
	}
}

// TestParseCacheUnusable: a cache file that cannot be read, or is of
// another format or version, is not used (said with -v) and is replaced;
// a syntax error is reported as without the cache and is not cached.
func TestParseCacheUnusable(t *testing.T) {
	dir := t.TempDir()
	path := writeSchemaFile(t, dir, "a.sql", "CREATE TABLE a (id int);\n")
	cacheDir := filepath.Join(dir, "cache")
	o := Options{CacheDir: cacheDir}
	if _, err := LoadWith(o, path); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(cacheDir, "*"+parseCacheSuffix))
	if len(files) != 1 {
		t.Fatalf("cache files %v, want one", files)
	}
	cacheFile := files[0]
	for _, c := range []struct{ name, content, wantLog string }{
		{"garbage", "not a cache", "not a parse cache of this format"},
		{"other version", string(sqlfile.NewCache().Encode("another program")), "written by another version"},
	} {
		if err := os.WriteFile(cacheFile, []byte(c.content), 0o644); err != nil {
			t.Fatal(err)
		}
		var log logLines
		o.Logf = log.logf
		res, err := LoadWith(o, path)
		if err != nil || len(res.Statements) != 1 {
			t.Fatalf("%s: LoadWith = %v, %v", c.name, res, err)
		}
		if !log.has(c.wantLog) || !log.has("reused 0") {
			t.Errorf("%s: log %q, want %q and nothing reused", c.name, log, c.wantLog)
		}
		log = nil
		if _, err := LoadWith(o, path); err != nil || !log.has("parsed 0 bytes") {
			t.Errorf("%s: the cache was not written again: log %q, %v", c.name, log, err)
		}
	}
	before, err := os.ReadFile(cacheFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("CREATE TABLE a (id int);\nCREATE TABEL b (id int);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, cachedErr := LoadWith(Options{CacheDir: cacheDir}, path)
	_, plainErr := LoadWith(Options{NoCache: true}, path)
	if cachedErr == nil || plainErr == nil || cachedErr.Error() != plainErr.Error() {
		t.Errorf("syntax error through the cache %v, without %v; want the same error", cachedErr, plainErr)
	}
	if after, err := os.ReadFile(cacheFile); err != nil || string(after) != string(before) {
		t.Errorf("a file that does not parse changed the cache (%v)", err)
	}
}

// TestParseCacheDir: $SCHEMADIFF_PARSE_CACHE names the directory or turns
// the cache off; the default is next to the cluster cache.
func TestParseCacheDir(t *testing.T) {
	abs := t.TempDir()
	for _, c := range []struct{ env, want, wantErr string }{
		{"off", "", ""},
		{"OFF", "", ""},
		{abs, abs, ""},
		{"relative/dir", "", "want an absolute directory"},
	} {
		t.Setenv(ParseCacheEnv, c.env)
		got, err := Options{}.parseCacheDir()
		if got != c.want || (err == nil) != (c.wantErr == "") || err != nil && !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("$%s=%q: %q, %v; want %q, error %q", ParseCacheEnv, c.env, got, err, c.want, c.wantErr)
		}
	}
	t.Setenv(ParseCacheEnv, "")
	base, err := os.UserCacheDir()
	if err != nil {
		t.Skip("no user cache directory")
	}
	if got, err := (Options{}).parseCacheDir(); err != nil || got != filepath.Join(base, "schemadiff", "parse") {
		t.Errorf("default: %q, %v", got, err)
	}
	t.Setenv(ParseCacheEnv, "off")
	dir := t.TempDir()
	path := writeSchemaFile(t, dir, "a.sql", "CREATE TABLE a (id int);\n")
	var log logLines
	if _, err := LoadWith(Options{Logf: log.logf}, path); err != nil || len(log) != 0 {
		t.Errorf("cache off: log %q, %v; want nothing said", log, err)
	}
}

// TestPruneParseCaches: only the most recently used cache files are
// kept.
func TestPruneParseCaches(t *testing.T) {
	dir := t.TempDir()
	for i := range keepParseCaches + 3 {
		writeSchemaFile(t, filepath.Join(dir, "src"), fmt.Sprintf("s%02d.sql", i), fmt.Sprintf("CREATE TABLE t%d (id int);\n", i))
	}
	o := Options{CacheDir: filepath.Join(dir, "cache")}
	for i := range keepParseCaches + 3 {
		if _, err := LoadWith(o, filepath.Join(dir, "src", fmt.Sprintf("s%02d.sql", i))); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(o.CacheDir, "*"))
	if len(files) != keepParseCaches {
		t.Errorf("%d files in the cache, want %d", len(files), keepParseCaches)
	}
}
