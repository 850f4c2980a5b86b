package pipeline

import (
	"fmt"
	"sort"

	"github.com/schemadiff/schemadiff/schema"
)

// Unanalysed describes, once each and sorted, the functions of either
// catalog whose body could not be analysed (a body too deep to parse
// safely, one that does not parse, one in a language schemadiff does not
// read): the objects they use are unknown, and the plan's changes to them
// carry an untracked-dependency hazard.
func Unanalysed(cats ...*schema.Catalog) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range cats {
		for _, id := range schema.SortedIDs(c.Functions) {
			f := c.Functions[id]
			if !f.UntrackedDeps {
				continue
			}
			why := ""
			if f.UntrackedReason != "" {
				why = " (" + f.UntrackedReason + ")"
			}
			s := fmt.Sprintf("the body of %s could not be analysed%s: the objects it uses are unknown, and changes to it carry an untracked-dependency hazard", id, why)
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	sort.Strings(out)
	return out
}
