package pgparse

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// RefKind says what a reference found by References names.
type RefKind int

// The kinds of reference.
const (
	// RefRelation is a relation a query reads or writes (FROM, JOIN,
	// INSERT INTO, UPDATE, ...).
	RefRelation RefKind = iota + 1
	// RefType is a type name, except those qualified with pg_catalog; for
	// tbl.col%TYPE it is tbl.
	RefType
	// RefFunction is a called function or procedure.
	RefFunction
	// RefSequenceText is a string constant given to nextval, currval or
	// setval first: the text of a sequence's name.
	RefSequenceText
	// RefRegclassText is a string constant cast to regclass: the text of a
	// relation's name.
	RefRegclassText
)

// Ref is a name a statement refers to.
type Ref struct {
	Kind RefKind
	// Names are the dotted parts of the name as the tree holds them
	// (unqualified names have one part); for RefSequenceText and
	// RefRegclassText, nil.
	Names []string
	// Text is the string constant of RefSequenceText and RefRegclassText,
	// as written inside the quotes.
	Text string
}

// References parses sql and returns the names its statements refer to, in
// the order the parse tree holds them.
func References(sql string) ([]Ref, error) {
	tree, err := Parse(sql)
	if err != nil {
		return nil, err
	}
	var refs []Ref
	WalkMessages(tree.ProtoReflect(), func(m protoreflect.Message) {
		refs = append(refs, nodeRefs(m)...)
	})
	return refs, nil
}

// nodeRefs returns the references one parse node makes by itself.
func nodeRefs(m protoreflect.Message) []Ref {
	switch x := m.Interface().(type) {
	case *pg_query.RangeVar:
		return []Ref{{Kind: RefRelation, Names: compactName(x.Schemaname, x.Relname)}}
	case *pg_query.TypeName:
		names := stringNodes(x.Names)
		if x.PctType && len(names) > 1 {
			names = names[:len(names)-1] // tbl.col%TYPE refers to tbl
		}
		if len(names) > 0 && names[0] != "pg_catalog" {
			return []Ref{{Kind: RefType, Names: names}}
		}
	case *pg_query.FuncCall:
		names := stringNodes(x.Funcname)
		if len(names) == 0 {
			return nil
		}
		refs := []Ref{{Kind: RefFunction, Names: names}}
		switch names[len(names)-1] {
		case "nextval", "currval", "setval":
			if len(x.Args) > 0 {
				if s, ok := x.Args[0].GetAConst().GetVal().(*pg_query.A_Const_Sval); ok {
					refs = append(refs, Ref{Kind: RefSequenceText, Text: s.Sval.GetSval()})
				}
			}
		}
		return refs
	case *pg_query.TypeCast:
		s, ok := x.GetArg().GetAConst().GetVal().(*pg_query.A_Const_Sval)
		if !ok || x.TypeName == nil {
			return nil
		}
		tn := stringNodes(x.TypeName.Names)
		if len(tn) > 0 && tn[len(tn)-1] == "regclass" {
			return []Ref{{Kind: RefRegclassText, Text: s.Sval.GetSval()}}
		}
	}
	return nil
}

// compactName returns the parts of a possibly qualified name.
func compactName(schemaName, name string) []string {
	if schemaName == "" {
		return []string{name}
	}
	return []string{schemaName, name}
}

// stringNodes returns the string values of a name list.
func stringNodes(nodes []*pg_query.Node) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		if s := n.GetString_(); s != nil {
			out = append(out, s.Sval)
		}
	}
	return out
}
