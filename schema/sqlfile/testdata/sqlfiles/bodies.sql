/* Bodies full of semicolons. */
CREATE FUNCTION public.bump(n int) RETURNS int
LANGUAGE plpgsql AS $fn$
DECLARE
    s text := 'a;b';
BEGIN
    s := $q$ nested; $$ still a string; $q$;
    RETURN n + 1;
END;
$fn$;

CREATE FUNCTION public.twice(n int) RETURNS int
LANGUAGE sql
BEGIN ATOMIC
    SELECT n * 2;
END;

  /* c */ CREATE TABLE "Ünïcode Table" ("Col A" int DEFAULT public.bump(1)); -- trailing
CREATE TABLE MixedCase_Name (id int);
CREATE VIEW "My View" AS SELECT "Col A" FROM "Ünïcode Table" JOIN mixedcase_name ON true
