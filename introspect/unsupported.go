package introspect

import (
	"context"

	"github.com/schemadiff/schemadiff/schema"
)

// unsupported lists the objects that exist but are not modelled yet, so that
// callers can report them by name instead of silently ignoring them.
// The first branch of the union types its columns as text, so that longer
// values of later branches (a cast's "source AS target", argument lists)
// are not cut to a name's 63 bytes.
//
// The objects of an extension are the extension's, not the schema's: an
// extension member (pg_depend deptype 'e') is never listed, nor is an
// object owned by a relation that is one (the rules of PostGIS's
// geometry_columns view, the triggers or policies of an extension's
// table).
func (r *reader) unsupported(ctx context.Context) error {
	return r.query(ctx, `
		SELECT CASE c.relkind WHEN 'v' THEN `+schema.KindView.Literal()+` WHEN 'm' THEN `+schema.KindMaterializedView.Literal()+`
				END,
			n.nspname::text, c.relname::text, ''::text, ''::text
		FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE `+userSchemas+` AND `+notExtensionMember("pg_class", "c.oid")+`
			AND c.relkind IN ('v', 'm')
		UNION ALL
		SELECT CASE p.prokind WHEN 'p' THEN `+schema.KindProcedure.Literal()+` WHEN 'a' THEN `+schema.KindAggregate.Literal()+` ELSE `+schema.KindFunction.Literal()+` END,
			n.nspname, p.proname, '', pg_catalog.pg_get_function_identity_arguments(p.oid)
		FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
		WHERE `+userSchemas+` AND `+notExtensionMember("pg_proc", "p.oid")+` AND `+notInternalFunction+`
		UNION ALL
		SELECT CASE t.typtype WHEN 'd' THEN `+schema.KindDomain.Literal()+` WHEN 'r' THEN `+schema.KindRangeType.Literal()+` WHEN 'm' THEN `+schema.KindMultirangeType.Literal()+`
				WHEN 'b' THEN `+schema.KindBaseType.Literal()+` ELSE `+schema.KindCompositeType.Literal()+` END,
			n.nspname, t.typname, '', ''
		FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
		WHERE `+userSchemas+` AND `+notExtensionMember("pg_type", "t.oid")+`
			AND (t.typtype IN ('d', 'r') OR (t.typtype = 'b' AND t.typcategory <> 'A')
				OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c'))
		UNION ALL
		SELECT `+schema.KindTrigger.Literal()+`, n.nspname, tg.tgname, c.relname, ''
		FROM pg_catalog.pg_trigger tg JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
		JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 AND `+userSchemas+` AND `+notExtensionMember("pg_trigger", "tg.oid")+`
			AND `+notExtensionMember("pg_class", "c.oid")+`
		UNION ALL
		SELECT `+schema.KindPolicy.Literal()+`, n.nspname, pol.polname, c.relname, ''
		FROM pg_catalog.pg_policy pol JOIN pg_catalog.pg_class c ON c.oid = pol.polrelid
		JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE `+userSchemas+` AND `+notExtensionMember("pg_class", "c.oid")+`
		UNION ALL
		SELECT `+schema.KindRule.Literal()+`, n.nspname, ru.rulename, c.relname, ''
		FROM pg_catalog.pg_rewrite ru JOIN pg_catalog.pg_class c ON c.oid = ru.ev_class
		JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE ru.rulename <> '_RETURN' AND `+userSchemas+` AND `+notExtensionMember("pg_rewrite", "ru.oid")+`
			AND `+notExtensionMember("pg_class", "c.oid")+`
		UNION ALL
		SELECT `+schema.KindCollation.Literal()+`, n.nspname, co.collname, '', ''
		FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
		WHERE `+userSchemas+` AND `+notExtensionMember("pg_collation", "co.oid")+`
		UNION ALL
		SELECT `+schema.KindEventTrigger.Literal()+`, '', evtname, '', '' FROM pg_catalog.pg_event_trigger
		WHERE `+notExtensionMember("pg_event_trigger", "oid")+`
		UNION ALL
		SELECT `+schema.KindRowLevelSecurity.Literal()+`, n.nspname, c.relname, '', ''
		FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE (c.relrowsecurity OR c.relforcerowsecurity) AND `+userSchemas+` AND `+notExtensionMember("pg_class", "c.oid")+`
		UNION ALL
		SELECT `+schema.KindOperator.Literal()+`, n.nspname, o.oprname, '',
			pg_catalog.format_type(o.oprleft, NULL) || ', ' || pg_catalog.format_type(o.oprright, NULL)
		FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
		WHERE `+userSchemas+` AND `+notExtensionMember("pg_operator", "o.oid")+`
		UNION ALL
		SELECT `+schema.KindOperatorClass.Literal()+`, n.nspname, oc.opcname, '', ''
		FROM pg_catalog.pg_opclass oc JOIN pg_catalog.pg_namespace n ON n.oid = oc.opcnamespace
		WHERE `+userSchemas+` AND `+notExtensionMember("pg_opclass", "oc.oid")+`
		UNION ALL
		SELECT `+schema.KindOperatorFamily.Literal()+`, n.nspname, f.opfname, '', ''
		FROM pg_catalog.pg_opfamily f JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace
		WHERE `+userSchemas+` AND `+notExtensionMember("pg_opfamily", "f.oid")+`
		UNION ALL
		SELECT `+schema.KindTextSearchConfiguration.Literal()+`, n.nspname, x.cfgname, '', ''
		FROM pg_catalog.pg_ts_config x JOIN pg_catalog.pg_namespace n ON n.oid = x.cfgnamespace
		WHERE `+userSchemas+` AND `+notExtensionMember("pg_ts_config", "x.oid")+`
		UNION ALL
		SELECT `+schema.KindTextSearchDictionary.Literal()+`, n.nspname, x.dictname, '', ''
		FROM pg_catalog.pg_ts_dict x JOIN pg_catalog.pg_namespace n ON n.oid = x.dictnamespace
		WHERE `+userSchemas+` AND `+notExtensionMember("pg_ts_dict", "x.oid")+`
		UNION ALL
		SELECT `+schema.KindConversion.Literal()+`, n.nspname, x.conname, '', ''
		FROM pg_catalog.pg_conversion x JOIN pg_catalog.pg_namespace n ON n.oid = x.connamespace
		WHERE `+userSchemas+` AND `+notExtensionMember("pg_conversion", "x.oid")+`
		UNION ALL
		SELECT `+schema.KindCast.Literal()+`, '', pg_catalog.format_type(x.castsource, NULL) || ' AS ' || pg_catalog.format_type(x.casttarget, NULL), '', ''
		FROM pg_catalog.pg_cast x
		WHERE x.oid >= 16384 AND `+notExtensionMember("pg_cast", "x.oid")+`
			AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i
				WHERE i.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND i.objid = x.oid AND i.deptype = 'i')
		UNION ALL
		SELECT 'foreign-data wrapper', '', x.fdwname, '', ''
		FROM pg_catalog.pg_foreign_data_wrapper x WHERE `+notExtensionMember("pg_foreign_data_wrapper", "x.oid")+`

		UNION ALL
		SELECT `+schema.KindLanguage.Literal()+`, '', x.lanname, '', ''
		FROM pg_catalog.pg_language x WHERE x.oid >= 16384 AND `+notExtensionMember("pg_language", "x.oid")+`
		UNION ALL
		SELECT `+schema.KindAccessMethod.Literal()+`, '', x.amname, '', ''
		FROM pg_catalog.pg_am x WHERE x.oid >= 16384 AND `+notExtensionMember("pg_am", "x.oid")+`
		UNION ALL
		SELECT `+schema.KindTypedTable.Literal()+`, n.nspname, c.relname, '', ''
		FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p') AND c.reloftype <> 0 AND `+userSchemas+` AND `+notExtensionMember("pg_class", "c.oid")+`
		ORDER BY 1, 2, 4, 3, 5`, func(rows scanner) error {
		var id schema.ID
		var kind string
		if err := rows.Scan(&kind, &id.Schema, &id.Name, &id.Table, &id.Args); err != nil {
			return err
		}
		var err error
		if id.Kind, err = schema.ParseKind(kind); err != nil {
			return err
		}
		r.cat.Unsupported = append(r.cat.Unsupported, id)
		return nil
	})
}
