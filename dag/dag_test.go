package dag

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/schema"
)

func table(name string) schema.ID {
	return schema.ID{Kind: schema.KindTable, Schema: "public", Name: name}
}

func view(name string) schema.ID {
	return schema.ID{Kind: schema.KindView, Schema: "public", Name: name}
}

func seq(name string) schema.ID {
	return schema.ID{Kind: schema.KindSequence, Schema: "public", Name: name}
}

func column(tbl, name string) schema.ID {
	return schema.ID{Kind: schema.KindColumn, Schema: "public", Table: tbl, Name: name}
}

func constraint(tbl, name string) schema.ID {
	return schema.ID{Kind: schema.KindConstraint, Schema: "public", Table: tbl, Name: name}
}

func change(op diff.Op, id schema.ID, requires ...schema.ID) diff.Change {
	return diff.Change{Op: op, Object: id, Requires: requires}
}

func withAspect(c diff.Change, a diff.Aspect) diff.Change {
	c.Aspect = a
	return c
}

func names(cs []diff.Change) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = describe(c)
	}
	return out
}

func TestOrder(t *testing.T) {
	app := schema.ID{Kind: schema.KindSchema, Name: "app"}
	appTable := schema.ID{Kind: schema.KindTable, Schema: "app", Name: "t"}
	appView := schema.ID{Kind: schema.KindView, Schema: "app", Name: "v"}

	tests := []struct {
		name string
		in   []diff.Change
		want []string
	}{
		{
			name: "foreign key after both tables",
			in: []diff.Change{
				change(diff.OpCreate, constraint("b", "fk"), table("a"), table("b")),
				change(diff.OpCreate, table("b")),
				change(diff.OpCreate, table("a")),
			},
			want: []string{
				"create table public.b",
				"create table public.a",
				"create constraint public.b.fk",
			},
		},
		{
			name: "drop dependent view before its table",
			in: []diff.Change{
				change(diff.OpDrop, table("t")),
				change(diff.OpDrop, view("v"), table("t")),
			},
			want: []string{"drop view public.v", "drop table public.t"},
		},
		{
			name: "drop before alter of a required column",
			in: []diff.Change{
				change(diff.OpAlter, column("t", "c")),
				change(diff.OpDrop, view("v"), column("t", "c")),
			},
			want: []string{"drop view public.v", "alter column public.t.c"},
		},
		{
			name: "dropped dependency falls back to table drop",
			in: []diff.Change{
				change(diff.OpDrop, table("t")),
				change(diff.OpDrop, view("v"), column("t", "c")),
			},
			want: []string{"drop view public.v", "drop table public.t"},
		},
		{
			name: "recreate drops first",
			in: []diff.Change{
				change(diff.OpCreate, view("x")),
				change(diff.OpDrop, view("x")),
			},
			want: []string{"drop view public.x", "create view public.x"},
		},
		{
			name: "recreate with dependants",
			in: []diff.Change{
				change(diff.OpCreate, view("w"), view("x")),
				change(diff.OpCreate, view("x")),
				change(diff.OpDrop, view("x")),
				change(diff.OpDrop, view("w"), view("x")),
			},
			want: []string{
				"drop view public.w",
				"drop view public.x",
				"create view public.x",
				"create view public.w",
			},
		},
		{
			name: "schema created before its objects without Requires",
			in: []diff.Change{
				change(diff.OpCreate, appView, appTable),
				change(diff.OpCreate, appTable),
				change(diff.OpCreate, app),
			},
			want: []string{"create schema app", "create table app.t", "create view app.v"},
		},
		{
			name: "schema dropped after its objects",
			in: []diff.Change{
				change(diff.OpDrop, app),
				change(diff.OpDrop, appTable),
				change(diff.OpDrop, appView, appTable),
				change(diff.OpCreate, table("other")),
			},
			want: []string{
				"drop view app.v",
				"drop table app.t",
				"drop schema app",
				"create table public.other",
			},
		},
		{
			name: "column requirement falls back to table create",
			in: []diff.Change{
				change(diff.OpCreate, view("v"), column("t", "c")),
				change(diff.OpCreate, table("t")),
			},
			want: []string{"create table public.t", "create view public.v"},
		},
		{
			name: "column requirement uses the column change when present",
			in: []diff.Change{
				change(diff.OpCreate, view("v"), column("t", "c")),
				change(diff.OpAlter, column("t", "c")),
				withAspect(change(diff.OpAlter, table("t")), diff.AspectComment),
			},
			want: []string{"alter column public.t.c", "create view public.v", "alter table public.t"},
		},
		{
			name: "requirements outside the input are ignored",
			in: []diff.Change{
				change(diff.OpCreate, view("v"), table("existing"), column("existing", "c")),
				change(diff.OpCreate, view("w")),
			},
			want: []string{"create view public.v", "create view public.w"},
		},
		{
			name: "ties broken by rank then input order",
			in: []diff.Change{
				change(diff.OpCreate, view("c")),
				change(diff.OpCreate, table("a")),
				change(diff.OpCreate, view("d")),
				change(diff.OpCreate, table("b")),
				change(diff.OpCreate, seq("s"), view("c")),
			},
			want: []string{
				"create table public.a",
				"create table public.b",
				"create view public.c",
				"create sequence public.s",
				"create view public.d",
			},
		},
		{
			name: "explicit After",
			in: []diff.Change{
				{Op: diff.OpDrop, Object: seq("s"), After: []diff.Ref{
					{Op: diff.OpAlter, Object: column("t", "id")},
					{Op: diff.OpCreate, Object: column("t", "other")}, // not in the input
				}},
				change(diff.OpAlter, column("t", "id")),
				change(diff.OpCreate, column("t", "id")), // same object, other op
			},
			want: []string{"alter column public.t.id", "drop sequence public.s", "create column public.t.id"},
		},
		{
			name: "self requirement ignored",
			in: []diff.Change{
				change(diff.OpAlter, table("t"), table("t")),
			},
			want: []string{"alter table public.t"},
		},
		{
			name: "empty",
			in:   nil,
			want: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.in)
			got, err := Order(tt.in)
			if err != nil {
				t.Fatalf("Order: %v", err)
			}
			if g := names(got); !slices.Equal(g, tt.want) {
				t.Errorf("Order:\n got  %q\n want %q", g, tt.want)
			}
			if !slices.EqualFunc(in, tt.in, func(a, b diff.Change) bool { return describe(a) == describe(b) }) {
				t.Errorf("Order modified its input")
			}
		})
	}
}

func TestOrderDeterministic(t *testing.T) {
	var in []diff.Change
	for i := range 40 {
		name := fmt.Sprintf("t%02d", i)
		in = append(in, change(diff.OpCreate, table(name)))
		if i > 0 {
			prev := fmt.Sprintf("t%02d", i-1)
			in = append(in, withAspect(change(diff.OpCreate, constraint(name, "fk"), table(prev), table(name)), diff.AspectForeignKey))
			in = append(in, change(diff.OpDrop, view("v"+name), table(prev)))
			in = append(in, withAspect(change(diff.OpAlter, table(prev)), diff.Aspect(i%2)))
		}
	}
	first, err := Order(in)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		again, err := Order(in)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(names(first), names(again)) {
			t.Fatalf("Order is not deterministic:\n%q\n%q", names(first), names(again))
		}
	}
}

func TestOrderCycle(t *testing.T) {
	tests := []struct {
		name string
		in   []diff.Change
		want string
	}{
		{
			name: "two views",
			in: []diff.Change{
				change(diff.OpCreate, view("a"), view("b")),
				change(diff.OpCreate, view("b"), view("a")),
			},
			want: "dependency cycle: create view public.a -> create view public.b -> create view public.a",
		},
		{
			name: "three changes behind an unrelated prefix",
			in: []diff.Change{
				change(diff.OpCreate, table("free")),
				change(diff.OpCreate, view("c"), view("a")),
				change(diff.OpCreate, view("a"), view("b")),
				change(diff.OpCreate, view("b"), view("c")),
				change(diff.OpCreate, view("after"), view("c")),
			},
			want: "dependency cycle: create view public.c -> create view public.b -> " +
				"create view public.a -> create view public.c",
		},
		{
			name: "mutual drops",
			in: []diff.Change{
				change(diff.OpDrop, view("v"), table("t")),
				change(diff.OpDrop, table("t"), view("v")),
			},
			want: "dependency cycle: drop view public.v -> drop table public.t -> drop view public.v",
		},
		{
			name: "create and alter",
			in: []diff.Change{
				change(diff.OpCreate, table("free")),
				change(diff.OpAlter, table("t"), view("v")),
				change(diff.OpCreate, view("v"), column("t", "c")),
			},
			want: "dependency cycle: alter table public.t -> create view public.v -> alter table public.t",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Order(tt.in)
			if err == nil {
				t.Fatalf("Order returned %q, want a cycle error", names(got))
			}
			var ce *CycleError
			if !errors.As(err, &ce) {
				t.Fatalf("error %T %v is not a *CycleError", err, err)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n got  %s\n want %s", err, tt.want)
			}
			for _, c := range ce.Cycle {
				if !strings.Contains(err.Error(), c.Object.String()) {
					t.Errorf("error %q does not name %s", err, c.Object)
				}
			}
			if _, err2 := Order(tt.in); err2.Error() != err.Error() {
				t.Errorf("cycle error not deterministic: %q vs %q", err, err2)
			}
		})
	}
}
