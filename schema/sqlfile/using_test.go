package sqlfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemadiff/schemadiff/schema"
)

// conversionHintsOf reads src as a schema file and returns its conversion
// hints, or the error.
func conversionHintsOf(t *testing.T, src string) (map[schema.ID]schema.Conversion, string, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "schema.sql")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	// The file's directives are checked with the rename hints (which see
	// those outside any statement too), then read from the statements.
	if _, err := ReadRenames(path); err != nil {
		return nil, path, err
	}
	stmts, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	hints, err := ConversionHints(stmts)
	return hints, path, err
}

func TestConversionHints(t *testing.T) {
	hints, path, err := conversionHintsOf(t, `CREATE SCHEMA app;
CREATE TABLE app.events (
    id integer,
    -- schemadiff:renamed-from created
    -- schemadiff:using to_timestamp(created_at)
    -- schemadiff:using-down extract(epoch FROM created_at)::bigint
    created_at timestamptz
);
ALTER TABLE app.events
    -- schemadiff:USING flags <> 0
    ADD COLUMN flags boolean;
`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[schema.ID]schema.Conversion{
		{Kind: schema.KindColumn, Schema: "app", Table: "events", Name: "created_at"}: {
			Using: "to_timestamp(created_at)", UsingDown: "extract(epoch FROM created_at)::bigint", File: path, Line: 5},
		{Kind: schema.KindColumn, Schema: "app", Table: "events", Name: "flags"}: {Using: "flags <> 0", File: path, Line: 10},
	}
	if d := cmp.Diff(want, hints); d != "" {
		t.Errorf("hints (-want +got):\n%s", d)
	}
}

func TestConversionHintsErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"before a statement", "-- schemadiff:using 1\nCREATE TABLE t (a int);\n", ":1:1: schemadiff:using must directly precede a column"},
		{"before a constraint", "CREATE TABLE t (\n    a int,\n    -- schemadiff:using 1\n    CHECK (a > 0)\n);\n",
			":3:5: schemadiff:using must directly precede a column"},
		{"no expression", "CREATE TABLE t (\n    -- schemadiff:using\n    a int\n);\n", ":2:5: schemadiff:using needs the SQL expression"},
		{"bad expression", "CREATE TABLE t (\n    -- schemadiff:using-down a +\n    a int\n);\n", ":2:5: schemadiff:using-down: the expression \"a +\" does not parse"},
		{"twice", "CREATE TABLE t (\n    -- schemadiff:using a\n    -- schemadiff:using b\n    a int\n);\n", ":3:5: second schemadiff:using directive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, path, err := conversionHintsOf(t, tt.src)
			if err == nil || !strings.Contains(err.Error(), path+tt.want) {
				t.Fatalf("error %v, want %q", err, path+tt.want)
			}
		})
	}
}
