// Command runner is a migrations program for the migrate package's process
// tests. RUNNER_SCENARIO picks its migrations:
//
//   - race: three migrations, the second slow (pg_sleep(1)); each increments
//     counter.n and logs its version in table ups
//   - kill: one transactional migration with a pg_sleep(5) step
//   - killnotx: the same without a transaction (SQLNoTx steps)
//   - pgbench: three migrations that each add a column to pgbench_accounts
//     (ACCESS EXCLUSIVE lock)
//   - cic: one online migration that builds index cic_t_v on table cic_t
//     with SQLCreateIndexConcurrently
package main

import (
	"fmt"
	"os"

	"github.com/schemadiff/schemadiff/migrate"
)

func main() {
	set := migrate.NewSet()
	switch scenario := os.Getenv("RUNNER_SCENARIO"); scenario {
	case "race":
		set.Add(migrate.Migration{Version: "20260201000001", Name: "create_counter",
			Up: []migrate.Step{
				migrate.SQL("CREATE TABLE counter (n int NOT NULL)"),
				migrate.SQL("INSERT INTO counter VALUES (1)"),
				migrate.SQL("CREATE TABLE ups (version text NOT NULL, pid int NOT NULL DEFAULT pg_backend_pid())"),
				migrate.SQL("INSERT INTO ups (version) VALUES ('20260201000001')"),
			},
			Down: []migrate.Step{migrate.SQL("DROP TABLE counter, ups")}})
		set.Add(migrate.Migration{Version: "20260201000002", Name: "slow", Parent: "20260201000001",
			Up: []migrate.Step{
				migrate.SQL("SELECT pg_sleep(1)"),
				migrate.SQL("UPDATE counter SET n = n + 1"),
				migrate.SQL("INSERT INTO ups (version) VALUES ('20260201000002')"),
			},
			Down: []migrate.Step{migrate.SQL("UPDATE counter SET n = n - 1")}})
		set.Add(migrate.Migration{Version: "20260201000003", Name: "last", Parent: "20260201000002",
			Up: []migrate.Step{
				migrate.SQL("UPDATE counter SET n = n + 1"),
				migrate.SQL("INSERT INTO ups (version) VALUES ('20260201000003')"),
			},
			Down: []migrate.Step{migrate.SQL("UPDATE counter SET n = n - 1")}})
	case "kill":
		set.Add(migrate.Migration{Version: "20260201000001", Name: "long",
			Up: []migrate.Step{
				migrate.SQL("CREATE TABLE kill_first (id int)"),
				migrate.SQL("SELECT pg_sleep(5)"),
				migrate.SQL("CREATE TABLE kill_last (id int)"),
			},
			Down: []migrate.Step{migrate.SQL("DROP TABLE kill_first, kill_last")}})
	case "killnotx":
		set.Add(migrate.Migration{Version: "20260201000001", Name: "long_notx",
			Up: []migrate.Step{
				migrate.SQLNoTx("CREATE TABLE kill_first (id int)"),
				migrate.SQLNoTx("SELECT pg_sleep(5)"),
				migrate.SQLNoTx("CREATE TABLE kill_last (id int)"),
			},
			Down: []migrate.Step{migrate.SQL("DROP TABLE kill_first, kill_last")}})
	case "pgbench":
		parent := ""
		for i, v := range []string{"20260201000001", "20260201000002", "20260201000003"} {
			col := fmt.Sprintf("note%d", i+1)
			set.Add(migrate.Migration{Version: v, Name: "add_" + col, Parent: parent,
				Up:   []migrate.Step{migrate.SQL("ALTER TABLE pgbench_accounts ADD COLUMN " + col + " text")},
				Down: []migrate.Step{migrate.SQL("ALTER TABLE pgbench_accounts DROP COLUMN " + col)}})
			parent = v
		}
	case "cic":
		set.Add(migrate.Migration{Version: "20260201000001", Name: "index_cic_t",
			Up: []migrate.Step{
				migrate.SQLCreateIndexConcurrently("public", "cic_t_v", "CREATE INDEX CONCURRENTLY cic_t_v ON public.cic_t (v)"),
			},
			Down: []migrate.Step{migrate.SQLNoTx("DROP INDEX CONCURRENTLY public.cic_t_v")}})
	default:
		fmt.Fprintf(os.Stderr, "runner: unknown RUNNER_SCENARIO %q\n", scenario)
		os.Exit(3)
	}
	os.Exit(migrate.Main(set, os.Args[1:]))
}
