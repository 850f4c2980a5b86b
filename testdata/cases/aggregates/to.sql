-- Aggregates: a changed option is replaced in place, a changed result type
-- drops and re-creates the aggregate with the view that uses it, and an
-- ordered-set aggregate and a moving-aggregate one are added.
CREATE FUNCTION text_concat_step(state text, next text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN state = '' THEN next ELSE state || ',' || next END $$;
CREATE FUNCTION text_concat_final(state text) RETURNS varchar
    LANGUAGE sql IMMUTABLE AS $$ SELECT '[' || state || ']' $$;
CREATE AGGREGATE concat_all(text) (SFUNC = text_concat_step, STYPE = text, INITCOND = '',
    FINALFUNC = text_concat_final, PARALLEL = SAFE);
CREATE AGGREGATE "Sum Of"(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '0');
COMMENT ON AGGREGATE "Sum Of"(integer) IS 'zero for no rows';
CREATE AGGREGATE running_sum(bigint) (SFUNC = int8pl, STYPE = bigint, MSFUNC = int8pl, MINVFUNC = int8mi, MSTYPE = bigint);
-- (an internal transition type needs superuser rights, which schema files
-- do not have: the ordered-set aggregate keeps its state in an array)
CREATE FUNCTION percentile_step(state float8[], v float8) RETURNS float8[]
    LANGUAGE sql IMMUTABLE AS $$ SELECT state || v $$;
CREATE FUNCTION percentile_pick(float8[], float8, float8) RETURNS float8
    LANGUAGE sql IMMUTABLE AS $$ SELECT $1[greatest(1, ceil($2 * cardinality($1))::int)] $$;
CREATE AGGREGATE my_percentile(float8 ORDER BY float8) (SFUNC = percentile_step, STYPE = float8[], INITCOND = '{}',
    FINALFUNC = percentile_pick, FINALFUNC_EXTRA);

CREATE TABLE tags (item int, tag text);
CREATE VIEW item_tags AS SELECT item, concat_all(tag) AS tags FROM tags GROUP BY item;
