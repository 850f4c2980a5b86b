package diff

import (
	"testing"

	"github.com/schemadiff/schemadiff/schema"
)

func TestRelabelEnumLiterals(t *testing.T) {
	mood := schema.QName{Schema: "public", Name: "mood"}
	for _, tc := range []struct{ sql, want string }{
		{`'ok'::public.mood`, `'fine'::public.mood`},
		{`'ok'::public.moods`, `'ok'::public.moods`},
		{`'ok'::public.mood[]`, `'fine'::public.mood[]`},
		{`CASE WHEN 'ok'::text = 'ok' THEN 'ok'::public.mood ELSE 'bad'::public.mood END`,
			`CASE WHEN 'ok'::text = 'ok' THEN 'fine'::public.mood ELSE 'bad'::public.mood END`},
		{`'it''s ok'::public.mood`, `'it''s ok'::public.mood`},
	} {
		if got := relabelEnumLiterals(tc.sql, mood, "ok", "fine"); got != tc.want {
			t.Errorf("relabelEnumLiterals(%q) = %q, want %q", tc.sql, got, tc.want)
		}
	}
}

func TestRenameSequenceInDefault(t *testing.T) {
	old, new := schema.QName{Schema: "public", Name: "t_id_seq"}, schema.QName{Schema: "public", Name: "Ids"}
	got := renameQualified(`nextval('public.t_id_seq'::regclass)`, old, new)
	if want := `nextval('public."Ids"'::regclass)`; got != want {
		t.Errorf("renameQualified = %q, want %q", got, want)
	}
	if got, want := literalValue(`'a''b'`), `a'b`; got != want {
		t.Errorf("literalValue = %q, want %q", got, want)
	}
}

// TestRenamedIndexKeepsReplicaIdentity checks that renaming the index a
// table's REPLICA IDENTITY and CLUSTER ON use plans no change to them.
func TestRenamedIndexKeepsReplicaIdentity(t *testing.T) {
	withUses := func(name string) *schema.Table {
		tb := coreTable("t", []string{"a integer not null"}, "CREATE INDEX "+name+" ON public.t USING btree (a)")
		tb.Indexes[0].Unique = true
		tb.ReplicaIdentity = schema.ReplicaIdentity{Kind: schema.ReplicaIndex, Index: name}
		tb.ClusterOn = name
		return tb
	}
	hint := schema.Rename{Kind: schema.KindIndex, Schema: "public", Name: "new_key", From: "old_key"}
	changes, err := DiffWith(coreCatalog(withUses("old_key")), coreCatalog(withUses("new_key")), Options{Renames: []schema.Rename{hint}})
	if err != nil {
		t.Fatal(err)
	}
	planned := plannedStatements(changes)
	if len(planned) != 1 || planned[0].sql != "ALTER INDEX public.old_key RENAME TO new_key" {
		t.Errorf("want only the rename:\n%s", formatPlanned(planned))
	}
}
