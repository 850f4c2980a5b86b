package diff

import "testing"

func TestOverloadsOverlap(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"", "prefix text DEFAULT 'SKU'::text", true},
		{"", "prefix text", false},
		{"a integer", "a integer, b integer DEFAULT 1", true},
		{"a integer", "b text DEFAULT 'x'::text", false},
		{"a integer", "x integer", true},
		{"a integer, OUT r text", "a integer, b text DEFAULT 'a, b'::text", true},
		{"VARIADIC r integer[]", "a integer, b integer", true},
		{"VARIADIC r integer[]", "a text", false},
		{"VARIADIC r integer[] DEFAULT '{}'::integer[]", "", true},
		{"double precision", "x double precision DEFAULT 1.5", true},
		{"double integer", "integer", true},
		{"timestamp with time zone", "t timestamp with time zone", true},
		{`"time" text`, "text", true},
		{"a anyelement", "b integer", true},
		{"a numeric(10,2) DEFAULT 0", "", true},
	}
	for _, tt := range tests {
		a, b := parseCallSignature(tt.a), parseCallSignature(tt.b)
		if got := a.overlaps(b); got != tt.want {
			t.Errorf("overlaps(%q, %q) = %v, want %v (%+v, %+v)", tt.a, tt.b, got, tt.want, a, b)
		}
		if got := b.overlaps(a); got != tt.want {
			t.Errorf("overlaps(%q, %q) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
}
