package pgparse

import (
	"fmt"

	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// SplitLeakproof splits a CREATE FUNCTION marked LEAKPROOF into the same
// statement without the mark and the ALTER FUNCTION that marks it; ok is
// false for any other statement, and for text that does not parse.
func SplitLeakproof(sql string) (create, alter string, ok bool, err error) {
	tree, err := Parse(sql)
	if err != nil || len(tree.Stmts) != 1 {
		return "", "", false, nil // the server reports what is wrong with it
	}
	fn := tree.Stmts[0].Stmt.GetCreateFunctionStmt()
	if fn == nil || fn.IsProcedure {
		return "", "", false, nil
	}
	kept := fn.Options[:0:0]
	marked := false
	for _, o := range fn.Options {
		if d := o.GetDefElem(); d != nil && d.Defname == "leakproof" {
			marked = d.GetArg().GetBoolean().GetBoolval()
			continue
		}
		kept = append(kept, o)
	}
	if !marked {
		return "", "", false, nil
	}
	fn.Options = kept
	if create, err = Deparse(tree); err != nil {
		return "", "", false, fmt.Errorf("writing CREATE FUNCTION without LEAKPROOF: %w", err)
	}
	sig := &pg_query.ObjectWithArgs{Objname: fn.Funcname}
	for _, p := range fn.Parameters {
		fp := p.GetFunctionParameter()
		switch fp.GetMode() {
		case pg_query.FunctionParameterMode_FUNC_PARAM_OUT, pg_query.FunctionParameterMode_FUNC_PARAM_TABLE:
			continue
		}
		sig.Objargs = append(sig.Objargs, &pg_query.Node{Node: &pg_query.Node_TypeName{TypeName: fp.ArgType}})
	}
	alterTree := &pg_query.ParseResult{Stmts: []*pg_query.RawStmt{{Stmt: &pg_query.Node{
		Node: &pg_query.Node_AlterFunctionStmt{AlterFunctionStmt: &pg_query.AlterFunctionStmt{
			Objtype: pg_query.ObjectType_OBJECT_FUNCTION,
			Func:    sig,
			Actions: []*pg_query.Node{pg_query.MakeSimpleDefElemNode("leakproof",
				&pg_query.Node{Node: &pg_query.Node_Boolean{Boolean: &pg_query.Boolean{Boolval: true}}}, -1)},
		}},
	}}}}
	if alter, err = Deparse(alterTree); err != nil {
		return "", "", false, fmt.Errorf("writing ALTER FUNCTION ... LEAKPROOF: %w", err)
	}
	return create, alter, true, nil
}

// LeakproofTypesOnly returns an ALTER FUNCTION whose only action is
// LEAKPROOF (true) written again with the argument types only (no modes or
// names, which regprocedure does not read); ok is false for any other
// statement.
func LeakproofTypesOnly(n *pg_query.Node) (string, bool) {
	alter := n.GetAlterFunctionStmt()
	if alter == nil || alter.Objtype != pg_query.ObjectType_OBJECT_FUNCTION || len(alter.Actions) != 1 {
		return "", false
	}
	d := alter.Actions[0].GetDefElem()
	if d.GetDefname() != "leakproof" || !d.GetArg().GetBoolean().GetBoolval() {
		return "", false
	}
	if alter.Func.GetArgsUnspecified() {
		return "", false // the server resolves a name without arguments
	}
	// Argument types only: regprocedure reads no modes or names.
	typesOnly := &pg_query.AlterFunctionStmt{
		Objtype: alter.Objtype,
		Func:    &pg_query.ObjectWithArgs{Objname: alter.Func.GetObjname(), Objargs: alter.Func.GetObjargs()},
		Actions: alter.Actions,
	}
	text, err := Deparse(&pg_query.ParseResult{Stmts: []*pg_query.RawStmt{{Stmt: &pg_query.Node{
		Node: &pg_query.Node_AlterFunctionStmt{AlterFunctionStmt: typesOnly}}}}})
	if err != nil {
		return "", false
	}
	return text, true
}
