CREATE SCHEMA "My App";
CREATE TABLE "My App"."Orders" ("Amount" integer);
CREATE FUNCTION "My App"."Compute Total"("Some Arg" integer) RETURNS bigint LANGUAGE sql
  AS $$ SELECT "Some Arg" + (SELECT count(*) FROM "My App"."Orders") $$;
COMMENT ON FUNCTION "My App"."Compute Total"(integer) IS 'it''s quoted';
CREATE FUNCTION "My App"."select"("from" text, "x""y" integer) RETURNS text LANGUAGE sql AS $$ SELECT "from" || "x""y" $$;
CREATE FUNCTION "My App"."Trig Fn"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW."Amount" := abs(NEW."Amount"); RETURN NEW; END $$;
CREATE TRIGGER "Abs Amount" BEFORE INSERT OR UPDATE OF "Amount" ON "My App"."Orders"
  FOR EACH ROW EXECUTE FUNCTION "My App"."Trig Fn"();
COMMENT ON TRIGGER "Abs Amount" ON "My App"."Orders" IS 'keeps amounts positive';
