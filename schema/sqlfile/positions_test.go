package sqlfile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/schemadiff/schemadiff/schema"
)

func TestSourcePositions(t *testing.T) {
	file := filepath.Join(t.TempDir(), "accounts.sql")
	src := "-- accounts\nCREATE TABLE accounts (\n    id bigint,\n    \"Email\" text,\n    Name text\n);\nCREATE TABLE tags (id int, label text);\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	stmts, err := Read(file)
	if err != nil {
		t.Fatal(err)
	}
	got := Positions(stmts)
	for id, line := range map[schema.ID]int{
		{Kind: schema.KindTable, Schema: "public", Name: "accounts"}:                  2,
		{Kind: schema.KindColumn, Schema: "public", Table: "accounts", Name: "id"}:    3,
		{Kind: schema.KindColumn, Schema: "public", Table: "accounts", Name: "Email"}: 4,
		{Kind: schema.KindColumn, Schema: "public", Table: "accounts", Name: "name"}:  5,
		{Kind: schema.KindColumn, Schema: "public", Table: "tags", Name: "label"}:     7,
	} {
		if p := got[id]; p.File != file || p.Line != line {
			t.Errorf("%s: at %s, want line %d", id, p, line)
		}
	}
}
