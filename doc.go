// Package schemadiff plans PostgreSQL schema migrations in-process: it reads
// a desired schema (SQL files, or Go structs with schemadiff tags), loads it
// into a scratch database to let PostgreSQL normalize it, introspects the
// target database, and returns the typed changes, with their SQL
// statements and hazards, that bring the target to the desired state. It
// is what the schemadiff command's plan, check and inspect do.
//
// The scratch database is, unless Options.DevURL names a server, a private
// PostgreSQL started from the binaries installed on the machine and removed
// when the call returns. Schema files are loaded into it by a role without
// superuser rights.
//
//	res, err := schemadiff.Plan(ctx, schemadiff.Options{
//		Target: "postgres://localhost/app",
//		Schema: []string{"schema/"},
//	})
//	if err != nil {
//		return err
//	}
//	for _, s := range res.Statements() {
//		fmt.Println(s.SQL + ";")
//	}
package schemadiff
