CREATE FUNCTION next_code() RETURNS bigint LANGUAGE sql AS $$ SELECT 1::bigint $$;
CREATE TABLE t (
  id integer,
  code integer DEFAULT next_code(),
  other integer DEFAULT 5,
  gone integer DEFAULT 0
);
