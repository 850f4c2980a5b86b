// Package dag orders changes so that every change runs after the changes it
// depends on. It works only on what changes state about themselves (object
// identities, operations, aspects, dependencies, whether a statement commits
// first); it never looks at SQL. The order among changes that dependencies
// leave free is the rank policy of rank.go.
package dag

import (
	"cmp"
	"container/heap"
	"slices"
	"strings"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"

	"github.com/schemadiff/schemadiff/diff"
	"github.com/schemadiff/schemadiff/schema"
)

// CycleError is returned when dependencies form a cycle. Cycle lists the
// changes of one cycle in dependency order: each must run before the next,
// and the last before the first.
type CycleError struct {
	Cycle []diff.Change
}

// Error names every change of the cycle, closing the loop, e.g.
// "dependency cycle: create view public.a -> create view public.b -> create view public.a".
func (e *CycleError) Error() string {
	var b strings.Builder
	b.WriteString("dependency cycle: ")
	for i, c := range e.Cycle {
		if i > 0 {
			b.WriteString(" -> ")
		}
		b.WriteString(describe(c))
	}
	if len(e.Cycle) > 0 {
		b.WriteString(" -> ")
		b.WriteString(describe(e.Cycle[0]))
	}
	return b.String()
}

func describe(c diff.Change) string {
	return string(c.Op) + " " + c.Object.String()
}

// Order returns the changes in an order that respects their dependencies.
// Among changes whose dependencies are satisfied, the one with the lowest
// rank (see ranks) runs first, then the one that comes first in the input. The same
// input always gives the same output. The input slice is not modified.
//
// A change B that creates or alters its object runs after every create or
// alter of an object in B.Requires. A drop A runs before every drop or alter
// of an object in A.Requires. A requirement on a column or constraint that
// no change touches falls back to the change of its owning table. A drop of
// an object runs before a create of the same object, a schema is created
// before the objects created or altered in it, and dropped after the objects
// dropped from it. A change also runs after the changes its After field
// names, when they are in the input.
func Order(changes []diff.Change) ([]diff.Change, error) {
	g := build(changes)

	indeg := make([]int, len(changes))
	q := &queue{ranks: make([]rank, len(changes))}
	for i, c := range changes {
		q.ranks[i] = rankOf(c)
		indeg[i] = g.To(int64(i)).Len()
		if indeg[i] == 0 {
			q.items = append(q.items, i)
		}
	}
	heap.Init(q)

	out := make([]diff.Change, 0, len(changes))
	for q.Len() > 0 {
		i := heap.Pop(q).(int)
		out = append(out, changes[i])
		succ := g.From(int64(i))
		for succ.Next() {
			j := succ.Node().ID()
			indeg[j]--
			if indeg[j] == 0 {
				heap.Push(q, int(j))
			}
		}
	}
	if len(out) < len(changes) {
		return nil, &CycleError{Cycle: findCycle(g, changes)}
	}
	return out, nil
}

// build returns the dependency graph: node IDs are input indices and an edge
// u→v means changes[u] must run before changes[v].
func build(changes []diff.Change) *simple.DirectedGraph {
	g := simple.NewDirectedGraph()
	for i := range changes {
		g.AddNode(simple.Node(int64(i)))
	}
	edge := func(from, to int) {
		if from == to || g.HasEdgeFromTo(int64(from), int64(to)) {
			return
		}
		g.SetEdge(g.NewEdge(simple.Node(int64(from)), simple.Node(int64(to))))
	}

	byObject := map[schema.ID][]int{}
	bySchema := map[string][]int{}
	for i, c := range changes {
		byObject[c.Object] = append(byObject[c.Object], i)
		if c.Object.Schema != "" {
			bySchema[c.Object.Schema] = append(bySchema[c.Object.Schema], i)
		}
	}
	// touching returns the changes to x, or to x's owning table when x is a
	// table-owned object that no change touches.
	touching := func(x schema.ID) []int {
		if idx := byObject[x]; len(idx) > 0 || x.Table == "" {
			return idx
		}
		return byObject[schema.ID{Kind: schema.KindTable, Schema: x.Schema, Name: x.Table}]
	}
	isBuild := func(op diff.Op) bool { return op == diff.OpCreate || op == diff.OpAlter }
	isTakeDown := func(op diff.Op) bool { return op == diff.OpDrop || op == diff.OpAlter }

	for b, c := range changes {
		switch {
		case isBuild(c.Op):
			// Rule 1: what B requires is created or altered first.
			for _, x := range c.Requires {
				for _, a := range touching(x) {
					if isBuild(changes[a].Op) {
						edge(a, b)
					}
				}
			}
		case c.Op == diff.OpDrop:
			// Rule 2: a drop runs before the drop or alteration of what it
			// depended on.
			for _, x := range c.Requires {
				for _, t := range touching(x) {
					if isTakeDown(changes[t].Op) {
						edge(b, t)
					}
				}
			}
		}

		// Explicit ordering named by the change itself.
		for _, r := range c.After {
			for _, a := range byObject[r.Object] {
				if changes[a].Op == r.Op {
					edge(a, b)
				}
			}
		}

		// Rule 3: a recreate drops before it creates.
		if c.Op == diff.OpCreate {
			for _, a := range byObject[c.Object] {
				if changes[a].Op == diff.OpDrop {
					edge(a, b)
				}
			}
		}

		// Rule 4: schemas exist before their contents and outlive them.
		if c.Object.Kind == schema.KindSchema {
			for _, o := range bySchema[c.Object.Name] {
				switch {
				case c.Op == diff.OpCreate && isBuild(changes[o].Op):
					edge(b, o)
				case c.Op == diff.OpDrop && changes[o].Op == diff.OpDrop:
					edge(o, b)
				}
			}
		}
	}
	return g
}

// findCycle returns the changes of one cycle of g, in edge order. It picks
// the strongly connected component holding the lowest input index and the
// shortest cycle through that index, so the result is deterministic.
func findCycle(g *simple.DirectedGraph, changes []diff.Change) []diff.Change {
	start := int64(-1)
	var members map[int64]bool
	for _, scc := range topo.TarjanSCC(g) {
		if len(scc) < 2 { // self-edges are never added
			continue
		}
		lowest := slices.MinFunc(scc, func(a, b graph.Node) int {
			return cmp.Compare(a.ID(), b.ID())
		}).ID()
		if start < 0 || lowest < start {
			start = lowest
			members = make(map[int64]bool, len(scc))
			for _, n := range scc {
				members[n.ID()] = true
			}
		}
	}
	if start < 0 {
		return nil
	}

	// Breadth-first search from start, inside the component, until an edge
	// leads back to start.
	parent := map[int64]int64{start: -1}
	frontier := []int64{start}
	for len(frontier) > 0 {
		var next []int64
		for _, u := range frontier {
			for _, v := range successors(g, u) {
				if v == start {
					var path []int64
					for n := u; n >= 0; n = parent[n] {
						path = append(path, n)
					}
					slices.Reverse(path)
					cycle := make([]diff.Change, len(path))
					for i, n := range path {
						cycle[i] = changes[n]
					}
					return cycle
				}
				if _, seen := parent[v]; seen || !members[v] {
					continue
				}
				parent[v] = u
				next = append(next, v)
			}
		}
		frontier = next
	}
	return nil // unreachable: start lies on a cycle within its component
}

func successors(g *simple.DirectedGraph, u int64) []int64 {
	var ids []int64
	it := g.From(u)
	for it.Next() {
		ids = append(ids, it.Node().ID())
	}
	slices.Sort(ids)
	return ids
}

// queue is a min-heap of input indices ordered by rank, then index.
type queue struct {
	ranks []rank // by input index
	items []int
}

func (q *queue) Len() int { return len(q.items) }

func (q *queue) Less(i, j int) bool {
	a, b := q.items[i], q.items[j]
	if ra, rb := q.ranks[a], q.ranks[b]; ra != rb {
		return ra < rb
	}
	return a < b
}

func (q *queue) Swap(i, j int) { q.items[i], q.items[j] = q.items[j], q.items[i] }

func (q *queue) Push(x any) { q.items = append(q.items, x.(int)) }

func (q *queue) Pop() any {
	n := len(q.items) - 1
	x := q.items[n]
	q.items = q.items[:n]
	return x
}
