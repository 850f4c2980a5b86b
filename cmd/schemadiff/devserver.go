package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/schema"
)

func newDevServerCommand(o *options) *cobra.Command {
	var dbName string
	cmd := &cobra.Command{
		Use:   "dev-server",
		Short: "Run a throwaway PostgreSQL for local work until interrupted",
		Long: `dev-server starts a private PostgreSQL from the binaries installed on this
machine (the same embedded server schemadiff uses for scratch databases),
prints a database URL on stdout, and runs until interrupted (Ctrl-C). Its
data lives in a temporary directory that is removed on exit.`,
		Example: `  schemadiff dev-server > /tmp/url &
  schemadiff apply --db "$(cat /tmp/url)" --dir migrations/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			srv, err := pgserver.Start(ctx, pgserver.Options{Logf: o.logf})
			if err != nil {
				return withCode(exitError, err)
			}
			defer srv.Stop() //nolint:errcheck // best effort on exit
			url := srv.URL("postgres")
			if dbName != "postgres" {
				conn, err := connectURL(ctx, url)
				if err != nil {
					return withCode(exitError, err)
				}
				_, err = conn.Exec(ctx, "CREATE DATABASE "+schema.Ident(dbName))
				conn.Close(ctx)
				if err != nil {
					return withCode(exitError, fmt.Errorf("creating database %s: %w", dbName, err))
				}
				url = srv.URL(dbName)
			}
			fmt.Fprintln(o.stdout, url)
			fmt.Fprintln(o.stderr, "PostgreSQL is running; press Ctrl-C to stop it and remove its data")
			<-ctx.Done()
			return nil
		},
	}
	cmd.Flags().StringVar(&dbName, "database", "app", "name of the database to create")
	return cmd
}
