package migrate_test

import (
	"context"

	"github.com/schemadiff/schemadiff/migrate"
)

// Migrations mirrors the hand-owned file of a generated migrations package.
var Migrations = migrate.NewSet()

// This mirrors a generated migration file, so the test build fails if the
// generated code stops compiling against the package.
func init() {
	Migrations.Add(migrate.Migration{
		Version: "20261122093000",
		Name:    "add_orders",
		Parent:  "20261121080000",
		Up: []migrate.Step{
			migrate.SQL(`CREATE TABLE public.orders (id bigint NOT NULL)`),
			// HAZARD deletes-data: drops column users.nickname and its data
			migrate.SQL(`ALTER TABLE public.users DROP COLUMN nickname`),
			migrate.SQLNoTx(`CREATE INDEX CONCURRENTLY orders_id ON public.orders (id)`),
			migrate.Func(func(ctx context.Context, db migrate.DB) error {
				_, err := db.Exec(ctx, `UPDATE public.orders SET id = id`)
				return err
			}),
		},
		Down: []migrate.Step{
			migrate.SQL(`ALTER TABLE public.users ADD COLUMN nickname text`),
			migrate.SQL(`DROP TABLE public.orders`),
		},
	})
}

func ExampleMain() {
	// A migrations program's main function is just:
	//
	//	func main() { os.Exit(migrate.Main(migrations.Migrations, os.Args[1:])) }
	_ = migrate.Main
}
