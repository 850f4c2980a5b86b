package introspect

import (
	"context"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// functions reads functions and procedures (aggregates and window
// functions are not modelled), then adds to each the objects its body
// uses that pg_depend does not record.
func (r *reader) functions(ctx context.Context) error {
	type read struct {
		f      *schema.Function
		config []string
	}
	var all []read
	err := r.query(ctx, `SELECT n.nspname, p.proname, p.prokind,
			pg_catalog.pg_get_function_identity_arguments(p.oid),
			pg_catalog.pg_get_function_arguments(p.oid),
			COALESCE(pg_catalog.pg_get_function_result(p.oid), ''),
			pg_catalog.pg_get_functiondef(p.oid),
			l.lanname, COALESCE(p.prosrc, ''), COALESCE(p.proconfig, '{}'),
			COALESCE(pg_catalog.obj_description(p.oid, 'pg_proc'), '')
		FROM pg_catalog.pg_proc p
		JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
		JOIN pg_catalog.pg_language l ON l.oid = p.prolang
		WHERE p.prokind IN ('f', 'p') AND `+userSchemas+` AND `+notExtensionMember("pg_proc", "p.oid")+`
			AND `+notInternalFunction+`
		ORDER BY 1, 2, 4`, func(rows scanner) error {
		var (
			f      schema.Function
			kind   string
			config []string
		)
		if err := rows.Scan(&f.Schema, &f.Name, &kind, &f.IdentityArgs, &f.Arguments, &f.Result,
			&f.Definition, &f.Language, &f.Body, &config, &f.Comment); err != nil {
			return err
		}
		f.Kind = schema.KindFunction
		if strings.Trim(kind, "\x00") == "p" {
			f.Kind = schema.KindProcedure
		}
		r.cat.Functions[f.ID()] = &f
		all = append(all, read{&f, config})
		return nil
	})
	if err != nil {
		return err
	}
	br := newBodyResolver(r.cat)
	for _, x := range all {
		refs, err := analyzeBody(x.f)
		if err != nil {
			x.f.UntrackedDeps = true
			x.f.UntrackedReason = err.Error()
		}
		x.f.Deps = appendNew(x.f.Deps, br.resolve(x.f.ID(), searchPath(x.f, x.config), refs)...)
	}
	return nil
}

// triggers reads the triggers of tables and views, leaving out internal
// ones (foreign keys) and the clones a partitioned table's trigger gets
// on its partitions. Each trigger depends on its table or view, on the
// function it executes and on the columns of its own table it uses (UPDATE
// OF, WHEN), so that it is recreated with them; its other dependencies come
// from pg_depend.
func (r *reader) triggers(ctx context.Context) error {
	return r.query(ctx, `SELECT tg.tgrelid, n.nspname, c.relname, c.relkind, tg.tgname,
			pg_catalog.pg_get_triggerdef(tg.oid, false), tg.tgenabled,
			COALESCE(pg_catalog.obj_description(tg.oid, 'pg_trigger'), ''),
			ARRAY(SELECT DISTINCT a.attname FROM pg_catalog.pg_depend d
				JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
				WHERE d.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND d.objid = tg.oid
					AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
					AND d.refobjid = tg.tgrelid AND d.refobjsubid > 0
				ORDER BY 1),
			fn.nspname, f.proname, pg_catalog.pg_get_function_identity_arguments(f.oid)
		FROM pg_catalog.pg_trigger tg
		JOIN pg_catalog.pg_proc f ON f.oid = tg.tgfoid
		JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace
		JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
		JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 AND `+userSchemas+`
			AND `+notExtensionMember("pg_trigger", "tg.oid")+`
		ORDER BY 2, 3, 5`, func(rows scanner) error {
		var (
			oid     uint32
			relkind string
			tr      schema.Trigger
			cols    []string
			fn      schema.ID
		)
		if err := rows.Scan(&oid, &tr.Table.Schema, &tr.Table.Name, &relkind, &tr.Name,
			&tr.Definition, &tr.Enabled, &tr.Comment, &cols, &fn.Schema, &fn.Name, &fn.Args); err != nil {
			return err
		}
		fn.Kind = schema.KindFunction
		if _, ok := r.cat.Functions[fn]; ok {
			tr.Deps = append(tr.Deps, fn)
		}
		tr.Enabled = strings.Trim(tr.Enabled, "\x00")
		for _, col := range cols {
			tr.Deps = append(tr.Deps, schema.ID{Kind: schema.KindColumn, Schema: tr.Table.Schema,
				Table: tr.Table.Name, Name: col})
		}
		if t := r.tableOIDs[oid]; t != nil && t.QName == tr.Table {
			tr.Deps = appendNew(tr.Deps, schema.ID{Kind: schema.KindTable, Schema: t.Schema, Name: t.Name})
			t.Triggers = append(t.Triggers, &tr)
			return nil
		}
		if v := r.cat.Views[tr.Table]; v != nil && strings.Trim(relkind, "\x00") == "v" {
			tr.Deps = appendNew(tr.Deps, v.ID())
			v.Triggers = append(v.Triggers, &tr)
		}
		return nil
	})
}
