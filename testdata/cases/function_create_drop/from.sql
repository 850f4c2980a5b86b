CREATE FUNCTION old_fn(a integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT a * 2 $$;
CREATE FUNCTION kept(a integer) RETURNS integer LANGUAGE sql AS $$ SELECT a $$;
