package schema

import "testing"

func TestDefaultACLObjects(t *testing.T) {
	for code, want := range map[string]string{"r": "TABLES", "S": "SEQUENCES", "f": "FUNCTIONS", "T": "TYPES", "n": "SCHEMAS", "L": "", "": ""} {
		if got := DefaultACLObjectsOfCode(code); got != want {
			t.Errorf("DefaultACLObjectsOfCode(%q) = %q, want %q", code, got, want)
		}
	}
	for kind, want := range map[Kind]string{
		KindTable: "TABLES", KindView: "TABLES", KindMaterializedView: "TABLES", KindSequence: "SEQUENCES",
		KindFunction: "FUNCTIONS", KindProcedure: "FUNCTIONS", KindAggregate: "FUNCTIONS",
		KindEnum: "TYPES", KindDomain: "TYPES", KindCompositeType: "TYPES", KindRangeType: "TYPES",
		KindSchema: "SCHEMAS", KindIndex: "", KindColumn: "", KindTrigger: "",
	} {
		if got := DefaultACLObjectsOfKind(kind); got != want {
			t.Errorf("DefaultACLObjectsOfKind(%s) = %q, want %q", kind, got, want)
		}
	}
}
