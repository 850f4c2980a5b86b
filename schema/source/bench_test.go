package source

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/schemadiff/schemadiff/internal/bench"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// BenchmarkRead reads and orders one generated schema file of N tables
// (bench.Generate), as pipeline.ReadSchema does: without the parse cache
// (nocache), through an empty one (cold: everything is parsed and the
// cache written), through one holding the file before one of its tables
// was edited (warm-edit, the everyday case) and through one holding the
// file as it is (warm-same).
//
//	go test -run '^$' -bench BenchmarkRead ./schema/source/
func BenchmarkRead(b *testing.B) {
	for _, n := range []int{100, 1000} {
		desired := bench.Generate(n).Desired
		edited := bench.EditOneTable(desired)
		for _, mode := range []string{"nocache", "cold", "warm-edit", "warm-same"} {
			b.Run("N="+strconv.Itoa(n)+"/"+mode, func(b *testing.B) {
				dir := b.TempDir()
				path := filepath.Join(dir, "schema.sql")
				o := Options{CacheDir: filepath.Join(dir, "cache"), NoCache: mode == "nocache"}
				writeBenchFile(b, path, desired)
				var cached map[string][]byte // the cache files holding desired
				if mode == "warm-edit" || mode == "warm-same" {
					if _, err := LoadWith(o, path); err != nil {
						b.Fatal(err)
					}
					cached = readDir(b, o.CacheDir)
				}
				if mode == "warm-edit" {
					writeBenchFile(b, path, edited)
				}
				for b.Loop() {
					b.StopTimer()
					os.RemoveAll(o.CacheDir)
					for name, data := range cached {
						writeBenchFile(b, filepath.Join(o.CacheDir, name), string(data))
					}
					b.StartTimer()
					res, err := LoadWith(o, path)
					if err != nil {
						b.Fatal(err)
					}
					sqlfile.Order(res.Statements)
				}
			})
		}
	}
}

func readDir(b *testing.B, dir string) map[string][]byte {
	b.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		out[e.Name()] = data
	}
	return out
}

func writeBenchFile(b *testing.B, path, content string) {
	b.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		b.Fatal(err)
	}
}
