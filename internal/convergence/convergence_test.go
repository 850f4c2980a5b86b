package convergence

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestCases runs every case in testdata/cases.
func TestCases(t *testing.T) { runCases(t, diff.Options{}) }

// TestCasesOnline runs every case again with online DDL.
func TestCasesOnline(t *testing.T) { runCases(t, diff.Options{Online: true}) }

func runCases(t *testing.T, opts diff.Options) {
	dirs, err := filepath.Glob("../../testdata/cases/*/to.sql")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases found in testdata/cases: %v", err)
	}
	for _, p := range dirs {
		dir := filepath.Dir(p)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			plans := &Plans{}
			if err := Run(ctx, pgtest.Target(t), pgtest.Scratch(t), Case{Name: filepath.Base(dir), Dir: dir, Options: opts, Plans: plans}); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, dir, plans)
		})
	}
}

// PeerEnv names the peer corpus directory; the peer test runs only when it
// is set (make peer).
const PeerEnv = "SCHEMADIFF_PEER_CASES"

// TestPeerCases runs the peer corpus. Cases listed in
// testdata/peer-known-failures.txt may fail; any other failure fails the
// test, and a listed case that passes is reported so the list stays true.
func TestPeerCases(t *testing.T) {
	root := os.Getenv(PeerEnv)
	if root == "" {
		t.Skipf("set %s to the peer-cases directory to run the peer corpus (make peer)", PeerEnv)
	}
	known := readKnownFailures(t, "../../testdata/peer-known-failures.txt")
	metas, err := filepath.Glob(filepath.Join(root, "*", "*", "meta.json"))
	if err != nil || len(metas) == 0 {
		t.Fatalf("no peer cases under %s", root)
	}
	sort.Strings(metas)
	var (
		mu      sync.Mutex
		results = map[string][2]int{}
	)
	record := func(suite string, ok bool) {
		mu.Lock()
		defer mu.Unlock()
		r := results[suite]
		if ok {
			r[0]++
		} else {
			r[1]++
		}
		results[suite] = r
	}
	t.Cleanup(func() {
		for _, s := range sortedKeys(results) {
			t.Logf("suite %s: %d passed, %d failed", s, results[s][0], results[s][1])
		}
	})
	// Roles and other server-wide objects every case may need, once.
	var globalSQL []string
	seen := map[string]bool{}
	for _, m := range metas {
		if meta, err := ReadPeerMeta(filepath.Dir(m)); err == nil {
			for _, g := range meta.Harness.GlobalSQL {
				if !seen[g] {
					seen[g] = true
					globalSQL = append(globalSQL, g)
				}
			}
		}
	}
	runGlobals(t, globalSQL)
	t.Run("suite", func(t *testing.T) {
		for _, m := range metas {
			dir := filepath.Dir(m)
			suite := filepath.Base(filepath.Dir(dir))
			key := suite + "/" + filepath.Base(dir)
			meta, err := ReadPeerMeta(dir)
			if err != nil {
				t.Fatal(err)
			}
			if meta.Skip() != "" {
				continue
			}
			t.Run(key, func(t *testing.T) {
				t.Parallel()
				target, scratch := pgtest.Target(t), pgtest.Scratch(t)
				var dbSQL []string
				for _, d := range meta.Harness.DBSQL {
					dbSQL = append(dbSQL, d.SQL)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
				defer cancel()
				err := Run(ctx, target, scratch, Case{Name: key, Dir: dir, DBSQL: dbSQL})
				record(suite, err == nil)
				reason, isKnown := known[key]
				switch {
				case err != nil && isKnown:
					t.Logf("known failure (%s): %v", reason, firstLine(err.Error()))
				case err != nil:
					t.Fatal(err)
				case isKnown:
					t.Logf("listed as a known failure (%s) but passes now: remove it from the list", reason)
				}
			})
		}
	})
}

// runGlobals runs the server-wide statements (roles) on the target server;
// Run copies roles to the scratch server as the command line does.
func runGlobals(t *testing.T, stmts []string) {
	target := pgtest.Target(t)
	url, err := target.NewDatabase(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer target.DropDatabase(context.Background(), url) //nolint:errcheck // dropped with the server
	conn, err := pgconn.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for _, s := range stmts {
		conn.Exec(context.Background(), s).ReadAll() //nolint:errcheck // roles may exist already
	}
}

// readKnownFailures reads "suite/case: reason" lines; # starts a comment.
func readKnownFailures(t *testing.T, path string) map[string]string {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return map[string]string{}
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	known := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, reason, _ := strings.Cut(line, ":")
		known[strings.TrimSpace(k)] = strings.TrimSpace(reason)
	}
	return known
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
