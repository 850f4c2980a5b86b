// Package project reads schemadiff.toml, the project file that names a
// project's schema sources, migrations directory, history table, timeouts
// and target databases, so that the command line need not repeat them.
package project

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pelletier/go-toml/v2"
)

// FileName is the name of the project file, looked up from the working
// directory upward.
const FileName = "schemadiff.toml"

// File is a parsed project file. Paths in it are relative to the file's
// directory; Load makes them absolute.
type File struct {
	// Path is the file's path.
	Path string `toml:"-"`
	// Schema lists the desired schema sources (.sql or .go files, or
	// directories of them), as repeated --schema flags.
	Schema []string `toml:"schema"`
	// Migrations is the migrations directory (--dir).
	Migrations string `toml:"migrations"`
	// HistoryTable is the history table (--table), TABLE or SCHEMA.TABLE.
	HistoryTable string `toml:"history_table"`
	// LockTimeout is how long to wait for the migration lock
	// (--lock-timeout), e.g. "30s".
	LockTimeout Duration `toml:"lock_timeout"`
	// DDLLockTimeout is each migration statement's lock_timeout
	// (--ddl-lock-timeout).
	DDLLockTimeout Duration `toml:"ddl_lock_timeout"`
	// StatementTimeout is each migration statement's statement_timeout
	// (--statement-timeout).
	StatementTimeout Duration `toml:"statement_timeout"`
	// Targets are the named databases, or fleets of databases.
	Targets map[string]Target `toml:"targets"`
}

// Target is a named database or fleet, a [targets.NAME] table.
type Target struct {
	// URL is the database's URL.
	URL string `toml:"url"`
	// URLEnv names the environment variable holding the database's URL,
	// so that passwords stay out of the file.
	URLEnv string `toml:"url_env"`
	// URLs lists further databases of a fleet (one per tenant, region...).
	URLs []string `toml:"urls"`
}

// Duration is a duration written as a string such as "30s" or "5m".
type Duration struct {
	time.Duration
	// Set reports whether the file gives the value.
	Set bool
}

// UnmarshalText parses a duration such as "500ms", "30s" or "5m".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("want a duration such as 500ms, 30s or 5m, not %q", b)
	}
	if v < 0 {
		return fmt.Errorf("want a duration that is not negative, not %q", b)
	}
	d.Duration, d.Set = v, true
	return nil
}

// Find returns the path of the project file in dir or the nearest of its
// parents that has one, or "" when none has.
func Find(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("looking for %s: %w", FileName, err)
	}
	for d := abs; ; d = filepath.Dir(d) {
		p := filepath.Join(d, FileName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		} else if err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("looking for %s: %w", FileName, err)
		}
		if filepath.Dir(d) == d {
			return "", nil
		}
	}
}

// Load reads and checks the project file at path. Unknown keys, values of
// the wrong type and targets that name no database are errors naming the
// file and line.
func Load(path string) (*File, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading project file: %w", err)
	}
	f, err := Parse(path, src)
	if err != nil {
		return nil, err
	}
	f.resolvePaths(filepath.Dir(path))
	return f, nil
}

// Parse parses the project file src read from path, leaving paths in it
// as written.
func Parse(path string, src []byte) (*File, error) {
	f := &File{Path: path}
	dec := toml.NewDecoder(bytes.NewReader(src)).DisallowUnknownFields()
	if err := dec.Decode(f); err != nil {
		return nil, decodeError(path, err)
	}
	for _, name := range f.TargetNames() {
		t := f.Targets[name]
		if t.URL == "" && t.URLEnv == "" && len(t.URLs) == 0 {
			return nil, fmt.Errorf("%s:%d: target %q names no database: give url, url_env or urls",
				path, keyLine(src, "targets."+name), name)
		}
		if t.URL != "" && t.URLEnv != "" {
			return nil, fmt.Errorf("%s:%d: target %q gives both url and url_env: give one of them",
				path, keyLine(src, "targets."+name), name)
		}
		if slices.Contains(t.URLs, "") {
			return nil, fmt.Errorf("%s:%d: target %q lists an empty URL in urls", path, keyLine(src, "targets."+name), name)
		}
	}
	if slices.Contains(f.Schema, "") {
		return nil, fmt.Errorf("%s:%d: schema lists an empty path", path, keyLine(src, "schema"))
	}
	return f, nil
}

// decodeError names the file and line of a decoding error.
func decodeError(path string, err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) && len(strict.Errors) > 0 {
		msgs := make([]string, len(strict.Errors))
		for i := range strict.Errors {
			e := &strict.Errors[i]
			row, col := e.Position()
			msgs[i] = fmt.Sprintf("%s:%d:%d: unknown key %q (the keys are %s)", path, row, col,
				strings.Join(e.Key(), "."), knownKeys(e.Key()))
		}
		return errors.New(strings.Join(msgs, "\n"))
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, col := de.Position()
		msg := strings.TrimPrefix(de.Error(), "toml: ")
		if k := de.Key(); len(k) > 0 {
			return fmt.Errorf("%s:%d:%d: %s: %s", path, row, col, strings.Join(k, "."), msg)
		}
		return fmt.Errorf("%s:%d:%d: %s", path, row, col, msg)
	}
	return fmt.Errorf("reading project file %s: %w", path, err)
}

// topKeys and targetKeys are the keys a project file may hold, for error
// messages.
var (
	topKeys    = []string{"schema", "migrations", "history_table", "lock_timeout", "ddl_lock_timeout", "statement_timeout", "[targets.NAME]"}
	targetKeys = []string{"url", "url_env", "urls"}
)

// knownKeys lists the keys allowed where key was found.
func knownKeys(key []string) string {
	if len(key) == 3 && key[0] == "targets" {
		return strings.Join(targetKeys, ", ")
	}
	return strings.Join(topKeys, ", ")
}

// keyLine returns the 1-based line of the table header or key named
// dotted, or 0 when it cannot be found: a best effort for messages about
// values that decode but do not make sense.
func keyLine(src []byte, dotted string) int {
	parts := strings.Split(dotted, ".")
	want := map[string]bool{"[" + dotted + "]": true}
	if len(parts) == 1 {
		want = nil
	}
	for i, line := range strings.Split(string(src), "\n") {
		l := strings.TrimSpace(line)
		if want != nil {
			if want[strings.ReplaceAll(l, " ", "")] || want[strings.ReplaceAll(strings.ReplaceAll(l, `"`, ""), " ", "")] {
				return i + 1
			}
			continue
		}
		if k, _, ok := strings.Cut(l, "="); ok && strings.TrimSpace(k) == dotted {
			return i + 1
		}
	}
	return 0
}

// resolvePaths makes the file's relative paths relative to dir.
func (f *File) resolvePaths(dir string) {
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	for i, s := range f.Schema {
		f.Schema[i] = abs(s)
	}
	f.Migrations = abs(f.Migrations)
}

// TargetNames returns the names of the targets, sorted.
func (f *File) TargetNames() []string {
	names := make([]string, 0, len(f.Targets))
	for n := range f.Targets {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Database is one database of a target.
type Database struct {
	// Label names the database in progress lines and summaries: the target's
	// name, followed for a fleet by the database name (or its position).
	Label string
	// URL is its connection URL.
	URL string
}

// Databases returns the databases of the target called name, reading
// url_env with getenv. An unknown target and a variable that is not set
// are errors naming them.
func (f *File) Databases(name string, getenv func(string) string) ([]Database, error) {
	t, ok := f.Targets[name]
	if !ok {
		if len(f.Targets) == 0 {
			return nil, fmt.Errorf("unknown target %q: %s defines no targets", name, f.Path)
		}
		return nil, fmt.Errorf("unknown target %q: %s defines %s", name, f.Path, strings.Join(f.TargetNames(), ", "))
	}
	var urls []string
	switch {
	case t.URL != "":
		urls = append(urls, t.URL)
	case t.URLEnv != "":
		u := getenv(t.URLEnv)
		if u == "" {
			return nil, fmt.Errorf("target %q: environment variable %s, which holds its URL (url_env in %s), is not set", name, t.URLEnv, f.Path)
		}
		urls = append(urls, u)
	}
	urls = append(urls, t.URLs...)
	return labelled(name, urls), nil
}

// labelled names each of a target's databases: the target's name alone for
// one database, else name/DBNAME, or name[N] where database names repeat or
// cannot be read from the URL.
func labelled(name string, urls []string) []Database {
	dbs := make([]Database, len(urls))
	if len(urls) == 1 {
		dbs[0] = Database{Label: name, URL: urls[0]}
		return dbs
	}
	seen := map[string]int{}
	names := make([]string, len(urls))
	for i, u := range urls {
		names[i] = DatabaseName(u)
		seen[names[i]]++
	}
	for i, u := range urls {
		label := fmt.Sprintf("%s[%d]", name, i+1)
		if n := names[i]; n != "" && seen[n] == 1 {
			label = name + "/" + n
		}
		dbs[i] = Database{Label: label, URL: u}
	}
	return dbs
}

// AllDatabases returns the databases of every target, targets in name
// order.
func (f *File) AllDatabases(getenv func(string) string) ([]Database, error) {
	if len(f.Targets) == 0 {
		return nil, fmt.Errorf("%s defines no targets", f.Path)
	}
	var all []Database
	for _, name := range f.TargetNames() {
		dbs, err := f.Databases(name, getenv)
		if err != nil {
			return nil, err
		}
		all = append(all, dbs...)
	}
	return all, nil
}

// DatabaseName returns the database name a connection URL names, or ""
// when it names none or does not parse.
func DatabaseName(url string) string {
	cfg, err := pgconn.ParseConfig(url)
	if err != nil {
		return ""
	}
	return cfg.Database
}
