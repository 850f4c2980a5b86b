CREATE FUNCTION text_concat_step(state text, next text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN state = '' THEN next ELSE state || ',' || next END $$;
CREATE AGGREGATE concat_all(text) (SFUNC = text_concat_step, STYPE = text, INITCOND = '');
CREATE AGGREGATE "Sum Of"(integer) (SFUNC = int4pl, STYPE = integer);
CREATE AGGREGATE gone(*) (SFUNC = int8inc, STYPE = bigint, INITCOND = '0');

CREATE TABLE tags (item int, tag text);
CREATE VIEW item_tags AS SELECT item, concat_all(tag) AS tags FROM tags GROUP BY item;
