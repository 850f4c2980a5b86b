package migrate

import (
	"fmt"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// Set is the migrations of one migrations package. Generated files add to it
// from init functions; it is safe for concurrent use.
type Set struct {
	mu       sync.Mutex
	byVer    map[string]Migration
	problems []string
}

// NewSet returns an empty Set.
func NewSet() *Set {
	return &Set{byVer: map[string]Migration{}}
}

// Add adds m to the set. It never panics: a migration with an empty or
// malformed version, or with a version already in the set, is left out and
// the problem is reported by Validate and by every Migrator call; so is a
// migration whose SQLCommitFirst steps do not all come first.
//
// A migration added from a file named like a migration
// ("<version>_<name>.go") must have that version: a Version edited by hand
// or a file renamed afterwards is reported, naming the file and both
// versions.
func (s *Set) Add(m Migration) {
	file := ""
	if _, f, _, ok := runtime.Caller(1); ok {
		file = f
	}
	s.add(file, m)
}

// migrationFileName matches the name of a migration file, capturing its
// version.
var migrationFileName = regexp.MustCompile(`^(\d{14})_.*\.go$`)

// add is Add with the file the migration comes from.
func (s *Set) add(file string, m Migration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byVer == nil {
		s.byVer = map[string]Migration{}
	}
	if fv := migrationFileName.FindStringSubmatch(filepath.Base(file)); fv != nil && fv[1] != m.Version {
		s.problems = append(s.problems, fmt.Sprintf("migration file %s declares Version %q but its name says %s: make them agree (rename the file or correct Version)",
			filepath.Base(file), m.Version, fv[1]))
	}
	switch {
	case m.Version == "":
		s.problems = append(s.problems, fmt.Sprintf("migration %q has an empty version: set it to a 14-digit timestamp (YYYYMMDDhhmmss)", m.Name))
	case !validVersion(m.Version):
		s.problems = append(s.problems, fmt.Sprintf("migration %s (%s) has a malformed version: it must be a 14-digit timestamp (YYYYMMDDhhmmss)", m.Version, m.Name))
	default:
		for _, d := range []struct {
			name  string
			steps []Step
		}{{"Up", m.Up}, {"Down", m.Down}} {
			if msg := misplacedCommitFirst(d.steps); msg != "" {
				s.problems = append(s.problems, fmt.Sprintf("migration %s: %s %s", m, d.name, msg))
			}
		}
		if prev, ok := s.byVer[m.Version]; ok {
			s.problems = append(s.problems, fmt.Sprintf("version %s is used by two migrations (%q and %q): give the later one a new version and regenerate it", m.Version, prev.Name, m.Name))
			return
		}
		s.byVer[m.Version] = m
	}
}

// validVersion reports whether v is 14 ASCII digits.
func validVersion(v string) bool {
	if len(v) != 14 {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}

// Migrations returns the set's migrations sorted by version.
func (s *Set) Migrations() []Migration {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Migration, 0, len(s.byVer))
	for _, m := range s.byVer {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out
}

// Lookup returns the migration with the given version.
func (s *Set) Lookup(version string) (Migration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.byVer[version]
	return m, ok
}

// ValidationError lists what is wrong with a Set.
type ValidationError struct {
	Problems []string
}

// Error joins the problems.
func (e *ValidationError) Error() string {
	if len(e.Problems) == 1 {
		return "invalid migrations: " + e.Problems[0]
	}
	return "invalid migrations:\n  - " + strings.Join(e.Problems, "\n  - ")
}

// Validate reports the problems Add recorded and checks that the migrations
// form one chain: each migration's Parent must be the previous version, and
// the first migration's Parent must be "". It returns a *ValidationError.
func (s *Set) Validate() error {
	s.mu.Lock()
	problems := append([]string(nil), s.problems...)
	s.mu.Unlock()
	ms := s.Migrations()

	children := map[string][]Migration{}
	for _, m := range ms {
		children[m.Parent] = append(children[m.Parent], m)
	}
	reported := map[string]bool{}
	for i, m := range ms {
		want := ""
		if i > 0 {
			want = ms[i-1].Version
		}
		if m.Parent == want {
			continue
		}
		siblings := children[m.Parent]
		switch {
		case len(siblings) > 1 && !reported[m.Parent]:
			reported[m.Parent] = true
			var names []string
			for _, c := range siblings {
				names = append(names, c.String())
			}
			parent := m.Parent
			if parent == "" {
				parent = `"" (no parent)`
			}
			later := siblings[len(siblings)-1]
			problems = append(problems, fmt.Sprintf(
				"migrations %s have the same parent %s: two migrations were generated from the same parent: regenerate the later one: "+
					"where %s is applied (your database, a staging one), roll it back first with this checkout (schemadiff rollback), "+
					"then delete it and run schemadiff generate again",
				joinAnd(names), parent, later))
		case len(siblings) > 1:
			// Already reported with its siblings.
		case i == 0:
			problems = append(problems, fmt.Sprintf(
				"migration %s is the first migration but has parent %s, which is not in the set: set its Parent to \"\" or restore the missing migration",
				m, m.Parent))
		case m.Parent == "":
			problems = append(problems, fmt.Sprintf(
				"migration %s has no parent but is not the first migration (it should follow %s): regenerate it",
				m, ms[i-1]))
		default:
			problems = append(problems, fmt.Sprintf(
				"migration %s has parent %s but the previous migration is %s: the chain is broken; regenerate %s, or restore the missing migration",
				m, m.Parent, ms[i-1], m))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: problems}
}

// joinAnd joins names as "a, b and c".
func joinAnd(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
