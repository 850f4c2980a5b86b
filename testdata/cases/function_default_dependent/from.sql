CREATE FUNCTION next_code() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
CREATE FUNCTION old_default() RETURNS integer LANGUAGE sql AS $$ SELECT 7 $$;
CREATE TABLE t (
  id integer,
  code integer DEFAULT next_code(),
  other integer DEFAULT next_code() + 1,
  gone integer DEFAULT old_default()
);
