package pipeline

import "github.com/schemadiff/schemadiff/internal/pgparse"

// unloadablePublication returns why the loading role cannot run a
// publication statement of the schema files, or "": FOR ALL TABLES and
// FOR TABLES IN SCHEMA need superuser rights, which the loading role never
// has, and schemadiff does not run them for it as the administrator.
func unloadablePublication(sql string) string {
	form := pgparse.PublicationSuperuserForm(sql)
	if form == "" {
		return ""
	}
	return form + " is not supported in schema files: it needs superuser rights, which the role loading them does not have; list the tables (FOR TABLE)"
}
