package appname

import (
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestSet(t *testing.T) {
	t.Setenv("PGAPPNAME", "")
	for url, want := range map[string]string{
		"postgres://u@h/db":                         "schemadiff",
		"postgres://u@h/db?application_name=mine":   "mine",
		"postgres://u@h/db?application_name=":       "",
		"host=h user=u application_name=deploy-job": "deploy-job",
	} {
		cfg, err := pgconn.ParseConfig(url)
		if err != nil {
			t.Fatal(err)
		}
		Set(cfg, CLI)
		if got := cfg.RuntimeParams["application_name"]; got != want {
			t.Errorf("%s: application_name = %q, want %q", url, got, want)
		}
	}
	if got := Runner("apply"); got != "schemadiff-runner apply" {
		t.Errorf("Runner = %q", got)
	}
}

func TestPrintError(t *testing.T) {
	var b strings.Builder
	PrintError(&b, errors.New("connecting to the database: refused"))
	if got, want := b.String(), "schemadiff: connecting to the database: refused\n"; got != want {
		t.Errorf("PrintError wrote %q, want %q", got, want)
	}
}
