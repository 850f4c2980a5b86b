package schema

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSourcePositions(t *testing.T) {
	file := filepath.Join(t.TempDir(), "accounts.sql")
	src := "-- accounts\nCREATE TABLE accounts (\n    id bigint,\n    \"Email\" text,\n    Name text\n);\nCREATE TABLE tags (id int, label text);\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	stmts, err := ReadSQL(file)
	if err != nil {
		t.Fatal(err)
	}
	got := SourcePositions(stmts)
	for id, line := range map[ID]int{
		{Kind: KindTable, Schema: "public", Name: "accounts"}:                  2,
		{Kind: KindColumn, Schema: "public", Table: "accounts", Name: "id"}:    3,
		{Kind: KindColumn, Schema: "public", Table: "accounts", Name: "Email"}: 4,
		{Kind: KindColumn, Schema: "public", Table: "accounts", Name: "name"}:  5,
		{Kind: KindColumn, Schema: "public", Table: "tags", Name: "label"}:     7,
	} {
		if p := got[id]; p.File != file || p.Line != line {
			t.Errorf("%s: at %s, want line %d", id, p, line)
		}
	}
}
