package pgparse

import (
	"os/exec"
	"strings"
	"testing"
)

// pgQueryModule is the import path prefix of pg_query_go's packages.
const pgQueryModule = "github.com/pganalyze/pg_query_go/"

// TestOnlyThisPackageImportsPgQuery: every other package of the module,
// tests included, reaches pg_query through this package, so that every
// parse goes through the depth guard and pg_query's types are named in one
// place.
func TestOnlyThisPackageImportsPgQuery(t *testing.T) {
	cmd := exec.Command("go", "list", "-f",
		`{{.ImportPath}}{{range .Imports}} {{.}}{{end}}{{range .TestImports}} {{.}}{{end}}{{range .XTestImports}} {{.}}{{end}}`,
		"./...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const self = "github.com/schemadiff/schemadiff/internal/pgparse"
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		checked++
		if fields[0] == self {
			continue
		}
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, pgQueryModule) {
				t.Errorf("%s imports %s: use package pgparse instead", fields[0], imp)
			}
		}
	}
	if checked < 10 {
		t.Fatalf("go list listed %d packages: %s", checked, out)
	}
}
