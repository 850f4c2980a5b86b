package sqlfile

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemadiff/schemadiff/internal/bench"
)

// cacheTexts are the texts the cache is checked on: every convergence
// case's from.sql and to.sql, this package's SQL test files, and the
// generated schemas of 100 and 1,000 tables.
func cacheTexts(t *testing.T) map[string]string {
	t.Helper()
	texts := map[string]string{}
	var files []string
	for _, pattern := range []string{"../../testdata/cases/*/*.sql", "testdata/sqlfiles/*.sql", "testdata/sqlfiles/*/*.sql"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 300 {
		t.Fatalf("found %d SQL files, want the convergence cases' (run from the package directory)", len(files))
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts[f] = string(src)
	}
	for _, n := range []int{100, 1000} {
		g := bench.Generate(n)
		texts[fmt.Sprintf("bench-%d-base.sql", n)] = g.Base
		texts[fmt.Sprintf("bench-%d-desired.sql", n)] = g.Desired
	}
	return texts
}

// parseResult is what parsing gives, errors compared by their text and
// position.
type parseResult struct {
	Stmts []Statement
	Err   string
	Pos   *SourceError
}

func result(stmts []Statement, err error) parseResult {
	r := parseResult{Stmts: stmts}
	if err != nil {
		r.Err = err.Error()
		var se *SourceError
		if errors.As(err, &se) {
			r.Pos = &SourceError{File: se.File, Line: se.Line, Col: se.Col, Msg: se.Msg}
		}
	}
	return r
}

var cmpStatements = cmp.AllowUnexported(Statement{}, ordering{})

// parseInFourPieces is Parse cutting even small texts into pieces.
func parseInFourPieces(file, src string) ([]Statement, error) {
	src, err := prepare(file, src)
	if err != nil {
		return nil, err
	}
	segs, err := parseInPieces(file, src, 4, 2)
	if err != nil {
		return nil, err
	}
	return statements(file, src, segs), nil
}

// parseInOnePiece is Parse without cutting the text into pieces parsed at
// once: what the pieces, and reading through the cache, must give.
func parseInOnePiece(file, src string) ([]Statement, error) {
	src, err := prepare(file, src)
	if err != nil {
		return nil, err
	}
	segs, err := parseSegments(file, src)
	if err != nil {
		return nil, err
	}
	return statements(file, src, segs), nil
}

// roundTrip returns c as the next run sees it: encoded and decoded.
func roundTrip(t *testing.T, c *Cache) *Cache {
	t.Helper()
	d, err := DecodeCache(c.Encode("key"), "key")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestCacheEqualsParse: reading through the cache, and Parse (which
// parses large texts in pieces at once), give what parsing in one piece
// gives — the same statements, or the same error — for every convergence
// case and generated schema, cold (an empty cache) and warm after random
// edits (the cache holding the text before the edit), edits that break
// statements, strings, comments and bodies included.
func TestCacheEqualsParse(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	rnd := rand.New(rand.NewPCG(seed, 14))
	texts := cacheTexts(t)
	var parsed, reused, failed int
	for name, src := range texts {
		c := NewCache()
		want := result(parseInOnePiece(name, src))
		if diff := cmp.Diff(want, result(Parse(name, src)), cmpStatements); diff != "" {
			t.Fatalf("%s: Parse differs from parsing in one piece (-want +got):\n%s", name, diff)
		}
		if diff := cmp.Diff(want, result(c.Parse(name, src)), cmpStatements); diff != "" {
			t.Fatalf("%s: cold read through the cache differs from Parse (-want +got):\n%s", name, diff)
		}
		edits := 4
		if len(src) > 100_000 {
			edits = 2
		}
		prev := src
		for e := range edits {
			next := roundTrip(t, c)
			edited, what := randomEdit(rnd, prev, texts)
			want := result(parseInOnePiece(name, edited))
			if diff := cmp.Diff(want, result(Parse(name, edited)), cmpStatements); diff != "" {
				t.Fatalf("%s: edit %d (%s): Parse differs from parsing in one piece (-want +got):\n%s", name, e, what, diff)
			}
			if diff := cmp.Diff(want, result(parseInFourPieces(name, edited)), cmpStatements); diff != "" {
				t.Fatalf("%s: edit %d (%s): parsing in four pieces differs from parsing in one (-want +got):\n%s", name, e, what, diff)
			}
			got := result(next.Parse(name, edited))
			if diff := cmp.Diff(want, got, cmpStatements); diff != "" {
				t.Fatalf("%s: edit %d (%s): read through the cache differs from Parse (-want +got):\n%s", name, e, what, diff)
			}
			if want.Err != "" {
				failed++
				continue // a text that does not parse is not cached
			}
			parsed += next.Parsed
			reused += next.Reused
			prev, c = edited, next
		}
	}
	t.Logf("%d texts; edits that parse: %d bytes parsed, %d reused; %d edits did not parse", len(texts), parsed, reused, failed)
	if reused < 5*parsed {
		t.Errorf("reused %d bytes, parsed %d: the cache is hardly used", reused, parsed)
	}
}

// edits are the fragments randomEdit inserts: whole statements, and
// pieces that change how the text around them reads.
var edits = []string{
	"\n", ";", ";;", " ", "--", "-- x;\n", "/*", "*/", "/* c; */", "'", "\"", "$$", "$x$", "(", ")", "E'\\'",
	"BEGIN ATOMIC ", " END;", "\nCREATE TABLE zz_edit (a int);\n", "CREATE VIEW zz_v AS SELECT 1 AS one;", "\\restrict x\n",
	"CASE WHEN true THEN 1 END", "SELECT 1", "\nCOMMIT;\n", "COPY t FROM stdin;\n",
}

// randomEdit changes src at a random place: inserts a fragment, deletes
// or duplicates some bytes, or moves a stretch elsewhere.
func randomEdit(rnd *rand.Rand, src string, texts map[string]string) (string, string) {
	at := rnd.IntN(len(src) + 1)
	n := rnd.IntN(min(200, len(src)-at) + 1)
	switch rnd.IntN(9) {
	case 6:
		// Remove a statement: from a semicolon to the next.
		i := strings.IndexByte(src[at:], ';')
		if i < 0 {
			return src, "none"
		}
		j := strings.IndexByte(src[at+i+1:], ';')
		if j < 0 {
			return src[:at+i+1], "cut the end"
		}
		return src[:at+i+1] + src[at+i+1+j+1:], fmt.Sprintf("remove from %d to %d", at+i+1, at+i+1+j+1)
	case 7:
		// Change a letter, as renaming something does.
		for i := at; i < len(src); i++ {
			if src[i] >= 'a' && src[i] <= 'z' {
				c := string(rune('a' + rnd.IntN(26)))
				return src[:i] + c + src[i+1:], fmt.Sprintf("letter %q at %d", c, i)
			}
		}
		return src, "none"
	case 8:
		// White space between two tokens.
		for i := at; i < len(src); i++ {
			if src[i] == ' ' || src[i] == '\n' {
				return src[:i] + "\n " + src[i:], fmt.Sprintf("white space at %d", i)
			}
		}
		return src, "none"
	case 0, 1:
		f := edits[rnd.IntN(len(edits))]
		return src[:at] + f + src[at:], fmt.Sprintf("insert %q at %d", f, at)
	case 2:
		return src[:at] + src[at+n:], fmt.Sprintf("delete %d bytes at %d", n, at)
	case 3:
		return src[:at] + src[at:at+n] + src[at:], fmt.Sprintf("duplicate %d bytes at %d", n, at)
	case 4:
		piece := src[at : at+n]
		rest := src[:at] + src[at+n:]
		to := rnd.IntN(len(rest) + 1)
		return rest[:to] + piece + rest[to:], fmt.Sprintf("move %d bytes from %d to %d", n, at, to)
	default:
		// A statement of another file, after a statement of this one.
		semi := strings.IndexByte(src[at:], ';')
		if semi < 0 {
			return src + "\n" + "CREATE TABLE zz_end (a int);", "append a statement"
		}
		for _, other := range texts {
			if i := strings.IndexByte(other, ';'); i >= 0 {
				j := strings.IndexByte(other[i+1:], ';')
				if j >= 0 {
					ins := other[i+1 : i+1+j+1]
					return src[:at+semi+1] + ins + src[at+semi+1:], fmt.Sprintf("insert %q after %d", ins, at+semi+1)
				}
			}
			break
		}
		return src, "none"
	}
}

// TestCacheEditOneTable: after one table of the generated schema of 1,000
// tables is edited, reading it again parses only that table's statement.
func TestCacheEditOneTable(t *testing.T) {
	src := bench.Generate(1000).Desired
	c := NewCache()
	if _, err := c.Parse("schema.sql", src); err != nil {
		t.Fatal(err)
	}
	c = roundTrip(t, c)
	edited := bench.EditOneTable(src)
	got, err := c.Parse("schema.sql", edited)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Parse("schema.sql", edited)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmpStatements); diff != "" {
		t.Fatalf("differs from Parse (-want +got):\n%s", diff)
	}
	if c.Parsed > 1000 || c.Reused != len(edited)-c.Parsed {
		t.Errorf("parsed %d bytes, reused %d of %d: want one table's statement parsed", c.Parsed, c.Reused, len(edited))
	}
	if !c.Changed() {
		t.Error("Changed() = false after an edit")
	}
	c = roundTrip(t, c)
	if _, err := c.Parse("schema.sql", edited); err != nil {
		t.Fatal(err)
	}
	if c.Parsed != 0 || c.Changed() {
		t.Errorf("unchanged text: parsed %d bytes, Changed() = %v; want 0, false", c.Parsed, c.Changed())
	}
}

// TestDecodeCacheRejects: data of another format or key, or cut short, is
// an error, never a cache.
func TestDecodeCacheRejects(t *testing.T) {
	c := NewCache()
	if _, err := c.Parse("a.sql", "CREATE TABLE a (id int);\nCREATE VIEW v AS SELECT id FROM a;\n"); err != nil {
		t.Fatal(err)
	}
	data := c.Encode("key")
	if _, err := DecodeCache(data, "key"); err != nil {
		t.Fatalf("DecodeCache: %v", err)
	}
	for name, d := range map[string][]byte{
		"other key":    data,
		"empty":        nil,
		"other format": append([]byte("schemadiff parse cache 0\n"), data[len(cacheFormat):]...),
		"cut short":    data[:len(data)-3],
		"trailing":     append(append([]byte{}, data...), 0),
	} {
		key := "key"
		if name == "other key" {
			key = "other"
		}
		if got, err := DecodeCache(d, key); err == nil || got != nil {
			t.Errorf("%s: DecodeCache = %v, %v; want an error", name, got, err)
		}
	}
	for i := range data {
		DecodeCache(data[:i], "key") //nolint:errcheck // must not panic
	}
}

// TestCacheTrickyEdits: edits that change how unchanged text after them
// reads (a comment, string or body now running over it) give what Parse
// gives, read through the cache and parsed in pieces.
func TestCacheTrickyEdits(t *testing.T) {
	for _, c := range []struct{ name, before, after string }{
		{"line comment over the next statements", "CREATE TABLE a (); CREATE TABLE b (); CREATE TABLE c ();",
			"CREATE TABLE a (); -- CREATE TABLE b (); CREATE TABLE c ();"},
		{"block comment opened", "CREATE TABLE a ();\nCREATE TABLE b ();\n/* x */\nCREATE TABLE c ();\n",
			"CREATE TABLE a ();\n/*CREATE TABLE b ();\n/* x */\nCREATE TABLE c ();\n*/"},
		{"string opened", "CREATE TABLE a ();\nCREATE VIEW v AS SELECT 1 AS x;\nCREATE TABLE b ();\n",
			"CREATE TABLE a ();\nCREATE VIEW v AS SELECT ';\nCREATE TABLE b ();\n' AS x;\n"},
		{"body around cached statements", "SELECT 1;\nCREATE TABLE t (a int);\nSELECT 2;\n",
			"SELECT 1;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC\nCREATE TABLE t (a int);\nSELECT 2;\nEND;\n"},
		{"atomic body with cached statements", "SELECT 1;\nSELECT 2;\n",
			"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1;\nSELECT 2;\nEND;\nSELECT 1;\nSELECT 2;\n"},
		{"dollar quote", "CREATE TABLE a ();\nSELECT 2;\n", "CREATE TABLE a ();\nDO $$ BEGIN PERFORM 1;\nSELECT 2;\nEND $$;\nSELECT 2;\n"},
		{"trailing comment continued", "CREATE TABLE a (); -- end", "CREATE TABLE a (); -- end CREATE TABLE b ();\n"},
		{"empty statements", "CREATE TABLE a ();;\n;CREATE TABLE b ();", ";CREATE TABLE a ();;\n;CREATE TABLE b ();;CREATE TABLE a ();;"},
		{"rule actions", "CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\n",
			"CREATE TABLE t (a int);\nCREATE RULE r AS ON UPDATE TO t DO ALSO (\nINSERT INTO t VALUES (1);\nINSERT INTO t VALUES (1));\n"},
		{"statement moved", "CREATE TABLE a ();\nCREATE TABLE b ();\nCREATE TABLE c ();\n", "CREATE TABLE c ();\nCREATE TABLE a ();\nCREATE TABLE b ();\n"},
		{"unterminated at the end", "CREATE TABLE a ();\nCREATE TABLE b ()", "CREATE TABLE a ();\nCREATE TABLE b ();\nCREATE TABLE c ()"},
		{"syntax error", "CREATE TABLE a ();\nCREATE TABLE b ();\n", "CREATE TABLE a ();\nCREATE TABLEX b ();\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cache := NewCache()
			if _, err := cache.Parse("f.sql", c.before); err != nil {
				t.Fatal(err)
			}
			cache = roundTrip(t, cache)
			want := result(parseInOnePiece("f.sql", c.after))
			if diff := cmp.Diff(want, result(cache.Parse("f.sql", c.after)), cmpStatements); diff != "" {
				t.Errorf("read through the cache: differs from Parse (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want, result(parseInFourPieces("f.sql", c.after)), cmpStatements); diff != "" {
				t.Errorf("parsed in pieces: differs from Parse (-want +got):\n%s", diff)
			}
		})
	}
}
