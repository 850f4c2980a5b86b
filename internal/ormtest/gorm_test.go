package ormtest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/schemadiff/schemadiff/internal/ormtest/gormmodels"
	"github.com/schemadiff/schemadiff/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// gormModels are the models of package gormmodels, as AutoMigrate takes them.
var gormModels = []any{&gormmodels.Company{}, &gormmodels.User{}, &gormmodels.Order{}, &gormmodels.Tag{}, &gormmodels.Setting{},
	&gormmodels.Team{}, &gormmodels.Member{}, &gormmodels.Ledger{}}

// autoMigrate creates the models' tables with GORM in the database at url.
func autoMigrate(t *testing.T, url string) {
	t.Helper()
	db, err := gorm.Open(postgres.Open(url), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatalf("opening the database with GORM: %v", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	if err := db.AutoMigrate(gormModels...); err != nil {
		t.Fatalf("AutoMigrate: %v", err)
	}
}

// schemadiffBin builds the schemadiff command once per test binary.
func schemadiffBin(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ormtest-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "schemadiff")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/schemadiff")
		cmd.Dir = filepath.Join("..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = &buildError{out: string(out), err: err}
		}
	})
	if binErr != nil {
		t.Fatalf("building schemadiff: %v", binErr)
	}
	return binPath
}

// run runs the schemadiff command and returns its stdout and stderr.
func run(t *testing.T, args ...string) (string, string) {
	t.Helper()
	cmd := exec.Command(schemadiffBin(t), args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("schemadiff %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String(), stderr.String()
}

// TestGORMPlanEmptyOnAutoMigrate: on the database GORM's AutoMigrate
// created from the models, planning to the same models changes nothing.
func TestGORMPlanEmptyOnAutoMigrate(t *testing.T) {
	url := pgtest.NewDB(t)
	autoMigrate(t, url)
	out, stderr := run(t, "plan", "--schema", "gormmodels", "--db", url)
	if strings.TrimSpace(out) != "" {
		t.Errorf("plan on the database AutoMigrate created is not empty:\n%s\nstderr:\n%s", out, stderr)
	}
	var warnings []string
	for _, line := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(line, "warning:") {
			warnings = append(warnings, line)
		}
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "models.go:") || !strings.Contains(warnings[0], "struct UserView carries no schemadiff, gorm or bun tag") {
		t.Errorf("want one warning naming struct UserView, got:\n%s", stderr)
	}
}

// TestGORMPlanReproducesAutoMigrate: planning an empty database to the
// models and applying the plan gives the database AutoMigrate creates,
// compared as pg_dump --schema-only prints them.
func TestGORMPlanReproducesAutoMigrate(t *testing.T) {
	gormURL := pgtest.NewDB(t)
	autoMigrate(t, gormURL)
	planned := pgtest.NewDB(t)
	out, _ := run(t, "plan", "--schema", "gormmodels", "--db", planned)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, planned)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, out, pgx.QueryExecModeSimpleProtocol); err != nil {
		t.Fatalf("applying the plan: %v\n%s", err, out)
	}
	want, got := dump(t, gormURL), dump(t, planned)
	for _, name := range []string{"CREATE TABLE public.users", "CREATE TABLE public.ledgers", "CREATE TABLE public.crew",
		"fk_users_orders", "idx_book_page", "idx_users_deleted_at", "uni_users_email", "chk_users_age"} {
		if !strings.Contains(want, name) {
			t.Fatalf("GORM's database lacks %s:\n%s", name, want)
		}
	}
	if want != got {
		t.Errorf("pg_dump differs.\nGORM's AutoMigrate:\n%s\nschemadiff's plan:\n%s", want, got)
	}
}

var dumpNoise = regexp.MustCompile(`(?m)^(--.*|SET .*|SELECT pg_catalog\.set_config.*|\\(un)?restrict .*)\n`)

// dump returns pg_dump --schema-only of the database at url, without
// comments, settings and ownership.
func dump(t *testing.T, url string) string {
	t.Helper()
	cmd := exec.Command(pgDump(t), "--schema-only", "--no-owner", "--no-privileges", "--dbname", url)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	s := dumpNoise.ReplaceAllString(string(out), "")
	return strings.TrimSpace(regexp.MustCompile(`\n{3,}`).ReplaceAllString(s, "\n\n"))
}
