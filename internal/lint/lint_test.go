package lint

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGolden lints testdata/migrations, which holds each rule's pattern
// and its safe form, and compares every output format with its golden
// file.
func TestGolden(t *testing.T) {
	res, err := Dir(filepath.Join("testdata", "migrations"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Format{FormatText, FormatJSON, FormatGitHub} {
		t.Run(string(f), func(t *testing.T) {
			var out bytes.Buffer
			if err := res.Write(&out, f); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden."+string(f))
			if *update {
				if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("%s output differs from %s (go test -run TestGolden -update rewrites it):\n%s", f, golden, out.String())
			}
		})
	}
}

// TestEveryRuleIsTested: the golden directory makes each rule fire.
func TestEveryRuleIsTested(t *testing.T) {
	res, err := Dir(filepath.Join("testdata", "migrations"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[RuleID]bool{}
	for _, f := range res.Findings {
		seen[f.Rule] = true
		if f.Migration == "20260101000003" || f.Migration == "20260101000001" {
			t.Errorf("the safe migration %s has a finding: %+v", f.Migration, f)
		}
	}
	for _, r := range Rules {
		if !seen[r.ID] {
			t.Errorf("rule %s never fires in testdata/migrations", r.ID)
		}
	}
}

// TestZeroDurations: the lock_timeout values that turn it off.
func TestZeroDurations(t *testing.T) {
	for v, want := range map[string]bool{"0": true, "0ms": true, " 0s": true, "0.0": true, "5s": false, "": false, "100": false, "10min": false} {
		if got := isZeroDuration(v); got != want {
			t.Errorf("isZeroDuration(%q) = %v, want %v", v, got, want)
		}
	}
}

// TestAnnotationEscaping: GitHub's workflow command escapes.
func TestAnnotationEscaping(t *testing.T) {
	a := Annotation{Level: "error", File: "a,b:c.go", Line: 3, Title: "t", Message: "50% done\nnext"}
	if got, want := a.String(), "::error file=a%2Cb%3Ac.go,line=3,title=t::50%25 done%0Anext"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
