-- An ordered-set aggregate whose EXECUTE privilege of PUBLIC is revoked:
-- GRANT and REVOKE name it by all its argument types, the direct ones then
-- the aggregated ones.
CREATE FUNCTION percentile_step(state float8[], v float8) RETURNS float8[]
    LANGUAGE sql IMMUTABLE AS $$ SELECT state || v $$;
CREATE FUNCTION percentile_pick(float8[], float8, float8) RETURNS float8
    LANGUAGE sql IMMUTABLE AS $$ SELECT $1[greatest(1, ceil($2 * cardinality($1))::int)] $$;
CREATE AGGREGATE my_percentile(frac float8 ORDER BY v float8) (SFUNC = percentile_step, STYPE = float8[], INITCOND = '{}',
    FINALFUNC = percentile_pick, FINALFUNC_EXTRA);
