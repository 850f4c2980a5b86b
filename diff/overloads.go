package diff

import (
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// A function replaced by an overload of the same name, e.g. next_sku() by
// next_sku(prefix text DEFAULT 'SKU'), cannot be created while the old one
// exists if both accept the same calls: PostgreSQL then refuses every such
// call ("function next_sku() is not unique"), in the defaults, checks and
// views that the plan creates. The old overload is dropped first, with what
// uses it (see functionDrop), and the new one created after.

// replaced reports whether the plan drops f of the current catalog (it is
// gone or recreated) or creates f of the desired catalog (it is new or
// recreated).
func (d *differ) replaced(f *schema.Function, current bool) bool {
	other := d.to.Functions
	if !current {
		other = d.from.Functions
	}
	o, ok := other[f.ID()]
	return !ok || o.Definition != f.Definition && (o.Result != f.Result || o.Arguments != f.Arguments)
}

// clashes returns the functions of cat, other than f itself, that the plan
// drops (current) or creates (!current) and that accept a call f accepts.
func (d *differ) clashes(f *schema.Function, cat *schema.Catalog, current bool) []schema.ID {
	var out []schema.ID
	sig := parseCallSignature(f.Arguments)
	for _, id := range schema.SortedIDs(cat.Functions) {
		g := cat.Functions[id]
		if id == f.ID() || g.Schema != f.Schema || g.Name != f.Name || !d.replaced(g, current) {
			continue
		}
		if sig.overlaps(parseCallSignature(g.Arguments)) {
			out = append(out, id)
		}
	}
	return out
}

// displacedBy returns the drops a new overload f must follow: those of the
// replaced overloads that accept a call f accepts.
func (d *differ) displacedBy(f *schema.Function) []Ref {
	if !d.replaced(f, false) {
		return nil
	}
	var refs []Ref
	for _, id := range d.clashes(f, d.from, true) {
		refs = append(refs, Ref{OpDrop, id})
	}
	return refs
}

// displaced reports whether the dropped function f must go before a new
// overload is created (see displacedBy).
func (d *differ) displaced(f *schema.Function) bool {
	return len(d.clashes(f, d.to, false)) > 0
}

// callSignature is what calls a function accepts: the types of its input
// arguments, how many of them a call must pass, and whether the last one is
// variadic (it then takes any number of its element type).
type callSignature struct {
	types    []string
	required int
	variadic bool
}

// parseCallSignature reads pg_get_function_arguments output, e.g.
// "a integer, b text DEFAULT 'x'::text, OUT c integer, VARIADIC r text[]".
func parseCallSignature(args string) callSignature {
	var sig callSignature
	for _, a := range splitTopLevel(args) {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		hasDefault := false
		if i := indexTopLevel(a, " DEFAULT "); i >= 0 {
			a, hasDefault = a[:i], true
		}
		mode, rest, _ := strings.Cut(a, " ")
		switch mode {
		case "OUT":
			continue
		case "IN", "INOUT":
			a = rest
		case "VARIADIC":
			a = rest
			sig.variadic = true
		}
		typ := argType(a)
		if sig.variadic {
			typ = strings.TrimSuffix(typ, "[]")
		}
		sig.types = append(sig.types, typ)
		if !hasDefault {
			sig.required = len(sig.types)
		}
	}
	return sig
}

// argType strips the name off one argument "name type" (or "type").
// Multi-word type names start with a keyword that a name would be quoted
// for, except "double precision".
func argType(a string) string {
	first, rest, ok := strings.Cut(a, " ")
	if !ok {
		return a
	}
	base, _, _ := strings.Cut(first, "(")
	switch {
	case strings.HasPrefix(first, `"`):
		return rest
	case base == "character" || base == "bit" || base == "time" || base == "timestamp" || base == "interval":
		return a
	case first == "double" && strings.HasPrefix(rest, "precision"):
		return a
	}
	return rest
}

// polymorphic types accept arguments of many types.
var polymorphic = []string{`"any"`, "anyelement", "anyarray", "anynonarray", "anyenum", "anyrange", "anymultirange",
	"anycompatible", "anycompatiblearray", "anycompatiblenonarray", "anycompatiblerange", "anycompatiblemultirange"}

// overlaps reports whether a call with some number of arguments, of the
// same types at each position, is accepted by both s and t.
func (s callSignature) overlaps(t callSignature) bool {
	limit := max(len(s.types), len(t.types)) + 1
	most := func(c callSignature) int {
		if c.variadic {
			return limit
		}
		return len(c.types)
	}
	for n := max(s.required, t.required); n <= min(most(s), most(t)); n++ {
		same := true
		for i := range n {
			a, b := s.typeAt(i), t.typeAt(i)
			if a != b && !slices.Contains(polymorphic, a) && !slices.Contains(polymorphic, b) {
				same = false
				break
			}
		}
		if same {
			return true
		}
	}
	return false
}

// typeAt returns the type of the i-th argument of a call.
func (s callSignature) typeAt(i int) string {
	if i >= len(s.types) {
		return s.types[len(s.types)-1] // variadic
	}
	return s.types[i]
}

// splitTopLevel splits s at the commas outside quotes and parentheses.
func splitTopLevel(s string) []string {
	var parts []string
	start := 0
	scan(s, func(i int) bool {
		if s[i] == ',' {
			parts = append(parts, s[start:i])
			start = i + 1
		}
		return false
	})
	return append(parts, s[start:])
}

// indexTopLevel returns the first index of sub in s outside quotes and
// parentheses, or -1.
func indexTopLevel(s, sub string) int {
	at := -1
	scan(s, func(i int) bool {
		if strings.HasPrefix(s[i:], sub) {
			at = i
			return true
		}
		return false
	})
	return at
}

// scan calls f with each byte index of s outside quotes and parentheses
// until f returns true.
func scan(s string, f func(i int) bool) {
	depth := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			depth--
		case depth == 0 && f(i):
			return
		}
	}
}
