package schema

import "testing"

// TestKindsRoundTrip: every kind is spelled, read back from its spelling
// and as text, and no other spelling is a kind.
func TestKindsRoundTrip(t *testing.T) {
	kinds := Kinds()
	if len(kinds) != int(kindEnd)-1 {
		t.Fatalf("Kinds() has %d kinds, want %d", len(kinds), kindEnd-1)
	}
	for _, k := range kinds {
		got, err := ParseKind(k.String())
		if err != nil || got != k {
			t.Errorf("ParseKind(%q) = %v, %v; want %v", k.String(), got, err, k)
		}
		text, err := k.MarshalText()
		if err != nil {
			t.Fatalf("%v.MarshalText: %v", k, err)
		}
		var back Kind
		if err := back.UnmarshalText(text); err != nil || back != k {
			t.Errorf("UnmarshalText(%q) = %v, %v", text, back, err)
		}
		if want := "'" + k.String() + "'"; k.Literal() != want {
			t.Errorf("%v.Literal() = %s, want %s", k, k.Literal(), want)
		}
	}
	for _, s := range []string{"", "tables", "Table", "privileges on table"} {
		if k, err := ParseKind(s); err == nil {
			t.Errorf("ParseKind(%q) = %v, want an error", s, k)
		}
	}
	if _, err := kindInvalid.MarshalText(); err == nil {
		t.Error("the zero kind marshals")
	}
}

// TestIDKindName: privileges carry the kind of their object.
func TestIDKindName(t *testing.T) {
	id := ID{Kind: KindPrivileges, Of: KindFunction, Schema: "s", Name: "f", Args: "integer"}
	if got, want := id.String(), "privileges on function s.f"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	fn := ID{Kind: KindFunction, Schema: "s", Name: "f", Args: "integer"}
	if got, want := fn.String(), "function s.f(integer)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if id.Compare(fn) <= 0 {
		t.Errorf("privileges on a function sort before it: kinds are ordered by spelling")
	}
}
