package introspect

import (
	"context"
	"fmt"
	"strings"

	"github.com/schemadiff/schemadiff/schema"
)

// aggregates reads user-defined aggregates as functions of kind aggregate,
// with a CREATE OR REPLACE AGGREGATE statement built from pg_aggregate
// (PostgreSQL has no function printing one). Options at their defaults are
// left out.
func (r *reader) aggregates(ctx context.Context) error {
	return r.query(ctx, `SELECT n.nspname, p.proname,
			pg_catalog.pg_get_function_identity_arguments(p.oid),
			pg_catalog.pg_get_function_arguments(p.oid),
			COALESCE(pg_catalog.pg_get_function_result(p.oid), ''),
			COALESCE(pg_catalog.obj_description(p.oid, 'pg_proc'), ''),
			a.aggkind::text, p.proparallel::text,
			ARRAY(SELECT pg_catalog.format_type(t.oid, NULL) FROM pg_catalog.unnest(p.proargtypes) WITH ORDINALITY AS t(oid, n) ORDER BY t.n),
			a.aggtransfn::pg_catalog.regproc::text, pg_catalog.format_type(a.aggtranstype, NULL), a.aggtransspace,
			CASE WHEN a.aggfinalfn <> 0 THEN a.aggfinalfn::pg_catalog.regproc::text ELSE '' END,
			a.aggfinalextra, a.aggfinalmodify::text,
			CASE WHEN a.aggcombinefn <> 0 THEN a.aggcombinefn::pg_catalog.regproc::text ELSE '' END,
			CASE WHEN a.aggserialfn <> 0 THEN a.aggserialfn::pg_catalog.regproc::text ELSE '' END,
			CASE WHEN a.aggdeserialfn <> 0 THEN a.aggdeserialfn::pg_catalog.regproc::text ELSE '' END,
			a.agginitval,
			CASE WHEN a.aggmtransfn <> 0 THEN a.aggmtransfn::pg_catalog.regproc::text ELSE '' END,
			CASE WHEN a.aggminvtransfn <> 0 THEN a.aggminvtransfn::pg_catalog.regproc::text ELSE '' END,
			CASE WHEN a.aggmtranstype <> 0 THEN pg_catalog.format_type(a.aggmtranstype, NULL) ELSE '' END,
			a.aggmtransspace,
			CASE WHEN a.aggmfinalfn <> 0 THEN a.aggmfinalfn::pg_catalog.regproc::text ELSE '' END,
			a.aggmfinalextra, a.aggmfinalmodify::text, a.aggminitval,
			COALESCE((SELECT 'OPERATOR(' || pg_catalog.quote_ident(opn.nspname) || '.' || o.oprname || ')'
				FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace opn ON opn.oid = o.oprnamespace
				WHERE o.oid = a.aggsortop), '')
		FROM pg_catalog.pg_aggregate a
		JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid
		JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
		WHERE `+userSchemas+` AND `+notExtensionMember("pg_proc", "p.oid")+`
		ORDER BY 1, 2, 3`, func(rows scanner) error {
		var (
			f                                       schema.Function
			kind, parallel, sfunc, stype, ffunc     string
			fmodify, combine, serial, deserial      string
			msfunc, minvfunc, mstype, mffunc, mfmod string
			sortop                                  string
			argTypes                                []string
			sspace, msspace                         int32
			fextra, mfextra                         bool
			initcond, minitcond                     *string
		)
		if err := rows.Scan(&f.Schema, &f.Name, &f.IdentityArgs, &f.Arguments, &f.Result, &f.Comment,
			&kind, &parallel, &argTypes, &sfunc, &stype, &sspace, &ffunc, &fextra, &fmodify, &combine, &serial, &deserial,
			&initcond, &msfunc, &minvfunc, &mstype, &msspace, &mffunc, &mfextra, &mfmod, &minitcond, &sortop); err != nil {
			return err
		}
		f.Kind = schema.KindAggregate
		ordered := kind == "o" || kind == "h"
		if ordered {
			f.OrderedArgTypes = argTypes
		}
		opts := []string{"SFUNC = " + sfunc, "STYPE = " + stype}
		add := func(cond bool, opt string) {
			if cond {
				opts = append(opts, opt)
			}
		}
		// Final functions of ordinary aggregates default to READ_ONLY,
		// those of ordered-set aggregates to READ_WRITE.
		defaultModify := "r"
		if ordered {
			defaultModify = "w"
		}
		modify := map[string]string{"r": "READ_ONLY", "s": "SHAREABLE", "w": "READ_WRITE"}
		add(sspace != 0, fmt.Sprintf("SSPACE = %d", sspace))
		add(ffunc != "", "FINALFUNC = "+ffunc)
		add(fextra, "FINALFUNC_EXTRA")
		add(ffunc != "" && fmodify != defaultModify, "FINALFUNC_MODIFY = "+modify[fmodify])
		add(combine != "", "COMBINEFUNC = "+combine)
		add(serial != "", "SERIALFUNC = "+serial)
		add(deserial != "", "DESERIALFUNC = "+deserial)
		add(initcond != nil, "INITCOND = "+schema.Literal(deref(initcond)))
		add(msfunc != "", "MSFUNC = "+msfunc)
		add(minvfunc != "", "MINVFUNC = "+minvfunc)
		add(mstype != "", "MSTYPE = "+mstype)
		add(msspace != 0, fmt.Sprintf("MSSPACE = %d", msspace))
		add(mffunc != "", "MFINALFUNC = "+mffunc)
		add(mfextra, "MFINALFUNC_EXTRA")
		add(mffunc != "" && mfmod != defaultModify, "MFINALFUNC_MODIFY = "+modify[mfmod])
		add(minitcond != nil, "MINITCOND = "+schema.Literal(deref(minitcond)))
		add(sortop != "", "SORTOP = "+sortop)
		add(parallel == "s", "PARALLEL = SAFE")
		add(parallel == "r", "PARALLEL = RESTRICTED")
		add(kind == "h", "HYPOTHETICAL")
		args := f.Arguments
		if args == "" {
			args = "*"
		}
		f.Definition = fmt.Sprintf("CREATE OR REPLACE AGGREGATE %s(%s) (\n    %s\n)",
			schema.QualifiedIdent(f.Schema, f.Name), args, strings.Join(opts, ",\n    "))
		r.cat.Functions[f.ID()] = &f
		return nil
	})
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
