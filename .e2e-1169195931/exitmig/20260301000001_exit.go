package exitmig

import (
	"context"; "os"
	"github.com/schemadiff/schemadiff/migrate"
)

func init() {
	Migrations.Add(migrate.Migration{
		Version: "20260301000001", Name: "exit", Parent: "",
		Up: []migrate.Step{migrate.Func(func(context.Context, migrate.DB) error { os.Exit(7); return nil })},
		Down: []migrate.Step{},
	})
}
