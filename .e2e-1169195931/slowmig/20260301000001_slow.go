package slowmig

import (
	
	"github.com/schemadiff/schemadiff/migrate"
)

func init() {
	Migrations.Add(migrate.Migration{
		Version: "20260301000001", Name: "slow", Parent: "",
		Up: []migrate.Step{migrate.SQL(`CREATE TABLE slow_first (id int)`), migrate.SQL(`SELECT pg_sleep(4)`), migrate.SQL(`CREATE TABLE slow_last (id int)`)},
		Down: []migrate.Step{migrate.SQL(`DROP TABLE slow_first, slow_last`)},
	})
}
