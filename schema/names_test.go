package schema

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTruncateIdent(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"orders", "orders"},
		{strings.Repeat("a", 63), strings.Repeat("a", 63)},
		{strings.Repeat("a", 64), strings.Repeat("a", 63)},
		// é is two bytes: the one across byte 63 goes whole.
		{strings.Repeat("a", 62) + "é", strings.Repeat("a", 62)},
		{strings.Repeat("a", 61) + "é" + "b", strings.Repeat("a", 61) + "é"},
		{strings.Repeat("日", 30), strings.Repeat("日", 21)},
	} {
		if got := TruncateIdent(tc.in); got != tc.want {
			t.Errorf("TruncateIdent(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestObjectName(t *testing.T) {
	long := strings.Repeat("t", 70)
	for _, tc := range []struct{ name1, name2, label, want string }{
		{"orders", "id", "seq", "orders_id_seq"},
		{"accounts", "", "pkey", "accounts_pkey"},
		{long, "id", "seq", strings.Repeat("t", 56) + "_id_seq"},
		{long, long, "key", strings.Repeat("t", 29) + "_" + strings.Repeat("t", 29) + "_key"},
		{strings.Repeat("é", 40), "id", "seq", strings.Repeat("é", 28) + "_id_seq"},
	} {
		got := ObjectName(tc.name1, tc.name2, tc.label)
		if got != tc.want || len(got) > MaxIdentLen {
			t.Errorf("ObjectName(%q, %q, %q) = %q, want %q", tc.name1, tc.name2, tc.label, got, tc.want)
		}
	}
	if got := IdentitySequenceDefaultName(long, "id"); got != ObjectName(long, "id", "seq") {
		t.Errorf("IdentitySequenceDefaultName = %q", got)
	}
}

// TestNameSplitting checks the three readings of a dotted name, which
// share one scanner and differ in how they fold what is not quoted:
// PostgreSQL's output (ParseQName, kept as printed), SQL as written
// (SplitName: folded and trimmed, empty parts dropped) and the text of a
// reg* literal (ParseRegName: white space dropped, ASCII folded).
func TestNameSplitting(t *testing.T) {
	type want struct {
		printed []string // splitQuoted; nil for an error
		sql     []string // SplitName
		reg     []string // ParseRegName
	}
	for in, w := range map[string]want{
		"public.orders":        {[]string{"public", "orders"}, []string{"public", "orders"}, []string{"public", "orders"}},
		`"App"."My Table"`:     {[]string{"App", "My Table"}, []string{"App", "My Table"}, []string{"App", "My Table"}},
		`App.Orders`:           {[]string{"App", "Orders"}, []string{"app", "orders"}, []string{"app", "orders"}},
		`"a.b"."say ""hi"""`:   {[]string{"a.b", `say "hi"`}, []string{"a.b", `say "hi"`}, []string{"a.b", `say "hi"`}},
		` app . Seq `:          {[]string{" app ", " Seq "}, []string{"app", "seq"}, []string{"app", "seq"}},
		`ab"Cd"EF`:             {[]string{"abCdEF"}, []string{"abCdEF"}, []string{"abCdef"}},
		`ÉTÉ.t`:                {[]string{"ÉTÉ", "t"}, []string{"été", "t"}, []string{"ÉtÉ", "t"}}, // only ASCII letters fold in a reg* literal
		`a..b`:                 {[]string{"a", "", "b"}, []string{"a", "b"}, []string{"a", "", "b"}},
		`""`:                   {[]string{""}, nil, []string{""}},
		"  ":                   {[]string{"  "}, nil, nil},
		`"open.end`:            {nil, []string{"open.end"}, []string{"open.end"}},
		`s."T"[]`:              {[]string{"s", "T[]"}, []string{"s", "T[]"}, []string{"s", "T[]"}},
		`"Mixed"Case.x`:        {[]string{"MixedCase", "x"}, []string{"MixedCase", "x"}, []string{"Mixedcase", "x"}},
		`pg_catalog."varchar"`: {[]string{"pg_catalog", "varchar"}, []string{"pg_catalog", "varchar"}, []string{"pg_catalog", "varchar"}},
	} {
		printed, err := splitQuoted(in)
		if (err != nil) != (w.printed == nil) {
			t.Errorf("splitQuoted(%q): error %v", in, err)
		}
		if d := cmp.Diff(w.printed, printed); err == nil && d != "" {
			t.Errorf("splitQuoted(%q) (-want +got):\n%s", in, d)
		}
		if d := cmp.Diff(w.sql, SplitName(in)); d != "" {
			t.Errorf("SplitName(%q) (-want +got):\n%s", in, d)
		}
		if d := cmp.Diff(w.reg, ParseRegName(in)); d != "" {
			t.Errorf("ParseRegName(%q) (-want +got):\n%s", in, d)
		}
	}
	if q, err := ParseQName(`"My Schema"."T"`, "public"); err != nil || q != (QName{"My Schema", "T"}) {
		t.Errorf("ParseQName = %v, %v", q, err)
	}
	if q, err := ParseQName(`t`, "public"); err != nil || q != (QName{"public", "t"}) {
		t.Errorf("ParseQName without a schema = %v, %v", q, err)
	}
	if _, err := ParseQName(`a.b.c`, ""); err == nil {
		t.Errorf("ParseQName of three parts: no error")
	}
}
