package migrate

import (
	"fmt"

	"github.com/schemadiff/schemadiff/internal/termcolor"
	"slices"
	"strconv"
	"strings"
	"time"
)

// command is a parsed command line.
type command struct {
	name          string
	dbURL         string
	lockTimeout   time.Duration
	table         string
	to            string
	steps         int
	format        string
	stmtTimeout   time.Duration
	ddlTimeout    time.Duration
	ddlRetries    int
	version       string
	applied       bool
	pending       bool
	dryRun        bool
	failOnPending bool
	outOfOrder    bool
	from          string
	down          bool
	logFormat     string
	color         string
}

// The commands of Main, in the order its usage lists them.
const (
	cmdApply    = "apply"
	cmdRollback = "rollback"
	cmdStatus   = "status"
	cmdResolve  = "resolve"
	cmdSQL      = "sql"
	cmdHistory  = "history"
	cmdRedo     = "redo"
)

// dbCommands are the commands that work on a database.
var dbCommands = []string{cmdApply, cmdRollback, cmdStatus, cmdResolve, cmdHistory, cmdRedo}

// commandHelp describes each command in Main's usage.
var commandHelp = []struct{ name, help string }{
	{cmdApply, "apply pending migrations in version order, each in its own transaction"},
	{cmdRollback, "roll back the last --steps applied migrations (default 1), newest first"},
	{cmdStatus, "list migrations and whether they are applied, failed or dirty"},
	{cmdResolve, "after fixing the database by hand, record a (dirty) migration as applied or as pending and clear its failure"},
	{cmdHistory, "list the applied migrations with when, how long and by whom"},
	{cmdRedo, "roll back the last applied migration and apply it again (for development)"},
	{cmdSQL, "print the SQL of the migrations after --from up to --to (Down steps, newest first, with --down) with transaction boundaries and history bookkeeping; needs no database"},
}

// Commands returns the names of Main's commands.
func Commands() []string {
	names := make([]string, len(commandHelp))
	for i, c := range commandHelp {
		names[i] = c.name
	}
	return names
}

// Flag is a flag of Main's command line. A program that passes its own
// command line on to Main (schemadiff's apply, rollback, status and
// resolve) declares Flags(command) as its flags, so that both accept the
// same flags with the same types and defaults.
type Flag struct {
	// Name is the flag's name without dashes, e.g. "lock-timeout".
	Name string
	// Usage is its help text; a word in backquotes names its value, as in
	// package flag.
	Usage string
	// Commands are the commands that accept it; nil means every command.
	Commands []string
	// def is the default, as it would be written on the command line.
	def string
	// field is where Main keeps the flag's value.
	field func(*command) any
}

// flagTable is Main's command line: the one place a flag is declared.
// Flags that apply to the same commands stay together, in the order of
// the usage text.
var flagTable = []Flag{
	{Name: "db", Commands: dbCommands, Usage: "database `URL` (default $DATABASE_URL)",
		field: func(c *command) any { return &c.dbURL }},
	{Name: "lock-timeout", Commands: dbCommands, Usage: "how long to wait for another process's migration lock (e.g. 30s)", def: DefaultLockTimeout.String(),
		field: func(c *command) any { return &c.lockTimeout }},
	{Name: "log-format", Commands: dbCommands, def: "text",
		Usage: "what goes to stderr: text, or json (one JSON object per line, with a record for each statement and its duration_ms)",
		field: func(c *command) any { return &c.logFormat }},
	{Name: "table", Usage: "name of the history table, `TABLE` or SCHEMA.TABLE (default " + DefaultTable + ")",
		field: func(c *command) any { return &c.table }},

	{Name: "statement-timeout", Commands: []string{cmdApply, cmdRollback, cmdRedo},
		Usage: "statement_timeout for each migration's statements (e.g. 30s; default: the server's; a migration's own value wins)",
		field: func(c *command) any { return &c.stmtTimeout }},
	{Name: "ddl-lock-timeout", Commands: []string{cmdApply, cmdRollback, cmdRedo}, def: DefaultDDLLockTimeout.String(),
		Usage: "lock_timeout for each migration's statements, so DDL waiting on a busy table gives up instead of queueing everyone behind it (0 waits as long as it takes, without retries; a migration's own value wins)",
		field: func(c *command) any { return &c.ddlTimeout }},
	{Name: "ddl-lock-retries", Commands: []string{cmdApply, cmdRollback, cmdRedo}, def: strconv.Itoa(DefaultDDLLockRetries),
		Usage: "how often a statement that hit the lock timeout is tried again, with growing pauses, once what it did rolled back (0 fails at once)",
		field: func(c *command) any { return &c.ddlRetries }},
	{Name: "dry-run", Commands: []string{cmdApply, cmdRollback},
		Usage: "print what would run (versions, names, SQL of each step and its transaction mode) without changing the database",
		field: func(c *command) any { return &c.dryRun }},

	{Name: "to", Commands: []string{cmdApply, cmdSQL}, Usage: "stop at this `VERSION`, including it",
		field: func(c *command) any { return &c.to }},

	{Name: "allow-out-of-order", Commands: []string{cmdApply},
		Usage: "apply a pending migration even when a later one is applied already (a branch merged after that one was applied here); refused by default",
		field: func(c *command) any { return &c.outOfOrder }},

	{Name: "steps", Commands: []string{cmdRollback}, Usage: "how many migrations to revert", def: "1",
		field: func(c *command) any { return &c.steps }},

	{Name: "format", Commands: []string{cmdStatus, cmdSQL, cmdHistory}, Usage: "output format: text or json", def: "text",
		field: func(c *command) any { return &c.format }},

	{Name: "color", Commands: []string{cmdStatus, cmdHistory}, Usage: termcolor.FlagUsage, def: string(termcolor.Auto),
		field: func(c *command) any { return &c.color }},

	{Name: "fail-on-pending", Commands: []string{cmdStatus}, Usage: "exit 3 when migrations are pending (and nothing needs attention)",
		field: func(c *command) any { return &c.failOnPending }},

	{Name: "version", Commands: []string{cmdResolve}, Usage: "the dirty migration's `VERSION`",
		field: func(c *command) any { return &c.version }},
	{Name: "applied", Commands: []string{cmdResolve}, Usage: "record it as applied (you finished the migration by hand)",
		field: func(c *command) any { return &c.applied }},
	{Name: "pending", Commands: []string{cmdResolve}, Usage: "record it as not applied (you undid it)",
		field: func(c *command) any { return &c.pending }},

	{Name: "from", Commands: []string{cmdSQL}, Usage: "start after this `VERSION`, the one the database is at (default: before the first migration)",
		field: func(c *command) any { return &c.from }},
	{Name: "down", Commands: []string{cmdSQL}, Usage: "print the Down steps that go back from --to (default: the newest) to --from, newest first",
		field: func(c *command) any { return &c.down }},
}

// Flags returns the flags command accepts, in usage order.
func Flags(command string) []Flag {
	var fs []Flag
	for _, f := range flagTable {
		if f.AppliesTo(command) {
			fs = append(fs, f)
		}
	}
	return fs
}

// AppliesTo reports whether command accepts f.
func (f Flag) AppliesTo(command string) bool {
	return f.Commands == nil || slices.Contains(f.Commands, command)
}

// FlagValue is the value of a Flag. It is a flag.Value and, with Type, a
// github.com/spf13/pflag Value; IsBoolFlag tells the flags that take no
// argument.
type FlagValue interface {
	String() string
	Set(string) error
	Type() string
	IsBoolFlag() bool
}

// NewValue returns a new value of f holding its default.
func (f Flag) NewValue() FlagValue {
	return f.bind(new(command))
}

// bind returns the value of f kept in c, set to its default.
func (f Flag) bind(c *command) FlagValue {
	v := &fieldValue{ptr: f.field(c)}
	if f.def != "" {
		if err := v.Set(f.def); err != nil {
			panic(fmt.Sprintf("flag --%s: default %q: %v", f.Name, f.def, err))
		}
	}
	return v
}

// fieldValue is a flag's value kept in a field of command: a *string,
// *int, *bool or *time.Duration.
type fieldValue struct{ ptr any }

func (v *fieldValue) Set(s string) error {
	switch p := v.ptr.(type) {
	case *string:
		*p = s
	case *int:
		n, err := strconv.ParseInt(s, 0, strconv.IntSize)
		if err != nil {
			return fmt.Errorf("want a whole number, not %q", s)
		}
		*p = int(n)
	case *time.Duration:
		d, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("want a duration such as 500ms, 30s or 5m, not %q", s)
		}
		*p = d
	case *bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("want true or false, not %q", s)
		}
		*p = b
	default:
		panic(fmt.Sprintf("flag value of unsupported type %T", v.ptr))
	}
	return nil
}

func (v *fieldValue) String() string {
	switch p := v.ptr.(type) {
	case *string:
		return *p
	case *int:
		return strconv.Itoa(*p)
	case *time.Duration:
		if *p == 0 {
			return "0" // as package flag and pflag write a zero duration, which they leave out of help
		}
		return p.String()
	case *bool:
		return strconv.FormatBool(*p)
	}
	return "" // package flag's zero Value
}

// Type names the value's type as package pflag does: string, int, bool or
// duration.
func (v *fieldValue) Type() string {
	switch v.ptr.(type) {
	case *int:
		return "int"
	case *time.Duration:
		return "duration"
	case *bool:
		return "bool"
	default:
		return "string"
	}
}

func (v *fieldValue) IsBoolFlag() bool {
	_, ok := v.ptr.(*bool)
	return ok
}

// usageText is Main's help, made from commandHelp and flagTable.
func usageText() string {
	var b strings.Builder
	b.WriteString("usage: <program> <command> [flags]\n\ncommands:\n")
	for _, c := range commandHelp {
		writeWrapped(&b, fmt.Sprintf("  %-9s ", c.name), c.help)
	}
	group := ""
	for _, f := range flagTable {
		if g := flagGroup(f); g != group {
			group = g
			fmt.Fprintf(&b, "\nflags for %s:\n", g)
		}
		usage := f.Usage
		if f.def != "" {
			usage += " (default " + f.def + ")"
		}
		writeWrapped(&b, strings.TrimRight("  --"+f.Name+" "+valueName(f), " ")+"\n        ", strings.ReplaceAll(usage, "`", ""))
	}
	b.WriteString("\n" + exitCodeHelp)
	return b.String()
}

// flagGroup names the commands f applies to, as its usage heading says.
func flagGroup(f Flag) string {
	if f.Commands == nil {
		return "every command"
	}
	return strings.Join(f.Commands, " and ")
}

// valueName is what the usage shows for a flag's value: the word in
// backquotes in its usage, else its type ("" for a boolean flag).
func valueName(f Flag) string {
	if _, word, ok := strings.Cut(f.Usage, "`"); ok {
		if word, _, ok := strings.Cut(word, "`"); ok {
			return word
		}
	}
	if v := f.NewValue(); !v.IsBoolFlag() {
		return v.Type()
	}
	return ""
}

// writeWrapped writes head and text wrapped at 80 columns, continuation
// lines indented as far as the last line of head.
func writeWrapped(b *strings.Builder, head, text string) {
	indent := head
	if i := strings.LastIndexByte(head, '\n'); i >= 0 {
		indent = head[i+1:]
	}
	pad := strings.Repeat(" ", len(indent))
	b.WriteString(head)
	col := len(indent)
	for i, word := range strings.Fields(text) {
		if i > 0 && col+1+len(word) > 80 {
			b.WriteString("\n" + pad)
			col = len(pad)
		} else if i > 0 {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(word)
		col += len(word)
	}
	b.WriteByte('\n')
}

// exitCodeHelp closes Main's usage.
const exitCodeHelp = `exit codes: 0 ok; 1 a migration failed, or one is dirty (a migration without a
transaction failed partway: fix it by hand, then run resolve); 2 usage,
connection, lock timeout or other error, or interrupted (SIGINT, SIGTERM, SIGHUP or
the parent schemadiff died: the migration in progress was rolled back).
status: 0 every migration is applied or pending; 1 one needs attention
(failed, dirty, modified after it was applied, or applied but unknown to this
program); 3 with --fail-on-pending, some are pending and none needs attention
`
