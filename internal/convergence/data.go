package convergence

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/internal/pipeline"
	"github.com/schemadiff/schemadiff/schema"
)

// Files of a case directory that carry rows and say how to check them.
const (
	// DataFile holds rows, loaded into the work database after from.sql.
	DataFile = "data.sql"
	// CheckFile, when present, is run after Up; its output (psql -A -t
	// -F '|' style, NULL as <null>) must equal ExpectedFile.
	CheckFile = "check.sql"
	// ExpectedFile is the expected output of CheckFile.
	ExpectedFile = "expected.txt"
	// NoDownDataFile opts a case out of the data check after Down; it
	// holds the reason (e.g. Up drops a column, so Down cannot restore it).
	NoDownDataFile = "no-down-data"
)

// maxReported bounds how many differences an error lists per table.
const maxReported = 4

// dataFiles are a case's rows and how to check them.
type dataFiles struct {
	data     []byte
	check    []byte // nil: the generic check
	expected []byte
	noDown   string // why Down is not checked, or ""
}

// readDataFiles reads a case's data files; nil when it has no data.sql.
func readDataFiles(dir string) (*dataFiles, error) {
	data, err := os.ReadFile(filepath.Join(dir, DataFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", DataFile, err)
	}
	f := &dataFiles{data: data}
	f.check, err = os.ReadFile(filepath.Join(dir, CheckFile))
	switch {
	case errors.Is(err, os.ErrNotExist):
		f.check = nil
	case err != nil:
		return nil, fmt.Errorf("reading %s: %w", CheckFile, err)
	default:
		if f.expected, err = os.ReadFile(filepath.Join(dir, ExpectedFile)); err != nil {
			return nil, fmt.Errorf("%s needs %s: %w", CheckFile, ExpectedFile, err)
		}
	}
	noDown, err := os.ReadFile(filepath.Join(dir, NoDownDataFile))
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("reading %s: %w", NoDownDataFile, err)
	default:
		f.noDown = strings.TrimSpace(string(noDown))
		if f.noDown == "" {
			return nil, fmt.Errorf("%s must give the reason Down cannot keep the rows", NoDownDataFile)
		}
	}
	return f, nil
}

// column is a column of a table as the data check sees it.
type column struct {
	Name      string
	Generated bool
	// Sequence is the column's serial or identity sequence, as regclass
	// text, or "".
	Sequence string
}

// tableColumns are the tables a data check considers (ordinary and
// partitioned tables that are not partitions and do not belong to an
// extension), with their columns in order.
type tableColumns map[schema.QName][]column

const tablesQuery = `
SELECT n.nspname, c.relname, a.attname, coalesce(a.attgenerated <> '', false),
       coalesce(pg_catalog.pg_get_serial_sequence(c.oid::regclass::text, a.attname)::regclass::text, '')
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
   AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
 ORDER BY 1, 2, a.attnum`

// readTables reads the tables a data check considers.
func readTables(ctx context.Context, conn *pgx.Conn) (tableColumns, error) {
	rows, err := conn.Query(ctx, tablesQuery)
	if err != nil {
		return nil, fmt.Errorf("listing tables: %w", err)
	}
	defer rows.Close()
	out := tableColumns{}
	for rows.Next() {
		var (
			q   schema.QName
			col *string
			gen *bool
			seq *string
		)
		if err := rows.Scan(&q.Schema, &q.Name, &col, &gen, &seq); err != nil {
			return nil, fmt.Errorf("listing tables: %w", err)
		}
		cols := out[q]
		if col != nil {
			cols = append(cols, column{Name: *col, Generated: gen != nil && *gen, Sequence: deref(seq)})
		}
		out[q] = cols
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing tables: %w", err)
	}
	return out, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// state is one of the two schemas of a case.
type state int

const (
	fromState state = iota
	toState
)

// colPair is a column kept from the from-state to the to-state.
type colPair struct {
	From, To string
	// Serial is set when the column has a serial or identity sequence in
	// the from-state.
	Serial bool
	// GainsSequence is set when the column has no sequence in the
	// from-state and one in the to-state: after Up, its sequence must be
	// ahead of the values the column already holds.
	GainsSequence bool
}

// tablePair is a table kept from the from-state to the to-state, with the
// non-generated columns present in both.
type tablePair struct {
	From, To schema.QName
	Cols     []colPair
}

func (p tablePair) name(s state) schema.QName {
	if s == toState {
		return p.To
	}
	return p.From
}

func (p tablePair) cols(s state) []string {
	out := make([]string, len(p.Cols))
	for i, c := range p.Cols {
		out[i] = c.From
		if s == toState {
			out[i] = c.To
		}
	}
	return out
}

func (p tablePair) String() string {
	var b strings.Builder
	b.WriteString(p.From.Quoted())
	if p.To != p.From {
		b.WriteString(" -> " + p.To.Quoted())
	}
	return b.String()
}

// pairTables finds the tables of from that to keeps, under the same name or
// the one the rename hints (written in to's files) give, and their
// non-generated columns present on both sides.
func pairTables(from, to tableColumns, renames []schema.Rename) []tablePair {
	type colKey struct {
		table schema.QName
		col   string
	}
	schemaNew := map[string]string{}      // old schema -> new
	tableNew := map[schema.QName]string{} // (new schema, old table) -> new table
	colNew := map[colKey]string{}         // (new table, old column) -> new column
	for _, r := range renames {
		switch r.Kind {
		case schema.KindSchema:
			schemaNew[r.From] = r.Name
		case schema.KindTable:
			tableNew[schema.QName{Schema: r.Schema, Name: r.From}] = r.Name
		case schema.KindColumn:
			colNew[colKey{schema.QName{Schema: r.Schema, Name: r.Table}, r.From}] = r.Name
		}
	}
	var out []tablePair
	for _, q := range sortedQNames(from) {
		nq := q
		if s, ok := schemaNew[q.Schema]; ok {
			nq.Schema = s
		}
		if t, ok := tableNew[nq]; ok {
			nq.Name = t
		}
		toCols, ok := to[nq]
		if !ok {
			continue
		}
		p := tablePair{From: q, To: nq}
		for _, c := range from[q] {
			if c.Generated {
				continue
			}
			name := c.Name
			if n, ok := colNew[colKey{nq, c.Name}]; ok {
				name = n
			}
			i := slices.IndexFunc(toCols, func(t column) bool { return t.Name == name })
			if i < 0 || toCols[i].Generated {
				continue
			}
			p.Cols = append(p.Cols, colPair{From: c.Name, To: name, Serial: c.Sequence != "",
				GainsSequence: c.Sequence == "" && toCols[i].Sequence != ""})
		}
		out = append(out, p)
	}
	return out
}

func sortedQNames(m tableColumns) []schema.QName {
	out := make([]schema.QName, 0, len(m))
	for q := range m {
		out = append(out, q)
	}
	slices.SortFunc(out, schema.QName.Compare)
	return out
}

// row is one table row as text; nil is NULL.
type row []*string

// readRows reads the given columns of every row of a table as text, sorted
// byte-wise.
func readRows(ctx context.Context, conn *pgx.Conn, table schema.QName, cols []string) ([]row, error) {
	exprs := make([]string, len(cols))
	order := make([]string, len(cols))
	for i, c := range cols {
		exprs[i] = pgx.Identifier{c}.Sanitize() + `::text COLLATE "C"`
		order[i] = fmt.Sprint(i + 1)
	}
	sql := "SELECT " + strings.Join(exprs, ", ") + " FROM " + table.Quoted()
	if len(cols) == 0 {
		sql = "SELECT FROM " + table.Quoted()
	} else {
		sql += " ORDER BY " + strings.Join(order, ", ")
	}
	rows, err := conn.Query(ctx, sql, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return nil, fmt.Errorf("reading the rows of %s: %w", table.Quoted(), err)
	}
	defer rows.Close()
	var out []row
	for rows.Next() {
		r := make(row, len(cols))
		dest := make([]any, len(cols))
		for i := range r {
			dest[i] = &r[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("reading the rows of %s: %w", table.Quoted(), err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the rows of %s: %w", table.Quoted(), err)
	}
	return out, nil
}

// seqRef is a serial or identity column of a table pair, by index.
type seqRef struct {
	pair, col int
}

// seqState is where a column's sequence stands relative to its values.
type seqState struct {
	// Ahead is set when the sequence's next value is beyond every value of
	// the column (the next insert through the default cannot collide).
	Ahead bool
	Next  string
	// Extreme is the column's largest value (smallest for a descending
	// sequence), or "" when the table is empty.
	Extreme string
}

// readSequences reads, in one query, the state of the sequences of the
// serial columns of pairs in state s (in the to-state, also of the columns
// that gain one). Columns that have no sequence in the database are left
// out.
func readSequences(ctx context.Context, conn *pgx.Conn, pairs []tablePair, s state) (map[seqRef]seqState, error) {
	tables, err := readTables(ctx, conn)
	if err != nil {
		return nil, err
	}
	var (
		parts []string
		refs  []seqRef
	)
	for pi, p := range pairs {
		cols := tables[p.name(s)]
		for ci, c := range p.Cols {
			if !c.Serial && (s != toState || !c.GainsSequence) {
				continue
			}
			name := c.From
			if s == toState {
				name = c.To
			}
			i := slices.IndexFunc(cols, func(t column) bool { return t.Name == name })
			if i < 0 || cols[i].Sequence == "" {
				continue
			}
			// The sequence name is regclass text: already quoted as needed.
			seq, col, tbl := cols[i].Sequence, pgx.Identifier{name}.Sanitize(), p.name(s).Quoted()
			next := "CASE WHEN s.is_called THEN s.last_value::numeric + p.seqincrement ELSE s.last_value::numeric END"
			extreme := fmt.Sprintf("(SELECT CASE WHEN p.seqincrement > 0 THEN max(%[1]s) ELSE min(%[1]s) END::numeric FROM %[2]s)", col, tbl)
			parts = append(parts, fmt.Sprintf(
				"SELECT %d, CASE WHEN p.seqincrement > 0 THEN coalesce(%[2]s < %[3]s, true) ELSE coalesce(%[2]s > %[3]s, true) END, "+
					"(%[3]s)::text, coalesce(%[2]s::text, '') "+
					"FROM %[4]s s JOIN pg_catalog.pg_sequence p ON p.seqrelid = %[5]s::regclass",
				len(refs), extreme, next, seq, schema.Literal(seq)))
			refs = append(refs, seqRef{pi, ci})
		}
	}
	out := map[seqRef]seqState{}
	if len(parts) == 0 {
		return out, nil
	}
	rows, err := conn.Query(ctx, strings.Join(parts, " UNION ALL "), pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return nil, fmt.Errorf("reading sequences: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			i  int
			st seqState
		)
		if err := rows.Scan(&i, &st.Ahead, &st.Next, &st.Extreme); err != nil {
			return nil, fmt.Errorf("reading sequences: %w", err)
		}
		out[refs[i]] = st
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading sequences: %w", err)
	}
	return out, nil
}

// dataSnapshot is the work database's rows before Up, for the tables and
// columns the plan keeps.
type dataSnapshot struct {
	pairs []tablePair
	rows  [][]row // by pair
	seqs  map[seqRef]seqState
}

// takeSnapshot reads the rows of the work database (holding from) that
// survive into the fresh build of to at wantTo, following renames.
func takeSnapshot(ctx context.Context, work, wantTo string, renames []schema.Rename) (*dataSnapshot, error) {
	toConn, err := pipeline.Connect(ctx, wantTo)
	if err != nil {
		return nil, err
	}
	defer toConn.Close(context.WithoutCancel(ctx))
	toTables, err := readTables(ctx, toConn)
	if err != nil {
		return nil, err
	}
	conn, err := pipeline.Connect(ctx, work)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	fromTables, err := readTables(ctx, conn)
	if err != nil {
		return nil, err
	}
	snap := &dataSnapshot{pairs: pairTables(fromTables, toTables, renames)}
	for _, p := range snap.pairs {
		rows, err := readRows(ctx, conn, p.From, p.cols(fromState))
		if err != nil {
			return nil, err
		}
		snap.rows = append(snap.rows, rows)
	}
	if snap.seqs, err = readSequences(ctx, conn, snap.pairs, fromState); err != nil {
		return nil, err
	}
	return snap, nil
}

// rowCheck says whether compare checks the rows or only the sequences.
type rowCheck int

const (
	checkRows rowCheck = iota
	// sequencesOnly is used when check.sql judges the rows.
	sequencesOnly
)

// compare checks that the work database, now in state s, still holds the
// snapshot's rows (unless what is sequencesOnly) and that every sequence
// that was ahead of its column is still ahead.
func (snap *dataSnapshot) compare(ctx context.Context, work string, s state, what rowCheck) error {
	conn, err := pipeline.Connect(ctx, work)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var problems []string
	for i, p := range snap.pairs {
		if what == sequencesOnly {
			break
		}
		rows, err := readRows(ctx, conn, p.name(s), p.cols(s))
		if err != nil {
			return err
		}
		problems = append(problems, diffRows(p, s, snap.rows[i], rows)...)
	}
	seqs, err := readSequences(ctx, conn, snap.pairs, s)
	if err != nil {
		return err
	}
	for _, ref := range sortedRefs(seqs) {
		p := snap.pairs[ref.pair]
		after := seqs[ref]
		if p.Cols[ref.col].GainsSequence && !after.Ahead {
			problems = append(problems, fmt.Sprintf("%s column %s: the column's new sequence is not ahead of the values "+
				"it already holds (next %s, column up to %s), so the next insert reuses a value",
				p.name(s).Quoted(), schema.Ident(p.cols(s)[ref.col]), after.Next, orNone(after.Extreme)))
		}
	}
	for _, ref := range sortedRefs(snap.seqs) {
		before, after := snap.seqs[ref], seqs[ref]
		if _, ok := seqs[ref]; !ok || !before.Ahead || after.Ahead {
			continue
		}
		p := snap.pairs[ref.pair]
		problems = append(problems, fmt.Sprintf("%s column %s: the sequence is no longer ahead of the values "+
			"(before: next %s, column up to %s; after: next %s, column up to %s), so the next insert reuses a value",
			p.name(s).Quoted(), schema.Ident(p.cols(s)[ref.col]),
			before.Next, orNone(before.Extreme), after.Next, orNone(after.Extreme)))
	}
	if len(problems) > 0 {
		return fmt.Errorf("rows changed:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "(empty)"
	}
	return s
}

func sortedRefs(m map[seqRef]seqState) []seqRef {
	out := make([]seqRef, 0, len(m))
	for r := range m {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b seqRef) int {
		if a.pair != b.pair {
			return a.pair - b.pair
		}
		return a.col - b.col
	})
	return out
}

// diffRows describes how after differs from before (both sorted): row
// counts, which columns' values changed, and the first rows lost and
// gained.
func diffRows(p tablePair, s state, before, after []row) []string {
	if rowsEqual(before, after) {
		return nil
	}
	cols := p.cols(s)
	label := p.String()
	var out []string
	if len(before) != len(after) {
		out = append(out, fmt.Sprintf("%s: %d rows before, %d after", label, len(before), len(after)))
	}
	for ci, c := range p.Cols {
		b, a := columnValues(before, ci), columnValues(after, ci)
		lost, gained := multisetDiff(b, a)
		if len(lost) == 0 && len(gained) == 0 {
			continue
		}
		name := schema.Ident(c.From)
		if c.From != c.To {
			name += " -> " + schema.Ident(c.To)
		}
		out = append(out, fmt.Sprintf("%s column %s: values before %s, after %s",
			label, name, showValues(lost), showValues(gained)))
	}
	lost, gained := multisetDiff(encodeRows(before, cols), encodeRows(after, cols))
	for i, r := range lost {
		if i == maxReported {
			out = append(out, fmt.Sprintf("%s: ... %d more rows lost or changed", label, len(lost)-i))
			break
		}
		out = append(out, fmt.Sprintf("%s: row %s before is gone after", label, r))
	}
	for i, r := range gained {
		if i == maxReported {
			out = append(out, fmt.Sprintf("%s: ... %d more rows new or changed", label, len(gained)-i))
			break
		}
		out = append(out, fmt.Sprintf("%s: row %s after was not there before", label, r))
	}
	return out
}

func rowsEqual(a, b []row) bool {
	return slices.EqualFunc(a, b, func(x, y row) bool {
		return slices.EqualFunc(x, y, func(v, w *string) bool {
			return (v == nil) == (w == nil) && (v == nil || *v == *w)
		})
	})
}

func columnValues(rows []row, col int) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = showValue(r[col])
	}
	return out
}

func encodeRows(rows []row, cols []string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		parts := make([]string, len(r))
		for j, v := range r {
			parts[j] = schema.Ident(cols[j]) + "=" + showValue(v)
		}
		out[i] = "(" + strings.Join(parts, ", ") + ")"
	}
	return out
}

// showValue renders a value for messages: NULL, or a quoted literal cut to
// a readable length.
func showValue(v *string) string {
	if v == nil {
		return "NULL"
	}
	s := *v
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + fmt.Sprintf("…(%d chars)", len(r))
	}
	return schema.Literal(s)
}

func showValues(vs []string) string {
	if len(vs) == 0 {
		return "[]"
	}
	if len(vs) > maxReported {
		return "[" + strings.Join(vs[:maxReported], ", ") + fmt.Sprintf(", ... %d more]", len(vs)-maxReported)
	}
	return "[" + strings.Join(vs, ", ") + "]"
}

// multisetDiff returns the elements of a missing from b and those of b
// missing from a, counting duplicates, in their order.
func multisetDiff(a, b []string) (onlyA, onlyB []string) {
	count := map[string]int{}
	for _, s := range b {
		count[s]++
	}
	for _, s := range a {
		if count[s] > 0 {
			count[s]--
			continue
		}
		onlyA = append(onlyA, s)
	}
	count = map[string]int{}
	for _, s := range a {
		count[s]++
	}
	for _, s := range b {
		if count[s] > 0 {
			count[s]--
			continue
		}
		onlyB = append(onlyB, s)
	}
	return onlyA, onlyB
}

// runCheck runs check.sql on the work database and compares its output
// with expected.txt.
func runCheck(ctx context.Context, work string, f *dataFiles) error {
	conn, err := pipeline.Connect(ctx, work)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	mrr := conn.PgConn().Exec(ctx, string(f.check))
	var got []string
	for mrr.NextResult() {
		rr := mrr.ResultReader()
		for rr.NextRow() {
			fields := make([]string, len(rr.Values()))
			for i, v := range rr.Values() {
				if v == nil {
					fields[i] = "<null>"
				} else {
					fields[i] = string(v)
				}
			}
			got = append(got, strings.Join(fields, "|"))
		}
		if _, err := rr.Close(); err != nil {
			mrr.Close() //nolint:errcheck // the first error is reported
			return fmt.Errorf("running %s: %w", CheckFile, err)
		}
	}
	if err := mrr.Close(); err != nil {
		return fmt.Errorf("running %s: %w", CheckFile, err)
	}
	want := strings.Split(strings.TrimSuffix(string(bytes.ReplaceAll(f.expected, []byte("\r\n"), []byte("\n"))), "\n"), "\n")
	if len(f.expected) == 0 {
		want = nil
	}
	gotText := strings.Join(got, "\n")
	// Output lines may themselves hold newlines: compare whole texts.
	if gotText == strings.Join(want, "\n") {
		return nil
	}
	var diffs []string
	gotLines := strings.Split(gotText, "\n")
	for i := 0; i < max(len(want), len(gotLines)) && len(diffs) < maxReported; i++ {
		w, g := "(none)", "(none)"
		if i < len(want) {
			w = want[i]
		}
		if i < len(gotLines) {
			g = gotLines[i]
		}
		if w != g {
			diffs = append(diffs, fmt.Sprintf("line %d: want %q, got %q", i+1, w, g))
		}
	}
	return fmt.Errorf("%s output differs from %s:\n  %s", CheckFile, ExpectedFile, strings.Join(diffs, "\n  "))
}
