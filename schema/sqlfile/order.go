package sqlfile

import (
	"container/heap"
	"iter"
	"slices"
	"strings"

	"github.com/schemadiff/schemadiff/internal/pgparse"
)

// Edge strengths of the ordering graph. When the statements form a cycle,
// the weakest edges among them are given up first.
const (
	// edgeChain keeps the written order of non-CREATE statements.
	edgeChain = iota + 1
	// edgeSoft orders by references PostgreSQL does not check at creation
	// (PL/pgSQL bodies), and by the placement rules for extensions,
	// privileges, and ALTERs adding columns.
	edgeSoft
	// edgeHard orders by references that must exist.
	edgeHard
)

// Order returns the statements in an order in which every
// statement comes after the statements that create what it references: a
// view may be written before its table, a foreign key may name a table of a
// later file. The ordering is stable and deterministic: where no dependency
// says otherwise, statements keep their written order.
//
// Beyond the references themselves:
//   - SET statements (and SELECT set_config(...)) come first, in written
//     order: they configure the session for the whole load.
//   - Non-CREATE statements (ALTER, COMMENT, GRANT, DROP, ...) keep their
//     written order among themselves unless a dependency says otherwise.
//   - A DROP keeps its written place relative to statements creating what
//     it drops, so "DROP ... IF EXISTS x; CREATE x" still works.
//   - A statement using a relation comes after the ALTER TABLE statements
//     that add or rename its columns, since it may use them.
//   - CREATE EXTENSION comes before every statement other than the
//     creation of schemas, roles and other extensions, since extensions
//     provide types and functions that cannot be seen from here.
//   - ALTER DEFAULT PRIVILEGES comes before the CREATE statements (other
//     than schemas, roles and extensions), so that it applies to them;
//     GRANT or REVOKE ... ON ALL ... IN SCHEMA s comes after every CREATE
//     in s, so that it covers them.
//
// When statements reference each other in a cycle, the weakest orderings
// involved are given up first (written order of non-CREATE statements, then
// PL/pgSQL body references and extension placement); a cycle of required
// references keeps the written order of its statements, and the database
// reports the real problem.
func Order(stmts []Statement) []Statement {
	if isScript(stmts) {
		return slices.Clone(stmts)
	}
	out := make([]Statement, 0, len(stmts))
	var rest []int
	for i, s := range stmts {
		if s.Kind == StmtSet {
			out = append(out, s)
		} else {
			rest = append(rest, i)
		}
	}
	g := buildOrderGraph(stmts, rest)
	for _, i := range g.order(rest, edgeChain) {
		out = append(out, stmts[i])
	}
	return out
}

// orderGraph holds edges between statement indexes with their strengths.
// Edges are gathered by add, then indexed by index.
type orderGraph struct {
	edges []orderEdge
	// succ lists, by statement index, the edges from it sorted by target,
	// one per target with the greatest strength added.
	succ [][]orderEdge
}

type orderEdge struct{ from, to, strength int }

func (g *orderGraph) add(from, to, strength int) {
	if from == to {
		return
	}
	g.edges = append(g.edges, orderEdge{from, to, strength})
}

// index builds succ for n statements from the edges added.
func (g *orderGraph) index(n int) {
	slices.SortFunc(g.edges, func(a, b orderEdge) int {
		if a.from != b.from {
			return a.from - b.from
		}
		if a.to != b.to {
			return a.to - b.to
		}
		return b.strength - a.strength
	})
	g.edges = slices.CompactFunc(g.edges, func(a, b orderEdge) bool { return a.from == b.from && a.to == b.to })
	g.succ = make([][]orderEdge, n)
	for i := 0; i < len(g.edges); {
		j := i
		for j < len(g.edges) && g.edges[j].from == g.edges[i].from {
			j++
		}
		g.succ[g.edges[i].from] = g.edges[i:j]
		i = j
	}
}

// providerIndex lists by name the statements that provide it, most
// names by one statement, which is kept without a slice of its own.
type providerIndex map[string]providers

type providers struct {
	first int
	more  []int
}

func (x providerIndex) add(name string, i int) {
	if p, ok := x[name]; ok {
		if p.more == nil {
			p.more = []int{p.first}
		}
		p.more = append(p.more, i)
		x[name] = p
		return
	}
	x[name] = providers{first: i}
}

// of yields the statements that provide name, in the order added.
func (x providerIndex) of(name string) iter.Seq[int] {
	return func(yield func(int) bool) {
		p, ok := x[name]
		switch {
		case !ok:
		case p.more == nil:
			yield(p.first)
		default:
			for _, i := range p.more {
				if !yield(i) {
					return
				}
			}
		}
	}
}

// buildOrderGraph adds the edges between the statements at indexes nodes
// (ascending).
func buildOrderGraph(stmts []Statement, nodes []int) *orderGraph {
	g := &orderGraph{}
	n := 0
	for _, i := range nodes {
		n += len(stmts[i].Provides)
	}
	providers := make(providerIndex, n)
	for _, i := range nodes {
		for _, p := range stmts[i].Provides {
			providers.add(p, i)
		}
	}
	for _, i := range nodes {
		s := stmts[i]
		soft := softReferences(s)
		for _, r := range s.References {
			strength := edgeHard
			if soft[r] {
				strength = edgeSoft
			}
			for p := range providers.of(r) {
				switch {
				case s.Kind == StmtDrop && p > i:
					g.add(i, p, edgeHard)
				default:
					g.add(p, i, strength)
				}
			}
			// Using a relation may mean using columns added or renamed
			// by ALTER TABLE (in a view, an index expression, ...).
			if s.Kind != StmtDrop && !slices.Contains(s.Provides, "columns:"+r) {
				for p := range providers.of("columns:" + r) {
					g.add(p, i, edgeSoft)
				}
			}
		}
	}
	prev := -1
	for _, i := range nodes {
		if stmts[i].Kind == StmtCreate {
			continue
		}
		if prev >= 0 {
			g.add(prev, i, edgeChain)
		}
		prev = i
	}
	for _, e := range nodes {
		extension := stmts[e].Kind == StmtCreate && providesPrefix(stmts[e], "ext:")
		allIn, defaults := grantScope(stmts[e])
		if !extension && !defaults && len(allIn) == 0 {
			continue
		}
		for _, j := range nodes {
			if j == e || stmts[j].Kind == StmtDrop || foundational(stmts[j]) {
				continue
			}
			switch {
			case len(allIn) > 0:
				// GRANT ... ON ALL TABLES IN SCHEMA s covers only what
				// exists: it comes after everything created in s.
				if stmts[j].Kind == StmtCreate && providesIn(stmts[j], allIn) {
					g.add(j, e, edgeSoft)
				}
			case extension && !references(stmts[e], stmts[j]),
				defaults && stmts[j].Kind == StmtCreate && !references(stmts[e], stmts[j]) && !providesPrefix(stmts[j], "ext:"):
				g.add(e, j, edgeSoft)
			}
		}
	}
	g.index(len(stmts))
	return g
}

// grantScope tells whether s is a GRANT or REVOKE on all objects of some
// schemas (and which), or ALTER DEFAULT PRIVILEGES.
func grantScope(s Statement) (allInSchemas []string, defaults bool) {
	if s.Kind != StmtGrant {
		return nil, false
	}
	if s.orderingRead {
		return s.ordering.allIn, s.ordering.defaults
	}
	tree, err := pgparse.Parse(s.SQL)
	if err != nil || len(tree.Stmts) != 1 {
		return nil, false
	}
	return grantScopeOf(tree.Stmts[0].Stmt)
}

// grantScopeOf is grantScope reading the parse tree of the statement.
func grantScopeOf(n *pgparse.Node) (allInSchemas []string, defaults bool) {
	if n.GetAlterDefaultPrivilegesStmt() != nil {
		return nil, true
	}
	if g := n.GetGrantStmt(); g != nil && g.Targtype == pgparse.GrantTargetType_ACL_TARGET_ALL_IN_SCHEMA {
		return stringList(g.Objects), false
	}
	return nil, false
}

// providesIn reports whether s creates a relation, type or function in one
// of the schemas.
func providesIn(s Statement, schemas []string) bool {
	for _, p := range s.Provides {
		for _, sch := range schemas {
			if strings.HasPrefix(p, sch+".") {
				return true
			}
		}
	}
	return false
}

// softReferences returns the references of a function that only its
// PL/pgSQL body makes.
func softReferences(s Statement) map[string]bool {
	if !isRoutine(s.Kind, s.Object) {
		return nil
	}
	refs := s.ordering.soft
	if !s.orderingRead {
		tree, err := pgparse.Parse(s.SQL)
		if err != nil || len(tree.Stmts) != 1 {
			return nil
		}
		refs = analyze(tree.Stmts[0].Stmt, s.SQL).soft
	}
	soft := map[string]bool{}
	for _, r := range refs {
		soft[r] = true
	}
	return soft
}

// isRoutine reports whether a statement of kind creating object creates
// a function or procedure.
func isRoutine(kind StatementKind, object string) bool {
	return kind == StmtCreate && (strings.HasPrefix(object, "function ") || strings.HasPrefix(object, "procedure "))
}

func providesPrefix(s Statement, prefix string) bool {
	return slices.ContainsFunc(s.Provides, func(p string) bool { return strings.HasPrefix(p, prefix) })
}

// foundational reports whether s only creates schemas, roles or extensions.
func foundational(s Statement) bool {
	if s.Kind != StmtCreate || len(s.Provides) == 0 {
		return false
	}
	for _, p := range s.Provides {
		if !strings.HasPrefix(p, "schema:") && !strings.HasPrefix(p, "role:") && !strings.HasPrefix(p, "ext:") {
			return false
		}
	}
	return true
}

// references reports whether a references anything b provides.
func references(a, b Statement) bool {
	for _, p := range b.Provides {
		if slices.Contains(a.References, p) {
			return true
		}
	}
	return false
}

// order sorts nodes (ascending indexes) topologically by the edges of at
// least the given strength, preferring the lowest index among the ready
// nodes. Strongly connected groups are ordered by their lowest index and
// sorted inside by the next stronger edges, down to written order.
func (g *orderGraph) order(nodes []int, minStrength int) []int {
	if len(nodes) <= 1 || minStrength > edgeHard {
		return nodes
	}
	in := make([]bool, len(g.succ))
	for _, n := range nodes {
		in[n] = true
	}
	succ := func(n int) []int {
		var out []int
		for _, e := range g.succ[n] {
			if e.strength >= minStrength && in[e.to] {
				out = append(out, e.to)
			}
		}
		return out
	}
	comps := stronglyConnected(len(g.succ), nodes, succ)
	compOf := make([]int, len(g.succ))
	for ci, c := range comps {
		for _, n := range c {
			compOf[n] = ci
		}
	}
	indeg := make([]int, len(comps))
	next := make([][]int, len(comps))
	for ci, c := range comps {
		seen := map[int]bool{}
		for _, n := range c {
			for _, to := range succ(n) {
				if cj := compOf[to]; cj != ci && !seen[cj] {
					seen[cj] = true
					next[ci] = append(next[ci], cj)
					indeg[cj]++
				}
			}
		}
	}
	ready := &compHeap{comps: comps}
	for ci := range comps {
		if indeg[ci] == 0 {
			heap.Push(ready, ci)
		}
	}
	out := make([]int, 0, len(nodes))
	for ready.Len() > 0 {
		ci := heap.Pop(ready).(int)
		if len(comps[ci]) == 1 {
			out = append(out, comps[ci]...)
		} else {
			out = append(out, g.order(comps[ci], minStrength+1)...)
		}
		for _, cj := range next[ci] {
			if indeg[cj]--; indeg[cj] == 0 {
				heap.Push(ready, cj)
			}
		}
	}
	return out
}

// stronglyConnected returns the strongly connected components of the graph
// of nodes, each less than n (Tarjan's algorithm), each sorted ascending.
func stronglyConnected(n int, nodes []int, succ func(int) []int) [][]int {
	index := make([]int, n) // 1 + the visiting order, 0 when not visited
	low := make([]int, n)
	onStack := make([]bool, n)
	visited := 0
	var stack []int
	var comps [][]int
	var connect func(v int)
	connect = func(v int) {
		visited++
		index[v] = visited
		low[v] = index[v]
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range succ(v) {
			if index[w] == 0 {
				connect(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			var c []int
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				c = append(c, w)
				if w == v {
					break
				}
			}
			slices.Sort(c)
			comps = append(comps, c)
		}
	}
	for _, v := range nodes {
		if index[v] == 0 {
			connect(v)
		}
	}
	return comps
}

// compHeap is a min-heap of component numbers by their lowest node.
type compHeap struct {
	comps [][]int
	items []int
}

func (h *compHeap) Len() int           { return len(h.items) }
func (h *compHeap) Less(i, j int) bool { return h.comps[h.items[i]][0] < h.comps[h.items[j]][0] }
func (h *compHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *compHeap) Push(x any)         { h.items = append(h.items, x.(int)) }
func (h *compHeap) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}

// isScript reports whether the statements define something twice (CREATE,
// then DROP and CREATE again, or CREATE OR REPLACE of what an earlier
// statement created), drop a column (which a later statement may add
// again) or change data (which acts on what the statements before it
// made): they are then a script whose written order is its meaning, and
// are run as written.
func isScript(stmts []Statement) bool {
	n := 0
	for _, s := range stmts {
		n += len(s.Provides)
	}
	seen := make(map[string]bool, n)
	for _, s := range stmts {
		if s.Kind == StmtData || slices.ContainsFunc(s.Provides, func(p string) bool { return strings.HasPrefix(p, "drops-column:") }) {
			return true
		}
		if s.Kind != StmtCreate {
			continue
		}
		for _, p := range s.Provides {
			if seen[p] {
				return true
			}
			seen[p] = true
		}
	}
	return false
}
