package gostruct_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/schema"
	"github.com/schemadiff/schemadiff/schema/gostruct"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

const goFixtures = "testdata/gostruct"

// goHeader starts every generated Go file of the tests: line 1 to 13, so
// the declarations of a test start on line 14.
const goHeader = `package models

import (
	"database/sql"
	"encoding/json"
	"net/netip"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"
)

`

// writeFiles writes files (name -> content) into a temporary directory
// and returns its path.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// readGo reads Go declarations written after goHeader into one file.
func readGo(t *testing.T, decls string) ([]sqlfile.Statement, []schema.Rename, string, error) {
	t.Helper()
	p := filepath.Join(writeFiles(t, map[string]string{"models.go": goHeader + decls}), "models.go")
	stmts, renames, err := gostruct.Read(p)
	return stmts, renames, p, err
}

// sqlText joins the statements' SQL as a script.
func sqlText(stmts []sqlfile.Statement) string {
	var b strings.Builder
	for _, s := range stmts {
		b.WriteString(s.SQL + ";\n")
	}
	return b.String()
}

func TestReadGoStructsSQL(t *testing.T) {
	tests := []struct {
		name, decls, want string
	}{{
		name: "go types",
		decls: `// schemadiff:table
type AllTypes struct {
	A int          ` + "`schemadiff:\"\"`" + `
	B int32        ` + "`schemadiff:\"\"`" + `
	C int16        ` + "`schemadiff:\"\"`" + `
	D string       ` + "`schemadiff:\"\"`" + `
	E bool         ` + "`schemadiff:\"\"`" + `
	F float64      ` + "`schemadiff:\"\"`" + `
	G float32      ` + "`schemadiff:\"\"`" + `
	H time.Time    ` + "`schemadiff:\"\"`" + `
	I []byte       ` + "`schemadiff:\"\"`" + `
	J json.RawMessage ` + "`schemadiff:\"\"`" + `
	K uuid.UUID    ` + "`schemadiff:\"\"`" + `
	L []string     ` + "`schemadiff:\"\"`" + `
	M []int64      ` + "`schemadiff:\"\"`" + `
	N netip.Addr   ` + "`schemadiff:\"\"`" + `
	O decimal.Decimal ` + "`schemadiff:\"\"`" + `
	P Level        ` + "`schemadiff:\"\"`" + `
	Q Labels       ` + "`schemadiff:\"\"`" + `
}

type Level int16
type Labels []Level
`,
		want: `CREATE TABLE public.all_types (
	a bigint NOT NULL,
	b integer NOT NULL,
	c smallint NOT NULL,
	d text NOT NULL,
	e boolean NOT NULL,
	f double precision NOT NULL,
	g real NOT NULL,
	h timestamp with time zone NOT NULL,
	i bytea NOT NULL,
	j jsonb NOT NULL,
	k uuid NOT NULL,
	l text[] NOT NULL,
	m bigint[] NOT NULL,
	n inet NOT NULL,
	o numeric NOT NULL,
	p smallint NOT NULL,
	q smallint[] NOT NULL
);
`,
	}, {
		name: "nullable types",
		decls: `// schemadiff:table nullables
type N struct {
	A *int64          ` + "`schemadiff:\"a\"`" + `
	B sql.NullString  ` + "`schemadiff:\"b\"`" + `
	C sql.NullInt64   ` + "`schemadiff:\"c\"`" + `
	D sql.NullBool    ` + "`schemadiff:\"d\"`" + `
	E sql.NullTime    ` + "`schemadiff:\"e\"`" + `
	F sql.NullFloat64 ` + "`schemadiff:\"f\"`" + `
	G pgtype.Int4     ` + "`schemadiff:\"g\"`" + `
	H pgtype.Timestamptz ` + "`schemadiff:\"h\"`" + `
	I sql.Null[int16] ` + "`schemadiff:\"i\"`" + `
	J uuid.NullUUID   ` + "`schemadiff:\"j\"`" + `
	K string          ` + "`schemadiff:\"k,null\"`" + `
	L *string         ` + "`schemadiff:\"l,notnull\"`" + `
	M *Unknown        ` + "`schemadiff:\"m,type=point\"`" + `
}
`,
		want: `CREATE TABLE public.nullables (
	a bigint,
	b text,
	c bigint,
	d boolean,
	e timestamp with time zone,
	f double precision,
	g integer,
	h timestamp with time zone,
	i smallint,
	j uuid,
	k text,
	l text NOT NULL,
	m point
);
`,
	}, {
		name: "column options",
		decls: `// schemadiff:table accounts
type Account struct {
	ID     int64   ` + "`schemadiff:\"id,pk,identity=always\"`" + `
	Email  string  ` + "`schemadiff:\"email,unique,type=varchar(320),collate=C\"`" + `
	Status string  ` + "`schemadiff:\"status,default='a,b',check=status IN ('a,b', 'c')\"`" + `
	Price  float64 ` + "`schemadiff:\"price,type=numeric(10, 2),default=0,check=price >= 0\"`" + `
	Ref    *int64  ` + "`schemadiff:\"ref_id,index,references=billing.refs(id),on-delete=set-null,on-update=cascade\"`" + `
	Owner  int64   ` + "`schemadiff:\"owner_id,index=accounts_by_owner,references=owners\"`" + `
	Note   string  ` + "`schemadiff:\"note, comment='Free text, any length', default=''\"`" + `
	Kind   string  ` + "`schemadiff:\"kind,comment=The kind\"`" + `
}
`,
		want: `CREATE TABLE public.accounts (
	id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
	email varchar(320) COLLATE "C" NOT NULL UNIQUE,
	status text NOT NULL DEFAULT 'a,b' CHECK (status IN ('a,b', 'c')),
	price numeric(10, 2) NOT NULL DEFAULT 0 CHECK (price >= 0),
	ref_id bigint,
	owner_id bigint NOT NULL,
	note text NOT NULL DEFAULT '',
	kind text NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY (ref_id) REFERENCES billing.refs (id) ON DELETE SET NULL ON UPDATE CASCADE,
	FOREIGN KEY (owner_id) REFERENCES public.owners
);
CREATE INDEX accounts_ref_id_idx ON public.accounts (ref_id);
CREATE INDEX accounts_by_owner ON public.accounts (owner_id);
COMMENT ON COLUMN public.accounts.note IS 'Free text, any length';
COMMENT ON COLUMN public.accounts.kind IS 'The kind';
`,
	}, {
		name: "table directives and composite key",
		decls: `// Line is a line of an order.
//
//schemadiff:table billing.order_lines
// schemadiff:index lines_product_idx (product_id DESC, (lower(sku))) unique using BTREE where qty > 0
// schemadiff:index lines_tags_idx (tags) using gin
// schemadiff:unique (order_id, sku)
// schemadiff:unique lines_pos_key (order_id, pos)
// schemadiff:check lines_qty_check qty > 0 AND qty < 1000
// schemadiff:comment Order lines.
// schemadiff:comment It's per order.
// schemadiff: prose mentioning the tool is ignored
type Line struct {
	OrderID   int64    ` + "`schemadiff:\"order_id,pk,references=orders(id)\"`" + `
	Pos       int32    ` + "`schemadiff:\"pos,pk\"`" + `
	ProductID int64    ` + "`schemadiff:\"product_id\"`" + `
	SKU       string   ` + "`schemadiff:\"sku\"`" + `
	Qty       int32    ` + "`schemadiff:\"qty\"`" + `
	Tags      []string ` + "`schemadiff:\"tags\"`" + `
}
`,
		want: `CREATE TABLE billing.order_lines (
	order_id bigint NOT NULL,
	pos integer NOT NULL,
	product_id bigint NOT NULL,
	sku text NOT NULL,
	qty integer NOT NULL,
	tags text[] NOT NULL,
	PRIMARY KEY (order_id, pos),
	UNIQUE (order_id, sku),
	CONSTRAINT lines_pos_key UNIQUE (order_id, pos),
	CONSTRAINT lines_qty_check CHECK (qty > 0 AND qty < 1000),
	FOREIGN KEY (order_id) REFERENCES billing.orders (id)
);
CREATE UNIQUE INDEX lines_product_idx ON billing.order_lines USING btree (product_id DESC, (lower(sku))) WHERE qty > 0;
CREATE INDEX lines_tags_idx ON billing.order_lines USING gin (tags);
COMMENT ON TABLE billing.order_lines IS 'Order lines.
It''s per order.';
`,
	}, {
		name: "reserved words, capitals and default names",
		decls: `// schemadiff:table "Group"
type Group struct {
	Select   string  ` + "`schemadiff:\"select\"`" + `
	UserIDs  []int64 ` + "`schemadiff:\",pk\"`" + `
	HTTPCode int32   ` + "`schemadiff:\"\"`" + `
	Mixed    string  ` + "`schemadiff:\"MixedCase,index\"`" + `
	Spaced   string  ` + "`schemadiff:\"\\\"my col\\\"\"`" + `
}

/*
schemadiff:table
*/
type HTTPLogEntry struct {
	ID int64 ` + "`schemadiff:\"id,references=\\\"Group\\\"(\\\"MixedCase\\\")\"`" + `
}

type (
	// Ignored has no directive.
	Ignored struct{ X int ` + "`schemadiff:\"x\"`" + ` }

	// schemadiff:table public.user
	User struct{ Order int ` + "`schemadiff:\"order\"`" + ` }
)
`,
		want: `CREATE TABLE public."Group" (
	"select" text NOT NULL,
	user_ids bigint[] NOT NULL,
	http_code integer NOT NULL,
	"MixedCase" text NOT NULL,
	"my col" text NOT NULL,
	PRIMARY KEY (user_ids)
);
CREATE INDEX "Group_MixedCase_idx" ON public."Group" ("MixedCase");
CREATE TABLE public.http_log_entry (
	id bigint NOT NULL,
	FOREIGN KEY (id) REFERENCES public."Group" ("MixedCase")
);
CREATE TABLE public."user" (
	"order" bigint NOT NULL
);
`,
	}, {
		name: "embedded structs",
		decls: `type Base struct {
	ID      int64     ` + "`schemadiff:\"id,pk,identity\"`" + `
	Skipped string
	Stamps
}

type Stamps struct {
	CreatedAt time.Time ` + "`schemadiff:\"created_at,default=now()\"`" + `
}

type Other struct{ Name string ` + "`schemadiff:\"name\"`" + ` }

// schemadiff:table
type Thing struct {
	*Base
	Label string ` + "`schemadiff:\"label\"`" + `
	Other ` + "`schemadiff:\"-\"`" + `
	Stamp time.Time ` + "`schemadiff:\"stamp\"`" + `
}

// schemadiff:table
type Empty struct{}
`,
		want: `CREATE TABLE public.thing (
	id bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,
	created_at timestamp with time zone NOT NULL DEFAULT now(),
	label text NOT NULL,
	stamp timestamp with time zone NOT NULL,
	PRIMARY KEY (id)
);
CREATE TABLE public.empty ();
`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmts, _, _, err := readGo(t, tt.decls)
			if err != nil {
				t.Fatal(err)
			}
			if got := sqlText(stmts); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestReadGoStructsErrors(t *testing.T) {
	tag := func(s string) string { return "`schemadiff:\"" + s + "\"`" }
	tests := []struct {
		name, decls string
		want        string // the error after "<path>:"
	}{
		{"unknown option", "// schemadiff:table\ntype T struct {\n\tA int " + tag("a,pk,colour=red") + "\n}\n",
			`16:26: field A: unknown option "colour" (the options are pk, identity, unique, notnull, null, type=, default=, check=, references=, on-delete=, on-update=, index, comment=, renamed-from=, collate=, using=, using-down=)`},
		{"unmappable type", "// schemadiff:table\ntype T struct {\n\tA  int\n\tFoo pkg.Bar " + tag("foo") + "\n}\n",
			`17:2: field Foo of type pkg.Bar: add type=... to its tag`},
		{"unsigned", "// schemadiff:table\ntype T struct{ N uint64 " + tag("") + " }\n",
			`15:16: field N of type uint64: add type=... to its tag`},
		{"local struct", "type P struct{}\n\n// schemadiff:table\ntype T struct{ P P " + tag("p") + " }\n",
			`17:16: field P of type P: add type=... to its tag`},
		{"unknown directive", "// schemadiff:table\n// schemadiff:indexes x (a)\ntype T struct{}\n",
			`15:4: unknown directive schemadiff:indexes (the directives are schemadiff:table, schemadiff:index, schemadiff:unique, schemadiff:check, schemadiff:comment, schemadiff:renamed-from, schemadiff:enum)`},
		{"no table directive", "// schemadiff:comment x\ntype T struct{}\n",
			`14:4: schemadiff:comment needs a schemadiff:table directive on T`},
		{"group doc", "// schemadiff:table\ntype (\n\tT struct{}\n)\n",
			`14:4: schemadiff:table on a group of type declarations: put it in the doc comment of the type inside the group`},
		{"not a struct", "// schemadiff:table\ntype T int\n", `14:4: schemadiff:table on T, which is not a struct`},
		{"two tables", "// schemadiff:table a\n// schemadiff:table b\ntype T struct{}\n", `15:4: second schemadiff:table directive for T`},
		{"duplicate table", "// schemadiff:table t\ntype T struct{}\n\n// schemadiff:table\ntype T2 struct{}\n\n//schemadiff:table t\ntype T3 struct{}\n",
			`20:3: table public.t is declared twice (also at <path>:15)`},
		{"embedded other package", "// schemadiff:table\ntype T struct {\n\tgorm.Model\n}\n",
			"16:2: embedded field gorm.Model: the fields of a struct of another package cannot be read (declare its columns in this package, or tag it `schemadiff:\"-\"`): the Go packages at <path> do not type-check: ..."},
		{"embedding cycle", "// schemadiff:table\ntype T struct{ U }\n\ntype U struct{ *T }\n",
			`17:16: embedded field T: struct T embeds itself`},
		{"bad default", "// schemadiff:table\ntype T struct{ A int " + tag("a,default=1 +") + " }\n",
			`15:22: field A: syntax error at or near ")", in the column definition a bigint NOT NULL DEFAULT 1 +`},
		{"unbalanced", "// schemadiff:table\ntype T struct{ A int " + tag("a,check=(a > 0") + " }\n",
			`15:22: field A: unbalanced ( in "a,check=(a > 0"`},
		{"semicolon", "// schemadiff:table\ntype T struct{ A int " + tag("a,default=1; DROP TABLE x") + " }\n",
			`15:22: field A: semicolon in "a,default=1; DROP TABLE x": a value cannot end the statement`},
		{"comment in value", "// schemadiff:table\ntype T struct{ A int " + tag("a,default=1 -- x") + " }\n",
			`15:22: field A: SQL comment in "a,default=1 -- x"`},
		{"unterminated quote", "// schemadiff:table\ntype T struct{ A string " + tag("a,comment=it's") + " }\n",
			`15:25: field A: unterminated ' quote in "a,comment=it's"`},
		{"pk null", "// schemadiff:table\ntype T struct{ A int " + tag("a,pk,null") + " }\n",
			`15:22: field A: options pk and null contradict each other: key columns are never null`},
		{"null notnull", "// schemadiff:table\ntype T struct{ A int " + tag("a,null,notnull") + " }\n",
			`15:42: field A: options null and notnull contradict each other`},
		{"identity default", "// schemadiff:table\ntype T struct{ A int " + tag("a,identity,default=1") + " }\n",
			`15:22: field A: options identity and default contradict each other: an identity column's default is its sequence`},
		{"on-delete alone", "// schemadiff:table\ntype T struct{ A int " + tag("a,on-delete=cascade") + " }\n",
			`15:22: field A: on-delete= and on-update= need references=`},
		{"bad action", "// schemadiff:table\ntype T struct{ A int " + tag("a,references=u,on-delete=drop") + " }\n",
			`15:50: field A: on-delete=drop: the value is cascade, restrict, set-null, set-default or no-action`},
		{"twice", "// schemadiff:table\ntype T struct{ A int " + tag("a,unique,unique") + " }\n",
			`15:44: field A: option unique is given twice`},
		{"value for pk", "// schemadiff:table\ntype T struct{ A int " + tag("pk_a,pk=yes") + " }\n",
			`15:40: field A: option pk takes no value`},
		{"missing value", "// schemadiff:table\ntype T struct{ A int " + tag("a,type=") + " }\n",
			`15:37: field A: option type needs a value (type=...)`},
		{"duplicate column", "// schemadiff:table\ntype T struct {\n\tA int " + tag("x") + "\n\tB int " + tag("x") + "\n}\n",
			`17:8: field B: column x is declared twice (also by field A at line 16)`},
		{"shared tag", "// schemadiff:table\ntype T struct{ A, B int " + tag("x") + " }\n",
			`15:25: field A: the tag names column x, but it is shared by several fields: declare them one per line`},
		{"index unknown column", "// schemadiff:table\n// schemadiff:index i (a, b)\ntype T struct{ A int " + tag("a") + " }\n",
			`15:4: schemadiff:index: table public.t has no column b (its columns: a)`},
		{"index trailing", "// schemadiff:table\n// schemadiff:index i (a) concurrently\ntype T struct{ A int " + tag("a") + " }\n",
			`15:4: schemadiff:index: unexpected "concurrently": after the columns come unique, using method and where predicate`},
		{"bad check directive", "// schemadiff:table\n// schemadiff:check only_a_name\ntype T struct{}\n",
			`15:4: schemadiff:check: missing the expression: write schemadiff:check name expression`},
		{"table renamed from itself", "// schemadiff:table t\n// schemadiff:renamed-from t\ntype T struct{}\n",
			`15:4: table public.t is renamed from its own name`},
		{"column renamed from itself", "// schemadiff:table\ntype T struct{ A int " + tag("a,renamed-from=a") + " }\n",
			`15:22: field A: column a is renamed from its own name`},
		{"go syntax", "// schemadiff:table\ntype T struct{ A int ", `15:22: expected '}', found 'EOF'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, p, err := readGo(t, tt.decls)
			var se *sqlfile.SourceError
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want a *SourceError", err)
			}
			want := p + ":" + strings.ReplaceAll(tt.want, "<path>", p)
			if prefix, ok := strings.CutSuffix(want, "..."); ok && strings.HasPrefix(err.Error(), prefix) {
				return
			}
			if err.Error() != want {
				t.Errorf("error:\n got %s\nwant %s", err, want)
			}
		})
	}
}

func TestReadGoStructsPositions(t *testing.T) {
	decls := "// schemadiff:table\n" + // 14
		"// schemadiff:index t_ab_idx (a, b)\n" + // 15
		"// schemadiff:comment Téxt\n" + // 16
		"type T struct {\n" + // 17
		"\tA int `schemadiff:\"a,index,comment=x\"`\n" + // 18
		"\tB int `schemadiff:\"b,renamed-from=old_b\"`\n" + // 19
		"}\n"
	stmts, renames, p, err := readGo(t, "// schemadiff:table new_t\n// schemadiff:renamed-from old_t\ntype NewT struct{}\n\n"+decls)
	if err != nil {
		t.Fatal(err)
	}
	type pos struct {
		kind   sqlfile.StatementKind
		object string
		line   int
		col    int
	}
	var got []pos
	for _, s := range stmts {
		if s.File != p {
			t.Errorf("File = %s, want %s", s.File, p)
		}
		got = append(got, pos{s.Kind, s.Object, s.Line, s.Col})
	}
	want := []pos{
		{sqlfile.StmtCreate, "table public.new_t", 16, 6},
		{sqlfile.StmtCreate, "table public.t", 21, 6},
		{sqlfile.StmtCreate, "index t_a_idx", 22, 8},
		{sqlfile.StmtCreate, "index t_ab_idx", 19, 4},
		{sqlfile.StmtComment, "table public.t", 20, 4},
		{sqlfile.StmtComment, "column public.t.a", 22, 8},
	}
	if !slices.Equal(got, want) {
		t.Errorf("statements:\n got %v\nwant %v", got, want)
	}
	wantRenames := []schema.Rename{
		{Kind: schema.KindTable, Schema: "public", Name: "new_t", From: "old_t", File: p, Line: 15},
		{Kind: schema.KindColumn, Schema: "public", Table: "t", Name: "b", From: "old_b", File: p, Line: 23},
	}
	if !slices.Equal(renames, wantRenames) {
		t.Errorf("renames:\n got %+v\nwant %+v", renames, wantRenames)
	}
}

func TestReadGoStructsDirectory(t *testing.T) {
	model := func(table string) string {
		return "package m\n\n// schemadiff:table " + table + "\ntype T struct{ ID int64 `schemadiff:\"id\"` }\n"
	}
	dir := writeFiles(t, map[string]string{
		"b.go":                 model("b"),
		"a.go":                 model("a"),
		"a_test.go":            model("in_test_file"),
		"sub/c.go":             model("c"),
		"sub/deeper/d.go":      model("d"),
		"testdata/x.go":        model("in_testdata"),
		"vendor/v/x.go":        model("in_vendor"),
		".hidden/x.go":         model("in_hidden"),
		"notes.txt":            "schemadiff:table nope",
		"plain.go":             "package m\n\nfunc f() {}\n",
		"sub/deeper/schema.go": "package deeper\n\n// schemadiff: prose only\ntype X struct{}\n",
	})
	stmts, _, err := gostruct.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range stmts {
		rel, _ := filepath.Rel(dir, s.File)
		got = append(got, filepath.ToSlash(rel)+" "+s.Object)
	}
	want := []string{"a.go table public.a", "b.go table public.b", "sub/c.go table public.c", "sub/deeper/d.go table public.d"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	// A file given by name is read even when it is a test file.
	if stmts, _, err := gostruct.Read(filepath.Join(dir, "a_test.go")); err != nil || len(stmts) != 1 {
		t.Errorf("reading a_test.go: %d statements, %v", len(stmts), err)
	}
	if _, _, err := gostruct.Read(filepath.Join(dir, "missing.go")); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestReadGoStructsFixture(t *testing.T) {
	dir := filepath.Join(goFixtures, "app")
	first, renames, err := gostruct.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, s := range first {
		b.WriteString("-- " + filepath.ToSlash(s.File) + ":" + itoa(s.Line) + ":" + itoa(s.Col) + " " + s.Kind.String() + " " + s.Object + "\n")
		b.WriteString(strings.Join(append([]string{"-- provides:"}, s.Provides...), " ") + "\n")
		b.WriteString(strings.Join(append([]string{"-- references:"}, s.References...), " ") + "\n")
		b.WriteString(s.SQL + ";\n\n")
	}
	golden := filepath.Join(goFixtures, "app.golden.sql")
	if os.Getenv("SCHEMADIFF_UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("statements differ from %s (SCHEMADIFF_UPDATE_GOLDEN=1 rewrites it):\n%s", golden, b.String())
	}
	wantRenames := []schema.Rename{{Kind: schema.KindColumn, Schema: "public", Table: "users", Name: "display_name", From: "name",
		File: filepath.Join(dir, "models.go"), Line: 32}}
	if !slices.EqualFunc(renames, wantRenames, func(a, b schema.Rename) bool { return a == b }) {
		t.Errorf("renames:\n got %+v\nwant %+v", renames, wantRenames)
	}
	// Deterministic: reading again gives the same statements.
	for range 3 {
		again, _, err := gostruct.Read(dir)
		if err != nil {
			t.Fatal(err)
		}
		if sqlText(again) != sqlText(first) {
			t.Fatal("a second read gave different statements")
		}
	}
}

// FuzzGoStructTag feeds arbitrary tags to the Go struct reader: it must
// never panic, and its errors must be *SourceErrors inside the file.
func FuzzGoStructTag(f *testing.F) {
	for _, seed := range []string{
		"id,pk,identity", "email,unique,type=varchar(320)", "s,default='a,b',check=s <> ''",
		"x,references=\"a.b\".c(\"d\"),on-delete=set-null", "(,)", "a,comment='it''s'", "\"", "a,index=\"\"",
	} {
		f.Add(seed)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, tag string) {
		src := "package m\n\n// schemadiff:table\ntype T struct {\n\tA string `schemadiff:" + strconv.Quote(tag) + "`\n}\n"
		p := filepath.Join(dir, "m.go")
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		stmts, _, err := gostruct.Read(p)
		if err != nil {
			var se *sqlfile.SourceError
			if !errors.As(err, &se) || se.File != p || se.Line < 1 || se.Line > strings.Count(src, "\n") {
				t.Fatalf("error %v is not a *SourceError inside the file", err)
			}
			return
		}
		if len(stmts) == 0 || stmts[0].Kind != sqlfile.StmtCreate {
			t.Fatalf("no CREATE TABLE for tag %q", tag)
		}
	})
}

// TestReadGoStructsTableMove checks that a table's renamed-from directive
// may name the schema the table moved from.
func TestReadGoStructsTableMove(t *testing.T) {
	_, renames, p, err := readGo(t, "// schemadiff:table finance.clients\n// schemadiff:renamed-from legacy.customers\ntype C struct{}\n\n"+
		"// schemadiff:table finance.orders\n// schemadiff:renamed-from finance.old_orders\ntype O struct{}\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []schema.Rename{
		{Kind: schema.KindTable, Schema: "finance", Name: "clients", From: "customers", FromSchema: "legacy", File: p, Line: 15},
		{Kind: schema.KindTable, Schema: "finance", Name: "orders", From: "old_orders", File: p, Line: 19},
	}
	if !slices.Equal(renames, want) {
		t.Errorf("renames = %+v, want %+v", renames, want)
	}
}

// TestReadGoStructsConversionHints: the using= and using-down= options
// are the column's conversion hints; a value that is not an expression is
// an error.
func TestReadGoStructsConversionHints(t *testing.T) {
	stmts, _, p, err := readGo(t, "// schemadiff:table events\ntype Event struct {\n"+
		"\tCreatedAt int64 `schemadiff:\"created_at,type=timestamp,using=to_timestamp(created_at) AT TIME ZONE 'UTC',using-down=extract(epoch FROM created_at)::bigint\"`\n"+
		"}\n")
	if err != nil {
		t.Fatal(err)
	}
	hints, err := sqlfile.ConversionHints(stmts)
	if err != nil {
		t.Fatal(err)
	}
	id := schema.ID{Kind: schema.KindColumn, Schema: "public", Table: "events", Name: "created_at"}
	got, ok := hints[id]
	if !ok || got.Using != "to_timestamp(created_at) AT TIME ZONE 'UTC'" || got.UsingDown != "extract(epoch FROM created_at)::bigint" || got.File != p {
		t.Errorf("hints = %+v, want a hint of %v from %s", hints, id, p)
	}
	if _, _, _, err := readGo(t, "// schemadiff:table events\ntype Event struct {\n\tN int64 `schemadiff:\"n,using=(n\"`\n}\n"); err == nil ||
		!strings.Contains(err.Error(), "using=(n") {
		t.Errorf("an unbalanced using= was accepted: %v", err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
