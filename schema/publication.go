package schema

// Publication is a publication for logical replication (CREATE
// PUBLICATION). The tables it lists are PublicationTables of their own,
// each with its column list and row filter. Its owner is not modelled, as
// no object's owner is.
type Publication struct {
	Name string
	// AllTables is FOR ALL TABLES.
	AllTables bool
	// Schemas are the schemas of FOR TABLES IN SCHEMA, sorted.
	Schemas []string
	// Tables are the tables listed one by one (FOR TABLE), sorted.
	Tables []*PublicationTable
	// Publish are the operations it publishes (publish = '...'), in
	// PostgreSQL's order: insert, update, delete, truncate.
	Publish PublishOps
	// ViaPartitionRoot is publish_via_partition_root.
	ViaPartitionRoot bool
	Comment          string
}

// ID returns the publication's identity.
func (p *Publication) ID() ID { return ID{Kind: KindPublication, Name: p.Name} }

// PublishOps are the operations a publication publishes.
type PublishOps struct {
	Insert, Update, Delete, Truncate bool
}

// String spells the operations as the publish option takes them, e.g.
// "insert, update".
func (o PublishOps) String() string {
	var out string
	for _, op := range []struct {
		on   bool
		name string
	}{{o.Insert, "insert"}, {o.Update, "update"}, {o.Delete, "delete"}, {o.Truncate, "truncate"}} {
		if !op.on {
			continue
		}
		if out != "" {
			out += ", "
		}
		out += op.name
	}
	return out
}

// PublicationTable is one table a publication lists, with the columns it
// publishes and the rows.
type PublicationTable struct {
	Publication string
	Table       QName
	// Columns is the column list in the table's column order; none means
	// every column.
	Columns []string
	// Where is pg_get_expr of the row filter, or "".
	Where string
	// Deps are the table, the columns of the column list and those the
	// row filter uses.
	Deps []ID
}

// ID returns the membership's identity: the table and the publication.
func (m *PublicationTable) ID() ID {
	return ID{Kind: KindPublicationMembership, Schema: m.Table.Schema, Table: m.Table.Name, Name: m.Publication}
}
