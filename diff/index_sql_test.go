package diff

import (
	"slices"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/schema"
)

// testIndex is an index of public.t as introspection fills it.
func testIndex(name string, unique bool, keys ...string) *schema.Index {
	return &schema.Index{QName: schema.QName{Schema: "public", Name: name}, Table: schema.QName{Schema: "public", Name: "t"},
		Unique: unique, Method: "btree", Keys: keys, Columns: []string{"a"}}
}

func TestCreateIndexSQL(t *testing.T) {
	odd := testIndex("Odd Name", true, "lower(a) DESC", "b text_pattern_ops")
	odd.Table = schema.QName{Schema: "my schema", Name: "select"}
	odd.Include, odd.NullsNotDistinct, odd.With, odd.Where = []string{"c", "D"}, true, "fillfactor='70'", "(a > 0)"
	for _, tc := range []struct {
		ix    *schema.Index
		build indexBuild
		want  string
	}{
		{testIndex("t_a_idx", false, "a"), indexBuild{}, `CREATE INDEX t_a_idx ON public.t USING btree (a)`},
		{testIndex("t_a_idx", false, "a"), indexBuild{Concurrently: true}, `CREATE INDEX CONCURRENTLY t_a_idx ON public.t USING btree (a)`},
		{testIndex("t_a_idx", false, "a"), indexBuild{Only: true}, `CREATE INDEX t_a_idx ON ONLY public.t USING btree (a)`},
		{odd, indexBuild{Concurrently: true}, `CREATE UNIQUE INDEX CONCURRENTLY "Odd Name" ON "my schema"."select" USING btree (lower(a) DESC, b text_pattern_ops) INCLUDE (c, "D") NULLS NOT DISTINCT WITH (fillfactor='70') WHERE (a > 0)`},
	} {
		if got := createIndexSQL(tc.ix, tc.build); got != tc.want {
			t.Errorf("createIndexSQL(%s, %+v)\n got %s\nwant %s", tc.ix.Name, tc.build, got, tc.want)
		}
	}
	if got, want := dropIndexSQL(odd.QName, true), `DROP INDEX CONCURRENTLY public."Odd Name"`; got != want {
		t.Errorf("dropIndexSQL = %s, want %s", got, want)
	}
}

// TestOnlineIndexChange checks that online mode drops and builds a changed
// index of an existing table CONCURRENTLY, outside the transaction.
func TestOnlineIndexChange(t *testing.T) {
	from := coreCatalog(coreTable("t", []string{"a integer"}, "CREATE INDEX t_a_idx ON public.t USING btree (a)"))
	to := coreCatalog(coreTable("t", []string{"a integer"}))
	to.Tables[schema.QName{Schema: "public", Name: "t"}].Indexes = []*schema.Index{testIndex("t_a_idx", true, "a")}
	for _, online := range []bool{false, true} {
		changes, err := DiffWith(from, to, Options{Online: online})
		if err != nil {
			t.Fatal(err)
		}
		var sqls []string
		for _, s := range plannedStatements(changes) {
			sqls = append(sqls, s.sql)
			if online != (s.tx == OutsideTransaction) {
				t.Errorf("online=%v: %s runs %v", online, s.sql, s.tx)
			}
		}
		want := []string{"DROP INDEX public.t_a_idx", "CREATE UNIQUE INDEX t_a_idx ON public.t USING btree (a)"}
		if online {
			want = []string{"DROP INDEX CONCURRENTLY public.t_a_idx", "CREATE UNIQUE INDEX CONCURRENTLY t_a_idx ON public.t USING btree (a)"}
		}
		if !slices.Equal(sqls, want) {
			t.Errorf("online=%v:\n got %q\nwant %q", online, sqls, want)
		}
	}
}

// TestRenamedIndex checks that a renamed index is renamed, not rebuilt, and
// that a later change to it is rendered under its new name.
func TestRenamedIndex(t *testing.T) {
	from := coreCatalog(coreTable("t", []string{"a integer"}, "CREATE INDEX old_idx ON public.t USING btree (a)"))
	to := coreCatalog(coreTable("t", []string{"a integer"}))
	to.Tables[schema.QName{Schema: "public", Name: "t"}].Indexes = []*schema.Index{testIndex("new_idx", false, "a")}
	hint := schema.Rename{Kind: schema.KindIndex, Schema: "public", Name: "new_idx", From: "old_idx"}
	changes, err := DiffWith(from, to, Options{Renames: []schema.Rename{hint}})
	if err != nil {
		t.Fatal(err)
	}
	var sqls []string
	for _, s := range plannedStatements(changes) {
		sqls = append(sqls, s.sql)
	}
	if want := []string{"ALTER INDEX public.old_idx RENAME TO new_idx"}; !slices.Equal(sqls, want) {
		t.Errorf("renamed index:\n got %q\nwant %q", sqls, want)
	}
	// Renamed and made unique: rebuilt under the new name.
	to.Tables[schema.QName{Schema: "public", Name: "t"}].Indexes[0].Unique = true
	changes, err = DiffWith(from, to, Options{Renames: []schema.Rename{hint}, Online: true})
	if err != nil {
		t.Fatal(err)
	}
	sqls = nil
	for _, s := range plannedStatements(changes) {
		sqls = append(sqls, s.sql)
	}
	want := []string{"ALTER INDEX public.old_idx RENAME TO new_idx", "DROP INDEX CONCURRENTLY public.new_idx",
		"CREATE UNIQUE INDEX CONCURRENTLY new_idx ON public.t USING btree (a)"}
	if !slices.Equal(sqls, want) {
		t.Errorf("renamed and changed index:\n got %q\nwant %q", sqls, want)
	}
}

// TestRebuildIdentityName checks that a rebuilt table's identity column
// is created with the temporary sequence name, renamed afterwards to the
// one it keeps.
func TestRebuildIdentityName(t *testing.T) {
	q := schema.QName{Schema: "public", Name: "t"}
	id := func() *schema.Column {
		return &schema.Column{Name: "id", Type: "bigint", NotNull: true, Identity: schema.IdentityAlways, StatsTarget: -1,
			IdentitySequence: &schema.SequenceOptions{Type: "bigint", Start: 1, Increment: 1, Min: 1, Max: 9223372036854775807, Cache: 1}}
	}
	b := &schema.Column{Name: "b", Type: "text", StatsTarget: -1}
	from, to := &schema.Table{QName: q, Columns: []*schema.Column{id(), b}}, &schema.Table{QName: q, Columns: []*schema.Column{b, id()}}
	changes, err := DiffWith(coreCatalog(from), coreCatalog(to), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tmp := schema.QualifiedIdent("public", rebuildSequenceName(q, 1, "id"))
	var create, rename bool
	for _, s := range plannedStatements(changes) {
		create = create || strings.Contains(s.sql, "id bigint GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME "+tmp+")")
		rename = rename || s.sql == "ALTER SEQUENCE "+tmp+" RENAME TO t_id_seq"
	}
	if !create || !rename {
		t.Errorf("rebuilt identity column: want it created with sequence %s and renamed to t_id_seq:\n%s", tmp, formatPlanned(plannedStatements(changes)))
	}
}

// TestRenamedColumnInIndex checks that a column rename carries into the
// keys, INCLUDE list and predicate of an index: nothing is rebuilt.
func TestRenamedColumnInIndex(t *testing.T) {
	table := func(col string) *schema.Table {
		tb := coreTable("t", []string{col + " integer", "x integer"})
		ix := testIndex("t_x_idx", false, "x", "("+col+" + 1)")
		ix.Include, ix.Where, ix.Columns = []string{col}, "("+col+" > 0)", []string{col, "x"}
		tb.Indexes = []*schema.Index{ix}
		return tb
	}
	hint := schema.Rename{Kind: schema.KindColumn, Schema: "public", Table: "t", Name: "b", From: "a"}
	changes, err := DiffWith(coreCatalog(table("a")), coreCatalog(table("b")), Options{Renames: []schema.Rename{hint}})
	if err != nil {
		t.Fatal(err)
	}
	planned := plannedStatements(changes)
	if len(planned) != 1 || planned[0].sql != "ALTER TABLE public.t RENAME COLUMN a TO b" {
		t.Errorf("want only the column rename:\n%s", formatPlanned(planned))
	}
}
