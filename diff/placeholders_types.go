package diff

// collations diffs user-defined collations.
func (d *differ) collations() {}

// domains diffs domain types.
func (d *differ) domains() {}

// composites diffs standalone composite types.
func (d *differ) composites() {}
