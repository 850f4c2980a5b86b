package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

// jsonSchemaDir holds the documented schemas of the --format json outputs.
const jsonSchemaDir = "../../docs/json"

// TestJSONOutputSchemas: the --format json output of plan, check, lint,
// status and history validates against its schema in docs/json, which
// allows no field it does not document; each schema's properties all
// occur in some output, so the documents stay in step with the code.
func TestJSONOutputSchemas(t *testing.T) {
	db := pgtest.NewDB(t)
	pgtest.Exec(t, db, "CREATE TABLE t (id int, gone text)")
	schemaFile := writeFile(t, t.TempDir(), "schema.sql",
		"CREATE TABLE t (id int);\nCREATE TABLE u (id bigint PRIMARY KEY);\nCREATE INDEX ON t (id);\n")
	_, work := moduleWorkDir(t)
	migDir := filepath.Join(work, "migrations")
	writeFile(t, migDir, "migrations.go", "package migrations\n\nimport \"github.com/schemadiff/schemadiff/migrate\"\n\nvar Migrations = migrate.NewSet()\n")
	writeFile(t, migDir, "20260101000001_a.go", migrationSource("migrations", "20260101000001", "a", "", "",
		"migrate.SQL(`CREATE TABLE a (id int)`)", "migrate.SQL(`DROP TABLE a`)"))
	writeFile(t, migDir, "20260101000002_b.go", migrationSource("migrations", "20260101000002", "b", "20260101000001", "",
		"migrate.SQL(`CREATE TABLE b (id int)`), migrate.SQL(`SELECT no_such_column FROM b`)", "migrate.SQL(`DROP TABLE b`)"))
	if r := runCLI(t, "apply", "--db", db, "--dir", migDir); r.code != exitDrift {
		t.Fatalf("apply with a failing second migration: exit %d, want 1\n%s", r.code, r.stderr)
	}

	seen := map[string]map[string]bool{} // schema file -> property paths met
	for _, tc := range []struct {
		schema string
		args   []string
		code   int
	}{
		{"plan", []string{"plan", "--db", db, "--schema", schemaFile, "--format", "json"}, exitOK},
		{"plan", []string{"check", "--db", db, "--schema", schemaFile, "--format", "json"}, exitDrift},
		{"lint", []string{"lint", "--dir", lintTestdata, "--format", "json"}, exitDrift},
		{"status", []string{"status", "--db", db, "--dir", migDir, "--format", "json"}, exitDrift},
		{"history", []string{"history", "--db", db, "--dir", migDir, "--format", "json"}, exitOK},
	} {
		r := runCLI(t, tc.args...)
		if r.code != tc.code {
			t.Errorf("%s: exit %d, want %d\n%s", strings.Join(tc.args[:1], " "), r.code, tc.code, r.stderr)
			continue
		}
		root := loadJSONSchema(t, tc.schema)
		var doc any
		if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
			t.Errorf("%s: output is not JSON: %v\n%s", tc.args[0], err, r.stdout)
			continue
		}
		if seen[tc.schema] == nil {
			seen[tc.schema] = map[string]bool{}
		}
		v := &schemaValidator{root: root, seen: seen[tc.schema]}
		for _, e := range v.validate(root, doc, "$") {
			t.Errorf("%s --format json does not follow docs/json/%s.schema.json: %s", tc.args[0], tc.schema, e)
		}
	}
	for name, met := range seen {
		for _, p := range schemaProperties(loadJSONSchema(t, name), loadJSONSchema(t, name), "$") {
			if !met[p] {
				t.Errorf("docs/json/%s.schema.json documents %s, which no output of this test holds", name, p)
			}
		}
	}
}

func loadJSONSchema(t *testing.T, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(jsonSchemaDir, name+".schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("%s.schema.json: %v", name, err)
	}
	return s
}

// schemaValidator checks a document against the part of JSON Schema the
// documented schemas use: $ref to $defs, type, enum, properties, required,
// additionalProperties false and items. seen collects the property paths
// met.
type schemaValidator struct {
	root map[string]any
	seen map[string]bool
}

func (v *schemaValidator) resolve(s map[string]any) map[string]any {
	if ref, ok := s["$ref"].(string); ok {
		return v.root["$defs"].(map[string]any)[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
	}
	return s
}

func (v *schemaValidator) validate(s map[string]any, doc any, path string) []string {
	s = v.resolve(s)
	var errs []string
	if types, ok := s["type"]; ok && !slices.Contains(typeList(types), jsonType(doc)) {
		return []string{fmt.Sprintf("%s: %s, want %v", path, jsonType(doc), types)}
	}
	if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, doc) {
		errs = append(errs, fmt.Sprintf("%s: %v is not one of %v", path, doc, enum))
	}
	switch d := doc.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		for _, r := range s["required"].([]any) {
			if _, ok := d[r.(string)]; !ok {
				errs = append(errs, fmt.Sprintf("%s: no %q", path, r))
			}
		}
		for k, val := range d {
			ps, ok := props[k].(map[string]any)
			if !ok {
				errs = append(errs, fmt.Sprintf("%s: %q is not documented", path, k))
				continue
			}
			v.seen[path+"."+k] = true
			errs = append(errs, v.validate(ps, val, path+"."+k)...)
		}
	case []any:
		if items, ok := s["items"].(map[string]any); ok {
			for _, e := range d {
				errs = append(errs, v.validate(items, e, path+"[]")...)
			}
		}
	}
	return errs
}

// schemaProperties lists the property paths a schema documents, in the
// form validate records them.
func schemaProperties(root, s map[string]any, path string) []string {
	if ref, ok := s["$ref"].(string); ok {
		s = root["$defs"].(map[string]any)[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
	}
	var out []string
	if props, ok := s["properties"].(map[string]any); ok {
		for k, p := range props {
			out = append(out, path+"."+k)
			out = append(out, schemaProperties(root, p.(map[string]any), path+"."+k)...)
		}
	}
	if items, ok := s["items"].(map[string]any); ok {
		out = append(out, schemaProperties(root, items, path+"[]")...)
	}
	return out
}

func typeList(t any) []string {
	if s, ok := t.(string); ok {
		return []string{s}
	}
	var out []string
	for _, e := range t.([]any) {
		out = append(out, e.(string))
	}
	return out
}

// jsonType is the JSON Schema type of a decoded value; whole numbers are
// "integer".
func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		if x == float64(int64(x)) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	default:
		return "object"
	}
}

// TestSchemaValidatorRefuses: the validator reports an undocumented
// field, a missing required one, a wrong type and a value outside an enum.
func TestSchemaValidatorRefuses(t *testing.T) {
	root := loadJSONSchema(t, "lint")
	var doc any
	if err := json.Unmarshal([]byte(`{"files": 1, "errors": "1", "warnings": 0, "extra": true,
		"findings": [{"file": "f", "line": 1, "column": 1, "migration": "1", "rule": "r", "severity": "fatal"}]}`), &doc); err != nil {
		t.Fatal(err)
	}
	v := &schemaValidator{root: root, seen: map[string]bool{}}
	got := strings.Join(v.validate(root, doc, "$"), "\n")
	for _, want := range []string{`"extra" is not documented`, `no "notes"`, "$.errors: string, want integer", "fatal is not one of", `$.findings[]: no "message"`} {
		if !strings.Contains(got, want) {
			t.Errorf("validation errors lack %q:\n%s", want, got)
		}
	}
}
