package migrate

import (
	"testing"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

// testDBURL returns a fresh database on the tests' own PostgreSQL (an
// embedded server, or SCHEMADIFF_TEST_DEV_URL), dropped when the test ends.
// Without PostgreSQL binaries the test is skipped, or fails when CI=true.
func testDBURL(t *testing.T) string {
	t.Helper()
	return pgtest.NewDB(t)
}
