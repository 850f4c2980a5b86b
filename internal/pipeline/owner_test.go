package pipeline

import (
	"strings"
	"testing"
)

func TestNewOwner(t *testing.T) {
	cases := []struct {
		sql  string
		want string
		ok   bool
	}{
		{`ALTER TABLE t OWNER TO app`, "app", true},
		{`ALTER TABLE ONLY "T" OWNER TO "App Owner"`, "App Owner", true},
		{`ALTER SCHEMA s OWNER TO app`, "app", true},
		{`ALTER FUNCTION f(int) OWNER TO app`, "app", true},
		{`ALTER VIEW v OWNER TO CURRENT_USER`, "", false},
		{`ALTER TABLE t OWNER TO app, ADD COLUMN c int`, "", false},
		{`CREATE TABLE owner (id int)`, "", false},
		{`ALTER TABLE t ADD COLUMN owner text`, "", false},
	}
	for _, c := range cases {
		got, ok := newOwner(c.sql)
		if got != c.want || ok != c.ok {
			t.Errorf("newOwner(%q) = %q, %v; want %q, %v", c.sql, got, ok, c.want, c.ok)
		}
	}
}

// TestOwnerChangeBlockTag: a statement holding the block's dollar-quote
// tag cannot end the block early.
func TestOwnerChangeBlockTag(t *testing.T) {
	sql := `ALTER TABLE "x$sd_owner$y" OWNER TO "r$sd_owner0$"`
	block := ownerChangeBlock(sql, "r$sd_owner0$")
	tag := block[len("DO ") : strings.Index(block[len("DO "):], "\n")+len("DO ")]
	if strings.Count(block, tag) != 2 {
		t.Fatalf("tag %s appears %d times in\n%s", tag, strings.Count(block, tag), block)
	}
}
