package introspect

import (
	"fmt"

	"github.com/schemadiff/schemadiff/internal/pgparse"
	"github.com/schemadiff/schemadiff/schema"
)

// setIndexDefinition fills the structure of index ix from def, the text of
// pg_get_indexdef.
func setIndexDefinition(ix *schema.Index, def string) error {
	p, err := pgparse.ParseIndexDef(def)
	if err != nil {
		return fmt.Errorf("reading index %s: %w", ix.QName, err)
	}
	ix.Unique, ix.Only, ix.Method = p.Unique, p.Only, p.Method
	ix.Keys, ix.Include, ix.NullsNotDistinct, ix.With, ix.Where = p.Keys, p.Include, p.NullsNotDistinct, p.With, p.Where
	return nil
}
