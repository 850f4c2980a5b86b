package gostruct_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/schema/gostruct"
)

// TestGoEnums: a string type marked schemadiff:enum is an enum type with
// its constants' values in declaration order, and fields of the type are
// columns of the enum type.
func TestGoEnums(t *testing.T) {
	stmts, _, _, err := readGo(t, `// Status is where an order is.
//
// schemadiff:enum
type Status string

const (
	StatusNew  Status = "new"
	StatusPaid Status = "paid"
	other             = "not a status"
)

const StatusShipped = Status("shipped")

// schemadiff:enum name=billing."order kind"
type Kind string

const KindOnline Kind = `+"`online`"+`

// schemadiff:table
type Order struct {
	ID     int64    `+"`schemadiff:\"id,pk\"`"+`
	Status Status   `+"`schemadiff:\"status,default='new'\"`"+`
	Kind   *Kind    `+"`schemadiff:\"kind\"`"+`
	Past   []Status `+"`schemadiff:\"past\"`"+`
}
`)
	if err != nil {
		t.Fatal(err)
	}
	want := `CREATE TYPE public.status AS ENUM ('new', 'paid', 'shipped');
CREATE TYPE billing."order kind" AS ENUM ('online');
CREATE TABLE public."order" (
	id bigint NOT NULL,
	status public.status NOT NULL DEFAULT 'new',
	kind billing."order kind",
	past public.status[] NOT NULL,
	PRIMARY KEY (id)
);
`
	if got := sqlText(stmts); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestGoEnumsAcrossFiles: the constants of an enum may be in other files
// of the package; files are taken in name order.
func TestGoEnumsAcrossFiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.go": "package m\n\n// schemadiff:enum\ntype Level string\n\nconst Low Level = \"low\"\n",
		"b.go": "package m\n\nconst High Level = \"high\"\n",
	})
	stmts, _, err := gostruct.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sqlText(stmts), "CREATE TYPE public.level AS ENUM ('low', 'high');\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestGoEnumErrors(t *testing.T) {
	tests := []struct{ name, decls, want string }{
		{"not a literal", "// schemadiff:enum\ntype S string\n\nconst prefix = \"x\"\n\nconst A S = prefix + \"a\"\n",
			`19:7: constant A of enum type S: its value prefix + "a" is not a string literal (and the package does not type-check, so it cannot be computed)`},
		{"empty", "// schemadiff:enum\ntype S string\n",
			`14:4: enum public.s has no values: declare constants of type S (const X S = "x")`},
		{"duplicate", "// schemadiff:enum\ntype S string\n\nconst (\n\tA S = \"a\"\n\tB S = \"a\"\n)\n",
			`19:2: constant B repeats the value "a" of enum public.s (constant A at <path>:18)`},
		{"implicit repetition", "// schemadiff:enum\ntype S string\n\nconst (\n\tA S = \"a\"\n\tB\n)\n",
			`19:2: constant B repeats the value "a" of enum public.s (constant A at <path>:18)`},
		{"not a string type", "// schemadiff:enum\ntype S int\n",
			`14:4: schemadiff:enum on S, which is not a named string type (type S string)`},
		{"bad argument", "// schemadiff:enum s2\ntype S string\n",
			`14:4: schemadiff:enum s2: the argument is name=[schema.]type_name`},
		{"with table", "// schemadiff:enum\n// schemadiff:table\ntype S string\n",
			`15:4: schemadiff:table on S, which is marked schemadiff:enum`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, p, err := readGo(t, tt.decls)
			if err == nil {
				t.Fatal("no error")
			}
			want := p + ":" + strings.ReplaceAll(tt.want, "<path>", p)
			if err.Error() != want {
				t.Errorf("error\n%s\nwant\n%s", err, want)
			}
		})
	}
}

// TestGormEnum: in GORM and bun models, a field of a type marked
// schemadiff:enum without type: in its tag is a column of the enum type.
func TestGormEnum(t *testing.T) {
	dir := writeModule(t, "// schemadiff:enum\ntype Status string\n\nconst Draft Status = \"draft\"\n\n"+
		"type Post struct {\n\tID uint `gorm:\"primaryKey\"`\n\tStatus Status\n\tOld Status `gorm:\"type:text\"`\n}\n")
	stmts, _, err := gostruct.Read(filepath.Join(dir))
	if err != nil {
		t.Fatal(err)
	}
	got := sqlText(stmts)
	for _, want := range []string{"CREATE TYPE public.status AS ENUM ('draft')", "status public.status", "old text"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
}

// TestGoEnumComputedValues: with type information (the package
// type-checks), a constant's value may be computed from other constants.
func TestGoEnumComputedValues(t *testing.T) {
	dir := writeModule(t, "// schemadiff:enum\ntype Status string\n\nconst prefix = \"st_\"\n\n"+
		"const (\n\tOpen Status = prefix + \"open\"\n\tShut = Status(prefix + \"shut\")\n)\n")
	stmts, _, err := gostruct.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sqlText(stmts), "CREATE TYPE public.status AS ENUM ('st_open', 'st_shut');\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestBunEnum: in a bun model, a field of a type marked schemadiff:enum is
// a column of the enum type unless its tag says type:.
func TestBunEnum(t *testing.T) {
	dir := writeModule(t, "// schemadiff:enum name=billing.state\ntype State string\n\nconst Open State = \"open\"\n\n"+
		"type Ticket struct {\n\tID int64 `bun:\",pk\"`\n\tState State `bun:\",notnull\"`\n\tPrev *State `bun:\"prev,type:text\"`\n}\n")
	stmts, _, err := gostruct.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := sqlText(stmts)
	for _, want := range []string{"CREATE TYPE billing.state AS ENUM ('open')", "state billing.state NOT NULL", "prev text"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
}
