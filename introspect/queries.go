package introspect

import (
	"context"
	"fmt"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// userSchemas is a predicate on a pg_namespace row "n": schemas that hold
// user objects.
const userSchemas = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
	AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'`

// notInternalFunction is a predicate on a pg_proc row "p": the function is
// not one PostgreSQL made for another object (the constructors of a range
// type), which goes with that object.
const notInternalFunction = `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend internal
	WHERE internal.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND internal.objid = p.oid
		AND internal.deptype = 'i')`

// notExtensionMember is a predicate on an object "oid" of catalog "class":
// the object does not belong to an extension.
func notExtensionMember(class, oid string) string {
	return fmt.Sprintf(`NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend ext
		WHERE ext.classid = '%s'::pg_catalog.regclass AND ext.objid = %s AND ext.deptype = 'e')`, class, oid)
}

// query runs sql and passes each row to scan, or passes the rows the
// second connection read for it (see lane).
func (r *reader) query(ctx context.Context, sql string, scan func(scanner) error) error {
	if j := r.lane.take(sql); j != nil {
		rows, err := j.wait(ctx)
		if err == nil {
			return rows.(*bufferedRows).replay(r.tx.Conn().TypeMap(), scan)
		}
		if ctx.Err() != nil {
			return err
		}
		// The second connection failed: read it here.
	}
	rows, err := r.tx.Query(ctx, r.reuse.sql(sql), queryMode)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (r *reader) schemas(ctx context.Context) error {
	return r.query(ctx, `SELECT n.nspname, COALESCE(pg_catalog.obj_description(n.oid, 'pg_namespace'), '')
		FROM pg_catalog.pg_namespace n
		WHERE `+userSchemas+` AND `+notExtensionMember("pg_namespace", "n.oid")+`
		ORDER BY 1`, func(rows scanner) error {
		var s schema.Schema
		if err := rows.Scan(&s.Name, &s.Comment); err != nil {
			return err
		}
		r.cat.Schemas[s.Name] = &s
		return nil
	})
}

func (r *reader) extensions(ctx context.Context) error {
	return r.query(ctx, `SELECT e.extname, n.nspname, e.extversion,
			COALESCE(pg_catalog.obj_description(e.oid, 'pg_extension'), '')
		FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
		ORDER BY 1`, func(rows scanner) error {
		var e schema.Extension
		if err := rows.Scan(&e.Name, &e.Schema, &e.Version, &e.Comment); err != nil {
			return err
		}
		r.cat.Extensions[e.Name] = &e
		return nil
	})
}

func (r *reader) enums(ctx context.Context) error {
	return r.query(ctx, `SELECT n.nspname, t.typname,
			ARRAY(SELECT e.enumlabel FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),
			COALESCE(pg_catalog.obj_description(t.oid, 'pg_type'), '')
		FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
		WHERE t.typtype = 'e' AND `+userSchemas+` AND `+notExtensionMember("pg_type", "t.oid")+`
		ORDER BY 1, 2`, func(rows scanner) error {
		var e schema.Enum
		if err := rows.Scan(&e.Schema, &e.Name, &e.Values, &e.Comment); err != nil {
			return err
		}
		r.cat.Enums[e.QName] = &e
		return nil
	})
}

// sequences reads standalone sequences; identity sequences are read with
// their columns.
func (r *reader) sequences(ctx context.Context) error {
	return r.query(ctx, `SELECT n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL),
			s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
			tn.nspname, tc.relname, ta.attname,
			COALESCE(dsc.description, ''), c.relpersistence = 'u'
		FROM pg_catalog.pg_sequence s
		JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
		JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN pg_catalog.pg_description dsc ON dsc.objoid = c.oid
			AND dsc.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dsc.objsubid = 0
		LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
			AND d.objid = c.oid AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
			AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
		LEFT JOIN pg_catalog.pg_class tc ON tc.oid = d.refobjid
		LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
		LEFT JOIN pg_catalog.pg_attribute ta ON ta.attrelid = d.refobjid AND ta.attnum = d.refobjsubid
		WHERE `+userSchemas+` AND `+notExtensionMember("pg_class", "c.oid")+`
			AND (d.deptype IS NULL OR d.deptype <> 'i')
		ORDER BY 1, 2`, func(rows scanner) error {
		var s schema.Sequence
		var tSchema, tName, tCol *string
		if err := rows.Scan(&s.Schema, &s.Name, &s.Type, &s.Start, &s.Increment, &s.Min, &s.Max,
			&s.Cache, &s.Cycle, &tSchema, &tName, &tCol, &s.Comment, &s.Unlogged); err != nil {
			return err
		}
		if tSchema != nil {
			s.OwnedBy = &schema.ColumnRef{Table: schema.QName{Schema: *tSchema, Name: *tName}, Column: *tCol}
		}
		r.cat.Sequences[s.QName] = &s
		return nil
	})
}

func (r *reader) tables(ctx context.Context) error {
	r.tableOIDs = map[uint32]*schema.Table{}
	r.allTableOIDs = TableOIDs{}
	return r.query(ctx, `SELECT c.oid, n.nspname, c.relname, c.relpersistence = 'u',
			COALESCE(dsc.description, ''),
			CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) ELSE '' END,
			CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) ELSE '' END,
			ARRAY(SELECT ARRAY[pn.nspname, pc.relname] FROM pg_catalog.pg_inherits i
				JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
				JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
				WHERE i.inhrelid = c.oid ORDER BY i.inhseqno),
			COALESCE(c.reloptions, '{}'),
			CASE c.relreplident WHEN 'f' THEN 'FULL' WHEN 'n' THEN 'NOTHING' WHEN 'i' THEN 'USING INDEX' ELSE '' END,
			COALESCE((SELECT ic.relname FROM pg_catalog.pg_index ri JOIN pg_catalog.pg_class ic ON ic.oid = ri.indexrelid
				WHERE c.relreplident = 'i' AND ri.indrelid = c.oid AND ri.indisreplident), ''),
			COALESCE((SELECT ic.relname FROM pg_catalog.pg_index ci JOIN pg_catalog.pg_class ic ON ic.oid = ci.indexrelid
				WHERE ci.indrelid = c.oid AND ci.indisclustered), '')
		FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN pg_catalog.pg_description dsc ON dsc.objoid = c.oid
			AND dsc.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dsc.objsubid = 0
		WHERE c.relkind IN ('r', 'p', 'f') AND c.reloftype = 0 AND `+userSchemas+`
			AND `+r.notHistoryTable("n.nspname", "c.relname")+`
			AND `+notExtensionMember("pg_class", "c.oid")+`
		ORDER BY 2, 3`, func(rows scanner) error {
		var oid uint32
		var parents [][]string
		var replica string
		t := &schema.Table{}
		if err := rows.Scan(&oid, &t.Schema, &t.Name, &t.Unlogged, &t.Comment, &t.PartitionKey,
			&t.PartitionBound, &parents, &t.Options, &replica, &t.ReplicaIdentity.Index, &t.ClusterOn); err != nil {
			return err
		}
		t.ReplicaIdentity.Kind = schema.ReplicaKind(replica)
		if t.ReplicaIdentity.Kind == schema.ReplicaIndex && t.ReplicaIdentity.Index == "" {
			t.ReplicaIdentity.Kind = schema.ReplicaDefault // the index is gone
		}
		if len(t.Options) == 0 {
			t.Options = nil
		}
		for _, p := range parents {
			q := schema.QName{Schema: p[0], Name: p[1]}
			if t.PartitionBound != "" {
				t.PartitionOf = &q
			} else {
				t.Inherits = append(t.Inherits, q)
			}
		}
		r.allTableOIDs[oid] = t.QName
		old, err := r.reuse.take(oid, t)
		if err != nil {
			return err
		}
		if old != nil {
			r.cat.Tables[t.QName] = old
			return nil
		}
		r.cat.Tables[t.QName] = t
		r.tableOIDs[oid] = t
		return nil
	})
}

// tableFilter restricts a query on relation "rel" to the tables read by
// tables().
const tableFilter = `(SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	WHERE c.relkind IN ('r', 'p', 'f') AND c.reloftype = 0 AND ` + userSchemas + `)`

// columnsQuery reads the columns of the tables tableFilter selects, in order.
// The attributes of the system catalogs, which tableFilter leaves out, are
// also left out as pg_attribute is read, by their oids (below
// FirstNormalObjectId, 16384, as no user table's is): otherwise the planner
// joins the types, defaults and collations of some 15,000 catalog columns
// before tableFilter drops them, most of the work on a small schema.
//
// The sequences each column default uses are read once, for the tables
// read (a join the planner could run once per column when it expects few).
const columnsQuery = `WITH seqdeps AS MATERIALIZED (
			SELECT sd.objid, array_agg(ARRAY[sn.nspname, sc.relname] ORDER BY ARRAY[sn.nspname, sc.relname]) AS names
			FROM pg_catalog.pg_depend sd
			JOIN pg_catalog.pg_class sc ON sc.oid = sd.refobjid AND sc.relkind = 'S'
			JOIN pg_catalog.pg_namespace sn ON sn.oid = sc.relnamespace
			WHERE sd.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass
				AND sd.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
				AND sd.objid IN (SELECT dd.oid FROM pg_catalog.pg_attrdef dd WHERE dd.adrelid IN ` + tableFilter + `)
			GROUP BY sd.objid)
		SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
			a.attnotnull, a.attgenerated, a.attidentity,
			COALESCE(pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), ''),
			cn.nspname, co.collname,
			COALESCE(dsc.description, ''),
			bn.nspname, bt.typname, COALESCE(seqdeps.names, '{}'),
			pg_catalog.format_type(iseq.seqtypid, NULL), iseq.seqstart, iseq.seqincrement,
			iseq.seqmin, iseq.seqmax, iseq.seqcache, iseq.seqcycle, NOT a.attislocal,
			COALESCE(a.attstattarget::int, -1),
			CASE WHEN a.attstorage <> t.typstorage THEN
				CASE a.attstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END
			ELSE '' END,
			CASE t.typstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END,
			COALESCE(a.attoptions, '{}'),
			COALESCE(isn.nspname, ''), COALESCE(isc.relname, ''), a.attnum
		FROM pg_catalog.pg_attribute a
		JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
		JOIN pg_catalog.pg_type bt ON bt.oid = CASE WHEN t.typelem <> 0 AND t.typlen = -1 THEN t.typelem ELSE t.oid END
		JOIN pg_catalog.pg_namespace bn ON bn.oid = bt.typnamespace
		LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
		LEFT JOIN seqdeps ON seqdeps.objid = ad.oid
		LEFT JOIN pg_catalog.pg_description dsc ON dsc.objoid = a.attrelid
			AND dsc.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dsc.objsubid = a.attnum
		LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation AND a.attcollation <> t.typcollation
		LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
		LEFT JOIN pg_catalog.pg_depend idep ON a.attidentity <> ''
			AND idep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND idep.refobjid = a.attrelid
			AND idep.refobjsubid = a.attnum AND idep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
			AND idep.deptype = 'i'
		LEFT JOIN pg_catalog.pg_sequence iseq ON iseq.seqrelid = idep.objid
		LEFT JOIN pg_catalog.pg_class isc ON isc.oid = iseq.seqrelid
		LEFT JOIN pg_catalog.pg_namespace isn ON isn.oid = isc.relnamespace
		WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attrelid IN ` + tableFilter + `
			AND a.attrelid >= 16384
		ORDER BY a.attrelid, a.attnum`

func (r *reader) columns(ctx context.Context) error {
	r.columnNames = columnNames{}
	return r.query(ctx, columnsQuery, func(rows scanner) error {
		var (
			oid                  uint32
			c                    schema.Column
			generated, identity  string
			collSchema, collName *string
			typSchema, typName   string
			seqDeps              [][]string
			seqType              *string
			s                    [5]*int64
			seqCycle             *bool
			seqSchema, seqName   string
			attnum               int16
		)
		if err := rows.Scan(&oid, &c.Name, &c.Type, &c.NotNull, &generated, &identity, &c.Default,
			&collSchema, &collName, &c.Comment, &typSchema, &typName, &seqDeps,
			&seqType, &s[0], &s[1], &s[2], &s[3], &s[4], &seqCycle, &c.Inherited,
			&c.StatsTarget, &c.Storage, &c.TypeStorage, &c.Options, &seqSchema, &seqName, &attnum); err != nil {
			return err
		}
		if len(c.Options) == 0 {
			c.Options = nil
		}
		t := r.tableOIDs[oid]
		if t == nil {
			return nil // excluded (history table, partition, extension member)
		}
		r.columnNames.add(oid, attnum, c.Name)
		generated, identity = strings.Trim(generated, "\x00"), strings.Trim(identity, "\x00")
		if generated == "s" {
			c.Generated, c.Default = c.Default, ""
		}
		c.Identity = schema.Identity(identity)
		if seqType != nil {
			c.IdentitySequence = &schema.SequenceOptions{Type: *seqType, Start: *s[0], Increment: *s[1],
				Min: *s[2], Max: *s[3], Cache: *s[4], Cycle: *seqCycle}
			if seqSchema != t.Schema || seqName != schema.IdentitySequenceDefaultName(t.Name, c.Name) {
				c.IdentitySequenceName = &schema.QName{Schema: seqSchema, Name: seqName}
			}
		}
		if collName != nil {
			c.Collation = &schema.QName{Schema: *collSchema, Name: *collName}
		}
		if typSchema != "pg_catalog" && typSchema != "information_schema" {
			c.TypeDeps = []schema.QName{{Schema: typSchema, Name: typName}}
		}
		for _, d := range seqDeps {
			c.SequenceDeps = append(c.SequenceDeps, schema.QName{Schema: d[0], Name: d[1]})
		}
		t.Columns = append(t.Columns, &c)
		return nil
	})
}

// constraintsQuery reads the table constraints. Their columns come as
// attnums (conkey, confkey), which constraints() names from the columns
// already read (see columnNames).
const constraintsQuery = `SELECT con.conrelid, con.conname, con.contype,
			pg_catalog.pg_get_constraintdef(con.oid), con.conkey,
			fn.nspname, fc.relname, con.confrelid, con.confkey,
			con.convalidated,
			COALESCE(dsc.description, ''),
			ARRAY(SELECT DISTINCT a.attname::text FROM pg_catalog.pg_depend d
				JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
				WHERE con.conindid <> 0 AND d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
					AND d.objid = con.conindid AND d.refobjsubid > 0
				ORDER BY 1)
		FROM pg_catalog.pg_constraint con
		LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
		LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
		LEFT JOIN pg_catalog.pg_description dsc ON dsc.objoid = con.oid
			AND dsc.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND dsc.objsubid = 0
		WHERE con.contype IN ('p', 'u', 'c', 'f', 'x') AND con.conislocal
			AND con.conrelid IN ` + tableFilter + `
		ORDER BY con.conrelid, con.conname`

func (r *reader) constraints(ctx context.Context) error {
	var keys []columnKeys
	err := r.query(ctx, constraintsQuery, func(rows scanner) error {
		var (
			oid, refOID      uint32
			c                schema.Constraint
			contype          string
			refSchema, refNm *string
			conkey, confkey  []int16
		)
		var indexCols []string
		if err := rows.Scan(&oid, &c.Name, &contype, &c.Definition, &conkey, &refSchema, &refNm,
			&refOID, &confkey, &c.Validated, &c.Comment, &indexCols); err != nil {
			return err
		}
		t := r.tableOIDs[oid]
		if t == nil {
			return nil
		}
		c.Type = schema.ConstraintType(contype)
		if refSchema != nil {
			c.References = &schema.QName{Schema: *refSchema, Name: *refNm}
		}
		keys = append(keys, columnKeys{&c.Columns, oid, conkey, true})
		if len(confkey) > 0 {
			keys = append(keys, columnKeys{&c.RefColumns, refOID, confkey, false})
		}
		t.Constraints = append(t.Constraints, &c)
		// The columns of its index's expressions and WHERE clause.
		id := schema.ID{Kind: schema.KindConstraint, Schema: t.Schema, Table: t.Name, Name: c.Name}
		for _, col := range indexCols {
			r.extraDeps[id] = append(r.extraDeps[id], schema.ID{Kind: schema.KindColumn, Schema: t.Schema, Table: t.Name, Name: col})
		}
		return nil
	})
	if err != nil {
		return err
	}
	return r.nameColumns(ctx, keys)
}

// indexesQuery reads the indexes that no constraint owns and no parent index has attached.
const indexesQuery = `SELECT i.indrelid, n.nspname, c.relname, pg_catalog.pg_get_indexdef(i.indexrelid),
			ARRAY(SELECT DISTINCT a.attname FROM pg_catalog.pg_depend d
				JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
				WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = i.indexrelid
					AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjsubid > 0
				ORDER BY 1),
			COALESCE(dsc.description, ''), NOT i.indisvalid
		FROM pg_catalog.pg_index i
		JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
		JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN pg_catalog.pg_description dsc ON dsc.objoid = i.indexrelid
			AND dsc.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dsc.objsubid = 0
		WHERE i.indrelid IN ` + tableFilter + `
			AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con
				WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))
			AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits ii WHERE ii.inhrelid = i.indexrelid)
		ORDER BY 2, 3`

func (r *reader) indexes(ctx context.Context) error {
	return r.query(ctx, indexesQuery, func(rows scanner) error {
		var (
			oid uint32
			ix  schema.Index
			def string
		)
		if err := rows.Scan(&oid, &ix.Schema, &ix.Name, &def, &ix.Columns, &ix.Comment, &ix.Invalid); err != nil {
			return err
		}
		if err := setIndexDefinition(&ix, def); err != nil {
			return err
		}
		t := r.tableOIDs[oid]
		if t == nil {
			return nil
		}
		ix.Table = t.QName
		t.Indexes = append(t.Indexes, &ix)
		return nil
	})
}

// attachedIndexes reads the indexes of partitions attached to an index of
// their parent, which indexes() leaves out.
func (r *reader) attachedIndexes(ctx context.Context) error {
	return r.query(ctx, `SELECT i.indrelid, c.relname, pn.nspname, pc.relname, pg_catalog.pg_get_indexdef(i.indexrelid),
			COALESCE((SELECT con.contype::text FROM pg_catalog.pg_constraint con
				WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')), ''),
			ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
				WHERE a.attrelid = ii.inhparent AND a.attnum > 0 ORDER BY a.attnum)
		FROM pg_catalog.pg_index i
		JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
		JOIN pg_catalog.pg_inherits ii ON ii.inhrelid = i.indexrelid
		JOIN pg_catalog.pg_class pc ON pc.oid = ii.inhparent
		JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
		WHERE i.indrelid IN `+tableFilter+`
		ORDER BY 1, 2`, func(rows scanner) error {
		var (
			oid     uint32
			a       schema.AttachedIndex
			contype string
		)
		if err := rows.Scan(&oid, &a.Name, &a.Parent.Schema, &a.Parent.Name, &a.Definition, &contype, &a.ParentColumns); err != nil {
			return err
		}
		t := r.tableOIDs[oid]
		if t == nil {
			return nil
		}
		a.Constraint = schema.ConstraintType(contype)
		t.AttachedIndexes = append(t.AttachedIndexes, &a)
		return nil
	})
}
