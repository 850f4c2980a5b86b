package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/schema"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// errUncertain is returned (wrapped) when an incremental load cannot tell
// for sure what to drop and run again: the whole schema is loaded instead.
var errUncertain = errors.New("incremental load uncertain")

// firstNormalOID is PostgreSQL's FirstNormalObjectId: objects below it
// come with every database (schema public, built-in types, ...) and are
// never dropped.
const firstNormalOID = 16384

// The catalogs whose objects are dropped and created as a whole.
const (
	classOfClass     = 1259 // pg_class
	classOfType      = 1247 // pg_type
	classOfProc      = 1255 // pg_proc
	classOfNamespace = 2615 // pg_namespace

	classOfConstraint = 2606 // pg_constraint
)

// bookSchema holds the event trigger that records what each statement of
// the schema files creates or alters, while they load. It belongs to the
// administrator: the loading role can neither read nor write it, and it
// is dropped before the catalog is read.
const bookSchema = "schemadiff_warm_book"

// stmtSetting is the setting the loader sets to the number of the
// statement it runs next, which the event trigger records.
const stmtSetting = "schemadiff.stmt"

// installRecorder creates the recording event trigger.
func (l *warmLoad) installRecorder(ctx context.Context) error {
	s := pgx.Identifier{bookSchema}.Sanitize()
	sql := `DROP EVENT TRIGGER IF EXISTS schemadiff_warm_book;
DROP SCHEMA IF EXISTS ` + s + ` CASCADE;
CREATE SCHEMA ` + s + `;
REVOKE ALL ON SCHEMA ` + s + ` FROM PUBLIC;
CREATE TABLE ` + s + `.commands (stmt pg_catalog.int4, classid pg_catalog.oid, objid pg_catalog.oid, objsubid pg_catalog.int4);
CREATE FUNCTION ` + s + `.record() RETURNS pg_catalog.event_trigger LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp AS $book$
BEGIN
	INSERT INTO ` + s + `.commands
		SELECT NULLIF(pg_catalog.current_setting('` + stmtSetting + `', true), '')::pg_catalog.int4, c.classid, c.objid, c.objsubid
		FROM pg_catalog.pg_event_trigger_ddl_commands() c WHERE c.objid IS NOT NULL;
END
$book$;
REVOKE ALL ON FUNCTION ` + s + `.record() FROM PUBLIC;
CREATE EVENT TRIGGER schemadiff_warm_book ON ddl_command_end EXECUTE FUNCTION ` + s + `.record();`
	if _, err := l.book.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol); err != nil {
		return fmt.Errorf("installing the recording event trigger: %w", err)
	}
	return nil
}

// removeRecorder drops the recording event trigger and what it recorded.
func (l *warmLoad) removeRecorder(ctx context.Context) error {
	sql := "DROP EVENT TRIGGER IF EXISTS schemadiff_warm_book; DROP SCHEMA IF EXISTS " + pgx.Identifier{bookSchema}.Sanitize() + " CASCADE"
	if _, err := l.book.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol); err != nil {
		return fmt.Errorf("removing the recording event trigger: %w", err)
	}
	return nil
}

// runRecorded runs, in loading order, the statements marked in run, as the
// loading role with the recording event trigger installed, and sets their
// objects in recs.
// With how other than loadInOrder, a run of every statement goes over two
// connections when loadLevels allows it; its failure is errParallel.
func (l *warmLoad) runRecorded(ctx context.Context, run []bool, recs []warmStatement, how loadMode) error {
	if err := l.installRecorder(ctx); err != nil {
		return err
	}
	var todo []int
	for i, r := range run {
		if r {
			todo = append(todo, i)
			recs[i].Objects = nil
		}
	}
	if err := l.runSpread(ctx, todo, how); err != nil {
		return explainDenied(err)
	}
	touched, err := l.recorded(ctx)
	if err != nil {
		return err
	}
	for i, objs := range l.granted {
		touched[i] = append(touched[i], objs...)
	}
	if err := l.removeRecorder(ctx); err != nil {
		return err
	}
	for _, i := range todo {
		objs := slices.Clone(touched[i])
		slices.SortFunc(objs, compareRefs)
		recs[i].Objects = slices.Compact(objs)
		l.touched = append(l.touched, recs[i].Objects...)
	}
	return nil
}

func compareRefs(a, b objectRef) int {
	if a[0] != b[0] {
		return int(a[0]) - int(b[0])
	}
	if a[1] < b[1] {
		return -1
	}
	if a[1] > b[1] {
		return 1
	}
	return 0
}

// runSpread runs the statements numbered todo as runStatements does, or,
// when they are all of them and how and loadLevels allow it, level by level
// over the loading connection and a second one as the same role. A GRANT
// or REVOKE whose objects are looked up runs on the loading connection.
func (l *warmLoad) runSpread(ctx context.Context, todo []int, how loadMode) error {
	if how == loadInOrder || len(todo) != len(l.stmts) || len(todo) < parallelMinStatements && how != loadSpreadAlways {
		return l.runStatements(ctx, todo)
	}
	levels, ok := loadLevels(l.stmts)
	if !ok || how != loadSpreadAlways && !worthSpreading(len(todo), levels) {
		return l.runStatements(ctx, todo)
	}
	second, err := Connect(ctx, l.sb.sb.URL)
	if err != nil {
		return fmt.Errorf("%w: %w", errParallel, err)
	}
	defer second.Close(context.WithoutCancel(ctx))
	conns := [2]*pgx.Conn{l.sb.loader, second}
	l.granted = map[int][]objectRef{}
	pinned := func(i int) bool { return len(l.targets[i]) > 0 }
	err = runLevels(l.stmts, levels, pinned, func(c int, share []int) error {
		return inTransaction(ctx, conns[c], func(tx pgx.Tx) error { return l.execRuns(ctx, txExecer{tx}, share, true) })
	})
	if err == nil {
		l.levels = len(levels)
		l.scratch.Logf("loaded %d statements over two connections in %d steps", len(todo), len(levels))
	}
	return err
}

// runStatements runs the statements numbered todo in transactions of
// loadBatch statements (see loadStatements).
func (l *warmLoad) runStatements(ctx context.Context, todo []int) error {
	l.granted = map[int][]objectRef{}
	for len(todo) > 0 {
		n := min(loadBatch, len(todo))
		if err := l.runTransaction(ctx, todo[:n]); err != nil {
			return err
		}
		todo = todo[n:]
	}
	return nil
}

// runTransaction runs the statements numbered todo in one transaction,
// joined into as few queries as they allow, or one statement per query when
// a query failed (to name the statement), or one at a time outside a
// transaction when one of them cannot run in a transaction block.
func (l *warmLoad) runTransaction(ctx context.Context, todo []int) error {
	err := inTransaction(ctx, l.sb.loader, func(tx pgx.Tx) error { return l.execRuns(ctx, txExecer{tx}, todo, true) })
	if err == nil {
		return nil
	}
	l.forgetGranted(todo)
	if code := pgErrCode(err); code != "25001" && code != "55P04" {
		err = inTransaction(ctx, l.sb.loader, func(tx pgx.Tx) error { return l.execRuns(ctx, txExecer{tx}, todo, false) })
	}
	if code := pgErrCode(err); code == "25001" || code == "55P04" {
		l.forgetGranted(todo)
		err = l.execRuns(ctx, connExecer{l.sb.loader}, todo, false)
	}
	return err
}

// forgetGranted drops what findGranted found for the statements numbered
// todo, whose transaction rolled back.
func (l *warmLoad) forgetGranted(todo []int) {
	for _, i := range todo {
		delete(l.granted, i)
	}
}

// execRuns runs the statements numbered todo, each after setting
// stmtSetting to its number in the same query, joined into as few queries
// as queryRuns allows when join is set, else one statement per query. The
// objects of a GRANT or REVOKE are looked up right after it.
func (l *warmLoad) execRuns(ctx context.Context, db sqlfile.Execer, todo []int, join bool) error {
	setStmt := func(i int) string { return "SET " + stmtSetting + " = " + strconv.Itoa(i) + ";\n" }
	runs := make([][]int, len(todo))
	if join {
		runs = queryRuns(l.stmts, todo, func(i int) bool { return len(l.targets[i]) > 0 })
	} else {
		for k := range todo {
			runs[k] = todo[k : k+1]
		}
	}
	for _, run := range runs {
		if len(run) == 1 {
			st := l.stmts[run[0]]
			st.SQL = setStmt(run[0]) + st.SQL
			if err := sqlfile.Load(ctx, db, []sqlfile.Statement{st}); err != nil {
				return err
			}
		} else if err := db.Exec(ctx, joinQuery(l.stmts, run, setStmt)); err != nil {
			return err
		}
		last := run[len(run)-1]
		for _, t := range l.targets[last] {
			if err := l.findGranted(ctx, last, t); err != nil {
				return err
			}
		}
	}
	return db.Exec(ctx, "RESET "+stmtSetting)
}

// findGranted adds to l.granted[i] the objects t finds, in the loading
// role's session (and transaction), where the GRANT or REVOKE just ran.
func (l *warmLoad) findGranted(ctx context.Context, i int, t grantTarget) error {
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		args[i] = a
	}
	rows, err := l.sb.loader.Query(ctx, t.Query, args...)
	if err != nil {
		return fmt.Errorf("finding what a GRANT or REVOKE changed: %w", err)
	}
	var class uint32
	var obj *uint32
	_, err = pgx.ForEachRow(rows, []any{&class, &obj}, func() error {
		if obj != nil {
			l.granted[i] = append(l.granted[i], objectRef{class, *obj})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("finding what a GRANT or REVOKE changed: %w", err)
	}
	return nil
}

// recorded reads what the event trigger recorded: per statement number,
// the objects it created or altered.
func (l *warmLoad) recorded(ctx context.Context) (map[int][]objectRef, error) {
	rows, err := l.book.Query(ctx, "SELECT stmt, classid, objid FROM "+pgx.Identifier{bookSchema, "commands"}.Sanitize())
	if err != nil {
		return nil, fmt.Errorf("reading what the statements created: %w", err)
	}
	out := map[int][]objectRef{}
	var stmt *int32
	var class, obj uint32
	_, err = pgx.ForEachRow(rows, []any{&stmt, &class, &obj}, func() error {
		if stmt == nil || int(*stmt) < 0 || int(*stmt) >= len(l.stmts) {
			return fmt.Errorf("%w: an object was created outside the statements of the schema files", errUncertain)
		}
		out[int(*stmt)] = append(out[int(*stmt)], objectRef{class, obj})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading what the statements created: %w", err)
	}
	return out, nil
}

// depGraph is the dependency graph of the kept database, between roots.
type depGraph struct {
	lift map[objectRef]objectRef // an object to the object it is part of
	// dependents lists, per root, the roots depending on it.
	dependents map[objectRef][]objectRef
	// dependsOn lists, per root, the roots it depends on.
	dependsOn map[objectRef][]objectRef
	// foreignKeys lists, per table, the foreign keys of other tables
	// referencing it (see fkQuery): dropping the table drops them alone,
	// and they are added back afterwards (see restoreForeignKeys) rather
	// than their tables dropped and created again.
	foreignKeys map[objectRef][]uint32
}

// fkQuery lists the foreign keys that restoreForeignKeys can add back
// exactly: between ordinary tables, not inherited by partitions.
const fkQuery = `SELECT c.oid FROM pg_catalog.pg_constraint c
	JOIN pg_catalog.pg_class r ON r.oid = c.conrelid JOIN pg_catalog.pg_class f ON f.oid = c.confrelid
	WHERE c.contype = 'f' AND c.conparentid = 0 AND r.relkind = 'r' AND f.relkind = 'r' AND c.oid >= 16384`

// root returns the object o is dropped and created with.
func (g *depGraph) root(o objectRef) objectRef {
	for range 8 {
		r, ok := g.lift[o]
		if !ok || r == o {
			return o
		}
		o = r
	}
	return o
}

// liftQuery lists objects that are parts of others: indexes, constraints,
// defaults, triggers (those of a constraint, such as the triggers a foreign
// key puts on the table it references, are part of the constraint),
// policies, rules and statistics of their table (or
// domain), owned sequences of their table, row and array types of their
// relation or element, toast tables of their table, multiranges of their range, composite types'
// relations of their type.
const liftQuery = `
SELECT 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, i.indexrelid, 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, i.indrelid
	FROM pg_catalog.pg_index i WHERE i.indexrelid >= 16384
UNION ALL SELECT d.classid, d.objid, d.refclassid, d.refobjid
	FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class c ON c.oid = d.objid
	WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
		AND c.relkind = 'S' AND d.deptype IN ('a', 'i') AND d.objid >= 16384
UNION ALL SELECT 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, c.reltoastrelid, 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, c.oid
	FROM pg_catalog.pg_class c WHERE c.reltoastrelid <> 0 AND c.oid >= 16384
UNION ALL SELECT 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, c.oid, 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid, c.reltype
	FROM pg_catalog.pg_class c WHERE c.relkind = 'c' AND c.oid >= 16384
UNION ALL SELECT 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid, t.oid, 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, t.typrelid
	FROM pg_catalog.pg_type t JOIN pg_catalog.pg_class c ON c.oid = t.typrelid WHERE c.relkind <> 'c' AND t.oid >= 16384
UNION ALL SELECT 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid, e.typarray, 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid, e.oid
	FROM pg_catalog.pg_type e WHERE e.typarray <> 0 AND e.oid >= 16384
UNION ALL SELECT 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid, r.rngmultitypid, 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid, r.rngtypid
	FROM pg_catalog.pg_range r WHERE r.rngtypid >= 16384
UNION ALL SELECT 'pg_catalog.pg_constraint'::pg_catalog.regclass::pg_catalog.oid, c.oid,
		CASE WHEN c.conrelid <> 0 THEN 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid ELSE 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid END,
		CASE WHEN c.conrelid <> 0 THEN c.conrelid ELSE c.contypid END
	FROM pg_catalog.pg_constraint c WHERE c.oid >= 16384 AND (c.conrelid <> 0 OR c.contypid <> 0)
UNION ALL SELECT 'pg_catalog.pg_attrdef'::pg_catalog.regclass::pg_catalog.oid, a.oid, 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, a.adrelid
	FROM pg_catalog.pg_attrdef a WHERE a.oid >= 16384
UNION ALL SELECT 'pg_catalog.pg_trigger'::pg_catalog.regclass::pg_catalog.oid, t.oid,
		CASE WHEN t.tgconstraint <> 0 THEN 'pg_catalog.pg_constraint'::pg_catalog.regclass::pg_catalog.oid ELSE 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid END,
		CASE WHEN t.tgconstraint <> 0 THEN t.tgconstraint ELSE t.tgrelid END
	FROM pg_catalog.pg_trigger t WHERE t.oid >= 16384
UNION ALL SELECT 'pg_catalog.pg_policy'::pg_catalog.regclass::pg_catalog.oid, p.oid, 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, p.polrelid
	FROM pg_catalog.pg_policy p WHERE p.oid >= 16384
UNION ALL SELECT 'pg_catalog.pg_rewrite'::pg_catalog.regclass::pg_catalog.oid, r.oid, 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, r.ev_class
	FROM pg_catalog.pg_rewrite r WHERE r.oid >= 16384
UNION ALL SELECT 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass::pg_catalog.oid, s.oid, 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, s.stxrelid
	FROM pg_catalog.pg_statistic_ext s WHERE s.oid >= 16384`

// depQuery lists the dependencies between objects of the schema files
// that make a drop with CASCADE go from one to the other.
const depQuery = `SELECT d.classid, d.objid, d.refclassid, d.refobjid FROM pg_catalog.pg_depend d
	WHERE d.deptype IN ('n', 'a', 'i') AND d.objid >= 16384 AND d.refobjid >= 16384`

// readGraph reads the dependency graph of the kept database.
func (l *warmLoad) readGraph(ctx context.Context) (*depGraph, error) {
	g := &depGraph{lift: map[objectRef]objectRef{}, dependents: map[objectRef][]objectRef{}, dependsOn: map[objectRef][]objectRef{},
		foreignKeys: map[objectRef][]uint32{}}
	var c1, o1, c2, o2 uint32
	rows, err := l.book.Query(ctx, fkQuery)
	if err != nil {
		return nil, fmt.Errorf("reading foreign keys: %w", err)
	}
	fks, err := pgx.CollectRows(rows, pgx.RowTo[uint32])
	if err != nil {
		return nil, fmt.Errorf("reading foreign keys: %w", err)
	}
	isFK := map[objectRef]bool{}
	for _, fk := range fks {
		isFK[objectRef{classOfConstraint, fk}] = true
	}
	rows, err = l.book.Query(ctx, liftQuery)
	if err != nil {
		return nil, fmt.Errorf("reading the parts of objects: %w", err)
	}
	if _, err := pgx.ForEachRow(rows, []any{&c1, &o1, &c2, &o2}, func() error {
		g.lift[objectRef{c1, o1}] = objectRef{c2, o2}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("reading the parts of objects: %w", err)
	}
	rows, err = l.book.Query(ctx, depQuery)
	if err != nil {
		return nil, fmt.Errorf("reading dependencies: %w", err)
	}
	seen := map[[2]objectRef]bool{}
	if _, err := pgx.ForEachRow(rows, []any{&c1, &o1, &c2, &o2}, func() error {
		from, to := g.root(objectRef{c2, o2}), g.root(objectRef{c1, o1})
		if from == to || seen[[2]objectRef{from, to}] {
			return nil
		}
		if fk := (objectRef{c1, o1}); isFK[fk] {
			if !slices.Contains(g.foreignKeys[from], o1) {
				g.foreignKeys[from] = append(g.foreignKeys[from], o1)
			}
			return nil
		}
		seen[[2]objectRef{from, to}] = true
		g.dependents[from] = append(g.dependents[from], to)
		g.dependsOn[to] = append(g.dependsOn[to], from)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("reading dependencies: %w", err)
	}
	return g, nil
}

// incremental brings the kept database from old to the statements of l.
func (l *warmLoad) incremental(ctx context.Context, old *warmState) (WarmOutcome, []warmStatement, error) {
	recs, run, seeds := l.match(old)
	out := WarmOutcome{Mode: WarmIncremental}
	if len(seeds) == 0 && !slices.Contains(run, true) {
		return WarmOutcome{Mode: WarmUnchanged}, recs, nil
	}
	g := l.kept.graph()
	if g == nil {
		var err error
		if g, err = l.readGraph(ctx); err != nil {
			return WarmOutcome{}, nil, err
		}
	}
	for pass := 0; ; pass++ {
		if pass == maxWarmPasses {
			return WarmOutcome{}, nil, fmt.Errorf("%w: still out of order after %d passes", errUncertain, pass)
		}
		closure := l.closure(g, seeds, recs, run)
		restore, err := l.keptForeignKeys(ctx, g, closure)
		if err != nil {
			return WarmOutcome{}, nil, err
		}
		n, err := l.drop(ctx, closure)
		if err != nil {
			return WarmOutcome{}, nil, err
		}
		out.Dropped += n
		if err := l.runRecorded(ctx, run, recs, loadInOrder); err != nil {
			return WarmOutcome{}, nil, err
		}
		if err := l.restoreForeignKeys(ctx, restore, recs); err != nil {
			return WarmOutcome{}, nil, err
		}
		if g, err = l.readGraph(ctx); err != nil {
			return WarmOutcome{}, nil, err
		}
		for _, r := range run {
			if r {
				out.Ran++
			}
		}
		seeds = outOfOrder(g, closure, recs, run)
		if len(seeds) == 0 {
			l.graph = g
			return out, recs, nil
		}
		run = make([]bool, len(l.stmts))
	}
}

// match pairs the statements with those of old by hash, in order. It
// returns the records of the kept statements, which statements must run
// (the new ones) and the roots of the statements that are gone.
func (l *warmLoad) match(old *warmState) (recs []warmStatement, run []bool, seeds []objectRef) {
	byHash := map[string][]int{}
	for i, st := range old.Statements {
		byHash[st.Hash] = append(byHash[st.Hash], i)
	}
	recs = make([]warmStatement, len(l.stmts))
	run = make([]bool, len(l.stmts))
	for i, h := range l.hashes {
		if q := byHash[h]; len(q) > 0 {
			recs[i].Objects = old.Statements[q[0]].Objects
			byHash[h] = q[1:]
			continue
		}
		run[i] = true
	}
	for _, q := range byHash {
		for _, i := range q {
			seeds = append(seeds, old.Statements[i].Objects...)
		}
	}
	return recs, run, seeds
}

// closure returns the roots to drop: the seeds, every root depending on
// one of them, and every root of a statement that created or altered one
// of them, which it marks in run.
func (l *warmLoad) closure(g *depGraph, seeds []objectRef, recs []warmStatement, run []bool) []objectRef {
	touching := map[objectRef][]int{}
	for i, rec := range recs {
		for _, o := range rec.Objects {
			r := g.root(o)
			touching[r] = append(touching[r], i)
		}
	}
	in := map[objectRef]bool{}
	var out []objectRef
	queue := slices.Clone(seeds)
	for len(queue) > 0 {
		r := g.root(queue[len(queue)-1])
		queue = queue[:len(queue)-1]
		if in[r] {
			continue
		}
		in[r] = true
		out = append(out, r)
		queue = append(queue, g.dependents[r]...)
		for _, i := range touching[r] {
			if !run[i] {
				run[i] = true
				queue = append(queue, recs[i].Objects...)
			}
		}
	}
	return out
}

// drop drops the roots with CASCADE, as the administrator, in one
// transaction, and returns how many it dropped.
func (l *warmLoad) drop(ctx context.Context, roots []objectRef) (int, error) {
	if len(roots) == 0 {
		return 0, nil
	}
	byClass := map[uint32][]uint32{}
	var otherClasses, others []uint32
	for _, r := range roots {
		if r[1] < firstNormalOID {
			return 0, fmt.Errorf("%w: a statement to run again altered an object every database has", errUncertain)
		}
		switch r[0] {
		case classOfClass, classOfType, classOfProc, classOfNamespace:
			byClass[r[0]] = append(byClass[r[0]], r[1])
		default:
			otherClasses, others = append(otherClasses, r[0]), append(others, r[1])
		}
	}
	// Objects of other catalogs are dropped by nothing here: they must be
	// gone already (a constraint a later statement dropped, say).
	var remaining int
	if err := l.book.QueryRow(ctx, `SELECT pg_catalog.count(*) FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.oid[]), pg_catalog.unnest($2::pg_catalog.oid[])) AS u (c, o)
		WHERE pg_catalog.pg_describe_object(u.c, u.o, 0) IS NOT NULL`, otherClasses, others).Scan(&remaining); err != nil {
		return 0, fmt.Errorf("listing the objects to drop: %w", err)
	}
	if remaining > 0 {
		return 0, fmt.Errorf("%w: a statement to run again created an object that is not a relation, type, routine or schema", errUncertain)
	}
	rows, err := l.book.Query(ctx, dropQuery, byClass[classOfClass], byClass[classOfType], byClass[classOfProc], byClass[classOfNamespace])
	if err != nil {
		return 0, fmt.Errorf("listing the objects to drop: %w", err)
	}
	var kind, name string
	var drops []string
	if _, err := pgx.ForEachRow(rows, []any{&kind, &name}, func() error {
		if kind == "" {
			return fmt.Errorf("%w: cannot drop %s", errUncertain, name)
		}
		if kind == "SCHEMA" {
			name = pgx.Identifier{name}.Sanitize()
		}
		// Names come from regclass, regtype and regprocedure, which
		// quote and qualify them (search_path is empty).
		drops = append(drops, "DROP "+kind+" IF EXISTS "+name+" CASCADE")
		return nil
	}); err != nil {
		return 0, fmt.Errorf("listing the objects to drop: %w", err)
	}
	tx, err := l.book.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("dropping what changed: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // after Commit
	for _, d := range drops {
		if _, err := tx.Exec(ctx, d); err != nil {
			return 0, fmt.Errorf("dropping what changed (%s): %w", d, err)
		}
	}
	return len(drops), tx.Commit(ctx)
}

// keptForeignKeys returns the statements that add back the foreign keys
// of tables outside closure referencing tables in it, which dropping
// closure drops: their definition, as PostgreSQL prints it, and comment.
func (l *warmLoad) keptForeignKeys(ctx context.Context, g *depGraph, closure []objectRef) ([]keptForeignKey, error) {
	in := map[objectRef]bool{}
	for _, r := range closure {
		in[r] = true
	}
	var fks []uint32
	for _, r := range closure {
		for _, fk := range g.foreignKeys[r] {
			if !in[g.root(objectRef{classOfConstraint, fk})] && !slices.Contains(fks, fk) {
				fks = append(fks, fk)
			}
		}
	}
	if len(fks) == 0 {
		return nil, nil
	}
	rows, err := l.book.Query(ctx, `SELECT c.oid, c.conrelid, c.conrelid::pg_catalog.regclass::pg_catalog.text, c.conname::pg_catalog.text,
			pg_catalog.pg_get_constraintdef(c.oid), pg_catalog.obj_description(c.oid, 'pg_constraint')
		FROM pg_catalog.pg_constraint c WHERE c.oid = ANY ($1::pg_catalog.oid[]) ORDER BY c.conrelid, c.conname`, fks)
	if err != nil {
		return nil, fmt.Errorf("reading foreign keys to add back: %w", err)
	}
	var out []keptForeignKey
	var k keptForeignKey
	var table, name, def string
	var comment *string
	if _, err := pgx.ForEachRow(rows, []any{&k.oid, &k.table, &table, &name, &def, &comment}, func() error {
		// table comes from regclass, quoted and qualified (search_path
		// is empty).
		k.name = name
		k.stmts = []string{"ALTER TABLE " + table + " ADD CONSTRAINT " + pgx.Identifier{name}.Sanitize() + " " + def}
		if comment != nil {
			k.stmts = append(k.stmts, "COMMENT ON CONSTRAINT "+pgx.Identifier{name}.Sanitize()+" ON "+table+" IS "+schema.Literal(*comment))
		}
		out = append(out, k)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("reading foreign keys to add back: %w", err)
	}
	return out, nil
}

// keptForeignKey is a foreign key that dropping what changed drops and
// that is added back.
type keptForeignKey struct {
	oid, table uint32 // the constraint and its table
	name       string
	stmts      []string // add it back
}

// restoreForeignKeys adds the foreign keys back, as the administrator, and
// makes the statements that created or altered them point at them.
func (l *warmLoad) restoreForeignKeys(ctx context.Context, fks []keptForeignKey, recs []warmStatement) error {
	moved := map[objectRef]objectRef{}
	for _, fk := range fks {
		for _, st := range fk.stmts {
			if _, err := l.book.Exec(ctx, st); err != nil {
				return fmt.Errorf("adding back a foreign key (%s): %w", st, err)
			}
		}
		var now uint32
		if err := l.book.QueryRow(ctx, "SELECT c.oid FROM pg_catalog.pg_constraint c WHERE c.conrelid = $1 AND c.conname = $2",
			fk.table, fk.name).Scan(&now); err != nil {
			return fmt.Errorf("finding the foreign key added back: %w", err)
		}
		moved[objectRef{classOfConstraint, fk.oid}] = objectRef{classOfConstraint, now}
		l.touched = append(l.touched, objectRef{classOfClass, fk.table})
	}
	for i := range recs {
		for j, o := range recs[i].Objects {
			if to, ok := moved[o]; ok {
				recs[i].Objects[j] = to
			}
		}
	}
	return nil
}

// dropQuery says how to drop each root: the DROP keyword and the name.
const dropQuery = `
SELECT CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'TABLE' WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'v' THEN 'VIEW'
		WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'i' THEN 'INDEX' WHEN 'I' THEN 'INDEX' ELSE '' END,
	c.oid::pg_catalog.regclass::pg_catalog.text
	FROM pg_catalog.pg_class c WHERE c.oid = ANY ($1::pg_catalog.oid[])
UNION ALL SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' WHEN 'b' THEN '' WHEN 'p' THEN '' ELSE 'TYPE' END, t.oid::pg_catalog.regtype::pg_catalog.text
	FROM pg_catalog.pg_type t WHERE t.oid = ANY ($2::pg_catalog.oid[])
UNION ALL SELECT CASE p.prokind WHEN 'a' THEN 'AGGREGATE' WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, p.oid::pg_catalog.regprocedure::pg_catalog.text
	FROM pg_catalog.pg_proc p WHERE p.oid = ANY ($3::pg_catalog.oid[])
UNION ALL SELECT 'SCHEMA', n.nspname::pg_catalog.text FROM pg_catalog.pg_namespace n WHERE n.oid = ANY ($4::pg_catalog.oid[])`

// outOfOrder returns the roots that the statements just run (run) reached
// out of loading order, which were not dropped in this pass: a root they
// created or altered that a kept statement after them in loading order
// created, altered or depends on (it saw the root without their change),
// or a root they depend on that a kept statement after them created or
// altered (they saw it with that statement's change). A cold load would
// have run them in between: the roots must be dropped and their
// statements run again in order.
func outOfOrder(g *depGraph, dropped []objectRef, recs []warmStatement, run []bool) []objectRef {
	wasDropped := map[objectRef]bool{}
	for _, r := range dropped {
		wasDropped[r] = true
	}
	// touched is, per root, the last kept statement that created or
	// altered it; observed, the last that did or depends on it.
	touched, observed := map[objectRef]int{}, map[objectRef]int{}
	note := func(m map[objectRef]int, r objectRef, i int) {
		if j, ok := m[r]; !ok || i > j {
			m[r] = i
		}
	}
	for i, rec := range recs {
		if run[i] {
			continue
		}
		for _, o := range rec.Objects {
			r := g.root(o)
			note(touched, r, i)
			note(observed, r, i)
			for _, up := range g.dependsOn[r] {
				note(observed, up, i)
			}
		}
	}
	var out []objectRef
	seen := map[objectRef]bool{}
	late := func(m map[objectRef]int, x objectRef, i int) {
		if j, ok := m[x]; ok && j > i && !wasDropped[x] && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	for i, rec := range recs {
		if !run[i] {
			continue
		}
		for _, o := range rec.Objects {
			r := g.root(o)
			late(observed, r, i)
			for _, x := range g.dependsOn[r] {
				late(touched, x, i)
			}
		}
	}
	return out
}
