package gostruct_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/schema/gostruct"
)

// writeModule writes a Go module holding models.go and returns its
// directory.
func writeModule(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":    "module example.com/m\n\ngo 1.22\n",
		"models.go": "package models\n\nimport \"time\"\n\nvar _ time.Time\n\n" + src,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestGormTags is the golden test of the GORM reader: models (with gorm
// tags, without importing GORM) and the statements read from them, which
// are those GORM's AutoMigrate runs on PostgreSQL (the module
// internal/ormtest checks that against GORM itself).
func TestGormTags(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
		warning   string
	}{{
		name: "naming and types",
		src: `type OrderLine struct {
	ID       uint ` + "`gorm:\"primaryKey\"`" + `
	Qty      int32
	Small    int8
	Price    float64
	Ratio    float32
	Name     string
	Note     *string
	Paid     bool
	At       time.Time
	Raw      []byte
	Big      uint64
	Medium   uint16
}`,
		want: []string{`CREATE TABLE public.order_lines (
	id bigserial,
	qty integer,
	small smallint,
	price decimal,
	ratio decimal,
	name text,
	note text,
	paid boolean,
	at timestamptz,
	raw bytea,
	big bigint,
	medium integer,
	PRIMARY KEY (id)
)`},
	}, {
		name: "column options",
		src: `type Account struct {
	Code   string ` + "`gorm:\"primaryKey;size:20\"`" + `
	Email  string ` + "`gorm:\"column:mail;unique;not null\"`" + `
	Status string ` + "`gorm:\"default:active;check:status <> ''\"`" + `
	Score  float64 ` + "`gorm:\"precision:8;scale:3;default:1.50\"`" + `
	Note   string ` + "`gorm:\"type:varchar(40);comment:free text\"`" + `
	Skip   string ` + "`gorm:\"-\"`" + `
	NoMig  string ` + "`gorm:\"-:migration\"`" + `
	Seq    int64 ` + "`gorm:\"autoIncrement\"`" + `
}`,
		want: []string{`CREATE TABLE public.accounts (
	code varchar(20),
	mail text NOT NULL,
	status text DEFAULT 'active',
	score numeric(8, 3) DEFAULT 1.5,
	note varchar(40),
	seq bigserial,
	PRIMARY KEY (code),
	CONSTRAINT uni_accounts_mail UNIQUE (mail),
	CONSTRAINT chk_accounts_status CHECK (status <> '')
)`, `COMMENT ON COLUMN public.accounts.note IS 'free text'`},
	}, {
		name: "indexes",
		src: `type Event struct {
	ID     int64
	Kind   string ` + "`gorm:\"index:idx_kind_at,priority:2;uniqueIndex\"`" + `
	At     time.Time ` + "`gorm:\"index:idx_kind_at,priority:1,sort:desc\"`" + `
	Body   string ` + "`gorm:\"index:,type:hash,where:body <> ''\"`" + `
	Tenant int ` + "`gorm:\"index:,composite:scope\"`" + `
}`,
		want: []string{`CREATE TABLE public.events (
	id bigserial,
	kind text,
	at timestamptz,
	body text,
	tenant bigint,
	PRIMARY KEY (id)
)`,
			`CREATE INDEX idx_kind_at ON public.events (at desc,kind)`,
			`CREATE UNIQUE INDEX idx_events_kind ON public.events (kind)`,
			`CREATE INDEX idx_events_body ON public.events USING hash (body) WHERE body <> ''`,
			`CREATE INDEX idx_events_scope ON public.events (tenant)`},
	}, {
		name: "embedded, relations and TableName",
		src: `type Base struct {
	ID        uint ` + "`gorm:\"primaryKey\"`" + `
	DeletedAt *time.Time ` + "`gorm:\"index\"`" + `
}

type Team struct {
	Base
	Members []Member ` + "`gorm:\"constraint:OnDelete:CASCADE\"`" + `
}

type Geo struct {
	Lat float64
}

type Member struct {
	Base
	TeamID uint
	Home   Geo ` + "`gorm:\"embedded;embeddedPrefix:home_\"`" + `
	BossID *uint
	Boss   *Member
}

func (Member) TableName() string { return "crew" }`,
		want: []string{`CREATE TABLE public.teams (
	id bigserial,
	deleted_at timestamptz,
	PRIMARY KEY (id)
)`, `CREATE INDEX idx_teams_deleted_at ON public.teams (deleted_at)`, `CREATE TABLE public.crew (
	id bigserial,
	deleted_at timestamptz,
	team_id bigint,
	home_lat decimal,
	boss_id bigint,
	PRIMARY KEY (id),
	CONSTRAINT fk_teams_members FOREIGN KEY (team_id) REFERENCES public.teams (id) ON DELETE CASCADE,
	CONSTRAINT fk_crew_boss FOREIGN KEY (boss_id) REFERENCES public.crew (id)
)`, `CREATE INDEX idx_crew_deleted_at ON public.crew (deleted_at)`},
	}, {
		name: "unknown option",
		src: `type Item struct {
	ID   int
	Name string ` + "`gorm:\"size:10;fancy:yes\"`" + `
}`,
		want: []string{`CREATE TABLE public.items (
	id bigserial,
	name varchar(10),
	PRIMARY KEY (id)
)`},
		warning: "models.go:9: field Name: gorm tag option FANCY is not read by schemadiff",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := gostruct.Load(writeModule(t, tc.src))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range res.Statements {
				got = append(got, s.SQL)
			}
			if strings.Join(got, ";\n") != strings.Join(tc.want, ";\n") {
				t.Errorf("statements:\n%s\nwant:\n%s", strings.Join(got, ";\n"), strings.Join(tc.want, ";\n"))
			}
			warnings := strings.Join(res.Warnings, "\n")
			if tc.warning == "" && warnings != "" || !strings.Contains(warnings, tc.warning) {
				t.Errorf("warnings:\n%s\nwant %q", warnings, tc.warning)
			}
		})
	}
}

// TestGormFallback: a package that does not type-check is read as source,
// and a warning says so.
func TestGormFallback(t *testing.T) {
	dir := writeModule(t, "type User struct {\n\tID int `gorm:\"primaryKey\"`\n\tX undefinedType\n}\n")
	res, err := gostruct.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Statements) != 0 || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "do not type-check") {
		t.Errorf("statements %v, warnings %q", res.Statements, res.Warnings)
	}
}

// TestTypedEmbedding: with type information, a schemadiff table embeds a
// base struct of another package, through a type alias too; and a GORM
// model embeds an aliased base struct.
func TestTypedEmbedding(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.22\n",
		"base/base.go": "package base\n\nimport \"time\"\n\n// Base is every table's base.\ntype Base struct {\n" +
			"\tID        int64     `schemadiff:\"id,pk,identity\"`\n\tCreatedAt time.Time `schemadiff:\"created_at,default=now()\"`\n}\n\n" +
			"// GormBase is every GORM model's base.\ntype GormBase struct {\n\tID   uint `gorm:\"primaryKey\"`\n\tNote string `gorm:\"size:10\"`\n}\n",
		"models/models.go": "package models\n\nimport \"example.com/m/base\"\n\ntype Base = base.Base\n\n" +
			"// schemadiff:table\ntype Invoice struct {\n\tbase.Base\n\tTotal int64 `schemadiff:\"total\"`\n}\n\n" +
			"// schemadiff:table\ntype Payment struct {\n\tBase\n}\n\n" +
			"type GB = base.GormBase\n\ntype Widget struct {\n\tGB\n\tName string `gorm:\"not null\"`\n}\n",
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := gostruct.Load(filepath.Join(dir, "models"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range res.Statements {
		got = append(got, s.SQL)
	}
	want := []string{`CREATE TABLE public.invoice (
	id bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,
	created_at timestamp with time zone NOT NULL DEFAULT now(),
	total bigint NOT NULL,
	PRIMARY KEY (id)
)`, `CREATE TABLE public.payment (
	id bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,
	created_at timestamp with time zone NOT NULL DEFAULT now(),
	PRIMARY KEY (id)
)`, `CREATE TABLE public.widgets (
	id bigserial,
	note varchar(10),
	name text NOT NULL,
	PRIMARY KEY (id)
)`}
	if strings.Join(got, ";\n") != strings.Join(want, ";\n") {
		t.Errorf("statements:\n%s\nwant:\n%s", strings.Join(got, ";\n"), strings.Join(want, ";\n"))
	}
	if len(res.Warnings) != 0 {
		t.Errorf("warnings: %q", res.Warnings)
	}
}

// TestBunTags is the golden test of the bun reader: models with bun tags
// (without importing bun) and the statements read from them, which are
// those bun's CreateTable(...).WithForeignKeys() runs on PostgreSQL (the
// module internal/ormtest checks that against bun itself).
func TestBunTags(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
		warning   string
	}{{
		name: "types and options",
		src: `type OrderLine struct {
	ID     int64 ` + "`bun:\",pk,autoincrement\"`" + `
	Qty    int32 ` + "`bun:\"quantity,notnull,default:1\"`" + `
	Small  uint8
	Price  float64
	Ratio  float32
	Name   string ` + "`bun:\",unique\"`" + `
	At     time.Time ` + "`bun:\",nullzero\"`" + `
	Raw    []byte
	Tags   []string ` + "`bun:\",array\"`" + `
	Meta   map[string]string
	Code   string ` + "`bun:\"type:varchar(12),unique:line_code\"`" + `
	Other  int ` + "`bun:\",unique:line_code\"`" + `
	Skip   string ` + "`bun:\"-\"`" + `
}`,
		want: []string{`CREATE TABLE public.order_lines (
	id BIGSERIAL NOT NULL,
	quantity INTEGER NOT NULL DEFAULT 1,
	small SMALLINT,
	price DOUBLE PRECISION,
	ratio REAL,
	name VARCHAR,
	at TIMESTAMPTZ,
	raw bytea,
	tags VARCHAR[],
	meta JSONB,
	code varchar(12),
	other BIGINT,
	PRIMARY KEY (id),
	UNIQUE (name),
	CONSTRAINT line_code UNIQUE (code, other)
)`},
	}, {
		name: "base model, relations and embedding",
		src: `type Stamp struct {
	UpdatedAt time.Time ` + "`bun:\",nullzero\"`" + `
}

type Geo struct {
	Lat float64
}

type Author struct {
	ID    int64   ` + "`bun:\",pk,identity\"`" + `
	Books []*Book ` + "`bun:\"rel:has-many,join:id=author_id\"`" + `
}

type Book struct {
	ID       int64 ` + "`bun:\",pk\"`" + `
	AuthorID int64
	Author   *Author ` + "`bun:\"rel:belongs-to,on_delete:cascade\"`" + `
	Stamp
	Home     Geo ` + "`bun:\"embed:home_\"`" + `
	Fancy    int ` + "`bun:\",weird\"`" + `
}`,
		want: []string{`CREATE TABLE public.authors (
	id BIGINT NOT NULL GENERATED BY DEFAULT AS IDENTITY,
	PRIMARY KEY (id)
)`, `CREATE TABLE public.books (
	id BIGINT NOT NULL,
	author_id BIGINT,
	updated_at TIMESTAMPTZ,
	home_lat DOUBLE PRECISION,
	fancy BIGINT,
	PRIMARY KEY (id),
	FOREIGN KEY (author_id) REFERENCES public.authors (id) ON DELETE CASCADE
)`},
		warning: "field Fancy: bun tag option weird is not read by schemadiff",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := gostruct.Load(writeModule(t, tc.src))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range res.Statements {
				got = append(got, s.SQL)
			}
			if strings.Join(got, ";\n") != strings.Join(tc.want, ";\n") {
				t.Errorf("statements:\n%s\nwant:\n%s", strings.Join(got, ";\n"), strings.Join(tc.want, ";\n"))
			}
			warnings := strings.Join(res.Warnings, "\n")
			if tc.warning == "" && warnings != "" || !strings.Contains(warnings, tc.warning) {
				t.Errorf("warnings:\n%s\nwant %q", warnings, tc.warning)
			}
		})
	}
}

// TestTypedLoadRunsNothingOfTheModule: type-checking model packages never
// downloads and runs the toolchain a module names (the package is read as
// source, with a warning) nor hands its C code to a compiler (the cgo file
// takes no part).
func TestTypedLoadRunsNothingOfTheModule(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "compiler-ran")
	cc := filepath.Join(t.TempDir(), "cc")
	if err := os.WriteFile(cc, []byte("#!/bin/sh\ntouch "+marker+"\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOTOOLCHAIN", "auto")
	t.Setenv("CGO_ENABLED", "1")
	t.Setenv("CC", cc)
	model := "type User struct {\n\tID int `gorm:\"primaryKey\"`\n}\n"

	toolchain := writeModule(t, model)
	if err := os.WriteFile(filepath.Join(toolchain, "go.mod"), []byte("module example.com/m\n\ngo 1.99.0\n\ntoolchain go1.99.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := gostruct.Load(toolchain)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) == 0 || !strings.Contains(res.Warnings[0], "do not type-check") {
		t.Errorf("a module asking for another toolchain: want the source fallback warning, got %q", res.Warnings)
	}

	cgo := writeModule(t, model)
	cFile := "package models\n\n/*\nint f(void) { return 1; }\n*/\nimport \"C\"\n\nvar _ = C.f\n"
	if err := os.WriteFile(filepath.Join(cgo, "c.go"), []byte(cFile), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = gostruct.Load(cgo)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Statements) != 1 {
		t.Errorf("the model beside a cgo file: statements %v, warnings %q", res.Statements, res.Warnings)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the C compiler ran on the model package's C code")
	}
}
