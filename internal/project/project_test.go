package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    *File
		wantErr string // a part of the error, "" for none
	}{
		{
			name: "every key",
			src: `schema = ["schema/", "models/"]
migrations = "migrations"
history_table = "ops.history"
lock_timeout = "30s"
ddl_lock_timeout = "2s"
statement_timeout = "5m"

[targets.dev]
url = "postgres://localhost/dev"

[targets.prod]
url_env = "PROD_DATABASE_URL"

[targets.tenants]
urls = ["postgres://h/t1", "postgres://h/t2"]
`,
			want: &File{Path: "p.toml", Schema: []string{"schema/", "models/"}, Migrations: "migrations", HistoryTable: "ops.history",
				LockTimeout: Duration{30 * time.Second, true}, DDLLockTimeout: Duration{2 * time.Second, true},
				StatementTimeout: Duration{5 * time.Minute, true},
				Targets: map[string]Target{
					"dev":     {URL: "postgres://localhost/dev"},
					"prod":    {URLEnv: "PROD_DATABASE_URL"},
					"tenants": {URLs: []string{"postgres://h/t1", "postgres://h/t2"}},
				}},
		},
		{name: "empty", src: "", want: &File{Path: "p.toml"}},
		{name: "unknown key", src: "schema = [\"s\"]\nmigration = \"m\"\n", wantErr: `p.toml:2:1: unknown key "migration"`},
		{name: "unknown target key", src: "[targets.dev]\nurl = \"x\"\nuri = \"y\"\n", wantErr: `p.toml:3:1: unknown key "targets.dev.uri"`},
		{name: "wrong type", src: "schema = \"s\"\n", wantErr: "p.toml:1:"},
		{name: "bad duration", src: "\nlock_timeout = \"soon\"\n", wantErr: "p.toml:2:"},
		{name: "negative duration", src: "statement_timeout = \"-1s\"\n", wantErr: "not negative"},
		{name: "target without database", src: "[targets.dev]\n\n[targets.prod]\nurls = []\n", wantErr: `p.toml:1: target "dev" names no database`},
		{name: "url and url_env", src: "\n[targets.dev]\nurl = \"x\"\nurl_env = \"Y\"\n", wantErr: `p.toml:2: target "dev" gives both url and url_env`},
		{name: "syntax error", src: "schema = [\n", wantErr: "p.toml:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse("p.toml", []byte(tc.src))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("parsed file (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDatabases(t *testing.T) {
	f := &File{Path: "schemadiff.toml", Targets: map[string]Target{
		"dev":     {URL: "postgres://localhost/dev"},
		"prod":    {URLEnv: "PROD_URL"},
		"both":    {URLEnv: "PROD_URL", URLs: []string{"postgres://h/extra"}},
		"tenants": {URLs: []string{"postgres://h/t1", "postgres://h/t2"}},
		"regions": {URLs: []string{"postgres://eu/app", "postgres://us/app"}},
	}}
	env := map[string]string{"PROD_URL": "postgres://prod/app"}
	getenv := func(k string) string { return env[k] }
	tests := []struct {
		target  string
		want    []Database
		wantErr string
	}{
		{target: "dev", want: []Database{{"dev", "postgres://localhost/dev"}}},
		{target: "prod", want: []Database{{"prod", "postgres://prod/app"}}},
		{target: "both", want: []Database{{"both/app", "postgres://prod/app"}, {"both/extra", "postgres://h/extra"}}},
		{target: "tenants", want: []Database{{"tenants/t1", "postgres://h/t1"}, {"tenants/t2", "postgres://h/t2"}}},
		{target: "regions", want: []Database{{"regions[1]", "postgres://eu/app"}, {"regions[2]", "postgres://us/app"}}},
		{target: "staging", wantErr: `unknown target "staging": schemadiff.toml defines both, dev, prod, regions, tenants`},
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			got, err := f.Databases(tc.target, getenv)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("databases (-want +got):\n%s", diff)
			}
		})
	}
	delete(env, "PROD_URL")
	_, err := f.Databases("prod", getenv)
	if err == nil || !strings.Contains(err.Error(), `target "prod"`) || !strings.Contains(err.Error(), "PROD_URL") {
		t.Errorf("missing variable: error %v, want one naming the target and the variable", err)
	}
}

func TestFindAndLoad(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if p, err := Find(deep); err != nil || p != "" {
		t.Fatalf("Find without a file = %q, %v; want none", p, err)
	}
	path := filepath.Join(root, "a", FileName)
	if err := os.WriteFile(path, []byte("schema = [\"schema\", \"/abs/x.sql\"]\nmigrations = \"db/migrations\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Find(deep)
	if err != nil || p != path {
		t.Fatalf("Find = %q, %v; want %q", p, err, path)
	}
	f, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "a")
	if want := []string{filepath.Join(dir, "schema"), "/abs/x.sql"}; !cmp.Equal(f.Schema, want) {
		t.Errorf("schema %q, want %q (relative to the file)", f.Schema, want)
	}
	if want := filepath.Join(dir, "db", "migrations"); f.Migrations != want {
		t.Errorf("migrations %q, want %q", f.Migrations, want)
	}
}
