package diff

import "testing"

func TestReplaceIdent(t *testing.T) {
	tests := []struct{ sql, old, new, want string }{
		{"CHECK ((email <> ''::text))", "email", "email_address", "CHECK ((email_address <> ''::text))"},
		{"CHECK ((email <> 'email'::text))", "email", "mail", "CHECK ((mail <> 'email'::text))"},
		{"CREATE INDEX i ON public.t USING btree (email, email2)", "email", "e", "CREATE INDEX i ON public.t USING btree (e, email2)"},
		{`CHECK (("Mixed Col" > 0))`, "Mixed Col", "plain", "CHECK ((plain > 0))"},
		{`CHECK ((a > 0))`, "a", "Big A", `CHECK (("Big A" > 0))`},
		{`CHECK (('it''s a' <> a))`, "a", "b", `CHECK (('it''s a' <> b))`},
		{`FOREIGN KEY (x) REFERENCES public.p(x)`, "x", "y", `FOREIGN KEY (y) REFERENCES public.p(y)`},
	}
	for _, tc := range tests {
		if got := replaceIdent(tc.sql, tc.old, tc.new); got != tc.want {
			t.Errorf("replaceIdent(%q, %q, %q) = %q, want %q", tc.sql, tc.old, tc.new, got, tc.want)
		}
	}
}
