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
