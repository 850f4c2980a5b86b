package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemadiff/schemadiff/internal/pgserver"
	"github.com/schemadiff/schemadiff/internal/phase"
	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/schema"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// The desired state kept between runs (pgserver.Warm): the database
// pgserver.WarmDatabase of the kept cluster holds the schema files as the
// last run loaded them, and a state file in the cluster cache lists, per
// statement in loading order, the hash of its text and the objects it
// created or altered, as PostgreSQL reported them to an event trigger the
// administrator installed for the load. The next run drops the objects of
// the statements that changed or disappeared, with everything depending on
// them, and runs again, in loading order, every statement that created or
// altered one of them, then the new statements. Whenever that cannot be
// done with certainty it loads the whole schema again.

// WarmMode says how the desired state was loaded.
type WarmMode int

// The warm modes.
const (
	// WarmOff: no kept cluster; a new scratch database was loaded.
	WarmOff WarmMode = iota
	// WarmFull: the whole schema was loaded into the kept database,
	// which had no usable state.
	WarmFull
	// WarmIncremental: only what changed was dropped and loaded again.
	WarmIncremental
	// WarmUnchanged: the kept database already held the schema.
	WarmUnchanged
	// WarmFallback: the schema could not be loaded incrementally (see
	// WarmOutcome.Reason) and was loaded into a new scratch database.
	WarmFallback
)

func (m WarmMode) String() string {
	switch m {
	case WarmFull:
		return "full"
	case WarmIncremental:
		return "incremental"
	case WarmUnchanged:
		return "unchanged"
	case WarmFallback:
		return "fallback"
	}
	return "off"
}

// WarmOutcome reports how LoadDesiredReport loaded the desired state.
type WarmOutcome struct {
	Mode WarmMode
	// Ran is how many statements ran; Dropped how many objects were
	// dropped first (incremental loads).
	Ran, Dropped int
	// Reason says why the kept state was not used (full or fallback).
	Reason string
	// CatalogKept is set when the catalog was not read from the
	// database but from the file it was kept in (unchanged loads).
	CatalogKept bool
	// TablesKept is how many tables were taken from that file rather
	// than read (incremental loads).
	TablesKept int
	// Levels is how many levels a full load ran in over two connections
	// (see loadLevels); 0 when it ran in order over one.
	Levels int
}

// warmSpread is how a full load of the kept database may run (tests spread
// every load).
var warmSpread = loadSpread

// warmStateFormat is bumped whenever the state file changes shape.
const warmStateFormat = 3

// maxWarmPasses bounds the passes of an incremental load; past it the
// whole schema is loaded again.
const maxWarmPasses = 4

// objectRef is a catalog object: the OID of its catalog and its own OID.
type objectRef [2]uint32

// warmStatement is what the state file says of one loaded statement.
type warmStatement struct {
	Hash string `json:"hash"`
	// Objects are the objects it created or altered, as the event
	// trigger reported them. Each is dropped and created with its root
	// (see depGraph.root: a table for its constraints, indexes, owned
	// sequences, ...), read anew from the catalog on each run, since
	// later statements may change it (ALTER SEQUENCE ... OWNED BY).
	Objects []objectRef `json:"objects"`
	// Source is the hash of the statement as the schema files write it,
	// and Targets what warmTargets found in it: a run that finds the
	// same statement, with the same binary, need not parse it again.
	Source  string        `json:"source"`
	Targets []grantTarget `json:"targets,omitempty"`
}

// warmState is the content of the state file.
type warmState struct {
	Format     int             `json:"format"`
	Database   uint32          `json:"database"` // OID of the kept database
	Loader     string          `json:"loader"`
	Roles      []string        `json:"roles"`
	Statements []warmStatement `json:"statements"`
	// Binary identifies the binary that wrote the state (see
	// executableIdentity): Source and Targets are reused by the same
	// binary only.
	Binary string `json:"binary"`
}

func readWarmState(path string) (*warmState, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var st warmState
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if st.Format != warmStateFormat {
		return nil, fmt.Errorf("%s has format %d, want %d", path, st.Format, warmStateFormat)
	}
	return &st, nil
}

func writeWarmState(path string, st *warmState) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	tmp := path + ".tmp-" + strconv.Itoa(os.Getpid())
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("writing the kept desired state: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("writing the kept desired state: %w", err)
	}
	return nil
}

// errNotWarmable is returned (wrapped) when the schema cannot be loaded
// incrementally at all.
var errNotWarmable = errors.New("not loadable incrementally")

// warmLoad is one load into the kept database.
type warmLoad struct {
	scratch *pgserver.Scratch
	warm    *pgserver.Warm
	role    string
	sb      *sandbox
	book    *pgx.Conn // administrator, bookkeeping
	stmts   []sqlfile.Statement
	sources []string        // per statement, the hash of its text as written
	targets [][]grantTarget // per statement, for GRANT and REVOKE
	granted map[int][]objectRef
	hashes  []string
	roles   []string
	dbOID   uint32
	// touched are the objects the statements run created or altered, and
	// the tables whose foreign keys were added back.
	touched []objectRef
	// graph is the dependency graph the load left.
	graph *depGraph
	// kept is the catalog file, when it describes the state the load
	// started from.
	kept *cachedCatalog
	// levels is how many levels the statements ran in over two
	// connections, if they did.
	levels int
}

// prepareWarmStatements returns the statements as the sandbox runs them,
// or errNotWarmable naming the first that cannot be loaded incrementally.
// It also returns, per statement, how to find the objects a GRANT or
// REVOKE changed.
//
// known maps the hashes of statements an earlier run found loadable
// incrementally to their targets: those are not parsed again.
func prepareWarmStatements(stmts []sqlfile.Statement, role string, known map[string][]grantTarget) (_ []sqlfile.Statement, sources []string, targets [][]grantTarget, _ error) {
	targets = make([][]grantTarget, len(stmts))
	sources = make([]string, len(stmts))
	for i, st := range stmts {
		sources[i] = statementHash(st.SQL)
		if t, ok := known[sources[i]]; ok {
			targets[i] = t
			continue
		}
		t, why := warmTargets(st.SQL)
		if why != "" {
			return nil, nil, nil, fmt.Errorf("%w: %s:%d: %s", errNotWarmable, st.File, st.Line, why)
		}
		targets[i] = t
	}
	sqlOf := func(st *sqlfile.Statement) *string { return &st.SQL }
	return withOwnerRights(stmts, sqlOf, role), sources, targets, nil
}

// knownTargets returns what the state file at path says of the
// statements it lists, when the running binary wrote it.
func knownTargets(path string) map[string][]grantTarget {
	st, err := readWarmState(path)
	exe, exeErr := executableIdentity()
	if err != nil || exeErr != nil || st.Binary != exe {
		return nil
	}
	known := make(map[string][]grantTarget, len(st.Statements))
	for _, s := range st.Statements {
		if s.Source != "" {
			known[s.Source] = s.Targets
		}
	}
	return known
}

// warmLoaded is the kept database loadWarm brought up to date.
type warmLoaded struct {
	sb    *sandbox
	out   WarmOutcome
	state *warmState
	// graph is its dependency graph, nil when not read (unchanged loads).
	graph *depGraph
	// kept is the catalog file when it describes the state the load
	// started from, else nil.
	kept *cachedCatalog
	// changes says what an incremental load changed, nil after any other.
	changes *warmChanges
}

// loadWarm loads stmts into the kept database of scratch; the catalog
// will be read with opts. On any error the kept state is dropped, and the
// caller loads the schema into a new scratch database instead.
func loadWarm(ctx context.Context, scratch *pgserver.Scratch, role string, stmts []sqlfile.Statement, opts introspect.Options) (_ *warmLoaded, err error) {
	w := scratch.Warm()
	loaderRole := role
	if loaderRole == "" || loaderRole == pgserver.SuperuserName {
		loaderRole = pgserver.DefaultLoaderRole
	}
	prepared, sources, targets, err := prepareWarmStatements(stmts, loaderRole, knownTargets(w.StatePath))
	if err != nil {
		return nil, err
	}
	l := &warmLoad{scratch: scratch, warm: w, role: loaderRole, stmts: prepared, sources: sources, targets: targets}
	l.roles = append(scratch.EnsuredRoles(), loaderRole)
	slices.Sort(l.roles)
	l.roles = slices.Compact(l.roles)
	for _, st := range prepared {
		l.hashes = append(l.hashes, statementHash(st.SQL))
	}
	defer func() {
		if err != nil {
			l.abandon(ctx)
		}
	}()
	old, fresh, err := l.open(ctx)
	if err != nil {
		return nil, err
	}
	// While the database changes, no state describes it.
	if err := os.Remove(w.StatePath); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("removing the kept desired state: %w", err)
	}
	var out WarmOutcome
	var recs []warmStatement
	switch why := l.usable(old, fresh); {
	case why != "":
		out, recs, err = l.full(ctx, why, warmSpread)
	default:
		l.kept = l.readKept(old, opts)
		out, recs, err = l.incremental(ctx, old)
		if errors.Is(err, errUncertain) {
			out, recs, err = l.full(ctx, err.Error(), warmSpread)
		}
	}
	if err != nil {
		return nil, err
	}
	st, err := l.finish(ctx, recs)
	if err != nil {
		return nil, err
	}
	loaded := &warmLoaded{sb: l.sb, out: out, state: st, graph: l.graph}
	if out.Mode != WarmFull {
		loaded.kept = l.kept
	}
	if out.Mode == WarmIncremental {
		loaded.changes = &warmChanges{graph: l.graph, touched: l.touched}
	}
	l.sb = nil
	return loaded, nil
}

// open drops the roles of earlier runs that this run lacks, opens the
// kept database and reads the state file.
func (l *warmLoad) open(ctx context.Context) (old *warmState, fresh bool, err error) {
	extra, err := l.scratch.ExtraRoles(ctx, l.roles)
	if err != nil {
		return nil, false, err
	}
	if len(extra) > 0 {
		if err := l.scratch.DropWarmDatabase(ctx); err != nil {
			return nil, false, err
		}
		if err := l.dropRoles(ctx, extra); err != nil {
			return nil, false, err
		}
	}
	sb, fresh, err := l.scratch.WarmSandbox(ctx, l.role)
	if err != nil {
		return nil, false, err
	}
	if err := l.connect(ctx, sb); err != nil {
		return nil, false, err
	}
	if err := l.book.QueryRow(ctx, "SELECT oid FROM pg_catalog.pg_database WHERE datname OPERATOR(pg_catalog.=) pg_catalog.current_database()").Scan(&l.dbOID); err != nil {
		return nil, false, fmt.Errorf("reading the kept database: %w", err)
	}
	old, err = readWarmState(l.warm.StatePath)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		l.scratch.Logf("kept desired state: %v", err)
	}
	return old, fresh, nil
}

// dropRoles drops the roles of earlier runs. A role that cached replay
// states (see Replay) still grant to cannot be dropped: those states are
// dropped, and the roles again.
func (l *warmLoad) dropRoles(ctx context.Context, roles []string) error {
	err := l.scratch.DropRoles(ctx, roles)
	if err == nil {
		return nil
	}
	states, lerr := l.scratch.ReplayStates(ctx)
	if lerr != nil || len(states) == 0 {
		return err
	}
	l.scratch.Logf("dropping the cached replay states, which use roles of an earlier run: %v", err)
	for _, s := range states {
		if err := l.scratch.DropReplayState(ctx, s); err != nil {
			return err
		}
	}
	return l.scratch.DropRoles(ctx, roles)
}

// connect opens the loading role's and the bookkeeping connections.
func (l *warmLoad) connect(ctx context.Context, sb *pgserver.Sandbox) error {
	loader, err := Connect(ctx, sb.URL)
	if err != nil {
		return err
	}
	l.sb = &sandbox{scratch: l.scratch, sb: sb, loader: loader}
	book, err := Connect(ctx, sb.AdminURL)
	if err != nil {
		return err
	}
	l.book = book
	// Nothing the schema files created runs in the bookkeeping session:
	// no event trigger fires, and names resolve in pg_catalog only.
	if _, err := book.Exec(ctx, "SET session_replication_role = replica; SET search_path = ''"); err != nil {
		return fmt.Errorf("preparing the bookkeeping session: %w", err)
	}
	return nil
}

// usable says why the kept state cannot be brought up to date, or "".
func (l *warmLoad) usable(old *warmState, fresh bool) string {
	switch {
	case fresh:
		return "new kept database"
	case old == nil:
		return "no kept state"
	case old.Database != l.dbOID:
		return "the kept state describes another database"
	case old.Loader != l.role:
		return "loaded as another role"
	case !slices.Equal(old.Roles, l.roles):
		return "another set of roles"
	}
	return ""
}

// full loads every statement into an empty kept database.
func (l *warmLoad) full(ctx context.Context, why string, how loadMode) (WarmOutcome, []warmStatement, error) {
	l.scratch.Logf("loading the whole desired schema into the kept database: %s", why)
	l.closeConns(ctx)
	if err := l.scratch.DropWarmDatabase(ctx); err != nil {
		return WarmOutcome{}, nil, err
	}
	sb, _, err := l.scratch.WarmSandbox(ctx, l.role)
	if err != nil {
		return WarmOutcome{}, nil, err
	}
	if err := l.connect(ctx, sb); err != nil {
		return WarmOutcome{}, nil, err
	}
	if err := l.book.QueryRow(ctx, "SELECT oid FROM pg_catalog.pg_database WHERE datname OPERATOR(pg_catalog.=) pg_catalog.current_database()").Scan(&l.dbOID); err != nil {
		return WarmOutcome{}, nil, fmt.Errorf("reading the kept database: %w", err)
	}
	run := make([]bool, len(l.stmts))
	for i := range run {
		run[i] = true
	}
	recs := make([]warmStatement, len(l.stmts))
	if err := l.runRecorded(ctx, run, recs, how); err != nil {
		if errors.Is(err, errParallel) {
			return l.full(ctx, why+" (again over one connection: "+err.Error()+")", loadInOrder)
		}
		return WarmOutcome{}, nil, err
	}
	// Kept with the catalog for the next incremental load.
	if l.graph, err = l.readGraph(ctx); err != nil {
		return WarmOutcome{}, nil, err
	}
	return WarmOutcome{Mode: WarmFull, Ran: len(l.stmts), Reason: why, Levels: l.levels}, recs, nil
}

// finish stores the state and leaves the database as a cold load would.
func (l *warmLoad) finish(ctx context.Context, recs []warmStatement) (*warmState, error) {
	for i := range recs {
		recs[i].Hash = l.hashes[i]
		recs[i].Source, recs[i].Targets = l.sources[i], l.targets[i]
	}
	exe, err := executableIdentity()
	if err != nil {
		l.scratch.Logf("kept desired state: %v", err)
	}
	st := &warmState{Format: warmStateFormat, Database: l.dbOID, Loader: l.role, Roles: l.roles, Statements: recs, Binary: exe}
	l.book.Close(context.WithoutCancel(ctx))
	l.book = nil
	return st, writeWarmState(l.warm.StatePath, st)
}

// abandon drops the kept database after a failure: the next run loads it
// anew.
func (l *warmLoad) abandon(ctx context.Context) {
	ctx = context.WithoutCancel(ctx)
	l.closeConns(ctx)
	_ = os.Remove(l.warm.StatePath)
	if err := l.scratch.DropWarmDatabase(ctx); err != nil {
		l.warm.Discard()
	}
}

func (l *warmLoad) closeConns(ctx context.Context) {
	ctx = context.WithoutCancel(ctx)
	if l.sb != nil {
		l.sb.loader.Close(ctx)
		if l.sb.admin != nil {
			l.sb.admin.Close(ctx)
		}
		l.sb = nil
	}
	if l.book != nil {
		l.book.Close(ctx)
		l.book = nil
	}
}

// closeWarmSandbox closes the connections of the kept database's sandbox,
// which stays.
func closeWarmSandbox(ctx context.Context, sb *sandbox) {
	ctx = context.WithoutCancel(ctx)
	sb.loader.Close(ctx)
	if sb.admin != nil {
		sb.admin.Close(ctx)
	}
}

// LoadDesiredReport is LoadDesiredAs, also saying how the desired state
// was loaded: on a scratch source with a kept cluster (pgserver.Warm), the
// kept database is brought up to date; when it cannot be with certainty
// (statements outside what is loaded incrementally, any error), the
// schema is loaded into a new scratch database as without one, and
// only the -v log says why.
func LoadDesiredReport(ctx context.Context, scratch *pgserver.Scratch, role string, stmts []sqlfile.Statement, opts introspect.Options) (*schema.Catalog, WarmOutcome, error) {
	cat, out, err := loadDesiredReport(ctx, scratch, role, stmts, opts)
	return cat, out, explainDiskFull(scratch, err)
}

// explainDiskFull adds to a "disk full" error of the embedded server whose
// files are in memory how to put them on a disk.
func explainDiskFull(scratch *pgserver.Scratch, err error) error {
	if pgErrCode(err) != "53100" {
		return err
	}
	if dir := scratch.MemoryBacked(); dir != "" {
		return fmt.Errorf("%w (the embedded server's files are in %s, in memory, which is full: $%s=tmp puts them in the temporary directory)",
			err, dir, pgserver.ScratchDirEnv)
	}
	return err
}

func loadDesiredReport(ctx context.Context, scratch *pgserver.Scratch, role string, stmts []sqlfile.Statement, opts introspect.Options) (*schema.Catalog, WarmOutcome, error) {
	if scratch.Warm() == nil {
		cat, err := loadDesiredCold(ctx, scratch, role, stmts, opts)
		return cat, WarmOutcome{}, err
	}
	endLoad := phase.Start(ctx, "load desired")
	loaded, err := loadWarm(ctx, scratch, role, stmts, opts)
	endLoad()
	if err != nil {
		scratch.Logf("not using the kept desired state: %v", err)
		cat, cerr := loadDesiredCold(ctx, scratch, role, stmts, opts)
		return cat, WarmOutcome{Mode: WarmFallback, Reason: err.Error()}, cerr
	}
	defer closeWarmSandbox(ctx, loaded.sb)
	out := loaded.out
	scratch.Logf("kept desired state: %s load, %d statement(s) run, %d object(s) dropped", out.Mode, out.Ran, out.Dropped)
	cat, err := readKeptDesired(ctx, scratch.Warm(), loaded, &out, opts)
	if err != nil {
		return nil, WarmOutcome{}, err
	}
	return cat, out, annotateDesired(cat, stmts)
}

// readKeptDesired reads the catalog of the kept database: from the
// catalog file when no statement changed and the file describes this
// state; from the database otherwise (then keeping it in the file),
// taking the tables an incremental load left unchanged from the file when
// it describes the state the load started from.
func readKeptDesired(ctx context.Context, w *pgserver.Warm, loaded *warmLoaded, out *WarmOutcome, opts introspect.Options) (*schema.Catalog, error) {
	defer phase.Start(ctx, "introspect desired")()
	sb := loaded.sb
	key, err := warmCatalogKey(loaded.state, opts)
	if err != nil {
		sb.scratch.Logf("not keeping the desired catalog: %v", err)
		return inspectDesired(ctx, sb, opts)
	}
	if out.Mode == WarmUnchanged {
		if loaded.kept != nil && loaded.kept.Key == key {
			sb.scratch.Logf("kept desired state: catalog read from %s", w.CatalogPath)
			out.CatalogKept = true
			return loaded.kept.Catalog, nil
		}
		sb.scratch.Logf("kept desired state: reading the catalog from the database: no kept catalog of this state")
	}
	reuse := loaded.reuse()
	_ = os.Remove(w.CatalogPath)
	cat, oids, err := inspectDesiredTables(ctx, sb, opts, reuse)
	if errors.Is(err, introspect.ErrReuseMismatch) {
		sb.scratch.Logf("kept desired state: reading every table: %v", err)
		reuse = nil
		cat, oids, err = inspectDesiredTables(ctx, sb, opts, nil)
	}
	if err != nil {
		return nil, err
	}
	if reuse != nil {
		for oid := range reuse.Unchanged {
			if _, ok := oids[oid]; ok {
				out.TablesKept++
			}
		}
		sb.scratch.Logf("kept desired state: %d of %d table(s) taken from the kept catalog", out.TablesKept, len(cat.Tables))
	}
	graph := loaded.graph
	if graph == nil {
		graph = loaded.kept.graph() // unchanged: the database is as kept
	}
	if err := writeWarmCatalog(w.CatalogPath, key, cat, oids, graph); err != nil {
		sb.scratch.Logf("not keeping the desired catalog: %v", err)
	}
	return cat, nil
}

// pgErrCode returns the SQLSTATE of err, or "".
func pgErrCode(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}
