package pgparse

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// PlpgsqlParts returns the SQL statements embedded in a PL/pgSQL parse
// tree (JSON from ParsePlpgsql), made parseable on their
// own, and the declared types of its variables, in a stable order.
func PlpgsqlParts(tree string) (queries, types []string, err error) {
	var v any
	if err := json.Unmarshal([]byte(tree), &v); err != nil {
		return nil, nil, fmt.Errorf("reading PL/pgSQL parse tree: %w", err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			if e, ok := x["PLpgSQL_expr"].(map[string]any); ok {
				q, _ := e["query"].(string)
				mode, _ := e["parseMode"].(float64)
				if s := plpgsqlStatement(q, int(mode)); s != "" {
					queries = append(queries, s)
				}
			}
			if t, ok := x["PLpgSQL_type"].(map[string]any); ok {
				if name, _ := t["typname"].(string); strings.TrimSpace(name) != "" && name != "UNKNOWN" {
					types = append(types, name)
				}
			}
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				walk(x[k])
			}
		}
	}
	walk(v)
	return queries, types, nil
}

// plpgsqlStatement turns a PL/pgSQL expression into a statement according
// to its parse mode (PostgreSQL's RawParseMode).
func plpgsqlStatement(q string, mode int) string {
	switch mode {
	case 0: // a whole statement
		return q
	case 1: // a type name
		return "SELECT NULL::" + q
	case 2: // an expression
		return "SELECT " + q
	case 3, 4, 5: // an assignment "target := expr"
		if i := strings.Index(q, ":="); i >= 0 {
			return "SELECT " + q[i+2:]
		}
		if i := strings.Index(q, "="); i >= 0 {
			return "SELECT " + q[i+1:]
		}
	}
	return ""
}
