CREATE SCHEMA "My App";
CREATE FUNCTION "My App"."Compute Total"("Some Arg" integer) RETURNS integer LANGUAGE sql AS $$ SELECT "Some Arg" + 1 $$;
