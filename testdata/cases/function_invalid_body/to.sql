-- A script: total() is created while totals has one column, and totals
-- gains a second one afterwards. PostgreSQL keeps the function, whose body
-- no longer passes its check, so the plan creates it with the check off.
CREATE VIEW totals AS SELECT 1::numeric AS amount;

CREATE FUNCTION total() RETURNS numeric LANGUAGE sql AS $$ SELECT * FROM totals $$;

CREATE OR REPLACE VIEW totals AS SELECT 1::numeric AS amount, 'eur'::text AS currency;

CREATE VIEW uses_total AS SELECT total() AS t;

COMMENT ON FUNCTION total() IS 'stale on purpose';
