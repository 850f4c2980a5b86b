// Command app shows how a service applies its schemadiff migrations at
// start-up with the Go API: DATABASE_URL=postgres://... go run ./examples/shop/app
package main

import (
	"context"
	"log"
	"os"
	"os/signal"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/examples/shop/migrations"
	"github.com/schemadiff/schemadiff/migrate"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	conn, err := pgx.Connect(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatalf("connecting: %v", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	// Several instances may start at once: the migrator takes an advisory
	// lock, so each migration is applied exactly once.
	m := migrate.NewMigrator(conn, migrations.Migrations, migrate.Options{Logf: log.Printf})
	applied, err := m.Apply(ctx, "")
	if err != nil {
		log.Fatalf("applying migrations: %v", err)
	}
	log.Printf("schema ready (%d migration(s) applied now)", len(applied))
}
